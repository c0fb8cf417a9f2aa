"""A slip made in the look-up (F8: Mẫu 02 supplement request, Mẫu 03 refusal)
prints from its preview with Enter, as the intake's receipt does, and says where it
went; a reprint of a slip still waiting in the queue prints that job, so the queue
never prints it twice. A fake ESC/POS printer on 127.0.0.1 takes the jobs."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from textual.containers import VerticalScroll
from textual.widgets import Static

from desk.center.runtime import Runtime
from desk.printing.jobs import jobs_for_dossier, retry_unprinted, unprinted
from screens.app import DeskApp
from screens.intake import ReceiptView
from screens.keybar import KeyBar
from tests.fake_printer import FakePrinter
from tests.printing.test_printing import network
from tests.screens.test_counter import settle
from tests.screens.test_intake import rt, text, type_in
from tests.screens.test_lookup_forms import look_up, request_supplement, taken_in

__all__ = ["rt"]


def keys_shown(app: object) -> str:
    return str(app.screen.query_one(KeyBar).render())  # type: ignore[attr-defined]


async def test_a_supplement_slip_prints_from_its_preview_at_80x24(rt: Runtime) -> None:
    """Enter on the slip's preview prints its job on the named printer; the message
    sits outside the scrolling slip, on screen wherever the officer scrolled to. On
    the old code Enter did nothing and the job stayed pending."""
    fake = FakePrinter("ok")
    try:
        runtime = dataclasses.replace(rt, config=network(rt, fake.port, name="Quầy 3"))
        saved, app = taken_in(runtime, [datetime(2026, 11, 23, 9, 0)])
        async with app.run_test(size=(80, 24)) as pilot:
            await look_up(app, pilot, saved.code)
            await request_supplement(app, pilot, "Bản sao giấy khai sinh", "Thiếu giấy tờ")
            assert isinstance(app.screen, ReceiptView)
            assert "Enter In" in keys_shown(app)
            scroll = app.screen.query_one("#receipt-scroll", VerticalScroll)
            scroll.scroll_end(animate=False)  # down to the due date
            await pilot.pause()
            await pilot.press("enter")
            await settle(app, pilot)
            shown = text(app, "#receipt-status")
            assert shown == (
                "Đã gửi phiếu yêu cầu bổ sung, hoàn thiện hồ sơ tới máy in "
                f"Quầy 3 (127.0.0.1:{fake.port})."
            )
            status = app.screen.query_one("#receipt-status", Static)
            assert scroll.scroll_y > 0 and status not in scroll.walk_children()
            assert status.region.height > 0 and status.region.bottom <= 24
            assert status.region.bottom <= app.screen.query_one(KeyBar).region.y
        assert f"{saved.code}/HDHS".encode() in fake.payload()
    finally:
        fake.close()
    slips = [j for j in jobs_for_dossier(rt.engine, saved.id) if j.kind == "supplement"]
    assert [(j.status, j.attempts) for j in slips] == [("done", 1)]
    assert [j.kind for j in unprinted(rt.engine)] == ["receipt"]


async def test_a_refusal_prints_from_its_preview(rt: Runtime) -> None:
    fake = FakePrinter("ok")
    try:
        runtime = dataclasses.replace(rt, config=network(rt, fake.port, name="Quầy 3"))
        saved, app = taken_in(runtime, [datetime(2026, 11, 23, 9, 0)])
        async with app.run_test(size=(120, 40)) as pilot:
            await look_up(app, pilot, saved.code)
            await pilot.press("f4")
            await pilot.pause()
            await type_in(pilot, "Không thuộc thẩm quyền")
            await pilot.press("enter")
            await settle(app, pilot)
            assert isinstance(app.screen, ReceiptView)
            await pilot.press("f2")
            await settle(app, pilot)
            assert text(app, "#receipt-status").startswith(
                "Đã gửi phiếu từ chối tiếp nhận giải quyết hồ sơ tới máy in Quầy 3"
            )
    finally:
        fake.close()
    assert [j.kind for j in unprinted(rt.engine)] == ["receipt"]


async def test_a_preview_without_a_job_offers_no_print_key(rt: Runtime) -> None:
    """No print job behind the preview: the key bar does not offer "In" (it did,
    and Enter did nothing)."""
    saved, app = taken_in(rt, [datetime(2026, 11, 23, 9, 0)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(ReceiptView([saved.receipt]))
        await settle(app, pilot)
        shown = keys_shown(app)
        assert "Esc Đóng" in shown and " In" not in shown, shown


async def test_a_reprint_of_a_waiting_slip_prints_that_job_once(rt: Runtime) -> None:
    """Esc on the slip's preview, then Ctrl+P: the waiting job itself is printed,
    and named by its number; the print queue has nothing of it left to print
    again. On the old code a new job printed and the first stayed pending."""
    fake = FakePrinter("ok")
    try:
        config = network(rt, fake.port, name="Quầy 3")
        runtime = dataclasses.replace(rt, config=config)
        saved, app = taken_in(runtime, [datetime(2026, 11, 23, 9, 0)])
        async with app.run_test(size=(80, 24)) as pilot:
            await look_up(app, pilot, saved.code)
            await request_supplement(app, pilot, "Bản sao giấy khai sinh", "Thiếu giấy tờ")
            await pilot.press("escape")
            await settle(app, pilot)
            await pilot.press("ctrl+p")
            await settle(app, pilot)
            await pilot.press("enter")  # the newest document: the slip
            await settle(app, pilot)
            assert text(app, "#lookup-message") == (
                f"Đã gửi phiếu {saved.code}/HDHS tới máy in Quầy 3 (127.0.0.1:{fake.port})."
            )
        slips = [j for j in jobs_for_dossier(rt.engine, saved.id) if j.kind == "supplement"]
        assert [j.status for j in slips] == ["done"]
        retry_unprinted(rt.engine, config)  # the receipt only
        assert fake.payload().count(f"{saved.code}/HDHS".encode()) == 1
    finally:
        fake.close()
    assert unprinted(rt.engine) == []


async def test_the_receipts_print_message_is_on_screen_when_scrolled_down(rt: Runtime) -> None:
    """At 80×24 the officer scrolls the receipt down to the due date and presses
    Enter: the message is on screen, above the key bar (it sat at the top inside the
    scrolling receipt, out of sight)."""
    from tests.conftest import signed_in
    from tests.printing.test_receipt_printer import take_in

    app = DeskApp(rt, role="counter", counter=3, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await take_in(app, pilot)
        scroll = app.screen.query_one("#receipt-scroll", VerticalScroll)
        scroll.scroll_end(animate=False)
        await pilot.pause()
        await pilot.press("enter")
        await settle(app, pilot)
        status = app.screen.query_one("#receipt-status", Static)
        assert text(app, "#receipt-status").startswith("Đã ghi giấy tiếp nhận ra tệp xem trước")
        assert scroll.scroll_y > 0 and status not in scroll.walk_children()
        assert status.region.height > 0 and status.region.bottom <= 24
        assert status.region.bottom <= app.screen.query_one(KeyBar).region.y
