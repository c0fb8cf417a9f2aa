"""A person's keys at the kiosk are never taken for a scan's, nor a scan's for a
person's (screens.scan.KioskScanner, screens.kiosk.PriorityMenu): the cases a review
of the scan's detection named (2 Dec)."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

from desk import clock
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.kiosk import KioskScreen, PriorityMenu
from screens.kiosk_status import KioskStatus
from tests.screens.test_counter import settle, text_of, until
from tests.screens.test_kiosk_status import tickets_today

MONDAY_9 = datetime(2026, 12, 7, 9, 0)  # the kiosk open


def kiosk_with(runtime: Runtime, **identity: Any) -> DeskApp:
    config = runtime.config
    ident = config.identity.model_copy(update=identity)
    rt = dataclasses.replace(runtime, config=config.model_copy(update={"identity": ident}))
    return DeskApp(rt, role="kiosk")


async def test_a_double_press_where_cccds_are_scanned_takes_one_ticket(runtime: Runtime) -> None:
    """With ``kiosk_scan`` on a digit waits to see what follows: "1" twice within the
    pause (a double press, a bouncing key) took no ticket and looked up "11"."""
    clock.set_clock(lambda: MONDAY_9)
    app = kiosk_with(runtime, kiosk_scan=True, scan_gap_ms=2000)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("1", "1")
        await until(app, pilot, lambda: app.screen.query_one("#kiosk-ticket").display)
        assert isinstance(app.screen, KioskScreen)
        assert app.screen.query_one("#ticket-number", BigText).value == "A001"
    assert tickets_today(runtime) == 1


async def test_a_slow_dot_in_the_priority_menu_does_nothing(runtime: Runtime) -> None:
    """A keypad's dot pressed by a person at the menu looked up "0."."""
    clock.set_clock(lambda: MONDAY_9)
    app = kiosk_with(runtime, scan_gap_ms=20)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("0")
        await settle(app, pilot)
        assert isinstance(app.screen, PriorityMenu)
        await pilot.pause(0.1)  # a person reads the menu (longer than the 20 ms pause)
        await pilot.press("full_stop")
        await settle(app, pilot)
        assert isinstance(app.screen, PriorityMenu)
    assert tickets_today(runtime) == 0


async def test_the_priority_key_opens_its_menu_once_nothing_follows(runtime: Runtime) -> None:
    """The priority key is held for the pause (a CCCD and an agency code begin with
    it); alone, it opens the menu, and a category then a service take the ticket.
    Pressed twice at once (a double press), it opens the menu once."""
    clock.set_clock(lambda: MONDAY_9)
    app = kiosk_with(runtime, scan_gap_ms=300)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("0", "0")
        await until(app, pilot, lambda: isinstance(app.screen, PriorityMenu))
        assert sum(isinstance(s, PriorityMenu) for s in app.screen_stack) == 1
        await pilot.press("2")
        await until(app, pilot, lambda: "Người cao tuổi" in text_of(app, "#kiosk-mode"))
        await pilot.press("1")
        await until(app, pilot, lambda: app.screen.query_one("#kiosk-ticket").display)
        assert app.screen.query_one("#ticket-number", BigText).value == "★A001"


async def test_a_cccd_cut_by_a_pause_is_never_shown_nor_looked_up(runtime: Runtime) -> None:
    """A CCCD's digits alone (the scanner paused before its "|"): they were looked
    up as a dossier, "không tìm thấy “031040012345”" on the public screen."""
    clock.set_clock(lambda: MONDAY_9)
    app = kiosk_with(runtime, kiosk_scan=True, scan_gap_ms=2000)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*"031040012345", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, KioskScreen)
        shown = "\n".join(str(w.render()) for w in app.screen.query("Static") if w.display)
        assert "Không đọc được mã vừa quét" in shown
        assert "031040012345" not in shown and "345" not in shown
    assert Queue(runtime).waiting_counts() == dict.fromkeys(Queue(runtime).waiting_counts(), 0)
    assert not any(isinstance(s, KioskStatus) for s in app.screen_stack)
