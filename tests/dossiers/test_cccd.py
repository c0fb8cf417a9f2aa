"""The CCCD QR line: field order, 9- and 12-digit old ids, missing fields, refusals;
and the keyed hash that stands for the number."""

from __future__ import annotations

import stat
from datetime import date, datetime
from pathlib import Path

import pytest

from desk import clock
from desk.dossiers.cccd import ScanError, load_secret, parse_scan, person_key

LINE = "031190054321|123456789|Lê Thị Hoa|15061990|Nữ|Số 5 Lạch Tray, Hải Phòng|01022022"


@pytest.fixture(autouse=True)
def today() -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))


def test_a_full_line_with_a_nine_digit_old_id() -> None:
    scan = parse_scan(LINE)
    assert scan.number == "031190054321" and scan.old_id == "123456789"
    assert scan.name == "Lê Thị Hoa" and scan.male is False
    assert scan.birth == date(1990, 6, 15) and scan.birth_year == 1990
    assert scan.address == "Số 5 Lạch Tray, Hải Phòng" and scan.issued == date(2022, 2, 1)
    assert scan.age(date(2026, 6, 14)) == 35 and scan.age(date(2026, 6, 15)) == 36


def test_a_twelve_digit_old_id_an_empty_one_and_none_at_all() -> None:
    assert parse_scan(LINE.replace("|123456789|", "|031190054321|")).old_id == "031190054321"
    assert parse_scan(LINE.replace("|123456789|", "||")).old_id == ""
    six = parse_scan(LINE.replace("|123456789|", "|"))  # the old id left out
    assert six.old_id == "" and six.name == "Lê Thị Hoa" and six.issued == date(2022, 2, 1)


def test_missing_fields_are_empty_and_the_sex_comes_from_the_number() -> None:
    scan = parse_scan("031090012345||Trần Văn Cả|||")
    assert scan.birth is None and scan.address == "" and scan.issued is None
    assert scan.male is True  # G = 0: a man born in the 1900s
    assert parse_scan("031090012345||Trần Văn Cả").name == "Trần Văn Cả"


@pytest.mark.parametrize(
    ("line", "says"),
    [
        ("https://dichvucong.gov.vn/p/abc", "không phải mã QR"),
        ("A012|B|C|D|E|F|G", "không phải mã QR"),
        ("03119005432|123456789|Lê Thị Hoa|15061990|Nữ|x|01022022", "không phải mã QR"),
        (LINE.replace("123456789", "12345"), "CMND cũ"),
        (LINE.replace("15061990", "31021990"), "ngày sinh không hợp lệ"),
        (LINE.replace("15061990", "1990-06-15"), "ngày sinh không hợp lệ"),
        (LINE.replace("15061990", "15061991"), "không khớp năm sinh"),
        (LINE.replace("01022022", "01022027"), "tương lai"),
        (LINE.replace("Lê Thị Hoa", ""), "họ tên"),
        ("031190054321|1|2|3|4|5|6|7|8", "không phải mã QR"),
    ],
)
def test_a_foreign_or_broken_line_is_refused_saying_why(line: str, says: str) -> None:
    with pytest.raises(ScanError) as refused:
        parse_scan(line)
    assert says in str(refused.value) and "Không thay đổi gì" in str(refused.value)
    assert "031190054321" not in str(refused.value)  # the number is never echoed


def test_the_person_key_is_keyed_and_the_secret_is_private(tmp_path: Path) -> None:
    path = tmp_path / "keys" / "person-key"
    secret = load_secret(path)
    assert len(secret) == 32 and stat.S_IMODE(path.stat().st_mode) == 0o600
    assert load_secret(path) == secret  # made once, then read
    key = person_key("031190054321", secret)
    assert len(key) == 64 and "031190054321" not in key
    assert key == person_key("031190054321", secret)
    assert key != person_key("031190054321", b"another center's secret")
    assert key != person_key("031190054322", secret)
