"""What a first-time officer and director ran into on a fourth walk through desk in
tmux (80×24 and 120×40): each test presses the keys they pressed and checks what
the screen shows."""

from __future__ import annotations

from desk.center.runtime import Runtime
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.screens.test_everyday import settle
from tests.screens.test_snapshots import frozen, queue_of
from tests.screens.test_walk import screen_lines

__all__ = ["frozen"]


async def test_f4_and_enter_on_a_ticket_being_served_say_what_they_would_do(
    frozen: Runtime,
) -> None:
    """F2, Enter, then F4 (absent) or Enter again: both said "Số A001 đang được phục
    vụ, không cần gọi lại" (no need to call it again), the reason of F3, and F1 listed
    that reason under F4 and Enter too."""
    queue_of(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        shown = "\n".join(screen_lines(app))
        assert "Số A001 đang được phục vụ, không thể đánh dấu vắng mặt." in shown
        assert "không cần gọi lại" not in shown
        await pilot.press("enter")
        await settle(app, pilot)
        shown = "\n".join(screen_lines(app))
        assert "Số A001 đã bắt đầu phục vụ" in shown
        assert "không cần gọi lại" not in shown
        await pilot.press("f3")
        await settle(app, pilot)
        assert "Số A001 đang được phục vụ, không cần gọi lại." in "\n".join(screen_lines(app))
