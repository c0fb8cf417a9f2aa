"""Ctrl+S's message on the components ("no component yet") goes as soon as a count
is typed: it stayed under the list until the next Ctrl+S, red over a form the
officer had already put right."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Input, Static

from desk import clock
from desk.center.runtime import Runtime
from screens.app import DeskApp
from screens.intake import ReceiptView
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_intake import rt, text, type_in

__all__ = ["rt"]

NONE_YET = "Chưa có thành phần hồ sơ nào: nhập số bản chính, chứng thực hoặc photo."


async def _saved_without_counts(app: DeskApp, pilot: object, name: str) -> None:
    """F6, procedure 1.001640 (no component has a count until one is typed), the
    applicant's ``name``, Ctrl+S."""
    await settle(app, pilot)
    await pilot.press("f6")  # type: ignore[attr-defined]
    await settle(app, pilot)
    await type_in(pilot, "1.001640")
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)
    await type_in(pilot, name)
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await settle(app, pilot)


def shown(app: DeskApp, selector: str) -> bool:
    return app.screen.query_one(selector, Static).has_class("-shown")


async def test_the_components_message_goes_when_a_count_is_typed(rt: Runtime) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(100, 30)) as pilot:
        await _saved_without_counts(app, pilot, "Lê Văn Ba")
        assert text(app, "#err-components") == NONE_YET
        assert text(app, "#intake-message").startswith("Còn 1 chỗ cần sửa")
        assert app.focused is not None and app.focused.id == "c0-orig"
        await pilot.press("backspace")
        await type_in(pilot, "1")
        await settle(app, pilot)
        assert app.screen.query_one("#c0-orig", Input).value == "1"
        assert text(app, "#err-components") == ""
        assert not shown(app, "#err-components")
        assert text(app, "#intake-message") == ""
        # and the form saves as it is
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptView)


async def test_a_count_that_is_no_number_says_so_and_other_messages_stay(
    rt: Runtime,
) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(100, 30)) as pilot:
        await _saved_without_counts(app, pilot, "Lê Văn 3")
        name_error = "Họ và tên không được có chữ số."
        assert text(app, "#err-applicant_name") == name_error
        assert text(app, "#err-components") == NONE_YET
        assert text(app, "#intake-message").startswith("Còn 2 chỗ cần sửa")
        app.screen.query_one("#c0-photo", Input).focus()
        await pilot.press("backspace")
        await type_in(pilot, "x")  # a count takes digits only: the letter is refused
        await settle(app, pilot)
        assert app.screen.query_one("#c0-photo", Input).value == ""
        assert text(app, "#intake-message").endswith(": bản photo chỉ nhận chữ số.")
        assert text(app, "#err-components") == NONE_YET  # still no count
        assert text(app, "#err-applicant_name") == name_error
        await type_in(pilot, "2")
        await settle(app, pilot)
        assert text(app, "#err-components") == ""
        assert text(app, "#err-component_0") == ""
        assert not shown(app, "#err-component_0")
        # the name's message is Ctrl+S's until the next Ctrl+S, as before
        assert text(app, "#err-applicant_name") == name_error
        assert text(app, "#intake-message").startswith("Còn 1 chỗ cần sửa")
