"""Defects a new officer's walkthrough found: leaving the counter with a citizen at
it, the kiosk after hours, the kiosk's PIN pause."""

from __future__ import annotations

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.counter import CounterScreen
from tests.conftest import signed_in
from tests.screens.test_everyday import SlowFinish, settle, text_of

LEAVE_REFUSED = "Số A001 vẫn đang ở quầy: người dân đang chờ."


async def test_esc_with_a_citizen_at_the_counter_is_refused(runtime: Runtime) -> None:
    """Esc while A001 is called, then while it is served: the counter stays open and
    says what to do first; the ticket stays at the counter. Once it is finished, Esc
    closes the counter. (Esc used to close the counter and leave the citizen behind.)"""
    q = Queue(runtime)
    q.issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        for key in ("escape", "enter", "escape"):  # called, then being served
            await pilot.press(key)
            await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        assert text_of(app, "#counter-message").startswith(LEAVE_REFUSED)
        assert "(F9)" in text_of(app, "#counter-message")
        status = Queue(runtime).counter_status(1)
        assert status.state == "open"
        assert status.current is not None and status.current.status == "serving"
        await pilot.press("f9")
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
    status = Queue(runtime).counter_status(1)
    assert status.state == "closed" and status.current is None and status.served_today == 1


async def test_esc_pressed_before_a_call_lands_still_keeps_the_counter(runtime: Runtime) -> None:
    """F2 then Esc at once: the call is decided first, so Esc finds a citizen called
    and is refused when it runs; the counter stays open, the officer reads why."""
    q = Queue(runtime)
    q.issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    app.queue = SlowFinish(runtime)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        assert text_of(app, "#counter-message").startswith(LEAVE_REFUSED)
        assert not app.screen.leaving
        # F5 to its own service: back in the queue, keeping its place
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert text_of(app, "#counter-message").startswith("Đã chuyển số A001")
        await pilot.press("escape")
        await settle(app, pilot)
    status = Queue(runtime).counter_status(1)
    assert status.state == "closed" and status.current is None
    assert [t.number for t in status.waiting] == ["A001"]
