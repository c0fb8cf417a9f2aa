"""What an idle poll costs: the screens' reads against the change watch's question.

A counter polls every second, the board twice a second, the rating terminal every
second and every officer screen's sync badge every 3 s. Before issue 14 each poll
read the database; now each asks :class:`desk.queue.watch.ChangeWatch` first and
reads only when the database changed. This measures, in one run on one SQLite file
with a morning's waiting tickets and calls, the reads a poll used to run and the
question it runs now (``Follower.due``: the watch's ``PRAGMA data_version`` and the
clock), median and p99.

    uv run python bench/poll_bench.py [--rounds 2000] [--tickets 40]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def measure(fn: Callable[[], object], rounds: int) -> tuple[float, float]:
    """(median, p99) in microseconds."""
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1e6)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.99))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--tickets", type=int, default=40)
    args = parser.parse_args()

    from desk import clock
    from desk.center.config import load_config
    from desk.center.runtime import open_runtime
    from desk.queue.engine import Queue
    from desk.queue.ratings import last_unrated
    from desk.upstream.sync import status

    config = load_config(ROOT / "config.toml")
    folder = Path(tempfile.mkdtemp(prefix="desk-poll-bench-"))
    runtime = open_runtime(config, f"sqlite:///{folder / 'bench.db'}")
    queue = Queue(runtime)
    for i in range(args.tickets):
        queue.issue("A" if i % 2 else "B")
    for number in (1, 2, 3):
        queue.call_next(number)
    at = clock.now()
    clock.set_clock(lambda: at)  # the same minute all along: only a change makes a read due
    follower = runtime.changes.follower(safety_seconds=float("inf"))
    version = runtime.changes.version()
    mark = follower.due()
    assert mark is not None
    follower.shown(mark)
    counter_id = runtime.ids.counters[3]
    cases: dict[str, Callable[[], object]] = {
        "counter_read": lambda: queue.counter_status(1),
        "board_read": lambda: queue.recent_calls(4 * (config.queue.board_history + 1)),
        "rating_read": lambda: last_unrated(runtime.engine, counter_id),
        "badge_read": lambda: status(runtime.engine),
        "watch_question": follower.due,
    }
    results: dict[str, tuple[float, float]] = {}
    for name, fn in cases.items():
        fn()  # warm
        results[name] = measure(fn, args.rounds)
    assert runtime.changes.version() == version, "the reads changed nothing"
    print(f"{'poll':<16} {'median µs':>10} {'p99 µs':>10}")
    for name, (median, p99) in results.items():
        print(f"{name:<16} {median:>10.1f} {p99:>10.1f}")
    counter_idle = results["counter_read"][0] + results["badge_read"][0] / 3
    print(
        f"an idle counter's polls per second: {counter_idle:.0f} µs of reads before, "
        f"{results['watch_question'][0] * (1 + 1 / 3):.1f} µs of questions now"
    )
    runtime.close()
    out: dict[str, float] = {}
    for name, (median, p99) in results.items():
        out[f"{name}_median_us"] = round(median, 1)
        out[f"{name}_p99_us"] = round(p99, 1)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
