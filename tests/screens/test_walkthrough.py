"""Defects a new officer's walkthrough found: leaving the counter with a citizen at
it, the kiosk after hours, the kiosk's PIN pause."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from textual.widgets import Static

from desk import clock
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.counter import CounterScreen
from screens.kiosk import KioskScreen
from tests.conftest import signed_in
from tests.screens.test_counter import until
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
        await pilot.press("escape", "y")  # close the counter? yes
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
        # said as what it did (it said "moved to the Hộ tịch service", the one it was in)
        assert text_of(app, "#counter-message") == "Số A001 đã vào lại hàng chờ."
        await pilot.press("escape", "y")
        await settle(app, pilot)
    status = Queue(runtime).counter_status(1)
    assert status.state == "closed" and status.current is None
    assert [t.number for t in status.waiting] == ["A001"]


async def test_the_kiosk_issues_no_ticket_outside_the_opening_hours(runtime: Runtime) -> None:
    """After closing, at lunch and on a Sunday a press gives no ticket: the citizen reads
    that the center is closed, today's hours and when it opens again. From half an
    hour before a session opens (hours.kiosk_early_minutes) it issues again. (The
    kiosk used to issue at any hour without a word.)"""
    now = [datetime(2026, 11, 23, 18, 0)]  # a Monday evening
    clock.set_clock(lambda: now[0])
    app = DeskApp(runtime, role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await settle(app, pilot)
        shown = text_of(app, "#kiosk-message")
        assert shown.startswith("Trung tâm đang ngoài giờ làm việc: chưa phát số thứ tự.")
        assert "Giờ làm việc hôm nay: 07:00–11:30, 13:30–17:00." in shown
        # 24/11 is a holiday (Ngày Văn hóa Việt Nam): the next opening is on the 25th
        assert "Mở cửa lại lúc 07:00, thứ Tư 25/11/2026." in shown
        assert app.screen.query_one("#kiosk-home").display
        assert not any(Queue(runtime).waiting_counts().values())  # no ticket today
        # the priority key says so (once held for the scan's pause, screens.scan), not
        # after its category and service menus
        app.screen.query_one("#kiosk-message", Static).update("")
        await pilot.press("0")
        await until(app, pilot, lambda: bool(text_of(app, "#kiosk-message")))
        assert isinstance(app.screen, KioskScreen)
        assert text_of(app, "#kiosk-message").startswith("Trung tâm đang ngoài giờ làm việc")
        now[0] = datetime(2026, 11, 25, 12, 10)  # Wednesday, lunch
        await pilot.press("1")
        await settle(app, pilot)
        assert "Mở cửa lại lúc 13:30 hôm nay." in text_of(app, "#kiosk-message")
        now[0] = datetime(2026, 11, 29, 9, 0)  # Sunday
        await pilot.press("1")
        await settle(app, pilot)
        shown = text_of(app, "#kiosk-message")
        assert "Hôm nay trung tâm nghỉ." in shown
        assert "Mở cửa lại lúc 07:00, thứ Hai 30/11/2026." in shown
        now[0] = datetime(2026, 11, 30, 6, 40)  # Monday, the doors open at 07:00
        await pilot.press("1")
        await settle(app, pilot)
        assert str(app.screen.query_one("#ticket-number", BigText).value) == "A001"
        assert text_of(app, "#kiosk-message") == ""


async def test_a_center_may_let_the_kiosk_issue_at_any_hour(runtime: Runtime) -> None:
    hours = runtime.config.hours.model_copy(update={"kiosk_any_time": True})
    config = runtime.config.model_copy(update={"hours": hours})
    clock.set_clock(lambda: datetime(2026, 11, 23, 22, 0))
    app = DeskApp(dataclasses.replace(runtime, config=config), role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("1")
        await settle(app, pilot)
        assert str(app.screen.query_one("#ticket-number", BigText).value) == "A001"


async def test_the_kiosk_pin_pause_counts_down_on_screen(runtime: Runtime) -> None:
    """After three wrong PINs the prompt shows the pause's seconds, and they tick down
    by themselves (they stayed at 30 until the next Enter), then it says a PIN may be
    typed again."""
    from screens.pin import PinGuard, PinPrompt
    from tests.screens.test_counter import until

    now = [1000.0]
    app = DeskApp(runtime, role="kiosk")
    app.pin_guard = PinGuard(clock=lambda: now[0])  # type: ignore[attr-defined]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        for _ in range(3):
            await pilot.press(*"1111", "enter")
        assert text_of(app, "#pin-error") == "Sai mã PIN quá nhiều lần: thử lại sau 30 giây."
        now[0] += 1
        await until(app, pilot, lambda: "29 giây" in text_of(app, "#pin-error"))
        now[0] += 28
        await until(app, pilot, lambda: "thử lại sau 1 giây" in text_of(app, "#pin-error"))
        now[0] += 1
        await until(app, pilot, lambda: text_of(app, "#pin-error") == "Có thể nhập lại mã PIN.")
        assert isinstance(app.screen, PinPrompt)
