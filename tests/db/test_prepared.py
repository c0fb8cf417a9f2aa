"""db.prepared runs Core statements through SQLAlchemy or on the driver (the queue's
kept connections): what the driver layer stores and reads must be exactly what
SQLAlchemy itself stores and reads, on SQLite and PostgreSQL, its errors must be
SQLAlchemy's, and the engine's events must see its statements."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, bindparam, event, select
from sqlalchemy.exc import IntegrityError, OperationalError

from db.engine import KeptConnection, core_transaction, make_engine, read_session
from db.migrate import ensure_schema
from db.models import DailySequence, Ticket
from db.prepared import Conn, Prepared, insert_of
from desk.center.config import Config
from desk.center.runtime import open_runtime

TICKET = Ticket.__table__  # type: ignore[attr-defined]
AT = datetime(2026, 11, 23, 9, 30, 0, 0)  # no microseconds: a value the driver's own
# date adapter would store differently from SQLAlchemy ("…09:30:00" vs "…09:30:00.000000")


def ticket_values(number: str, at: datetime, center: int, service: int) -> dict[str, object]:
    return {
        "center_id": center,
        "service_id": service,
        "day": at.date(),
        "prefix": number[0],
        "seq": int(number[1:]),
        "number": number,
        "issued_at": at,
        "queued_at": at,
        "issue_hour": at.hour,
        "issue_weekday": 1,
        "updated_at": at,
    }


@contextmanager
def transaction(engine: Engine, path: str, immediate: bool = True) -> Iterator[Conn]:
    """A transaction through plain SQLAlchemy Core, or on the driver layer (the
    queue's kept connection)."""
    if path == "core":
        with core_transaction(engine, immediate=immediate) as conn:
            yield conn
        return
    kept = KeptConnection(engine, immediate=immediate)
    try:
        with kept.transaction() as conn:
            yield conn
    finally:
        kept.close()


@pytest.fixture(params=["driver", "core"])
def path(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'p.db'}"
    return str(request.getfixturevalue("pg_url"))


def test_rows_round_trip_exactly_as_sqlalchemy_stores_them(
    url: str, path: str, config: Config
) -> None:
    runtime = open_runtime(config, url)
    engine, ids = runtime.engine, (runtime.ids.center, runtime.ids.services["A"])
    add = Prepared(insert_of(TICKET, ticket_values("A001", AT, *ids)), engine.dialect)
    with transaction(engine, path) as conn:
        first = add.one_or_none(conn, ticket_values("A001", AT, *ids))
        add.run(conn, ticket_values("A002", AT.replace(microsecond=250), *ids))
    # RETURNING gives the stored row, scalar defaults filled in as SQLAlchemy would
    assert (first.number, first.status, first.recall_count, first.version) == (
        "A001",
        "waiting",
        0,
        1,
    )
    assert first.issued_at == AT and first.day == date(2026, 11, 23)
    with core_transaction(
        engine, immediate=True
    ) as conn:  # and SQLAlchemy's own writes and reads agree
        conn.execute(TICKET.insert().values(ticket_values("A003", AT, *ids)))
        same = select(TICKET.c.number).where(TICKET.c.issued_at == AT).order_by(TICKET.c.id)
        assert list(conn.execute(same).scalars()) == ["A001", "A003"]
        exact = Prepared(same.where(TICKET.c.issued_at == bindparam("at")), engine.dialect)
        assert [r.number for r in exact.all(conn, {"at": AT})] == ["A001", "A003"]
        conn.execute(TICKET.delete().where(TICKET.c.number == "A003"))
    with read_session(engine) as session:  # the ORM reads the same values back
        stored = session.execute(select(Ticket).order_by(Ticket.id)).scalars().all()  # type: ignore[arg-type]
        assert [(t.number, t.issued_at, t.day) for t in stored] == [
            ("A001", AT, date(2026, 11, 23)),
            ("A002", AT.replace(microsecond=250), date(2026, 11, 23)),
        ]
    # comparisons in SQL see the same representation (a range on issued_at, an
    # expanded IN list of constants)
    pick = Prepared(
        select(TICKET.c.number, TICKET.c.issued_at)
        .where(
            TICKET.c.issued_at >= bindparam("since"),
            TICKET.c.number.in_(["A001", "A002", "A009"]),
        )
        .order_by(TICKET.c.id),
        engine.dialect,
    )
    with transaction(engine, path) as conn:
        assert [tuple(r) for r in pick.all(conn, {"since": AT})] == [
            ("A001", AT),
            ("A002", AT.replace(microsecond=250)),
        ]
        assert [r.number for r in pick.all(conn, {"since": AT.replace(microsecond=1)})] == ["A002"]
        with pytest.raises(KeyError, match="since"):
            pick.all(conn, {})


def test_errors_are_sqlalchemys_and_leave_nothing_behind(url: str, path: str) -> None:
    engine = make_engine(url)
    ensure_schema(engine)
    table = DailySequence.__table__  # type: ignore[attr-defined]
    add = Prepared(insert_of(table, ["scope", "day", "last"], []), engine.dialect)
    row = {"scope": "ticket:1:A", "day": date(2026, 11, 23), "last": 1}
    with transaction(engine, path) as conn:
        add.run(conn, row)
    with pytest.raises(IntegrityError), transaction(engine, path) as conn:
        add.run(conn, {**row, "scope": "ticket:1:B"})
        add.run(conn, row)  # the same scope and day again: rolled back, B too
    count = Prepared(select(table.c.scope), engine.dialect)
    with transaction(engine, path) as conn:
        assert [r.scope for r in count.all(conn)] == ["ticket:1:A"]
    with engine.connect() as conn, pytest.raises(RuntimeError, match="transaction"):
        count.all(conn)  # never in the driver's autocommit mode


def test_a_locked_database_raises_sqlalchemys_operational_error(tmp_path: Path) -> None:
    path = tmp_path / "l.db"
    engine = make_engine(f"sqlite:///{path}", busy_timeout_ms=100)
    ensure_schema(engine)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    table = DailySequence.__table__  # type: ignore[attr-defined]
    add = Prepared(insert_of(table, ["scope", "day", "last"], []), engine.dialect)
    try:
        # a deferred transaction, so the insert itself meets the lock
        for way in ("core", "driver"):
            with (
                pytest.raises(OperationalError, match="locked"),
                transaction(engine, way, immediate=False) as conn,
            ):
                add.run(conn, {"scope": "s", "day": date(2026, 11, 23), "last": 1})
    finally:
        holder.execute("ROLLBACK")
        holder.close()


def test_the_engines_events_see_the_driver_layers_statements(tmp_path: Path) -> None:
    """The driver layer keeps SQLAlchemy's cursor events (and echo): a listener sees
    each statement before and after it runs, with its parameters, and may rewrite
    it as with SQLAlchemy's own execution."""
    engine = make_engine(f"sqlite:///{tmp_path / 'e.db'}")
    ensure_schema(engine)
    table = DailySequence.__table__  # type: ignore[attr-defined]
    add = Prepared(insert_of(table, ["scope", "day", "last"], []), engine.dialect)
    rows = Prepared(select(table.c.scope).order_by(table.c.scope), engine.dialect)
    seen: list[tuple[str, str, object]] = []

    @event.listens_for(engine, "before_cursor_execute", retval=True)
    def _before(conn, cursor, statement, params, context, many):  # type: ignore[no-untyped-def]
        seen.append(("before", statement.split()[0], params))
        if statement.startswith("SELECT"):
            statement += " LIMIT 1"
        return statement, params

    @event.listens_for(engine, "after_cursor_execute")
    def _after(conn, cursor, statement, params, context, many):  # type: ignore[no-untyped-def]
        seen.append(("after", statement.split()[0], params))

    for path in ("driver", "core"):
        seen.clear()
        with transaction(engine, path) as conn:
            add.run(conn, {"scope": f"{path}-a", "day": date(2026, 11, 23), "last": 1})
            add.run(conn, {"scope": f"{path}-b", "day": date(2026, 11, 23), "last": 1})
            assert [r.scope for r in rows.all(conn)] == ["core-a" if path == "core" else "driver-a"]
        kinds = [(when, verb) for when, verb, _ in seen if verb in ("INSERT", "SELECT")]
        assert kinds == [("before", "INSERT"), ("after", "INSERT")] * 2 + [
            ("before", "SELECT"),
            ("after", "SELECT"),
        ], path
        assert any("driver-a" in str(p) or "core-a" in str(p) for _, _, p in seen)
