"""Opening the runtime: every role does it on start, so a start on an unchanged
configuration reads and writes nothing else, and never waits for the write lock."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

import pytest
from sqlmodel import func, select

from db.engine import make_engine, read_session
from db.models import AuditEvent, Counter, Outbox
from desk.center.config import Config
from desk.center.runtime import open_runtime


def counts(url: str) -> tuple[int, int]:
    """(audit entries, outbox rows)."""
    engine = make_engine(url)
    with read_session(engine) as s:
        audit = s.exec(select(func.count()).select_from(AuditEvent)).one()
        outbox = s.exec(select(func.count()).select_from(Outbox)).one()
    engine.dispose()
    return audit, outbox


def test_a_start_on_an_unchanged_config_writes_nothing(config: Config, db_url: str) -> None:
    first = open_runtime(config, db_url)
    before = counts(db_url)
    again = open_runtime(config, db_url)
    assert again.ids == first.ids
    assert counts(db_url) == before  # no audit entry, nothing to sync


def test_a_changed_config_is_mirrored_on_the_next_start(config: Config, db_url: str) -> None:
    first = open_runtime(config, db_url)
    audit, _ = counts(db_url)
    renamed = config.model_copy(
        update={
            "counters": [
                c.model_copy(update={"name": "Quầy tiếp nhận"}) if c.number == 2 else c
                for c in config.counters[:-1]
            ]
        }
    )
    again = open_runtime(renamed, db_url)
    assert again.ids.counters == {n: i for n, i in first.ids.counters.items() if n != 7}
    with read_session(again.engine) as s:
        rows = {c.number: (c.name, c.active) for c in s.exec(select(Counter))}
    assert rows[2] == ("Quầy tiếp nhận", True)
    assert rows[7][1] is False  # removed from the file: kept, inactive
    assert counts(db_url)[0] > audit  # the change is in the audit trail
    back = open_runtime(config, db_url)  # and back again
    assert back.ids == first.ids


def test_a_role_starts_while_another_process_holds_the_write_lock(
    config: Config, db_url: str
) -> None:
    open_runtime(config, db_url)
    path = Path(db_url.removeprefix("sqlite:///"))
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # a counter in the middle of a call, for a long time
    try:
        start = time.monotonic()
        rt = open_runtime(config, db_url)
        assert time.monotonic() - start < 2.0  # the busy timeout is 5 s
        assert rt.ids.counters
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_postgresql_lost_after_opening_is_one_line_without_the_password(
    config: Config, pg_url: str
) -> None:
    """The server cut the connection while a command ran (stopped, restarted): the
    command line shows one line naming the database, its password hidden, not the
    traceback it showed."""
    import psycopg
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError

    from desk.center.runtime import known_problem

    url = pg_url.replace("postgres@", "postgres:s3cret@", 1)  # trust: any password
    assert url != pg_url
    rt = open_runtime(config, url)
    try:
        with rt.engine.connect() as conn:
            # a statement that ran out of time is not a lost server: it stays a bug
            conn.execute(text("SET statement_timeout = 1"))
            with pytest.raises(OperationalError) as timed_out:
                conn.execute(text("SELECT pg_sleep(1)"))
            assert known_problem(timed_out.value) is None
            conn.rollback()
            pid = conn.execute(text("SELECT pg_backend_pid()")).scalar()
            with psycopg.connect(pg_url.replace("+psycopg", ""), autocommit=True) as other:
                other.execute("SELECT pg_terminate_backend(%s)", (pid,))
            with pytest.raises(OperationalError) as raised:
                conn.execute(text("SELECT 1"))
    finally:
        rt.close()
    problem = known_problem(raised.value)
    assert problem is not None
    said = str(problem)
    assert said.startswith(pg_url.replace("postgres@", "postgres:***@", 1) + ": ")
    assert "cơ sở dữ liệu ngừng trả lời (" in said and "s3cret" not in said
    assert "\n" not in said
    # anything else stays what it is: a bug shows as one
    assert known_problem(ValueError("x")) is None


def test_an_error_after_opening_names_the_database_opened_not_desk_db(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The demo opens its own demo.db, not DESK_DB's default desk.db: a damaged
    file met after opening was named as desk.db (a file that may not exist)."""
    from desk.center.runtime import known_problem

    monkeypatch.delenv("DESK_DB", raising=False)
    demo = tmp_path / "demo.db"
    open_runtime(config, f"sqlite:///{demo}").close()
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"JUNK" * 1024)
    with pytest.raises(sqlite3.DatabaseError) as raised:
        sqlite3.connect(junk).execute("SELECT * FROM sqlite_master")
    problem = known_problem(raised.value)
    assert problem is not None
    assert str(problem).startswith(f"{demo}: tệp cơ sở dữ liệu bị hỏng (file is not a database)")
