"""Engine and session setup.

SQLite is the embedded default: every connection gets WAL journaling, foreign keys,
a busy timeout and durable commits (:data:`SYNCHRONOUS`). Python's sqlite3 module
manages transactions itself and gets them wrong for us (it defers BEGIN and ignores
the lock mode), so the driver is put in autocommit mode and SQLAlchemy's ``begin``
event emits ``BEGIN`` itself: ``BEGIN IMMEDIATE`` for a :func:`write_session`, so a
unit of work that reads then writes (call next, issue a number) takes the write lock
before it reads.

PostgreSQL (``postgresql+psycopg://…``) works with the same code; there, row locks
(``FOR UPDATE SKIP LOCKED``) do what ``BEGIN IMMEDIATE`` does on SQLite.
"""

from __future__ import annotations

import os
import random
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DBAPIError
from sqlmodel import Session

import db.changes  # noqa: F401  (registers the session events writing audit and outbox rows)
from db.damage import damage_said
from db.prepared import Conn, DriverTransaction

BUSY_TIMEOUT_MS = 5000
SYNCHRONOUS = "FULL"
"""Every SQLite connection desk opens commits durably: in WAL mode ``FULL`` syncs the
write-ahead log to the disk at every commit, so a commit that returned (a ticket
handed out, a dossier's receipt printed, an audited change) survives a power cut.
``NORMAL`` syncs only at checkpoints and a power cut can roll back the last commits,
after which the same ticket number or dossier code would be handed out again.

The one exception is the queue's kept writer (:class:`KeptConnection`): ``FULL``
syncs inside the commit, while the write lock is held, so every kiosk and counter
would queue behind the disk (a flush takes about 10 ms on this project's test
machine: at most ~100 commits a second for the whole center). It commits with
``NORMAL`` and syncs the log itself right after the commit, outside the lock and
before the step returns (:func:`sync_wal`): the same promise — a step that returned
is on the disk — with the flushes of concurrent steps overlapping. Measured cost:
README, "Durability"."""
SYNC_AFTER_COMMIT = True
"""The kept writer commits with NORMAL and syncs the log after each commit (False, in
the benchmark only: it commits with the engine's setting, FULL unless the benchmark
weakens it)."""
NETWORK_FILESYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "9p",
    "afs",
    "ncpfs",
    "glusterfs",
    "ceph",
    "fuse.glusterfs",
    "davfs",
    "fuse.davfs2",
}


class DatabaseUnavailable(Exception):
    """The database cannot be used here; the message says why and what to do. ``key``
    and ``params`` let the layers above say it in the UI's language (``db/`` has no
    translation layer): ``db_problem.<key>``."""

    def __init__(self, key: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


def env_url() -> str | None:
    """``DESK_DB`` as a database URL: a URL as given, a plain file path (no ``://``)
    as the SQLite database in that file; None when unset. A URL of a kind desk does
    not run on (``mysql://…``) is refused here, before any driver is looked for."""
    env = os.environ.get("DESK_DB", "").strip()
    if not env:
        return None
    if "://" in env:
        check_kind(env)
        return env
    return f"sqlite:///{Path(env).expanduser().absolute()}"


SUPPORTED = {"sqlite": "pysqlite", "postgresql": "psycopg"}
"""The databases desk runs on, each with the driver it is installed with."""


def check_kind(url: str) -> None:
    """DatabaseUnavailable (``unsupported_url``) unless ``url`` is a SQLite or a
    PostgreSQL (psycopg) URL."""
    try:
        parsed = make_url(url)
        backend, driver = parsed.get_backend_name(), parsed.get_driver_name()
    except ArgumentError:  # not a URL SQLAlchemy can read at all
        backend, driver = "", ""
    if SUPPORTED.get(backend) != driver:
        kind = url.split("://", 1)[0]
        raise DatabaseUnavailable(
            "unsupported_url",
            f"DESK_DB={safe_url(url)}: a {kind} database is not supported; expected "
            "sqlite:///FILE (or a file path) or postgresql+psycopg://USER@HOST/DB",
            url=safe_url(url),
            kind=kind,
        )


def driver_problem(
    exc: BaseException, url: str, *, reading: bool = False
) -> DatabaseUnavailable | None:
    """What an error SQLite raised on the database at ``url`` means for a person who
    can fix it, as a :class:`DatabaseUnavailable`: the file is damaged, or it cannot
    be written (``reading``: raised while a read-only start opened it, where SQLite
    still has to write the ``-shm`` file of a database in WAL mode beside it). None
    for any other error, which stays what it is (a bug shows as one)."""
    orig = getattr(exc, "orig", None) or exc  # SQLAlchemy wraps the driver's error
    if not isinstance(orig, sqlite3.DatabaseError):
        return None
    text = str(orig)
    file = sqlite_path(url)
    path = str(file) if file is not None else safe_url(url)
    if damage_said(orig) is not None:
        return DatabaseUnavailable(
            "damaged", f"{path}: the database file is damaged ({text})", path=path, detail=text
        )
    if "readonly database" in text or "unable to open database file" in text:
        # SQLite cannot write the file, or make its -wal or -shm beside it (a user
        # is told "readonly", root in a folder it cannot write "unable to open")
        if file is not None and file.is_file() and not os.access(file, os.R_OK):
            return DatabaseUnavailable("unreadable", f"{path}: cannot be read", path=path)
        key = "read_only_wal" if reading else "read_only"
        return DatabaseUnavailable(key, f"{path}: the database cannot be written", path=path)
    return None


def default_url() -> str:
    """``DESK_DB`` if set (see ``env_url``), else a SQLite file in the user data dir."""
    env = env_url()
    if env:
        return env
    from platformdirs import user_data_path

    return f"sqlite:///{user_data_path('desk') / 'desk.db'}"


def safe_url(url: str) -> str:
    """The URL with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:
        return "<unparseable database URL>"


def sqlite_path(url: str) -> Path | None:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    database = parsed.database or ""
    if database in ("", ":memory:") or database.startswith("file:"):
        return None
    return Path(database)


def filesystem_type(path: Path) -> str | None:
    """The mount's filesystem type for ``path`` (Linux), or None if unknown."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return None
    target = str(path.resolve())
    best, best_type = "", None
    for line in mounts:
        parts = line.split()
        if len(parts) < 3:
            continue
        mount_point = parts[1].replace("\\040", " ")
        if (target == mount_point or target.startswith(mount_point.rstrip("/") + "/")) and len(
            mount_point
        ) >= len(best):
            best, best_type = mount_point, parts[2]
    return best_type


def prepare_sqlite_file(path: Path) -> None:
    """Create the directory (its owner's only) and an empty database readable by
    its owner only (SQLite gives its -wal and -shm files the same permissions), and
    refuse a file on a network share (SQLite locking is unsafe there)."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fs = filesystem_type(path.parent)
    if fs in NETWORK_FILESYSTEMS:
        raise DatabaseUnavailable(
            "network_share",
            f"{path}: the database is on a network share ({fs}); SQLite cannot lock it safely. "
            "Keep the file on the host's own disk and let counters reach that host by SSH, "
            "or use a PostgreSQL center database (DESK_DB=postgresql+psycopg://…).",
            path=path,
            fs=fs,
        )
    if not path.exists():
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o600)
        os.close(fd)


SMALL_CACHE_KIB = 512
"""SQLite's page cache per connection of a role that never reads a report (KiB)."""


def make_engine(
    url: str,
    *,
    busy_timeout_ms: int = BUSY_TIMEOUT_MS,
    wal_autocheckpoint: int = 1000,
    read_only: bool = False,
    large_reads: bool = True,
) -> Engine:
    """An engine on ``url``; on SQLite, ``wal_autocheckpoint`` is the WAL size in pages
    at which a commit checkpoints (see :mod:`db.checkpoint` for raising it).

    ``large_reads``: each SQLite connection keeps a page cache of up to 64 MB and reads
    through a memory map, for the reports' scans of long periods. Without it a cache
    of :data:`SMALL_CACHE_KIB`: the roles that never read a report (the kiosk, the
    board, a counter) keep less memory all day (each page a commit writes, a printed
    ticket's bytes too, stays in the cache it went through; SQLite's own 2 MB filled
    up over a day: the board's day, 80.5 MB with it, 78.8 MB with 512 KB). Their
    reads are a few index pages, which the system's file cache holds anyway.

    ``read_only``: the engine cannot write, whoever runs it (root too): SQLite opens
    the file with ``mode=ro`` (it must exist; a read-only copy or backup will do),
    PostgreSQL sessions start with ``default_transaction_read_only``."""
    path = sqlite_path(url)
    if read_only:
        return _read_only_engine(url, path, busy_timeout_ms, large_reads)
    if path is not None:
        prepare_sqlite_file(path)
    if make_url(url).get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": busy_timeout_ms / 1000})
        _setup_sqlite(engine, busy_timeout_ms, wal_autocheckpoint, large_reads=large_reads)
        return engine
    return create_engine(url, pool_pre_ping=True)


def _read_only_engine(
    url: str, path: Path | None, busy_timeout_ms: int, large_reads: bool
) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(
            url,
            pool_pre_ping=True,
            connect_args={"options": "-c default_transaction_read_only=on"},
        )
    if path is None:
        raise DatabaseUnavailable(
            "read_only_file",
            f"{safe_url(url)}: a read-only start needs a database file",
            url=safe_url(url),
        )
    if not path.is_file():
        raise DatabaseUnavailable("no_file", f"{path}: no such database file", path=path)
    from urllib.parse import quote

    ro_url = f"sqlite:///file:{quote(str(path.resolve()))}?mode=ro&uri=true"
    engine = create_engine(ro_url, connect_args={"timeout": busy_timeout_ms / 1000})
    _setup_sqlite(engine, busy_timeout_ms, 1000, read_only=True, large_reads=large_reads)
    return engine


def _setup_sqlite(
    engine: Engine,
    busy_timeout_ms: int,
    wal_autocheckpoint: int,
    *,
    read_only: bool = False,
    large_reads: bool = True,
) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        cur.execute("PRAGMA foreign_keys = ON")
        if not read_only:  # the journal mode is the file's: setting it writes
            cur.execute("PRAGMA journal_mode = WAL")
        cur.execute(f"PRAGMA synchronous = {SYNCHRONOUS}")
        cur.execute(f"PRAGMA wal_autocheckpoint = {int(wal_autocheckpoint)}")
        if large_reads:  # reports read large ranges: a 64 MB page cache, mapped reads
            cur.execute("PRAGMA cache_size = -65536")
            cur.execute("PRAGMA mmap_size = 268435456")
        else:
            cur.execute(f"PRAGMA cache_size = -{SMALL_CACHE_KIB}")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        if conn.get_execution_options().get("desk_immediate", False):
            try:
                _begin_immediate(conn.connection.dbapi_connection, busy_timeout_ms)
            except sqlite3.Error as exc:
                raise _wrapped("BEGIN IMMEDIATE", exc) from exc
        else:
            conn.exec_driver_sql("BEGIN")


def sync_wal(database: str) -> None:
    """Flush SQLite's write-ahead log of ``database`` (a file path) to the disk: every
    transaction committed to it so far, by any process, survives a power cut. A
    file's flush covers every process's writes to it, and frames are appended in
    commit order, so this also makes every earlier commit durable."""
    try:
        fd = os.open(f"{database}-wal", os.O_RDWR)
    except FileNotFoundError:  # no log: every commit is in the database file already
        return
    try:
        (getattr(os, "fdatasync", None) or os.fsync)(fd)
    finally:
        os.close(fd)


def _wrapped(statement: str, exc: sqlite3.Error) -> BaseException:
    """A driver error as SQLAlchemy would raise it (OperationalError …)."""
    return DBAPIError.instance(statement, None, exc, sqlite3.Error)


def _begin_immediate(raw: sqlite3.Connection, busy_timeout_ms: int) -> None:
    """Take the write lock, polling every 0.2 ms at first and never less often than
    every 2 ms, until the busy timeout.

    SQLite's own busy handler sleeps 1, 2, 5, 10, 15, 20, 25 … ms between tries, so a
    writer that loses the lock three or four times to other counters has slept 18 ms
    or more while the lock sat free most of that time. Polling this way costs a few
    microseconds per try and lets a writer in within 2 ms of the lock coming free.
    A lock held past the timeout raises the driver's OperationalError ("database is
    locked"), and nothing has been done.

    The connection's busy timeout is 0 while it polls and restored after, for its
    other uses.
    """
    raw.execute("PRAGMA busy_timeout = 0")
    try:
        _poll_begin_immediate(raw, busy_timeout_ms)
    finally:
        raw.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")


def _poll_begin_immediate(
    raw: sqlite3.Connection,
    busy_timeout_ms: int,
    turn: Turn | None = None,
    longest: float = 0.002,
    polite: float | None = None,
) -> None:
    """The polling of :func:`_begin_immediate` on a connection whose own busy
    timeout is already 0. ``turn``: step back while an urgent writer waits for the
    lock (:class:`Turn`), for at most ``polite`` seconds (default
    :data:`YIELD_SECONDS`); ``longest``: the longest pause between tries."""
    start = time.monotonic()
    deadline = start + busy_timeout_ms / 1000
    polite_until = start + (YIELD_SECONDS if polite is None else polite)
    delay = 0.0002
    while time.monotonic() < deadline:
        if turn is None or time.monotonic() >= polite_until or turn.clear():
            try:
                raw.execute("BEGIN IMMEDIATE")
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) and "busy" not in str(exc):
                    raise
        time.sleep(delay * random.uniform(0.5, 1.5))
        delay = min(delay * 2, longest)
    raw.execute("BEGIN IMMEDIATE")  # raises "database is locked"


YIELD_SECONDS = 0.05
"""How long a writer steps back, at most, for urgent writers waiting (:class:`Turn`)."""


class Turn:
    """The kiosk's turn at the write lock, shared by every process on one SQLite file.

    SQLite's write lock has no queue: whoever retries first after it comes free gets
    it. Under load six counters retrying against one kiosk win most of the time, and
    the citizen at the kiosk waits. So a writer that must not wait (a kiosk issuing a
    ticket) holds a shared ``flock`` on ``<database>-turn`` from when it starts
    waiting for the lock to the end of its step (its commit and the flush of the log
    after it), and the other writers (counters) check that file before each try, and
    before a call they would answer without the lock (:meth:`KeptConnection.giving_way`),
    and step back while a kiosk's issue is under way — for at most
    :data:`YIELD_SECONDS`, so a kiosk issuing back to back can never starve a
    counter. On a PC running a kiosk and seven counters this keeps the counters'
    processes off the CPU and the disk while a citizen's ticket is written and
    flushed (README, "A kiosk should not starve behind the counters"). Where
    ``fcntl`` is missing (Windows) nobody waits for anybody, as before.
    """

    def __init__(self, database: str) -> None:
        self.path = f"{database}-turn"
        self._fd: int | None = None

    def _file(self) -> int | None:
        if fcntl is None:
            return None
        if self._fd is None:
            self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        return self._fd

    @contextmanager
    def waiting(self) -> Iterator[None]:
        """Mark an urgent writer's step as under way during the block."""
        fd = self._file()
        marked = False
        # never blocks: a counter holds the file only for its check, but one preempted
        # in between would hold the kiosk up; after ~2 ms the kiosk waits unmarked
        for _ in range(20):
            if fd is None:
                break
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                marked = True
                break
            except BlockingIOError:
                time.sleep(0.0001)
        try:
            yield
        finally:
            if marked:
                assert fd is not None
                fcntl.flock(fd, fcntl.LOCK_UN)

    def clear(self) -> bool:
        """True when no urgent writer is waiting."""
        fd = self._file()
        if fd is None:
            return True
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True

    def close(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    """A short session for reads (and plain writes that need no prior lock)."""
    with Session(engine, expire_on_commit=False) as session:
        yield session


@contextmanager
def core_transaction(engine: Engine, *, immediate: bool) -> Iterator[Connection]:
    """One transaction on a Core connection, committed at the end or rolled back;
    ``immediate``: it holds the write lock from its start (SQLite), as a
    :func:`write_session` does."""
    with engine.connect() as conn:
        conn.execution_options(desk_immediate=immediate)
        with conn.begin():
            yield conn


class KeptConnection:
    """One connection kept open for a component's many short transactions.

    Why it exists: checking a connection out of SQLAlchemy's pool and back costs a
    few hundred microseconds on a counter PC that has been idle for a while (the
    code runs cold), a quarter of a whole call-next step. So on SQLite the queue
    keeps one connection for its steps and one for its quick reads, for good (they
    do not hold the pool's places). A lock lets one thread of the process use it at
    a time. Errors come out as SQLAlchemy's.

    ``driver`` (the default): transactions are begun and ended on the driver (the
    same ``BEGIN IMMEDIATE`` wait as every write session) and yield a
    :class:`db.prepared.DriverTransaction`, on which :mod:`db.prepared` statements
    run with the driver's own execute — the driver layer, kept where the benchmark
    shows plain Core would miss the queue's latency target (README, "The driver
    layer"); the engine's cursor events and echo still see every statement.
    ``driver=False``: plain SQLAlchemy Core on the kept connection (its ``begin``,
    ``commit`` and ``execute``).

    The writer commits with ``synchronous = NORMAL`` and then flushes the log itself
    (:func:`sync_wal`) before the transaction's block returns, outside the write
    lock: as durable as ``FULL``, without holding the lock during the flush (see
    :data:`SYNCHRONOUS`).

    On PostgreSQL a connection kept for hours may be dropped by the server or the
    network, so there every transaction checks a SQLAlchemy connection out of the
    pool (which pings it first).
    """

    def __init__(self, engine: Engine, *, immediate: bool, driver: bool = True) -> None:
        self.engine = engine
        self.immediate = immediate
        self.driver = driver
        self._keep = is_sqlite(engine)
        self._lock = threading.Lock()
        self._conn: Connection | None = None
        self._timeout_ms = BUSY_TIMEOUT_MS
        self._database = ""
        self._turn: Turn | None = None
        self.syncs_after_commit = immediate and self._keep
        """True for the writer on SQLite: it flushes the log after every commit."""
        self._autocheckpoint = 0
        """The connection's own ``wal_autocheckpoint`` (pages), read when it connects."""
        self._gave_way_at: float | None = None
        """When the current call started giving way to a kiosk (:meth:`giving_way`)."""
        self._checkpoints_in_commit = True

    def _connection(self) -> Connection:
        if self._conn is None:
            conn = self.engine.connect().execution_options(desk_immediate=self.immediate)
            conn.connection.detach()  # kept for good: it does not hold one of the pool's places
            raw: Any = conn.connection.dbapi_connection
            self._timeout_ms = int(raw.execute("PRAGMA busy_timeout").fetchone()[0])
            self._database = raw.execute("PRAGMA database_list").fetchone()[2]
            if self.immediate and self.driver and self._database:
                self._turn = Turn(self._database)
            if self.syncs_after_commit and SYNC_AFTER_COMMIT:
                raw.execute("PRAGMA synchronous = NORMAL")  # the log is synced after it
            if self.immediate and self.driver:
                # the writer waits for the lock only in BEGIN IMMEDIATE, by polling;
                # once it holds the lock nothing it runs can meet a busy database
                raw.execute("PRAGMA busy_timeout = 0")
            self._autocheckpoint = int(raw.execute("PRAGMA wal_autocheckpoint").fetchone()[0])
            self._checkpoints_in_commit = True
            self._conn = conn
        return self._conn

    @contextmanager
    def transaction(self, *, urgent: bool = False) -> Iterator[Conn]:
        """One transaction (holding the write lock from its start if ``immediate``),
        committed at the end or rolled back. ``urgent`` (a kiosk's issue): the other
        writers on this file step back while it waits for the lock (:class:`Turn`)."""
        if not self._keep:
            with core_transaction(self.engine, immediate=self.immediate) as conn:
                yield conn
            return
        with self._lock:
            conn = self._connection()
            if not self.driver:
                with conn.begin():
                    yield conn
                self._committed()
                return
            driver: Any = conn.connection.dbapi_connection
            if self.immediate:
                self._checkpoint_in_commit(driver, not urgent)
            first = self.immediate and urgent and self._turn is not None
            with self._turn.waiting() if first and self._turn else nullcontext():
                # an urgent step keeps its mark to the end of its flush: the counters
                # give way to it (their calls and steps wait) until it has returned
                try:
                    if first:
                        _poll_begin_immediate(driver, self._timeout_ms, longest=0.0005)
                    elif self.immediate:
                        _poll_begin_immediate(
                            driver, self._timeout_ms, self._turn, polite=self._polite()
                        )
                    else:
                        driver.execute("BEGIN")
                except sqlite3.Error as exc:
                    raise _wrapped("BEGIN", exc) from exc
                try:
                    yield DriverTransaction(conn)
                except BaseException:
                    if driver.in_transaction:
                        driver.execute("ROLLBACK")
                    raise
                try:
                    driver.execute("COMMIT")
                except sqlite3.Error as exc:
                    if driver.in_transaction:
                        driver.execute("ROLLBACK")
                    raise _wrapped("COMMIT", exc) from exc
                self._committed()

    def _polite(self) -> float:
        """How long a step may still step back for a kiosk: what is left of
        :data:`YIELD_SECONDS` inside :meth:`giving_way`, all of it otherwise."""
        since = self._gave_way_at
        if since is None:
            return YIELD_SECONDS
        return max(0.0, YIELD_SECONDS - (time.monotonic() - since))

    @contextmanager
    def giving_way(self) -> Iterator[None]:
        """A counter's call: first wait while an urgent step (a kiosk's issue) is
        under way on this file, as the call's steps do before taking the lock, and
        for at most :data:`YIELD_SECONDS` for the whole call (the wait here and the
        steps' own), so a kiosk issuing back to back can never starve a counter."""
        self._gave_way_at = time.monotonic()
        try:
            self._give_way(self._gave_way_at + YIELD_SECONDS)
            yield
        finally:
            self._gave_way_at = None

    def _give_way(self, deadline: float) -> None:
        if not self.immediate or not self._keep:
            return
        delay = 0.0002
        while time.monotonic() < deadline:
            # under the lock: this process's own urgent step holds the mark on the
            # same file, which a check from another thread would release
            with self._lock:
                self._connection()
                if self._turn is None or self._turn.clear():
                    return
            time.sleep(delay * random.uniform(0.5, 1.5))
            delay = min(delay * 2, 0.002)

    def _checkpoint_in_commit(self, driver: Any, allowed: bool) -> None:
        """SQLite checkpoints the WAL inside the commit that makes it longer than
        ``wal_autocheckpoint`` pages (the backstop of :mod:`db.checkpoint`): copying
        pages and syncing the database file, tens of milliseconds under load. An
        urgent transaction (a citizen's ticket) never does: it commits with the
        automatic checkpoint off, and the writers' next ordinary commit (a counter's
        step) or the background thread does the checkpoint. A connection setting,
        changed only when an urgent transaction follows an ordinary one or back."""
        if allowed == self._checkpoints_in_commit:
            return
        pages = self._autocheckpoint if allowed else 0
        driver.execute(f"PRAGMA wal_autocheckpoint = {int(pages)}")
        self._checkpoints_in_commit = allowed

    def _committed(self) -> None:
        if self.syncs_after_commit and SYNC_AFTER_COMMIT and self._database:
            sync_wal(self._database)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None
            if self._turn is not None:
                self._turn.close()
                self._turn = None


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One unit of work that reads then writes, committed at the end.

    On SQLite the transaction starts with ``BEGIN IMMEDIATE`` so it holds the write
    lock from its first read; a competing writer waits up to the busy timeout.
    """
    with engine.connect() as conn:
        conn = conn.execution_options(desk_immediate=True)
        with Session(bind=conn, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise
