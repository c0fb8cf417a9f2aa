"""F6's procedure list is chosen from by keys: ↓ and ↑ in the procedure field move
the list's highlight (not the form's scroll), and Enter takes the highlighted entry,
not the first hit again."""

from __future__ import annotations

from textual.widgets import Input, OptionList, Static

from desk.center.runtime import Runtime
from screens.app import DeskApp
from screens.intake import IntakeScreen
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_intake import rt

__all__ = ["rt"]  # the fixture


async def test_down_and_enter_take_the_second_hit(rt: Runtime) -> None:
    """At 80×24, where the form scrolls: the arrows moved the form, not the list."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await pilot.press(*"dang ky khai sinh")
        await settle(app, pilot)
        results = screen.query_one("#procedure-results", OptionList)
        assert results.option_count >= 3
        scrolled = screen.query_one("#intake-form").scroll_y
        # the lead procedure, then the linked bundle the officer could never reach by keys
        assert results.get_option_at_index(0).id == "proc:1.001193"
        assert results.get_option_at_index(1).id == "bundle:birth_u6"
        await pilot.press("down", "down")
        assert results.highlighted == 2
        await pilot.press("up")
        assert results.highlighted == 1
        assert screen.query_one("#intake-form").scroll_y == scrolled  # the form stayed
        await pilot.press("enter")
        await settle(app, pilot)
        chosen = str(screen.query_one("#procedure-chosen", Static).render())
        assert chosen.startswith("Liên thông: Khai sinh – thường trú – thẻ BHYT"), chosen
        assert app.focused is not None and app.focused.id != "procedure"  # moved on


async def test_down_in_a_field_moves_to_the_next_field(rt: Runtime) -> None:
    """Away from the procedure field, ↓ and ↑ move between the fields, as F1 says."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press(*"chung thuc ban sao", "enter")
        await settle(app, pilot)
        assert app.focused is not None
        first = app.focused.id
        await pilot.press("down")
        assert app.focused is not None and app.focused.id != first
        await pilot.press("up")
        assert app.focused is not None and app.focused.id == first


async def test_the_same_procedure_typed_in_one_burst_on_the_next_form(rt: Runtime) -> None:
    """The form is reused for the next dossier: the same words, typed so fast that Enter
    comes before the list followed them, take the procedure again (the list left by
    the last dossier is gone, so Enter searches)."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for burst in (False, True):
            await pilot.press("f6")
            await settle(app, pilot)
            screen = app.screen
            assert isinstance(screen, IntakeScreen)
            field = screen.query_one("#procedure", Input)
            if burst:  # the value in, Enter handled before its Changed message is
                field.value = "chung thuc ban sao"
                screen.field_entered(field)
            else:
                await pilot.press(*"chung thuc ban sao", "enter")
            await settle(app, pilot)
            chosen = str(screen.query_one("#procedure-chosen", Static).render())
            assert "2.000815" in chosen, chosen
            await pilot.press("escape")  # leave the form: it asks, Y discards
            await settle(app, pilot)
            await pilot.press("y")
            await settle(app, pilot)
            assert not isinstance(app.screen, IntakeScreen)
