"""Every dialog of the counter says which keys confirm and close it, as the booking
and the login do (F5's transfer and Ctrl+R's returned ticket said nothing)."""

from __future__ import annotations

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.counter import ReactivateDialog, TransferDialog
from tests.conftest import signed_in
from tests.screens.test_counter import settle, text_of


async def test_the_counters_dialogs_name_their_keys(runtime: Runtime) -> None:
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "f5")
        await settle(app, pilot)
        assert isinstance(app.screen, TransferDialog)
        assert text_of(app, ".dialog-hint") == "↑↓: chọn · Enter: chuyển · Esc: đóng"
        await pilot.press("escape", "ctrl+r")
        await settle(app, pilot)
        assert isinstance(app.screen, ReactivateDialog)
        assert text_of(app, ".dialog-hint") == "Enter: đưa số trở lại hàng chờ · Esc: đóng"


async def test_the_returned_ticket_dialog_stays_on_nothing_or_no_number(runtime: Runtime) -> None:
    """Enter on nothing closed Ctrl+R's dialog without a word, and "abc" closed it
    with "no ticket ABC today" on the counter's line (walk, 2 Dec): the officer had to
    press Ctrl+R again. Both are said in the dialog, which stays; a number goes on."""
    q = Queue(runtime)
    q.issue("A")
    q.set_state(1, "open")
    q.call_next(1)
    q.recall(1)
    q.recall(1)
    q.no_show(1)
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+r", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReactivateDialog)
        assert text_of(app, "#reactivate-message") == "Nhập số của công dân vắng mặt, ví dụ A012."
        await pilot.press(*"abc", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReactivateDialog)
        assert text_of(app, "#reactivate-message").startswith("“abc” không phải một số thứ tự")
        app.screen.query_one("#reactivate-number").value = ""  # type: ignore[attr-defined]
        # a number the queue refuses (no such ticket today): said in the dialog, which
        # comes back with it (it closed, and the number had to be typed again; walk)
        await pilot.press(*"a99", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, ReactivateDialog)
        assert text_of(app, "#reactivate-message") == "Không tìm thấy số A099 trong ngày hôm nay."
        field = app.screen.query_one("#reactivate-number")
        assert field.value == "A099" and app.focused is field  # type: ignore[attr-defined]
        field.value = ""  # type: ignore[attr-defined]
        await pilot.press(*"a1", "enter")  # as citizens say it (it was refused; walk)
        await settle(app, pilot)
        assert not isinstance(app.screen, ReactivateDialog)
    assert q.waiting_counts()["A"] == 1


async def test_f5_lists_only_the_counters_that_serve_the_tickets_service(
    runtime: Runtime,
) -> None:
    """A Hộ tịch ticket was offered counters 3 to 6, which do not serve Hộ tịch, and
    refused only after Enter (walk, 2 Dec)."""
    from textual.widgets import OptionList

    Queue(runtime).issue("A")
    Queue(runtime).set_state(2, "open")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "f5")
        await settle(app, pilot)
        assert isinstance(app.screen, TransferDialog)
        targets = app.screen.query_one(OptionList)
        # and those not open are marked: a ticket sent there waits until they open
        labels = [str(targets.get_option_at_index(i).prompt) for i in range(targets.option_count)]
        assert "Quầy 2" in labels and "Quầy 7 — Quầy ưu tiên (đang không mở)" in labels
        ids = [targets.get_option_at_index(i).id for i in range(targets.option_count)]
        counters = [i for i in ids if i and i.startswith("counter:")]
        serving = [
            f"counter:{c.number}"
            for c in runtime.config.counters
            if c.number != 1 and "A" in c.services
        ]
        assert counters == serving and len(serving) < len(runtime.config.counters) - 1
