"""A center's agency code corrected in config.toml made a second, empty center in
the database beside the first, and every report showed 0 (walk, 2 Dec): a SQLite
database is one center's, a code it does not hold is refused by name, and
``desk center recode OLD`` gives the center the configured code, its records kept."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from desk import clock
from desk.center.config import Config, load_config
from desk.center.runtime import open_runtime
from desk.queue.engine import Queue
from tests.center.test_config import ROOT
from tests.cli.test_database_problems import center, one_line
from tests.conftest import desk_here, load_demo_catalogue
from tests.dossiers.test_intake import form, save

OLD, NEW = "000.31.27.H31", "000.31.27.H99"
TODAY = clock.today().isoformat()
REPORT = ("report", "--from", TODAY, "--to", TODAY, "--as", "admin", "--format", "json")


def centers(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [code for (code,) in conn.execute("SELECT agency_code FROM center ORDER BY id")]


def a_dossier_and_a_ticket(config: Config, db: Path, **kw: bool) -> int:
    """A dossier taken in and a ticket issued at the center ``config`` names; the
    dossier's number in the year's register."""
    rt = open_runtime(config, f"sqlite:///{db}", **kw)
    try:
        load_demo_catalogue(rt)
        [saved] = save(rt, form())
        Queue(rt).issue("A")
        with sqlite3.connect(db) as conn:
            [(number,)] = conn.execute(
                "SELECT register_no FROM dossier WHERE code = ?", (saved.code,)
            ).fetchall()
        return int(number)
    finally:
        rt.close()


def test_a_changed_agency_code_is_refused_until_the_center_is_recoded(tmp_path: Path) -> None:
    db, env = center(tmp_path)
    sample = (ROOT / "config.toml").read_text(encoding="utf-8")
    assert f'agency_code = "{OLD}"' in sample
    assert a_dossier_and_a_ticket(load_config(ROOT / "config.toml"), db) == 1
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
    assert centers(db) == [OLD]

    # a mistyped OLD makes nothing (it made a center of that code, and said it was done)
    said = one_line(desk_here("center", "recode", "000.31.27.H32", "--as", "admin", env=env_new))
    assert said.startswith(f"Cơ sở dữ liệu này là của trung tâm {OLD}")
    assert centers(db) == [OLD]

    # a database a start on the new code already gave an empty center (before this
    # check existed) is refused too, and the recode takes that empty center's place
    empty = load_config(changed)
    open_runtime(empty, f"sqlite:///{db}", new_center=True).close()
    assert centers(db) == [OLD, NEW]
    said = one_line(desk_here("holidays", "list", env=env_new))
    assert said.startswith(f"Cơ sở dữ liệu này là của trung tâm {OLD}")

    done = desk_here("center", "recode", OLD, "--as", "admin", env=env_new)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().startswith(f"Trung tâm {OLD} nay mang mã {NEW}")
    assert centers(db) == [NEW]
    report = desk_here(*REPORT, env=env_new)  # the ticket is the center's still
    assert report.returncode == 0, report.stderr
    assert json.loads(report.stdout)["queue"]["tickets"] == 1
    # the register's numbers go on (a count started again at 1 met the first dossier)
    assert a_dossier_and_a_ticket(empty, db) == 2
    # the old code is now the one refused, and a recode to the same code says so
    said = one_line(desk_here("holidays", "list", env=env))
    assert said.startswith(f"Cơ sở dữ liệu này là của trung tâm {NEW}")
    again = desk_here("center", "recode", NEW, "--as", "admin", env=env_new)
    assert again.returncode == 0 and "không có gì phải đổi" in again.stdout
