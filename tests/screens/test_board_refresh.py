"""The board reads the calls only when the database changed, shows a call made
elsewhere at its next poll, and redraws nothing when nothing it shows changed."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Static

from desk import clock
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.board import BoardScreen
from tests.screens.test_counter import settle, text_of
from tests.screens.test_counter_refresh import elsewhere, statements


async def test_an_idle_board_reads_nothing_and_redraws_nothing(runtime: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0, 10))
    q = Queue(runtime)
    for _ in range(3):
        q.issue("A")
    q.call_next(1)
    q.call_next(2)
    app = DeskApp(runtime, role="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        assert screen.query_one("#board-number", BigText).value == "A002"
        previous = screen.query_one("#board-previous", Static)
        drawn = previous.visual
        with statements(runtime.engine) as run:
            for _ in range(10):
                screen.poll()
                await settle(app, pilot)
        assert run == []
        # a change the board does not show (a ticket issued): read, nothing redrawn
        with elsewhere(runtime) as kiosk:
            kiosk.issue("B")
        with statements(runtime.engine) as run:
            screen.poll()
            await settle(app, pilot)
        assert run
        assert previous.visual is drawn
        # a call made by another process shows at the next poll
        with elsewhere(runtime) as counter:
            counter.call_next(3)
        screen.poll()
        await settle(app, pilot)
        assert screen.query_one("#board-number", BigText).value == "B001"
        assert screen.query_one("#board-counter", BigText).value == "3"
        assert "A002  →  Quầy 2" in text_of(app, "#board-previous")
