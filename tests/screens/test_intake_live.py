"""A field's message from Ctrl+S is checked again as the officer edits the field: it
goes once the value is right and says what is still wrong meanwhile. Every message
but the components' stayed on screen, red over a corrected field, until the next
Ctrl+S. Before the first Ctrl+S nothing is said while typing, and a field that was
right at Ctrl+S says nothing while it is retyped, until the next one."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Input, Static

from desk import clock
from desk.center.runtime import Runtime
from desk.dossiers.intake import affected_by
from screens.app import DeskApp
from screens.intake import TEXT_FIELDS, ReceiptView
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_intake import rt, text, type_in

__all__ = ["rt"]

DIGITS = "Số CCCD phải có đúng 12 chữ số (đang có {count})."
PHONE = "Số điện thoại không hợp lệ: nhập ví dụ 0912 345 678 hoặc +84 912 345 678."
MISMATCH = (
    "Số CCCD không khớp năm sinh: chữ số thứ 4 (0) và hai số 99 cho năm 1999, "
    "nhưng năm sinh nhập là 1998."
)


def shown(app: DeskApp, field: str) -> str:
    """The message under ``field`` as the officer reads it ("" when none shows)."""
    err = app.screen.query_one(f"#err-{field}", Static)
    return text(app, f"#err-{field}") if err.has_class("-shown") else ""


async def khai_sinh(app: DeskApp, pilot: object) -> None:
    """F6 and khai sinh chosen: the cursor in the applicant's name."""
    await settle(app, pilot)
    await pilot.press("f6")  # type: ignore[attr-defined]
    await settle(app, pilot)
    await type_in(pilot, "1.001193")
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)


async def applicant(app: DeskApp, pilot: object, id_number: str, birth: str, phone: str) -> None:
    """F6, khai sinh with one original of its first component, the applicant: name,
    ID number, birth year, phone, each as typed."""
    await khai_sinh(app, pilot)
    for value in ("Lê Văn Ba", id_number, birth, phone):
        await type_in(pilot, value)
        await pilot.press("tab")  # type: ignore[attr-defined]
    await edit(app, pilot, "c0-orig", "backspace", "1")


async def edit(app: DeskApp, pilot: object, field: str, *keys: str) -> None:
    """Go to ``field`` and press ``keys`` after what it holds."""
    app.screen.query_one(f"#{field}", Input).focus()
    await pilot.press("end", *keys)  # type: ignore[attr-defined]
    await settle(app, pilot)


async def test_a_corrected_id_number_and_phone_lose_their_messages(rt: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await applicant(app, pilot, "0010990123", "1999", "0912")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert shown(app, "applicant_id_number") == DIGITS.format(count=10)
        assert shown(app, "applicant_phone") == PHONE
        assert text(app, "#intake-message").startswith("Còn 2 chỗ cần sửa")
        assert app.focused is not None and app.focused.id == "applicant_id_number"
        # still wrong: the message follows what is typed
        await edit(app, pilot, "applicant_id_number", "4")
        assert shown(app, "applicant_id_number") == DIGITS.format(count=11)
        assert text(app, "#intake-message").startswith("Còn 2 chỗ cần sửa")
        # right: it goes, and the count with it; the phone's stays
        await type_in(pilot, "5")
        await settle(app, pilot)
        assert app.screen.query_one("#applicant_id_number", Input).value == "001099012345"
        assert shown(app, "applicant_id_number") == ""
        assert shown(app, "applicant_phone") == PHONE
        assert text(app, "#intake-message").startswith("Còn 1 chỗ cần sửa")
        await edit(app, pilot, "applicant_phone", *"345678")
        assert shown(app, "applicant_phone") == ""
        assert text(app, "#intake-message") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptView)


async def test_nothing_is_said_while_typing_before_ctrl_s_nor_of_a_field_right_then(
    rt: Runtime,
) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await applicant(app, pilot, "0010", "1999", "")
        assert shown(app, "applicant_id_number") == ""
        assert text(app, "#intake-message") == ""
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert shown(app, "applicant_id_number") == DIGITS.format(count=4)
        # the phone was right (empty) at Ctrl+S: half a number says nothing yet
        await edit(app, pilot, "applicant_phone", *"0912")
        assert shown(app, "applicant_phone") == ""
        assert text(app, "#intake-message").startswith("Còn 1 chỗ cần sửa")
        # the next Ctrl+S says it
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert shown(app, "applicant_phone") == PHONE
        assert text(app, "#intake-message").startswith("Còn 2 chỗ cần sửa")


async def test_a_corrected_birth_year_clears_the_id_numbers_mismatch(rt: Runtime) -> None:
    """The ID number's message reads the birth year: the rule is desk's, and an edit
    of the year checks the number again."""
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await applicant(app, pilot, "001099012345", "1998", "0912345678")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert shown(app, "applicant_id_number") == MISMATCH
        assert shown(app, "applicant_birth_year") == ""
        await edit(app, pilot, "applicant_birth_year", "backspace", "9")
        assert app.screen.query_one("#applicant_birth_year", Input).value == "1999"
        assert shown(app, "applicant_id_number") == ""
        assert text(app, "#intake-message") == ""


def test_what_an_edit_checks_again() -> None:
    assert affected_by("applicant_birth_year") == {"applicant_birth_year", "applicant_id_number"}
    assert affected_by("applicant_phone") == {"applicant_phone"}
    assert affected_by("submitter_phone") == {"submitter_phone", "submitter_name"}
    assert affected_by("result_delivery") == {"result_delivery", "applicant_address"}
    assert affected_by("component_3") == {"components"}


async def test_an_error_and_a_warning_of_one_field_both_show(rt: Runtime) -> None:
    """A CCCD of another birth year and an unknown province: the error first, in red
    (only the province's warning showed, in yellow, under a red count of 1)."""
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await applicant(app, pilot, "999099012345", "1998", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        province = (
            "Mã tỉnh 999 ở đầu số CCCD không có trong danh sách (người sinh ở nước "
            "ngoài có mã khác): kiểm tra lại."
        )
        assert shown(app, "applicant_id_number") == f"{MISMATCH}\n{province}"
        assert not app.screen.query_one("#err-applicant_id_number").has_class("-warning")
        # the year put right: the warning alone stays, as a warning
        await edit(app, pilot, "applicant_birth_year", "backspace", "9")
        assert shown(app, "applicant_id_number") == province
        assert app.screen.query_one("#err-applicant_id_number").has_class("-warning")
        assert text(app, "#intake-message") == ""


async def test_a_scanned_cccd_clears_the_messages_and_its_notice_stays(rt: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await applicant(app, pilot, "0010", "1999", "")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert shown(app, "applicant_id_number") == DIGITS.format(count=4)
        app.screen.query_one("#applicant_phone", Input).focus()
        await pilot.press(*"001099012345||Lê Văn Ba|01011999|Nam|Số 1 Hà Nội|01012021", "enter")
        await settle(app, pilot)
        assert app.screen.query_one("#applicant_id_number", Input).value == "001099012345"
        assert shown(app, "applicant_id_number") == ""
        assert "sinh 01/01/1999" in text(app, "#intake-message")


async def test_ctrl_s_puts_the_cursor_on_the_first_error_down_the_form(rt: Runtime) -> None:
    """A wrong CCCD, birth year and phone: the cursor goes to the CCCD, the first of
    them down the form (it went to the birth year, the checks' first)."""
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await applicant(app, pilot, "0010990123", "2099", "0912")
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert text(app, "#intake-message").startswith("Còn 3 chỗ cần sửa")
        assert app.focused is not None and app.focused.id == "applicant_id_number"


async def test_fields_typed_in_one_burst_with_tabs_land_each_in_its_own(rt: Runtime) -> None:
    """Name, Tab, CCCD, Tab, … sent at once (a quick officer, one packet over SSH):
    each value in its field (the keys after a Tab went on in the field before it)."""
    from textual import events
    from textual.keys import _character_to_key

    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await khai_sinh(app, pilot)
        assert app.focused is not None and app.focused.id == "applicant_name"
        values = ["An", "001099012345", "1999", "0912345678", "So 7", "an@x.vn"]
        keys: list[str] = []
        for value in values:
            keys += [*value, "tab"]
        driver = app._driver
        assert driver is not None
        for key in [*keys[:-1], "shift+tab"]:
            if len(key) > 1:  # tab, shift+tab
                driver.send_message(events.Key(key, None))
            else:
                driver.send_message(
                    events.Key(key if key.isalnum() else _character_to_key(key), key)
                )
        await settle(app, pilot)
        fields = [app.screen.query_one(f"#{f}", Input).value for f in TEXT_FIELDS[:6]]
        assert fields == values
        assert app.focused is not None and app.focused.id == "applicant_address"


async def test_tab_to_a_field_with_a_message_shows_the_message_at_80x24(rt: Runtime) -> None:
    """After Ctrl+S, Tab to the submitter's CCCD: its message under it is on screen
    (Tab scrolled the field alone into view, the message under the status line)."""
    from tests.screens.test_walk import screen_lines

    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await applicant(app, pilot, "001099012345", "1999", "0912345678")
        screen = app.screen
        screen.query_one("#submitter_name", Input).value = "Lê Văn Bốn"
        screen.query_one("#submitter_id_number", Input).value = "00109901234"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        message = DIGITS.format(count=11)
        assert shown(app, "submitter_id_number") == message
        screen.query_one("#applicant_name", Input).focus()
        await settle(app, pilot)
        assert "đang có 11" not in "\n".join(screen_lines(app))
        while app.focused is None or app.focused.id != "submitter_id_number":
            await pilot.press("tab")
        await settle(app, pilot)
        lines = screen_lines(app)
        # above the status and key lines; the column is narrow: the message wraps
        assert message in " ".join(" ".join(line.split()) for line in lines[:-2]), lines


async def test_a_full_field_says_so_when_it_refuses_a_key(rt: Runtime) -> None:
    """The name takes 100 characters: the 101st is refused, and the form's message
    line says so, naming the field (it stopped with only a bell)."""
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await khai_sinh(app, pilot)
        name = app.screen.query_one("#applicant_name", Input)
        assert app.focused is name
        await type_in(pilot, "Nguyễn " * 14 + "An")  # 100 characters
        assert len(name.value) == 100
        assert text(app, "#intake-message") == ""
        await type_in(pilot, "h")
        assert len(name.value) == 100 and name.value.endswith("An")
        assert text(app, "#intake-message") == (
            "Ô Họ và tên chỉ nhận tối đa 100 ký tự: phần gõ thêm không được nhận."
        )
