"""``desk appointment add|list|release``: a phone booking from the command line."""

from __future__ import annotations

from pathlib import Path

from tests.center.test_config import desk
from tests.conftest import desk_here


def test_a_phone_booking_and_a_full_slot_naming_the_next_free_one(tmp_path: Path) -> None:
    env = {
        "DESK_DB": f"sqlite:///{tmp_path / 'cli.db'}",
        "DESK_OFFICER_PASSWORD": "canbo-secret",
        "DESK_PASSWORD": "canbo-secret",
    }
    first = desk_here("officer", "add", "canbo", "--name", "Cán bộ", "--role", "admin", env=env)
    assert first.returncode == 0, first.stderr
    slot = ("--at", "2030-01-07 09:00")  # a Monday
    codes = []
    for _ in range(2):  # the sample config takes 2 bookings per service per slot
        made = desk_here(
            "appointment", "add", "A", *slot, "--name", "Nguyễn Văn A", "--as", "canbo", env=env
        )
        assert made.returncode == 0, made.stderr
        line = made.stdout.strip()
        assert line.startswith("Đã đặt lịch ") and line.endswith(
            ": dịch vụ A — Hộ tịch, 09:00 07/01/2030. Đọc mã cho người dân."
        )
        code = line.removeprefix("Đã đặt lịch ").partition(":")[0]
        assert len(code) == 6 and code.isdigit()
        codes.append(code)
    full = desk_here("appointment", "add", "A", *slot, "--as", "canbo", env=env)
    assert full.returncode == 1
    assert full.stderr.strip() == (
        "Khung 09:00 07/01/2030 đã đủ chỗ. Khung còn trống gần nhất: 09:30 07/01/2030."
    )
    listed = desk_here("appointment", "list", "--day", "2030-01-07", "--as", "canbo", env=env)
    assert listed.returncode == 0
    assert [line.split()[1] for line in listed.stdout.splitlines()] == codes
    # in the UI's language (it printed "booked" and "desk")
    assert all("đã đặt" in line and "tại quầy" in line for line in listed.stdout.splitlines())
    odd = desk_here("appointment", "add", "A", "--at", "2030-01-07 09:10", "--as", "canbo", env=env)
    assert odd.returncode == 1 and "không phải giờ bắt đầu" in odd.stderr
    unknown = desk_here("appointment", "add", "1", *slot, "--as", "canbo", env=env)
    assert unknown.returncode == 1
    assert unknown.stderr.strip() == (
        "Không có lĩnh vực 1 trong cấu hình (các mã lĩnh vực: A, B, C, D, E, F)."
    )
    nobody = desk("appointment", "add", "A", *slot, env=env)  # a process of its own
    assert nobody.returncode == 1  # an officer must sign in
    assert "--as" in nobody.stderr and "Traceback" not in nobody.stderr
