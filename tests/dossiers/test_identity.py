"""Field rules for people's data: CCCD structure, phones to E.164, e-mail, names."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk import clock, i18n
from desk.dossiers.identity import (
    check_birth_year,
    check_cccd,
    check_email,
    check_name,
    check_phone,
    display_phone,
)


@pytest.fixture(autouse=True)
def _today() -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))


def test_a_valid_cccd_gives_province_sex_and_year() -> None:
    info, problems = check_cccd("031 095 012345", 1995)
    assert problems == []
    assert info is not None
    assert (info.number, info.province, info.male, info.birth_year) == (
        "031095012345",
        "031",
        True,
        1995,
    )
    info, problems = check_cccd("001301234567", 2001)  # 3: female, 2000s
    assert problems == [] and info is not None and not info.male and info.birth_year == 2001


@pytest.mark.parametrize(
    ("value", "year", "fragment"),
    [
        ("03109501234", None, "đúng 12 chữ số (đang có 11)"),
        ("0310950123456", None, "đúng 12 chữ số (đang có 13)"),
        ("03109501234A", None, "chỉ gồm 12 chữ số, không có chữ cái"),
        ("Lê Văn Cường", None, "chỉ gồm 12 chữ số, không có chữ cái"),  # not "(đang có 10)"
        ("031095012345", 1996, "năm sinh nhập là 1996"),
        ("031201012345", 1901, "cho năm 2001"),  # century digit 2 = 2000s
        ("001299012345", None, "năm sinh 2099 chưa tới"),
    ],
)
def test_a_wrong_cccd_is_refused_with_the_reason(
    value: str, year: int | None, fragment: str
) -> None:
    _info, problems = check_cccd(value, year, "applicant_id_number")
    errors = [p for p in problems if not p.warning]
    assert len(errors) == 1
    assert errors[0].field == "applicant_id_number"
    assert fragment in errors[0].message


def test_an_unknown_province_code_only_warns() -> None:
    info, problems = check_cccd("099095012345", 1995)
    assert info is not None
    assert [p.warning for p in problems] == [True]
    assert "099" in problems[0].message


@pytest.mark.parametrize(
    "typed",
    [
        "0912 345 678",
        "0912.345.678",
        "912345678",
        "+84 912 345 678",
        "84912345678",
        "0084912345678",
    ],
)
def test_phones_are_stored_in_e164(typed: str) -> None:
    assert check_phone(typed) == ("+84912345678", [])


def test_a_fixed_line_and_display_forms() -> None:
    assert check_phone("0225 3 846 123") == ("+842253846123", [])
    assert display_phone("+84912345678") == "0912 345 678"


@pytest.mark.parametrize("typed", ["0123", "0912 345 67", "0912 345 6789", "abc", "0100000000"])
def test_a_wrong_phone_names_the_expected_form(typed: str) -> None:
    e164, problems = check_phone(typed, "applicant_phone")
    assert e164 == ""
    assert problems[0].field == "applicant_phone"
    assert "0912 345 678" in problems[0].message


def test_email_name_and_birth_year_rules() -> None:
    assert check_email("an.nguyen@example.vn") == ("an.nguyen@example.vn", [])
    assert check_email("an.nguyen@")[1][0].message.startswith("Email không hợp lệ")
    assert check_name("  Nguyễn   Văn An ") == ("Nguyễn Văn An", [])
    assert check_name("")[1][0].message == "Nhập họ và tên."
    assert check_name("Nguyen 2")[1][0].message == "Họ và tên không được có chữ số."
    assert check_name("Lê\x1b Văn\x07 Bình")[0] == "Lê Văn Bình"  # no control codes survive
    assert check_birth_year("1995") == (1995, [])
    assert "từ 1900 đến 2026" in check_birth_year("2030")[1][0].message
    i18n.set_language("en")
    assert check_birth_year("95")[1][0].message == "The birth year is 4 digits, from 1900 to 2026."
