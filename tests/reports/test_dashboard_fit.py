"""The dashboard as a director sees it at 80×24 and 120×40: nothing cut, every
ticket on the hourly chart, and keys that do not apply say why."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from textual.widgets import DataTable, Static

from desk.center.runtime import Runtime
from screens.admin import AdminScreen
from screens.app import DeskApp
from screens.keybar import KeyBar
from tests.conftest import signed_in
from tests.reports.conftest import at, dashboard
from tests.reports.test_dashboard import open_view
from tests.screens.test_counter import dimmed, settle, until
from tests.screens.test_walk import screen_lines


def said(app: DeskApp, words: str) -> bool:
    """Whether a notification on screen says ``words``."""
    return any(words in str(toast.render()) for toast in app.screen.query("Toast"))


async def test_backspace_at_the_top_says_why(month: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    async with dashboard(month, (80, 24), notifications=True) as (app, pilot, screen):
        bar = screen.query_one(KeyBar)
        assert dimmed(bar, "Backspace Lên")  # view 1: nothing to go up from
        await pilot.press("backspace")
        await until(
            app, pilot, lambda: said(app, "Backspace quay lên trong xem 3 Lĩnh vực (bấm 3)")
        )
        await pilot.press("3")
        await pilot.pause()
        assert dimmed(bar, "Backspace Lên")  # the fields list is the top
        await pilot.press("backspace")
        await until(app, pilot, lambda: said(app, "Đã ở trên cùng: danh sách lĩnh vực"))
        await pilot.press("enter")  # a field's procedures: Backspace applies
        await pilot.pause()
        assert not dimmed(bar, "Backspace Lên")
        await pilot.press("backspace")
        await pilot.pause()
        assert screen.drill == []
        assert dimmed(bar, "Backspace Lên")


async def test_f1_at_80x24_says_more_keys_lie_below_and_scrolls_by_key(month: Runtime) -> None:
    from textual.containers import VerticalScroll

    from desk import i18n
    from screens.help import HelpScreen

    for language, more, end in (
        ("vi", "Còn nữa bên dưới", "xem phần trên"),
        ("en", "More below", "lines above"),
    ):
        i18n.set_language(language)
        app = DeskApp(month, role="admin", officer=signed_in(month))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("f1")
            await settle(app, pilot)
            assert isinstance(app.screen, HelpScreen)
            scroll = app.screen.query_one("#help-scroll", VerticalScroll)
            hint = app.screen.query_one("#help-hint", Static)
            assert scroll.max_scroll_y > 0  # the admin's keys do not fit in 24 lines
            assert more in str(hint.render()) and "PgDn" in str(hint.render())
            await pilot.press("pagedown", "pagedown", "pagedown")
            await settle(app, pilot)
            assert scroll.scroll_y == scroll.max_scroll_y  # the keys scroll it
            assert end in str(hint.render()) and more not in str(hint.render())
            await pilot.press("pageup")
            await settle(app, pilot)
            assert scroll.scroll_y < scroll.max_scroll_y
            assert more in str(hint.render())
    # at 120×40 everything fits: the line says only how to close
    i18n.set_language("vi")
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        hint = app.screen.query_one("#help-hint", Static)
        assert str(hint.render()) == "Esc hoặc F1 để đóng"


def served_and_rated(runtime: Runtime, counter: int, score: int) -> None:
    """One more ticket of 3 November, served at ``counter`` and rated ``score``."""
    from desk.queue.engine import Queue
    from desk.queue.ratings import last_unrated, rate

    q = Queue(runtime)
    at(2026, 11, 3, 9, 0)
    q.issue("A")
    q.call_next(counter)
    q.start(counter)
    at(2026, 11, 3, 9, 10)
    q.finish(counter)
    ticket = last_unrated(runtime.engine, runtime.ids.counters[counter])
    assert ticket is not None
    rate(runtime.engine, ticket.ticket_id, score)


def lines_of(screen: AdminScreen, selector: str) -> list[str]:
    """A dashboard widget's lines at the width it has on screen."""
    from tests.reports.test_dashboard import shown

    widget = screen.query_one(selector, Static)
    return shown(screen, selector, widget.content_region.width).splitlines()


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_the_satisfaction_bars_stay_on_their_counters_line_at_80_columns(
    month: Runtime, language: str
) -> None:
    from desk import i18n

    i18n.set_language(language)
    served_and_rated(month, 2, 3)  # counter 2: 100 % satisfied, the longest bar
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_view(app, pilot, "5")
        lines = lines_of(screen, "#satisfaction-table")
        for number in (1, 2):  # 50 % and 100 % satisfied: each bar on its counter's line
            counter = f"Quầy {number}" if language == "vi" else f"Counter {number}"
            [row] = [line for line in lines if line.lstrip().startswith(counter)]
            assert row.rstrip().endswith("█"), lines
        assert not [line for line in lines if line.strip() and not line.strip("█ ")]


def header_and_rows(grid: DataTable[object]) -> list[list[str]]:
    """The drill-down table's header labels, then its rows, as plain text."""
    out = [[str(c.label) for c in grid.ordered_columns]]
    for i in range(grid.row_count):
        out.append([str(cell) for cell in grid.get_row_at(i)])
    return out


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_the_fields_view_fits_80_columns_and_names_stay_within_reach(
    month: Runtime, language: str
) -> None:
    """View 3 at 80×24: no column is cut off the right edge (no sideways scroll), the
    short headers come with their legend, and a procedure name cut with "…" shows
    whole under the table when its row is highlighted; at 120 the full headers."""
    from desk import i18n

    i18n.set_language(language)
    refused = {"vi": "Từ chối", "en": "Refused"}[language]
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_view(app, pilot, "3")
        grid = screen.query_one("#fields-table", DataTable)
        assert grid.max_scroll_x == 0  # nothing lies beyond the right edge
        assert grid.region.right <= 80
        headers, first = header_and_rows(grid)[:2]
        assert headers[-1] == refused and first[-1] == "1"  # the refused column, whole
        legend = screen.query_one("#fields-legend", Static)
        # the full headers need more than 80 columns in either language: short ones
        assert legend.display
        for short in headers[1:-1]:  # each explained under the table
            assert f"{short}:" in str(legend.render()), (short, legend)
        if language == "vi":  # a line breaks between the explanations, never inside one
            shown = screen_lines(app)
            assert any("GQ QH: giải quyết quá hạn" in line for line in shown), shown
        field = first[0]
        assert field in str(screen.query_one("#fields-detail", Static).render())
        await pilot.press("enter")  # the field's procedures
        await settle(app, pilot)
        assert grid.max_scroll_x == 0
        rows = header_and_rows(grid)
        name = next(p.name for p in screen.report.by_procedure if p.code == rows[1][0])  # type: ignore[union-attr]
        # cut, its leading "Thủ tục" left out (the words that tell names apart first)
        cell = rows[1][-1]
        assert name.startswith("Thủ tục ")
        kept = name.removeprefix("Thủ tục ")
        assert cell.endswith("…") and (kept[:1].upper() + kept[1:]).startswith(cell[:-1])
        detail = str(screen.query_one("#fields-detail", Static).render())
        assert name in detail and rows[1][0] in detail  # the whole name, under the table
        await pilot.press("enter")  # the procedure's dossiers
        await settle(app, pilot)
        assert grid.max_scroll_x == 0
        assert grid.row_count == 7  # November's 6 and October's one carried over
        assert not [h for h in header_and_rows(grid)[0] if "⟦" in h]  # every header named
        code = header_and_rows(grid)[1][0]
        assert code.startswith("000.31.27.H31-2611")  # codes are never cut
        assert code in str(screen.query_one("#fields-detail", Static).render())
        assert not legend.display  # these headers are never shortened
        # the dossier's line wraps between its parts, "hẹn trả" / "due" with its date
        shown = screen_lines(app)
        due = {"vi": "hẹn trả", "en": "due"}[language]
        assert [ln for ln in shown if re.search(f"{due} (\\d\\d:\\d\\d \\d\\d/|—)", ln)], shown
        assert not [ln for ln in shown if ln.rstrip().endswith(due)], shown
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot, "3")
        grid = screen.query_one("#fields-table", DataTable)
        headers = header_and_rows(grid)[0]
        full = {"vi": "Đúng/trước hạn", "en": "In time"}[language]
        assert full in headers and grid.max_scroll_x == 0
        assert not screen.query_one("#fields-legend", Static).display


def test_the_hour_columns_count_every_ticket() -> None:
    from desk.reports.queue import HourFigures, hour_columns

    def columns(tickets: dict[int, int], limit: int = 13) -> list[tuple[str, int]]:
        figures = [HourFigures(h, n, None) for h, n in tickets.items()]
        out = hour_columns(figures, (7, 16), limit)
        assert sum(c.tickets for c in out) == sum(tickets.values())  # every ticket
        assert len(out) <= limit
        return [(c.kind if c.kind != "hour" else f"{c.first}", c.tickets) for c in out]

    # the opening hours, 7 to 16, when nothing happened outside them
    assert columns({8: 4}) == [(str(h), 4 if h == 8 else 0) for h in range(7, 17)]
    # widened to a ticket at 06:45 and one at 17:30
    widened = columns({6: 1, 8: 4, 17: 2})
    assert widened[0] == ("6", 1) and widened[-1] == ("17", 2)
    # hours too far out for the chart's width go to a before and an after column
    far = columns({0: 1, 6: 1, 12: 3, 23: 2})
    assert far[0] == ("before", 1) and far[1] == ("6", 1) and far[-1] == ("after", 2)
    assert columns({3: 5, 9: 1}, limit=10)[0] == ("before", 5)


async def test_the_hourly_chart_counts_tickets_issued_before_and_after_opening(
    month: Runtime,
) -> None:
    """Tickets of 06:45 (the kiosk opens half an hour before the doors) and 17:30 are
    on the chart: its columns add up to the day's tickets, which its caption gives."""
    from desk.queue.engine import Queue
    from tests.reports.test_dashboard import shown

    q = Queue(month)
    for hour, minute in ((6, 45), (9, 0), (17, 30)):
        at(2026, 11, 20, hour, minute)
        q.issue("A")
    at(2026, 11, 20, 18, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("d", "2")  # today, the queue
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)
        assert screen.report is not None and screen.report.queue.tickets == 3
        chart = shown(screen, "#queue-chart", 76).splitlines()
        labels, counts = chart[3].split(), chart[4].split()
        assert labels[0] == "06h" and labels[-1] == "17h"
        assert sum(int(n) for n in counts) == 3
        assert counts[labels.index("06h")] == "1" and counts[labels.index("17h")] == "1"
        assert "tổng 3 lượt" in shown(screen, "#queue-caption")
        heat = shown(screen, "#queue-heatmap", 76).splitlines()
        assert heat[0].split()[1] == "06h" and heat[0].split()[-1] == "17h"


FIT_CASES = {
    "procedures": ("vi", ("3", "enter")),
    "fields-en": ("en", ("3",)),
    "help": ("vi", ("f1",)),
}


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
@pytest.mark.parametrize("case", list(FIT_CASES))
def test_fit_snapshots(
    month: Runtime, snap_compare: Callable[..., bool], case: str, size: tuple[int, int]
) -> None:
    from desk import i18n

    language, keys = FIT_CASES[case]
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        for key in keys:
            await pilot.press(key)
            await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)
