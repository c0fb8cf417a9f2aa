"""Keyboard flows of issue 20: the kiosk's "Có lịch hẹn" check-in, the intake form
filled from a scanned CCCD, and the kiosk's CCCD scan (priority by age, one ticket)."""

from __future__ import annotations

import stat
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select
from textual.widgets import Input, Static

from db.engine import read_session
from db.models import Ticket
from desk import clock
from desk.center.config import Config
from desk.center.runtime import DEMO_CATALOGUE, Runtime, open_runtime
from desk.dossiers.catalogue import import_catalogue
from desk.queue.appointments import Appointments
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.appointment import CheckInPrompt
from screens.bigtext import BigText
from screens.intake import IntakeScreen
from screens.kiosk import KioskScreen
from tests.conftest import signed_in
from tests.screens.test_counter import settle

MONDAY = datetime(2026, 11, 23)
# born 01/01/1940 (86 on the test day), male, Hải Phòng; 12-digit old id
ELDER = "031040012345|031234567890|Trần Văn Cả|01011940|Nam|Số 9 Cầu Đất, Hải Phòng|10052021"
# born 15/06/1990, female; 9-digit old id
YOUNG = "031190054321|123456789|Lê Thị Hoa|15061990|Nữ|Số 5 Lạch Tray, Hải Phòng|01022022"


def text(app: DeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


def number(app: DeskApp) -> str:
    return str(app.screen.query_one("#ticket-number", BigText).value)


async def until(pilot: Any, condition: Callable[[], bool], seconds: float = 10.0) -> None:
    """Wait (bounded) for something a timer or a worker makes true."""
    for _ in range(int(seconds / 0.05)):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError("the screen never showed what was expected")


def runtime_with(config: Config, db_url: str, **sections: dict[str, Any]) -> Runtime:
    update = {name: getattr(config, name).model_copy(update=v) for name, v in sections.items()}
    return open_runtime(config.model_copy(update=update), db_url)


@pytest.fixture
def now(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[datetime]:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    at = [MONDAY.replace(hour=8, minute=50)]
    clock.set_clock(lambda: at[0])
    return at


async def check_in(app: DeskApp, pilot: Any, code: str) -> None:
    await pilot.press("8")
    await pilot.pause()
    assert isinstance(app.screen, CheckInPrompt)
    await pilot.press(*code, "enter")
    await settle(app, pilot)
    await until(pilot, lambda: isinstance(app.screen, KioskScreen))
    await settle(app, pilot)


async def test_kiosk_check_in_with_a_booking_code(
    config: Config, db_url: str, now: list[datetime]
) -> None:
    rt = runtime_with(config, db_url, appointments={"kiosk_key": "8"})
    book = Appointments(Queue(rt))
    now[0] = MONDAY.replace(hour=8)  # booked earlier (by phone)
    on_time = book.book("A", MONDAY.replace(hour=9)).code
    early = book.book("A", MONDAY.replace(hour=10)).code
    late = book.book("B", MONDAY.replace(hour=8, minute=30)).code
    now[0] = MONDAY.replace(hour=8, minute=50)
    Queue(rt).issue("A")  # a walk-in already waits: A001

    app = DeskApp(rt, role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        assert "Có lịch hẹn" in text(app, "#tile-booking")
        # in the window: a ticket called before walk-ins
        await check_in(app, pilot, on_time)
        assert number(app) == "A002"
        assert "trước khách chưa đặt lịch" in text(app, "#ticket-mark")
        assert text(app, "#kiosk-message") == ""
        # used twice: refused, naming the number it gave
        await pilot.press("escape")
        await check_in(app, pilot, on_time)
        assert "đã được dùng (số A002)" in text(app, "#kiosk-message")
        # early: an ordinary ticket and a kind word
        await check_in(app, pilot, early)
        assert number(app) == "A003"
        assert "sớm" in text(app, "#kiosk-message") and text(app, "#ticket-mark") == ""
        # late (window closed at 8:45): an ordinary ticket and a kind word
        await check_in(app, pilot, late)
        assert number(app) == "B001"
        assert "quá 15 phút" in text(app, "#kiosk-message")
        # a wrong code
        await check_in(app, pilot, "000000" if on_time != "000000" else "000001")
        assert "Không tìm thấy" in text(app, "#kiosk-message")
    # the booked ticket is the one counter 1 calls first
    assert Queue(rt).call_next(1).number == "A002"  # type: ignore[union-attr]


async def test_intake_is_filled_from_a_scanned_cccd_line(
    runtime: Runtime, now: list[datetime]
) -> None:
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    Queue(runtime).issue("B")
    app = DeskApp(runtime, role="counter", counter=3, officer=signed_in(runtime))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "enter")
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert isinstance(app.screen, IntakeScreen)

        def value(field: str) -> str:
            return app.screen.query_one(f"#{field}", Input).value

        # the scanner types into the 4-character birth-year field
        app.screen.query_one("#applicant_birth_year", Input).focus()
        await pilot.press(*YOUNG, "enter")
        await pilot.pause()
        assert value("applicant_name") == "Lê Thị Hoa"
        assert value("applicant_id_number") == "031190054321"
        assert value("applicant_birth_year") == "1990"
        assert value("applicant_address") == "Số 5 Lạch Tray, Hải Phòng"
        assert "nữ, sinh 15/06/1990" in text(app, "#intake-message")
        assert app.focused is not None and app.focused.id == "applicant_birth_year"

        # a foreign scan into the name field: a clear message, nothing changes
        app.screen.query_one("#applicant_name", Input).focus()
        await pilot.press(*"https://example.com/a|b|c", "enter")
        await pilot.pause()
        assert "không phải mã QR của thẻ CCCD" in text(app, "#intake-message")
        assert value("applicant_name") == "Lê Thị Hoa"
        # a malformed one (a birth date that does not exist)
        await pilot.press(*ELDER.replace("01011940", "31021940"), "enter")
        await pilot.pause()
        assert "ngày sinh không hợp lệ" in text(app, "#intake-message")
        assert value("applicant_id_number") == "031190054321"
        assert value("applicant_name") == "Lê Thị Hoa"


@pytest.mark.early
async def test_kiosk_cccd_scan_gives_priority_by_age_and_one_ticket(
    config: Config, db_url: str, now: list[datetime], tmp_path: Path
) -> None:
    # a real scanner types a key every few ms; the wide gap keeps a loaded test machine
    # from splitting the scan (a key alone then acts after 2 s)
    rt = runtime_with(config, db_url, identity={"kiosk_scan": True, "scan_gap_ms": 2000})
    app = DeskApp(rt, role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press(*ELDER, "enter")
        await until(pilot, lambda: "Người từ 80 tuổi" in text(app, "#kiosk-mode"))
        await pilot.press("1")  # civil status: acts after the scan pause
        await until(pilot, lambda: app.screen.query_one("#kiosk-ticket").display)
        await settle(app, pilot)
        assert number(app) == "★A001" and "ưu tiên" in text(app, "#ticket-mark").lower()
        await pilot.press("escape")
        await pilot.pause()
        # the same card again: the number already held, no second ticket
        await pilot.press(*ELDER, "enter")
        await until(pilot, lambda: "Người từ 80 tuổi" in text(app, "#kiosk-mode"))
        await pilot.press("1")
        await until(pilot, lambda: "A001" in text(app, "#kiosk-message"))
        assert "Bạn đã có số A001" in text(app, "#kiosk-message")
        # a younger citizen: no priority, an ordinary ticket
        await pilot.press("escape")
        await pilot.press(*YOUNG, "enter")
        await until(pilot, lambda: "Đã đọc thẻ CCCD" in text(app, "#kiosk-mode"))
        assert "Ưu tiên" not in text(app, "#kiosk-mode")
        await pilot.press("1")
        await until(pilot, lambda: number(app) == "A002")
        await settle(app, pilot)
    with read_session(rt.engine) as session:
        tickets = list(session.exec(select(Ticket).order_by(Ticket.id)))  # type: ignore[arg-type]
    assert [t.priority_category for t in tickets] == ["elderly80_child6_severe", None]
    keys = [t.person_key for t in tickets]
    assert all(k and len(k) == 64 and "031040012345" not in k for k in keys)
    assert keys[0] != keys[1]
    secret = tmp_path / "desk" / f"person-key-{config.center.agency_code}"
    assert stat.S_IMODE(secret.stat().st_mode) == 0o600


async def test_the_counter_books_an_appointment_and_hears_the_next_free_slot(
    config: Config, db_url: str, now: list[datetime]
) -> None:
    from screens.appointment import BookingDialog

    rt = runtime_with(config, db_url, appointments={"capacity": 1})
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        for attempt in range(2):
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert isinstance(app.screen, BookingDialog)
            await pilot.press("a", "enter", *"25/11/2026", "enter", *"09:00", "enter")
            await pilot.press(*"Phạm Văn Tư", "enter")
            await settle(app, pilot)
            result = text(app, "#booking-result")
            if attempt == 0:
                assert (
                    result.startswith("Đã đặt lịch ")
                    and "dịch vụ A — Hộ tịch, 09:00 25/11/2026" in result
                )
            else:
                assert result == (
                    "Khung 09:00 25/11/2026 đã đủ chỗ. Khung còn trống gần nhất: 09:30 25/11/2026."
                )
            await pilot.press("escape")
            await pilot.pause()
        # a day that is not a date: named, nothing booked
        await pilot.press("ctrl+b")
        await pilot.pause()
        await pilot.press("a", "enter", *"31/02/2026", "enter", *"09:00", "enter", "enter")
        await pilot.pause()
        assert text(app, "#booking-result") == (
            "Ô Ngày: không có ngày 31/02/2026 trên lịch; kiểm tra lại ngày và tháng."
        )
        # the center's days off take no booking, a holiday (24/11, Ngày Văn hóa Việt
        # Nam, in the calendar) as a Sunday: said so, not "not a slot's start"
        for day in ("24/11/2026", "29/11/2026"):
            await pilot.press("escape", "ctrl+b")
            await pilot.pause()
            await pilot.press("a", "enter", *day, "enter", *"09:00", "enter", "enter")
            await settle(app, pilot)
            assert text(app, "#booking-result") == (
                f"Ô Ngày: {day} trung tâm nghỉ, không nhận lịch hẹn; chọn một ngày làm việc."
            )
            assert app.focused is not None and app.focused.id == "book-day"
        # a service letter that does not exist: the cursor goes to it, the name stays
        await pilot.press("escape", "ctrl+b")
        await pilot.pause()
        await pilot.press("z", "enter", *"25/11/2026", "enter", *"10:00", "enter")
        await pilot.press(*"Lê Thị Hoa", "enter")
        await settle(app, pilot)
        assert text(app, "#booking-result").startswith("Không có lĩnh vực Z trong cấu hình")
        assert app.focused is not None and app.focused.id == "book-service"
        await pilot.press("a", "enter", "enter", "enter", "enter")
        await settle(app, pilot)
        booked = text(app, "#booking-result")
        assert "dịch vụ A — Hộ tịch, 10:00 25/11/2026" in booked
        # booked: the fields empty for the next booking, so Enter again books nothing
        # (it booked the same slot a second time), and the code stays on screen
        dialog = app.screen
        assert [dialog.query_one(f"#{f}", Input).value for f in BookingDialog.FIELDS] == [""] * 4
        assert app.focused is not None and app.focused.id == "book-service"
        await pilot.press("enter", "enter", "enter", "enter")
        await settle(app, pilot)
        assert text(app, "#booking-result") == "Ngày cần dạng dd/mm/yyyy."
    assert [b.name for b in Appointments(Queue(rt)).on_day(MONDAY.date().replace(day=25))] == [
        "Phạm Văn Tư",
        "Lê Thị Hoa",
    ]
