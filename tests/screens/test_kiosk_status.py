"""The kiosk's status view: a scanned receipt QR or a typed code shows the status and
the due date, with a masked name and nothing else personal, then goes home."""

from __future__ import annotations

import dataclasses
from datetime import datetime

import pytest
from textual.widgets import Input, Static

from desk import clock
from desk.center.runtime import Runtime
from desk.dossiers.lifecycle import Lifecycle
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.kiosk import KioskScreen
from screens.kiosk_status import KioskStatus
from tests.dossiers import test_intake
from tests.dossiers.test_intake import form, save
from tests.screens.test_counter import settle, until
from tests.screens.test_counter_keys import with_scan_gap

rt = test_intake.rt  # the runtime with the demo catalogue (a fixture)


def screen_text(app: DeskApp) -> str:
    return "\n".join(
        str(w.render())
        for w in app.screen.query("Static")
        if w.display and w.parent and w.parent.display
    )


async def test_a_typed_code_shows_status_and_due_date_without_personal_data(rt: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
    [saved] = save(rt, form(procedure_code="1.004873"))  # 3 working days: Thu 10/12 09:00
    Lifecycle(rt.engine, rt.config).start(saved.code)
    app = DeskApp(rt, role="kiosk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("asterisk")
        assert isinstance(app.screen, KioskStatus)
        await pilot.press(*saved.code, "enter")
        await settle(app, pilot)
        assert str(app.screen.query_one("#status-label", Static).render()) == "ĐANG XỬ LÝ"
        assert str(app.screen.query_one("#status-due", BigText).value) == "10-12-2026"
        text = screen_text(app)
        assert "09:00" in text  # the due time beside the date
        assert "T*** T** B***" in text
        for personal in ("Trần Thị Bình", "031301012345", "0912", "+8491", "Lạch Tray"):
            assert personal not in text
        await pilot.press("escape")
        assert isinstance(app.screen, KioskScreen)


async def test_a_scanned_receipt_url_finds_the_dossier(rt: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
    [saved] = save(rt, form())
    Lifecycle(rt.engine, rt.config).resolve(saved.code)
    app = DeskApp(rt, role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        # the citizen presses * and the scanner types the QR's URL and Enter
        url = f"https://dichvucong.haiphong.gov.vn/tra-cuu?ma={saved.code}"
        await pilot.press("asterisk", *url, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, KioskStatus)
        assert str(app.screen.query_one("#status-label", Static).render()) == "ĐÃ CÓ KẾT QUẢ"
        assert app.screen.query_one("#status-code", Input).value == ""  # ready for the next scan


async def test_an_unknown_code_says_so_and_the_view_goes_home_by_itself(rt: Runtime) -> None:
    queue = rt.config.queue.model_copy(update={"kiosk_return_seconds": 1})
    quick = dataclasses.replace(rt, config=rt.config.model_copy(update={"queue": queue}))
    app = DeskApp(quick, role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("asterisk", "enter")  # nothing typed: what to do, not "no match"
        await settle(app, pilot)
        assert "Xin quét mã QR trên giấy tiếp nhận, hoặc gõ mã hồ sơ" in screen_text(app)
        assert "Không tìm thấy" not in screen_text(app)
        await pilot.press(*"000.31.27.H31-261207-0999", "enter")
        await settle(app, pilot)
        assert "Không tìm thấy hồ sơ" in screen_text(app)
        for _ in range(60):  # back home after the configured seconds, without a key
            if isinstance(app.screen, KioskScreen):
                break
            await pilot.pause(0.1)
        assert isinstance(app.screen, KioskScreen)


async def test_a_dossier_waiting_for_papers_shows_what_to_do_not_a_date(rt: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
    [saved] = save(rt, form(procedure_code="1.004873"))
    Lifecycle(rt.engine, rt.config).request_supplement(saved.code, ["Bản sao sổ hộ khẩu"], "Thiếu")
    app = DeskApp(rt, role="kiosk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("asterisk", *saved.code, "enter")
        await settle(app, pilot)
        assert str(app.screen.query_one("#status-label", Static).render()) == "CHỜ BỔ SUNG"
        assert str(app.screen.query_one("#status-due", BigText).value) == ""
        assert "Ngày hẹn mới được tính khi nộp đủ" in screen_text(app)


def tickets_today(rt: Runtime) -> int:
    from sqlalchemy import func, select

    from db.models import Ticket

    with rt.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(Ticket)).scalar_one())


@pytest.mark.parametrize("shape", ["url", "code"])
async def test_a_receipt_scanned_at_the_home_screen_looks_the_dossier_up_and_takes_no_ticket(
    rt: Runtime, shape: str
) -> None:
    """The citizen scans the receipt without pressing * first (walk, 2 Dec): the code's
    keys were taken as the kiosk's, its first 0 the priority key, and a priority ticket
    was printed. The whole scan is looked up now, and no ticket is taken."""
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))  # a Monday, the kiosk open
    [saved] = save(rt, form())
    Lifecycle(rt.engine, rt.config).resolve(saved.code)
    assert saved.code.startswith("0")  # begins with the priority key
    scanned = {"url": f"https://dichvucong.haiphong.gov.vn/tra-cuu?ma={saved.code}"}
    # a scanner types a key every few ms; the wide gap keeps a loaded test machine
    # from splitting the scan
    app = DeskApp(with_scan_gap(rt, 2000), role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*scanned.get(shape, saved.code), "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, KioskStatus)
        assert str(app.screen.query_one("#status-label", Static).render()) == "ĐÃ CÓ KẾT QUẢ"
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, KioskScreen)
        assert not app.screen.query_one("#kiosk-ticket").display
        assert not app.screen.query_one("#kiosk-mode").display and not app.screen.priority
    assert tickets_today(rt) == 0


async def test_a_cccd_scanned_where_the_kiosk_does_not_read_them_takes_no_ticket(
    rt: Runtime,
) -> None:
    """Its first digit is the priority key and the next a category's: it chose a
    priority and took a ticket with the digits after."""
    from tests.screens.test_fairqueue_screens import ELDER

    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
    assert not rt.config.identity.kiosk_scan
    queue = rt.config.queue.model_copy(update={"kiosk_return_seconds": 1})
    quick = dataclasses.replace(rt, config=rt.config.model_copy(update={"queue": queue}))
    app = DeskApp(with_scan_gap(quick, 2000), role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*ELDER, "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, KioskScreen)
        assert "Máy này không đọc thẻ CCCD" in screen_text(app)
        assert app.screen.priority is None
        # said to the citizen who scanned, not to the next ones (it stayed; walk)
        await until(app, pilot, lambda: "Máy này không đọc" not in screen_text(app))
    assert tickets_today(rt) == 0


async def test_a_scanned_address_not_found_quotes_its_code(rt: Runtime) -> None:
    """A receipt's address whose dossier is not here was quoted whole ("không tìm
    thấy “https://dichvucong.haiphong.gov.vn/tra-…”"): the code is what a citizen
    and an officer can check (walk, 2 Dec)."""
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
    code = "000.31.27.H31-261207-9999"
    app = DeskApp(with_scan_gap(rt, 2000), role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*f"https://dichvucong.haiphong.gov.vn/tra-cuu?ma={code}", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, KioskStatus)
        message = str(app.screen.query_one("#status-message").render())
        assert f"“{code}”" in message and "https" not in message
