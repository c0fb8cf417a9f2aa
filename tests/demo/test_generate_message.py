"""``desk demo --generate N`` on a demo database whose every open day of the past
year already has data makes nothing, and says why and what to do, in the configured
language (it said "0 hồ sơ" and no more)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

from desk.center.runtime import Runtime
from desk.cli.roles import generated_message
from tests.center.test_config import ROOT
from tests.conftest import desk_here

NOW = datetime(2026, 3, 2, 11, 30)


def test_a_full_year_is_named_as_the_reason_nothing_was_made(tmp_path: Path) -> None:
    db = tmp_path / "demo.db"
    english = tmp_path / "en.toml"
    english.write_text(
        (ROOT / "config.toml")
        .read_text(encoding="utf-8")
        .replace('language = "vi"', 'language = "en"'),
        encoding="utf-8",
    )

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
