"""A worker process for the multi-process queue tests and benchmark: a kiosk that
issues tickets, or a counter that calls and finishes them, on a shared database."""

from __future__ import annotations

import argparse
import contextlib
import json
import random
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if __name__ == "__main__":
    # Run as a script, tests/ is sys.path[0]; its db/ and queue/ folders would shadow
    # the top-level packages of the same names.
    sys.path[0] = str(ROOT)

from desk.center.config import load_config  # noqa: E402
from desk.center.runtime import open_runtime  # noqa: E402
from desk.queue.engine import Queue  # noqa: E402
from desk.queue.views import QueueBusy, QueueError  # noqa: E402


def wait_for_go() -> None:
    """Say "ready" and wait for "go" on stdin, so that every worker starts its timed
    loop together, after all of them have imported and connected."""
    print("ready", flush=True)
    sys.stdin.readline()


def run_together(commands: list[list[str]], timeout: float = 600) -> list[dict[str, Any]]:
    """Start a worker per command (each run with ``--barrier``), wait until every one
    is ready, let them all go at once, and return each one's final JSON line. A
    worker that fails raises RuntimeError with the end of its stderr."""
    procs = [
        subprocess.Popen(
            command,
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for command in commands
    ]
    for proc in procs:
        assert proc.stdout is not None
        if proc.stdout.readline().strip() != "ready":
            raise RuntimeError(proc.communicate()[1][-3000:] or "a worker failed to start")
    for proc in procs:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    results = []
    for proc in procs:
        out, err = proc.communicate(timeout=timeout)
        if proc.returncode != 0:
            raise RuntimeError(err[-3000:])
        results.append(json.loads(out.strip().splitlines()[-1]))
    return results


def warm_up(queue: Queue, role: str, arg: int, issued: list[int], claimed: list[int]) -> None:
    """One untimed pass through the steps this worker times, so that the first timed
    operation does not pay for compiling its statements (a counter PC does that
    once, when the screen opens). The tickets are real and kept in the checks."""
    services = [s.prefix for s in queue.config.services]
    if role == "kiosk":
        issued.append(queue.issue(services[arg % len(services)]).ticket.id)
        return
    counter = next(c for c in queue.config.counters if c.number == arg)
    issued.append(queue.issue(counter.services[0]).ticket.id)
    called = queue.call_next(arg)
    if called is not None:
        claimed.append(called.id)
        queue.start(arg)
        queue.finish(arg)


def durability(engine: Any, how: str) -> None:
    """For the benchmark's cost of durability only. ``in-commit``: the queue's writer
    syncs inside its commits (``synchronous = FULL``) like every other connection,
    instead of after them; ``none``: nothing syncs at commit (``NORMAL``)."""
    from sqlalchemy import event

    import db.engine

    db.engine.SYNC_AFTER_COMMIT = False
    if how == "none":

        @event.listens_for(engine, "connect")
        def _set(dbapi_conn: Any, _record: Any) -> None:
            dbapi_conn.execute("PRAGMA synchronous = NORMAL")

        engine.dispose()  # the connections made so far were made without it


class Pace:
    """Operations at Poisson arrivals with a mean gap of ``every_ms`` (0: back to
    back). A late operation's latency counts from when it was due, so a backlog
    shows in the figures instead of hiding in the schedule."""

    def __init__(self, every_ms: float, rnd: random.Random) -> None:
        self.every = every_ms / 1000
        self.rnd = rnd
        self.due = time.perf_counter()

    def wait(self) -> float:
        """Sleep until the next operation is due; returns the time it was due."""
        if self.every <= 0:
            return time.perf_counter()
        self.due += self.rnd.expovariate(1 / self.every)
        delay = self.due - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        return self.due


def main(args: argparse.Namespace) -> None:
    role, arg = args.role, args.arg
    # like the app's roles, a worker checkpoints the WAL in the background
    runtime = open_runtime(load_config(ROOT / "config.toml"), args.url, background_checkpoints=True)
    if args.durability != "after-commit":
        durability(runtime.engine, args.durability)
    queue = Queue(runtime, driver=not args.core)
    rnd = random.Random(args.seed)
    issued: list[int] = []
    claimed: list[int] = []
    issue_ms: list[float] = []
    call_ms: list[float] = []
    busy = 0
    services = [s.prefix for s in queue.config.services]
    categories = [c.code for c in queue.config.priority.categories]
    if role == "counter":
        queue.set_state(arg, "open")
    if args.barrier:
        warm_up(queue, role, arg, issued, claimed)
        wait_for_go()
    pace = Pace(args.every_ms, rnd)
    end = time.perf_counter() + args.seconds if args.seconds > 0 else float("inf")
    done = 0
    while done < args.ops and time.perf_counter() < end:
        due = pace.wait()
        try:
            if role == "kiosk":
                category = rnd.choice(categories) if rnd.random() < 0.2 else None
                ticket = queue.issue(rnd.choice(services), category)
                issue_ms.append((time.perf_counter() - due) * 1000)
                issued.append(ticket.ticket.id)
            else:
                called = queue.call_next(arg)
                call_ms.append((time.perf_counter() - due) * 1000)
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
    parser = argparse.ArgumentParser()
    parser.add_argument("url")
    parser.add_argument("role", choices=["kiosk", "counter"])
    parser.add_argument("arg", type=int, help="kiosk index or counter number")
    parser.add_argument("ops", type=int)
    parser.add_argument("seed", type=int)
    parser.add_argument("--barrier", action="store_true")
    parser.add_argument("--every-ms", type=float, default=0.0)
    parser.add_argument("--seconds", type=float, default=0.0, help="stop after (0: never)")
    parser.add_argument("--core", action="store_true", help="plain SQLAlchemy Core steps")
    parser.add_argument(
        "--durability", choices=["after-commit", "in-commit", "none"], default="after-commit"
    )
    main(parser.parse_args())
