"""Changing the procedure on the intake form rebuilds its components list: the
rows of the last choice, and only those, show and are saved (the old rows used
to linger while new ones with the same ids were mounted: DuplicateIds, an empty
list, and a Ctrl+S that closed the app on a missing count)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from textual.containers import Horizontal
from textual.widgets import Input, Static

from db.engine import read_session
from db.models import Dossier, DossierComponent
from desk import clock
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.intake import IntakeScreen, ReceiptView
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_intake import rt, text, type_in

__all__ = ["rt"]

KHAI_SINH = "1.001193"
KHAI_TU = "1.000656"


def shown_components(form: IntakeScreen) -> list[str]:
    """The names of the component rows on screen, top to bottom."""
    return [
        str(row.query_one(".component-name", Static).render())
        for row in form.query(".component").results(Horizontal)
    ]


Counted = tuple[str, int, int, int]
"""A component's name, originals, certified copies and photocopies."""


def shown_counts(form: IntakeScreen) -> list[Counted]:
    """The rows on screen with a count, as the officer typed them."""
    rows = []
    for row in form.query(".component").results(Horizontal):
        name = str(row.query_one(".component-name", Static).render())
        orig, cert, photo = (int(i.value) for i in row.query(Input).results(Input))
        if orig or cert or photo:
            rows.append((name, orig, cert, photo))
    return rows


def saved_components(rt: Runtime) -> tuple[str, list[Counted]]:
    with read_session(rt.engine) as s:
        [dossier] = s.exec(select(Dossier)).all()
        rows = s.exec(
            select(DossierComponent)
            .where(DossierComponent.dossier_id == dossier.id)
            .order_by(col(DossierComponent.position))
        ).all()
        counted = [(r.name, r.originals, r.certified_copies, r.photocopies) for r in rows]
        return dossier.procedure_code, counted


async def choose(app: DeskApp, pilot: object, query: str) -> None:
    """Back to the procedure field (Shift+Tab from the next field), type, Enter."""
    if app.focused is None or app.focused.id != "procedure":
        await pilot.press("shift+tab")  # type: ignore[attr-defined]
    assert app.focused is not None and app.focused.id == "procedure"
    app.screen.query_one("#procedure", Input).value = ""
    await type_in(pilot, query)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)


def counter_with_a_ticket(rt: Runtime) -> DeskApp:
    """Counter 1 on a Monday morning with one ticket waiting in service B."""
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    Queue(rt).issue("B")
    return DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))


async def open_form(app: DeskApp, pilot: object) -> IntakeScreen:
    """The ticket called and served (F2, Enter), then F6: the intake form."""
    await settle(app, pilot)
    await pilot.press("f2", "enter")  # type: ignore[attr-defined]
    await settle(app, pilot)
    await pilot.press("f6")  # type: ignore[attr-defined]
    await settle(app, pilot)
    form = app.screen
    assert isinstance(form, IntakeScreen)
    return form


async def save_counted(app: DeskApp, pilot: object, form: IntakeScreen) -> list[Counted]:
    """A name, 1 original of the first component and 2 photocopies of the last,
    Ctrl+S: the receipt shows. Returns the counted rows that were on screen."""
    assert app.focused is not None and app.focused.id == "applicant_name"
    await type_in(pilot, "Lê Văn Ba")
    rows = list(form.query(".component").results(Horizontal))
    for row, which, count in ((rows[0], 0, "1"), (rows[-1], 2, "2")):
        list(row.query(Input).results(Input))[which].focus()
        await pilot.press("end", "backspace", "backspace", count)  # type: ignore[attr-defined]
    shown = shown_counts(form)
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert isinstance(app.screen, ReceiptView), text(app, "#intake-message")
    return shown


async def test_procedure_changed_and_changed_back_saves_the_last_ones_components(
    rt: Runtime,
) -> None:
    app = counter_with_a_ticket(rt)
    async with app.run_test(size=(110, 45)) as pilot:
        form = await open_form(app, pilot)

        await choose(app, pilot, "khai sinh")
        assert KHAI_SINH in text(app, "#procedure-chosen")
        khai_sinh = shown_components(form)
        assert len(khai_sinh) == 5 and khai_sinh[0].startswith("Tờ khai ĐKKS")

        await choose(app, pilot, "khai tu")
        assert KHAI_TU in text(app, "#procedure-chosen")
        assert shown_components(form) == ["Tờ khai ĐK khai tử", "Giấy báo tử hoặc giấy tờ thay thế"]
        assert [w.id for w in form.query(".component Input")] == [
            "c0-orig", "c0-cert", "c0-photo", "c1-orig", "c1-cert", "c1-photo",
        ]  # fmt: skip

        await choose(app, pilot, "khai sinh")
        assert shown_components(form) == khai_sinh
        assert not app.screen.query("Toast")  # no "Có lỗi khi xử lý (DuplicateIds)"

        shown = await save_counted(app, pilot, form)
        assert [(name, orig, photo) for name, orig, _, photo in shown] == [
            (khai_sinh[0], 1, 0),
            (khai_sinh[-1], 0, 2),
        ]
        assert saved_components(rt) == (KHAI_SINH, shown)


async def test_the_same_procedure_chosen_twice_keeps_its_components(rt: Runtime) -> None:
    app = counter_with_a_ticket(rt)
    async with app.run_test(size=(110, 45)) as pilot:
        form = await open_form(app, pilot)

        await choose(app, pilot, "khai tu")
        before = shown_components(form)
        assert len(before) == 2
        await choose(app, pilot, "khai tu")
        assert shown_components(form) == before
        assert "Chưa có thành phần" not in " ".join(
            str(s.render()) for s in form.query("#components Static").results(Static)
        )
        assert not app.screen.query("Toast")  # no "Có lỗi khi xử lý (DuplicateIds)"

        shown = await save_counted(app, pilot, form)
        assert [name for name, *_ in shown] == before
        assert saved_components(rt) == (KHAI_TU, shown)


async def test_ctrl_s_with_a_count_missing_shows_the_fault_and_keeps_the_form(
    rt: Runtime,
) -> None:
    """A widget gone from the form (a fault of the form itself) is shown and
    logged; the form and what was typed in it stay, and nothing is saved."""
    app = counter_with_a_ticket(rt)
    async with app.run_test(size=(110, 45)) as pilot:
        form = await open_form(app, pilot)
        await choose(app, pilot, "khai tu")
        await type_in(pilot, "Lê Văn Ba")
        await form.query_one("#c0-cert", Input).remove()
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert app.screen is form and app.is_running
        assert text(app, "#intake-message").startswith("Có lỗi khi xử lý")
        assert form.query_one("#applicant_name", Input).value == "Lê Văn Ba"
        with read_session(rt.engine) as s:
            assert s.exec(select(Dossier)).all() == []


async def test_the_rows_a_new_choice_replaces_are_freed(rt: Runtime) -> None:
    """The form lives all day (the counter builds it once): the component rows of
    each procedure chosen and each dossier taken in must go with them. Textual keeps
    a removed Input alive through its screen's text-selection signal and the
    screen's ``query_one`` results (screens.textual_compat.remove_children); a day's
    thirty dossiers used to leave their rows' fields in the process. (The container
    keeps its last layout, with the rows it last placed, until it is laid out again:
    each set is checked once newer rows were shown.)"""
    import gc
    import weakref

    def fields() -> list[weakref.ref[Input]]:
        return [weakref.ref(w) for w in form.query(".component Input").results(Input)]

    def alive(refs: list[weakref.ref[Input]]) -> list[Input]:
        gc.collect()
        return [w for w in (r() for r in refs) if w is not None]

    app = counter_with_a_ticket(rt)
    async with app.run_test(size=(110, 45)) as pilot:
        form = await open_form(app, pilot)
        await choose(app, pilot, "khai sinh")
        first = fields()
        assert len(first) == 15
        form.query_one("#c0-photo", Input)  # asked for, as the form's checks do
        await choose(app, pilot, "khai tu")
        second = fields()
        await choose(app, pilot, "khai sinh")
        assert len(shown_components(form)) == 5
        assert alive(first + second) == []

        # a new dossier: F6 makes the reused form new, its rows go
        third = fields()
        await pilot.press("escape", "y")  # the dossier discarded, back to the counter
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert app.screen is form and not form.query(".component Input")
        await choose(app, pilot, "khai tu")
        assert len(shown_components(form)) == 2
        assert alive(third) == []
