"""What a backup costs the counters, and how long it takes.

A database with a synthetic history (``--dossiers`` dossiers with their tickets and
ratings), a kiosk issuing and a counter calling at a steady pace in their own
processes for ``--seconds``, once without a backup and once while this process
takes backups back to back (each checked: integrity and row counts). Printed: the
backup's duration and size, and the kiosk's and counter's latency (median, p99) in
both runs; compare the ratio, not the absolute times (the machine is shared).

    uv run python bench/backup_bench.py [--dossiers 20000] [--seconds 5]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from desk.backup.copy import take_backup  # noqa: E402
from desk.center.config import load_config  # noqa: E402
from desk.center.runtime import DEMO_CATALOGUE, open_runtime  # noqa: E402
from desk.demo.history import generate  # noqa: E402
from desk.dossiers.catalogue import import_catalogue  # noqa: E402
from tests.queue_worker import run_together  # noqa: E402

WORKER = ROOT / "tests" / "queue_worker.py"


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * q) - 1)] if ordered else 0.0


def workers(url: str, seconds: float, seed: int) -> list[dict[str, object]]:
    return run_together(
        [
            [
                sys.executable,
                str(WORKER),
                url,
                role,
                str(arg),
                "1000000",
                str(seed + i),
                "--barrier",
                "--every-ms",
                "20",
                "--seconds",
                str(seconds),
            ]
            for i, (role, arg) in enumerate([("kiosk", 0), ("counter", 1)])
        ]
    )


def latencies(results: list[dict[str, object]]) -> list[float]:
    out: list[float] = []
    for r in results:
        out += r["issue_ms"] + r["call_ms"]  # type: ignore[operator]
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="desk-backup-bench-"))
    db = tmp / "center.db"
    url = f"sqlite:///{db}"
    config = load_config(ROOT / "config.toml")
    rt = open_runtime(config, url)
    import_catalogue(rt.engine, DEMO_CATALOGUE)
    generate(rt.engine, config, rt.ids.center, rt.ids.services, rt.ids.counters, args.dossiers)
    agency = config.center.agency_code

    quiet = latencies(workers(url, args.seconds, 1))

    durations: list[float] = []
    stop = threading.Event()

    def backups() -> None:
        dest = tmp / "usb"
        dest.mkdir(exist_ok=True)
        while not stop.is_set():
            taken = take_backup(db, agency, dest)
            durations.append(taken.seconds * 1000)
            taken.path.unlink()

    thread = threading.Thread(target=backups)
    thread.start()
    try:
        loaded = latencies(workers(url, args.seconds, 100))
    finally:
        stop.set()
        thread.join()
    size_mb = db.stat().st_size / 1e6
    q50, q99 = statistics.median(quiet), pct(quiet, 0.99)
    l50, l99 = statistics.median(loaded), pct(loaded, 0.99)
    print(f"database: {size_mb:.1f} MB, {args.dossiers} dossiers of history")
    print(
        f"backup (copy + checks): median {statistics.median(durations):.0f} ms, "
        f"p99 {pct(durations, 0.99):.0f} ms, {len(durations)} taken"
    )
    print(f"queue steps without a backup: median {q50:.2f} ms, p99 {q99:.2f} ms")
    print(f"queue steps during backups:   median {l50:.2f} ms, p99 {l99:.2f} ms")
    print(
        json.dumps(
            {
                "db_mb": round(size_mb, 1),
                "backup_median_ms": round(statistics.median(durations), 1),
                "backup_p99_ms": round(pct(durations, 0.99), 1),
                "queue_median_ms_quiet": round(q50, 2),
                "queue_p99_ms_quiet": round(q99, 2),
                "queue_median_ms_during_backup": round(l50, 2),
                "queue_p99_ms_during_backup": round(l99, 2),
                "p99_ratio_during_over_quiet": round(l99 / q99, 2) if q99 else None,
            }
        )
    )


if __name__ == "__main__":
    main()
