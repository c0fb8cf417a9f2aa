"""``desk report`` imports only what it uses (README, Development: the start-up of a
command on the database): the text formats no spreadsheet library, no holiday
package, no UI or printing, and none of the machinery of a process that writes
(migrations, the backup schedule, the holiday seeding, the change watch); and it ends
without the garbage collector's passes over every object at exit."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from desk.center.accounts import Actor
from desk.center.runtime import Runtime
from tests.conftest import SUPERVISOR, SUPERVISOR_ENV

ROOT = Path(__file__).resolve().parents[2]

NOT_FOR_A_REPORT = {
    "openpyxl",
    "holidays",
    "textual",
    "screens",
    "escpos",
    "PIL",
    "qrcode",
    "alembic",
    "desk.backup.schedule",
    "desk.backup.upgrade",
    "desk.dossiers.due_dates",
    "desk.dossiers.intake",
    "desk.queue.watch",
    "desk.upstream",
}

# ``desk ARGS`` in a fresh process; prints its exit status, the top-level packages
# and desk modules it imported, and whether its exit froze the objects (skipping the
# collector's passes over them, desk.cli.common.skip_last_collections).
RUN = r"""
import atexit, gc, json, sys
from desk.cli import main
try:
    main(sys.argv[1:])
except SystemExit as exc:
    status = exc.code
names = sorted(m for m in sys.modules if "." not in m or m.startswith("desk."))
atexit._run_exitfuncs()
frozen = gc.get_freeze_count() > 0
print(json.dumps({"status": status, "modules": names, "frozen": frozen}), file=sys.stderr)
"""


def report(db_url: str, *args: str) -> tuple[set[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", RUN, "report", *SUPERVISOR, *args],
        cwd=ROOT,
        env={**os.environ, "DESK_DB": db_url, **SUPERVISOR_ENV},
        capture_output=True,
        text=True,
        timeout=180,
    )
    result = json.loads(done.stderr.strip().splitlines()[-1])
    assert result["status"] == 0, done.stderr[-3000:]
    assert result["frozen"], "the exit ran the collector over every object"
    return set(result["modules"]), done.stdout


def test_a_report_as_text_imports_only_what_it_uses(
    runtime: Runtime, staff: dict[str, Actor], db_url: str, tmp_path: Path
) -> None:
    day = ("--from", "2026-11-23", "--to", "2026-11-23")
    imported, shown = report(db_url, *day)
    assert "Tổng tiếp nhận" in shown and "rich" in imported  # the table was laid out
    assert imported & NOT_FOR_A_REPORT == set()
    imported, shown = report(db_url, *day, "--format", "csv")
    assert "Tổng tiếp nhận,0" in shown.splitlines()
    assert imported & (NOT_FOR_A_REPORT | {"rich"}) == set()
    sheet = tmp_path / "day.xlsx"
    imported, _ = report(db_url, *day, "--format", "xlsx", "--output", str(sheet))
    assert sheet.exists() and "openpyxl" in imported  # what the test looks for shows
