"""The advisory lock every desk process holds on its SQLite database.

A shared ``flock`` on ``<database>.lock`` is taken when a runtime opens a SQLite
file and released when the process ends (the kernel drops it even after a crash,
so a stale lock file never blocks anything). A restore takes the lock exclusively
and without waiting: if any other desk process holds it, the restore is refused.
A process starting while a restore runs waits for it, up to ``wait`` seconds.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from desk.errors import DeskError, os_reason
from desk.i18n import t

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Linux: no advisory locking
    fcntl = None  # type: ignore[assignment]


class DatabaseInUse(DeskError):
    """Another desk process has the database open."""


def lock_path(db: Path) -> Path:
    return db.with_name(db.name + ".lock")


class DbLock:
    """A shared or exclusive advisory lock on ``db``'s lock file."""

    def __init__(self, db: Path, *, exclusive: bool) -> None:
        self.db = db
        self.exclusive = exclusive
        self._fd: int | None = None

    def acquire(self, wait: float = 0.0) -> DbLock:
        """Take the lock, retrying for ``wait`` seconds; DatabaseInUse if it is held."""
        if fcntl is None:
            return self
        path = lock_path(self.db)
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as exc:
            raise DeskError(
                t("walkthrough.backup.lock_file", path=path, error=os_reason(exc))
            ) from None
        mode = (fcntl.LOCK_EX if self.exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB
        deadline = time.monotonic() + wait
        delay = 0.01
        while True:
            try:
                fcntl.flock(fd, mode)
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    raise DatabaseInUse(
                        t("walkthrough.backup.in_use_desk", path=self.db)
                        if self.exclusive
                        else t("walkthrough.backup.restoring", path=self.db)
                    ) from None
                time.sleep(delay)
                delay = min(delay * 2, 0.2)
                continue
            self._fd = fd
            return self

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)  # closing the descriptor drops the flock
            self._fd = None

    def __del__(self) -> None:
        self.release()

    @property
    def held(self) -> bool:
        return self._fd is not None or fcntl is None
