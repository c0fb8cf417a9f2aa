"""Queue latency with 8 concurrent processes on one SQLite WAL file.

2 kiosk processes issue tickets and 6 counter processes call next (and start) on
the same database through desk's engine; the same workload then runs with raw
sqlite3 (one BEGIN IMMEDIATE transaction per operation) as the baseline. Every
worker imports, connects and warms up first, and all start their timed loop
together. Both workloads run for a fixed time, so desk and raw are measured over
the same span of the machine's life.

- paced (the JSON's unprefixed keys): Poisson arrivals, each kiosk issuing every
  50 ms and each counter calling every 100 ms on average, 40 tickets a second. A
  late operation counts from when it was due, so a backlog shows.
- flood (keys prefixed ``flood_``): every process back to back, no pause, 8
  CPU-bound processes on this machine's cores. The write lock is rarely free and
  the scheduler preempts processes in the middle of an operation (and while they
  hold the lock), so its figures measure saturation, not the latency of a step.

Prints p50/p99 of issue and call-next for both and the invariant check of desk's
runs.

    uv run python bench/queue_bench.py [--seconds 10] [--flood-seconds 3]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
WORKER = ROOT / "tests" / "queue_worker.py"
ROLES = [("kiosk", 0), ("kiosk", 1)] + [("counter", n) for n in range(1, 7)]

RAW_SCHEMA = """
CREATE TABLE IF NOT EXISTS seq (scope TEXT, day TEXT, last INTEGER, PRIMARY KEY (scope, day));
CREATE TABLE IF NOT EXISTS ticket (id INTEGER PRIMARY KEY, service TEXT, day TEXT, number TEXT,
  status TEXT, counter INTEGER, queued_at REAL, UNIQUE (day, number));
CREATE INDEX IF NOT EXISTS ix_raw ON ticket (status, service, queued_at);
"""
COUNTER_SERVICES = {1: "A", 2: "AB", 3: "B", 4: "C", 5: "DE", 6: "F"}


def raw_worker(
    path: str, role: str, arg: int, ops: int, seed: int, every_ms: float, seconds: float
) -> None:
    from tests.queue_worker import Pace

    conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=5000")
    rnd = random.Random(seed)
    services = tuple(COUNTER_SERVICES.get(arg, ""))
    marks = ",".join("?" * len(services))

    def issue() -> None:
        svc = rnd.choice("ABCDEF")
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO seq VALUES (?, '2026-11-23', 1) ON CONFLICT DO UPDATE SET last = last + 1",
            (svc,),
        )
        (last,) = conn.execute(
            "SELECT last FROM seq WHERE scope = ? AND day = '2026-11-23'", (svc,)
        ).fetchone()
        conn.execute(
            "INSERT INTO ticket (service, day, number, status, queued_at) VALUES (?, '2026-11-23', ?, 'waiting', ?)",
            (svc, f"{svc}{last:03d}", time.time()),
        )
        conn.execute("COMMIT")

    def call_next() -> None:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "UPDATE ticket SET status = 'done' WHERE counter = ? AND status = 'called'", (arg,)
        )
        row = conn.execute(
            f"SELECT id FROM ticket WHERE status = 'waiting' AND service IN ({marks}) ORDER BY queued_at, id LIMIT 1",
            services,
        ).fetchone()
        if row:
            conn.execute(
                "UPDATE ticket SET status = 'called', counter = ? WHERE id = ? AND status = 'waiting'",
                (arg, row[0]),
            )
        conn.execute("COMMIT")

    op, timings = (issue, []) if role == "kiosk" else (call_next, [])
    op()  # one untimed pass, as desk's workers do
    print("ready", flush=True)
    sys.stdin.readline()
    pace = Pace(every_ms, rnd)
    end = time.perf_counter() + seconds if seconds > 0 else float("inf")
    for _ in range(ops):
        due = pace.wait()
        if time.perf_counter() >= end:
            break
        op()
        timings.append((time.perf_counter() - due) * 1000)
    key = "issue_ms" if role == "kiosk" else "call_ms"
    print(json.dumps({"issue_ms": [], "call_ms": [], key: timings}))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def run_all(cmds: list[list[str]]) -> list[dict[str, Any]]:
    """Start every worker, wait until all are ready, then let them go at once."""
    from tests.queue_worker import run_together

    try:
        return run_together(cmds)
    except RuntimeError as exc:
        sys.exit(str(exc))


def run_scenario(
    config: Any, tmp: str, name: str, kiosk_every: float, counter_every: float, seconds: float
) -> dict[str, Any]:
    """The same paced (or back-to-back) workload through desk and through raw sqlite3.

    Paced: each process runs the operations due in ``seconds`` (a late one still
    runs and counts). Back to back: each process runs for ``seconds``."""
    flood = kiosk_every <= 0
    limit = str(seconds if flood else 0)

    def ops(role: str) -> int:
        every = kiosk_every if role == "kiosk" else counter_every
        return 10**9 if flood else int(seconds * 1000 / every)

    def every(role: str) -> str:
        return str(kiosk_every if role == "kiosk" else counter_every)

    from desk.center.runtime import open_runtime
    from desk.queue.check import check_invariants

    url = f"sqlite:///{tmp}/{name}.db"
    open_runtime(config, url)
    desk_results = run_all(
        [
            [
                sys.executable,
                str(WORKER),
                url,
                role,
                str(arg),
                str(ops(role)),
                str(i),
                "--barrier",
                "--every-ms",
                every(role),
                "--seconds",
                limit,
            ]
            for i, (role, arg) in enumerate(ROLES)
        ]
    )
    problems = check_invariants(open_runtime(config, url).engine)
    raw_path = f"{tmp}/{name}-raw.db"
    conn = sqlite3.connect(raw_path)
    conn.executescript(RAW_SCHEMA)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.close()
    raw_results = run_all(
        [
            [
                sys.executable,
                __file__,
                "--raw-worker",
                raw_path,
                role,
                str(arg),
                str(ops(role)),
                str(i),
                every(role),
                limit,
            ]
            for i, (role, arg) in enumerate(ROLES)
        ]
    )
    figures = {
        "issue": [v for r in desk_results for v in r["issue_ms"]],
        "call": [v for r in desk_results for v in r["call_ms"]],
        "raw_issue": [v for r in raw_results for v in r["issue_ms"]],
        "raw_call": [v for r in raw_results for v in r["call_ms"]],
    }
    called = sum(len(r["claimed"]) for r in desk_results)
    ratio = pct(figures["call"], 0.99) / max(pct(figures["raw_call"], 0.99), 1e-9)
    print(f"\n{name}: {SCENARIOS_TEXT[name]}")
    for key, label in (
        ("issue", "desk issue    "),
        ("call", "desk call-next"),
        ("raw_issue", "raw  issue    "),
        ("raw_call", "raw  call-next"),
    ):
        values = figures[key]
        print(
            f"  {label}  p50 {statistics.median(values):7.2f} ms  "
            f"p99 {pct(values, 0.99):7.2f} ms  (n={len(values)})"
        )
    print(
        f"  tickets called {called}; call-next p99 desk/raw {ratio:.1f}×; "
        f"invariants: {'ok' if not problems else problems[:5]}"
    )
    return {
        "issue_p50_ms": round(statistics.median(figures["issue"]), 3),
        "issue_p99_ms": round(pct(figures["issue"], 0.99), 3),
        "call_next_p50_ms": round(statistics.median(figures["call"]), 3),
        "call_next_p99_ms": round(pct(figures["call"], 0.99), 3),
        "raw_issue_p99_ms": round(pct(figures["raw_issue"], 0.99), 3),
        "raw_call_next_p99_ms": round(pct(figures["raw_call"], 0.99), 3),
        "call_next_p99_ratio": round(ratio, 2),
        "tickets_called": called,
        "invariants_ok": not problems,
    }


SCENARIOS_TEXT = {
    "paced": "each kiosk issues every 50 ms and each counter calls (and starts) every "
    "100 ms on average, Poisson arrivals: 40 tickets/s, ~1,000× a busy center's peak",
    "flood": "every process back to back, no pause: 8 CPU-bound processes share the "
    "machine's cores, so operations wait for the lock and for a CPU (saturation)",
}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10.0, help="length of the paced run")
    parser.add_argument("--flood-seconds", type=float, default=3.0, help="length of the flood")
    parser.add_argument("--raw-worker", nargs=7, metavar="X")
    args = parser.parse_args()
    if args.raw_worker:
        path, role, arg, ops, seed, every, seconds = args.raw_worker
        raw_worker(path, role, int(arg), int(ops), int(seed), float(every), float(seconds))
        return
    from desk.center.config import load_config

    config = load_config(ROOT / "config.toml")
    print(
        "8 processes (2 kiosks, 6 counters) on one SQLite WAL file; desk's engine, then raw sqlite3"
    )
    with tempfile.TemporaryDirectory() as tmp:
        paced = run_scenario(config, tmp, "paced", 50.0, 100.0, args.seconds)
        flood = run_scenario(config, tmp, "flood", 0.0, 0.0, args.flood_seconds)
    print(
        json.dumps(
            {
                **paced,
                **{f"flood_{key}": value for key, value in flood.items()},
                "invariants_ok": paced["invariants_ok"] and flood["invariants_ok"],
            }
        )
    )


if __name__ == "__main__":
    main()
