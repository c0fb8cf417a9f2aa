"""Property test: any sequence of queue operations keeps every invariant."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk import clock
from desk.center.runtime import Runtime
from desk.queue.check import check_invariants
from desk.queue.engine import Queue
from desk.queue.views import QueueError

SERVICES = list("ABCDEF")
CATEGORIES = [None, None, None, "elderly80_child6_severe", "elderly", "disabled"]
COUNTERS = list(range(1, 8))

op = st.one_of(
    st.tuples(st.just("issue"), st.sampled_from(SERVICES), st.sampled_from(CATEGORIES)),
    st.tuples(st.just("call"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("recall"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("start"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("no_show"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("finish"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("transfer_service"), st.sampled_from(COUNTERS), st.sampled_from(SERVICES)),
    st.tuples(st.just("transfer_counter"), st.sampled_from(COUNTERS), st.sampled_from(COUNTERS)),
    st.tuples(st.just("reactivate"), st.sampled_from(SERVICES), st.integers(1, 6)),
    st.tuples(st.just("pause"), st.sampled_from(COUNTERS), st.booleans()),
)


def test_random_operation_sequences_keep_the_invariants(runtime: Runtime) -> None:
    queue = Queue(runtime)
    day = [datetime(2027, 1, 4, 7, 0)]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(op, min_size=1, max_size=40))
    def run(ops: list[tuple[object, ...]]) -> None:
        day[0] += timedelta(days=1)  # every example is a fresh day on the same database
        now = [day[0]]
        clock.set_clock(lambda: now[0])
        for item in ops:
            now[0] += timedelta(seconds=37)
            name = item[0]
            try:
                if name == "issue":
                    issued = queue.issue(item[1], item[2])  # type: ignore[arg-type]
                    assert issued.ticket.status == "waiting"
                    assert issued.ahead is not None and issued.ahead >= 0
                elif name == "call":
                    called = queue.call_next(item[1])  # type: ignore[arg-type]
                    if called is not None:
                        assert called.status == "called" and called.counter == item[1]
                elif name == "recall":
                    queue.recall(item[1])  # type: ignore[arg-type]
                elif name == "start":
                    assert queue.start(item[1]).status == "serving"  # type: ignore[arg-type]
                elif name == "no_show":
                    queue.no_show(item[1])  # type: ignore[arg-type]
                elif name == "finish":
                    assert queue.finish(item[1]).status == "done"  # type: ignore[arg-type]
                elif name == "transfer_service":
                    queue.transfer(item[1], to_service=item[2])  # type: ignore[arg-type]
                elif name == "transfer_counter":
                    queue.transfer(item[1], to_counter=item[2])  # type: ignore[arg-type]
                elif name == "reactivate":
                    queue.reactivate(f"{item[1]}{item[2]:03d}")
                elif name == "pause":
                    queue.set_state(item[1], "paused" if item[2] else "open")  # type: ignore[arg-type]
            except QueueError:
                pass  # a refusal is allowed; it must leave nothing half-done
        assert check_invariants(queue.engine) == []
        for number in COUNTERS:
            status = queue.counter_status(number)
            assert all(t.status == "waiting" for t in status.waiting)

    run()
