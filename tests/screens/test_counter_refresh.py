"""The counter reads the queue only when the database changed, shows a change made
elsewhere at its next poll, and redraws only what changed (issue 14)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, event
from textual.widgets import DataTable

from desk import clock
from desk.center.runtime import Runtime, open_runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.counter import CounterScreen
from screens.syncbadge import SyncBadge
from tests.conftest import signed_in
from tests.screens.test_counter import settle, text_of


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Every statement run on ``engine`` during the block (the queue's kept
    connections, the pool's sessions)."""
    seen: list[str] = []

    def count(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@contextmanager
def elsewhere(runtime: Runtime) -> Iterator[Queue]:
    """The queue as another process sees it: its own engine and connections."""
    other = open_runtime(runtime.config, runtime.url)
    try:
        yield Queue(other)
    finally:
        other.close()


def waiting(screen: CounterScreen) -> list[list[str]]:
    table: DataTable[str] = screen.query_one("#waiting", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_an_idle_counter_reads_nothing_and_shows_a_ticket_issued_elsewhere(
    runtime: Runtime,
) -> None:
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0, 10))
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        badge = screen.query_one(SyncBadge)
        for _ in range(2):  # whatever the first polls missed (the counter opening) is read
            screen.refresh_status()
            badge.poll()
            await settle(app, pilot)
        with statements(runtime.engine) as run:
            for _ in range(10):
                screen.refresh_status()
                badge.poll()
                await settle(app, pilot)
        assert run == []
        assert [row[0] for row in waiting(screen)] == ["A001"]
        with elsewhere(runtime) as kiosk:
            kiosk.issue("A")
        screen.refresh_status()  # one poll
        await settle(app, pilot)
        assert [row[0] for row in waiting(screen)] == ["A001", "A002"]
        assert "đang chờ 2" in text_of(app, "#counter-counts")


async def test_the_counters_own_step_shows_at_once(runtime: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0, 10))
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        await pilot.press("f2")
        await settle(app, pilot)  # no poll in between: the step's own result
        assert screen.query_one("#current-number", BigText).value == "A001"
        assert waiting(screen) == []


async def test_an_unchanged_list_keeps_its_rows_and_only_changed_cells_are_redrawn(
    runtime: Runtime,
) -> None:
    now = [datetime(2026, 12, 7, 9, 0, 10)]
    clock.set_clock(lambda: now[0])
    q = Queue(runtime)
    q.issue("A")
    q.issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        table: DataTable[str] = screen.query_one("#waiting", DataTable)
        screen.refresh_status()
        await settle(app, pilot)
        rows = dict(table.rows)
        assert [row[0] for row in waiting(screen)] == ["A001", "A002"]
        # a change the counter does not show (a certification ticket: not its service)
        with elsewhere(runtime) as kiosk:
            kiosk.issue("B")
        with statements(runtime.engine) as run:
            screen.refresh_status()
            await settle(app, pilot)
        assert run  # read again, since the database changed …
        assert all(table.rows[key] is row for key, row in rows.items())  # … same rows
        assert [row[3] for row in waiting(screen)] == ["0", "0"]
        # two minutes on: only the minutes waited change, the rows stay
        now[0] += timedelta(minutes=2)
        screen.refresh_status()
        await settle(app, pilot)
        assert [row[3] for row in waiting(screen)] == ["2", "2"]
        assert all(table.rows[key] is row for key, row in rows.items())
        # a new ticket joins the end; the rows before it stay
        q.issue("A")
        screen.refresh_status()
        await settle(app, pilot)
        assert [row[0] for row in waiting(screen)] == ["A001", "A002", "A003"]
        assert all(table.rows[key] is row for key, row in rows.items())
