"""The counter builds its intake form once, while idle, and F6 only resets and
shows it: nothing of one citizen may reach the next dossier's form, and a
catalogue edited meanwhile shows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import Checkbox, Input, OptionList, Select, Static

from desk import clock
from desk.center.runtime import Runtime
from desk.dossiers.catalogue import import_catalogue
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.counter import CounterScreen
from screens.intake import FORM_FIELDS, IntakeScreen, ReceiptView
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_intake import rt, text, type_in

__all__ = ["rt"]


def assert_new_form(app: DeskApp) -> None:
    """What a new form shows: empty fields, one set, the default choices, no
    procedure, no components, no message; the procedure field has the focus."""
    screen = app.screen
    assert isinstance(screen, IntakeScreen)
    values = {name: screen.query_one(f"#{name}", Input).value for name in FORM_FIELDS}
    assert values == {name: ("1" if name == "sets" else "") for name in FORM_FIELDS}
    choices = {s.id: s.value for s in screen.query(Select).results(Select)}
    assert choices == {"channel": "direct", "payment_method": "cash", "result_delivery": "desk"}
    assert text(app, "#procedure-chosen") == ""
    assert text(app, "#days-known") == ""
    assert text(app, "#intake-message") == ""
    assert not screen.query(".component") and not screen.query(Checkbox)
    assert not screen.query(".field-error.-shown")
    assert not screen.query_one("#procedure-results", OptionList).display
    assert screen.procedures == [] and screen.bundle == "" and screen.saved is None
    assert app.focused is not None and app.focused.id == "procedure"
    assert screen.query_one("#intake-form").scroll_y == 0


def hits(app: DeskApp) -> list[str]:
    results = app.screen.query_one("#procedure-results", OptionList)
    return [str(results.get_option_at_index(i).prompt) for i in range(results.option_count)]


async def fill_in(app: DeskApp, pilot: object, name: str) -> None:
    await type_in(pilot, "chung thuc ban sao")
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)
    await type_in(pilot, name)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await type_in(pilot, "031301012345")
    await pilot.press("tab")  # type: ignore[attr-defined]
    await type_in(pilot, "2001")
    await pilot.press("tab")  # type: ignore[attr-defined]
    await type_in(pilot, "0912345678")
    await pilot.press("tab")  # type: ignore[attr-defined]
    await type_in(pilot, "Số 5 Lạch Tray")
    screen = app.screen
    screen.query_one("#c0-photo", Input).focus()
    await pilot.press("backspace", "3", "tab", "space")  # type: ignore[attr-defined]
    screen.query_one("#channel", Select).value = "postal"
    screen.query_one("#notes", Input).focus()
    await type_in(pilot, "gia dinh co tang")


@pytest.mark.early
async def test_nothing_of_the_last_citizen_reaches_the_next_form(rt: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    q = Queue(rt)
    q.issue("B")
    q.issue("B")
    app = DeskApp(rt, role="counter", counter=3, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        counter = app.screen
        assert isinstance(counter, CounterScreen)
        await pilot.press("f2", "enter")
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        form = app.screen
        assert isinstance(form, IntakeScreen)
        assert_new_form(app)
        assert "B001" in text(app, "#intake-title")

        # a form typed in and thrown away
        await fill_in(app, pilot, "Trần Thị Bình")
        await pilot.press("ctrl+b")  # not a key of the form: nothing happens
        form.query_one("#applicant_id_number", Input).value = "12"
        await pilot.press("ctrl+s")  # an error under the ID number, the form scrolled
        await settle(app, pilot)
        assert form.query(".field-error.-shown")
        await pilot.press("escape", "y")
        await settle(app, pilot)
        assert app.screen is counter

        await pilot.press("f6")
        await settle(app, pilot)
        shown: object = app.screen
        assert shown is form  # the same form, reused
        assert_new_form(app)

        # a form saved, its receipt closed: the next ticket's form is new again
        await fill_in(app, pilot, "Trần Thị Bình")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptView)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is counter
        assert "Hồ sơ vừa tiếp nhận" in text(app, "#counter-last-dossier")
        await pilot.press("f9", "f2", "enter")
        await settle(app, pilot)
        # the next citizen at the counter: the last one's dossier is no longer named
        # under their ticket, where it read as theirs (walk, 2 Dec)
        assert not app.screen.query_one("#counter-last-dossier").display
        await pilot.press("f6")
        await settle(app, pilot)
        shown = app.screen
        assert shown is form
        assert_new_form(app)
        assert "B002" in text(app, "#intake-title")
        shown = " ".join(str(s.render()) for s in form.query(Static).results(Static))
        assert "Bình" not in shown and "Lạch Tray" not in shown


async def test_a_procedure_added_meanwhile_is_found(rt: Runtime, tmp_path: Path) -> None:
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await type_in(pilot, "cap phep nuoi ong")
        await settle(app, pilot)
        assert "9.999001" not in hits(app)
        await pilot.press("escape", "y")
        await settle(app, pilot)

        # an admin adds a procedure while the form waits, built, for the next F6
        added = tmp_path / "added.csv"
        added.write_text(
            "code,name,field,legal_days,day_type,same_day_rule,fee_vnd,fee_note,components,"
            "status,confidence\n"
            "9.999001,Cấp phép nuôi ong mật,Nông nghiệp,5,working,,,,Đơn đề nghị,active,P\n",
            encoding="utf-8",
        )
        import_catalogue(rt.engine, added)

        await pilot.press("f6")
        await settle(app, pilot)
        await type_in(pilot, "cap phep nuoi ong")
        await settle(app, pilot)
        assert "9.999001 " in hits(app)[0]


async def test_a_theme_changed_meanwhile_shows_on_the_reused_form(rt: Runtime) -> None:
    """The reused form skips re-styling when shown again, but not after the app's
    styles changed while it was hidden."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        form = app.screen
        before = form.query_one("#applicant_name").styles.background
        await pilot.press("escape")
        await settle(app, pilot)
        app.theme = "textual-light" if app.current_theme.dark else "textual-dark"
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        shown: object = app.screen
        assert shown is form
        after = form.query_one("#applicant_name").styles.background
        assert after != before
        fresh = IntakeScreen()  # drawn from scratch in the new theme
        await app.push_screen(fresh)
        await settle(app, pilot)
        assert fresh.query_one("#applicant_name").styles.background == after


async def test_the_form_built_ahead_freezes_no_garbage(rt: Runtime) -> None:
    """The counter builds its intake form ahead and then freezes what lives (``gc.freeze``),
    so the collector stops walking it: the form, the modules, the screens built once.
    Garbage left in the oldest generation by then (the sign-in's, the first frame's) must
    be collected first: frozen, it would stay in the counter's memory all day."""
    import gc
    import weakref

    class Leftover:
        cycle: object = None

    leftover = Leftover()
    leftover.cycle = leftover  # freed only by the cyclic collector
    gone = weakref.ref(leftover)
    gc.collect(1)  # it moves to the oldest generation, which only a full collection walks
    del leftover
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    # the collector held, as a role starts with it (desk.cli.roles), so that no
    # collection of its own frees the leftover before the form is built
    gc.disable()
    try:
        async with app.run_test(size=(110, 45)) as pilot:
            await settle(app, pilot)
            counter = app.screen
            assert isinstance(counter, CounterScreen)
            while not counter.intake_ready:
                await pilot.pause(0.05)
            assert gc.get_freeze_count() > 0  # the form froze what lived
            assert gone() is None
    finally:
        gc.enable()
