"""A center's agency code corrected in config.toml made a second, empty center in
the database beside the first, and every report showed 0 (walk, 2 Dec): a SQLite
database is one center's, a code it does not hold is refused by name, and
``desk center recode OLD`` gives the center the configured code, its records kept."""

from __future__ import annotations

import json
from pathlib import Path

from desk import clock
from desk.center.config import load_config
from desk.center.runtime import open_runtime
from desk.queue.engine import Queue
from tests.center.test_config import ROOT
from tests.cli.test_database_problems import center, one_line
from tests.conftest import desk_here

OLD, NEW = "000.31.27.H31", "000.31.27.H99"
TODAY = clock.today().isoformat()
REPORT = ("report", "--from", TODAY, "--to", TODAY, "--as", "admin", "--format", "json")


def test_a_changed_agency_code_is_refused_until_the_center_is_recoded(tmp_path: Path) -> None:
    db, env = center(tmp_path)
    rt = open_runtime(load_config(ROOT / "config.toml"), f"sqlite:///{db}")
    try:
        Queue(rt).issue("A")  # the center's first ticket
    finally:
        rt.close()
    sample = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert f'agency_code = "{OLD}"' in sample
    changed = tmp_path / "config.toml"
    changed.write_text(sample.replace(OLD, NEW), encoding="utf-8")
    env_new = {**env, "DESK_CONFIG": str(changed)}

    # a start on the changed code: refused, naming both codes and the two ways out
    for args in (REPORT, ("holidays", "list")):
        said = one_line(desk_here(*args, env=env_new))
        assert said.startswith(
            f'Cơ sở dữ liệu này là của trung tâm {OLD}, cấu hình ghi agency_code = "{NEW}".'
        ), said
        assert f"desk center recode {OLD} --as" in said
    with __import__("sqlite3").connect(db) as conn:
        assert conn.execute("SELECT agency_code FROM center").fetchall() == [(OLD,)]

    # an admin signs in, and the center takes the new code
    done = desk_here("center", "recode", OLD, "--as", "admin", env=env_new)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(f"Trung tâm {OLD} nay mang mã {NEW}")
    with __import__("sqlite3").connect(db) as conn:
        assert conn.execute("SELECT agency_code FROM center").fetchall() == [(NEW,)]
    report = desk_here(*REPORT, env=env_new)  # the ticket is the center's still
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["queue"]["tickets"] == 1
    # the old code is now the one refused, and a second recode to the same code says so
    said = one_line(desk_here("holidays", "list", env=env))
    assert said.startswith(f"Cơ sở dữ liệu này là của trung tâm {NEW}")
    again = desk_here("center", "recode", NEW, "--as", "admin", env=env_new)
    assert again.returncode == 0 and "không có gì phải đổi" in again.stdout
