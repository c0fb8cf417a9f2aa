"""The director's dashboard, by keyboard, on the hand-built November."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date, datetime
from typing import Any

import pytest
from rich.console import Console
from textual.widgets import DataTable, Static

from desk.center.runtime import Runtime
from desk.reports import Period, build_report
from screens.admin import AdminScreen
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.reports.conftest import AS_OF, NOVEMBER, at, dashboard
from tests.screens.test_counter import settle


async def open_view(app: DeskApp, pilot: Any, key: str) -> AdminScreen:
    """The dashboard up, then its view ``key`` (1–6)."""
    await settle(app, pilot)
    await pilot.press(key)
    await settle(app, pilot)
    screen = app.screen
    assert isinstance(screen, AdminScreen)
    return screen


def grid_lines(screen: AdminScreen, selector: str) -> list[list[str]]:
    """A dashboard table with a cursor, as its header row then its rows of plain text."""
    grid = screen.query_one(selector, DataTable)
    header = [str(column.label) for column in grid.ordered_columns]
    return [header, *([str(cell) for cell in grid.get_row_at(i)] for i in range(grid.row_count))]


def shown(screen: AdminScreen, selector: str, width: int = 118) -> str:
    """What a dashboard widget shows, as plain text."""
    content = screen.query_one(selector, Static).content
    if isinstance(content, str):
        return content
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(content)
    return console.export_text()


async def test_the_dashboard_by_keyboard(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        assert shown(screen, "#admin-period") == "Tháng: 01/11/2026 – 30/11/2026" + AS_OF
        assert (
            shown(screen, "#admin-status")
            == "Đúng hạn: theo thời hạn giải quyết (TT 01/2018 Điều 13)"
        )
        bars = shown(screen, "#overview-bars")
        assert "Tiếp nhận mới" in bars and "Giải quyết quá hạn" in bars and "█" in bars
        assert "Chờ bổ sung / trả lại bổ sung" in bars
        assert bars.splitlines()[0].split() == ["Chỉ", "tiêu", "Số", "lượng"]  # headers
        # requests are counted, not dossiers: the row says so (it read as dossiers)
        assert "Lượt yêu cầu bổ sung" in bars
        assert "Tỷ lệ nộp trực tuyến" in bars and "14,3 %" in bars
        assert "Tiến độ giải quyết (20)" in shown(screen, "#overview-766")
        await pilot.press("2")
        await pilot.pause()
        chart = shown(screen, "#queue-chart").splitlines()
        labels, counts = chart[-2], chart[-1]
        # the 08h column, its label and its count share the same five cells
        column = labels.index("08h")
        assert counts[column - 1 : column + 4].strip() == "4"
        assert chart[0][column - 1 : column + 4].strip() == "███"
        assert counts.split() == ["0", "4", *["0"] * 8]  # the opening hours, 07h–16h
        heat = shown(screen, "#queue-heatmap").splitlines()
        assert heat[0].split()[:3] == ["Thứ", "07h", "08h"]
        assert heat[1].startswith("T2") and "██" in heat[1]
        legend = " ".join(heat[8:])  # under the weekdays' rows
        assert "██ xanh lá" in legend and "██ đỏ" in legend
        services = shown(screen, "#queue-services")
        assert "Dịch vụ" in services and "Lượt lấy số" in services
        assert "Hộ tịch" in services
        await pilot.press("3")
        await pilot.pause()
        table = screen.query_one("#fields-table", DataTable)
        assert app.focused is table
        assert str(table.get_row_at(0)[0]) == "Hộ tịch"
        await pilot.press("enter")  # the field's procedures
        await pilot.pause()
        assert "Hộ tịch › thủ tục" in shown(screen, "#fields-path")
        assert str(table.get_row_at(0)[0]) == "1.004873"
        await pilot.press("enter")  # the procedure's dossiers
        await settle(app, pilot)
        assert table.row_count == 7  # November's 6 and October's one still open on 1/11
        # each says the column of its procedure's row it is counted in
        counted = [str(table.get_row_at(i)[1]) for i in range(table.row_count)]
        assert sorted(counted) == sorted(["Đúng hạn"] * 4 + ["GQ QH", "Đang QH", "Từ chối"])
        assert str(table.get_row_at(0)[0]).startswith("000.31.27.H31-2611")
        await pilot.press("backspace")
        await pilot.pause()
        assert str(table.get_row_at(0)[0]) == "1.004873"
        await pilot.press("4")
        await pilot.pause()
        stuck = grid_lines(screen, "#stuck-table")
        assert stuck[1][0] == "1.004873" and stuck[0][0] == "Mã thủ tục"  # under its header
        stages = shown(screen, "#stuck-stages")
        assert "Chờ công dân bổ sung" in stages and "Khâu" in stages
        await pilot.press("5")
        await pilot.pause()
        satisfaction = shown(screen, "#satisfaction-table")
        assert "Đánh giá: 2" in satisfaction and "Quầy" in satisfaction
        assert "Cán bộ" in satisfaction
        await pilot.press("left_square_bracket")  # October
        await settle(app, pilot)
        assert shown(screen, "#admin-period") == "Tháng: 01/10/2026 – 31/10/2026"
        await pilot.press("q")
        await settle(app, pilot)
        assert shown(screen, "#admin-period") == "Quý: 01/10/2026 – 31/12/2026" + AS_OF


async def test_d_goes_to_today_and_an_empty_period_shows_a_dash(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        for key in ("left_square_bracket", "left_square_bracket", "d"):  # back two months, D
            await pilot.press(key)
            await settle(app, pilot)
        assert shown(screen, "#admin-period") == "Ngày: 20/11/2026" + AS_OF
        bars = shown(screen, "#overview-bars")
        assert "0,0 %" not in bars
        share_line = next(line for line in bars.splitlines() if "Tỷ lệ nộp trực tuyến" in line)
        assert share_line.split()[-1] == "—"
        assert "0,0 %" not in shown(screen, "#queue-services")


async def test_a_newer_request_wins_over_an_older_one_still_running(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        screen.action_period("year")  # asks for the year…
        assert shown(screen, "#admin-status") == "Đang tải số liệu…"  # …says so at once
        assert screen.has_class("-loading")
        year_request = screen.request
        screen.action_period("month")  # …and changes its mind before the year is ready
        await settle(app, pilot)
        assert screen.report is not None and screen.report.period == NOVEMBER
        assert shown(screen, "#admin-period") == "Tháng: 01/11/2026 – 30/11/2026" + AS_OF
        assert not screen.has_class("-loading")
        # however late the year's report arrives, it is dropped
        year = build_report(
            month.engine,
            Period.days(date(2026, 1, 1), date(2026, 12, 31)),
            center_id=month.ids.center,
        )
        screen._show(year_request, year, datetime(2026, 11, 20, 10, 0))
        assert screen.report.period == NOVEMBER
        assert shown(screen, "#admin-period") == "Tháng: 01/11/2026 – 30/11/2026" + AS_OF


VIEW_KEYS = {"overview": "1", "queue": "2", "fields": "3", "stuck": "4", "satisfaction": "5"}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("view", list(VIEW_KEYS))
def test_dashboard_snapshots(
    month: Runtime, snap_compare: Callable[..., bool], view: str, size: tuple[int, int]
) -> None:
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press(VIEW_KEYS[view])
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)


async def test_a_report_that_fails_says_so(month: Runtime) -> None:
    from sqlalchemy import text

    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        with month.engine.begin() as conn:  # the database breaks under the dashboard
            conn.execute(text("ALTER TABLE rating RENAME TO rating_gone"))
        await pilot.press("w")
        await settle(app, pilot)
        status = shown(screen, "#admin-status")
        assert status.startswith("Chưa tính được số liệu (OperationalError)")
        assert not screen.has_class("-loading")
        with month.engine.begin() as conn:
            conn.execute(text("ALTER TABLE rating_gone RENAME TO rating"))
        await pilot.press("m")  # the next key tries again
        await settle(app, pilot)
        assert (
            shown(screen, "#admin-status")
            == "Đúng hạn: theo thời hạn giải quyết (TT 01/2018 Điều 13)"
        )


def test_the_heat_map_uses_the_colours_its_legend_names() -> None:
    from desk.i18n import t
    from screens.admin import HEAT, heat_bounds, heat_colour

    # a longest wait of 30 minutes: under 10 green, 10–20 yellow, from 20 red
    assert [
        heat_colour(v, heat_bounds(30.0)) for v in (0.0, 9.9, 10.0, 19.9, 20.0, 30.0, None)
    ] == [
        "green",
        "green",
        "yellow",
        "yellow",
        "red",
        "red",
        None,
    ]
    assert [(colour, t(word)) for colour, word in HEAT] == [
        ("green", "xanh lá"),
        ("yellow", "vàng"),
        ("red", "đỏ"),
    ]


async def test_supplement_requests_per_dossier_do_not_read_as_an_error(center: Runtime) -> None:
    """One dossier asked twice: the stuck view shows 2.00 requests per dossier under a
    header that says so, not "200.0 %" (which read like a broken figure); the report
    command's table says the same."""
    from desk.center.accounts import Actor
    from desk.dossiers.lifecycle import Lifecycle
    from desk.reports.tables import sections, show
    from tests.reports.conftest import dossier

    life = Lifecycle(center.engine, center.config)
    at(2026, 11, 2, 9, 0)
    code = dossier()
    at(2026, 11, 3, 9, 0)
    life.request_supplement(code, ["Bản sao giấy khai sinh"], "Thiếu")
    at(2026, 11, 4, 9, 0)
    life.resume(code)
    director = Actor(id=1, username="giamdoc", full_name="Giám đốc", role="supervisor")
    life.request_supplement(
        code, ["Giấy xác nhận cư trú"], "Thiếu khi thẩm định", None, "", director
    )
    at(2026, 11, 20, 10, 0)
    app = DeskApp(center, role="admin", officer=signed_in(center))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot, "4")
        stuck = grid_lines(screen, "#stuck-table")
        assert "Bổ sung/hồ sơ" in stuck[0]
        [line] = [row for row in stuck if row[0] == "1.004873"]
        assert line[1:4] == ["1", "2", "2,00"]  # received, requests, per dossier
        assert "200,0 %" not in line
    part = next(
        s
        for s in sections(build_report(center.engine, NOVEMBER, center_id=center.ids.center))
        if s.key == "stuck_procedures"
    )
    labels = [c.label for c in part.columns]
    rate = part.rows[0][labels.index("Lần bổ sung/hồ sơ")]
    assert show(rate.value, rate.kind) == "2,00"
