"""A worker process for the multi-process queue tests and benchmark: a kiosk that
issues tickets, or a counter that calls and finishes them, on a shared database."""

from __future__ import annotations

import contextlib
import json
import random
import sys
import time
from pathlib import Path

from desk.config import load_config
from desk.queue import Queue, QueueBusy, QueueError
from desk.runtime import open_runtime

ROOT = Path(__file__).resolve().parent.parent


def main(url: str, role: str, arg: int, ops: int, seed: int) -> None:
    queue = Queue(open_runtime(load_config(ROOT / "config.toml"), url))
    rnd = random.Random(seed)
    issued: list[int] = []
    claimed: list[int] = []
    issue_ms: list[float] = []
    call_ms: list[float] = []
    busy = 0
    services = [s.prefix for s in queue.config.services]
    categories = [c.code for c in queue.config.priority.categories]
    if role == "counter":
        queue.set_state(arg, "open")
    done = 0
    while done < ops:
        try:
            if role == "kiosk":
                category = rnd.choice(categories) if rnd.random() < 0.2 else None
                start = time.perf_counter()
                ticket = queue.issue(rnd.choice(services), category)
                issue_ms.append((time.perf_counter() - start) * 1000)
                issued.append(ticket.ticket.id)
            else:
                start = time.perf_counter()
                called = queue.call_next(arg)
                call_ms.append((time.perf_counter() - start) * 1000)
                if called is not None:
                    claimed.append(called.id)
                    queue.start(arg)
            done += 1
        except QueueBusy:
            busy += 1
    if role == "counter" and claimed:
        # the last call may have found nobody and already finished the ticket
        with contextlib.suppress(QueueError):
            queue.finish(arg)
    print(
        json.dumps(
            {
                "role": role,
                "arg": arg,
                "issued": issued,
                "claimed": claimed,
                "issue_ms": issue_ms,
                "call_ms": call_ms,
                "busy": busy,
            }
        )
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
