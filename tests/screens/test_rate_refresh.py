"""The rating terminal reads only when the database changed, offers a ticket
finished elsewhere at its next poll, and lets it go when the window closes."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk import clock
from desk.center.runtime import Runtime
from desk.queue.ratings import RATING_WINDOW
from screens.app import DeskApp
from screens.rate import RateScreen
from tests.screens.test_counter import settle, text_of
from tests.screens.test_counter_refresh import elsewhere, statements


async def test_an_idle_rating_terminal_reads_nothing(runtime: Runtime) -> None:
    now = [datetime(2026, 12, 7, 9, 0, 10)]
    clock.set_clock(lambda: now[0])
    app = DeskApp(runtime, role="rate", counter=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, RateScreen)
        with statements(runtime.engine) as run:
            for _ in range(10):
                screen.poll()
                await settle(app, pilot)
        assert run == []
        with elsewhere(runtime) as queue:  # the kiosk and counter 3: other processes
            queue.issue("B")
            queue.call_next(3)
            queue.start(3)
            queue.finish(3)
        screen.poll()
        await settle(app, pilot)
        assert text_of(app, "#rate-ticket") == "Số B001 vừa được phục vụ"
        with statements(runtime.engine) as run:
            for _ in range(5):
                screen.poll()
                await settle(app, pilot)
        assert run == []
        now[0] += RATING_WINDOW + timedelta(minutes=1)
        screen.poll()
        await settle(app, pilot)
        assert text_of(app, "#rate-ticket") == ""
        assert text_of(app, "#rate-options") == ""
