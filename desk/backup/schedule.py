"""The daily backup, run from the long-running roles, and its state for the screens.

Every long-running process (kiosk, counters, board, admin, the sync daemon) runs a
:class:`Scheduler` thread that wakes every half minute. Once the configured time of
day has passed and no backup succeeded today, one process claims the run (a
compare-and-set on the ``backup.last_attempt`` setting inside a write transaction)
and takes the backup; the others see the claim and skip. A failed backup is retried
every :data:`RETRY_MINUTES`; its message stays in ``backup.last_error``, which the
officer screens show, until a backup (scheduled or ``desk backup``) succeeds. The
thread never touches the queue: a failure is logged and kept, nothing more.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import Engine

from db.engine import read_session, write_session
from db.models import Setting
from desk import clock, logs
from desk.backup.copy import Backup, folder, rotate, take_backup
from desk.center.config import BackupConfig
from desk.errors import DeskError

log = logs.get("backup")

RETRY_MINUTES = 15
WAKE_SECONDS = 30.0
KEYS = ("backup.last_success", "backup.last_error", "backup.last_attempt", "backup.last_path")


@dataclass(frozen=True)
class BackupState:
    last_success: str = ""
    last_error: str = ""
    last_attempt: str = ""
    last_path: str = ""

    @property
    def failing(self) -> bool:
        return bool(self.last_error)


def state(engine: Engine) -> BackupState:
    with read_session(engine) as session:
        values = {key: (session.get(Setting, key) or Setting(key=key)).value for key in KEYS}
    return BackupState(*(values[key] for key in KEYS))


def _record(engine: Engine, **values: str) -> None:
    with write_session(engine) as session:
        for name, value in values.items():
            session.merge(Setting(key=f"backup.{name}", value=value))


def run_backup(
    engine: Engine, db: Path, agency: str, settings: BackupConfig, to: Path | None = None
) -> Backup:
    """Take a backup into ``to`` or the configured folder (rotating the configured
    folder's copies), and keep the outcome for the screens. BackupError on failure."""
    stamp = clock.now().isoformat(timespec="seconds")
    try:
        if to is not None:
            result = take_backup(db, agency, to)
        else:
            dest, create = folder(settings.dir, db)
            result = take_backup(db, agency, dest, create_dest=create)
            deleted = rotate(dest, agency, settings.keep_daily, settings.keep_monthly)
            result = Backup(result.path, result.counts, result.seconds, deleted)
    except DeskError as exc:
        _record(engine, last_error=str(exc), last_attempt=stamp)
        raise
    _record(
        engine, last_success=stamp, last_error="", last_attempt=stamp, last_path=str(result.path)
    )
    return result


def due(settings: BackupConfig, st: BackupState, now: datetime) -> bool:
    """The daily backup should run now."""
    if not settings.daily or now.time() < settings.time:
        return False
    if st.last_success and datetime.fromisoformat(st.last_success).date() == now.date():
        return False
    if st.last_attempt:
        last = datetime.fromisoformat(st.last_attempt)
        if now - last < timedelta(minutes=RETRY_MINUTES) and last.date() == now.date():
            return False
    return True


def claim(engine: Engine, settings: BackupConfig, now: datetime) -> bool:
    """Take this run for this process if it is due and no other process took it."""
    with write_session(engine) as session:
        values = {key: (session.get(Setting, key) or Setting(key=key)).value for key in KEYS}
        if not due(settings, BackupState(*(values[key] for key in KEYS)), now):
            return False
        session.merge(Setting(key="backup.last_attempt", value=now.isoformat(timespec="seconds")))
    return True


class Scheduler:
    """The daily backup thread of a long-running process."""

    def __init__(self, engine: Engine, db: Path, agency: str, settings: BackupConfig) -> None:
        self.engine, self.db, self.agency, self.settings = engine, db, agency, settings
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="desk-backup", daemon=True)

    def start(self) -> Scheduler:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        if self._thread.is_alive():
            self._thread.join()

    def tick(self) -> Backup | None:
        """One wake-up: the backup taken, or None (not due, taken elsewhere, failed)."""
        try:
            if not claim(self.engine, self.settings, clock.now()):
                return None
            return run_backup(self.engine, self.db, self.agency, self.settings)
        except DeskError as exc:
            log.warning("daily backup failed: %s", exc)
        except Exception as exc:  # a locked database, a full disk: try again later
            log.warning("daily backup failed: %s", exc)
        return None

    def _loop(self) -> None:
        while not self._stopping.wait(WAKE_SECONDS):
            self.tick()
