"""What a first-time officer met at the counter: a question's key bar showed the
counter's keys, F1 said R and 1 2 3 did not apply without saying why, a letter typed
at the counter did nothing and said nothing, F4's message was still there after a
dossier, and in English a priority category broke inside a phrase at 80 columns."""

from __future__ import annotations

import dataclasses

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.confirm import Confirm
from screens.counter import CounterScreen
from screens.phrases import PhraseLine
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_walk import screen_lines


def counter_message(app: DeskApp) -> str:
    """The counter's message as written (on screen it breaks between phrases)."""
    counter = next(s for s in app.screen_stack if isinstance(s, CounterScreen))
    return counter.query_one("#counter-message", PhraseLine).text


def with_scan_gap(runtime: Runtime, ms: int) -> Runtime:
    identity = runtime.config.identity.model_copy(update={"scan_gap_ms": ms})
    config = runtime.config.model_copy(update={"identity": identity})
    return dataclasses.replace(runtime, config=config)


async def test_a_question_shows_its_own_keys_in_the_key_bar(runtime: Runtime) -> None:
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "F2 Gọi số" in screen_lines(app)[-2]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        bottom = screen_lines(app)[-3:]  # the counter's bar took the last two lines
        assert bottom[-1].strip() == "Y Có  N Không  Esc Hủy"
        assert not any("F2" in line or "Esc Đóng quầy" in line for line in bottom)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        bottom = screen_lines(app)[-2:]
        assert "F2 Gọi số" in bottom[0] and "Esc Đóng quầy" in bottom[1]
        assert "Y Có" not in " ".join(bottom)
