"""The queue engine: numbering, calling order, priority policies, every step kept."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlmodel import col, select

from db.engine import read_session
from db.models import TicketEvent
from desk import clock
from desk.center.config import Config
from desk.center.runtime import Runtime, open_runtime
from desk.queue.engine import Queue
from desk.queue.views import QueueError


class Clock:
    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at

    def tick(self, **kw: float) -> None:
        self.at += timedelta(**kw)


def event_kinds(queue: Queue, ticket_id: int | None) -> list[str]:
    """The ticket's events, in order."""
    with read_session(queue.engine) as s:
        return list(
            s.exec(
                select(TicketEvent.kind)
                .where(TicketEvent.ticket_id == ticket_id)
                .order_by(col(TicketEvent.id))
            ).all()
        )


@pytest.fixture
def tick() -> Clock:
    c = Clock(datetime(2026, 11, 23, 8, 0))
    clock.set_clock(c)
    return c


@pytest.fixture
def queue(runtime: Runtime, tick: Clock) -> Queue:
    return Queue(runtime)


def with_config(config: Config, db_url: str, **priority: str) -> Queue:
    changed = config.model_copy(update={"priority": config.priority.model_copy(update=priority)})
    return Queue(open_runtime(changed, db_url))


def test_numbers_are_per_service_and_reset_at_midnight(queue: Queue, tick: Clock) -> None:
    assert [queue.issue("A").ticket.number for _ in range(3)] == ["A001", "A002", "A003"]
    assert queue.issue("B").ticket.number == "B001"
    tick.at = datetime(2026, 11, 24, 0, 0, 1)
    assert queue.issue("A").ticket.number == "A001"


def test_regular_tickets_are_first_come_first_served(queue: Queue, tick: Clock) -> None:
    for prefix in "BAB":
        queue.issue(prefix)
        tick.tick(minutes=1)
    # counter 2 serves A and B: oldest first across its services
    assert queue.call_next(2).number == "B001"  # type: ignore[union-attr]
    queue.start(2)
    assert queue.call_next(2).number == "A001"  # type: ignore[union-attr]


def test_dedicated_priority_counter_serves_priority_by_tier(queue: Queue, tick: Clock) -> None:
    queue.issue("A")
    tick.tick(minutes=1)
    queue.issue("A", "elderly")  # tier 2, mark numbering: keeps the prefix
    tick.tick(minutes=1)
    issued = queue.issue("A", "elderly80_child6_severe")  # tier 1
    assert issued.ticket.number == "A003" and issued.ticket.is_priority
    assert issued.ahead == 0
    # a regular counter takes the oldest ticket, priority or not
    assert queue.call_next(1).number == "A001"  # type: ignore[union-attr]
    # the priority counter takes tier 1, then tier 2
    assert queue.call_next(7).number == "A003"  # type: ignore[union-attr]
    queue.start(7)
    assert queue.call_next(7).number == "A002"  # type: ignore[union-attr]


def test_everywhere_policy_lets_every_counter_take_priority_first(
    config: Config, db_url: str, tick: Clock
) -> None:
    q = with_config(config, db_url, policy="everywhere")
    q.issue("A")
    tick.tick(minutes=1)
    q.issue("A", "disabled")
    assert q.call_next(1).number == "A002"  # type: ignore[union-attr]


def test_priority_prefix_numbering(config: Config, db_url: str, tick: Clock) -> None:
    q = with_config(config, db_url, numbering="prefix")
    assert q.issue("B", "elderly").ticket.number == "U001"
    assert q.issue("C", "disabled").ticket.number == "U002"
    assert q.issue("B").ticket.number == "B001"


def test_people_ahead_and_estimated_wait(queue: Queue, tick: Clock) -> None:
    # history: three services of 6, 10 and 30 minutes at counter 3 (service B)
    for minutes in (6, 10, 30):
        queue.issue("B")
        queue.call_next(3)
        queue.start(3)
        tick.tick(minutes=minutes)
        queue.finish(3)
    for _ in range(4):
        queue.issue("B")
    issued = queue.issue("B")
    assert issued.ahead == 4
    # median 10 min × 4 ahead ÷ 2 open counters serving B (2 is closed, 3 and 7? only 3 open)
    assert issued.wait_minutes == 40
    queue.set_state(7, "open")
    assert queue.issue("B").wait_minutes == 25  # 10 × 5 ÷ 2


def test_recall_no_show_and_reactivation(queue: Queue, tick: Clock) -> None:
    for _ in range(4):
        queue.issue("A")
        tick.tick(seconds=20)
    t1 = queue.call_next(1)
    assert t1 is not None
    with pytest.raises(QueueError, match="gọi lại số A001 2 lần"):
        queue.no_show(1)
    tick.tick(minutes=1)
    queue.recall(1)
    tick.tick(minutes=1)
    assert queue.recall(1).recall_count == 2
    assert queue.no_show(1).status == "no_show"
    # the citizen comes back: A001 re-enters with two tickets ahead
    assert queue.reactivate("a001").status == "waiting"
    order = [queue.call_next(1).number]  # type: ignore[union-attr]
    for _ in range(2):
        queue.start(1)
        order.append(queue.call_next(1).number)  # type: ignore[union-attr]
    assert order == ["A002", "A003", "A001"]
    kinds = event_kinds(queue, t1.id)
    assert kinds == ["issued", "called", "recalled", "recalled", "no_show", "reactivated", "called"]


def test_transfer_keeps_the_original_queue_time(queue: Queue, tick: Clock) -> None:
    first = queue.issue("A").ticket
    tick.tick(minutes=5)
    queue.issue("B")
    queue.call_next(1)
    moved = queue.transfer(1, to_service="B")
    assert moved.service == "B" and moved.queued_at == first.queued_at
    assert queue.call_next(3).number == "A001"  # type: ignore[union-attr]
    queue.start(3)
    # to a counter that does not serve its service: refused, with the reason
    with pytest.raises(QueueError, match="Quầy 5 không phục vụ lĩnh vực Chứng thực"):
        queue.transfer(3, to_counter=5)
    # to a named counter: only that counter calls it, ahead of its own queue
    queue.transfer(3, to_counter=2)
    assert queue.call_next(1) is None
    assert queue.call_next(2).number == "A001"  # type: ignore[union-attr]


def test_closing_a_counter_sends_the_tickets_transferred_to_it_back_to_their_queue(
    queue: Queue, tick: Clock
) -> None:
    """A ticket transferred to a counter whose officer then leaves would wait for a
    counter nobody opens: closing it puts the ticket back in its service's queue, in
    its place; pausing it (a break) keeps the ticket for it."""
    from desk.queue.check import check_invariants

    first = queue.issue("A").ticket
    tick.tick(minutes=1)
    queue.issue("A")
    queue.call_next(1)
    queue.transfer(1, to_counter=2)  # A001 now waits for counter 2 alone
    tick.tick(minutes=1)
    queue.issue("A")  # A003, after it
    queue.set_state(2, "paused")
    assert queue.call_next(1).number == "A002"  # type: ignore[union-attr]
    queue.start(1)
    queue.finish(1)
    assert queue.call_next(1).number == "A003"  # type: ignore[union-attr]
    queue.transfer(1, to_service="A")  # A003 back in the queue, behind A001
    queue.set_state(2, "closed")  # counter 2's officer leaves for the day
    again = queue.call_next(1)
    assert again is not None and again.number == "A001"  # its place kept, ahead of A003
    assert again.queued_at == first.queued_at and again.target_counter is None
    assert event_kinds(queue, first.id) == ["issued", "called", "transferred", "released", "called"]
    assert check_invariants(queue.engine) == []


def test_pause_and_the_rules_of_the_current_ticket(queue: Queue, tick: Clock) -> None:
    queue.issue("A")
    queue.issue("A")
    queue.set_state(1, "paused")
    with pytest.raises(QueueError, match="tạm dừng"):
        queue.call_next(1)
    queue.set_state(1, "open")
    queue.call_next(1)
    with pytest.raises(QueueError, match="A001 vừa gọi chưa được phục vụ"):
        queue.call_next(1)
    queue.start(1)
    tick.tick(minutes=4)
    nxt = queue.call_next(1)  # finishes A001 as done
    assert nxt is not None and nxt.number == "A002"
    status = queue.counter_status(1)
    assert status.served_today == 1 and status.current is not None
    with pytest.raises(QueueError, match="chưa có số nào"):
        queue.recall(2)


def test_board_lists_calls_newest_first(queue: Queue, tick: Clock) -> None:
    for _ in range(2):
        queue.issue("A")
    queue.call_next(1)
    tick.tick(seconds=30)
    queue.call_next(2)
    tick.tick(seconds=30)
    queue.recall(1)
    calls = queue.recent_calls()
    assert [(c.number, c.counter, c.recall) for c in calls] == [
        ("A001", 1, True),
        ("A002", 2, False),
        ("A001", 1, False),
    ]


def test_a_call_is_never_recorded_before_the_issue(queue: Queue, tick: Clock) -> None:
    """A counter PC whose clock runs behind the kiosk's: the call (ticket and event)
    is stamped no earlier than the issue, so wait times never go negative."""
    issued = queue.issue("A").ticket
    tick.tick(seconds=-90)
    called = queue.call_next(1)
    assert called is not None and called.called_at == issued.issued_at
    with read_session(queue.engine) as session:
        event_at = session.execute(
            select(TicketEvent.at).where(
                col(TicketEvent.ticket_id) == issued.id, col(TicketEvent.kind) == "called"
            )
        ).scalar_one()
    assert event_at == issued.issued_at


def test_a_ticket_whose_wait_cannot_be_counted_is_still_given_without_a_guess(
    queue: Queue, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The count of people ahead is read after the ticket is committed; if that read
    fails, the citizen still gets the ticket, and neither the kiosk nor the paper
    claims nobody is ahead."""
    from sqlalchemy.exc import OperationalError

    from desk.dossiers.forms import ticket_document
    from desk.printing.preview import ticket_text

    queue.issue("A")

    def busy(*_args: object) -> int:
        raise OperationalError("SELECT count(*)", {}, Exception("database is locked"))

    monkeypatch.setattr(Queue, "_ahead", busy)
    issued = queue.issue("A")
    assert issued.ticket.number == "A002"
    assert (issued.ahead, issued.wait_minutes) == (None, None)
    assert queue.waiting_counts()["A"] == 2  # committed
    doc = ticket_document(queue.config, "A002", "Hộ tịch", issued.ticket.issued_at, None, False)
    assert all("chờ trước" not in block.value for block in doc.blocks)
    assert "chờ trước" not in ticket_text(queue.config, issued, "Hộ tịch")
