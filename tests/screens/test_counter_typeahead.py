"""A scanner typing the receipt's code right after F8 (or F6), before the screen is
up: every character reaches the screen's first field, in order, and Enter looks the
dossier up. The keys used to be refused while the screen waited for a step, and
lost while it was being built."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from textual import events
from textual.widgets import Input

from desk.center.runtime import Runtime
from desk.dossiers.intake import SavedDossier
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.counter import CounterScreen
from screens.intake import IntakeScreen
from screens.lookup import LookupScreen
from tests.screens.test_counter import settle, text_of
from tests.screens.test_counter_held_keys import HeldCall, counter_message
from tests.screens.test_intake import rt
from tests.screens.test_lookup_forms import taken_in

__all__ = ["rt"]

NOW = datetime(2026, 11, 23, 9, 0)


async def burst(app: DeskApp, pilot: Any, *keys: str) -> None:
    """``keys`` as a wedge scanner sends them: all at once, none waiting for the app
    to handle the one before (Pilot's ``press`` waits for that after each key)."""
    driver = app._driver
    assert driver is not None
    for key in keys:
        char = key if len(key) == 1 else ("\r" if key == "enter" else None)
        event = events.Key(key if len(key) > 1 or key.isalnum() else _name(key), char)
        event.set_sender(app)
        driver.send_message(event)
    await settle(app, pilot)


def _name(char: str) -> str:
    from textual.keys import _character_to_key

    return {".": "full_stop", "-": "minus", " ": "space"}.get(char) or _character_to_key(char)


def shown_code(app: DeskApp) -> str:
    assert isinstance(app.screen, LookupScreen), app.screen
    return text_of(app, "#lookup-detail").split("\n")[0]


def a_held_call(rt: Runtime) -> tuple[SavedDossier, DeskApp, HeldCall]:
    """A dossier taken in, one ticket waiting, and a counter whose F2 waits until the
    test lets it go (``held.go``)."""
    saved, app = taken_in(rt, [NOW])
    Queue(rt).issue("A")
    held = HeldCall(rt)
    app.queue = held
    return saved, app, held


async def test_a_code_scanned_while_a_step_runs_reaches_the_lookup(rt: Runtime) -> None:
    """F2 (still calling), then F8 and the scanned code with its Enter in one go:
    the look-up opens after the call and finds the dossier; no key is refused."""
    saved, app, held = a_held_call(rt)
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        held.go.clear()
        await pilot.press("f2", "f8", *saved.code, "enter")
        await pilot.pause()
        held.go.set()
        await settle(app, pilot)
        assert app.screen.query_one("#lookup-query", Input).value == saved.code
        assert shown_code(app) == saved.code
        assert counter_message(app) == "Đã gọi số A001."  # nothing refused


async def test_a_scanner_sending_f8_before_the_code(rt: Runtime) -> None:
    """F8, the code and Enter arrive together, before the look-up is built."""
    saved, app = taken_in(rt, [NOW])
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await burst(app, pilot, "f8", *saved.code, "enter")
        assert shown_code(app) == saved.code


async def test_a_step_that_fails_drops_what_was_typed_for_the_lookup(rt: Runtime) -> None:
    """F2 (calls A001), F2 again (refused: A001 is still called), F8 and a code with
    Enter: the look-up does not open, and what was typed for it acts on nothing at
    the counter (its Enter does not start serving A001)."""
    saved, app, held = a_held_call(rt)
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        held.go.clear()
        await pilot.press("f2", "f2", "f8", *saved.code[-4:], "enter")
        await pilot.pause()
        held.go.set()
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        assert counter_message(app).endswith("Bỏ qua 1 phím bấm sau đó.")
        current = Queue(rt).counter_status(1).current
        assert current is not None and current.status == "called"
        assert not app.type_ahead.catching
        await pilot.press("enter")  # typed now, Enter acts on the counter again
        await settle(app, pilot)
        current = Queue(rt).counter_status(1).current
        assert current is not None and current.status == "serving"


async def test_keys_typed_with_f6_reach_the_procedure_field(rt: Runtime) -> None:
    """F6 and the procedure's words in one go: the form opens with them searched."""
    _saved, app = taken_in(rt, [NOW])
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await burst(app, pilot, "f6", *"hon nhan")
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.query_one("#procedure", Input).value == "hon nhan"
        assert screen.focused is screen.query_one("#procedure", Input)
