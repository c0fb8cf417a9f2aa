"""``desk demo --generate N`` on a demo database whose every open day of the past
year already has data makes nothing, and says why and what to do, in the configured
language (it said "0 hồ sơ" and no more)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from desk.center.runtime import Runtime
from desk.cli.roles import generated_message
from tests.center.test_config import ROOT
from tests.conftest import desk_here

NOW = datetime(2026, 3, 2, 11, 30)


def english_config(tmp_path: Path) -> Path:
    """The sample center's configuration with the UI in English."""
    english = tmp_path / "en.toml"
    english.write_text(
        (ROOT / "config.toml")
        .read_text(encoding="utf-8")
        .replace('language = "vi"', 'language = "en"'),
        encoding="utf-8",
    )
    return english


def generator(db: Path) -> Callable[..., str]:
    """``desk demo --no-ui --generate N`` on ``db``, on a Monday of March: what it says."""

    def generate(count: int, **env: str) -> str:
        result = desk_here(
            "demo",
            "--no-ui",
            "--generate",
            str(count),
            env={"DESK_DB": f"sqlite:///{db}", **env},
            now=lambda: NOW,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    return generate


def test_a_full_year_is_named_as_the_reason_nothing_was_made(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    english = english_config(tmp_path)
    generate = generator(db)

    # one dossier on each of the 250 open days behind today: the year is full
    assert generate(250).startswith("Đã tạo 250 hồ sơ")
    said = generate(5)
    assert said == (
        "Không tạo hồ sơ nào: mọi ngày làm việc trong năm qua (250 ngày) của cơ sở dữ liệu "
        "demo đã có dữ liệu, và dữ liệu đã có được giữ nguyên. "
        f"Để tạo lại từ đầu, xoá tệp {db} rồi chạy lại lệnh."
    )
    assert generate(5, DESK_CONFIG=str(english)) == (
        "No dossier made: every working day of the past year (250 days) in the demo "
        "database already has data, and the data there is kept as it is. "
        f"To generate afresh, delete {db} and run the command again."
    )


def test_on_postgresql_it_says_to_start_on_an_empty_database(runtime: Runtime) -> None:
    """No file to delete: the way out is an empty database."""
    on_postgres = dataclasses.replace(runtime, url="postgresql+psycopg://desk@server/demo")
    nothing = {"dossiers": 0, "tickets": 0, "ratings": 0, "statuses": 0, "free_days": 0}
    assert generated_message(on_postgres, nothing).endswith(
        "Để tạo lại từ đầu, cho DESK_DB trỏ tới một cơ sở dữ liệu trống rồi chạy lại lệnh."
    )


def test_a_second_run_says_it_added_to_the_first_and_kept_its_data(tmp_path: Path) -> None:
    """``desk demo --generate 50`` twice: the second run said the very same words as
    the first ("Đã tạo 50 hồ sơ, …"), so a director could not tell whether it had
    added to, replaced, or repeated the first. It says it added, and kept the data."""
    db = tmp_path / "demo.db"
    english = english_config(tmp_path)
    generate = generator(db)

    first = generate(50)
    assert first.startswith("Đã tạo 50 hồ sơ, ") and "thêm" not in first
    second = generate(50)
    assert second.startswith("Đã tạo thêm 50 hồ sơ, ")
    assert second.endswith("giữ nguyên, không bị ghi đè.")
    days_kept = int(second.split("dữ liệu đã có của ")[1].split(" ngày")[0])
    assert 0 < days_kept <= 50  # the first run's days, at most one dossier's day each
    third = generate(5, DESK_CONFIG=str(english))
    assert third.startswith("Generated 5 more dossiers, ")
    assert "not overwritten" in third
