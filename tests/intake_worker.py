"""A counter process that saves intakes on a shared database (concurrency and
kill tests): ``python tests/intake_worker.py URL COUNT [SEED]``. Prints one line
per saved dossier code, flushed, so a killed run still tells what it saved."""

from __future__ import annotations

import os
import random
import sys
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, tests/ is sys.path[0]; its db/ and queue/ folders would shadow the
# top-level packages of the same names.
sys.path[0] = str(ROOT)

from desk import clock  # noqa: E402
from desk.center.config import load_config  # noqa: E402
from desk.center.runtime import open_runtime  # noqa: E402
from desk.dossiers.intake import (  # noqa: E402
    ComponentInput,
    IntakeError,
    IntakeInput,
    check_intake,
    procedures_for,
    save_intake,
)


def main(url: str, count: int, seed: int) -> None:
    fixed = os.environ.get("DESK_TEST_NOW")
    if fixed:
        moment = datetime.fromisoformat(fixed)
        clock.set_clock(lambda: moment)
    runtime = open_runtime(load_config(ROOT / "config.toml"), url)
    rnd = random.Random(seed)
    saved = 0
    while saved < count:
        bundle = rnd.random() < 0.2
        form = IntakeInput(
            procedure_code="2.000815",
            bundle="birth_u6" if bundle else "",
            applicant_name="Nguyễn Văn " + "ABCDEGHIKLMNOPQRSTUVXY"[(seed * 7 + saved) % 22],
            applicant_id_number="031095012345",
            applicant_birth_year="1995",
            applicant_phone="0912345678",
            components=[ComponentInput(name=f"Giấy tờ {i}", photocopies="1") for i in range(3)],
            fee="2000",
            processing_days="1",
        )
        procs = procedures_for(runtime.engine, runtime.config, form)
        data, problems = check_intake(runtime.config, form, procs)
        assert data is not None, problems
        try:
            result = save_intake(runtime.engine, runtime.config, data, center_id=runtime.ids.center)
        except IntakeError:
            continue  # busy: try again, nothing was written
        for dossier in result:
            print(dossier.code, flush=True)
        saved += 1


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]) if len(sys.argv) > 3 else 0)
