"""F6 (intake) and F8 (look-up) keep the header every other screen of the counter
shows (they dropped it: the app's title and the center's name went while they were
open), and the procedure list in F6 has one scroll bar, its own, inside its border:
at 80x24 the form's bar ran down beside the list and its thumb ended on the list's
bottom border row, a piece of bar outside the list's corner."""

from __future__ import annotations

from textual.scrollbar import ScrollBar
from textual.widgets import OptionList

from desk.center.runtime import Runtime
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_header import header
from tests.screens.test_intake import rt, type_in

__all__ = ["rt"]

TITLE = "Một cửa — Trung tâm Phục vụ hành chính công phường Lê Chân"


async def test_f6_and_f8_show_the_counters_header(rt: Runtime) -> None:
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert header(app) == TITLE
        for key, screen in (("f6", "IntakeScreen"), ("f8", "LookupScreen")):
            await pilot.press(key)
            await settle(app, pilot)
            assert type(app.screen).__name__ == screen
            assert header(app) == TITLE
            await pilot.press("escape")
            await settle(app, pilot)
            assert type(app.screen).__name__ == "CounterScreen"


def bars_right_of(app: DeskApp, widget: OptionList) -> list[tuple[int, int]]:
    """The cells right of ``widget``'s border, on its rows, where a scroll bar is drawn."""
    region = widget.region
    return [
        (x, y)
        for y in range(region.y, region.bottom)
        for x in range(region.right, app.size.width)
        if isinstance(app.screen.get_widget_at(x, y)[0], ScrollBar)
    ]


async def test_the_procedure_list_has_no_bar_outside_its_border(rt: Runtime) -> None:
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await type_in(pilot, "khai")
        await settle(app, pilot)
        results = app.screen.query_one("#procedure-results", OptionList)
        assert results.display and results.option_count > 6  # it scrolls, with its own bar
        assert results.show_vertical_scrollbar
        assert bars_right_of(app, results) == []
        # a procedure taken, the list goes and the form's bar is back: the form is
        # longer than the screen
        await pilot.press("enter")
        await settle(app, pilot)
        assert not results.display
        form = app.screen.query_one("#intake-form")
        assert isinstance(
            app.screen.get_widget_at(form.region.right - 2, form.region.y)[0], ScrollBar
        )
