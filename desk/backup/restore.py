"""Restoring a backup file over the center's database.

Nothing is replaced until the file has passed every check: it is a sound SQLite
database, its schema revision is one this desk knows (an older one is upgraded on
the next start, with a backup first; a newer one is refused), and it belongs to
this center. Then the restore takes the database's lock exclusively and probes
SQLite itself (leaving WAL mode needs every other connection closed), so it is
refused while any other desk process, or any other program, has the database
open. The current database is kept aside, never deleted.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from db.damage import damage_said
from desk import clock, logs
from desk.backup.copy import BackupError, check_file, table_counts
from desk.backup.lock import DatabaseInUse, DbLock
from desk.errors import DeskError, os_reason
from desk.i18n import t

log = logs.get("backup")


class RestoreRefused(DeskError):
    """The file cannot be restored here; nothing was replaced."""


@dataclass(frozen=True)
class Contents:
    revision: str
    centers: list[str]
    tickets: int
    dossiers: int
    audit_entries: int
    last_dossier_code: str
    counts: dict[str, int]


@dataclass(frozen=True)
class Restored:
    source: Path
    contents: Contents
    kept_aside: Path | None
    damage: str | None = None
    """What SQLite said of the database replaced, when it was damaged."""


def known_revisions() -> list[str]:
    """The schema revisions this desk can run or upgrade from."""
    from db.migrate import MIGRATIONS

    found = []
    for path in sorted((MIGRATIONS / "versions").glob("*.py")):
        match = re.search(r'^revision\s*=\s*"([^"]+)"', path.read_text("utf-8"), re.M)
        if match:
            found.append(match[1])
    return found


def contents(conn: sqlite3.Connection) -> Contents:
    """What a desk database holds, for checks and for the restore's report."""
    tables = table_counts(conn)
    revision = ""
    if "alembic_version" in tables:
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        revision = str(row[0]) if row else ""
    centers = (
        [str(r[0]) for r in conn.execute("SELECT agency_code FROM center ORDER BY id")]
        if "center" in tables
        else []
    )
    last = (
        conn.execute("SELECT code FROM dossier ORDER BY id DESC LIMIT 1").fetchone()
        if "dossier" in tables
        else None
    )
    return Contents(
        revision=revision,
        centers=centers,
        tickets=tables.get("ticket", 0),
        dossiers=tables.get("dossier", 0),
        audit_entries=tables.get("audit_event", 0),
        last_dossier_code=str(last[0]) if last else "",
        counts=tables,
    )


def inspect_backup(path: Path, agency: str) -> Contents:
    """Check ``path`` can be restored for center ``agency``; RestoreRefused if not."""
    try:
        conn = check_file(path)
    except BackupError as exc:
        raise RestoreRefused(str(exc)) from None
    try:
        found = contents(conn)
    finally:
        conn.close()
    if not found.revision:
        raise RestoreRefused(t("walkthrough.backup.no_revision", path=path))
    known = known_revisions()
    if found.revision not in known:
        raise RestoreRefused(
            t("walkthrough.backup.newer", path=path, revision=found.revision, known=known[-1])
        )
    if found.centers and agency not in found.centers:
        raise RestoreRefused(
            t(
                "walkthrough.backup.other_center",
                path=path,
                centers=", ".join(found.centers),
                agency=agency,
            )
        )
    return found


def probe_unused(db: Path) -> str | None:
    """DatabaseInUse if any connection (desk or not) has ``db`` open: switching it out
    of WAL mode needs every other connection closed, and is refused at once if not.

    A damaged file (SQLite says it is not a database, or malformed) is what a restore
    is for: no program can be using it as a database, so the probe returns SQLite's
    words for the caller to say, and the restore goes on."""
    conn = sqlite3.connect(db, isolation_level=None, timeout=0)
    try:
        mode = conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]
    except sqlite3.OperationalError:
        mode = ""
    except sqlite3.DatabaseError as exc:
        said = damage_said(exc)
        if said is None:
            raise
        return said
    finally:
        conn.close()
    if mode != "delete":
        raise DatabaseInUse(t("walkthrough.backup.in_use_program", path=db))
    return None


def take_over(db: Path) -> tuple[DbLock, str | None]:
    """The database's lock, held exclusively, after checking nobody else uses it; with
    SQLite's words when the current file is damaged (:func:`probe_unused`)."""
    lock = DbLock(db, exclusive=True).acquire()
    try:
        damage = probe_unused(db) if db.exists() else None
    except BaseException:
        lock.release()
        raise
    return lock, damage


def set_aside(db: Path) -> Path | None:
    """Move the current database (and any -wal/-shm beside it) out of the way."""
    if not db.exists():
        return None
    aside = db.with_name(f"{db.name}.before-restore-{clock.now():%Y%m%d-%H%M%S}")
    n = 1
    while aside.exists():
        aside = aside.with_name(f"{aside.name}_{n}")
        n += 1
    os.replace(db, aside)
    for suffix in ("-wal", "-shm"):
        extra = db.with_name(db.name + suffix)
        if extra.exists():
            os.replace(extra, aside.with_name(aside.name + suffix))
    return aside


STALE_KEYS = ("backup.last_error", "backup.last_attempt")
"""Backup state a copy carries from the day it was taken: an old failure (the copy is
taken before its own success is recorded) and an old attempt."""


def forget_backup_outcome(path: Path) -> None:
    """Clear the backup state the restored copy carries, so the screens do not show a
    failure from the day it was taken (the next daily backup says how backups go
    now, and runs as scheduled)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("UPDATE setting SET value = '' WHERE key IN (?, ?)", STALE_KEYS)
    except sqlite3.OperationalError:  # a copy without the settings table: nothing kept
        pass
    finally:
        conn.close()


def put_in_place(source: Path, db: Path) -> None:
    """Copy the (checked, not live) file ``source`` to ``db`` in one rename, its
    stale backup state cleared (:func:`forget_backup_outcome`)."""
    partial = db.with_name(f".{db.name}.restoring")
    try:
        shutil.copyfile(source, partial)
        forget_backup_outcome(partial)
        os.chmod(partial, 0o600)
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(partial, db)
    except BaseException:
        for leftover in (partial, *(partial.with_name(partial.name + x) for x in ("-wal", "-shm"))):
            leftover.unlink(missing_ok=True)
        raise


def restore(source: Path, db: Path, agency: str) -> Restored:
    """Replace the database ``db`` with the backup ``source`` of center ``agency``."""
    found = inspect_backup(source, agency)
    db.parent.mkdir(parents=True, exist_ok=True)
    lock, damage = take_over(db)
    try:
        aside = set_aside(db)
        try:
            put_in_place(source, db)
        except OSError as exc:
            if aside is not None and not db.exists():
                os.replace(aside, db)  # put the old one back: nothing half-done
            raise DeskError(
                t("walkthrough.backup.restore_failed", path=db, error=os_reason(exc))
            ) from None
    finally:
        lock.release()
    log.info(
        "restored %s over %s: %s tickets, %s dossiers, %s audit entries",
        source,
        db,
        found.tickets,
        found.dossiers,
        found.audit_entries,
    )
    if damage is not None:
        log.warning("the database replaced was damaged (%s), kept aside as %s", damage, aside)
    return Restored(source=source, contents=found, kept_aside=aside, damage=damage)
