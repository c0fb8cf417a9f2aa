"""Taking a backup: a consistent, checked copy of the live SQLite database.

The copy is made with SQLite's online backup API on a connection that holds one
read transaction from the first row count to the last page copied, so the copy is
the database as of one instant, and the source's row counts taken in the same
transaction are what the copy must hold. In WAL mode a reader never blocks the
kiosk's or the counters' writes, so they keep working during the copy.
"""

from __future__ import annotations

import os
import re
import sqlite3
import time
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from desk import clock, logs
from desk.errors import DeskError, os_reason
from desk.i18n import t

log = logs.get("backup")

NAME = re.compile(
    r"^desk-(?P<center>.+?)-(?P<stamp>\d{8}-\d{6})(?:_(?P<n>\d+))?(?P<tag>-before-\w+)?\.db$"
)
KEEP_BEFORE_UPGRADE = 3
BUSY_TIMEOUT_MS = 5000


class BackupError(DeskError):
    """A backup could not be written or failed its checks; nothing was left behind."""


@dataclass(frozen=True)
class Backup:
    path: Path
    counts: dict[str, int]
    seconds: float
    deleted: list[Path] = field(default_factory=list)


def file_name(agency: str, at: datetime, tag: str = "", n: int = 0) -> str:
    suffix = f"_{n}" if n else ""
    before = f"-before-{tag}" if tag else ""
    return f"desk-{agency}-{at:%Y%m%d-%H%M%S}{suffix}{before}.db"


def stamp_of(path: Path) -> datetime | None:
    match = NAME.match(path.name)
    return datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S") if match else None


def table_counts(conn: sqlite3.Connection) -> dict[str, int]:
    """Rows of every table (SQLite's own excepted), in the connection's snapshot."""
    names = [
        row[0]
        for row in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name NOT LIKE 'sqlite_%' ORDER BY name"
        )
    ]
    return {
        name: int(conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0]) for name in names
    }


def read_only(path: Path) -> sqlite3.Connection:
    """A connection that can only read ``path`` (any characters in its name)."""
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None)


def check_file(path: Path) -> sqlite3.Connection:
    """Open ``path`` and check it is a sound SQLite database; the caller closes it.

    Raises BackupError naming what is wrong."""
    try:
        with path.open("rb") as fh:
            header = fh.read(16)
    except OSError as exc:
        raise BackupError(
            t("walkthrough.backup.unreadable", path=path, error=os_reason(exc))
        ) from None
    if header != b"SQLite format 3\x00":
        raise BackupError(t("walkthrough.backup.not_sqlite", path=path))
    conn = read_only(path)
    try:
        rows = [r[0] for r in conn.execute("PRAGMA integrity_check")]
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise BackupError(t("walkthrough.backup.damaged", path=path, detail=exc)) from None
    if rows != ["ok"]:
        conn.close()
        detail = "; ".join(str(r) for r in rows[:3])
        raise BackupError(t("walkthrough.backup.damaged", path=path, detail=detail))
    return conn


def _free_name(dest: Path, agency: str, at: datetime, tag: str) -> Path:
    n = 0
    while (dest / file_name(agency, at, tag, n)).exists():
        n += 1
    return dest / file_name(agency, at, tag, n)


def take_backup(
    db: Path,
    agency: str,
    dest: Path,
    *,
    tag: str = "",
    create_dest: bool = False,
) -> Backup:
    """Copy the live database ``db`` into folder ``dest`` and check the copy.

    ``tag``: the schema revision about to be installed, for a copy taken before an
    upgrade. ``create_dest``: make the folder if missing (only for desk's own default
    folder: a missing configured folder means a USB stick is not plugged in)."""
    started = time.monotonic()
    if not db.is_file():
        raise BackupError(t("walkthrough.backup.no_database", path=db))
    if not dest.is_dir():
        if not create_dest:
            raise BackupError(t("walkthrough.backup.no_folder", path=dest))
        try:
            dest.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(
                t("walkthrough.backup.cannot_create", path=dest, error=os_reason(exc))
            ) from None
    final = _free_name(dest, agency, clock.now(), tag)
    partial = final.with_name("." + final.name + ".partial")
    try:
        counts = _copy(db, partial)
        _check(partial, counts)
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.chmod(partial, 0o600)
        os.replace(partial, final)
    except BaseException as exc:
        partial.unlink(missing_ok=True)
        if isinstance(exc, BackupError):
            log.warning("backup failed: %s", exc)
            raise
        if isinstance(exc, sqlite3.Error | OSError):
            detail = os_reason(exc) if isinstance(exc, OSError) else str(exc)
            message = t("walkthrough.backup.failed", path=final, detail=detail)
            log.warning("%s", message)
            raise BackupError(message) from None
        raise
    seconds = time.monotonic() - started
    log.info("backup %s: %s rows in %.1f s", final, sum(counts.values()), seconds)
    return Backup(path=final, counts=counts, seconds=seconds)


def _copy(db: Path, target: Path) -> dict[str, int]:
    """Copy ``db`` to ``target`` in one read transaction; the source's row counts."""
    src = sqlite3.connect(db, isolation_level=None, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        src.execute("BEGIN")
        counts = table_counts(src)
        dst = sqlite3.connect(target, isolation_level=None)
        try:
            src.backup(dst)
            # one self-contained file: no -wal beside it on the stick
            dst.execute("PRAGMA journal_mode = DELETE")
        finally:
            dst.close()
        src.execute("COMMIT")
        return counts
    finally:
        src.close()


def _check(copy: Path, expected: dict[str, int]) -> None:
    conn = check_file(copy)
    try:
        got = table_counts(conn)
    finally:
        conn.close()
    if got != expected:
        wrong = [f"{k}: {got.get(k)} of {v}" for k, v in expected.items() if got.get(k) != v]
        raise BackupError(
            t("walkthrough.backup.missing_rows", path=copy, rows=", ".join(wrong[:3]))
        )


def rotate(dest: Path, agency: str, keep_daily: int, keep_monthly: int) -> list[Path]:
    """Delete this center's older copies in ``dest``: keep the newest copy of each of
    the last ``keep_daily`` days, the first copy of each of the last ``keep_monthly``
    months, and the last few copies taken before an upgrade. The deleted paths."""
    regular: list[tuple[datetime, Path]] = []
    before: list[tuple[datetime, Path]] = []
    for path in dest.glob(f"desk-{agency}-*.db"):
        match = NAME.match(path.name)
        if not match or match["center"] != agency:
            continue
        at = datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
        (before if match["tag"] else regular).append((at, path))
    regular.sort(key=lambda e: (e[0], e[1].name), reverse=True)
    keep: set[Path] = set()
    days: dict[date, Path] = {}
    for at, path in regular:  # newest first: the first seen of a day is its newest
        if at.date() not in days and len(days) < keep_daily:
            days[at.date()] = path
    keep.update(days.values())
    months: dict[tuple[int, int], Path] = {}
    for at, path in reversed(regular):  # oldest first: the first seen of a month
        months.setdefault((at.year, at.month), path)
    for month in sorted(months, reverse=True)[:keep_monthly]:
        keep.add(months[month])
    before.sort(key=lambda e: (e[0], e[1].name), reverse=True)
    keep.update(path for _at, path in before[:KEEP_BEFORE_UPGRADE])
    deleted = []
    for _at, path in regular + before:
        if path not in keep:
            try:
                path.unlink()
            except OSError as exc:
                log.warning("backup rotation: cannot delete %s (%s)", path, exc.strerror)
                continue
            deleted.append(path)
    return sorted(deleted)


def folder(configured: str, db: Path) -> tuple[Path, bool]:
    """Where backups go: the configured folder (which must exist), else ``backups``
    beside the database (created when missing). (folder, create it if missing)."""
    if configured:
        return Path(configured).expanduser(), False
    return db.parent / "backups", True
