"""Small defects a second tmux walk found on the kiosk, the counter and its look-up."""

from __future__ import annotations

import pytest
from textual.widgets import DataTable

from desk import i18n
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.screens.test_counter import settle, text_of, until
from tests.screens.test_counter_typeahead import NOW, shown_code
from tests.screens.test_header import english
from tests.screens.test_intake import rt
from tests.screens.test_lookup_forms import look_up, taken_in

__all__ = ["rt"]

# --- kiosk: nobody ahead -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "nobody", "one"),
    [
        ("vi", "Không có ai đang chờ trước bạn", "Có 1 người đang chờ trước bạn"),
        ("en", "Nobody is waiting before you", "1 person is waiting before you"),
    ],
)
async def test_the_first_ticket_says_nobody_is_ahead_and_the_next_one_counts(
    runtime: Runtime, open_hours: None, language: str, nobody: str, one: str
) -> None:
    rt = english(runtime) if language == "en" else runtime
    i18n.set_language(language)
    kiosk = DeskApp(rt, role="kiosk")
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(kiosk, pilot)
        await pilot.press("1")
        await settle(kiosk, pilot)
        assert text_of(kiosk, "#ticket-ahead") == nobody
        assert "0" not in text_of(kiosk, "#ticket-ahead")
        await pilot.press("escape", "1")
        await settle(kiosk, pilot)
        assert text_of(kiosk, "#ticket-ahead") == one
    assert Queue(rt).waiting_counts()["A"] == 2


# --- counter, F8: F9 before the result is ready -------------------------------------------


async def test_f9_on_a_dossier_just_received_says_to_mark_the_result_ready_first(
    rt: Runtime,
) -> None:
    from desk.dossiers.lifecycle import get_dossier
    from screens.keybar import KeyBar

    saved, app = taken_in(rt, [NOW])
    async with app.run_test(size=(110, 45)) as pilot:
        await look_up(app, pilot, saved.code)
        assert shown_code(app) == saved.code
        bar = str(app.screen.query_one(KeyBar).render())
        assert "F7 Có kết quả" in bar  # the key the message names, as the bar names it
        await pilot.press("f9")
        await settle(app, pilot)
        assert text_of(app, "#lookup-message") == (
            'Không thể trả kết quả khi hồ sơ đang ở trạng thái "Đã tiếp nhận". '
            "Trước hết ghi nhận có kết quả: F7 (Có kết quả)."
        )
        assert get_dossier(rt.engine, saved.code).status == "received"
        await pilot.press("f7", "y")  # as the message says (and yes, ready): then F9 applies
        await settle(app, pilot)
        assert app.screen.why_not("return_result") is None  # type: ignore[attr-defined]


# --- counter: the waiting list and the pause ------------------------------------------------


def shown_text(app: DeskApp) -> str:
    """Every line of text on the screen (the Statics shown, not those hidden)."""
    return "\n".join(
        str(w.render())
        for w in app.screen.query("Static")
        if w.display and all(a.display for a in w.ancestors_with_self if hasattr(a, "display"))
    )


async def test_an_empty_waiting_list_says_nobody_is_waiting_until_someone_is(
    runtime: Runtime,
) -> None:
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#waiting", DataTable)
        await until(app, pilot, lambda: app.screen.query_one("#waiting-empty").display)
        assert table.row_count == 0
        assert "Không có ai đang chờ." in shown_text(app)
        Queue(runtime).issue("A")  # a citizen takes a ticket at the kiosk
        await until(app, pilot, lambda: table.row_count == 1)
        assert "Không có ai đang chờ." not in shown_text(app)
        await pilot.press("f2")  # called: the list is empty again, and says so
        await settle(app, pilot)
        assert table.row_count == 0
        assert "Không có ai đang chờ." in shown_text(app)


async def test_a_paused_counter_says_so_once(runtime: Runtime) -> None:
    """With a ticket called, with none: one line says the counter is paused."""
    q = Queue(runtime)
    q.issue("A")
    q.issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert "đang tạm dừng" not in shown_text(app).lower()
        await pilot.press("f10")  # paused while A001 is called
        await settle(app, pilot)
        shown = shown_text(app)
        assert shown.lower().count("đang tạm dừng") == 1, shown
        assert "QUẦY ĐANG TẠM DỪNG (F10 để tiếp tục)" in shown
        assert "Đã gọi, chờ công dân đến" in shown  # the called ticket's state stays
        # the key bar says what F10 does now (it said "Tạm dừng" while paused)
        assert "F10 Tiếp tục" in shown and "F10 Tạm dừng" not in shown, shown
        await pilot.press("enter", "f9")  # the citizen is done; the counter stays paused
        await settle(app, pilot)
        shown = shown_text(app)
        assert shown.lower().count("đang tạm dừng") == 1, shown
        assert text_of(app, "#current-state") == "ĐANG TẠM DỪNG — bấm F10 để tiếp tục"
        await pilot.press("f10")
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == "Quầy đã mở lại."
        assert "đang tạm dừng" not in shown_text(app).lower()
        assert "F10 Tạm dừng" in shown_text(app)


# --- kiosk: the dossier look-up finds what F8 finds ---------------------------------------


async def test_the_kiosk_finds_a_dossier_by_part_of_its_code_as_f8_does(rt: Runtime) -> None:
    """The last digits find the dossier F8 finds; a part several codes end with asks
    for the whole code; a miss names what was typed, as typed; never a name or CCCD."""
    from textual.widgets import Static

    from desk import clock
    from desk.dossiers.lifecycle import find_dossiers
    from screens.kiosk_status import KioskStatus
    from tests.dossiers.test_intake import form, save
    from tests.screens.test_kiosk_status import screen_text

    clock.set_clock(lambda: NOW)
    [first] = save(rt, form())
    [second] = save(rt, form(procedure_code="1.004873", fee=""))
    assert [d.code for d in find_dossiers(rt.engine, "2")] == [second.code]
    app = DeskApp(rt, role="kiosk")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("asterisk")
        assert isinstance(app.screen, KioskStatus)
        await pilot.press("2", "enter")
        await settle(app, pilot)
        assert f"Mã hồ sơ {second.code}" in screen_text(app)
        assert str(app.screen.query_one("#status-label", Static).render()) == "ĐÃ TIẾP NHẬN"
        await pilot.press(*"261123-0001", "enter")  # as printed after the date
        await settle(app, pilot)
        assert f"Mã hồ sơ {first.code}" in screen_text(app)
        await pilot.press(*"261123", "enter")
        await settle(app, pilot)
        assert not app.screen.query_one("#status-result").display
        assert text_of(app, "#status-message") == (
            "Có nhiều hồ sơ khớp với “261123”: xin gõ đủ mã hồ sơ, hoặc quét mã QR trên "
            "giấy tiếp nhận."
        )
        await pilot.press(*"[b]0099", "enter")
        await settle(app, pilot)
        assert text_of(app, "#status-message") == (
            "Không tìm thấy hồ sơ nào khớp với “[b]0099”. Xin kiểm tra lại mã trên giấy tiếp nhận."
        )
        for personal in ("Trần Thị Bình", "Bình", "031301012345"):  # the counter's F8 would
            await pilot.press(*personal, "enter")
            await settle(app, pilot)
            assert not app.screen.query_one("#status-result").display, personal
            assert f"Không tìm thấy hồ sơ nào khớp với “{personal}”" in text_of(
                app, "#status-message"
            )
