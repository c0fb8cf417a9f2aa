"""One procedure for audit and outbox rows: the same change written through the ORM
(session events) and through the queue's Core path (db.journal) leaves the same
audit entries and outbox rows, field by field, hashes included."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlmodel import col

from db import audit
from db.engine import core_transaction, read_session, write_session
from db.journal import Journal
from db.models import AuditEvent, Counter, Officer, Outbox, Ticket, TicketEvent
from desk import clock
from desk.center.config import Config
from desk.center.runtime import open_runtime

AT = datetime(2026, 11, 23, 9, 30)
LATER = datetime(2026, 11, 23, 9, 41, 7)


@pytest.fixture(autouse=True)
def _fixed_clock() -> None:
    clock.set_clock(lambda: AT)


def ticket_values(service_id: int, center_id: int) -> dict[str, Any]:
    return {
        "center_id": center_id,
        "service_id": service_id,
        "day": date(2026, 11, 23),
        "prefix": "A",
        "seq": 1,
        "number": "A001",
        "priority_category": "elderly",
        "priority_tier": 1,
        "status": "waiting",
        "issued_at": AT,
        "queued_at": AT,
        "recall_count": 0,
        "issue_hour": 9,
        "issue_weekday": 1,
        "version": 1,
        "updated_at": AT,
    }


def a_database(config: Config, path: Path) -> tuple[Engine, dict[str, int]]:
    """A center database with one officer acting, identical wherever it is made."""
    audit.set_actor(None)
    runtime = open_runtime(config, f"sqlite:///{path}")
    with write_session(runtime.engine) as session:
        officer = Officer(username="canbo", full_name="Nguyễn Văn A", created_at=AT)
        session.add(officer)
        session.flush()
        assert officer.id is not None
        audit.set_actor(officer.id)
    ids = {
        "center": runtime.ids.center,
        "service": runtime.ids.services["A"],
        "counter": runtime.ids.counters[1],
        "officer": officer.id,
    }
    return runtime.engine, ids


# Each path flushes (ORM) or closes its journal (Core) after each row, so both write
# their rows in the same order.


def through_the_orm(engine: Engine, ids: dict[str, int]) -> None:
    with write_session(engine) as session:
        ticket = Ticket(**ticket_values(ids["service"], ids["center"]))
        session.add(ticket)
        session.flush()
        assert ticket.id is not None
        session.add(TicketEvent(ticket_id=ticket.id, kind="issued", at=AT))
    clock.set_clock(lambda: LATER)
    with write_session(engine) as session:
        ticket = session.execute(select(Ticket)).scalar_one()
        assert ticket.id is not None
        ticket.status = "called"
        ticket.counter_id = ids["counter"]
        ticket.called_at = LATER
        ticket.recall_count = 0  # set, but unchanged: not in the entry
        ticket.version += 1
        ticket.updated_at = LATER
        session.flush()
        counter = session.get(Counter, ids["counter"])
        assert counter is not None
        counter.state = "paused"
        counter.updated_at = LATER
        session.flush()
        session.add(TicketEvent(ticket_id=ticket.id, kind="called", at=LATER))


def through_the_journal(engine: Engine, ids: dict[str, int]) -> None:
    with core_transaction(engine, immediate=True) as conn:
        journal = Journal(conn, AT)
        row = journal.insert(Ticket, ticket_values(ids["service"], ids["center"]))
        journal.close()
        journal.insert(TicketEvent, {"ticket_id": row["id"], "kind": "issued", "at": AT})
        journal.close()
    clock.set_clock(lambda: LATER)
    with core_transaction(engine, immediate=True) as conn:
        journal = Journal(conn, LATER)
        before = conn.execute(select(Ticket.__table__)).one()  # type: ignore[attr-defined]
        journal.update(
            Ticket,
            row["id"],
            {
                "status": "called",
                "counter_id": ids["counter"],
                "called_at": LATER,
                "recall_count": 0,
                "updated_at": LATER,
            },
            before=before,
        )
        journal.close()
        journal.update(Counter, ids["counter"], {"state": "paused", "updated_at": LATER})
        journal.close()
        journal.insert(TicketEvent, {"ticket_id": row["id"], "kind": "called", "at": LATER})
        journal.close()


def rows(engine: Engine, model: type) -> list[tuple[Any, ...]]:
    table = model.__table__  # type: ignore[attr-defined]
    with read_session(engine) as session:
        return [tuple(r) for r in session.execute(select(table).order_by(table.c.id))]


def test_the_orm_and_the_journal_write_the_same_audit_and_outbox_rows(
    config: Config, tmp_path: Path
) -> None:
    orm_engine, ids = a_database(config, tmp_path / "orm.db")
    through_the_orm(orm_engine, ids)
    clock.set_clock(lambda: AT)
    core_engine, core_ids = a_database(config, tmp_path / "core.db")
    assert core_ids == ids
    through_the_journal(core_engine, ids)

    for model in (AuditEvent, Outbox, Ticket, TicketEvent, Counter):
        orm_rows, core_rows = rows(orm_engine, model), rows(core_engine, model)
        assert len(orm_rows) == len(core_rows), model.__name__
        for orm_row, core_row in zip(orm_rows, core_rows, strict=True):
            assert orm_row == core_row, model.__name__
    # and what they hold is what the rules say
    with read_session(core_engine) as session:
        entries = list(session.execute(select(AuditEvent).order_by(col(AuditEvent.id))).scalars())
        assert audit.verify(session) == (len(entries), None)
        steps = [e for e in entries if e.entity in ("ticket", "counter") and e.at == LATER]
        assert [(e.entity, e.action, e.officer_id) for e in steps] == [
            ("ticket", "update", ids["officer"]),
            ("counter", "update", ids["officer"]),
        ]
        assert steps[0].detail == (
            f'{{"called_at": "2026-11-23T09:41:07", "counter_id": {ids["counter"]}, '
            '"status": "called"}'
        )
        sent = list(session.execute(select(Outbox).order_by(col(Outbox.id))).scalars())
        # the ticket's new version, its entry's own row, the counter's entry (a counter
        # is not sent upstream), the event
        assert [(o.entity, o.version) for o in sent[-4:]] == [
            ("ticket", 2),
            ("audit_event", 1),
            ("audit_event", 1),
            ("ticket_event", 1),
        ]
