"""A priority ticket is named ★A001 in every message about it (``numbering =
"mark"``): the counter's status line, its refusals and its rating prompt, the
rating terminal and the queue's own errors. They said A001, so the officer could
not tell from the message that the citizen called was a priority one."""

from __future__ import annotations

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from desk.queue.views import QueueError
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.screens.test_counter import settle, text_of


async def test_the_counter_names_a_priority_ticket_with_its_mark(runtime: Runtime) -> None:
    Queue(runtime).issue("A", "elderly")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == "Đã gọi số ★A001."
        await pilot.press("f2")  # still called: refused, naming it
        await settle(app, pilot)
        assert text_of(app, "#counter-message").startswith("Số ★A001 vừa gọi chưa được phục vụ")
        await pilot.press("f3")
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == "Số ★A001: gọi lại lần 1."
        await pilot.press("enter", "f9")
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == "Đã kết thúc số ★A001."
        assert text_of(app, "#rating-prompt").startswith("Mời công dân số ★A001 đánh giá")


async def test_the_rating_terminal_and_the_queue_errors_mark_it_too(runtime: Runtime) -> None:
    q = Queue(runtime)
    q.issue("A", "elderly")
    q.call_next(1)
    try:
        q.call_next(1)
    except QueueError as exc:
        assert str(exc).startswith("Số ★A001 vừa gọi chưa được phục vụ")
    else:
        raise AssertionError("a second call while ★A001 is called was not refused")
    q.start(1)
    q.finish(1)
    app = DeskApp(runtime, role="rate", counter=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert text_of(app, "#rate-ticket") == "Số ★A001 vừa được phục vụ"
