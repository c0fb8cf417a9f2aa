"""The dashboard as a director sees it at 80×24 and 120×40: nothing cut, every
ticket on the hourly chart, and keys that do not apply say why."""

from __future__ import annotations

from desk.center.runtime import Runtime
from screens.admin import AdminScreen
from screens.app import DeskApp
from screens.keybar import KeyBar
from tests.conftest import signed_in
from tests.reports.conftest import at
from tests.screens.test_counter import dimmed, settle, until


def said(app: DeskApp, words: str) -> bool:
    """Whether a notification on screen says ``words``."""
    return any(words in str(toast.render()) for toast in app.screen.query("Toast"))


async def test_backspace_at_the_top_says_why(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)
        bar = screen.query_one(KeyBar)
        assert dimmed(bar, "Backspace Lên")  # view 1: nothing to go up from
        await pilot.press("backspace")
        await until(app, pilot, lambda: said(app, "Backspace quay lên trong xem 3 Lĩnh vực"))
        await pilot.press("3")
        await pilot.pause()
        assert dimmed(bar, "Backspace Lên")  # the fields list is the top
        await pilot.press("backspace")
        await until(app, pilot, lambda: said(app, "Đang ở trên cùng"))
        await pilot.press("enter")  # a field's procedures: Backspace applies
        await pilot.pause()
        assert not dimmed(bar, "Backspace Lên")
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.drill == []
        assert dimmed(bar, "Backspace Lên")
