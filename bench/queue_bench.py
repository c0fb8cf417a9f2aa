"""Queue latency with 8 concurrent processes on one SQLite WAL file.

2 kiosk processes issue tickets and 6 counter processes call next (and start) on
the same database through desk's engine; the same workload then runs with raw
sqlite3 (one BEGIN IMMEDIATE transaction per operation) as the baseline. Prints
p50/p99 of issue and call-next for both and the invariant check of desk's run.

    uv run python bench/queue_bench.py [--ops 150]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

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


def raw_worker(path: str, role: str, arg: int, ops: int, seed: int) -> None:
    conn = sqlite3.connect(path, isolation_level=None, timeout=5)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA busy_timeout=5000")
    rnd = random.Random(seed)
    issue_ms: list[float] = []
    call_ms: list[float] = []
    for _ in range(ops):
        start = time.perf_counter()
        conn.execute("BEGIN IMMEDIATE")
        if role == "kiosk":
            svc = rnd.choice("ABCDEF")
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
            issue_ms.append((time.perf_counter() - start) * 1000)
        else:
            conn.execute(
                "UPDATE ticket SET status = 'done' WHERE counter = ? AND status = 'called'", (arg,)
            )
            services = tuple(COUNTER_SERVICES[arg])
            marks = ",".join("?" * len(services))
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
            call_ms.append((time.perf_counter() - start) * 1000)
    print(json.dumps({"issue_ms": issue_ms, "call_ms": call_ms}))


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))] if ordered else 0.0


def run_all(cmds: list[list[str]]) -> list[dict[str, list[float]]]:
    procs = [
        subprocess.Popen(c, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for c in cmds
    ]
    out = []
    for p in procs:
        stdout, stderr = p.communicate(timeout=600)
        if p.returncode != 0:
            sys.exit(stderr[-3000:])
        out.append(json.loads(stdout.strip().splitlines()[-1]))
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--ops", type=int, default=150)
    parser.add_argument("--raw-worker", nargs=5, metavar="X")
    args = parser.parse_args()
    if args.raw_worker:
        path, role, arg, ops, seed = args.raw_worker
        raw_worker(path, role, int(arg), int(ops), int(seed))
        return
    from desk.config import load_config
    from desk.queue_check import check_invariants
    from desk.runtime import open_runtime

    config = load_config(ROOT / "config.toml")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{tmp}/bench.db"
        open_runtime(config, url)
        desk_results = run_all(
            [
                [sys.executable, str(WORKER), url, role, str(arg), str(args.ops), str(i)]
                for i, (role, arg) in enumerate(ROLES)
            ]
        )
        problems = check_invariants(open_runtime(config, url).engine)
        raw_path = f"{tmp}/raw.db"
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
                    str(args.ops),
                    str(i),
                ]
                for i, (role, arg) in enumerate(ROLES)
            ]
        )
    issue = [v for r in desk_results for v in r["issue_ms"]]
    call = [v for r in desk_results for v in r["call_ms"]]
    raw_issue = [v for r in raw_results for v in r["issue_ms"]]
    raw_call = [v for r in raw_results for v in r["call_ms"]]
    print(f"8 processes × {args.ops} operations on one SQLite WAL file")
    print(
        f"desk issue      p50 {statistics.median(issue):7.2f} ms  p99 {pct(issue, 0.99):7.2f} ms  (n={len(issue)})"
    )
    print(
        f"desk call-next  p50 {statistics.median(call):7.2f} ms  p99 {pct(call, 0.99):7.2f} ms  (n={len(call)})"
    )
    print(
        f"raw  issue      p50 {statistics.median(raw_issue):7.2f} ms  p99 {pct(raw_issue, 0.99):7.2f} ms"
    )
    print(
        f"raw  call-next  p50 {statistics.median(raw_call):7.2f} ms  p99 {pct(raw_call, 0.99):7.2f} ms"
    )
    ratio = pct(call, 0.99) / max(pct(raw_call, 0.99), 1e-9)
    print(
        f"call-next p99 ratio desk/raw: {ratio:.1f}×; invariants: {'ok' if not problems else problems[:5]}"
    )
    print(
        json.dumps(
            {
                "issue_p50_ms": round(statistics.median(issue), 3),
                "issue_p99_ms": round(pct(issue, 0.99), 3),
                "call_next_p50_ms": round(statistics.median(call), 3),
                "call_next_p99_ms": round(pct(call, 0.99), 3),
                "raw_issue_p99_ms": round(pct(raw_issue, 0.99), 3),
                "raw_call_next_p99_ms": round(pct(raw_call, 0.99), 3),
                "call_next_p99_ratio": round(ratio, 2),
                "invariants_ok": not problems,
            }
        )
    )


if __name__ == "__main__":
    main()
