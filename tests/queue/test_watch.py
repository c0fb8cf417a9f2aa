"""The change watch: a commit by anyone else moves it, nothing else does, and a
poller's follower reads when the database, the minute or the safety net says so."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta

from db.engine import make_engine, sqlite_path
from desk import clock
from desk.center.config import Config
from desk.center.runtime import Runtime, open_runtime
from desk.queue.engine import Queue
from desk.queue.ratings import rate
from desk.queue.watch import ChangeWatch, Follower
from tests.fake_printer import closed_port


def test_sqlite_sees_commits_of_other_processes_and_of_this_process(runtime: Runtime) -> None:
    watch = runtime.changes
    first = watch.version()
    assert [watch.version() for _ in range(5)] == [first] * 5  # nothing changed
    Queue(runtime).issue("A")  # this process's queue writer: another connection
    after_issue = watch.version()
    assert after_issue != first
    assert watch.version() == after_issue
    path = sqlite_path(runtime.url)
    subprocess.run(  # another process, with nothing of desk
        [
            sys.executable,
            "-c",
            "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]);"
            " c.execute(\"UPDATE setting SET value = value WHERE key = 'none'\");"
            " c.execute(\"INSERT INTO setting (key, value) VALUES ('watch.test', '1')\");"
            " c.commit()",
            str(path),
        ],
        check=True,
    )
    assert watch.version() != after_issue


def test_sqlite_reads_hold_no_transaction_open(runtime: Runtime) -> None:
    """Asking never keeps a read transaction (which would hold WAL checkpoints back)."""
    watch = runtime.changes
    watch.version()
    Queue(runtime).issue("A")
    watch.version()
    raw = sqlite3.connect(str(sqlite_path(runtime.url)))
    busy, _log, checkpointed = raw.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    raw.close()
    assert busy == 0 and _log == checkpointed == 0


def test_a_watch_that_cannot_answer_reports_a_change_every_time() -> None:
    engine = make_engine(f"postgresql+psycopg://desk@127.0.0.1:{closed_port()}/desk")
    watch = ChangeWatch(engine)
    answers = [watch.version() for _ in range(3)]
    assert len(set(answers)) == 3
    engine.dispose()


def test_the_follower_reads_on_a_change_a_new_minute_or_the_safety_net(runtime: Runtime) -> None:
    now = [datetime(2026, 12, 7, 9, 0, 10)]
    clock.set_clock(lambda: now[0])
    seconds = [100.0]
    follower = Follower(runtime.changes, safety_seconds=45, monotonic=lambda: seconds[0])
    mark = follower.due()
    assert mark is not None  # never read
    assert follower.due() is not None  # read, but not shown yet
    follower.shown(mark)
    assert follower.due() is None
    Queue(runtime).issue("A")
    mark = follower.due()
    assert mark is not None  # the database changed
    follower.shown(mark)
    now[0] += timedelta(seconds=40)
    seconds[0] += 40
    assert follower.due() is None  # same minute, within the safety net
    now[0] += timedelta(seconds=15)  # 09:01:05: a waiting ticket may be overdue now
    mark = follower.due()
    assert mark is not None
    follower.shown(mark)
    seconds[0] += 44
    assert follower.due() is None
    seconds[0] += 1
    mark = follower.due()
    assert mark is not None  # the safety net
    follower.shown(mark)
    assert follower.due() is None
    follower.forget()
    assert follower.due() is not None


def moved(watch: ChangeWatch, since: int) -> int:
    """The watch's version once it has moved from ``since`` (a notification reaches
    the listener just after the commit returns), within five seconds."""
    deadline = time.monotonic() + 5
    while (version := watch.version()) == since:
        assert time.monotonic() < deadline, "no notification within 5 s"
        time.sleep(0.01)
    return version


def test_postgresql_hears_a_commit_of_another_connection(pg_url: str, config: Config) -> None:
    runtime = open_runtime(config, pg_url)
    other = open_runtime(config, pg_url)  # another process's engine
    try:
        watch = runtime.changes
        first = watch.version()
        assert [watch.version() for _ in range(5)] == [first] * 5
        issued = Queue(other).issue("A").ticket
        after_issue = moved(watch, first)
        assert [watch.version() for _ in range(5)] == [after_issue] * 5  # one per commit
        Queue(other).call_next(1)
        after_call = moved(watch, after_issue)
        Queue(other).start(1)
        after_call = moved(watch, after_call)
        Queue(other).finish(1)
        after_finish = moved(watch, after_call)
        assert rate(other.engine, issued.id, 3, "terminal")
        moved(watch, after_finish)
    finally:
        other.close()
        runtime.close()
