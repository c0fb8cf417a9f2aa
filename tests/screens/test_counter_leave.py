"""Esc at the counter asks before it closes the counter: an Esc meant for a dialog
that had already closed (two presses, one too many) used to end `desk counter N` at
once, the counter shown closed on the board and the officer signed out."""

from __future__ import annotations

from typing import Any

import pytest

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.confirm import Confirm
from screens.counter import CounterScreen
from tests.conftest import signed_in
from tests.screens.test_everyday import settle
from tests.screens.test_snapshots import SIZES, frozen, keys, queue_of

__all__ = ["frozen"]


async def test_esc_asks_and_only_yes_closes_the_counter(runtime: Runtime) -> None:
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        for no in ("n", "k", "escape"):  # K: Không, as C is Có
            await pilot.press("escape")
            await settle(app, pilot)
            dialog = app.screen
            assert isinstance(dialog, Confirm)
            assert dialog.title_text == "Đóng Quầy 1 và thoát chương trình?"
            await pilot.press(no)
            await settle(app, pilot)
            assert isinstance(app.screen, CounterScreen) and app.is_running
            assert Queue(runtime).counter_status(1).state == "open"
        await pilot.press("f2")  # the counter still works
        await settle(app, pilot)
        assert Queue(runtime).counter_status(1).current is not None
        await pilot.press("enter", "f9", "escape")  # asked once the finish is written
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        assert Queue(runtime).counter_status(1).served_today == 1
        # meanwhile counter 2 sent a citizen to this counter
        other = Queue(runtime)
        sent = other.issue("A").ticket
        other.call_next(2)
        other.transfer(2, to_counter=1)
        await pilot.press("c")  # Có
        await settle(app, pilot)
    assert Queue(runtime).counter_status(1).state == "closed"
    assert app.return_code == 0
    # closed, this counter would never call that citizen: back in A's queue for anyone
    again = Queue(runtime).call_next(2)
    assert again is not None and again.number == sent.number and again.target_counter is None


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_question_on_screen(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    queue_of(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    assert snap_compare(app, terminal_size=size, run_before=keys("escape"))
