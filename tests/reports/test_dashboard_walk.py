"""What a new director ran into at the dashboard, walking through it in a terminal:
the key bar's capital letters, Enter on a dossier, the English field line."""

from __future__ import annotations

from textual.pilot import Pilot

from desk import i18n
from desk.center.runtime import Runtime
from screens.admin import AdminScreen
from screens.app import DeskApp
from screens.help import help_lines
from tests.conftest import signed_in
from tests.reports.conftest import AS_OF, at, dashboard
from tests.reports.test_dashboard import open_view, shown
from tests.screens.test_counter import settle


async def test_the_period_keys_work_as_the_key_bar_writes_them(month: Runtime) -> None:
    """The key bar and F1 say D, W, M, Q, Y and T: with Shift (or Caps Lock) held they
    did nothing and said nothing."""
    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        expected = {
            "D": "Ngày: 20/11/2026",
            "W": "Tuần: 16/11/2026 – 22/11/2026",
            "Q": "Quý: 01/10/2026 – 31/12/2026",
            "Y": "Năm: 01/01/2026 – 31/12/2026",
            "M": "Tháng: 01/11/2026 – 30/11/2026",
        }
        for key, period in expected.items():
            await pilot.press(key)
            await settle(app, pilot)
            assert shown(screen, "#admin-period") == period + AS_OF
        await pilot.press("left_square_bracket", "T")
        await settle(app, pilot)
        assert shown(screen, "#admin-period") == "Tháng: 01/11/2026 – 30/11/2026" + AS_OF
        keys = [
            keys
            for keys, description, _ in help_lines(app.screen, [])
            if description.startswith("Ngày — ")
        ]
        assert keys == ["D"]  # F1 names the key once


async def test_enter_on_a_dossier_says_there_is_nothing_below(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot, "3")
        await pilot.press("enter", "enter")  # a field, then a procedure: its dossiers
        await settle(app, pilot)
        assert len(screen.drill) == 2
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(screen.drill) == 2
        assert shown(screen, "#admin-status") == (
            "Đây là danh sách hồ sơ, không mở sâu hơn được: Backspace để quay lên."
        )


async def test_the_english_field_line_reads_right_for_one_procedure(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    i18n.set_language("en")
    try:
        app = DeskApp(month, role="admin", officer=signed_in(month))
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await open_view(app, pilot, "3")
            line = shown(screen, "#fields-detail")
            # "› Hộ tịch: 2 procedures" read "1 procedures" for a field of one
            assert line.startswith("› Hộ tịch · procedures: ")
    finally:
        i18n.set_language("vi")


async def test_the_current_periods_figures_come_again_in_place_with_their_time(
    month: Runtime,
) -> None:
    """The figures of today's period went stale and said nothing of when they were
    computed (walk, 2 Dec): they are computed again while shown, say at what time, and
    the level drilled into and the highlighted row stay where the director left them."""
    from textual.widgets import DataTable

    from screens.admin import AdminScreen

    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        screen = await open_view(app, pilot, "3")
        await pilot.press("enter")  # into the first field's procedures
        await settle(app, pilot)
        grid = screen.query_one("#fields-table", DataTable)
        assert len(screen.drill) == 1 and grid.row_count >= 2
        await pilot.press("down")
        kept = screen._highlighted("fields")
        await a_ticket_then_the_minutes_refresh(month, app, pilot, screen)
        assert len(screen.drill) == 1 and screen._highlighted("fields") == kept
        # a past period's figures are not computed again, and say no time
        await pilot.press("left_square_bracket")
        await settle(app, pilot)
        october = screen.report
        assert shown(screen, "#admin-period") == "Tháng: 01/10/2026 – 31/10/2026"
        screen.refresh_current()
        await settle(app, pilot)
        assert screen.report is october
        assert isinstance(app.screen, AdminScreen)


async def test_a_refresh_landing_over_a_dossier_list_leaves_it_alone(month: Runtime) -> None:
    """A refresh asked at the procedures' level can land once the director has gone
    down to a procedure's dossiers: it emptied and refilled that list, the cursor back
    on its first row (review, 2 Dec)."""
    from datetime import datetime

    from textual.widgets import DataTable

    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        screen = await open_view(app, pilot, "3")
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("enter")  # the first procedure's dossiers
        await settle(app, pilot)
        grid = screen.query_one("#fields-table", DataTable)
        assert len(screen.drill) == 2 and grid.row_count >= 2
        await pilot.press("down")
        kept = screen._highlighted("fields")
        report = screen.report
        assert report is not None
        screen.request += 1  # as refresh_current asks, landing now
        screen.refreshing = True
        screen._show(screen.request, report, datetime(2026, 11, 20, 10, 1))
        await settle(app, pilot)
        assert len(screen.drill) == 2 and screen._highlighted("fields") == kept
        assert shown(screen, "#admin-period").endswith("số liệu lúc 10:01, tự cập nhật")


async def test_another_view_refreshes_after_a_dossier_list_was_opened(month: Runtime) -> None:
    """Down to a procedure's dossiers in view 3, then view 1: the figures stopped
    refreshing though the line said "tự cập nhật", and Enter's refusal on the list
    stayed on the status line in every view (walk, 2 Dec)."""

    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        screen = await open_view(app, pilot, "3")
        await pilot.press("enter", "enter")  # a field, then its first procedure's dossiers
        await settle(app, pilot)
        assert len(screen.drill) == 2
        await pilot.press("down", "down")
        kept = screen._highlighted("fields")
        await pilot.press("enter")  # nothing below a dossier: said on the status line
        await settle(app, pilot)
        assert shown(screen, "#admin-status").startswith("Đây là danh sách hồ sơ")
        await pilot.press("1")
        await settle(app, pilot)
        assert shown(screen, "#admin-status").startswith("Đúng hạn: ")  # the rule again
        await a_ticket_then_the_minutes_refresh(month, app, pilot, screen)
        await settle(app, pilot)  # the list read again with the figures
        assert len(screen.drill) == 2  # back in view 3, the list drilled into
        assert screen._highlighted("fields") == kept  # and the dossier highlighted there


async def a_ticket_then_the_minutes_refresh(
    month: Runtime, app: DeskApp, pilot: Pilot[None], screen: AdminScreen
) -> None:
    """A ticket is issued, a minute passes and the refresh comes: the figures are new
    (one ticket more) and say the minute they were computed at."""
    from desk.queue.engine import Queue

    before = screen.report
    assert before is not None
    Queue(month).issue("A")
    at(2026, 11, 20, 10, 1)
    screen.refresh_current()
    await settle(app, pilot)
    assert screen.report is not None and screen.report is not before
    assert screen.report.queue.tickets == before.queue.tickets + 1
    assert shown(screen, "#admin-period").endswith("số liệu lúc 10:01, tự cập nhật")
