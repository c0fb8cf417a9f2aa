"""Call next and the idle check cost the same at the end of a 5,000-ticket day as
at its start: their statements search the day's waiting tickets through an index
(ix_ticket_waiting), never every ticket of the day."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

import pytest

from desk import clock
from desk.center.config import Config
from desk.center.runtime import Runtime, open_runtime
from desk.queue.engine import Queue

NOW = datetime(2026, 11, 23, 15, 0)


@pytest.fixture(autouse=True)
def _fixed_clock() -> None:
    clock.set_clock(lambda: NOW)


def drivers(queue: Queue) -> list[sqlite3.Connection]:
    """The driver connections the queue keeps for its steps and its reads."""
    return [k._connection().connection.dbapi_connection for k in (queue._writer, queue._reader)]  # type: ignore[misc]


@contextmanager
def statements(queue: Queue) -> Iterator[list[str]]:
    """Every SQL statement the queue runs inside the block, values filled in."""
    seen: list[str] = []
    for driver in drivers(queue):
        driver.set_trace_callback(seen.append)
    try:
        yield seen
    finally:
        for driver in drivers(queue):
            driver.set_trace_callback(None)


@contextmanager
def instructions(queue: Queue) -> Iterator[list[int]]:
    """SQLite virtual-machine instructions the queue runs inside the block: the work
    a statement does, whatever the machine's load."""
    count = [0]

    def tick() -> int:
        count[0] += 1
        return 0

    for driver in drivers(queue):
        driver.set_progress_handler(tick, 1)
    try:
        yield count
    finally:
        for driver in drivers(queue):
            driver.set_progress_handler(None, 1)


def served_today(runtime: Runtime, n: int) -> None:
    """``n`` tickets issued and served earlier today (status done)."""
    service = runtime.ids.services["A"]
    rows = [
        (
            runtime.ids.center,
            service,
            date(2026, 11, 23).isoformat(),
            "Y",
            seq,
            f"Y{seq:03d}",
            "done",
            "2026-11-23 08:00:00.000000",
            "2026-11-23 08:00:00.000000",
            "2026-11-23 08:00:00.000000",
        )
        for seq in range(1, n + 1)
    ]
    with runtime.engine.begin() as conn:
        conn.connection.dbapi_connection.executemany(  # type: ignore[union-attr]
            "INSERT INTO ticket (center_id, service_id, day, prefix, seq, number, status, "
            "issued_at, queued_at, updated_at, recall_count, version) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 1)",
            rows,
        )


def plans(runtime: Runtime, reads: list[str]) -> list[tuple[str, str]]:
    """Each statement with its EXPLAIN QUERY PLAN."""
    raw = runtime.engine.raw_connection()
    try:
        return [
            (sql, "\n".join(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {sql}")))
            for sql in reads
        ]
    finally:
        raw.close()


WAITING_INDEXES = ("ix_ticket_waiting", "ix_ticket_tier", "ix_ticket_routed")


@pytest.mark.parametrize("policy", ["dedicated", "everywhere"])
def test_call_next_and_the_idle_check_read_the_waiting_tickets_in_index_order(
    config: Config, db_url: str, policy: str
) -> None:
    """Whatever order a counter follows (an ordinary counter, the priority counter,
    priority first everywhere, the regular_every turn), its call reads the waiting
    tickets through an index already in its order: no table scan, no sort."""
    priority = config.priority.model_copy(update={"policy": policy, "regular_every": 1})
    runtime = open_runtime(config.model_copy(update={"priority": priority}), db_url)
    queue = Queue(runtime)
    for number in (1, 2, 7):
        queue.set_state(number, "open")
    for category in (None, "elderly", None, "elderly", None, None):
        queue.issue("A", category)
    queue.issue("B")
    with statements(queue) as seen:
        # with policy everywhere, counter 1's third call is the regular turn
        for number in (1, 1, 1, 7, 2, 2, 7):
            assert queue.call_next(number) is not None
            queue.start(number)
            queue.finish(number)
        assert queue.call_next(1) is None  # the idle read
        assert queue.call_next(7) is None
    waiting = [
        s
        for s in seen
        if s.lstrip().upper().startswith("SELECT") and "ticket" in s and "'waiting'" in s
    ]
    assert len(waiting) >= 7
    for sql, plan in plans(runtime, waiting):
        assert "SCAN ticket" not in plan, f"{sql}\n{plan}"
        assert "TEMP B-TREE" not in plan, f"{sql}\n{plan}"
        searches = [
            line.replace("COVERING INDEX", "INDEX")
            for line in plan.splitlines()
            if "SEARCH ticket" in line
        ]
        assert searches, f"{sql}\n{plan}"
        for line in searches:
            assert (
                any(
                    f"USING INDEX {ix} (center_id=? AND day=? AND status=?" in line
                    for ix in WAITING_INDEXES
                )
                or "USING INDEX ix_ticket_queue (center_id=? AND status=?" in line
            ), f"{sql}\n{plan}"
    shapes = {sql.count("UNION ALL") for sql in waiting}
    assert len(shapes) >= 3, shapes  # several counters' orders were exercised


def test_a_call_costs_the_same_after_5000_tickets_as_after_50(
    runtime: Runtime, tmp_path: object
) -> None:
    def cost(queue: Queue) -> tuple[int, int]:
        queue.issue("A")
        with instructions(queue) as called:
            assert queue.call_next(1) is not None
        queue.start(1)
        queue.finish(1)
        with instructions(queue) as idle:
            assert queue.call_next(1) is None
        return called[0], idle[0]

    queue = Queue(runtime)
    queue.set_state(1, "open")
    served_today(runtime, 50)
    cost(queue)  # compiles every statement once
    early = cost(queue)
    with runtime.engine.begin() as conn:
        conn.exec_driver_sql("DELETE FROM ticket WHERE prefix = 'Y'")
    served_today(runtime, 5000)
    late = cost(queue)
    assert late[0] <= early[0] * 1.1 + 50, (early, late)
    assert late[1] <= early[1] * 1.1 + 50, (early, late)
