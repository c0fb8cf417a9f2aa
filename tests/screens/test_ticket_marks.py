"""A priority ticket's ★ (``numbering = "mark"``) is drawn with its number wherever
a ticket number is drawn: the counter's waiting list (at an ordinary counter too,
where the list's priority column is off screen at 80 columns), the counter's
current ticket, the board and the kiosk's ticket."""

from __future__ import annotations

import dataclasses

from textual.widgets import DataTable, Static

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from desk.queue.views import ticket_label
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.counter import CounterScreen
from tests.conftest import signed_in
from tests.screens.person import press_as_a_person
from tests.screens.test_everyday import settle


def test_the_mark_follows_the_numbering_rule() -> None:
    assert ticket_label("A012", True, "mark") == "★A012"
    assert ticket_label("A012", False, "mark") == "A012"
    assert ticket_label("U012", True, "prefix") == "U012"


async def test_an_ordinary_counter_marks_priority_tickets_at_80_columns(
    runtime: Runtime,
) -> None:
    q = Queue(runtime)
    q.issue("A")
    q.issue("A", "elderly")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        table: DataTable[str] = screen.query_one("#waiting", DataTable)
        # what the officer sees of the list: the columns inside its visible width
        visible = table.scrollable_content_region.width
        shown = [str(table.get_row_at(i)[0]) for i in range(table.row_count)]
        assert shown == ["A001", "★A002"]
        assert table.columns[next(iter(table.columns))].get_render_width(table) <= visible
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("enter", "f9", "f2")  # A001 served and finished, A002 called
        await settle(app, pilot)
        assert screen.query_one("#current-number", BigText).value == "★A002"


async def test_the_board_and_the_kiosk_mark_a_priority_ticket(
    runtime: Runtime, open_hours: None
) -> None:
    q = Queue(runtime)
    q.issue("A", "elderly")
    q.call_next(1)
    board = DeskApp(runtime, role="board")
    async with board.run_test(size=(120, 40)) as pilot:
        await settle(board, pilot)
        assert board.screen.query_one("#board-number", BigText).value == "★A001"
        q.start(1)
        q.finish(1)
        q.issue("A")
        q.call_next(1)
        await pilot.pause(0.6)  # the board's own poll
        await settle(board, pilot)
        assert board.screen.query_one("#board-number", BigText).value == "A002"
        previous = str(board.screen.query_one("#board-previous", Static).render())
        assert previous.startswith("★A001  →  Quầy 1")
    kiosk = DeskApp(runtime, role="kiosk")
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(kiosk, pilot)
        await press_as_a_person(pilot, "0", "1", "1")  # priority, the first category, Hộ tịch
        await settle(kiosk, pilot)
        assert kiosk.screen.query_one("#ticket-number", BigText).value == "★A003"


async def test_own_prefix_numbering_draws_no_mark(runtime: Runtime) -> None:
    config = runtime.config
    prefixed = config.model_copy(
        update={"priority": config.priority.model_copy(update={"numbering": "prefix"})}
    )
    rt = dataclasses.replace(runtime, config=prefixed)
    Queue(rt).issue("A", "elderly")
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table: DataTable[str] = app.screen.query_one("#waiting", DataTable)
        assert str(table.get_row_at(0)[0]) == "U001"


async def test_a_service_name_with_brackets_shows_as_written(runtime: Runtime) -> None:
    """The waiting list's cells are text, not Rich markup: a service the center named
    with brackets keeps them, and the list is drawn."""
    config = runtime.config
    first = config.services[0].model_copy(update={"name_vi": "Chứng thực [bản sao]"})
    named = config.model_copy(update={"services": [first, *config.services[1:]]})
    rt = dataclasses.replace(runtime, config=named)
    Queue(rt).issue(first.prefix)
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        table: DataTable[str] = app.screen.query_one("#waiting", DataTable)
        assert str(table.get_row_at(0)[1]) == "Chứng thực [bản sao]"
        drawn = [strip.text for strip in table.render_lines(table.region.reset_offset)]
        assert any("Chứng thực [bản sao]" in line for line in drawn), drawn
