"""Has the database changed since a screen last read it? One cheap answer, per process.

The counter, board and rating screens and the sync badge poll (the kiosk and the other
counters are other processes), but read the database only when there is something new.
The rule, in one place (:meth:`Follower.due`): a poller reads again when

- the database changed since its last read shown (any commit, by any process);
- the local minute changed: what it reads depends on the time (a waiting ticket
  becoming overdue, the rating window, the day);
- :data:`SAFETY_SECONDS` passed since its last read (a safety net);
- it has never read, or its last read was not shown (:meth:`Follower.forget`).

Between reads a screen redraws what moves with the clock (minutes waited, the rating
window) from the data it holds.

How a change is seen (:class:`ChangeWatch`, one per process, shared by its pollers):

- SQLite: ``PRAGMA data_version`` on a connection kept for this alone. Its value
  changes when any *other* connection has committed to the file since it last asked:
  other processes, and this process's own queue writer and pooled sessions, which are
  other connections. It does not change for commits through the asking connection
  itself, so that connection never writes. A WAL checkpoint changes it too (a read for
  nothing, rarely). Asking costs microseconds and takes no lock.
- PostgreSQL (a center database shared by counters on separate PCs): ``LISTEN`` on
  :data:`CHANNEL` on a connection kept for this alone; the triggers of migration 0015
  ``NOTIFY`` it when a transaction that changed a table the screens show commits.
  Asking reads what the server has sent, without a round trip.

A watch that cannot answer (the connection broke, the server is gone) reports a
change every time, so the screens read as often as they poll and meet the error
themselves, as they would without it. A PostgreSQL connection dropped silently by the
network (no error, no notification) cannot be told from a quiet database: then the
minute and the safety net still bring each screen up to date within a minute.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine

from desk import clock

log = logging.getLogger(__name__)

SAFETY_SECONDS = 45.0
"""A poller reads at least this often, whatever the watch says."""
CHANNEL = "desk_changes"
"""The PostgreSQL channel the triggers of migration 0015 notify."""


class ChangeWatch:
    """A counter that moves when the database has changed (see the module's doc).

    Thread-safe: the pollers of one process ask from their worker threads. The
    connection is opened at the first question and kept until :meth:`close`."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._sqlite = engine.dialect.name == "sqlite"
        self._lock = threading.Lock()
        self._conn: Any = None
        """The kept driver connection (detached from the pool)."""
        self._failing = False
        self._mark: object = None
        self._version = 0
        self._heard = 0
        """PostgreSQL: notifications received so far on the kept connection."""

    def version(self) -> int:
        """A number that differs from the one returned before whenever the database
        changed in between (and, rarely, when it did not)."""
        with self._lock:
            try:
                mark = self._data_version() if self._sqlite else self._notified()
            except Exception as exc:
                if not self._failing:
                    log.warning("change watch: %s; reading at every poll until it answers", exc)
                self._failing = True
                self._drop()
                self._version += 1
                return self._version
            self._failing = False
            if mark != self._mark:
                self._mark = mark
                self._version += 1
            return self._version

    def follower(self, safety_seconds: float = SAFETY_SECONDS) -> Follower:
        """A poller's own view of this watch."""
        return Follower(self, safety_seconds)

    def _connection(self) -> Any:
        if self._conn is None:
            fairy = self.engine.raw_connection()
            raw: Any = fairy.driver_connection
            fairy.detach()  # kept for good: it does not hold one of the pool's places
            try:
                if not self._sqlite:
                    raw.rollback()  # out of the pool's ping, if it left a transaction open
                    raw.autocommit = True
                    raw.execute(f"LISTEN {CHANNEL}")
            except BaseException:
                raw.close()
                raise
            self._conn = raw
        return self._conn

    def _data_version(self) -> int:
        # the driver runs in autocommit mode (db.engine): no transaction stays open
        row = self._connection().execute("PRAGMA data_version").fetchone()
        return int(row[0])

    def _notified(self) -> tuple[int, int]:
        raw = self._connection()
        self._heard += sum(1 for _ in raw.notifies(timeout=0))
        return (id(raw), self._heard)

    def _drop(self) -> None:
        conn, self._conn, self._mark, self._heard = self._conn, None, None, 0
        if conn is not None:
            with contextlib.suppress(Exception):  # already broken: nothing to let go of
                conn.close()

    def close(self) -> None:
        with self._lock:
            self._drop()


@dataclass(frozen=True)
class Mark:
    """When a poller read: the watch's version and the time, before the read."""

    version: int
    minute: datetime
    at: float


class Follower:
    """One poller's view of a :class:`ChangeWatch`: :meth:`due` says whether to read,
    :meth:`shown` records a read that is on the screen."""

    def __init__(
        self,
        watch: ChangeWatch,
        safety_seconds: float = SAFETY_SECONDS,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.watch = watch
        self.safety_seconds = safety_seconds
        self._monotonic = monotonic
        self._shown: Mark | None = None

    def due(self) -> Mark | None:
        """A mark to pass to :meth:`shown` when the poller must read now (asked
        before the read, so a change made during it is seen at the next poll);
        None when what it shows is still current."""
        mark = Mark(
            self.watch.version(),
            clock.now().replace(second=0, microsecond=0),
            self._monotonic(),
        )
        last = self._shown
        if (
            last is None
            or mark.version != last.version
            or mark.minute != last.minute
            or mark.at - last.at >= self.safety_seconds
        ):
            return mark
        return None

    def shown(self, mark: Mark) -> None:
        """What was read after ``mark`` is on the screen."""
        self._shown = mark

    def forget(self) -> None:
        """Read at the next poll, whatever the watch says."""
        self._shown = None
