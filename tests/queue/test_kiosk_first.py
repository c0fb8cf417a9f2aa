"""A counter's call gives way to a kiosk's issue under way on the same file."""

from __future__ import annotations

import time
from pathlib import Path

from db.engine import YIELD_SECONDS, Turn
from desk.center.config import Config
from desk.center.runtime import open_runtime
from desk.queue.engine import Queue


def test_a_counters_call_waits_while_a_kiosk_issues(tmp_path: Path, config: Config) -> None:
    """Under a flood the counters' calls that find nobody (plain reads, no lock) kept
    both cores busy while a kiosk wrote and flushed a citizen's ticket. A call now
    waits while a kiosk's issue is under way — at most YIELD_SECONDS, so a kiosk
    issuing back to back cannot starve it — and goes at once otherwise."""
    path = tmp_path / "desk.db"
    runtime = open_runtime(config, f"sqlite:///{path}")
    queue = Queue(runtime)
    queue.set_state(1, "open")
    kiosk = Turn(str(path))  # another open file of the -turn file: as another process's
    try:
        with kiosk.waiting():  # a kiosk's issue under way
            started = time.monotonic()
            assert queue.call_next(1) is None  # nobody waits: answered without the lock
            waited = time.monotonic() - started
        assert waited >= YIELD_SECONDS
        issued = queue.issue("A")
        assert kiosk.clear()  # the issue's own mark ended with it
        called = queue.call_next(1)
        assert called is not None and called.number == issued.ticket.number
    finally:
        kiosk.close()
