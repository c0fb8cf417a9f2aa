"""The commands that only read write nothing, and so serve a read-only copy."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import datetime
from pathlib import Path

from desk import clock
from desk.center.accounts import Actor
from desk.center.config import Config
from desk.center.runtime import Runtime, open_runtime
from desk.queue.engine import Queue
from tests.center.test_config import desk
from tests.conftest import SUPERVISOR, SUPERVISOR_ENV, desk_here


def test_a_read_only_copy_serves_every_read_command(
    runtime: Runtime, staff: dict[str, Actor], db_url: str, tmp_path: Path
) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    q = Queue(runtime)
    q.issue("A")
    q.call_next(1)
    copy = tmp_path / "backup" / "desk.db"
    copy.parent.mkdir()
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as src, sqlite3.connect(copy) as dst:
        src.backup(dst)
    copy.chmod(0o444)
    before = hashlib.sha256(copy.read_bytes()).hexdigest()
    env = {"DESK_DB": f"sqlite:///{copy}"}
    for args in (
        ("audit", "verify"),
        ("sync", "status"),
        ("holidays", "list", "--year", "2026"),
        ("report", *SUPERVISOR, "--from", "2026-11-01", "--to", "2026-11-30"),
    ):
        done = desk_here(*args, env={**env, **SUPERVISOR_ENV})
        assert done.returncode == 0, (args, done.stderr)
        assert done.stderr == ""
        # root ignores file modes: the bytes prove that nothing was written
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == before, args
    verified = desk_here("audit", "verify", env=env)
    assert verified.stdout.startswith("Nhật ký kiểm tra nguyên vẹn: ")
    listed = desk_here("holidays", "list", "--year", "2026", env=env).stdout
    assert "2026-09-02" in listed
    wal = copy.with_name("desk.db-wal")  # SQLite's reader bookkeeping only, no pages
    assert not wal.exists() or wal.stat().st_size == 0


def test_read_commands_write_nothing_on_the_live_database(
    runtime: Runtime, staff: dict[str, Actor], db_url: str
) -> None:
    path = db_url.removeprefix("sqlite:///")

    def counts() -> tuple[int, int]:
        with sqlite3.connect(path) as conn:
            audit = conn.execute("SELECT count(*) FROM audit_event").fetchone()[0]
            outbox = conn.execute("SELECT count(*) FROM outbox").fetchone()[0]
        return audit, outbox

    before = counts()
    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}
    for args in (
        ("audit", "verify"),
        ("sync", "status"),
        ("holidays", "list"),
        ("report", *SUPERVISOR, "--from", "2026-11-01", "--to", "2026-11-30"),
    ):
        done = desk_here(*args, env=env)
        assert done.returncode == 0, (args, done.stderr)
        assert counts() == before, args


def test_holidays_list_of_a_year_never_seeded_on_a_read_only_database(
    tmp_path: Path, config: Config
) -> None:
    """A read-only listing of another year shows the package and the official days
    from memory; it writes nothing (it used to try to seed the year and crash)."""
    db = tmp_path / "desk.db"
    open_runtime(config, f"sqlite:///{db}")
    before = db.read_bytes()
    done = desk(  # a process of its own: it used to end in a traceback
        "holidays", "list", "--year", "2031", env={"DESK_DB": f"sqlite:///{db}"}
    )
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    assert "2031-01-01" in done.stdout and "2031-09-02" in done.stdout
    assert db.read_bytes() == before
