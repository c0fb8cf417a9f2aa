"""What a director found on the dashboard: hours with four decimals in view 5, the
period keys W/M/Q/Y keeping the period browsed to, procedure names cut to "Thủ t…"
in view 3 at 80 columns, and view 4's table hiding rows without a word."""

from __future__ import annotations

import dataclasses
from datetime import time

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from desk.reports.tables import show
from tests.reports.conftest import at, dashboard
from tests.screens.test_counter import settle
from tests.screens.test_header import english
from tests.screens.test_walk import screen_lines


def long_days(runtime: Runtime) -> Runtime:
    """``runtime`` open 07:00–11:30 and 13:30–23:59: 14.9833 hours a day."""
    hours = runtime.config.hours.model_copy(
        update={"morning": (time(7, 0), time(11, 30)), "afternoon": (time(13, 30), time(23, 59))}
    )
    return dataclasses.replace(runtime, config=runtime.config.model_copy(update={"hours": hours}))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_hours_show_one_decimal_whole_or_not(language: str) -> None:
    i18n.set_language(language)
    mark = "," if language == "vi" else "."
    assert [show(v, "hours") for v in (14.983333, 8, 7.25)] == [
        f"15{mark}0",
        f"8{mark}0",
        f"7{mark}2",
    ]


@pytest.mark.parametrize(
    ("language", "note"),
    [("vi", "(15,0 giờ/ngày)"), ("en", "(15.0 h a day)")],
)
async def test_view_5_says_the_opening_hours_with_one_decimal(
    month: Runtime, language: str, note: str
) -> None:
    rt = long_days(english(month) if language == "en" else month)
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    async with dashboard(rt, (120, 40)) as (app, pilot, _screen):
        await pilot.press("5")
        await settle(app, pilot)
        text = " ".join(" ".join(screen_lines(app)).split())
        assert note in text
        assert "14,98" not in text and "14.98" not in text


@pytest.mark.parametrize(
    ("browse", "key", "current"),
    [
        ("m", "M", "Tháng: 01/11/2026 – 30/11/2026"),
        ("w", "W", "Tuần: 16/11/2026 – 22/11/2026"),
        ("q", "Q", "Quý: 01/10/2026 – 31/12/2026"),
        ("y", "Y", "Năm: 01/01/2026 – 31/12/2026"),
        ("m", "W", "Tuần: 16/11/2026 – 22/11/2026"),  # from another kind too
        ("y", "M", "Tháng: 01/11/2026 – 30/11/2026"),
    ],
)
async def test_w_m_q_y_show_the_period_holding_today_as_d_does(
    month: Runtime, browse: str, key: str, current: str
) -> None:
    """[ back, then M showed the month browsed to, where D always shows today."""
    from tests.reports.conftest import AS_OF
    from tests.reports.test_dashboard import shown

    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        await pilot.press(browse, "left_square_bracket", "left_square_bracket")
        await settle(app, pilot)
        assert not shown(screen, "#admin-period").endswith(AS_OF)  # a past period
        await pilot.press(key)
        await settle(app, pilot)
        assert shown(screen, "#admin-period") == current + AS_OF


async def test_f1_says_the_period_keys_show_the_period_holding_today(month: Runtime) -> None:
    from textual.widgets import Static

    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, _screen):
        await pilot.press("left_square_bracket", "f1")
        await settle(app, pilot)
        keys = " ".join(str(app.screen.query_one("#help-keys", Static).render()).split())
        for line in (
            "Ngày — Số liệu hôm nay, dù đang xem kỳ nào.",
            "Tháng — Số liệu tháng này, dù đang xem kỳ nào.",
            "Năm — Số liệu năm nay, dù đang xem kỳ nào.",
        ):
            assert line in keys


async def test_view_3_procedure_names_are_readable_at_80_columns(month: Runtime) -> None:
    """At 80×24 the procedure level's name column was left 7 cells: its header read
    "Tên th" and every name "Thủ t…". The figures' short headers stack on two lines
    there, and the name takes the width they leave."""
    from textual.widgets import DataTable

    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (80, 24)) as (app, pilot, screen):
        await pilot.press("3", "enter")  # Hộ tịch's procedures
        await settle(app, pilot)
        lines = screen_lines(app)
        assert any(line.rstrip().endswith("Tên thủ tục") for line in lines), lines
        # cut names leave out their first words "Thủ tục", which every one has
        assert any("ký lại khai sinh" in line for line in lines), lines
        [row] = [line for line in lines if line.lstrip().startswith("1.004873")]
        assert "Cấp Giấy xác nhận tình trạng" in row and len(row.rstrip()) <= 80
        assert "Thủ tục cấp" not in row
        assert any(line.lstrip().startswith("thủ tục") and "chối" in line for line in lines)
        grid = screen.query_one("#fields-table", DataTable)
        assert grid.header_height == 2
        await pilot.press("backspace")  # the fields fit with headers on one line
        await settle(app, pilot)
        assert grid.header_height == 1
        await pilot.resize_terminal(120, 40)
        await pilot.press("enter")  # wide enough: one line of headers, names whole
        await settle(app, pilot)
        assert grid.header_height == 1
        [row] = [line for line in screen_lines(app) if line.lstrip().startswith("1.004873")]
        assert row.rstrip().endswith("Thủ tục cấp Giấy xác nhận tình trạng hôn nhân")


@pytest.fixture
def many_stuck(month: Runtime) -> Runtime:
    """The November, and one refused dossier of each of 15 more procedures."""
    from desk.center.runtime import DEMO_CATALOGUE
    from desk.dossiers.catalogue import read_catalogue
    from desk.dossiers.lifecycle import Lifecycle
    from tests.reports.conftest import dossier

    life = Lifecycle(month.engine, month.config)
    known = [p for p in read_catalogue(DEMO_CATALOGUE) if p.local_days or p.legal_days]
    codes = [p.code for p in known if p.code != "1.004873"][:15]
    for code in codes:
        at(2026, 11, 4, 9, 0)
        saved = dossier(procedure=code)
        at(2026, 11, 4, 10, 0)
        life.refuse(saved, "Không thuộc thẩm quyền")
    return month


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_view_4_fills_its_height_and_says_how_many_rows_are_hidden(
    many_stuck: Runtime, size: tuple[int, int]
) -> None:
    """At 80×24 view 4's table showed one row with no hint of more; at 120×40 twelve
    rows (a cap) over blank lines. Every procedure is in the table, which takes the
    height it has and, when some rows are out of view, says how many and that it
    scrolls."""
    from textual.widgets import DataTable

    at(2026, 11, 20, 10, 0)
    async with dashboard(many_stuck, size) as (app, pilot, screen):
        await pilot.press("4")
        await settle(app, pilot)
        grid = screen.query_one("#stuck-table", DataTable)
        assert screen.report is not None
        total = len(screen.report.stuck_procedures)
        assert total > 12 and grid.row_count == total  # not cut at 12
        seen = grid.scrollable_content_region.height - grid.header_height
        assert seen >= (2 if size == (80, 24) else total)
        # however long the highlighted name under it, the table keeps rows in view
        # (a name on three lines left it one row, then none; walk, 2 Dec)
        for _ in range(total):
            await pilot.press("down")
            await settle(app, pilot)
            shown = grid.scrollable_content_region.height - grid.header_height
            assert shown >= 2, (grid.cursor_row, shown)
        await pilot.press("home")
        await settle(app, pilot)
        lines = screen_lines(app)
        hidden = grid.row_count - seen
        if hidden > 0:
            hint = f"↕ {total} thủ tục, {hidden} thủ tục ngoài khung: ↑ ↓ PgUp PgDn để cuộn bảng"
            assert any(line.strip() == hint for line in lines), lines
            await pilot.press("pagedown")
            await settle(app, pilot)
            assert grid.scroll_y > 0
        else:
            assert not any("ngoài khung" in line for line in lines)
            rows = [line for line in lines if line.lstrip()[:1].isdigit() and "%" in line]
            assert len(rows) == total  # every row on screen, none left blank for a cap
