"""The officer's keyboard flow: call a ticket, F6, fill the intake form by keys,
Ctrl+S, read the receipt; later F8, scan the code and hand the result back."""

from __future__ import annotations

import asyncio
from datetime import datetime
from pathlib import Path

import pytest
from sqlmodel import col, select
from textual import events
from textual.keys import _character_to_key
from textual.pilot import Pilot
from textual.widgets import Input, Static

from db.engine import read_session
from db.models import Dossier, DossierComponent
from desk import clock
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.confirm import Confirm
from screens.intake import ConfirmDiscard, IntakeScreen, ReceiptView
from screens.lookup import FieldsDialog, LookupScreen
from tests.conftest import built, load_demo_catalogue, signed_in
from tests.screens.test_counter import settle

AGENCY = "000.31.27.H31"


@pytest.fixture
def rt(
    runtime: Runtime,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    request: pytest.FixtureRequest,
) -> Runtime:
    rt = built(runtime, request, "demo-catalogue", load_demo_catalogue)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    return rt


def text(app: DeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def type_in(pilot: object, value: str) -> None:
    """Type ``value`` as a quick officer does: each character is a key event sent
    through the driver, as ``pilot.press`` sends it, but without Pilot's idle wait
    of 40 ms or more after every key (its per-key waits made a form's worth of
    typing take seconds of test time); the app is then waited for once."""
    assert isinstance(pilot, Pilot)
    app = pilot.app
    driver = app._driver
    assert driver is not None
    for char in value:
        key = char if char.isalnum() else _character_to_key(char)
        driver.send_message(events.Key(key, char))
    await asyncio.sleep(0)  # the driver's posts run: every key is in the app's queue
    for _ in range(2):  # keys reach the focused widget through the app's queue
        await pilot.pause()


async def test_intake_from_a_called_ticket_to_the_returned_result(
    rt: Runtime, tmp_path: Path
) -> None:
    now = [datetime(2026, 11, 23, 14, 40)]
    clock.set_clock(lambda: now[0])
    Queue(rt).issue("B")
    app = DeskApp(rt, role="counter", counter=3, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "enter")
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        assert "Số thứ tự B001" in text(app, "#intake-title")
        assert app.focused is not None and app.focused.id == "procedure"

        await type_in(pilot, "chung thuc ban sao")
        await pilot.press("enter")
        await settle(app, pilot)  # the chosen procedure is read off the UI thread
        assert "2.000815" in text(app, "#procedure-chosen")
        assert app.focused.id == "applicant_name"
        await type_in(pilot, "Trần Thị Bình")
        await pilot.press("enter")
        await type_in(pilot, "031301012345")
        await pilot.press("tab")
        await type_in(pilot, "2001")
        await pilot.press("tab")
        await type_in(pilot, "0912.345.678")
        await pilot.press("tab")
        await type_in(pilot, "Số 5 Lạch Tray")
        # jump to the first component's photocopy count and the fee
        screen.query_one("#c0-photo", Input).focus()
        await pilot.press("backspace")
        await type_in(pilot, "3")
        await pilot.press("tab", "space")  # scanned
        screen.query_one("#fee", Input).focus()
        await type_in(pilot, "6.000")
        await pilot.press("ctrl+s")
        await settle(app, pilot)

        receipt = app.screen
        assert isinstance(receipt, ReceiptView)
        code = f"{AGENCY}-261123-0001"
        shown = " ".join(
            " ".join(str(s.render()).split())
            for s in receipt.query(".receipt-text").results(Static)
        )
        assert f"Mã hồ sơ: {code}" in shown
        # certification received before 15:00 is due the same day
        assert "hồ sơ: 17 giờ 00 phút, ngày 23 tháng 11 năm 2026" in shown
        # the screen shows what prints: both copies, the office's, then the citizen's
        assert shown.count(f"Mã hồ sơ: {code}") == 2
        assert shown.index("(Liên 1: Lưu)") < shown.index("(Liên 2: Giao khách hàng)")
        preview = tmp_path / "desk" / "preview" / f"receipt-{code}.txt"
        assert "Liên 2: Giao khách hàng" in preview.read_text(encoding="utf-8")
        await pilot.press("enter")  # print it (the preview "printer" of the sample config)
        await settle(app, pilot)
        written = tmp_path / "desk" / "preview" / f"receipt-{code}-1.bin"
        assert text(app, "#receipt-status") == (
            f"Đã ghi giấy tiếp nhận ra tệp xem trước {written} (chưa cấu hình máy in thật: "
            "mục [printer], connection)."
        )
        printed = written.read_bytes()
        assert printed.startswith(b"\x1b@") and code.encode() in printed
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CounterScreen"
        # the counter names the dossier just taken in
        assert text(app, "#counter-last-dossier") == f"Hồ sơ vừa tiếp nhận: {code}"

        with read_session(rt.engine) as s:
            d = s.execute(select(Dossier)).scalar_one()
            assert (d.code, d.applicant_phone, d.ticket_id) == (code, "+84912345678", 1)
            comps = (
                s.execute(select(DossierComponent).where(col(DossierComponent.dossier_id) == d.id))
                .scalars()
                .all()
            )
            assert (comps[0].photocopies, comps[0].scanned) == (3, True)
            assert d.fee_vnd == 6000

        # the result is ready later; the citizen comes back with the receipt
        now[0] = datetime(2026, 11, 23, 16, 30)
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)
        await type_in(pilot, code)
        await pilot.press("enter")
        await settle(app, pilot)
        assert "Đã tiếp nhận" in text(app, "#lookup-detail")
        assert app.screen.why_not("return_result") is not None  # not ready: dimmed, says why
        await pilot.press("f7")  # asks first: marked by mistake, it cannot be taken back
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        assert app.screen.title_text == f"Hồ sơ {code} đã có kết quả?"
        await pilot.press("n")
        await settle(app, pilot)
        assert "Đã tiếp nhận" in text(app, "#lookup-detail")
        await pilot.press("f7", "y")
        await settle(app, pilot)
        assert "Đã có kết quả" in text(app, "#lookup-detail")
        await pilot.press("f9")
        await settle(app, pilot)
        await pilot.press("enter")  # the owner herself (pre-filled)
        await settle(app, pilot)
        assert text(app, "#lookup-message") == f"Đã trả kết quả hồ sơ {code} cho Trần Thị Bình."
    with read_session(rt.engine) as s:
        d = s.execute(select(Dossier)).scalar_one()
        assert d.status == "returned" and d.returned_at == datetime(2026, 11, 23, 16, 30)


async def test_errors_show_under_their_fields_and_nothing_is_saved(rt: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert "Tiếp nhận không qua số thứ tự" in text(app, "#intake-title")
        await type_in(pilot, "1.001640")  # the old code of khai sinh
        await pilot.press("enter")
        await settle(app, pilot)
        assert "1.001193" in text(app, "#procedure-chosen")
        await type_in(pilot, "Lê Văn 3")
        await pilot.press("tab")
        await type_in(pilot, "0310950123")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert text(app, "#err-applicant_name") == "Họ và tên không được có chữ số."
        assert text(app, "#err-applicant_id_number") == (
            "Số CCCD phải có đúng 12 chữ số (đang có 10)."
        )
        assert text(app, "#intake-message").startswith("Còn 3 chỗ cần sửa")
        assert app.focused is not None and app.focused.id == "applicant_name"
        with read_session(rt.engine) as s:
            assert s.execute(select(Dossier)).first() is None
        # Esc on a dirty form asks first; N keeps the typing
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDiscard)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("escape", "y")
        await pilot.pause()
        assert type(app.screen).__name__ == "CounterScreen"
        assert not app.screen.query_one("#counter-last-dossier").display  # nothing taken in


async def at_the_first_count(app: DeskApp, pilot: Pilot[None]) -> IntakeScreen:
    """F6, the first hit of "khai tu" chosen, the focus on its first component's originals."""
    await settle(app, pilot)
    await pilot.press("f6")
    await settle(app, pilot)
    await type_in(pilot, "khai tu")
    await pilot.press("enter")
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, IntakeScreen)
    screen.query_one("#c0-orig", Input).focus()
    return screen


async def test_enter_moves_on_from_every_count_and_a_letter_there_is_named(rt: Runtime) -> None:
    """Tab to a component's originals, "1", Enter, "0", Enter: the 0 went into the
    originals (10 of them), Enter moving on from the certified copies only, and a
    letter typed into a count vanished without a word (walk, 2 Dec)."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        screen = await at_the_first_count(app, pilot)
        await pilot.press("1", "enter", "0", "enter", "2", "enter")
        await pilot.pause()
        counts = [screen.query_one(f"#c0-{k}", Input).value for k in ("orig", "cert", "photo")]
        assert counts == ["1", "0", "2"]
        assert app.focused is not None and app.focused.id == "c0-scan"
        screen.query_one("#c0-photo", Input).focus()
        await pilot.press("end", "x")
        await pilot.pause()
        assert screen.query_one("#c0-photo", Input).value == "2"
        assert text(app, "#intake-message").endswith(": bản photo chỉ nhận chữ số.")
        await pilot.press("1", "y")  # full: a letter still says what the count takes
        await pilot.pause()
        assert screen.query_one("#c0-photo", Input).value == "21"
        assert text(app, "#intake-message").endswith(": bản photo chỉ nhận chữ số.")
        await pilot.press("3")
        await pilot.pause()
        assert text(app, "#intake-message").endswith(
            "chỉ nhận tối đa 2 ký tự: phần gõ thêm không được nhận."
        )


async def test_counts_typed_in_one_burst_each_land_in_their_own_field(rt: Runtime) -> None:
    """ "3", Enter, "4", Enter, "6" in one go (a quick officer, one packet over SSH):
    the 4 went on in the originals (34) and the 6 was lost (walk, 2 Dec)."""
    from tests.screens.test_counter_typeahead import burst

    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        screen = await at_the_first_count(app, pilot)
        await pilot.pause()
        await burst(app, pilot, "3", "enter", "4", "enter", "6")
        counts = [screen.query_one(f"#c0-{k}", Input).value for k in ("orig", "cert", "photo")]
        assert counts == ["3", "4", "6"]
        # and a name, Enter, a CCCD in one burst: each in its field
        screen.query_one("#applicant_name", Input).focus()
        await pilot.pause()
        await burst(app, pilot, *"Lan", "enter", *"031301012345")
        assert screen.query_one("#applicant_name", Input).value == "Lan"
        assert screen.query_one("#applicant_id_number", Input).value == "031301012345"
        # a CCCD's line scanned in one burst: its Enter is the scan's, not a move on
        screen.query_one("#applicant_email", Input).focus()
        await pilot.pause()
        line = "031190054321|123456789|Le Thi Hoa|15061990|Nu|So 5 Lach Tray|01022022"
        await burst(app, pilot, *line, "enter")
        assert screen.query_one("#applicant_name", Input).value == "Le Thi Hoa"
        assert screen.query_one("#applicant_email", Input).value == ""
        assert app.focused is not None and app.focused.id == "applicant_email"


async def test_ctrl_s_typed_right_after_the_fee_saves_the_fee_as_typed(rt: Runtime) -> None:
    """The fee, then Ctrl+S in one burst (a quick officer, a paste): the app reads
    Ctrl+S as it comes, and it saved the fee as "8" or 0, before the field had taken
    the keys typed before it (walk, 2 Dec)."""
    from tests.screens.test_counter_typeahead import burst

    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        screen = await at_the_first_count(app, pilot)
        for field, value in (
            ("c0-photo", "3"),
            ("applicant_name", "Trần Thị Bình"),
            ("applicant_id_number", "031301012345"),
            ("applicant_birth_year", "2001"),
            ("applicant_address", "Số 5 Lạch Tray"),
        ):
            screen.query_one(f"#{field}", Input).value = value
        screen.query_one("#fee", Input).focus()
        await pilot.pause()
        await burst(app, pilot, *"8.000", "ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptView), text(app, "#intake-message")
        with read_session(rt.engine) as s:
            assert s.execute(select(Dossier.fee_vnd)).scalar_one() == 8000


async def test_tab_order_follows_the_form(rt: Runtime) -> None:
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await type_in(pilot, "khai tu")
        await pilot.press("enter")
        await pilot.pause()
        chain = [w.id for w in app.screen.focus_chain]
        assert chain == [
            "procedure",
            "applicant_name",
            "applicant_id_number",
            "applicant_birth_year",
            "applicant_phone",
            "applicant_address",
            "applicant_email",
            "submitter_name",
            "submitter_id_number",
            "submitter_phone",
            "channel",
            "c0-orig",
            "c0-cert",
            "c0-photo",
            "c0-scan",
            "c1-orig",
            "c1-cert",
            "c1-photo",
            "c1-scan",
            "sets",
            "fee",
            "payment_method",
            "result_delivery",
            "notes",
        ]


async def test_a_list_field_is_chosen_with_enter_and_the_form_goes_on(rt: Runtime) -> None:
    """Enter opened "Hình thức thu", Enter chose, and the focus came back to it: the
    next Enter opened it again and ↑/↓ opened it too; only Tab got out (walk, 2 Dec).
    Now Enter there chooses and goes on, and ↑/↓ on it move between fields."""
    from textual.widgets import Select

    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        screen = await at_the_first_count(app, pilot)
        payment = screen.query_one("#payment_method", Select)
        payment.focus()
        await pilot.pause()
        await pilot.press("down")  # to the field below, the list stays shut
        await pilot.pause()
        assert not payment.expanded
        assert app.focused is not None and app.focused.id == "result_delivery"
        await pilot.press("up")
        await pilot.pause()
        assert app.focused is payment
        await pilot.press("enter")  # opens the list
        await pilot.pause()
        assert payment.expanded
        await pilot.press("down", "enter")  # the second way: transfer
        await settle(app, pilot)
        assert payment.value == "transfer" and not payment.expanded
        assert app.focused is not None and app.focused.id == "result_delivery"


async def test_up_and_down_in_the_papers_keep_their_column(rt: Runtime) -> None:
    """The papers' counts are a grid (a row per paper: originals, certified copies,
    photocopies, scanned): ↓ went to the next box on the right; it now goes to the
    same column of the next paper, and past the last paper on to the form's next
    field (↑ past the first, to the field before the grid)."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await at_the_first_count(app, pilot)
        await pilot.pause()

        async def press(key: str) -> str:
            await pilot.press(key)
            await pilot.pause()
            assert app.focused is not None
            return app.focused.id or ""

        assert app.focused is not None and app.focused.id == "c0-orig"
        assert await press("right") == "c0-orig"  # the cursor moves in the field
        assert await press("tab") == "c0-cert"
        assert await press("tab") == "c0-photo"
        assert await press("down") == "c1-photo"
        assert await press("up") == "c0-photo"
        assert await press("down") == "c1-photo"
        assert await press("down") == "sets"  # past the last paper
        assert await press("up") == "c1-orig"  # back in: the last paper's first count
        assert await press("up") == "c0-orig"
        assert await press("up") == "channel"  # before the first paper
        assert await press("down") == "c0-orig"


async def test_each_papers_count_is_named_over_its_column(rt: Runtime) -> None:
    """The counts had no heads, only the section's title listing them (walk, 2 Dec):
    each column is named over it, in line with its counts, at 80 and 120 columns."""
    for size in ((80, 24), (120, 40)):
        app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
        async with app.run_test(size=size) as pilot:
            screen = await at_the_first_count(app, pilot)
            await settle(app, pilot)
            heads = list(screen.query(".count-head").results(Static))
            assert [str(h.render()) for h in heads] == ["Bản\nchính", "Chứng\nthực", "Bản\nphoto"]
            for head, column in zip(heads, ("orig", "cert", "photo"), strict=True):
                for row in (0, 1):
                    count = screen.query_one(f"#c{row}-{column}", Input)
                    assert head.region.x == count.region.x, (size, column)
                    assert head.region.width == count.region.width
                    assert head.region.bottom <= count.region.y


async def test_supplement_resume_and_extension_from_the_lookup_screen(rt: Runtime) -> None:
    from tests.dossiers.test_intake import form, save

    now = [datetime(2026, 11, 23, 9, 0)]
    clock.set_clock(lambda: now[0])
    [saved] = save(rt, form(procedure_code="1.004873", fee=""))  # 3 working days
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8")
        await settle(app, pilot)
        await type_in(pilot, "0912 345 678")  # found by phone
        await pilot.press("enter")
        await settle(app, pilot)
        assert saved.code in text(app, "#lookup-detail")
        await pilot.press("f3")
        await pilot.pause()
        await type_in(pilot, "Bản sao giấy khai sinh; Tờ khai có chữ ký")
        await pilot.press("enter")
        await type_in(pilot, "Thiếu giấy tờ")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptView)
        shown = " ".join(str(app.screen.query_one(".receipt-text", Static).render()).split())
        assert "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ" in shown
        assert "1. Bản sao giấy khai sinh" in shown and "2. Tờ khai có chữ ký" in shown
        await pilot.press("escape")
        await pilot.pause()
        assert "Chờ bổ sung" in text(app, "#lookup-detail")
        now[0] = datetime(2026, 11, 26, 8, 0)
        await pilot.press("f6")  # the citizen brought everything: the clock restarts
        await pilot.pause()
        assert isinstance(app.screen, Confirm)  # asked first (F6 is also the intake key)
        assert " ".join(text(app, ".dialog-title").split()) == (
            f"Công dân đã nộp đủ giấy tờ bổ sung cho hồ sơ {saved.code}?"
        )
        await pilot.press("y")
        await settle(app, pilot)
        assert "Hẹn trả: 08:00 01/12/2026" in text(app, "#lookup-detail")
        await pilot.press("f10")
        await pilot.pause()
        await type_in(pilot, "31/11/2026")
        await pilot.press("enter")
        await type_in(pilot, "Chờ xác minh")
        await pilot.press("enter")
        await settle(app, pilot)
        # the dialog refuses the date itself (written as asked, but November has 30
        # days) and keeps the reason typed
        assert text(app, "#field-0-error") == (
            "Ngày hẹn mới: không có 31/11/2026 trên lịch; kiểm tra lại ngày, tháng và giờ."
        )
        assert app.screen.query_one("#field-1", Input).value == "Chờ xác minh"
        field = app.screen.query_one("#field-0", Input)
        assert app.focused is field
        field.value = ""
        await type_in(pilot, "30/11/2026")  # before the due date: the step refuses it
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        # in its dialog, opened again with what was typed (it closed, and the reason
        # typed next went into the look-up's search; walk, 2 Dec)
        assert isinstance(app.screen, FieldsDialog)
        assert text(app, "#field-0-error") == (
            "Ngày hẹn mới phải sau ngày hẹn cũ (08:00 01/12/2026)."
        )
        assert app.screen.query_one("#field-1", Input).value == "Chờ xác minh"
        field = app.screen.query_one("#field-0", Input)
        assert app.focused is field and field.value == "30/11/2026"
        field.value = ""
        await type_in(pilot, "04/12/2026")
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptView)
        await pilot.press("escape")
        await pilot.pause()
        assert "Hẹn trả: 17:00 04/12/2026" in text(app, "#lookup-detail")
        await pilot.press("f10")  # only once, and the screen says so
        await settle(app, pilot)
        assert text(app, "#lookup-message") == (
            "Hồ sơ đã gia hạn một lần, không được gia hạn lần nữa."
        )
        await pilot.press("f9")  # no result yet: F9 says why
        await settle(app, pilot)
        assert text(app, "#lookup-message") == (
            'Không thể trả kết quả khi hồ sơ đang ở trạng thái "Đang xử lý". '
            "Trước hết ghi nhận có kết quả: F7 (Có kết quả)."
        )
        # any past document of the dossier prints again from here
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        from textual.widgets import OptionList

        choices = app.screen.query_one("#choices", OptionList)
        labels = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert [label.split("  ")[0] for label in labels] == [
            "Xin lỗi, hẹn lại (Mẫu 04)",
            "Yêu cầu bổ sung (Mẫu 02)",
            "Giấy tiếp nhận (Mẫu 01)",
        ]
        # each job's status in Vietnamese (it read "(pending)" / "(failed)")
        statuses = {label.rsplit("(", 1)[1].rstrip(")") for label in labels}
        assert statuses <= {"chờ in", "lỗi", "đã in"}, labels
        await pilot.press("down", "enter")
        await settle(app, pilot)
        # the slip named by its number, the preview file by its path
        shown = text(app, "#lookup-message")
        assert shown.startswith(f"Đã ghi phiếu {saved.code}/HDHS ra tệp xem trước /"), shown
        assert shown.endswith(
            f"/preview/supplement-{saved.code}-2.bin"
            " (chưa cấu hình máy in thật: mục [printer], connection)."
        ), shown
    from desk.printing.jobs import jobs_for_dossier

    # the slip still waiting in the queue was the one printed: no second job for it
    jobs = jobs_for_dossier(rt.engine, saved.id)
    assert [(j.kind, j.status) for j in jobs] == [
        ("receipt", "pending"),
        ("supplement", "done"),
        ("apology", "pending"),
    ]


async def test_ctrl_s_shows_the_first_problem_and_its_message(rt: Runtime) -> None:
    """At 100×30 the only problem is that no component has a count: the focus goes to
    the first component's count and its message, which sits below the list, scrolls
    into view with it (it stayed below the screen, so the officer read "1 chỗ cần
    sửa" and saw nothing red)."""
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await type_in(pilot, "1.001640")
        await pilot.press("enter")
        await settle(app, pilot)
        await type_in(pilot, "Lê Văn Ba")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert text(app, "#intake-message").startswith("Còn 1 chỗ cần sửa")
        focused = app.focused
        assert focused is not None and focused.id == "c0-orig"
        message = app.screen.query_one("#err-components", Static)
        assert str(message.render()).startswith("Chưa có thành phần hồ sơ nào")
        for widget in (message, focused):
            assert widget.region.height == 1 and 0 <= widget.region.y < 30, widget.region


async def test_ctrl_s_on_an_empty_form_names_every_problem_at_once(rt: Runtime) -> None:
    """Ctrl+S before a procedure was chosen said only that one; the empty name came
    after the procedure was chosen (walk, 2 Dec). Both are said at once, the focus
    on the first."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert text(app, "#intake-message").startswith("Còn 2 chỗ cần sửa")
        assert (
            text(app, "#err-procedure") == "Chọn thủ tục: gõ mã hoặc tên rồi chọn trong danh sách."
        )
        assert text(app, "#err-applicant_name") != ""
        assert app.focused is not None and app.focused.id == "procedure"


@pytest.mark.parametrize(
    ("language", "days", "day_type", "shown"),
    [
        ("vi", 0, "working", "Trong ngày"),
        ("vi", 1.5, "working", "1,5 ngày làm việc"),
        ("en", 0, "working", "Same day"),
        ("en", 1, "working", "1 working day"),
        ("en", 1.5, "working", "1.5 working days"),
        ("en", 15, "calendar", "15 days"),
    ],
)
def test_processing_time_reads_in_the_ui_language(
    language: str, days: float, day_type: str, shown: str
) -> None:
    """The form's processing time spoke Vietnamese in an English UI ("Trong ngày")."""
    from desk import i18n
    from desk.dossiers.forms import days_text

    i18n.set_language(language)
    try:
        assert days_text(days, day_type) == shown
    finally:
        i18n.set_language("vi")


@pytest.mark.parametrize(("hour", "said"), [(10, False), (15, True)])
async def test_a_same_day_procedure_after_the_cutoff_says_it_is_due_the_next_day(
    rt: Runtime, hour: int, said: bool
) -> None:
    """The form said "Trong ngày" at 15:39 and the receipt the next day (the 15:00
    cut-off): the form says so before it prints (walk, 2 Dec)."""
    clock.set_clock(lambda: datetime(2026, 12, 2, hour, 30))  # a Wednesday
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await type_in(pilot, "1.001193")
        await pilot.press("enter")
        await settle(app, pilot)
        shown = text(app, "#days-known")
        assert shown.startswith("Thời gian giải quyết: Trong ngày")
        after = "(nhận từ 15:00: hẹn trả vào ngày làm việc tiếp theo)"
        assert (after in shown) is said
        # the catalogue's words on the fee, which the form showed nowhere (walk, 2 Dec)
        assert " ".join(text(app, "#fee-note").split()) == (
            "Phí, lệ phí theo danh mục: Miễn lệ phí nếu đúng hạn (60 ngày kể từ ngày sinh);"
            " bản sao GKS: phí 8.000/bản"
        )
