"""The board's list of recent calls: a ★ on a priority ticket does not push its "→"
out of line with the other rows."""

from __future__ import annotations

from typing import Any

import pytest
from rich.cells import cell_len
from textual.widgets import Static

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from tests.screens.test_counter import settle
from tests.screens.test_snapshots import SIZES, frozen, keys

__all__ = ["frozen"]


def calls_with_a_priority_ticket_among_them(runtime: Runtime) -> None:
    """Four calls: a priority ticket (★A002) between regular ones, none of them last."""
    q = Queue(runtime)
    q.issue("A")
    q.issue("A", "elderly")
    q.issue("B")
    q.issue("B")
    assert q.call_next(1) is not None  # A001 (counter 1 serves civil status in order)
    assert q.call_next(7) is not None  # ★A002 at the priority counter
    assert q.call_next(3) is not None  # B001
    assert q.call_next(2) is not None  # B002, the latest: in large glyphs


def arrow_columns(app: DeskApp) -> list[int]:
    previous = str(app.screen.query_one("#board-previous", Static).render())
    lines = previous.splitlines()
    assert len(lines) == 3 and any("★" in line for line in lines), lines
    assert any("★" not in line for line in lines), lines
    return [cell_len(line[: line.index("→")]) for line in lines]


async def test_the_arrows_stand_in_one_column(frozen: Runtime) -> None:
    calls_with_a_priority_ticket_among_them(frozen)
    app = DeskApp(frozen, role="board")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        columns = arrow_columns(app)
    assert len(set(columns)) == 1, columns


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_board_with_a_priority_ticket_in_the_list(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int]
) -> None:
    calls_with_a_priority_ticket_among_them(frozen)
    app = DeskApp(frozen, role="board")
    assert snap_compare(app, terminal_size=size, run_before=keys())
