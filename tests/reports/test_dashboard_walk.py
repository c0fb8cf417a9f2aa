"""What a new director ran into at the dashboard, walking through it in a terminal:
the key bar's capital letters, Enter on a dossier, the English field line."""

from __future__ import annotations

from desk import i18n
from desk.center.runtime import Runtime
from screens.app import DeskApp
from screens.help import help_lines
from tests.conftest import signed_in
from tests.reports.conftest import at, dashboard
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
            assert shown(screen, "#admin-period") == period
        await pilot.press("left_square_bracket", "T")
        await settle(app, pilot)
        assert shown(screen, "#admin-period") == "Tháng: 01/11/2026 – 30/11/2026"
        keys = [
            keys for keys, description, _ in help_lines(app.screen, []) if description == "Ngày"
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
