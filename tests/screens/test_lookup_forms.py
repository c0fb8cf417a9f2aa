"""F8 at the counter (issue 16): each document preview carries its own title, and a
second supplement request needs a supervisor's approval, given at the counter."""

from __future__ import annotations

from datetime import datetime

from textual.widgets import Input, Static

from desk import clock
from desk.center.runtime import Runtime
from desk.dossiers.intake import SavedDossier
from desk.dossiers.lifecycle import history
from screens.app import DeskApp
from screens.approval import ApprovalDialog
from screens.intake import ReceiptView
from screens.lookup import FieldsDialog
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_intake import rt, text, type_in

__all__ = ["rt"]


async def request_supplement(app: DeskApp, pilot: object, items: str, reason: str) -> None:
    """F3 in the look-up: the items missing and the reason, each confirmed with Enter."""
    await pilot.press("f3")  # type: ignore[attr-defined]
    await pilot.pause()  # type: ignore[attr-defined]
    await type_in(pilot, items)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await type_in(pilot, reason)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)


def taken_in(rt: Runtime, now: list[datetime]) -> tuple[SavedDossier, DeskApp]:
    """A dossier taken in at ``now`` (a clock the test moves), and canbo's counter."""
    from tests.dossiers.test_intake import form, save

    clock.set_clock(lambda: now[0])
    [saved] = save(rt, form(procedure_code="1.004873", fee=""))
    return saved, DeskApp(rt, role="counter", counter=1, officer=signed_in(rt, "canbo"))


async def look_up(app: DeskApp, pilot: object, code: str) -> None:
    """F8 and the dossier's code: the dossier is shown in the look-up."""
    await settle(app, pilot)
    await pilot.press("f8")  # type: ignore[attr-defined]
    await settle(app, pilot)
    await type_in(pilot, code)
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(app, pilot)


async def test_previews_are_titled_by_form_and_a_second_request_needs_a_supervisor(
    rt: Runtime,
) -> None:
    now = [datetime(2026, 11, 23, 9, 0)]
    saved, app = taken_in(rt, now)
    async with app.run_test(size=(110, 45)) as pilot:
        await look_up(app, pilot, saved.code)
        await request_supplement(app, pilot, "Bản sao giấy khai sinh", "Thiếu giấy tờ")
        assert isinstance(app.screen, ReceiptView)
        assert text(app, ".dialog-title") == "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ"
        await pilot.press("escape")
        await pilot.pause()
        now[0] = datetime(2026, 11, 24, 8, 0)
        await pilot.press("f6", "y")  # asked first: the citizen brought everything
        await settle(app, pilot)
        await request_supplement(app, pilot, "Sổ hộ khẩu", "Giấy tờ bị tẩy xóa")
        # a second request: a supervisor approves it at this counter
        assert isinstance(app.screen, ApprovalDialog)
        await type_in(pilot, "canbo")
        await pilot.press("enter")
        await type_in(pilot, "canbo123")
        await pilot.press("enter")
        await settle(app, pilot)
        # an officer is no supervisor: the dialog stays and says so under the name
        assert isinstance(app.screen, ApprovalDialog)
        assert text(app, "#approver-error").startswith(
            "Yêu cầu bổ sung lần thứ 2 cần lãnh đạo phê duyệt"
        )
        assert history(rt.engine, saved.code)[-1].to_status == "processing"
        await pilot.press("ctrl+u")
        await type_in(pilot, "giamdoc")
        await pilot.press("enter")
        await type_in(pilot, "sai mat khau")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ApprovalDialog)
        assert text(app, "#approver-password-error") == "Sai tên đăng nhập hoặc mật khẩu."
        assert app.screen.query_one("#approver", Input).value == "giamdoc"
        assert app.screen.focused is app.screen.query_one("#approver-password", Input)
        await type_in(pilot, "giamdoc123")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptView)
        assert history(rt.engine, saved.code)[-1].reason == (
            "Sổ hộ khẩu (yêu cầu bổ sung lần 2; lý do: Giấy tờ bị tẩy xóa;"
            " phê duyệt: Giám đốc Trung tâm)"
        )
        await pilot.press("escape")
        await pilot.pause()
        now[0] = datetime(2026, 11, 25, 8, 0)
        await pilot.press("f6", "y")  # asked first: the citizen brought everything
        await settle(app, pilot)
        await pilot.press("f4")
        await pilot.pause()
        # a reason no citizen could read is refused in the dialog, which stays (it
        # closed, and the reason typed next became a search; walk, 2 Dec)
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, FieldsDialog)
        assert text(app, "#field-0-error") == "Nhập lý do."
        await type_in(pilot, "x")
        await pilot.press("enter")
        await settle(app, pilot)
        assert text(app, "#field-0-error") == (
            "Lý do phải là câu chữ rõ ràng (ít nhất hai từ), không phải một ký tự."
        )
        assert history(rt.engine, saved.code)[-1].to_status == "processing"
        app.screen.query_one("#field-0", Input).value = ""
        await type_in(pilot, "Không thuộc thẩm quyền")
        await pilot.press("enter")
        await settle(app, pilot)
        assert text(app, ".dialog-title") == "Phiếu từ chối tiếp nhận giải quyết hồ sơ"
        shown = " ".join(str(app.screen.query_one(".receipt-text", Static).render()).split())
        assert "PHIẾU TỪ CHỐI TIẾP NHẬN GIẢI QUYẾT HỒ SƠ" in shown


async def test_a_refused_second_supplement_keeps_what_was_typed(rt: Runtime) -> None:
    """A second request refused (one-word reason, an approver who is no supervisor):
    the dialog names the field and what it expects, and nothing typed is lost. On
    the old code the approver's refusal closed every dialog and the items and the
    reason had to be typed again."""
    now = [datetime(2026, 11, 23, 9, 0)]
    saved, app = taken_in(rt, now)
    async with app.run_test(size=(110, 45)) as pilot:
        await look_up(app, pilot, saved.code)
        await request_supplement(app, pilot, "Bản sao giấy khai sinh", "Thiếu giấy tờ")
        await pilot.press("escape")
        await pilot.pause()
        now[0] = datetime(2026, 11, 24, 8, 0)
        await pilot.press("f6", "y")  # asked first: the citizen brought everything
        await settle(app, pilot)
        await request_supplement(app, pilot, "Sổ hộ khẩu; Tờ khai", "x")
        # a second request needs a worded reason: refused under the reason
        assert isinstance(app.screen, FieldsDialog)
        assert text(app, "#field-1-error").startswith("Đây là lần yêu cầu bổ sung thứ 2")
        assert app.screen.query_one("#field-0", Input).value == "Sổ hộ khẩu; Tờ khai"
        assert app.screen.focused is app.screen.query_one("#field-1", Input)
        await pilot.press("ctrl+u")
        await type_in(pilot, "Giấy tờ bị tẩy xóa")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ApprovalDialog)
        await type_in(pilot, "canbo")
        await pilot.press("enter")
        await type_in(pilot, "canbo123")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ApprovalDialog)
        assert "lãnh đạo" in text(app, "#approver-error")
        assert app.screen.query_one("#approver", Input).value == "canbo"
        # Esc: back to the request as typed, not to an empty lookup
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, FieldsDialog)
        assert app.screen.query_one("#field-0", Input).value == "Sổ hộ khẩu; Tờ khai"
        assert app.screen.query_one("#field-1", Input).value == "Giấy tờ bị tẩy xóa"
        await pilot.press("enter", "enter")
        await settle(app, pilot)
        await type_in(pilot, "giamdoc")
        await pilot.press("enter")
        await type_in(pilot, "giamdoc123")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiptView)
        assert history(rt.engine, saved.code)[-1].reason.startswith(
            "Sổ hộ khẩu; Tờ khai (yêu cầu bổ sung lần 2; lý do: Giấy tờ bị tẩy xóa"
        )


async def test_handing_back_to_nobody_says_a_name_is_needed(rt: Runtime) -> None:
    """F9 with the receiver's name cleared: the dialog closed, handed back nothing and
    said nothing (walk, 2 Dec). It now asks for the name and stays."""
    from desk.dossiers.lifecycle import Lifecycle
    from screens.lookup import ReceiverDialog

    now = [datetime(2026, 11, 23, 9, 0)]
    saved, app = taken_in(rt, now)
    Lifecycle(rt.engine, rt.config).resolve(saved.code)
    async with app.run_test(size=(110, 45)) as pilot:
        await look_up(app, pilot, saved.code)
        await pilot.press("f9")
        await settle(app, pilot)
        dialog = app.screen
        assert isinstance(dialog, ReceiverDialog)
        # its own keys at the bottom, not the look-up's (which do nothing under it)
        from tests.screens.test_walk import screen_lines

        assert screen_lines(app)[-1].split() == ["Enter", "Trả", "kết", "quả", "Esc", "Hủy"]
        dialog.query_one("#receiver", Input).value = "  "
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.screen is dialog
        assert text(app, "#receiver-error") == "Nhập họ tên người nhận kết quả."
        # a name past its room is stopped with a word, not in silence
        dialog.query_one("#receiver", Input).value = "A" * 100
        await pilot.press("end", "B")
        await settle(app, pilot)
        assert text(app, "#receiver-error").startswith("Ô Người nhận chỉ nhận tối đa 100 ký tự")
        dialog.query_one("#receiver", Input).value = ""
        await type_in(pilot, "Trần Văn Nhận")
        await pilot.press("enter")
        await settle(app, pilot)
        assert not isinstance(app.screen, ReceiverDialog)
        # the card says to whom and when (a bare "→ name · time" did not; walk)
        assert "\nĐã trả kết quả cho: Trần Văn Nhận · lúc 09:00 23/11/2026" in text(
            app, "#lookup-detail"
        )
    assert history(rt.engine, saved.code)[-1].to_status == "returned"


async def test_a_result_asked_for_by_post_is_handed_over_only_after_a_warning(
    rt: Runtime,
) -> None:
    """The citizen asked for the result by post: the look-up says so, and F9's dialog
    warns before the officer hands it over at the counter (it said nothing)."""
    from desk.dossiers.lifecycle import Lifecycle
    from screens.lookup import ReceiverDialog
    from tests.dossiers.test_intake import form, save

    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    [by_post] = save(rt, form(procedure_code="1.004873", fee="", result_delivery="post"))
    [at_desk] = save(rt, form(procedure_code="1.004873", fee=""))
    for saved in (by_post, at_desk):
        Lifecycle(rt.engine, rt.config).resolve(saved.code)
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt, "canbo"))
    async with app.run_test(size=(110, 45)) as pilot:
        await look_up(app, pilot, by_post.code)
        assert text(app, "#lookup-detail").endswith(
            "Số điện thoại: 0912 345 678\n"
            "Nơi nhận kết quả: Qua bưu chính (về địa chỉ)\n"
            "Địa chỉ: Số 5 Lạch Tray, phường Lê Chân"
        )
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiverDialog)
        assert text(app, "#receiver-post").startswith(
            "Hồ sơ này đăng ký nhận kết quả qua bưu chính: trao cho nhân viên bưu chính"
        )
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")
        await look_up(app, pilot, at_desk.code)
        assert "bưu chính" not in text(app, "#lookup-detail")
        await pilot.press("f9")
        await settle(app, pilot)
        assert isinstance(app.screen, ReceiverDialog)
        assert not app.screen.query("#receiver-post")


async def test_a_linked_dossier_names_the_others_of_its_bundle_and_their_status(
    rt: Runtime,
) -> None:
    """The look-up never said a dossier was one of a linked bundle: one was handed
    back with no word of the others still open (walk, 2 Dec)."""
    from desk.dossiers.intake import ComponentInput
    from desk.dossiers.lifecycle import Lifecycle
    from tests.dossiers.test_intake import form, save

    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    papers = [
        ComponentInput(name="Giấy chứng sinh", procedure_code="1.001193", originals="1"),
        ComponentInput(name="Tờ khai CT01", procedure_code="1.004222", originals="1"),
        ComponentInput(name="Đăng ký KCB ban đầu", procedure_code="0.000001", originals="1"),
    ]
    first, second, third = save(
        rt, form(bundle="birth_u6", procedure_code="", components=papers, fee="")
    )
    Lifecycle(rt.engine, rt.config).resolve(second.code)
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await look_up(app, pilot, first.code)
        assert text(app, "#lookup-detail").endswith(
            f"Cùng bộ liên thông: {second.code} (Đã có kết quả) · {third.code} (Đã tiếp nhận)"
        )
        # F9 on it (ready) names the partners still open above the receiver's name
        Lifecycle(rt.engine, rt.config).resolve(first.code)
        await pilot.press("escape")
        await look_up(app, pilot, first.code)
        await pilot.press("f9")
        await settle(app, pilot)
        assert text(app, "#receiver-partners") == (
            f"Hồ sơ cùng bộ liên thông chưa trả: {second.code} (Đã có kết quả) · "
            f"{third.code} (Đã tiếp nhận)."
        )
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("escape")
        [single] = save(rt, form(procedure_code="1.004873", fee=""))
        await look_up(app, pilot, single.code)
        assert "liên thông" not in text(app, "#lookup-detail")


async def test_f10_too_late_says_so_before_the_date_and_reason_are_typed(rt: Runtime) -> None:
    """On the due date itself a new one can no longer be sent (at least a day before):
    F10 says so at once. It asked for the new date and the reason first and then threw
    them away with that message (walk, 2 Dec)."""
    from desk.dossiers.lifecycle import find_dossiers

    now = [datetime(2026, 11, 23, 9, 0)]
    saved, app = taken_in(rt, now)
    [view] = find_dossiers(rt.engine, saved.code)
    assert view.due_at is not None
    now[0] = view.due_at.replace(hour=8, minute=0)  # the morning of the due date
    async with app.run_test(size=(110, 45)) as pilot:
        await look_up(app, pilot, saved.code)
        await pilot.press("f10")
        await settle(app, pilot)
        assert not isinstance(app.screen, FieldsDialog)
        assert text(app, "#lookup-message") == (
            "Chỉ gia hạn được trước ngày hẹn trả ít nhất một ngày."
        )
