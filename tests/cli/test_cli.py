"""The desk command: usage errors, version, unknown counters."""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

import desk
from desk.cli import UI_ROLES, build_parser
from tests.center.test_config import desk as desk_cli
from tests.conftest import desk_here

ROOT = Path(__file__).resolve().parents[2]


def run(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    return desk_cli(*args, env={"DESK_DB": f"sqlite:///{tmp / 'cli.db'}"})


def test_version(tmp_path: Path) -> None:
    result = run("--version", tmp=tmp_path)
    assert result.returncode == 0 and result.stdout.strip() == f"desk {desk.__version__}"


def test_usage_errors_exit_2_with_one_line_hint(tmp_path: Path) -> None:
    for args, hint in [
        ((), "desk --help"),
        (("frobnicate",), "desk --help"),
        (("counter",), "desk counter --help"),
        (("counter", "three"), "desk counter --help"),
        (("db",), "desk db --help"),
        (("counter", "--counter", "1"), "desk counter --help"),
        (("holidays", "list", "--frob"), "desk holidays list --help"),
        (("report", "--to", "2026-01-01", "--from", "2026-02-01"), "desk report --help"),
    ]:
        result = run(*args, tmp=tmp_path)
        assert result.returncode == 2, args
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].endswith(f"(try '{hint}')"), lines


def test_unknown_counter_is_refused(tmp_path: Path) -> None:
    result = run("counter", "12", tmp=tmp_path)
    assert result.returncode == 1
    assert (
        result.stderr.strip() == "Quầy 12 không có trong cấu hình (các quầy: 1, 2, 3, 4, 5, 6, 7)."
    )


def test_db_upgrade_creates_and_then_keeps_the_schema(tmp_path: Path) -> None:
    env = {"DESK_DB": f"sqlite:///{tmp_path / 'cli.db'}"}
    first = desk_here("db", "upgrade", env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().endswith("cấu trúc dữ liệu đã ở phiên bản mới nhất")
    assert (tmp_path / "cli.db").exists()
    assert desk_here("db", "upgrade", env=env).returncode == 0


HEAVY = (
    "sqlalchemy",
    "sqlmodel",
    "alembic",
    "pydantic",
    "textual",
    "escpos",
    "PIL",
    "screens",
    "db",
)
"""What answering the command line must not import (each costs from tens of
milliseconds to seconds on a center's old PC)."""


def imported_by(*args: str) -> tuple[list[str], int]:
    """The heavy modules imported while ``desk ARGS`` runs, and its exit code."""
    code = (
        "import sys\n"
        "from desk.cli import main\n"
        "try:\n"
        f"    main({list(args)!r})\n"
        "except SystemExit as exc:\n"
        "    status = exc.code\n"
        f"heavy = sorted({{m.split('.')[0] for m in sys.modules}} & {set(HEAVY)!r})\n"
        "print('HEAVY', status, *heavy, file=sys.stderr)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    marker, status, *heavy = result.stderr.strip().splitlines()[-1].split()
    assert marker == "HEAVY", result.stderr
    return heavy, int(status)


def test_version_help_and_usage_errors_import_nothing_heavy() -> None:
    assert imported_by("--version") == ([], 0)
    assert imported_by("--help") == ([], 0)
    assert imported_by("frobnicate") == ([], 2)
    assert imported_by("report", "--from", "yesterday") == ([], 2)
    for command in ("kiosk", "counter", "report", "holidays", "sync", "officer", "print", "db"):
        assert imported_by(command, "--help") == ([], 0), command


def commands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    sub = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(sub.choices)


def test_a_role_is_parsed_as_by_the_whole_parser() -> None:
    """A role's command builds only the roles' parsers, so its first frame does not
    wait for the others: the same commands, with the same options and help."""
    whole = commands(build_parser())
    for role in UI_ROLES:
        alone = commands(build_parser([role]))
        assert sorted(alone) == sorted(UI_ROLES)  # every command of the roles' group
        for name, parser in alone.items():
            assert parser.format_help() == whole[name].format_help(), name
    assert build_parser(["counter", "3"]).parse_args(["counter", "3"]).number == 3


def test_a_command_is_parsed_as_by_the_whole_command_line() -> None:
    """``build_parser(argv)`` stops at the group that has ``argv``'s command: that
    command's options, help and usage errors are those of the whole command line."""
    whole = commands(build_parser())
    assert {"kiosk", "report", "holidays", "sync", "officer", "print", "db"} <= whole.keys()
    for name, parser in whole.items():
        alone = commands(build_parser([name, "--help"]))
        assert alone[name].format_help() == parser.format_help(), name
    assert len(commands(build_parser(["kiosk"]))) < len(whole)  # the rest unbuilt
    assert build_parser(["--help"]).format_help() == build_parser().format_help()
