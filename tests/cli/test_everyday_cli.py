"""What a person can fix is said in one line, never as a traceback; usage errors
exit 2, problems exit 1; the command line speaks the configured language."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.center.test_config import ROOT
from tests.center.test_config import desk as desk_cli
from tests.conftest import desk_here


def run(*args: str, db: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return desk_cli(*args, env={"DESK_DB": f"sqlite:///{db}", **env})


def test_a_database_folder_that_does_not_exist_is_named_not_created(tmp_path: Path) -> None:
    missing = tmp_path / "nope"
    result = run("db", "upgrade", db=missing / "desk.db")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith(f"Thư mục chứa cơ sở dữ liệu không tồn tại: {missing}.")
    assert not missing.exists()


def test_desk_db_as_a_plain_file_path_is_that_sqlite_file(tmp_path: Path) -> None:
    """DESK_DB=/path/desk.db (no sqlite:/// in front) ended in SQLAlchemy's traceback."""
    db = tmp_path / "plain.db"
    made = desk_here("db", "upgrade", env={"DESK_DB": str(db)})
    assert made.returncode == 0, made.stderr
    assert db.is_file()
    result = desk_cli("holidays", "list", "--year", "2026", env={"DESK_DB": str(db)})  # a process
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "02/01/2026" in result.stdout


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    for args in [
        ("demo", "--generate", "-5", "--no-ui"),
        ("holidays", "list", "--year", "1800"),
        ("report", "--from", "2026-11-10", "--to", "2026-11-01"),
    ]:
        result = run(*args, db=db)
        assert result.returncode == 2, (args, result.stderr)
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert "--to: cần một ngày bằng hoặc sau --from" in result.stderr


def test_a_command_that_needs_a_login_names_the_option(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"  # the demo database has the accounts
    assert desk_here("demo", "--no-ui", env={"DESK_DB": f"sqlite:///{db}"}).returncode == 0
    result = run("officer", "list", db=db)  # a process of its own: one line, no traceback
    assert result.returncode == 1
    assert "--as" in result.stderr and "DESK_PASSWORD" in result.stderr
    ok = desk_here(
        "officer",
        "list",
        "--as",
        "admin",
        env={"DESK_DB": f"sqlite:///{db}", "DESK_PASSWORD": "admin123"},
    )
    assert ok.returncode == 0 and "quản trị" in ok.stdout.lower()


def test_holiday_names_follow_the_language(tmp_path: Path) -> None:
    db = tmp_path / "desk.db"
    env = {"DESK_DB": f"sqlite:///{db}"}
    assert desk_here("db", "upgrade", env=env).returncode == 0  # the listing needs a database
    result = desk_here("holidays", "list", "--year", "2026", env=env)
    assert result.returncode == 0, result.stderr
    assert "Tết Nguyên Đán" in result.stdout and "ngày nghỉ" in result.stdout
    assert "Lunar New Year" not in result.stdout
    # the swap the package implies (31/08 off, Saturday 22/08 worked) is named too
    assert "Làm bù cho thứ Hai 31/08/2026" in result.stdout
    assert "Make-up" not in result.stdout
    english = tmp_path / "en.toml"
    english.write_text(
        (ROOT / "config.toml")
        .read_text(encoding="utf-8")
        .replace('language = "vi"', 'language = "en"'),
        encoding="utf-8",
    )
    result = run("holidays", "list", "--year", "2026", db=db, DESK_CONFIG=str(english))
    assert result.returncode == 0, result.stderr
    lines = {line[:10]: line for line in result.stdout.splitlines()}
    assert "Lunar New Year  [holidays package]" in lines["2026-02-17"]
    assert "Make-up working day for Monday 31/08/2026" in lines["2026-08-22"]
    assert "Tết Nguyên Đán" not in result.stdout


def test_listing_holidays_does_not_import_the_holidays_package(tmp_path: Path) -> None:
    """The package takes ~170 ms to import, more than the rest of the command: the
    names of its days are stored when a year is seeded and read from the table."""
    db = tmp_path / "desk.db"
    assert run("db", "upgrade", db=db).returncode == 0  # seeds this year and the next
    listed = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "desk.cli", "holidays", "list"],
        cwd=ROOT,
        env={**os.environ, "DESK_DB": f"sqlite:///{db}"},
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert listed.returncode == 0, listed.stderr
    assert "Tết Nguyên Đán" in listed.stdout
    imported = {line.rsplit("|", 1)[-1].strip() for line in listed.stderr.splitlines()}
    assert "sqlalchemy" in imported  # the import trace is there
    assert "holidays" not in imported


def test_a_database_without_accounts_is_said_so_not_a_wrong_password(tmp_path: Path) -> None:
    """``desk export`` / ``desk report`` with DESK_DB unset used a new empty database
    and said "wrong user name or password" (walk, 2 Dec): an empty database is named,
    and a missing one is said missing, in Vietnamese."""
    empty = tmp_path / "new.db"
    env = {"DESK_DB": str(empty), "DESK_PASSWORD": "giamdoc123"}
    args = ("--as", "giamdoc", "--from", "2026-11-01", "--to", "2026-11-30")
    output = ("--output", str(tmp_path / "x.csv"))
    done = desk_here("export", *args, *output, env=env)  # made by no one: not made now
    assert done.returncode == 1 and not empty.exists()
    assert done.stderr.strip() == f"{empty}: không có tệp cơ sở dữ liệu này (kiểm tra biến DESK_DB)"
    assert desk_here("db", "upgrade", env=env).returncode == 0  # a new, empty database
    done = desk_here("export", *args, *output, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert done.stderr.strip() == (
        f"Cơ sở dữ liệu sqlite:///{empty} chưa có tài khoản nào: kiểm tra biến DESK_DB "
        "(cơ sở dữ liệu của trung tâm), hoặc tạo tài khoản đầu tiên bằng desk officer add."
    )
    # a command that only reads names it the same way (not by its read-only URL)
    done = desk_here("report", *args, env=env)
    assert done.returncode == 1
    assert done.stderr.startswith(f"Cơ sở dữ liệu sqlite:///{empty} chưa có tài khoản nào")
    missing = tmp_path / "missing.db"
    done = desk_here("report", *args, env={**env, "DESK_DB": str(missing)})
    assert done.returncode == 1
    assert (
        done.stderr.strip() == f"{missing}: không có tệp cơ sở dữ liệu này (kiểm tra biến DESK_DB)"
    )
