"""WAL checkpoints off the kiosk's and the counters' path.

In WAL mode SQLite copies the write-ahead log back into the database file
("checkpoints") every 1,000 pages by default, inside the commit of whichever
connection crosses that mark: that one issue or call then takes several
milliseconds longer (on a 2-core PC: 1 ms becomes 4–5 ms at the 99th percentile
of a counter's calls), and with it the write lock's next holders wait.

A long-running process (a kiosk, a counter, the board, the sync daemon) therefore
checkpoints from a background thread instead: every second it runs a PASSIVE
checkpoint on its own connection, which copies what it can without taking the
write lock or waiting for readers. SQLite's own automatic checkpoint stays as a
backstop at :data:`BACKSTOP_PAGES`, far past what the thread lets accumulate, so a
WAL cannot grow without bound if the thread is starved. Several processes may each
run one: SQLite lets one checkpoint at a time and the others skip their turn. A log
that keeps growing because readers never all leave it (counters always in some
read) is restarted by the thread (:meth:`Checkpointer._restart`), and a kiosk's
issue never runs the backstop inside its commit (:class:`db.engine.KeptConnection`).

The thread's connection runs with the same ``synchronous`` setting as every other
(:data:`db.engine.SYNCHRONOUS`): a checkpoint syncs the database file before the
log is reused, whatever the setting, and the setting is the same everywhere so a
test can check it on every connection that writes (:attr:`Checkpointer.synchronous`).
"""

from __future__ import annotations

import logging
import sqlite3
import threading
from pathlib import Path

from db.engine import SYNCHRONOUS

log = logging.getLogger("desk.checkpoint")

EVERY_SECONDS = 1.0
BACKSTOP_PAGES = 10_000  # 40 MB of 4 KB pages
RESTART_FRAMES = 1000
"""A log this long (4 MB) is restarted by the thread (:meth:`Checkpointer._restart`)."""
RESTART_WAIT_MS = 5
"""How long a restart holds new writers off, at most, waiting for the log's readers."""


class Checkpointer:
    """A daemon thread running ``PRAGMA wal_checkpoint(PASSIVE)`` on ``path``."""

    def __init__(self, path: Path, every: float = EVERY_SECONDS) -> None:
        self.path = path
        self.every = every
        self._stopping = threading.Event()
        self.connected = threading.Event()
        self.synchronous: int | None = None
        """The thread's connection's ``PRAGMA synchronous`` (2: FULL), once connected."""
        self._thread = threading.Thread(target=self._loop, name="desk-checkpoint", daemon=True)

    def start(self) -> Checkpointer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stopping.set()
        self._thread.join()

    def _loop(self) -> None:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=0)
        try:
            conn.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
            self.synchronous = int(conn.execute("PRAGMA synchronous").fetchone()[0])
            self.connected.set()
            while not self._stopping.wait(self.every):
                self.checkpoint(conn)
        finally:
            conn.close()

    def checkpoint(self, conn: sqlite3.Connection) -> None:
        """One round on the thread's connection (busy timeout 0): a PASSIVE checkpoint
        and, on a log of :data:`RESTART_FRAMES` or more, a RESTART."""
        try:
            _busy, frames, _copied = conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
            if frames >= RESTART_FRAMES:
                self._restart(conn)
        except sqlite3.Error as exc:
            # busy: another process is checkpointing. Otherwise the next round tries
            # again, and the backstop keeps the WAL bounded meanwhile.
            if "locked" not in str(exc) and "busy" not in str(exc):
                log.warning("WAL checkpoint of %s failed: %s", self.path, exc)

    @staticmethod
    def _restart(conn: sqlite3.Connection) -> None:
        """Let the next writer start the log over. SQLite restarts the log only when
        a writer finds every frame copied and no reader still reading one; with
        counters always in some read, that never happened under load, and the log
        grew by thousands of pages a second up to the backstop, whose checkpoint then
        ran inside the writers' commits. A RESTART checkpoint holds new writers off
        (a few milliseconds at most: :data:`RESTART_WAIT_MS`) while the readers of
        the log finish; readers starting meanwhile read the database file. If they do
        not finish in time it gives up, and the next round tries again."""
        conn.execute(f"PRAGMA busy_timeout = {RESTART_WAIT_MS}")
        try:
            conn.execute("PRAGMA wal_checkpoint(RESTART)").fetchone()
        finally:
            conn.execute("PRAGMA busy_timeout = 0")
