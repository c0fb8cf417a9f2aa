"""SVG snapshots of the everyday screens at 80×24 and 120×40 (clock and data frozen).

Update after an intended change with ``--snapshot-update`` and look at the SVGs."""

from __future__ import annotations

import dataclasses
from collections.abc import Awaitable, Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from desk import clock
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from tests.conftest import load_demo_catalogue, signed_in
from tests.screens.person import press_as_a_person
from tests.screens.test_everyday import settle

SIZES = [(80, 24), (120, 40)]
NOW = datetime(2026, 11, 23, 9, 30)


@pytest.fixture
def frozen(runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Runtime:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    clock.set_clock(lambda: NOW)
    # preview files under a relative folder: a message naming one reads the same every run
    monkeypatch.chdir(tmp_path)
    printer = runtime.config.printer.model_copy(update={"preview_dir": "preview"})
    config = runtime.config.model_copy(update={"printer": printer})
    return dataclasses.replace(runtime, config=config)


def queue_of(runtime: Runtime) -> Queue:
    q = Queue(runtime)
    q.issue("A")
    q.issue("A", "elderly")
    q.issue("B")
    return q


Press = Callable[[Any], Awaitable[None]]


async def steady(pilot: Any) -> None:
    """No blinking cursor and no worker left: the picture is the same every run."""
    from textual.widgets import Input

    await settle(pilot.app, pilot)
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()
    await settle(pilot.app, pilot)  # a refresh started meanwhile fills the tables
    await pilot.pause()  # then their columns take their widths
    await pilot.pause()


def keys(*pressed: str) -> Press:
    async def run(pilot: Any) -> None:
        await settle(pilot.app, pilot)
        if pressed:
            await pilot.press(*pressed)
            await settle(pilot.app, pilot)
        # the counter's key bar dims keys once its first status is in: wait for it
        while getattr(pilot.app.screen, "status", True) is None:
            await pilot.pause()
        await steady(pilot)

    return run


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kiosk(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    app = DeskApp(frozen, role="kiosk")
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize(
    "state,pressed",
    [
        ("idle", ()),
        ("calling", ("f2",)),
        ("serving", ("f2", "enter")),
        ("paused", ("f2", "f10")),  # paused while a ticket is called: said once
    ],
)
def test_counter(
    snap_compare: Any,
    frozen: Runtime,
    size: tuple[int, int],
    state: str,
    pressed: tuple[str, ...],
) -> None:
    queue_of(frozen)
    app = DeskApp(frozen, role="counter", counter=7, officer=signed_in(frozen))
    assert snap_compare(app, terminal_size=size, run_before=keys(*pressed))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_counter_nobody_waiting_paused(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int]
) -> None:
    """An empty waiting list says nobody waits; paused with nobody called: said once."""
    app = DeskApp(frozen, role="counter", counter=7, officer=signed_in(frozen))
    assert snap_compare(app, terminal_size=size, run_before=keys("f10"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_counter_help(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    assert snap_compare(app, terminal_size=size, run_before=keys("f1"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_intake_with_errors(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    load_demo_catalogue(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))

    async def run(pilot: Any) -> None:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press(*"khai sinh")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_intake_receipt(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    """Ctrl+S on a filled-in form: the receipt as the paper prints it (80 mm, 42
    columns), its first copy's top; it scrolls on."""
    from tests.printing.test_receipt_printer import take_in

    load_demo_catalogue(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))

    async def run(pilot: Any) -> None:
        await take_in(app, pilot)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_board(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    q = queue_of(frozen)
    q.call_next(1)
    q.recall(1)
    q.call_next(7)
    q.call_next(3)
    app = DeskApp(frozen, role="board")
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_ordinary_counter_with_a_priority_ticket(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int]
) -> None:
    """Counter 1 serves civil status only and is not the priority counter: the
    elderly citizen's A002 carries its ★ in the number column, seen at 80 columns."""
    queue_of(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    assert snap_compare(app, terminal_size=size, run_before=keys())


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kiosk_priority_ticket(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    """A priority ticket's number is drawn with its ★."""
    app = DeskApp(frozen, role="kiosk")

    async def run(pilot: Any) -> None:
        await settle(pilot.app, pilot)
        await press_as_a_person(pilot, "0", "2", "1")
        await keys()(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)


def two_supplement_slips(runtime: Runtime) -> None:
    """A dossier with a receipt and two supplement requests (the second approved)."""
    from desk.center.accounts import ensure_demo_accounts, login
    from desk.dossiers.lifecycle import Lifecycle
    from tests.dossiers.test_intake import form, save

    load_demo_catalogue(runtime)
    ensure_demo_accounts(runtime.engine)
    boss = login(runtime.engine, "giamdoc", "giamdoc123")
    [d] = save(runtime, form(procedure_code="1.001193", fee="0", components=[]))
    life = Lifecycle(runtime.engine, runtime.config)
    life.request_supplement(d.code, ["Giấy chứng sinh"], "", boss.id)
    life.resume(d.code, boss.id)
    life.request_supplement(d.code, ["Sổ hộ khẩu"], "Giấy tờ bị tẩy xóa", boss.id, approved_by=boss)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lookup_reprint_list(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    """Ctrl+P on the look-up: each supplement slip with its own number."""
    two_supplement_slips(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    typed = ("f8", *"0912345678", "enter", "ctrl+p")
    assert snap_compare(app, terminal_size=size, run_before=keys(*typed))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_lookup_reprinted(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    """A reprint says where the document went (the sample writes a preview file, named)
    and which slip it was; the slip still waiting in the queue is the one printed."""
    two_supplement_slips(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    typed = ("f8", *"0912345678", "enter", "ctrl+p", "enter")
    assert snap_compare(app, terminal_size=size, run_before=keys(*typed))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("state", ["processing", "resolved"])
def test_kiosk_dossier_status(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int], state: str
) -> None:
    """The kiosk's status view after a receipt's code: the status in capitals with
    its Vietnamese marks on a band (green once the result is ready), the due date large
    while it is being processed."""
    from desk.dossiers.lifecycle import Lifecycle
    from tests.dossiers.test_intake import form, save

    load_demo_catalogue(frozen)
    [d] = save(frozen, form(procedure_code="1.004873"))
    life = Lifecycle(frozen.engine, frozen.config)
    if state == "processing":
        life.start(d.code)
    else:
        life.resolve(d.code)
    app = DeskApp(frozen, role="kiosk")
    assert snap_compare(app, terminal_size=size, run_before=keys("asterisk", *d.code, "enter"))
