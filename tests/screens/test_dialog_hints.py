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
