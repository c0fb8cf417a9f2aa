"""Property test: the call's pick on SQLite (the index-ordered heads of
Queue._probes, ranked in Python by Queue._rank) is the first ticket of the SQL order
of Queue._build_candidates, for any waiting queue, counter and policy."""

from __future__ import annotations

import sqlite3
from datetime import date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk import clock
from desk.center.config import Config
from desk.center.runtime import open_runtime
from desk.queue.engine import Queue

DAY = date(2026, 11, 23)
NOW = datetime(2026, 11, 23, 10, 0)

ticket = st.tuples(
    st.sampled_from("ABCDEF"),
    st.sampled_from([None, None, None, 1, 2, 7]),  # transferred to a counter
    st.sampled_from([None, None, None, 1]),  # checked in from a booking
    st.sampled_from([None, None, 1, 2]),  # priority tier
    st.integers(0, 90),  # minutes queued before now (ties included)
    st.sampled_from(["waiting", "waiting", "waiting", "done"]),
)


@pytest.mark.parametrize("policy", ["dedicated", "everywhere"])
def test_the_probes_pick_the_first_ticket_of_the_sql_order(
    config: Config, tmp_path: Any, policy: str
) -> None:
    clock.set_clock(lambda: NOW)
    priority = config.priority.model_copy(
        update={"policy": policy, "regular_every": 2, "max_regular_wait_minutes": 45}
    )
    url = f"sqlite:///{tmp_path / 'pick.db'}"
    runtime = open_runtime(config.model_copy(update={"priority": priority}), url)
    queue = Queue(runtime)
    raw = sqlite3.connect(tmp_path / "pick.db", isolation_level=None)
    # appointment_id 1 names no booking: this connection does not enforce foreign keys
    counters = [(number, cid) for number, cid in runtime.ids.counters.items()]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(ticket, max_size=25))
    def run(tickets: list[tuple[Any, ...]]) -> None:
        raw.execute("DELETE FROM ticket")
        for seq, (prefix, target, booking, tier, minutes, status) in enumerate(tickets, 1):
            queued = (NOW - timedelta(minutes=minutes)).isoformat(" ", "microseconds")
            raw.execute(
                "INSERT INTO ticket (center_id, service_id, day, prefix, seq, number, status,"
                " issued_at, queued_at, updated_at, recall_count, version, priority_tier,"
                " target_counter_id, appointment_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                " 0, 1, ?, ?, ?)",
                (
                    runtime.ids.center,
                    runtime.ids.services[prefix],
                    DAY.isoformat(),
                    prefix,
                    seq,
                    f"{prefix}{seq:03d}",
                    status,
                    queued,
                    queued,
                    queued,
                    tier,
                    None if target is None else runtime.ids.counters[target],
                    booking,
                ),
            )
        with queue._writer.transaction() as conn:
            for number, counter_id in counters:
                is_priority = number == 7
                services = queue._services_of[counter_id]
                for turn in (False, True) if queue._guarded(is_priority) else (False,):
                    params = queue._candidate_params(NOW)
                    by_sql = queue._pick(counter_id, is_priority, services, False, turn)
                    expected = by_sql.one_or_none(conn, params)
                    got = queue._first_waiting(conn, counter_id, is_priority, services, turn, NOW)
                    assert (got and got.id) == (expected and expected.id), (number, turn)

    try:
        run()
    finally:
        raw.close()
