"""A quarter report over a year of synthetic history on SQLite.

Generates the history with ``desk demo --generate N`` (default 1,000,000 dossiers,
which also makes 3,000,000 tickets) into a database file — or reuses ``--db`` —
then times ``build_report`` for the last full quarter in this process
(3 runs; median and worst). Target: under 2 s.

    uv run python bench/report_bench.py [--dossiers 1000000] [--db PATH]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--dossiers", type=int, default=1_000_000)
    parser.add_argument("--db", type=Path, help="reuse this database (generated before)")
    args = parser.parse_args()

    from sqlalchemy import text

    from db.engine import read_session
    from desk.center.config import load_config
    from desk.center.runtime import open_runtime
    from desk.reports import Period, build_report

    tmp = tempfile.mkdtemp(prefix="desk-report-")
    db = args.db or Path(tmp) / "history.db"
    url = f"sqlite:///{db}"
    if args.db is None or not db.exists():
        env = {**os.environ, "DESK_DB": url, "XDG_DATA_HOME": tmp}
        start = time.perf_counter()
        subprocess.run(
            [sys.executable, "-m", "desk.cli", "demo", "--generate", str(args.dossiers), "--no-ui"],
            cwd=ROOT,
            env=env,
            check=True,
        )
        print(f"generated in {time.perf_counter() - start:.0f} s")
    runtime = open_runtime(load_config(ROOT / "config.toml"), url)
    with read_session(runtime.engine) as s:
        conn = s.connection()
        dossiers = conn.execute(text("SELECT COUNT(*) FROM dossier")).scalar_one()
        tickets = conn.execute(text("SELECT COUNT(*) FROM ticket")).scalar_one()
    today = date.today()
    quarter_start_month = ((today.month - 1) // 3) * 3 + 1
    this_quarter = date(today.year, quarter_start_month, 1)
    last_day = this_quarter - timedelta(days=1)
    first_day = date(last_day.year, ((last_day.month - 1) // 3) * 3 + 1, 1)
    period = Period.days(first_day, last_day)
    times = []
    for _ in range(3):
        start = time.perf_counter()
        report = build_report(runtime.engine, period, center_id=runtime.ids.center)
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    print(f"{dossiers} dossiers, {tickets} tickets in the database")
    print(
        f"quarter {period.label}: {report.dossiers.received_new} dossiers received, "
        f"{report.queue.tickets} tickets"
    )
    print(f"quarter report: median {median:.0f} ms, worst {max(times):.0f} ms (3 runs)")
    print(
        json.dumps(
            {
                "quarter_report_ms": round(median),
                "quarter_report_worst_ms": round(max(times)),
                "dossiers": dossiers,
                "tickets": tickets,
                "quarter_dossiers": report.dossiers.received_new,
                "quarter_tickets": report.queue.tickets,
            }
        )
    )


if __name__ == "__main__":
    main()
