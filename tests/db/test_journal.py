"""The queue's hot path writes with Core statements through db.journal: its outbox
and audit rows must be exactly what the ORM's session events would have written."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from datetime import datetime

import pytest
from sqlmodel import col, select

from db import audit
from db.engine import make_engine, read_session, write_session
from db.journal import Journal
from db.models import AuditEvent, Officer, Outbox, Setting, Ticket, TicketEvent
from db.outbox import snapshot
from desk import clock
from desk.center.accounts import Actor
from desk.center.config import Config
from desk.center.runtime import Runtime, open_runtime
from desk.queue.engine import Queue
from desk.queue.views import QueueBusy


@pytest.fixture(autouse=True)
def _fixed_clock() -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 30))


def a_day(queue: Queue, officer_id: int) -> None:
    """Every step of the queue: issue, call, start, finish (also through the next
    call), a call that finds nobody, recalls, a no-show and its return, a transfer
    and a reassignment."""
    queue.issue("A")
    queue.issue("A", "elderly")
    queue.set_state(1, "open")
    queue.call_next(1, officer_id)
    queue.start(1, officer_id)
    queue.call_next(1, officer_id)  # finishes the first, calls the second
    queue.start(1, officer_id)
    queue.finish(1, "intake", officer_id)
    assert queue.call_next(1, officer_id) is None
    queue.issue("A")
    queue.call_next(1, officer_id)
    queue.recall(1, officer_id)
    queue.recall(1, officer_id)
    queue.no_show(1, officer_id)
    queue.reactivate("A003", officer_id)
    queue.call_next(1, officer_id)
    queue.transfer(1, to_service="B", officer_id=officer_id)
    queue.reassign("A003", 3, officer_id)


def check_rows(engine: object) -> None:
    with read_session(engine) as session:  # type: ignore[arg-type]
        outbox = session.execute(select(Outbox).order_by(col(Outbox.id))).scalars().all()
        latest = {(o.entity, o.entity_id): o for o in outbox}
        tickets = session.execute(select(Ticket).order_by(col(Ticket.id))).scalars().all()
        # A001 issued, called, started, finished; A002 issued, called, started, finished;
        # A003 issued, called, recalled twice, no-show, back, called, transferred, reassigned
        assert [t.version for t in tickets] == [4, 4, 9]
        assert tickets[2].service_id == 2 and tickets[2].target_counter_id == 3
        assert tickets[2].transferred_from_service_id == 1 and tickets[2].status == "waiting"
        for ticket in tickets:
            sent = latest[("ticket", ticket.id)]
            assert json.loads(sent.payload) == json.loads(
                json.dumps(snapshot(ticket), ensure_ascii=False, sort_keys=True)
            )
            assert sent.version == ticket.version
        events = session.execute(select(TicketEvent)).scalars().all()
        assert sorted(e.kind for e in events) == sorted(
            ["issued"] * 3
            + ["called"] * 4
            + ["started", "started", "finished", "finished"]
            + ["recalled", "recalled", "no_show", "reactivated", "transferred", "reassigned"]
        )
        for event in events:
            assert json.loads(latest[("ticket_event", event.id)].payload) == json.loads(
                json.dumps(snapshot(event), sort_keys=True)
            )
        entries = session.execute(select(AuditEvent)).scalars().all()
        for entry in entries:
            assert ("audit_event", entry.id) in latest
        count, broken = audit.verify(session)
        assert broken is None and count == len(entries)


def ticket_entries(engine: object) -> list[tuple[str, dict[str, object], int | None]]:
    with read_session(engine) as session:  # type: ignore[arg-type]
        rows = session.execute(
            select(AuditEvent)
            .where(col(AuditEvent.entity) == "ticket")
            .order_by(col(AuditEvent.id))
        ).scalars()
        return [(e.action, json.loads(e.detail), e.officer_id) for e in rows]


def test_hot_path_writes_the_rows_the_orm_would(runtime: Runtime, staff: dict[str, object]) -> None:
    officer = staff["canbo"]
    assert isinstance(officer, Actor)
    a_day(Queue(runtime), officer.id)
    check_rows(runtime.engine)
    entries = ticket_entries(runtime.engine)
    assert [action for action, _, _ in entries] == (
        ["create", "create"] + ["update"] * 6 + ["create"] + ["update"] * 8
    )
    created = entries[1][1]
    assert created["number"] == "A002" and created["priority_category"] == "elderly"
    assert "updated_at" not in created and "version" not in created
    called = entries[2]
    assert called[1]["status"] == "called" and called[1]["wait_seconds"] == 0
    assert called[2] == officer.id
    # only what changed, as the ORM's entries: a first call leaves recall_count at 0
    assert "recall_count" not in called[1] and "target_counter_id" not in called[1]
    assert entries[3][1] == {"status": "serving", "started_at": "2026-11-23T09:30:00"}
    assert entries[-1][1] == {"target_counter_id": 3}  # the reassignment
    assert entries[-2][1]["service_id"] == 2  # the transfer


def test_hot_path_on_postgresql(config: Config, pg_url: str) -> None:
    runtime = open_runtime(config, pg_url)
    with write_session(runtime.engine) as session:
        officer = Officer(username="pg", full_name="Cán bộ", created_at=clock.now())
        session.add(officer)
        session.flush()
        assert officer.id is not None
        officer_id = officer.id
    a_day(Queue(runtime), officer_id)
    check_rows(runtime.engine)


def test_a_unit_that_fails_leaves_nothing(runtime: Runtime) -> None:
    queue = Queue(runtime)
    queue.issue("A")
    with read_session(runtime.engine) as session:
        head = session.get(Setting, audit.HEAD_KEY)
        before = (head.value if head else None, session.execute(select(Outbox)).all())
    with pytest.raises(RuntimeError), write_session(runtime.engine) as session:
        journal = Journal(session.connection(), clock.now())
        journal.update(Ticket, 1, {"status": "called", "updated_at": clock.now()})
        journal.close()
        raise RuntimeError("power cut")
    with read_session(runtime.engine) as session:
        head = session.get(Setting, audit.HEAD_KEY)
        assert (head.value if head else None, session.execute(select(Outbox)).all()) == before
        assert session.get(Ticket, 1).status == "waiting"  # type: ignore[union-attr]


def test_an_idle_counter_is_answered_without_the_write_lock(runtime: Runtime, db_url: str) -> None:
    """Counters pressing F2 with nobody waiting never queue for the write lock, so
    they cannot hold up the kiosk; with somebody waiting, the call needs the lock."""
    impatient = dataclasses.replace(runtime, engine=make_engine(db_url, busy_timeout_ms=100))
    queue = Queue(impatient)
    queue.set_state(1, "open")
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        assert queue.call_next(1) is None
        holder.execute("INSERT INTO setting (key, value) VALUES ('held', '')")
        holder.execute("COMMIT")
        queue.issue("A")
        holder.execute("BEGIN IMMEDIATE")
        with pytest.raises(QueueBusy):
            queue.call_next(1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    called = queue.call_next(1)
    assert called is not None and called.number == "A001"
