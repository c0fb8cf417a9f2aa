"""Database: connection settings, file permissions, migrations that keep data."""

from __future__ import annotations

import stat
from datetime import datetime
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from db import engine as db_engine
from db.engine import SMALL_CACHE_KIB, make_engine, safe_url
from db.migrate import HEAD, MIGRATIONS, _alembic_config, current_revision, ensure_schema, upgrade
from db.models import metadata
from desk.center.config import Config
from desk.center.runtime import open_runtime
from desk.errors import DatabaseError


def test_every_sqlite_connection_has_wal_foreign_keys_and_busy_timeout(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    for _ in range(3):  # several pooled connections, each configured
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 5000
            conn.rollback()


@pytest.mark.parametrize("read_only", [False, True])
def test_only_the_roles_that_read_reports_keep_a_large_page_cache(
    tmp_path: Path, config: Config, read_only: bool
) -> None:
    from desk.cli.roles import reads_reports

    url = f"sqlite:///{tmp_path / 'a.db'}"
    open_runtime(config, url).engine.dispose()  # the file, migrated
    seen = {}
    for role in ("kiosk", "board", "counter", "rate", "admin"):
        rt = open_runtime(config, url, read_only=read_only, large_reads=reads_reports(role))
        with rt.engine.connect() as conn:
            cache = conn.exec_driver_sql("PRAGMA cache_size").scalar()
            mapped = conn.exec_driver_sql("PRAGMA mmap_size").scalar()
            seen[role] = (cache, mapped)
            conn.rollback()
        rt.engine.dispose()
        if rt.lock is not None:
            rt.lock.release()
    small, large = (-SMALL_CACHE_KIB, 0), (-65536, 268435456)  # 512 KB; 64 MB, mapped
    assert seen == {"kiosk": small, "board": small, "counter": small, "rate": small, "admin": large}


def test_a_writer_waits_for_the_lock_then_gets_in_or_gives_up_cleanly(tmp_path: Path) -> None:
    """desk's own wait for the write lock: a writer gets in once another process lets
    go; past the busy timeout it fails with "database is locked" having done nothing;
    either way the connection keeps its busy timeout for later reads."""
    import sqlite3
    import threading

    from sqlalchemy.exc import OperationalError

    from db.engine import write_session

    path = tmp_path / "w.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=3000)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("INSERT INTO t VALUES (1)")
    releaser = threading.Timer(0.3, lambda: holder.execute("COMMIT"))
    releaser.start()
    with write_session(engine) as session:  # waits for the holder's commit
        session.execute(text("INSERT INTO t VALUES (2)"))
    releaser.join()
    with engine.connect() as conn:
        assert [r[0] for r in conn.exec_driver_sql("SELECT x FROM t ORDER BY x")] == [1, 2]
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 3000

    impatient = make_engine(f"sqlite:///{path}", busy_timeout_ms=200)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"), write_session(impatient) as session:
            session.execute(text("INSERT INTO t VALUES (3)"))
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with impatient.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM t").scalar() == 2
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 200


def _tickets_in_main_file(path: Path, copy: Path) -> int:
    """Tickets found in the database file alone, as if its WAL were lost."""
    import shutil
    import sqlite3

    shutil.copyfile(path, copy)
    conn = sqlite3.connect(copy)
    try:
        return int(conn.execute("SELECT count(*) FROM ticket").fetchone()[0])
    except sqlite3.OperationalError:  # not even the schema is in the file yet
        return 0
    finally:
        conn.close()


@pytest.mark.parametrize("background", [True, False])
def test_a_long_running_role_checkpoints_the_wal_in_the_background(
    tmp_path: Path, config: Config, background: bool
) -> None:
    """Commits of a kiosk or counter process leave the WAL to a background thread
    (SQLite's own checkpoint stays only as a far backstop); within a few seconds
    the tickets are in the database file itself. Without it, a few tickets stay in
    the WAL until 1,000 pages accumulate."""
    import time

    from db.checkpoint import BACKSTOP_PAGES
    from desk.queue.engine import Queue

    path = tmp_path / "desk.db"
    runtime = open_runtime(config, f"sqlite:///{path}", background_checkpoints=background)
    try:
        with runtime.engine.connect() as conn:
            expected = BACKSTOP_PAGES if background else 1000
            assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == expected
            conn.rollback()
        queue = Queue(runtime)
        for _ in range(5):
            queue.issue("A")
        deadline = time.monotonic() + (5 if background else 1.5)
        found = 0
        while time.monotonic() < deadline and found < 5:
            time.sleep(0.2)
            found = _tickets_in_main_file(path, tmp_path / "copy.db")
        assert found == (5 if background else 0)
    finally:
        if runtime.checkpointer is not None:
            runtime.checkpointer.stop()
    assert (runtime.checkpointer is not None) == background


def test_foreign_keys_are_enforced(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    ensure_schema(engine)
    with engine.connect() as conn, pytest.raises(Exception, match="FOREIGN KEY"):
        conn.execute(
            text(
                "INSERT INTO service (center_id, prefix, kiosk_key, name_vi, name_en, fields, active)"
                " VALUES (999, 'A', '1', 'x', 'x', '', 1)"
            )
        )
        conn.commit()


def test_database_file_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "desk.db"
    ensure_schema(make_engine(f"sqlite:///{path}"))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_head_constant_matches_alembic_head() -> None:
    cfg = _alembic_config(None)
    assert ScriptDirectory.from_config(cfg).get_current_head() == HEAD
    assert MIGRATIONS.is_dir()


def test_migrations_build_exactly_the_models(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'a.db'}")
    assert ensure_schema(engine) is True
    assert ensure_schema(engine) is False
    with engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
    assert diff == []


def test_upgrade_from_first_revision_keeps_every_row(tmp_path: Path) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0001")
    assert current_revision(engine) == "0001"
    stamp = datetime(2026, 3, 2, 8, 0)
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO center (id, agency_code, name, name_en, agency, place, address, hotline, updated_at)"
                " VALUES (1, '000.31.27.H31', 'Trung tâm', '', '', '', '', '', :t)"
            ),
            {"t": stamp},
        )
        for i in range(1, 41):
            conn.execute(
                text(
                    "INSERT INTO procedure (code, name, field, day_type, same_day_rule, fee_note,"
                    " status, confidence, legal_basis, version, updated_at)"
                    " VALUES (:c, :n, 'Hộ tịch', 'working', '', '', 'active', '', '', 1, :t)"
                ),
                {"c": f"1.{i:06d}", "n": f"Thủ tục đăng ký khai sinh số {i}", "t": stamp},
            )
        conn.execute(
            text(
                "INSERT INTO service (id, center_id, prefix, kiosk_key, name_vi, name_en, fields, active)"
                " VALUES (1, 1, 'A', '1', 'Hộ tịch', 'Civil status', '', 1)"
            )
        )
        for seq in range(1, 26):
            conn.execute(
                text(
                    "INSERT INTO ticket (center_id, service_id, day, prefix, seq, number, status,"
                    " issued_at, queued_at, recall_count, version, updated_at)"
                    " VALUES (1, 1, '2026-03-02', 'A', :s, :n, 'waiting', :t, :t, 0, 1, :t)"
                ),
                {"s": seq, "n": f"A{seq:03d}", "t": stamp},
            )
    upgrade(engine)
    assert current_revision(engine) == HEAD
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM procedure")).scalar() == 40
        assert conn.execute(text("SELECT count(*) FROM ticket")).scalar() == 25
        assert conn.execute(text("SELECT count(*) FROM center")).scalar() == 1
        row = conn.execute(text("SELECT search_text FROM procedure WHERE code = '1.000007'")).one()
        assert row[0] == "1.000007 thu tuc dang ky khai sinh so 7 ho tich"
        assert "search_text" in {c["name"] for c in inspect(conn).get_columns("procedure")}


def test_network_share_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, config: Config
) -> None:
    monkeypatch.setattr(db_engine, "filesystem_type", lambda path: "nfs4")
    with pytest.raises(DatabaseError, match="nằm trên ổ mạng \\(nfs4\\)"):
        open_runtime(config, f"sqlite:///{tmp_path / 'share' / 'desk.db'}")


def test_filesystem_type_of_a_local_directory_is_known(tmp_path: Path) -> None:
    assert db_engine.filesystem_type(tmp_path) not in (None, *db_engine.NETWORK_FILESYSTEMS)


def test_passwords_never_appear_in_database_errors(config: Config) -> None:
    url = "postgresql+psycopg://center:s3cret-pw@127.0.0.1:1/desk"
    assert "s3cret-pw" not in safe_url(url)
    with pytest.raises(DatabaseError) as info:
        open_runtime(config, url)
    assert "s3cret-pw" not in str(info.value)
    assert "127.0.0.1" in str(info.value)


def test_postgresql_database_is_created_by_migrating(pg_url: str, config: Config) -> None:
    runtime = open_runtime(config, pg_url)
    assert current_revision(runtime.engine) == HEAD
    with runtime.engine.connect() as conn:
        diff = compare_metadata(
            MigrationContext.configure(conn, opts={"compare_type": True}), metadata
        )
        assert diff == []
        assert conn.execute(text("SELECT count(*) FROM counter")).scalar() == 7


def test_a_kept_connection_commits_rolls_back_and_survives_a_locked_database(
    tmp_path: Path,
) -> None:
    """The queue's kept connection (transactions begun and ended on the driver on
    SQLite): a step that fails leaves nothing, a lock held past the timeout is
    SQLAlchemy's "database is locked", and the connection works again after both."""
    import sqlite3

    from sqlalchemy import bindparam, column, insert, select, table
    from sqlalchemy.exc import OperationalError

    from db.engine import KeptConnection
    from db.prepared import Prepared

    path = tmp_path / "k.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=150)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER UNIQUE)")
    t = table("t", column("x"))
    add = Prepared(insert(t).values(x=bindparam("x")), engine.dialect)
    rows = Prepared(select(t.c.x).order_by(t.c.x), engine.dialect)
    writer = KeptConnection(engine, immediate=True)
    with writer.transaction() as conn:
        add.run(conn, {"x": 1})
    with pytest.raises(RuntimeError), writer.transaction() as conn:
        add.run(conn, {"x": 2})
        raise RuntimeError("power cut")
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(OperationalError, match="locked"), writer.transaction() as conn:
            add.run(conn, {"x": 3})
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    with writer.transaction() as conn:
        add.run(conn, {"x": 4})
        assert [r.x for r in rows.all(conn)] == [1, 4]
    writer.close()


def test_kept_connections_leave_the_pool_to_everyone_else(tmp_path: Path) -> None:
    """Each Queue keeps two connections; they are not the pool's, so any number of
    Queues (and the screens' reads) never wait for a pooled connection."""
    from db.engine import KeptConnection

    engine = make_engine(f"sqlite:///{tmp_path / 'p.db'}")
    kept = [KeptConnection(engine, immediate=i % 2 == 0) for i in range(10)]
    for k in kept:
        with k.transaction() as conn:
            assert conn is not None
    assert engine.pool.checkedout() == 0  # type: ignore[attr-defined]
    for k in kept:
        k.close()


def test_every_connection_that_writes_commits_durably(tmp_path: Path, config: Config) -> None:
    """A power cut must not roll back a commit that returned (a ticket handed out, a
    receipt printed): every SQLite connection desk writes on runs with
    ``synchronous = FULL`` (2) in WAL mode — the pool's, the queue's kept reader, the
    WAL checkpoint thread's, and the one migrations run on — except the queue's kept
    writer, which commits with NORMAL (1) and flushes the log itself after every
    commit, before its step returns."""
    from sqlalchemy import column, event, select, table

    from db.checkpoint import Checkpointer
    from db.engine import KeptConnection
    from db.prepared import Prepared

    full = 2
    url = f"sqlite:///{tmp_path / 'd.db'}"
    engine = make_engine(url)
    seen: list[int] = []

    @event.listens_for(engine, "before_cursor_execute")
    def _record(conn, cursor, statement, params, context, many):  # type: ignore[no-untyped-def]
        seen.append(cursor.connection.execute("PRAGMA synchronous").fetchone()[0])

    ensure_schema(engine)  # the migrations' connection
    assert seen and set(seen) == {full}
    event.remove(engine, "before_cursor_execute", _record)
    for _ in range(3):
        with engine.connect() as conn:
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
            assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == full
            conn.rollback()
    setting = Prepared(
        select(column("synchronous")).select_from(table("pragma_synchronous")), engine.dialect
    )
    for immediate in (True, False):
        for driver in (True, False):
            kept = KeptConnection(engine, immediate=immediate, driver=driver)
            with kept.transaction() as tx:
                assert (setting.scalar(tx), kept.syncs_after_commit) == (
                    (1, True) if immediate else (full, False)
                )
            kept.close()
    assert db_engine.SYNC_AFTER_COMMIT
    checkpointer = Checkpointer(tmp_path / "d.db", every=60).start()
    try:
        assert checkpointer.connected.wait(10)
        assert checkpointer.synchronous == full
    finally:
        checkpointer.stop()
    runtime = open_runtime(config, url, background_checkpoints=True)
    assert runtime.checkpointer is not None
    assert runtime.checkpointer.connected.wait(10)
    assert runtime.checkpointer.synchronous == full
    runtime.checkpointer.stop()


def test_counters_step_back_while_a_kiosk_waits_for_the_write_lock(tmp_path: Path) -> None:
    """A kiosk waiting for the write lock marks its turn; another process's counter
    then steps back before taking the lock (for at most YIELD_SECONDS, so a kiosk
    can never starve it), and takes it at once when no kiosk waits."""
    import time

    from db.engine import YIELD_SECONDS, KeptConnection, Turn

    path = tmp_path / "t.db"
    engine = make_engine(f"sqlite:///{path}")
    counter = KeptConnection(engine, immediate=True)
    with counter.transaction() as conn:
        assert conn is not None
    kiosk = Turn(str(path))  # another open file: as another process's
    other = Turn(str(path))
    assert other.clear()
    with kiosk.waiting():
        assert not other.clear()
        started = time.monotonic()
        with counter.transaction():
            waited = time.monotonic() - started
    assert waited >= YIELD_SECONDS
    assert other.clear()
    with counter.transaction(urgent=True):  # a kiosk's own issue marks and clears it
        assert not other.clear()  # kept to the end of its step, flush included
    assert other.clear()
    for turn in (kiosk, other):
        turn.close()
    counter.close()
