"""Queue latency with 8 concurrent processes on one SQLite WAL file.

2 kiosk processes issue tickets and 6 counter processes call next (and start) on
the same database through desk's engine; the same workload then runs through desk's
variants, and with raw sqlite3 (one BEGIN IMMEDIATE transaction per operation,
``synchronous=FULL``) as the baseline. Every worker imports, connects and warms up
first, and all start their timed loop together. Each workload runs for a fixed
time; compare the ratios to raw measured in the same run.

desk's variants (see VARIANTS): as shipped (the driver layer of db.prepared, durable
commits); plain SQLAlchemy Core for the same steps; not durable (NORMAL, what
durability costs); FULL inside every commit (paced only).

- paced (the JSON's unprefixed keys): Poisson arrivals, each kiosk issuing every
  50 ms and each counter calling every 100 ms on average, 40 tickets a second. A
  late operation counts from when it was due, so a backlog shows.
- flood (keys prefixed ``flood_``): every process back to back, no pause, 8
  CPU-bound processes on this machine's cores. The write lock is rarely free and
  the scheduler preempts processes in the middle of an operation (and while they
  hold the lock), so its figures measure saturation, not the latency of a step.
- volume: one counter's call-next after 50 and after 5,000 tickets issued that day
  (``call_next_p50_at_50_ms``, ``call_next_p50_at_5000_ms``).

Prints p50/p99 of issue and call-next for each and the invariant check of desk's
runs.

    uv run python bench/queue_bench.py [--seconds 10] [--flood-seconds 10] [--only flood] [--volume-calls 300]
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
    conn.execute("PRAGMA synchronous=FULL")  # as durable as desk
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
        while True:
            try:
                op()
                break
            except sqlite3.OperationalError as exc:
                # locked past the busy timeout (SQLite's own handler can starve a writer
                # under the flood): the operation is retried and its wait counts
                if "locked" not in str(exc):
                    raise
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
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


VARIANTS = {
    "desk": ([], "desk          "),
    "core": (["--core"], "plain Core    "),
    "normal": (["--durability", "none"], "not durable   "),
    "fullcommit": (["--durability", "in-commit"], "FULL in commit"),
}
"""desk as shipped (the driver layer; durable: the writer syncs the log right after
each commit); the same steps as plain SQLAlchemy Core; desk without durability
(synchronous=NORMAL, what durability costs); desk syncing inside every commit
(synchronous=FULL everywhere, paced only: what syncing after the commit saves)."""
FLOOD_VARIANTS = ("desk", "core", "normal")


def run_scenario(
    config: Any, tmp: str, name: str, kiosk_every: float, counter_every: float, seconds: float
) -> dict[str, Any]:
    """The same paced (or back-to-back) workload through each of desk's variants and
    through raw sqlite3.

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

    figures: dict[str, list[float]] = {}
    called: dict[str, int] = {}
    problems: list[str] = []
    variants = {v: VARIANTS[v] for v in (FLOOD_VARIANTS if flood else VARIANTS)}
    for variant, (flags, _label) in variants.items():
        url = f"sqlite:///{tmp}/{name}-{variant}.db"
        open_runtime(config, url)
        results = run_all(
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
                    *flags,
                ]
                for i, (role, arg) in enumerate(ROLES)
            ]
        )
        problems += check_invariants(open_runtime(config, url).engine)
        figures[f"{variant}_issue"] = [v for r in results for v in r["issue_ms"]]
        figures[f"{variant}_call"] = [v for r in results for v in r["call_ms"]]
        called[variant] = sum(len(r["claimed"]) for r in results)
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
    figures["raw_issue"] = [v for r in raw_results for v in r["issue_ms"]]
    figures["raw_call"] = [v for r in raw_results for v in r["call_ms"]]

    def p50(key: str) -> float:
        return round(statistics.median(figures[key]), 3) if figures[key] else 0.0

    def p99(key: str) -> float:
        return round(pct(figures[key], 0.99), 3)

    def ratio(key: str, raw_key: str) -> float:
        return round(p99(key) / max(p99(raw_key), 1e-9), 2)

    print(f"\n{name}: {SCENARIOS_TEXT[name]}")
    labels = {variant: label for variant, (_flags, label) in variants.items()}
    labels["raw"] = "raw sqlite3   "
    for variant, label in labels.items():
        for step, key in (("issue    ", f"{variant}_issue"), ("call-next", f"{variant}_call")):
            line = (
                f"  {label} {step}  p50 {p50(key):7.2f} ms  p99 {p99(key):7.2f} ms  "
                f"(n={len(figures[key])})"
            )
            if variant != "raw":
                raw_key = "raw_issue" if key.endswith("issue") else "raw_call"
                line += f"  p99 ×{ratio(key, raw_key):.1f} raw"
            print(line)
    print(
        f"  tickets called: {', '.join(f'{v} {n}' for v, n in called.items())}; "
        f"invariants: {'ok' if not problems else problems[:5]}"
    )
    return {
        "issue_p50_ms": p50("desk_issue"),
        "issue_p99_ms": p99("desk_issue"),
        "call_next_p50_ms": p50("desk_call"),
        "call_next_p99_ms": p99("desk_call"),
        "raw_issue_p99_ms": p99("raw_issue"),
        "raw_call_next_p99_ms": p99("raw_call"),
        "call_next_p99_ratio": ratio("desk_call", "raw_call"),
        "issue_p99_ratio": ratio("desk_issue", "raw_issue"),
        "core_issue_p99_ms": p99("core_issue"),
        "core_call_next_p99_ms": p99("core_call"),
        "core_call_next_p99_ratio": ratio("core_call", "raw_call"),
        "core_issue_p99_ratio": ratio("core_issue", "raw_issue"),
        "not_durable_issue_p99_ms": p99("normal_issue"),
        "not_durable_call_next_p99_ms": p99("normal_call"),
        **(
            {}
            if flood
            else {
                "full_in_commit_issue_p99_ms": p99("fullcommit_issue"),
                "full_in_commit_call_next_p99_ms": p99("fullcommit_call"),
            }
        ),
        "tickets_called": called["desk"],
        "invariants_ok": not problems,
    }


def served_today(runtime: Any, n: int, day: Any) -> None:
    """``n`` tickets issued and served earlier on ``day`` (status done)."""
    at = f"{day.isoformat()} 07:00:00.000000"
    rows = [
        (runtime.ids.center, runtime.ids.services["A"], day.isoformat(), "Y", seq, f"Y{seq:04d}")
        for seq in range(1, n + 1)
    ]
    with runtime.engine.begin() as conn:
        conn.connection.dbapi_connection.executemany(
            "INSERT INTO ticket (center_id, service_id, day, prefix, seq, number, status, "
            f"issued_at, queued_at, updated_at, recall_count, version) "
            f"VALUES (?, ?, ?, ?, ?, ?, 'done', '{at}', '{at}', '{at}', 0, 1)",
            rows,
        )


def volume(config: Any, tmp: str, calls: int) -> dict[str, Any]:
    """Call-next on one counter after 50 and after 5,000 tickets issued that day,
    one process, interleaved so both see the same machine: each call finishes the
    ticket served and calls the one ticket waiting."""
    from desk import clock
    from desk.center.runtime import open_runtime
    from desk.queue.engine import Queue

    queues = {}
    for n in (50, 5000):
        runtime = open_runtime(config, f"sqlite:///{tmp}/volume-{n}.db")
        served_today(runtime, n, clock.today())
        queue = Queue(runtime)
        queue.set_state(1, "open")
        queue.issue("A")
        queue.call_next(1)  # untimed: compiles the statements
        queue.start(1)
        queues[n] = queue
    timings: dict[int, list[float]] = {50: [], 5000: []}
    for _ in range(calls):
        for n, queue in queues.items():
            queue.issue("A")
            start = time.perf_counter()
            assert queue.call_next(1) is not None
            timings[n].append((time.perf_counter() - start) * 1000)
            queue.start(1)
    p50 = {n: statistics.median(values) for n, values in timings.items()}
    print(f"\nvolume: one counter's call-next, {calls} calls, after N tickets issued that day")
    for n, values in timings.items():
        print(f"  after {n:5d}  p50 {p50[n]:7.3f} ms  p99 {pct(values, 0.99):7.3f} ms")
    print(f"  p50 at 5,000 / at 50: {p50[5000] / p50[50]:.2f}×")
    return {
        "call_next_p50_at_50_ms": round(p50[50], 3),
        "call_next_p50_at_5000_ms": round(p50[5000], 3),
        "call_next_volume_ratio": round(p50[5000] / p50[50], 2),
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
    parser.add_argument(
        "--flood-seconds",
        type=float,
        default=10.0,
        help="length of the flood (long enough for ~1,000 issues: p99 is not one sample)",
    )
    parser.add_argument("--volume-calls", type=float, default=300, help="calls per volume")
    parser.add_argument(
        "--only", choices=["paced", "flood", "volume"], help="run one part (the JSON has its keys)"
    )
    parser.add_argument("--raw-worker", nargs=7, metavar="X")
    args = parser.parse_args()
    if args.raw_worker:
        path, role, arg, ops, seed, every, seconds = args.raw_worker
        raw_worker(path, role, int(arg), int(ops), int(seed), float(every), float(seconds))
        return
    from desk.center.config import load_config

    config = load_config(ROOT / "config.toml")
    print("8 processes (2 kiosks, 6 counters) on one SQLite WAL file; desk's variants, then raw")
    part = args.only
    paced: dict[str, Any] = {}
    flood: dict[str, Any] = {}
    by_volume: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as tmp:
        if part in (None, "paced"):
            paced = run_scenario(config, tmp, "paced", 50.0, 100.0, args.seconds)
        if part in (None, "flood"):
            flood = run_scenario(config, tmp, "flood", 0.0, 0.0, args.flood_seconds)
        if part in (None, "volume"):
            by_volume = volume(config, tmp, int(args.volume_calls))
    print(
        json.dumps(
            {
                **paced,
                **by_volume,
                **{f"flood_{key}": value for key, value in flood.items()},
                "invariants_ok": paced.get("invariants_ok", True)
                and flood.get("invariants_ok", True),
            }
        )
    )


if __name__ == "__main__":
    main()
