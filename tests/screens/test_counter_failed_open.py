"""F6 or F8 accepted, then its screen cannot be built: what was typed for it (a
scanned code, its Enter) is dropped with the failure's message, and the keys typed
afterwards act at the counter again. They stayed held for a screen that would not
come: Enter no longer started serving, and F8 pressed at once crashed the app.

The faults are real, not stand-ins for the screens: the screen's module cannot be
loaded (as on a broken install), so the counter's own import of it fails; at the
start, the roles' style sheet cannot be read. No database read happens while F6's
or F8's screen is built: the form reads the catalogue in a worker once it shows,
and that failure (the last test of F6) already let the typed keys through."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from textual.widgets import Input

from db.engine import write_session
from desk.center.config import Config
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.counter import CounterScreen
from screens.intake import IntakeScreen
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_counter_held_keys import HeldCall, counter_message
from tests.screens.test_counter_typeahead import burst, shown_code
from tests.screens.test_intake import rt
from tests.screens.test_lookup_forms import taken_in
from tests.screens.test_snapshots import NOW
from tests.screens.test_startup import Gate, sample_frame

__all__ = ["rt"]

MODULES = {"f6": "screens.intake", "f8": "screens.lookup"}
FAILED = "Có lỗi khi xử lý (ModuleNotFoundError). Đã ghi vào nhật ký; bấm lại hoặc báo quản trị."


def serving(rt: Runtime) -> bool:
    current = Queue(rt).counter_status(1).current
    return current is not None and current.status == "serving"


@pytest.mark.parametrize("key", ["f6", "f8"])
@pytest.mark.parametrize("when", ["at once", "after a step"])
async def test_a_screen_that_cannot_be_built_drops_what_was_typed_for_it(
    rt: Runtime,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    key: str,
    when: str,
) -> None:
    """F6 or F8 and four characters with Enter, typed at once or while F2's call
    runs: the screen does not open, the counter says why and that the keys typed
    for it were skipped (the failure is in the log too); then Enter, typed now,
    starts serving the ticket called."""
    saved, app = taken_in(rt, [NOW])
    Queue(rt).issue("A")
    held = HeldCall(rt)
    app.queue = held
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        monkeypatch.setitem(sys.modules, MODULES[key], None)  # cannot be imported
        if when == "at once":
            await pilot.press("f2")
            await settle(app, pilot)
            await burst(app, pilot, key, *saved.code[-4:], "enter")
        else:
            held.go.clear()
            await pilot.press("f2", key, *saved.code[-4:], "enter")
            await pilot.pause()
            held.go.set()
            await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        assert counter_message(app) == f"{FAILED} Bỏ qua 5 phím bấm sau đó."
        assert "failed: ModuleNotFoundError" in caplog.text
        assert not app.type_ahead.catching
        assert not serving(rt)  # the Enter typed for the screen did nothing here
        await pilot.press("enter")
        await settle(app, pilot)
        assert serving(rt)


async def test_f8_works_again_once_its_screen_can_be_built(
    rt: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a look-up that could not be built, the next F8 and a scanned code reach
    the look-up as ever."""
    saved, app = taken_in(rt, [NOW])
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        with monkeypatch.context() as broken:
            broken.setitem(sys.modules, "screens.lookup", None)
            await burst(app, pilot, "f8", *"0912")
            assert counter_message(app).startswith(FAILED)
        await burst(app, pilot, "f8", *saved.code, "enter")
        assert shown_code(app) == saved.code


async def test_an_unreadable_catalogue_shows_its_failure_and_keeps_what_was_typed(
    rt: Runtime, caplog: pytest.LogCaptureFixture
) -> None:
    """The form is built, but its catalogue cannot be read (a database error): the
    form opens with what was typed in its procedure field, the failure is reported
    (the form's notice, and the log), and the keys typed next go to the form as usual.
    This one already worked; it guards the difference from a form that cannot be
    built at all."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        with write_session(rt.engine) as session:
            session.execute(text("ALTER TABLE procedure RENAME TO gone"))
        await burst(app, pilot, "f6", *"hon")
        await settle(app, pilot)
        screen: Any = app.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.query_one("#procedure", Input).value == "hon"
        assert "failed: OperationalError" in caplog.text
        assert not app.type_ahead.catching
        await pilot.press(*" nhan")
        assert screen.query_one("#procedure", Input).value == "hon nhan"


@pytest.fixture(autouse=True)
def _log_errors(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="desk.screens")


async def test_a_role_screen_that_cannot_be_built_at_start_ends_the_app(
    config: Config, db_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Keys typed at the first frame are held for the role's screen; when that
    screen cannot be shown (its style sheet cannot be read), the app ends with the
    problem for the command line to report, as a problem while opening does. It
    stayed on the first frame, holding every key typed, answering none."""
    import screens.app

    monkeypatch.setattr(screens.app, "ROLES_CSS", tmp_path / "missing.tcss")
    gate = Gate(config, db_url)
    app = DeskApp(gate, role="counter", counter=1, first_frame=sample_frame())
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press(*"canbo")
        gate.go.set()
        await settle(app, pilot)
    assert app.return_code == 1
    assert app.startup_error is not None and "missing.tcss" in str(app.startup_error)
    assert app.ready  # nothing held any more
