"""WAL checkpoints off the kiosk's path: the background thread restarts a log its
readers never all leave, and a kiosk's issue never checkpoints inside its commit."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import event

import db.checkpoint
from db.checkpoint import RESTART_FRAMES, Checkpointer
from desk.center.config import Config
from desk.center.runtime import open_runtime
from desk.queue.engine import Queue
from tests.db.test_engine import _tickets_in_main_file


def _frames(path: Path) -> int:
    """Frames in the log since it last started over (a checkpoint that copies
    nothing new: the log's first number)."""
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        return int(conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()[1])
    finally:
        conn.close()


def test_a_log_its_readers_never_all_leave_is_restarted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A reader that began while the log had frames not yet copied keeps a mark in
    it, and SQLite's writer does not start the log over while one does: under the
    flood counters are always in some read, and the log grew by thousands of pages
    a second. The thread's round holds writers off while the log's readers finish
    (here one finishes once the round holds the lock), so the next write starts the
    log over."""
    monkeypatch.setattr(db.checkpoint, "RESTART_WAIT_MS", 30_000)  # a slow machine
    path = tmp_path / "w.db"
    writer = sqlite3.connect(path, isolation_level=None)
    writer.execute("PRAGMA journal_mode = WAL")
    writer.execute("PRAGMA wal_autocheckpoint = 0")  # only the thread's round checkpoints
    writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, data BLOB)")
    for _ in range(RESTART_FRAMES):
        writer.execute("INSERT INTO t (data) VALUES (zeroblob(3000))")
    reader = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    reader.execute("BEGIN")
    assert reader.execute("SELECT count(*) FROM t").fetchone()[0] == RESTART_FRAMES
    before = _frames(path)  # copies every frame: the reader's are the last ones
    writer.execute("INSERT INTO t (data) VALUES (zeroblob(3000))")
    assert _frames(path) > before  # the reader kept the log from starting over

    round_over = threading.Event()

    def finish_reading_once_writers_are_held_off() -> None:
        probe = sqlite3.connect(path, isolation_level=None, timeout=0)
        try:
            while not round_over.is_set():
                try:
                    probe.execute("BEGIN IMMEDIATE")
                    probe.execute("ROLLBACK")
                except sqlite3.OperationalError:  # locked: the round holds the writers off
                    reader.execute("COMMIT")
                    return
        finally:
            probe.close()

    helper = threading.Thread(target=finish_reading_once_writers_are_held_off)
    helper.start()
    conn = sqlite3.connect(path, isolation_level=None, timeout=0, check_same_thread=False)
    try:
        Checkpointer(path).checkpoint(conn)
    finally:
        round_over.set()
        helper.join()
        conn.close()
    if reader.in_transaction:  # the round never held the writers off
        reader.execute("COMMIT")
    # a reader that starts now reads the database file and holds nothing in the log
    late = sqlite3.connect(path, isolation_level=None)
    late.execute("BEGIN")
    assert late.execute("SELECT count(*) FROM t").fetchone()[0] == RESTART_FRAMES + 1
    writer.execute("INSERT INTO t (data) VALUES (zeroblob(3000))")
    late.execute("COMMIT")
    assert _frames(path) < 10  # the log started over
    for c in (late, reader, writer):
        c.close()


def test_a_kiosks_issue_never_checkpoints_inside_its_commit(tmp_path: Path, config: Config) -> None:
    """The backstop checkpoint runs inside the commit that crosses it: with it at a
    single page here, every commit would copy the WAL into the database file. A
    kiosk's issue commits with it off; a counter's next step on the same writer
    runs it as before, so the backstop still holds."""
    path = tmp_path / "desk.db"
    runtime = open_runtime(config, f"sqlite:///{path}")

    @event.listens_for(runtime.engine, "connect")
    def _backstop_at_one_page(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA wal_autocheckpoint = 1")

    runtime.engine.dispose()  # the connections made so far were made without it
    queue = Queue(runtime)
    queue.set_state(1, "open")  # an ordinary commit: checkpointed at once
    base = _tickets_in_main_file(path, tmp_path / "copy.db")
    queue.issue("A")
    queue.issue("A")
    assert _tickets_in_main_file(path, tmp_path / "copy.db") == base
    assert queue.call_next(1) is not None  # a counter's step: the backstop runs
    assert _tickets_in_main_file(path, tmp_path / "copy.db") == base + 2
