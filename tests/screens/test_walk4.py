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


async def test_waiting_numbers_line_up_beside_a_priority_one_at_80_and_120(
    frozen: Runtime,
) -> None:
    """The waiting list with a priority ticket: "★A002" over "A001" put the two
    numbers a cell apart (the ★ pushed A002 right); the numbers are right-aligned
    now, so A001 stands under A002, at 80 and at 120 columns."""
    queue_of(frozen)
    for size in ((80, 24), (120, 40)):
        app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
        async with app.run_test(size=size) as pilot:
            await settle(app, pilot)
            lines = screen_lines(app)
            plain = next(line for line in lines if "A001" in line)
            starred = next(line for line in lines if "★A002" in line)
            assert plain.index("A001") == starred.index("A002"), (size, plain, starred)
            minutes = next(line for line in lines if "Phút" in line or "phút" in line)
            # the minutes stand under the header's last cell
            end = len(minutes.split("│")[-1].rstrip()) + minutes.rindex("│") + 1
            assert len(plain.rstrip()) == end, (size, minutes, plain)
