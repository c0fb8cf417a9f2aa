"""Start-up of the kiosk: process start → first painted frame, and core import time.

Runs each measurement in a fresh process several times and prints the median and
p99 (of few runs: the max). The database is created once before timing, as on a
center's PC after the first start. Also checks that escpos, qrcode and PIL are not
imported before the first paint.

    uv run python bench/startup.py [--runs 7]
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import sys
from desk.cli.common import load as _config, runtime as _runtime
from screens.app import DeskApp
from screens.kiosk import KioskScreen

class TimedKiosk(KioskScreen):
    def on_mount(self) -> None:
        self.call_after_refresh(self.app.exit)

class BenchApp(DeskApp):
    def screen_for(self, role, counter=None):
        return TimedKiosk() if role == "kiosk" else super().screen_for(role, counter)

app = BenchApp(_runtime(_config()), role="kiosk")
app.run(headless=True, size=(100, 30))
heavy = [m for m in ("escpos", "qrcode", "PIL") if m in sys.modules]
print("PAINTED", ",".join(heavy), flush=True)
"""

CORE = r"""
import time
t = time.perf_counter()
import desk.center.config, desk.center.runtime, desk.dossiers.catalogue, desk.center.mirror, db.models, db.engine, db.migrate
print((time.perf_counter() - t) * 1000)
"""


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DESK_DB": f"sqlite:///{tmp}/bench.db",
            "DESK_CONFIG": str(ROOT / "config.toml"),
        }
        subprocess.run(
            [sys.executable, "-m", "desk.cli", "db", "upgrade"],
            env=env,
            cwd=ROOT,
            check=True,
            capture_output=True,
        )
        paint: list[float] = []
        heavy = ""
        for _ in range(args.runs):
            start = time.perf_counter()
            out = subprocess.run(
                [sys.executable, "-c", CHILD],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                timeout=120,
            )
            elapsed = (time.perf_counter() - start) * 1000
            line = next((ln for ln in out.stdout.splitlines() if ln.startswith("PAINTED")), None)
            if line is None:
                sys.exit(f"kiosk did not paint: {out.stderr[-2000:]}")
            heavy = line.removeprefix("PAINTED").strip()
            paint.append(elapsed)
        core: list[float] = []
        for _ in range(args.runs):
            out = subprocess.run(
                [sys.executable, "-c", CORE],
                env=env,
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
            core.append(float(out.stdout.strip()))
    print(
        f"kiosk first paint: median {statistics.median(paint):.0f} ms, p99 {pct(paint, 0.99):.0f} ms ({args.runs} runs)"
    )
    print(
        f"core import:       median {statistics.median(core):.0f} ms, p99 {pct(core, 0.99):.0f} ms"
    )
    print(f"heavy modules imported before first paint: {heavy or 'none'}")
    print(
        json.dumps(
            {
                "first_paint_ms": round(statistics.median(paint), 1),
                "first_paint_p99_ms": round(pct(paint, 0.99), 1),
                "core_import_ms": round(statistics.median(core), 1),
                "core_import_p99_ms": round(pct(core, 0.99), 1),
                "heavy_modules_before_paint": heavy.split(",") if heavy else [],
            }
        )
    )


if __name__ == "__main__":
    main()
