"""Configuration: the sample is valid; every mistake is named precisely."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from desk.center.config import load_config, resolve_config_path
from desk.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = (ROOT / "config.toml").read_text(encoding="utf-8")


def desk(
    *args: str, env: dict[str, str] | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "desk.cli", *args],
        cwd=cwd,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=180,  # bounded, with room for a machine shared by other test runs
    )


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(tmp_path: Path, text: str) -> list[str]:
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text), "config.toml")
    return info.value.problems


def test_sample_config_describes_a_ward_center_with_a_priority_counter() -> None:
    config = load_config(ROOT / "config.toml")
    assert len(config.counters) == 7
    assert [c.number for c in config.counters if c.priority] == [7]
    assert config.center.agency_code.count(".") == 3
    assert config.ui.language == "vi"
    assert config.priority.policy in ("dedicated", "everywhere")
    tiers = [c.tier for c in config.priority.categories]
    assert tiers == sorted(tiers) and tiers[0] == 1


def test_config_check_names_each_mistake_on_its_own_line(tmp_path: Path) -> None:
    bad = (
        SAMPLE.replace("number = 3\n", 'number = 3\ncolour = "red"\n', 1)
        .replace("board_history = 8", 'board_history = "eight"')
        .replace('services = ["B"]', 'services = ["X"]')
    )
    path = write(tmp_path, bad)
    result = desk("config", "check", env={"DESK_CONFIG": str(path)})
    assert result.returncode == 1
    lines = result.stderr.strip().splitlines()
    assert sorted(lines) == sorted(
        [
            f"{path}: [[counters]] thứ 3 › colour: khóa không hợp lệ (các khóa dùng được: number, name, services, priority)",
            f"{path}: queue.board_history: cần một số nguyên, nhưng là 'eight'",
            f'{path}: [[counters]] thứ 3 › services: không có dịch vụ "X" (các dịch vụ: A, B, C, D, E, F)',
        ]
    )
    assert "Traceback" not in result.stderr


def test_config_check_accepts_the_sample() -> None:
    result = desk("config", "check")
    assert result.returncode == 0, result.stderr
    assert "hợp lệ (6 lĩnh vực, 7 quầy)" in result.stdout


def test_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    lines = problems(tmp_path, SAMPLE.replace('language = "vi"', "language = vi"))
    assert len(lines) == 1
    line = 1 + SAMPLE[: SAMPLE.index('language = "vi"')].count("\n")
    assert lines[0] == f"config.toml: không đúng cú pháp TOML ở dòng {line}, cột 12 (Invalid value)"


def test_missing_file_is_a_clear_message(tmp_path: Path) -> None:
    result = desk("config", "check", env={"DESK_CONFIG": str(tmp_path / "nope.toml")})
    assert result.returncode == 1
    assert (
        result.stderr.strip()
        == f"{tmp_path / 'nope.toml'}: không tìm thấy tệp (đặt biến DESK_CONFIG hoặc tạo tệp này)"
    )


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'agency_code = "000.31.27.H31"',
            'agency_code = "H31"',
            "config.toml: center.agency_code: 'H31' không đúng dạng (chữ in hoa và chữ số, các phần nối bằng dấu chấm, 5 đến 32 ký tự, ví dụ 000.31.27.H31 hoặc H15.50.05.13)",
        ),
        (
            'language = "vi"',
            'language = "fr"',
            "config.toml: ui.language: cần một trong 'vi' hoặc 'en', nhưng là 'fr'",
        ),
        (
            'policy = "dedicated"',
            'policy = "sometimes"',
            "config.toml: priority.policy: cần một trong 'dedicated' hoặc 'everywhere', nhưng là 'sometimes'",
        ),
        (
            'key = "2"',
            'key = "1"',
            "config.toml: [[services]] thứ 2 › key: '1' đã được dùng ở [[services]] thứ 1",
        ),
        (
            'morning = ["07:00", "11:30"]',
            'morning = ["11:30", "07:00"]',
            "config.toml: hours.morning: giờ bắt đầu phải trước giờ kết thúc",
        ),
        (
            'morning = ["07:00", "11:30"]',
            'morning = ["07:00", "7h"]',
            "config.toml: hours.morning, giá trị thứ 2: cần giờ dạng \"HH:MM\", nhưng là '7h'",
        ),
        (
            'kiosk_pin = "2468"',
            'kiosk_pin = "12"',
            "config.toml: ui.kiosk_pin: '12' không đúng dạng (4 đến 8 chữ số)",
        ),
        (
            "paper_mm = 80",
            "paper_mm = 70",
            "config.toml: printer.paper_mm: cần một trong 58 hoặc 80, nhưng là 70",
        ),
        (
            "priority = true\n",
            "priority = false\n",
            'config.toml: priority.policy: "dedicated" cần một quầy có priority = true',
        ),
    ],
)
def test_each_rule_has_a_precise_message(tmp_path: Path, old: str, new: str, expected: str) -> None:
    assert old in SAMPLE
    assert problems(tmp_path, SAMPLE.replace(old, new, 1)) == [expected]


def test_duplicate_prefix_and_the_references_it_breaks(tmp_path: Path) -> None:
    lines = problems(tmp_path, SAMPLE.replace('prefix = "B"', 'prefix = "A"', 1))
    assert (
        lines[0]
        == "config.toml: [[services]] thứ 2 › prefix: 'A' đã được dùng ở [[services]] thứ 1"
    )
    assert (
        'config.toml: [[counters]] thứ 2 › services: không có dịch vụ "B" (các dịch vụ: A, C, D, E, F)'
        in lines
    )


def test_missing_section_is_named(tmp_path: Path) -> None:
    text = SAMPLE.split("[[services]]")[0]
    lines = problems(tmp_path, text + "\n[priority]\ncategories = []\n")
    assert "config.toml: services: thiếu khóa bắt buộc" in lines
    assert "config.toml: counters: thiếu khóa bắt buộc" in lines


def test_a_bundle_of_one_procedure_is_said_to_need_two(tmp_path: Path) -> None:
    """It was told "không được để trống" (must not be empty) with a procedure in it
    (walk, 2 Dec); an empty one still is."""
    one = SAMPLE.replace(
        'procedures = ["1.000656", "0.000002", "0.000003"]', 'procedures = ["1.000656"]'
    )
    assert one != SAMPLE
    assert problems(tmp_path, one) == [
        "config.toml: [[intake.bundles]] thứ 2 › procedures: cần ít nhất 2 giá trị, nhưng chỉ có 1"
    ]
    empty = SAMPLE.replace('procedures = ["1.000656", "0.000002", "0.000003"]', "procedures = []")
    assert problems(tmp_path, empty) == [
        "config.toml: [[intake.bundles]] thứ 2 › procedures: không được để trống"
    ]


def test_desk_config_overrides_the_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, SAMPLE)
    monkeypatch.setenv("DESK_CONFIG", str(path))
    assert resolve_config_path() == (path, str(path))


def test_the_centers_own_file_comes_before_the_sample(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A center keeps its file in the user config directory; run where the project's
    sample is (./config.toml), desk read the sample and ran as the sample center
    (walk, 2 Dec)."""
    from desk.center.first_frame import PROJECT_CONFIG

    monkeypatch.delenv("DESK_CONFIG", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "cfg"))
    monkeypatch.chdir(PROJECT_CONFIG.parent)  # the sample is ./config.toml here
    assert resolve_config_path()[0] == PROJECT_CONFIG.resolve()
    own = tmp_path / "cfg" / "desk" / "config.toml"
    own.parent.mkdir(parents=True)
    own.write_text(SAMPLE.replace("000.31.27.H31", "000.31.27.H99"), encoding="utf-8")
    path, display = resolve_config_path()
    assert (path, display) == (own, str(own))
    assert load_config(path).center.agency_code == "000.31.27.H99"


def test_english_ui_is_a_setting(tmp_path: Path) -> None:
    path = write(tmp_path, SAMPLE.replace('language = "vi"', 'language = "en"'))
    assert load_config(path).ui.language == "en"


def test_problems_are_said_in_the_files_language(tmp_path: Path) -> None:
    """A file set to English is told its problems in English (the key names stay)."""
    english = SAMPLE.replace('language = "vi"', 'language = "en"')
    bad = english.replace("board_history = 8", 'board_history = "eight"').replace(
        'key = "2"', 'key = "1"', 1
    )
    assert problems(tmp_path, bad) == [
        "config.toml: queue.board_history: expected a whole number, got 'eight'",
        "config.toml: [[services]] no. 2 › key: '1' is already used by [[services]] no. 1",
    ]
    sms = english.replace('channel = "off"', 'channel = "sms"', 1)
    assert problems(tmp_path, sms) == [
        'config.toml: notify: channel "sms" needs the gateway\'s URL (url)'
    ]
    assert problems(tmp_path, SAMPLE.replace('channel = "off"', 'channel = "sms"', 1)) == [
        'config.toml: notify: kênh "sms" cần địa chỉ (url) của cổng gửi tin'
    ]


def test_the_systems_reason_is_said_in_the_ui_language(tmp_path: Path) -> None:
    """A folder given as the file: the reason was the system's English ("Is a
    directory") inside the Vietnamese line (walk, 2 Dec)."""
    folder = tmp_path / "config.toml"
    folder.mkdir()
    with pytest.raises(ConfigError) as info:
        load_config(folder, "config.toml")
    assert info.value.problems == [
        "config.toml: không đọc được (đây là một thư mục, không phải tệp)"
    ]
