"""The people ahead of a priority ticket are those called before it under the
configured policy. With ``dedicated`` (the sample) priority tickets go first only at
the priority counter, which serves every service: it calls the priority tickets of
all its services by tier and queue time, so a priority ticket of Hộ tịch (A) waits
behind one of Chứng thực (B) issued before it. The kiosk said 0 (it counted only
the priority tickets of its own service)."""

from __future__ import annotations

from datetime import datetime

from desk import clock
from desk.center.config import Config
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from tests.queue.test_engine import Clock, with_config
from tests.screens.person import press_as_a_person
from tests.screens.test_counter import settle, text_of


def test_a_priority_ticket_counts_the_priority_counters_queue(runtime: Runtime) -> None:
    tick = Clock(datetime(2026, 11, 23, 8, 0))
    clock.set_clock(tick)
    q = Queue(runtime)
    assert runtime.config.priority.policy == "dedicated"
    for _ in range(3):
        q.issue("A")
        tick.tick(seconds=30)
    q.issue("B", "elderly")
    tick.tick(seconds=30)
    moved = q.issue("C")
    q.call_next(4)
    q.transfer(4, to_counter=7)  # C001 now waits for counter 7 first
    tick.tick(seconds=30)
    mine = q.issue("A", "elderly")
    assert mine.ahead == 2  # C001 transferred there, then ★B001
    assert q.issue("A", "elderly80_child6_severe").ahead == 1  # tier 1: only C001
    assert q.issue("A").ahead == 5  # the A tickets, the priority ones included
    assert moved.ticket.number == "C001"
    # the priority counter's real order: C001, the tier-1 ticket issued last, then
    # ★B001 and ★A004 (whose count was taken before ★A005 was issued)
    order = []
    for _ in range(4):
        called = q.call_next(7)
        assert called is not None
        order.append(called.number)
        q.start(7)
    assert order == ["C001", "A005", "B001", mine.ticket.number]


def test_everywhere_counts_the_priority_tickets_of_its_service(config: Config, db_url: str) -> None:
    clock.set_clock(Clock(datetime(2026, 11, 23, 8, 0)))
    q = with_config(config, db_url, policy="everywhere")
    q.issue("A")
    q.issue("B", "elderly")
    q.issue("A", "elderly")
    assert q.issue("A", "elderly").ahead == 1


def test_without_a_priority_counter_a_priority_ticket_waits_its_turn(
    config: Config, db_url: str
) -> None:
    from desk.center.runtime import open_runtime

    clock.set_clock(Clock(datetime(2026, 11, 23, 8, 0)))
    counters = [c.model_copy(update={"priority": False}) for c in config.counters]
    q = Queue(open_runtime(config.model_copy(update={"counters": counters}), db_url))
    q.issue("A")
    q.issue("A")
    assert q.issue("A", "elderly").ahead == 2


async def test_the_kiosk_tells_a_priority_citizen_who_is_ahead(
    runtime: Runtime, open_hours: None
) -> None:
    Queue(runtime).issue("B", "elderly")
    kiosk = DeskApp(runtime, role="kiosk")
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(kiosk, pilot)
        await press_as_a_person(pilot, "0", "2", "1")  # priority, elderly, Hộ tịch
        await settle(kiosk, pilot)
        assert text_of(kiosk, "#ticket-ahead") == "Có 1 người đang chờ trước bạn"


def test_a_closed_priority_counter_leaves_priority_tickets_to_the_open_counters_order(
    runtime: Runtime,
) -> None:
    """The first walk: counter 7 (priority) closed, counter 1 open. Counter 1 calls
    first come, first served under ``dedicated``, so ★A003 has two people before it
    and ★A005 four; the kiosk said nobody (it counted the closed counter's queue)."""
    tick = Clock(datetime(2026, 11, 23, 8, 0))
    clock.set_clock(tick)
    q = Queue(runtime)
    q.set_state(1, "open")
    counts = {}
    for category in (None, None, "elderly", None, "elderly80_child6_severe"):
        issued = q.issue("A", category)
        counts[issued.ticket.number] = issued.ahead
        tick.tick(seconds=30)
    assert counts == {"A001": 0, "A002": 1, "A003": 2, "A004": 3, "A005": 4}
    order = []
    for _ in range(5):
        called = q.call_next(1)
        assert called is not None
        order.append(called.number)
        q.start(1)
    assert order == ["A001", "A002", "A003", "A004", "A005"]  # as counted


def test_the_first_open_counter_to_reach_a_ticket_sets_the_count(runtime: Runtime) -> None:
    """With the priority counter open too, it reaches ★A003 first: nobody before it,
    and ★A005 (tier 1) goes before ★A003 there."""
    tick = Clock(datetime(2026, 11, 23, 8, 0))
    clock.set_clock(tick)
    q = Queue(runtime)
    q.set_state(1, "open")
    q.set_state(7, "open")
    counts = {}
    for category in (None, None, "elderly", None, "elderly80_child6_severe"):
        issued = q.issue("A", category)
        counts[issued.ticket.number] = issued.ahead
        tick.tick(seconds=30)
    assert counts == {"A001": 0, "A002": 1, "A003": 0, "A004": 3, "A005": 0}
    first = q.call_next(7)
    assert first is not None and first.number == "A005"


async def test_the_kiosk_counts_a_priority_ticket_at_the_open_counter(
    runtime: Runtime, open_hours: None
) -> None:
    q = Queue(runtime)
    q.set_state(1, "open")  # the priority counter 7 stays closed
    q.issue("A")
    q.issue("A")
    kiosk = DeskApp(runtime, role="kiosk")
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(kiosk, pilot)
        await press_as_a_person(pilot, "0", "2", "1")  # priority, elderly, Hộ tịch
        await settle(kiosk, pilot)
        assert text_of(kiosk, "#ticket-ahead") == "Có 2 người đang chờ trước bạn"
