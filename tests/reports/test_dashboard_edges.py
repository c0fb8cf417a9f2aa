"""The dashboard's rough edges a new director found: the heat map's bands and its
day, totals that say what they count, no stepping into the future, the focus of
each view, the columns and ranking of the stuck view, and the drill-down's cursor."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from desk import i18n
from desk.center.runtime import Runtime
from desk.dossiers.lifecycle import Lifecycle
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.keybar import KeyBar
from tests.conftest import signed_in
from tests.reports.conftest import AS_OF, at, dashboard, dossier
from tests.reports.test_dashboard import grid_lines, open_view, shown
from tests.reports.test_dashboard_fit import lines_of, said
from tests.screens.test_counter import dimmed, settle, until

LONG_NAME = "Chứng thực việc sửa đổi , bổ sung, hủy bỏ hợp đồng, giao dịch"


@pytest.fixture
def refused_once(month: Runtime) -> Runtime:
    """The November, and one dossier of a second field's procedure, refused: one
    dossier, a 100 % refusal rate."""
    at(2026, 11, 4, 9, 0)
    code = dossier(procedure="2.000913")
    at(2026, 11, 4, 10, 0)
    Lifecycle(month.engine, month.config).refuse(code, "Không thuộc thẩm quyền")
    return month


def test_the_heat_bands_are_whole_minutes_never_under_five() -> None:
    from screens.admin import heat_bounds, heat_colour

    assert heat_bounds(None) == (5, 10)  # no wait at all
    assert heat_bounds(1.2) == (5, 10)  # short waits are not "long"
    assert heat_bounds(30.0) == (10, 20)  # thirds of the longest
    assert heat_bounds(31.0) == (11, 21)  # rounded up to whole minutes
    assert [heat_colour(v, (5, 10)) for v in (0.0, 2.0, 4.9, 5.0, 9.9, 10.0)] == [
        "green",
        "green",
        "green",
        "yellow",
        "yellow",
        "red",
    ]


async def test_a_day_shows_its_hours_and_no_band_reads_under_0_minutes(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)  # a Friday without tickets
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot, "2")
        await pilot.press("d")
        await settle(app, pilot)
        heat = shown(screen, "#queue-heatmap")
        assert "dưới 0" not in heat and "0–0" not in heat
        assert "ít chờ (dưới 5 phút)" in heat and "vừa (5–10 phút)" in heat
        assert "chờ lâu (từ 10 phút)" in heat
        rows = [line for line in heat.splitlines() if line[:2] in ("T2", "T6", "CN")]
        assert [row.split()[0] for row in rows] == ["T6"]  # that day, not a week
        caption = shown(screen, "#heat-caption")
        assert caption == "Thời gian chờ trung bình theo giờ, T6 20/11/2026"
        await pilot.press("m")  # the month: every weekday, bands from its waits
        await settle(app, pilot)
        heat = shown(screen, "#queue-heatmap")
        rows = [line for line in heat.splitlines() if line[:2] in ("T2", "T6", "CN")]
        assert [row.split()[0] for row in rows] == ["T2", "T6", "CN"]
        # the 2/11 waits: 10, 20, 25, 30 minutes; 08h's mean 21,2 is the longest
        assert "ít chờ (dưới 8 phút)" in heat and "lâu nhất 21,2 phút" in heat
        assert shown(screen, "#heat-caption") == "Thời gian chờ trung bình theo giờ và thứ"


async def test_views_2_and_6_say_what_their_ticket_totals_count(month: Runtime) -> None:
    at(2026, 11, 3, 9, 0)
    Queue(month).issue("A")  # still waiting: no wait yet
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot, "2")
        services = shown(screen, "#queue-services")
        assert "Lượt lấy số: 5 (mọi lượt, cả lượt chưa gọi; đã gọi 4)" in services
        await pilot.press("6")
        await settle(app, pilot)
        view = shown(screen, "#appointments-table")
        assert "Lượt đã gọi" in view
        walk_in = next(line for line in view.splitlines() if line.startswith("Không hẹn"))
        assert walk_in.split()[2] == "4"  # the called tickets, as the header says
        assert "4 trong 5 lượt lấy số của kỳ (xem 2); 1 lượt chưa gọi" in " ".join(view.split())


async def test_next_stops_at_the_current_period_and_t_comes_back(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40), notifications=True) as (app, pilot, screen):
        bar = screen.query_one(KeyBar)
        november = "Tháng: 01/11/2026 – 30/11/2026" + AS_OF  # the current period: as of when
        assert shown(screen, "#admin-period") == november
        assert dimmed(bar, "] Kỳ sau") and dimmed(bar, "T Kỳ hiện tại")
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert shown(screen, "#admin-period") == november  # not into December
        why = "Kỳ sau chưa tới: 01/11/2026 – 30/11/2026 là kỳ hiện tại."
        assert shown(screen, "#admin-status").startswith(why)
        await until(app, pilot, lambda: said(app, why))
        for _ in range(3):
            await pilot.press("left_square_bracket")
            await settle(app, pilot)
        assert shown(screen, "#admin-period") == "Tháng: 01/08/2026 – 31/08/2026"
        assert not dimmed(bar, "] Kỳ sau") and not dimmed(bar, "T Kỳ hiện tại")
        await pilot.press("right_square_bracket")
        await settle(app, pilot)
        assert shown(screen, "#admin-period") == "Tháng: 01/09/2026 – 30/09/2026"
        await pilot.press("t")  # back to the current period at once
        await settle(app, pilot)
        assert shown(screen, "#admin-period") == november
        assert dimmed(bar, "] Kỳ sau")
        await pilot.press("y", "left_square_bracket", "t")  # keeps the kind: the year
        await settle(app, pilot)
        assert shown(screen, "#admin-period") == "Năm: 01/01/2026 – 31/12/2026" + AS_OF
        await pilot.press("f1")
        await settle(app, pilot)
        keys = str(app.screen.query_one("#help-keys", Static).render())
        assert "Kỳ hiện tại" in keys and "Đang xem kỳ hiện tại." in keys


@pytest.mark.parametrize(
    ("language", "note"),
    [
        ("vi", "Hiệu suất quầy = tổng thời gian phục vụ ÷ giờ mở cửa (8,0 giờ/ngày)"),
        ("en", "Counter utilisation = total service time ÷ opening hours (8.0 h a day)"),
    ],
)
async def test_view_5_scrolls_at_once_and_says_how_utilisation_is_counted(
    month: Runtime, language: str, note: str
) -> None:
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(80, 16)) as pilot:  # more lines than room
        screen = await open_view(app, pilot, "3")  # the fields' table has the focus
        await pilot.press("5")
        await settle(app, pilot)
        scroll = screen.query_one("#satisfaction", VerticalScroll)
        assert app.focused is scroll  # no Tab needed
        assert scroll.max_scroll_y > 0
        await pilot.press("pagedown")
        await settle(app, pilot)
        assert scroll.scroll_y > 0
        assert note in " ".join(" ".join(lines_of(screen, "#satisfaction-table")).split())
        await pilot.press("1")
        await settle(app, pilot)
        assert app.focused is screen.query_one("#overview", VerticalScroll)


async def test_the_procedure_level_has_a_refused_column(refused_once: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    app = DeskApp(refused_once, role="admin", officer=signed_in(refused_once))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot, "3")
        fields = grid_lines(screen, "#fields-table")
        assert fields[0][-1] == "Từ chối"
        await pilot.press("enter")  # Hộ tịch's procedures
        await settle(app, pilot)
        procedures = grid_lines(screen, "#fields-table")
        assert procedures[0][-2:] == ["Từ chối", "Tên thủ tục"]
        row = next(r for r in procedures if r[0] == "1.004873")
        assert row[-2] == "1"  # the dossier refused on 2/11


async def test_view_4_ranks_small_samples_last_and_keeps_names_to_one_line(
    refused_once: Runtime,
) -> None:
    at(2026, 11, 20, 10, 0)
    app = DeskApp(refused_once, role="admin", officer=signed_in(refused_once))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_view(app, pilot, "4")
        grid = screen.query_one("#stuck-table", DataTable)
        assert app.focused is grid
        rows = grid_lines(screen, "#stuck-table")[1:]
        # one refused dossier out of one (100 %) no longer leads seven dossiers: the
        # procedures with fewer than 5 come after, ranked alike among themselves; and
        # 1.004884, nothing asked, refused or late, is not where anyone got stuck
        assert [r[0] for r in rows] == ["1.004873", "2.000913"]
        assert rows[1][4] == "100,0 %"
        legend = " ".join(lines_of(screen, "#stuck-legend"))
        assert "thủ tục có dưới 5 hồ sơ xếp sau" in " ".join(legend.split())
        [cut] = [r[-1] for r in rows if r[0] == "2.000913"]
        assert cut.endswith("…") and len(cut) < len(LONG_NAME)
        assert grid.row_count == len(rows)
        await pilot.press("down")
        await settle(app, pilot)
        assert shown(screen, "#stuck-detail") == f"› 2.000913: {LONG_NAME}"
        for _ in range(3):  # August: no dossier, nothing stuck, said in words
            await pilot.press("left_square_bracket")
            await settle(app, pilot)
        assert grid.row_count == 0
        assert " ".join(shown(screen, "#stuck-detail").split()) == (
            "Không có thủ tục nào có hồ sơ phải bổ sung, bị từ chối hay quá hạn trong kỳ này."
        )


async def test_backspace_comes_back_to_the_row_drilled_into(refused_once: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    app = DeskApp(refused_once, role="admin", officer=signed_in(refused_once))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot, "3")
        grid = screen.query_one("#fields-table", DataTable)
        fields = [r[0] for r in grid_lines(screen, "#fields-table")[1:]]
        assert fields == ["Hộ tịch", "Chứng thực"]
        await pilot.press("backspace")  # nothing above the fields: the status line says so
        await settle(app, pilot)
        assert shown(screen, "#admin-status") == "Đã ở trên cùng: danh sách lĩnh vực."
        await pilot.press("down", "enter")  # Chứng thực's procedures
        await settle(app, pilot)
        assert screen.drill == ["Chứng thực"]
        await pilot.press("backspace")
        await settle(app, pilot)
        assert grid.cursor_row == 1  # on Chứng thực again, not the top
        assert shown(screen, "#fields-detail").startswith("› Chứng thực")
        await pilot.press("up", "enter")  # Hộ tịch: 1.004873, 1.004884
        await settle(app, pilot)
        await pilot.press("down", "enter")  # 1.004884's dossiers
        await settle(app, pilot)
        assert screen.drill == ["Hộ tịch", "1.004884"]
        await pilot.press("backspace")
        await settle(app, pilot)
        assert str(grid.get_row_at(grid.cursor_row)[0]) == "1.004884"


EDGE_KEYS = {"stuck": ("4",), "day": ("2", "d"), "procedures": ("3", "enter")}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("case", list(EDGE_KEYS))
def test_edge_snapshots(
    refused_once: Runtime, snap_compare: Callable[..., bool], case: str, size: tuple[int, int]
) -> None:
    at(2026, 11, 20, 10, 0)
    app = DeskApp(refused_once, role="admin", officer=signed_in(refused_once))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        for key in EDGE_KEYS[case]:
            await pilot.press(key)
            await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)


def help_rows(app: DeskApp) -> list[str]:
    """The F1 help's key lines as they are drawn, at the width they are given."""
    from textual.geometry import Region

    keys = app.screen.query_one("#help-keys", Static)
    strips = keys.render_lines(Region(0, 0, keys.size.width, keys.size.height))
    return [strip.text.rstrip() for strip in strips]


@pytest.mark.parametrize(
    ("language", "key", "what", "why"),
    [
        # (the Vietnamese reasons fit their line since the dialog takes 96% of 80
        # columns: tests/screens/test_help_width.py)
        (
            "en",
            "]",
            "Next",
            "The next period has not begun: 01/11/2026 – 30/11/2026 is the current one.",
        ),
    ],
)
async def test_f1_wraps_under_the_text_not_at_the_left_edge(
    month: Runtime, language: str, key: str, what: str, why: str
) -> None:
    from screens.help import HelpScreen, help_lines
    from screens.textual_compat import own_bindings

    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        keys = {k for k, _d, _r in help_lines(app.screen, own_bindings(app))}
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        rows = help_rows(app)
        [line] = [i for i, row in enumerate(rows) if row.split()[:2] == [key, what]]
        column = rows[line].index(what)  # where every description starts
        # every line starts with its keys, or blank under them up to the text
        assert all(row[:column].strip() in keys | {""} for row in rows)
        assert all(row[column] != " " for row in rows if row)
        # the reason is wider than the dialog: its lines hang under the description
        after = rows[line + 1 :]
        reason = after[: next(i for i, row in enumerate(after) if row[:column].strip())]
        assert len(reason) >= 2
        assert " ".join(row[column:] for row in reason) == why


async def test_t_in_the_current_year_brings_the_day_back_for_the_next_kind(
    month: Runtime,
) -> None:
    """D, twelve days back, Y (this year: current), T, M opened the month of the day
    left twelve days back, not this month (walk, 2 Dec): T brings the day back to today
    even where the period shown already holds it."""
    at(2026, 11, 5, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        await pilot.press("d", *["left_square_bracket"] * 12, "y")
        await settle(app, pilot)
        assert shown(screen, "#admin-period").startswith("Năm: 01/01/2026 – 31/12/2026")
        await pilot.press("t", "m")
        await settle(app, pilot)
        assert shown(screen, "#admin-period").startswith("Tháng: 01/11/2026 – 30/11/2026")
