"""Priority without starvation (the two guards) and one live ticket per person."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

import pytest

from desk import clock
from desk.center.config import Config
from desk.center.runtime import open_runtime
from desk.queue.engine import Queue
from desk.queue.views import AlreadyHolding


class Clock:
    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def tick(self, **kw: float) -> None:
        self.at += timedelta(**kw)


@pytest.fixture
def tick() -> Clock:
    c = Clock(datetime(2026, 11, 23, 8, 0))
    clock.set_clock(c)
    return c


def queue_with(config: Config, db_url: str, section: str = "priority", **values: Any) -> Queue:
    part = getattr(config, section).model_copy(update=values)
    return Queue(open_runtime(config.model_copy(update={section: part}), db_url))


def serve(queue: Queue, counter: int) -> str:
    """Call the next ticket at ``counter`` and serve it; its number."""
    called = queue.call_next(counter)
    assert called is not None
    queue.start(counter)
    queue.finish(counter)
    return called.number


def six_minutes(config: Config) -> Config:
    """The sample with 6 minutes per ticket: service A has counter 1 and half of
    counter 2 (which also serves B), 1.5 ordinary counters, so a regular A ticket's
    turn is 4 minutes away per ticket ahead of it, itself included."""
    queue = config.queue.model_copy(update={"default_service_minutes": 6})
    return config.model_copy(update={"queue": queue})


def test_strict_priority_serves_every_priority_ticket_first(
    config: Config, db_url: str, tick: Clock
) -> None:
    q = queue_with(config, db_url, policy="everywhere", regular_every=0, max_regular_wait_minutes=0)
    q.issue("A")
    for _ in range(3):
        tick.tick(minutes=1)
        q.issue("A", "elderly")
    assert [serve(q, 1) for _ in range(4)] == ["A002", "A003", "A004", "A001"]


def test_after_regular_every_priority_calls_the_counter_takes_the_oldest_regular(
    config: Config, db_url: str, tick: Clock
) -> None:
    q = queue_with(config, db_url, policy="everywhere", regular_every=2, max_regular_wait_minutes=0)
    q.issue("A")  # A001 regular
    tick.tick(minutes=1)
    q.issue("A")  # A002 regular
    for _ in range(4):
        tick.tick(minutes=1)
        q.issue("A", "elderly")  # A003 … A006
    order = [serve(q, 1) for _ in range(6)]
    assert order == ["A003", "A004", "A001", "A005", "A006", "A002"]


def test_the_streak_is_per_counter_and_falls_back_to_priority_when_no_regular_waits(
    config: Config, db_url: str, tick: Clock
) -> None:
    q = queue_with(config, db_url, policy="everywhere", regular_every=1, max_regular_wait_minutes=0)
    for _ in range(3):
        tick.tick(minutes=1)
        q.issue("A", "elderly")
    # counter 1's turn for a regular, but nobody regular waits: the priority ticket
    assert [serve(q, 1), serve(q, 1)] == ["A001", "A002"]
    q.issue("A")  # A004 regular
    # counter 2 called no priority ticket yet: priority first there
    assert serve(q, 2) == "A003"
    assert serve(q, 1) == "A004"


def test_the_priority_counter_keeps_serving_priority_first(
    config: Config, db_url: str, tick: Clock
) -> None:
    q = queue_with(config, db_url, policy="everywhere", regular_every=1, max_regular_wait_minutes=5)
    q.issue("A")
    tick.tick(minutes=30)  # the regular ticket is long overdue
    q.issue("A", "elderly")
    q.issue("A", "disabled")
    assert [serve(q, 7) for _ in range(2)] == ["A002", "A003"]


def test_a_regular_ticket_past_the_wait_cap_goes_before_new_priority_tickets(
    config: Config, db_url: str, tick: Clock
) -> None:
    q = queue_with(
        six_minutes(config),
        db_url,
        policy="everywhere",
        regular_every=0,
        max_regular_wait_minutes=30,
    )
    q.issue("A")  # A001 at 8:00
    tick.tick(minutes=5)
    q.issue("A")  # A002 at 8:05
    tick.tick(minutes=15)
    q.issue("A", "elderly")  # A003 at 8:20
    tick.tick(minutes=5)  # 8:25: nobody regular has waited 30 minutes
    assert serve(q, 1) == "A003"
    q.issue("A", "elderly")  # A004 at 8:25
    q.issue("A", "elderly")  # A005 at 8:25
    tick.tick(minutes=15)  # 8:40: A001 (40 min) and A002 (35 min) are overdue, oldest first
    assert [serve(q, 1), serve(q, 1)] == ["A001", "A002"]
    q.issue("A")  # A006, new: priority first again
    assert [serve(q, 1), serve(q, 1), serve(q, 1)] == ["A004", "A005", "A006"]


def test_a_regular_ticket_goes_first_one_turn_before_it_reaches_the_cap(
    config: Config, db_url: str, tick: Clock
) -> None:
    # a lone regular ticket's turn is 4 minutes away: it goes before priority tickets
    # from 26 minutes of waiting under a 30-minute cap
    q = queue_with(six_minutes(config), db_url, policy="everywhere", max_regular_wait_minutes=30)
    q.issue("A")  # A001 at 8:00
    tick.tick(minutes=25, seconds=59)
    q.issue("A", "elderly")  # A002
    assert q.call_next(1).number == "A002"  # type: ignore[union-attr]
    q.start(1)
    q.finish(1)
    q.issue("A", "elderly")  # A003
    tick.tick(seconds=1)  # 8:26: A001 would reach 30 minutes before its turn
    assert q.call_next(1).number == "A001"  # type: ignore[union-attr]


def test_the_regular_tickets_queued_behind_count_toward_the_turn(
    config: Config, db_url: str, tick: Clock
) -> None:
    # A001 at 8:00, A002 at 8:01: A002's turn comes after A001's, 2 × 4 = 8 minutes
    # away; it would reach 30 minutes at 8:23, so at 8:23 the regular tickets go
    # first (oldest first) though A001's own turn (23 + 4 min) is not late.
    q = queue_with(six_minutes(config), db_url, policy="everywhere", max_regular_wait_minutes=30)
    q.issue("A")
    tick.tick(minutes=1)
    q.issue("A")
    tick.tick(minutes=21, seconds=59)  # 8:22:59
    q.issue("A", "elderly")  # A003
    q.issue("A", "elderly")  # A004
    assert serve(q, 1) == "A003"
    tick.tick(seconds=1)  # 8:23:00
    assert serve(q, 1) == "A001"
    # A001 gone, A002 (22 min) is first in line again: 4 minutes away, not at risk
    assert [serve(q, 1), serve(q, 1)] == ["A004", "A002"]


def test_the_priority_counter_is_not_hurried_by_the_cap(
    config: Config, db_url: str, tick: Clock
) -> None:
    q = queue_with(config, db_url, policy="everywhere", max_regular_wait_minutes=30)
    q.issue("A")
    tick.tick(minutes=29)
    q.issue("A", "elderly")
    assert serve(q, 7) == "A002"
    assert serve(q, 1) == "A001"


def test_one_live_ticket_per_person_per_service_per_day(
    config: Config, db_url: str, tick: Clock
) -> None:
    q = queue_with(config, db_url)
    first = q.issue("A", person_key="k1").ticket.number
    with pytest.raises(AlreadyHolding) as refused:
        q.issue("A", person_key="k1")
    assert refused.value.number == first and first in str(refused.value)
    assert q.issue("B", person_key="k1").ticket.number == "B001"  # another service
    assert q.issue("A", person_key="k2").ticket.number == "A002"  # another person
    serve(q, 1)  # A001 is done: the person may queue again
    assert q.issue("A", person_key="k1").ticket.number == "A003"
    tick.tick(days=1)
    assert q.issue("A", person_key="k1").ticket.number == "A001"


def test_the_per_person_limit_can_be_switched_off(config: Config, db_url: str, tick: Clock) -> None:
    q = queue_with(config, db_url, "identity", one_ticket_per_service=False)
    q.issue("A", person_key="k1")
    assert q.issue("A", person_key="k1").ticket.number == "A002"
