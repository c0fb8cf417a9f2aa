"""The board speaks every call, in order, even two made between two of its polls."""

from __future__ import annotations

import asyncio
import dataclasses
import sys
from datetime import datetime
from pathlib import Path

from desk import clock
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.board import BoardScreen
from tests.notify.test_announce import RECORDER
from tests.screens.test_counter import settle


async def test_two_calls_between_polls_are_both_spoken_in_order(
    runtime: Runtime, tmp_path: Path
) -> None:
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
    script, log = tmp_path / "record.py", tmp_path / "spoken.txt"
    script.write_text(RECORDER)
    ui = runtime.config.ui.model_copy(
        update={
            "speech": True,
            "speech_command": [sys.executable, str(script), str(log), "{text}", "0.05"],
            "chime_command": [],
        }
    )
    rt = dataclasses.replace(runtime, config=runtime.config.model_copy(update={"ui": ui}))
    queue = Queue(rt)
    queue.issue("A")
    queue.issue("A")
    queue.issue("B")
    queue.call_next(1)
    board = DeskApp(rt, role="board")
    async with board.run_test(size=(100, 30)) as pilot:
        await settle(board, pilot)
        screen = board.screen
        assert isinstance(screen, BoardScreen)
        queue.call_next(2)  # A002
        queue.call_next(3)  # B001, before the board polls again
        screen.poll()
        await settle(board, pilot)
        for _ in range(200):  # until both are spoken (each takes about 50 ms)
            if log.exists() and len(log.read_text().splitlines()) >= 4:
                break
            await asyncio.sleep(0.05)
    spoken = [line for line in log.read_text().splitlines() if line.startswith("end")]
    assert spoken == ["end Mời số A 0 0 2 đến quầy 2", "end Mời số B 0 0 1 đến quầy 3"]
