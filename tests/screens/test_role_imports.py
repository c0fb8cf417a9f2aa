"""Each role's process imports only what it uses (README, "Resident memory"): neither
the board nor the kiosk keeps the printing's libraries (the kiosk draws its tickets in
a child process), nor the counter's dossier intake, catalogue search, reports or
sign-in hashing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import SAMPLE_CONFIG

ROOT = Path(__file__).resolve().parents[2]

# A role's real screen at work in a fresh process set up as desk.cli.roles's run_ui
# sets it up: the board follows a call, the kiosk issues and prints a ticket. Prints
# the top-level packages, desk modules and Textual widgets imported, and the print jobs' outcomes.
ROLE = r"""
import asyncio, json, sys
from pathlib import Path
from datetime import datetime
from desk import clock
from desk.center.config import load_config
from desk.center.memory import prepare_long_running
from desk.center.runtime import open_runtime
from screens.app import DeskApp
from textual.worker import WorkerCancelled

clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))  # a Monday morning: open
role, config, url = sys.argv[1:4]
rt = open_runtime(load_config(Path(config)), url)
if role == "seed":  # the first start of a center: the year's calendar is made
    sys.exit(0)

prepare_long_running()

async def run():
    app = DeskApp(rt, role=role)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        if role == "kiosk":
            await pilot.press("1")
        else:
            app.queue.issue("A")
            app.queue.call_next(1)
            app.screen.poll()
        for _ in range(3):
            try:
                await app.workers.wait_for_complete()
            except WorkerCancelled:  # the board's next poll replaced this one
                pass
            await pilot.pause()
        from screens.bigtext import BigText

        shown = " ".join(w.value for w in app.screen.query(BigText))
    names = sorted(
        m for m in sys.modules if "." not in m or m.startswith(("desk.", "textual.widgets."))
    )
    from sqlalchemy import text

    with rt.engine.connect() as conn:
        jobs = [list(r) for r in conn.execute(text("SELECT status, length(data) FROM print_job"))]
    print(json.dumps({"modules": names, "shown": shown, "jobs": jobs}))

asyncio.run(run())
"""

NOT_FOR_KIOSK_OR_BOARD = {
    "desk.dossiers.intake",
    "desk.dossiers.search",
    "desk.dossiers.catalogue",
    "desk.reports",
    "desk.upstream",
    "openpyxl",
    "holidays",
    "argon2",
}


def modules(role: str, tmp_path: Path) -> tuple[set[str], str, list[list[object]]]:
    """What ``role`` imported, on a database that has run a day before; what it
    showed in large digits, and its print jobs (status, bytes)."""
    for step in ("seed", role):
        done = subprocess.run(
            [sys.executable, "-c", ROLE, step, str(SAMPLE_CONFIG), f"sqlite:///{tmp_path}/d.db"],
            cwd=ROOT,
            env={**os.environ, "XDG_DATA_HOME": str(tmp_path / "data")},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.splitlines()[-1])
    return set(result["modules"]), result["shown"], result["jobs"]


def test_the_board_imports_no_printing_and_no_counter_work(tmp_path: Path) -> None:
    imported, shown, _ = modules("board", tmp_path)
    assert "A001" in shown  # the call is on the board
    assert "desk.queue.engine" in imported
    printing = {"escpos", "PIL", "qrcode", "barcode", "yaml"}
    assert imported & (printing | NOT_FOR_KIOSK_OR_BOARD) == set()
    assert "textual.widgets._data_table" not in imported  # the board has no table


def test_the_kiosk_prints_without_keeping_printing_or_counter_work(tmp_path: Path) -> None:
    imported, shown, jobs = modules("kiosk", tmp_path)
    assert "A001" in shown  # the ticket is on screen
    [(status, size)] = jobs
    assert status == "done" and isinstance(size, int) and size > 1000  # it printed it
    assert imported & {"escpos", "PIL", "qrcode", "barcode", "yaml"} == set()  # in a child
    assert imported & NOT_FOR_KIOSK_OR_BOARD == set()
