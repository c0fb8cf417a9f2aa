"""The dashboard as a director sees it at 80×24 and 120×40: nothing cut, every
ticket on the hourly chart, and keys that do not apply say why."""

from __future__ import annotations

from textual.widgets import Static

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


async def test_f1_at_80x24_says_more_keys_lie_below_and_scrolls_by_key(month: Runtime) -> None:
    from textual.containers import VerticalScroll

    from desk import i18n
    from screens.help import HelpScreen

    for language, more, end in (
        ("vi", "Còn nữa bên dưới", "xem phần trên"),
        ("en", "More below", "lines above"),
    ):
        i18n.set_language(language)
        app = DeskApp(month, role="admin", officer=signed_in(month))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("f1")
            await settle(app, pilot)
            assert isinstance(app.screen, HelpScreen)
            scroll = app.screen.query_one("#help-scroll", VerticalScroll)
            hint = app.screen.query_one("#help-hint", Static)
            assert scroll.max_scroll_y > 0  # the admin's keys do not fit in 24 lines
            assert more in str(hint.render()) and "PgDn" in str(hint.render())
            await pilot.press("pagedown", "pagedown", "pagedown")
            await settle(app, pilot)
            assert scroll.scroll_y == scroll.max_scroll_y  # the keys scroll it
            assert end in str(hint.render()) and more not in str(hint.render())
            await pilot.press("pageup")
            await settle(app, pilot)
            assert scroll.scroll_y < scroll.max_scroll_y
            assert more in str(hint.render())
    # at 120×40 everything fits: the line says only how to close
    i18n.set_language("vi")
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        hint = app.screen.query_one("#help-hint", Static)
        assert str(hint.render()) == "Esc hoặc F1 để đóng"
