"""The dashboard's finish: the counter's header, titles that line up, Enter in F1,
lines that break between phrases (never inside one, never between a number and its
unit), heat-map bands that one outlier does not stretch, and no unused report keys."""

from __future__ import annotations

import io
import re
import tomllib
from collections import Counter
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from rich.console import Console, Group
from rich.table import Table
from textual.widgets import Static

from desk import i18n
from desk.center.runtime import Runtime
from desk.i18n import t
from desk.queue.engine import Queue
from screens.admin import AdminScreen, HeatScale, heat_bounds, heat_scale
from screens.app import DeskApp
from screens.header import DeskHeader
from screens.help import HelpKeys
from tests.conftest import signed_in
from tests.reports.conftest import at, dashboard
from tests.reports.test_dashboard import open_view
from tests.reports.test_dashboard_fit import lines_of, served_and_rated
from tests.screens.test_counter import settle
from tests.screens.test_header import english, header

ROOT = Path(__file__).resolve().parents[2]
SIZES = [(80, 24), (120, 40)]
SIZE_IDS = ["80x24", "120x40"]


async def test_the_dashboard_has_the_counters_header_and_it_fits_80_columns(
    runtime: Runtime,
) -> None:
    rt = english(runtime)
    i18n.set_language("en")
    app = DeskApp(rt, role="admin", officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, AdminScreen)
        assert len(app.screen.query(DeskHeader)) == 1
        assert header(app) == "Le Chan Ward Public Administrative Service Center"
        await pilot.resize_terminal(120, 40)
        await settle(app, pilot)
        assert header(app) == "One-stop desk — Le Chan Ward Public Administrative Service Center"


FIRST_LINES = {
    "1": "#overview-bars",
    "2": "#queue-caption",
    "3": "#fields-path",
    "4": "#stuck .admin-title",
    "5": "#satisfaction-table",
    "6": "#appointments-table",
}


async def test_every_views_title_starts_one_cell_in_like_the_lines_above(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (80, 24)) as (app, pilot, screen):
        above = screen.query_one("#admin-views", Static).content_region.x
        assert above == 1
        for key, selector in FIRST_LINES.items():
            await pilot.press(key)
            await settle(app, pilot)
            first = screen.query_one(selector, Static)
            assert first.content_region.x == above, (key, selector)
        await pilot.press("3")
        assert str(screen.query_one("#fields-path", Static).render()) == (
            "Lĩnh vực (Enter: xem thủ tục)"
        )


def help_line(app: DeskApp, key: str) -> tuple[str, str, str]:
    [line] = [line for line in app.screen.query_one(HelpKeys).lines if line[0] == key]
    return line


@pytest.mark.parametrize(
    ("language", "what", "why"),
    [
        (
            "vi",
            "Mở dòng đang chọn (xem 3: lĩnh vực → thủ tục → hồ sơ)",
            "Enter mở một dòng trong xem 3 Lĩnh vực (bấm 3).",
        ),
        (
            "en",
            "Open the highlighted row (view 3: field → procedures → dossiers)",
            "Enter opens a row in view 3 Fields (press 3).",
        ),
    ],
)
async def test_f1_says_what_enter_does_and_enter_elsewhere_says_why_not(
    month: Runtime, language: str, what: str, why: str
) -> None:
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (120, 40)) as (app, pilot, screen):
        await pilot.press("f1")
        await settle(app, pilot)
        assert help_line(app, "Enter") == ("Enter", what, why)  # view 1: not here
        await pilot.press("escape")
        await pilot.press("enter")  # view 1: the key says why on the status line
        await settle(app, pilot)
        assert str(screen.query_one("#admin-status", Static).render()) == why
        assert screen.drill == []
        await pilot.press("3")
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert help_line(app, "Enter") == ("Enter", what, "")  # view 3: it applies
        await pilot.press("escape")
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.drill == ["Hộ tịch"]  # the field's procedures


def phrases_whole(lines: list[str], phrases: list[str]) -> list[str]:
    """The phrases that no line shows whole (each should be on one line)."""
    joined = [" ".join(line.split()) for line in lines]
    return [p for p in phrases if not any(p in line for line in joined)]


QUEUE_PHRASES = {
    "vi": [
        "Màu: ██ xanh lá: ít chờ (dưới 8 phút)",
        "██ vàng: vừa (8–15 phút)",
        "██ đỏ: chờ lâu (từ 15 phút; lâu nhất 21,2 phút)",
        "·· không có số",
        "Lượt lấy số: 4 (mọi lượt, cả lượt chưa gọi; đã gọi 4)",
        "đã phục vụ: 3",
        "vắng mặt: 25,0 %",
        "nửa số người chờ dưới 22,5 phút, 9/10 dưới 30,0 phút",
    ],
    "en": [
        "Colours: ██ green: short wait (under 8 min)",
        "██ yellow: medium (8–15 min)",
        "██ red: long wait (from 15 min; longest 21.2 min)",
        "·· no tickets",
        "Tickets: 4 (every ticket, including those not called yet; called 4)",
        "served: 3",
        "no-shows: 25.0 %",
        "half waited under 22.5 min, 9 in 10 under 30.0 min",
    ],
}


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("language", ["vi", "en"])
async def test_view_2s_legend_and_summary_break_between_phrases(
    month: Runtime, language: str, size: tuple[int, int]
) -> None:
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=size) as pilot:
        screen = await open_view(app, pilot, "2")
        lines = lines_of(screen, "#queue-heatmap") + lines_of(screen, "#queue-services")
        assert phrases_whole(lines, QUEUE_PHRASES[language]) == [], lines


async def test_view_5_keeps_a_share_with_its_percent_sign_in_english(center: Runtime) -> None:
    served_and_rated(center, 1, 3)  # one rating, very satisfied: 100.0 %
    i18n.set_language("en")
    at(2026, 11, 20, 10, 0)
    app = DeskApp(center, role="admin", officer=signed_in(center))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_view(app, pilot, "5")
        lines = lines_of(screen, "#satisfaction-table")
        summary = [
            "Ratings: 1 (very satisfied 1 · satisfied 0 · unsatisfied 0)",
            "satisfied: 100.0 %",
        ]
        assert phrases_whole(lines, summary) == [], lines
        [counter] = [line for line in lines if line.startswith("Counter 1 ")]
        assert "100.0 %" in counter
        assert not [line for line in lines if line.strip() in ("%", "100.0")], lines


def test_the_bands_set_one_outlier_apart_and_keep_the_rest() -> None:
    assert heat_scale([]) == HeatScale(5, 10, None, None)
    # no outlier: thirds of the longest, as before
    for waits in ([21.2], [10.0, 20.0, 30.0], [float(w) for w in range(1, 31)]):
        scale = heat_scale(waits)
        assert (scale.low, scale.high, scale.cap) == (*heat_bounds(max(waits)), None)
    # fewer than ten cells: nothing to set the longest apart from
    assert heat_scale([4.0, 6.0, 120.0]).cap is None
    # ten usual cells and one of two hours: thirds of the 90th percentile (12)
    scale = heat_scale([4, 6, 8, 10, 12, 5, 7, 9, 11, 6, 120.0])
    assert (scale.low, scale.high, scale.cap, scale.top) == (5, 10, 15, 120.0)


WAITS = {  # (day of November, hour): minutes waited by the one ticket issued then
    (2, 8): 4,
    (2, 9): 6,
    (3, 8): 8,
    (3, 9): 10,
    (4, 8): 12,
    (4, 9): 5,
    (5, 8): 7,
    (5, 9): 9,
    (6, 8): 11,
    (6, 9): 6,
    (11, 14): 120,  # Wednesday 11/11: the outlier day
}


@pytest.fixture
def outlier_month(center: Runtime) -> Runtime:
    """A November whose heat map has ten usual cells (4–12 minutes) and one of two
    hours: Wednesday 11/11 at 14h."""
    q = Queue(center)
    for (day, hour), wait in WAITS.items():
        issued = datetime(2026, 11, day, hour, 0)
        at(*issued.timetuple()[:5])
        q.issue("A")
        at(*(issued + timedelta(minutes=wait)).timetuple()[:5])
        q.call_next(1)
        q.start(1)
        at(*(issued + timedelta(minutes=wait + 5)).timetuple()[:5])
        q.finish(1)
    return center


def heat_marks(screen: AdminScreen) -> dict[str, list[tuple[str, str]]]:
    """The heat map's rows by weekday: each cell's mark and colour."""
    content = screen.query_one("#queue-heatmap", Static).content
    assert isinstance(content, Group)
    grid = content.renderables[0]
    assert isinstance(grid, Table)
    console = Console(width=118, file=io.StringIO(), color_system="truecolor")
    rows: dict[str, list[tuple[str, str]]] = {}
    for line in console.render_lines(grid, pad=False)[1:]:
        texts = [(s.text, s.style.color.name if s.style and s.style.color else "") for s in line]
        day = texts[0][0].strip()
        rows[day] = [(m.strip(), c) for m, c in texts if m.strip() in ("██", "▲▲", "··")]
    return rows


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_one_outlier_day_does_not_paint_the_month_green(
    outlier_month: Runtime, language: str
) -> None:
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    app = DeskApp(outlier_month, role="admin", officer=signed_in(outlier_month))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot, "2")
        rows = heat_marks(screen)
        colours = Counter(c for row in rows.values() for m, c in row if m == "██")
        assert colours == {"green": 1, "yellow": 6, "red": 3}, rows
        wednesday = rows[t("admin.weekday_3")]
        hours = ["07h", "08h", "09h", "10h", "11h", "12h", "13h", "14h", "15h", "16h"]
        assert wednesday[hours.index("14h")] == ("▲▲", "red")
        assert [m for row in rows.values() for m, _c in row].count("▲▲") == 1
        legend = " ".join(" ".join(lines_of(screen, "#queue-heatmap")).split())
        if language == "vi":
            assert "██ đỏ: chờ lâu (10–15 phút)" in legend
            assert "▲▲ ≥ 15 phút: vượt thang màu (lâu nhất 120,0 phút)" in legend
        else:
            assert "██ red: long wait (10–15 min)" in legend
            assert "▲▲ ≥ 15 min: off the scale (longest 120.0 min)" in legend


DYNAMIC = re.compile(r"""\bt\(\s*f["']([a-z0-9_.]+)\{""")


def test_every_report_key_is_used_by_code() -> None:
    """A key of reports.toml is used when code names it whole, or builds it from a
    prefix (``t(f"reports.col.{key}")``) and names the rest ("received")."""
    source = "\n".join(
        path.read_text(encoding="utf-8")
        for folder in ("desk", "screens")
        for path in (ROOT / folder).rglob("*.py")
    )
    prefixes = DYNAMIC.findall(source)

    def used(key: str) -> bool:
        if f'"{key}"' in source:
            return True
        rests = [key.removeprefix(p) for p in prefixes if key.startswith(p)]
        return any(rest.isdigit() or f'"{rest}"' in source for rest in rests)

    for language in ("vi", "en"):
        with (ROOT / "desk" / "locale" / language / "reports.toml").open("rb") as fh:
            tables = tomllib.load(fh)

        def keys(prefix: str, table: dict[str, object]) -> list[str]:
            out: list[str] = []
            for name, value in table.items():
                path = f"{prefix}.{name}" if prefix else name
                out.extend(keys(path, value) if isinstance(value, dict) else [path])
            return out

        assert [key for key in keys("", tables) if not used(key)] == [], language


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize("case", ["queue-en", "satisfaction-en"])
def test_finish_snapshots(
    month: Runtime, snap_compare: Callable[..., bool], case: str, size: tuple[int, int]
) -> None:
    snapshot(month, snap_compare, "2" if case == "queue-en" else "5", "en", size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_outlier_snapshots(
    outlier_month: Runtime, snap_compare: Callable[..., bool], size: tuple[int, int]
) -> None:
    snapshot(outlier_month, snap_compare, "2", "vi", size)


def snapshot(
    runtime: Runtime,
    snap_compare: Callable[..., bool],
    key: str,
    language: str,
    size: tuple[int, int],
) -> None:
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    app = DeskApp(runtime, role="admin", officer=signed_in(runtime))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press(key)
        await settle(app, pilot)
        if key == "2" and size[1] < 40:
            await pilot.press("end")  # the legend and the summary, under the fold at 80×24
            await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)
