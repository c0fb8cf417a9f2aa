"""Invariants of the ticket queue, checked on a database after any workload.

Used by the multi-process and property tests and by ``bench/queue_bench.py``.
Returns a list of violations (empty when everything holds)."""

from __future__ import annotations

from collections import Counter as Tally
from collections import defaultdict

from sqlalchemy import Engine, select
from sqlmodel import col

from db.engine import read_session
from db.models import Ticket, TicketEvent

VALID = {"waiting", "called", "serving", "done", "no_show", "cancelled"}


def check_invariants(engine: Engine) -> list[str]:
    problems: list[str] = []
    with read_session(engine) as session:
        tickets = list(session.execute(select(Ticket)).scalars())
        events = session.execute(
            select(col(TicketEvent.ticket_id), col(TicketEvent.kind), col(TicketEvent.counter_id))
        ).all()
    numbers = Tally((t.center_id, t.day, t.number) for t in tickets)
    problems += [f"number {n} issued {k} times on {d}" for (_, d, n), k in numbers.items() if k > 1]
    seqs: dict[tuple[int, object, str], list[int]] = defaultdict(list)
    for t in tickets:
        seqs[(t.center_id, t.day, t.prefix)].append(t.seq)
        if t.status not in VALID:
            problems.append(f"{t.number}: unknown status {t.status}")
        if t.number != f"{t.prefix}{t.seq:03d}":
            problems.append(f"{t.number}: number does not match prefix and sequence {t.seq}")
        if t.status in ("called", "serving", "done") and t.called_at is None and t.status != "done":
            problems.append(f"{t.number}: {t.status} without a call time")
        if t.called_at is not None and t.called_at < t.issued_at:
            problems.append(f"{t.number}: called before it was issued")
    for (_, day, prefix), values in seqs.items():
        if sorted(values) != list(range(1, len(values) + 1)):
            problems.append(f"{prefix} on {day}: sequence has gaps or repeats")
    active = Tally(t.counter_id for t in tickets if t.status in ("called", "serving"))
    problems += [f"counter id {c} has {k} active tickets" for c, k in active.items() if k > 1]
    # a ticket is called once per time it entered the queue (issue, reactivate, transfer)
    entered = Tally(
        tid for tid, kind, _ in events if kind in ("issued", "reactivated", "transferred")
    )
    called = Tally(tid for tid, kind, _ in events if kind == "called")
    for tid, k in called.items():
        if k > entered[tid]:
            problems.append(f"ticket id {tid} called {k} times but queued {entered[tid]} times")
    issued = Tally(tid for tid, kind, _ in events if kind == "issued")
    if set(issued) != {t.id for t in tickets} or any(k != 1 for k in issued.values()):
        problems.append("issued events do not match tickets one to one")
    return problems
