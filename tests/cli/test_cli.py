"""The desk command: usage errors, version, unknown counters."""

from __future__ import annotations

import subprocess
from pathlib import Path

import desk
from tests.center.test_config import desk as desk_cli

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
    first = run("db", "upgrade", tmp=tmp_path)
    assert first.returncode == 0, first.stderr
    assert first.stdout.strip().endswith("cấu trúc dữ liệu đã ở phiên bản mới nhất")
    assert (tmp_path / "cli.db").exists()
    assert run("db", "upgrade", tmp=tmp_path).returncode == 0
