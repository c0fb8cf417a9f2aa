"""Property test: with both fairness guards, appointments and the per-person limit on,
any sequence of queue operations keeps every invariant of the queue, a booking is
used at most once, and nobody holds two live tickets of one service."""

from __future__ import annotations

from collections import Counter as Tally
from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlmodel import select

from db.engine import read_session
from db.models import Appointment, Ticket
from desk import clock
from desk.center.config import Config
from desk.center.runtime import open_runtime
from desk.queue.appointments import Appointments, slot_starts
from desk.queue.check import check_invariants
from desk.queue.engine import Queue
from desk.queue.views import QueueError

SERVICES = list("ABC")
CATEGORIES = [None, None, "elderly80_child6_severe", "elderly"]
COUNTERS = list(range(1, 8))
PEOPLE = [None, None, "p1", "p2", "p3"]

op = st.one_of(
    st.tuples(
        st.just("issue"),
        st.sampled_from(SERVICES),
        st.sampled_from(CATEGORIES),
        st.sampled_from(PEOPLE),
    ),
    st.tuples(st.just("book"), st.sampled_from(SERVICES), st.integers(0, 4)),
    st.tuples(st.just("check_in"), st.integers(0, 9)),
    st.tuples(st.just("call"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("serve"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("no_show"), st.sampled_from(COUNTERS)),
    st.tuples(st.just("transfer"), st.sampled_from(COUNTERS), st.sampled_from(SERVICES)),
    st.tuples(st.just("release"), st.just(0)),
    st.tuples(st.just("wait"), st.integers(1, 40)),
)


def test_guards_and_appointments_keep_the_invariants(config: Config, db_url: str) -> None:
    priority = config.priority.model_copy(
        update={"policy": "everywhere", "regular_every": 2, "max_regular_wait_minutes": 10}
    )
    appt = config.appointments.model_copy(update={"capacity": 1, "slot_minutes": 15})
    changed = config.model_copy(update={"priority": priority, "appointments": appt})
    queue = Queue(open_runtime(changed, db_url))
    bookings = Appointments(queue)
    day = [datetime(2027, 1, 4, 7, 0)]

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(op, min_size=1, max_size=40))
    def run(ops: list[tuple[object, ...]]) -> None:
        day[0] += timedelta(days=1)
        while not slot_starts(changed, day[0].date()):
            day[0] += timedelta(days=1)
        now = [day[0].replace(hour=8)]
        clock.set_clock(lambda: now[0])
        codes: list[str] = []
        for item in ops:
            now[0] += timedelta(seconds=37)
            name = item[0]
            try:
                if name == "issue":
                    queue.issue(item[1], item[2], person_key=item[3])  # type: ignore[arg-type]
                elif name == "book":
                    start = now[0].replace(minute=0, second=0) + timedelta(minutes=15 * item[2])  # type: ignore[operator]
                    codes.append(bookings.book(item[1], start).code)  # type: ignore[arg-type]
                elif name == "check_in" and codes:
                    bookings.check_in(codes[int(item[1]) % len(codes)])  # type: ignore[call-overload]
                elif name == "call":
                    called = queue.call_next(item[1])  # type: ignore[arg-type]
                    if called is not None:
                        assert called.status == "called" and called.counter == item[1]
                elif name == "serve":
                    queue.start(item[1])  # type: ignore[arg-type]
                    queue.finish(item[1])  # type: ignore[arg-type]
                elif name == "no_show":
                    queue.no_show(item[1])  # type: ignore[arg-type]
                elif name == "transfer":
                    queue.transfer(item[1], to_service=item[2])  # type: ignore[arg-type]
                elif name == "release":
                    bookings.release_expired()
                elif name == "wait":
                    now[0] += timedelta(minutes=int(item[1]))  # type: ignore[call-overload]
            except QueueError:
                pass  # a refusal is allowed; it must leave nothing half-done
        assert check_invariants(queue.engine) == []
        with read_session(queue.engine) as session:
            tickets = list(session.exec(select(Ticket)))
            appts = list(session.exec(select(Appointment)))
        used = Tally(t.appointment_id for t in tickets if t.appointment_id is not None)
        assert all(k == 1 for k in used.values()), "a booking issued two booked tickets"
        by_id = {a.id: a for a in appts}
        for appt_id in used:
            assert by_id[appt_id].status == "checked_in"
        live = Tally(
            (t.day, t.service_id, t.person_key)
            for t in tickets
            if t.person_key
            and t.status in ("waiting", "called", "serving")
            and t.transferred_from_service_id is None  # an officer's transfer may join them
        )
        assert all(k == 1 for k in live.values()), "a person holds two live tickets"
        slots = Tally(
            (a.service_id, a.slot_start) for a in appts if a.status in ("booked", "checked_in")
        )
        assert all(k <= 1 for k in slots.values()), "a slot is over capacity"
        for number in COUNTERS:
            assert all(t.status == "waiting" for t in queue.counter_status(number).waiting)

    run()
