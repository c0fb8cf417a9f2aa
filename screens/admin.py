"""The director's dashboard (``desk admin``): the period's figures, by keys.

Period: D, W, M, Q, Y show the day, week, month, quarter or year that holds today,
whichever period was shown before (F1 says so); [ and ] step back and forward
(never past the current period: ] says why there), T back to the current period.
Views: 1 overview (dossier figures as bars, the QĐ 766 groups), 2 queue (tickets
per hour as columns under their hour labels, waiting times as an hour × weekday
heat map — one row, the day's hours, for a day —, whose bands one outlier does not
stretch, services), 3 fields (Enter drills down: field → its procedures → their
dossiers; Backspace goes back up, to the row drilled into, and so does Esc there,
whose key then says "Back": only at the top does Esc leave; F1 lists Enter too), 4
where people get stuck (names cut to one line, the highlighted one whole under the
table; small samples rank last), 5 satisfaction, 6 appointments (bookings, check-ins,
no-shows, show rate; waits of booked and walk-in citizens).
Each view's scrollable part has the focus when it opens, so the arrows scroll it.

Every table has column headers; a share with nothing to divide shows "—". Lines of
figures joined by " · " break between them, a number never away from its unit.
Reports are computed from SQL aggregates in a thread worker; the screen never
waits on them and says it is loading. Each request carries a token: a newer
request always wins, and an older one that finishes late is dropped.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from math import ceil

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Resize
from textual.widgets import ContentSwitcher, DataTable, Static
from textual.widgets.data_table import RowDoesNotExist

from desk import clock, logs
from desk.dossiers.statuses import status_name
from desk.errors import is_busy
from desk.i18n import day_text, moment_text, t
from desk.reports import Period, Report, build_report, dossiers_of
from desk.reports.dossiers import AT_END
from desk.reports.fields import DossierRow
from desk.reports.period import day_hours, sessions_of
from desk.reports.queue import HeatCell, HourColumn, hour_columns, opening_hours
from desk.reports.stuck import LEAST
from desk.reports.tables import (
    appointment_items,
    appointment_waits,
    service_name,
    show,
    stage_name,
)
from screens import textual_compat
from screens.base import DeskScreen
from screens.header import DeskHeader
from screens.keybar import KeyBar
from screens.phrases import LEGEND_BREAK, PhraseLine, Phrases, short_procedure, split_phrases
from screens.syncbadge import SyncBadge

log = logs.get("admin")
VIEWS = ("overview", "queue", "fields", "stuck", "satisfaction", "appointments")
WEEKDAYS = (1, 2, 3, 4, 5, 6, 0)  # Monday first; SQL numbers Sunday 0
CHART_COLUMNS = 13
"""Most columns the hourly chart and the heat map take: 13 fit 80 columns."""
HEAT = (("green", "dashboard.green"), ("yellow", "dashboard.yellow"), ("red", "dashboard.red"))
"""The heat map's colours, low to high, and the legend words that name them."""
HEAT_FLOOR = 5
"""The heat map's green band reaches at least this many minutes (and the yellow
one as many more): with short waits everywhere, thirds of the longest would paint
a 2-minute wait red and name a band "under 0 minutes"."""
OUTLIER = 1.5
"""A longest mean wait this many times the 90th percentile of the heat map's cells
is set apart (:func:`heat_scale`) instead of stretching the bands."""
OVER = "▲▲"
"""The heat map's mark for a cell off the scale (from the cap on)."""
REFRESH_SECONDS = 60.0
"""How often the current period's figures are computed again while they are shown."""
BLOCKS = " ▁▂▃▄▅▆▇█"
CHART_ROWS = 3
CELL = 5
MIN_METER = 4
FLEX_MIN = 20
"""The drill-down's flexible column (a name) keeps this many cells with full headers;
under that the table takes its short headers, and under that again those of the
other columns stacked on two lines (:func:`fit_columns`)."""
MIN_FLEX_CUT = 4
"""However narrow the screen, a cut name keeps this many cells."""
"""Width of one hour in the queue chart: the column and its label share it."""


def period_for(kind: str, anchor: date) -> Period:
    if kind == "day":
        return Period.days(anchor, anchor)
    if kind == "week":
        first = anchor - timedelta(days=anchor.weekday())
        return Period.days(first, first + timedelta(days=6))
    if kind == "month":
        first = anchor.replace(day=1)
        nxt = (first + timedelta(days=32)).replace(day=1)
        return Period.days(first, nxt - timedelta(days=1))
    if kind == "quarter":
        first = date(anchor.year, (anchor.month - 1) // 3 * 3 + 1, 1)
        nxt = (first + timedelta(days=95)).replace(day=1)
        return Period.days(first, nxt - timedelta(days=1))
    return Period.days(date(anchor.year, 1, 1), date(anchor.year, 12, 31))


def step(kind: str, anchor: date, direction: int) -> date:
    if kind == "day":
        return anchor + timedelta(days=direction)
    if kind == "week":
        return anchor + timedelta(days=7 * direction)
    months = {"month": 1, "quarter": 3}.get(kind, 12) * direction
    month = anchor.month - 1 + months
    return date(anchor.year + month // 12, month % 12 + 1, 1)


def bar(value: float | None, top: float, width: int = 30) -> str:
    cells = round(width * value / top) if top and value else 0
    return "█" * cells


class Meter:
    """A bar that takes the width its table column gives it (at most ``width``
    cells, at least ``MIN_METER``): a narrow terminal shortens every bar of the
    column alike instead of wrapping the longest onto a second line."""

    def __init__(self, value: float | None, top: float, width: int, style: str) -> None:
        self.value, self.top, self.width, self.style = value, top, width, style

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(MIN_METER, self.width)

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = max(1, min(self.width, options.max_width))
        yield Text(bar(self.value, self.top, width), style=self.style, no_wrap=True, end="")


def heat_bounds(top: float | None) -> tuple[int, int]:
    """The heat map's two bounds in whole minutes: green under the first, red from
    the second. Thirds of the longest mean wait, rounded up, but never under
    ``HEAT_FLOOR`` minutes and never less than ``HEAT_FLOOR`` apart."""
    longest = top or 0.0
    low = max(HEAT_FLOOR, ceil(longest / 3))
    return low, max(low + HEAT_FLOOR, ceil(longest * 2 / 3))


@dataclass(frozen=True)
class HeatScale:
    """The heat map's bands in whole minutes: green under ``low``, yellow under
    ``high``, red from it; with ``cap``, red up to it and the cells from it marked
    as off the scale. ``top`` is the longest mean wait (None: no wait at all)."""

    low: int
    high: int
    cap: int | None
    top: float | None


def heat_scale(waits: list[float]) -> HeatScale:
    """Bands for the heat map's mean waits that one outlier does not stretch.

    Thirds of the longest wait (:func:`heat_bounds`), unless the longest is more than
    ``OUTLIER`` times the 90th percentile of the cells (nearest rank): then thirds
    of that percentile, and the cells from ``cap`` on (that percentile, rounded up,
    or ``HEAT_FLOOR`` past the red bound if more) read "≥ cap" instead of painting
    every other cell green. With fewer than ten cells the percentile is the longest
    wait: there is nothing to set one cell apart from."""
    if not waits:
        low, high = heat_bounds(None)
        return HeatScale(low, high, None, None)
    ordered = sorted(waits)
    top = ordered[-1]
    usual = ordered[ceil(len(ordered) * 0.9) - 1]
    if top <= usual * OUTLIER:
        low, high = heat_bounds(top)
        return HeatScale(low, high, None, top)
    low, high = heat_bounds(usual)
    cap = max(ceil(usual), high + HEAT_FLOOR)
    return HeatScale(low, high, cap if top >= cap else None, top)


def heat_cell(value: float | None, scale: HeatScale) -> Text:
    """One cell of the heat map: its band's colour, ``▲▲`` from the cap on, or
    ``··`` without a ticket."""
    colour = heat_colour(value, (scale.low, scale.high))
    if colour is None or value is None:
        return Text("··", style="grey50")
    if scale.cap is not None and value >= scale.cap:
        return Text(OVER, style=f"bold {colour}")
    return Text("██", style=colour)


def heat_colour(value: float | None, bounds: tuple[int, int]) -> str | None:
    """The heat map's colour for a mean wait: green under the first bound, yellow
    up to the second, red from it (the bands its legend names)."""
    if value is None:
        return None
    low, high = bounds
    return HEAT[0 if value < low else 1 if value < high else 2][0]


def heat_legend(scale: HeatScale) -> Phrases:
    """What the heat map's marks mean, one phrase a mark (a line never breaks
    inside one)."""
    low, high = scale.low, scale.high
    if scale.cap is not None:
        red = t("dashfix.legend_high_capped", high=high, cap=scale.cap)
    elif scale.top is not None:
        red = t("dash.legend_high", high=high, top=show(scale.top, "minutes"))
    else:
        red = t("dash.legend_high_none", high=high)
    described = (t("dash.legend_low", low=low), t("dash.legend_mid", low=low, high=high), red)
    phrases = [
        Text.assemble(("██ " + t(word), colour), f": {text}")
        for (colour, word), text in zip(HEAT, described, strict=True)
    ]
    phrases[0] = Text.assemble(t("dashboard.legend_title") + " ", phrases[0])
    if scale.cap is not None:
        over = t("dashfix.legend_over", cap=scale.cap, top=show(scale.top, "minutes"))
        phrases.append(Text.assemble((OVER, f"bold {HEAT[-1][0]}"), f" {over}"))
    phrases.append(Text.assemble(("··", "grey50"), " " + t("dashboard.legend_none")))
    return Phrases(phrases)


def summary_line(text: str) -> Phrases:
    """A line of figures joined by " · ", wrapped between them, never inside one."""
    return Phrases(split_phrases(text))


def hour_label(column: HourColumn) -> str:
    """``08h``; ``<07h`` for the hours before those shown, ``≥18h`` for those after."""
    if column.kind == "before":
        return f"<{column.last + 1:02d}h"
    if column.kind == "after":
        return f"≥{column.first:02d}h"
    return f"{column.first:02d}h"


def column_chart(columns: tuple[HourColumn, ...]) -> Text:
    """One column per hour, each ``CELL`` wide, over the hour labels and the counts."""
    counts = [c.tickets for c in columns]
    top = max([*counts, 1])
    out = Text()
    for row in range(CHART_ROWS, 0, -1):
        for n in counts:
            eighths = round(n * CHART_ROWS * 8 / top)
            level = max(0, min(8, eighths - (row - 1) * 8))
            out.append(f" {BLOCKS[level] * 3} ", style="cyan")
        out.append("\n")
    out.append("".join(f"{hour_label(c):^{CELL}}" for c in columns) + "\n", style="bold")
    out.append("".join(f"{n:^{CELL}}" for n in counts))
    outside = [c for c in columns if c.kind != "hour"]
    if outside:
        out.append("\n")
        out.append(
            " · ".join(
                t(
                    f"admin_ui.hours_{c.kind}",
                    label=hour_label(c),
                    hour=c.first if c.kind == "after" else c.last + 1,
                )
                for c in outside
            ),
            style="dim",
        )
    return out


COUNT_COLUMNS = tuple(range(1, 2 + len(AT_END)))
"""View 3's columns of figures (after the field or the procedure code: the dossiers
handled and AT_END's columns), aligned right."""


@dataclass(frozen=True)
class FieldsLayout:
    """The drill-down table's columns: (full header, short header) each, and the one
    column that gives way when the screen is narrow."""

    headers: tuple[tuple[str, str], ...]
    flex: int


@dataclass(frozen=True)
class Fit:
    labels: tuple[str, ...]
    short: bool
    flex_width: int | None
    """The flexible column's width; None when every cell fits whole."""
    header_lines: int = 1
    """2 when the short headers of the other columns are stacked on two lines."""


@dataclass(frozen=True)
class DrillRow:
    key: str | None
    cells: tuple[str | int, ...]
    detail: str
    """The row's whole line, shown under the table while it is highlighted."""


AT_END_HEADS = {
    column: (
        "reports.col.awaiting_supplement" if column == "awaiting" else f"admin.col_{column}",
        f"admin_ui.short_{column}",
    )
    for column in AT_END
}
"""The catalog keys of view 3's headers (full, short) for each column a dossier is
counted in (:data:`desk.reports.dossiers.AT_END`): the tables' headers and the
dossier list's cells."""


def dossier_layout() -> FieldsLayout:
    """The deepest level's columns (in the current language): the dossier, the column
    of the row above it is counted in (short, as the narrow headers), its dates."""
    labels = [t(f"admin.col_{c}") for c in ("dossier", "at_end", "received", "due")]
    return FieldsLayout(tuple((label, label) for label in labels), flex=1)


def stacked(label: str, room: int = 0) -> str:
    """``label`` on two lines, broken at its first space that leaves both lines
    within ``room`` cells (the column's widest cell: "Mã" over "thủ tục" above
    codes of 8), else at the space that leaves the narrower column ("Đúng" over
    "hạn"); a label of one word stays whole."""
    words = label.split(" ")
    if len(words) < 2:
        return label
    splits = [(" ".join(words[:i]), " ".join(words[i:])) for i in range(1, len(words))]
    widest = [max(cell_len(top), cell_len(bottom)) for top, bottom in splits]
    room = max(room, min(widest))
    top, bottom = next(pair for pair, w in zip(splits, widest, strict=True) if w <= room)
    return f"{top}\n{bottom}"


def label_width(label: str) -> int:
    """The cells a header takes: its widest line."""
    return max(cell_len(line) for line in label.split("\n"))


def fit_columns(layout: FieldsLayout, rows: list[tuple[str | int, ...]], width: int) -> Fit:
    """Headers and the flexible column's width for a table of ``width`` cells (each
    column is padded by one cell on either side). Full headers when they leave the
    flexible column ``FLEX_MIN`` cells or all it needs; else the short ones; and when
    those still leave it fewer than ``FLEX_MIN`` (a procedure's name at 80 columns
    read "Thủ t…"), the short headers of the other columns stacked on two lines, so
    the name takes the width the figures leave."""

    cells = [
        max((cell_len(str(row[i])) for row in rows), default=0) for i in range(len(layout.headers))
    ]

    def widths(labels: tuple[str, ...]) -> list[int]:
        return [max(label_width(label), cells[i]) + 2 for i, label in enumerate(labels)]

    full = tuple(h[0] for h in layout.headers)
    short = tuple(h[1] for h in layout.headers)
    tiers = [(full, 1)]
    if full != short:
        two = tuple(
            label if i == layout.flex else stacked(label, cells[i]) for i, label in enumerate(short)
        )
        tiers += [(short, 1), (two, 2)]
    for n, (labels, lines) in enumerate(tiers):
        sizes = widths(labels)
        room = width - sum(sizes) + sizes[layout.flex] - 2
        need = sizes[layout.flex] - 2
        if room >= need:
            return Fit(labels, n > 0, None, lines)
        if room >= FLEX_MIN or n == len(tiers) - 1:
            return Fit(labels, n > 0, max(room, MIN_FLEX_CUT), lines)
    raise AssertionError("unreachable: the last choice always returns")


def heat_cells(
    heatmap: tuple[HeatCell, ...], columns: tuple[HourColumn, ...]
) -> dict[tuple[int, int], float | None]:
    """The heat map's mean waits by (weekday, column): a column of several hours
    (before or after those shown) takes their mean weighted by their tickets."""
    sums: dict[tuple[int, int], list[float]] = {}
    for cell in heatmap:
        i = next((i for i, c in enumerate(columns) if c.first <= cell.hour <= c.last), None)
        if i is None or cell.avg_wait_min is None:
            continue
        acc = sums.setdefault((cell.weekday, i), [0.0, 0.0])
        acc[0] += cell.avg_wait_min * cell.tickets
        acc[1] += cell.tickets
    return {key: round(w / n, 1) if n else None for key, (w, n) in sums.items()}


SCROLL_BAR = 2
"""Cells a scrolling view's vertical scroll bar may take from its content."""
VIEW_PADDING = 2
"""Cells a scrolling view's padding takes from its content (one on either side)."""
SATISFACTION_METER = 16
"""The widest the satisfaction view's bars get."""


def fit_headers(
    heads: Sequence[tuple[str, str]],
    rows: Sequence[tuple[str, ...]],
    width: int,
    meter: bool = False,
) -> tuple[tuple[str, ...], int]:
    """A satisfaction table's headers for a table ``width`` cells wide (each head a
    full header and a short one), and, with ``meter`` (a last column of bars), the
    width of its bars: the full headers when each fits on one line beside the other
    columns (and a bar of at least ``MIN_METER``), the bars shortened to the room
    left, else the short ones ("Hiệu suất", "Hài lòng"), which the note under the
    counters' table and the summary above it explain. Rich would otherwise narrow
    every column alike and break the longest headers onto a second line."""
    least = MIN_METER + 2 if meter else 0  # a bar, and the gap before it
    for headers in (tuple(h[0] for h in heads), tuple(h[1] for h in heads)):
        cells = [
            max([cell_len(h), *(cell_len(row[i]) for row in rows)]) for i, h in enumerate(headers)
        ]
        room = width - sum(cells) - 2 * (len(cells) - 1)  # a gap of 2 between columns
        if room >= least:
            break
    return headers, min(max(room - 2, MIN_METER), SATISFACTION_METER) if meter else 0


def counter_heads() -> tuple[tuple[str, str], ...]:
    """The satisfaction view's counter columns: (full header, short header)."""
    return (
        (t("reports.col.counter"),) * 2,
        (t("reports.col.served"),) * 2,
        (t("reports.col.utilisation"), t("dashkiosk.short_utilisation")),
        (t("reports.col.ratings"),) * 2,
        (t("reports.col.satisfied_share"), t("dashkiosk.short_satisfied_share")),
    )


def officer_heads() -> tuple[tuple[str, str], ...]:
    """The satisfaction view's officer columns: (full header, short header)."""
    return (
        (t("reports.col.officer"),) * 2,
        (t("reports.col.served"),) * 2,
        (t("reports.col.avg_service_min"), t("dashkiosk.short_avg_service_min")),
        (t("reports.col.ratings"),) * 2,
        (t("reports.col.satisfied_share"), t("dashkiosk.short_satisfied_share")),
    )


def table(*headers: str, right: tuple[int, ...] = ()) -> Table:
    """A dashboard table: bold column headers, no box, numbers aligned right."""
    out = Table(
        box=None, padding=(0, 1), show_edge=False, pad_edge=False, header_style="bold underline"
    )
    for i, header in enumerate(headers):
        out.add_column(header, justify="right" if i in right else "left", overflow="fold")
    return out


class AdminScreen(DeskScreen):
    BINDINGS = [
        Binding("d,D", "period('day')", "keys.day", id="admin.day"),
        Binding("w,W", "period('week')", "keys.week", id="admin.week"),
        Binding("m,M", "period('month')", "keys.month", id="admin.month"),
        Binding("q,Q", "period('quarter')", "keys.quarter", id="admin.quarter"),
        Binding("y,Y", "period('year')", "keys.year", id="admin.year"),
        Binding("left_square_bracket", "step(-1)", "keys.previous", id="admin.previous"),
        Binding("right_square_bracket", "forward", "keys.next", id="admin.next"),
        Binding("t,T", "current", "keys.current", id="admin.current"),
        *[
            Binding(str(i + 1), f"view('{name}')", f"keys.view_{name}", show=False)
            for i, name in enumerate(VIEWS)
        ],
        Binding("enter", "drill", "keys.drill", id="admin.drill", show=False),
        Binding("backspace", "up", "keys.up", id="admin.up"),
        Binding("escape", "leave", "keys.back", id="admin.leave"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="admin")
        self.kind = "month"
        self.day_in_period = clock.today()
        self.report: Report | None = None
        self.view = "overview"
        self.drill: list[str] = []
        """[] fields; [field] its procedures; [field, code] the procedure's dossiers."""
        self.drill_rows: dict[str, dict[str | None, DrillRow]] = {}
        """Each table's rows by key (``fields``, ``stuck``), for the line under it."""
        self.dossiers: list[DossierRow] = []
        """The dossiers listed at the deepest level (laid out again on a resize)."""
        self.dossier_kept: str | None = None
        """The dossier highlighted in a list read again by a refresh in another view:
        highlighted again once its rows are in."""
        self.request = 0
        """The newest report request; a report for an older one is dropped."""
        self.refreshing = False
        """A refresh of the shown period is under way (:meth:`refresh_current`)."""
        self._label_leave()

    @property
    def period(self) -> Period:
        return period_for(self.kind, self.day_in_period)

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield SyncBadge()
        yield Static("", id="admin-period", markup=False)
        yield Static("", id="admin-status", markup=False)
        yield Static(t("dashboard.views"), id="admin-views", markup=False)
        with ContentSwitcher(initial="overview", id="admin-switcher"):
            with VerticalScroll(id="overview"):
                yield Static("", id="overview-bars")
                yield Static("", id="overview-766")
            with VerticalScroll(id="queue"):
                yield Static(
                    t("dashboard.tickets_by_hour"),
                    id="queue-caption",
                    classes="admin-caption",
                    markup=False,
                )
                yield Static("", id="queue-chart")
                yield Static(
                    t("admin.heatmap"), id="heat-caption", classes="admin-caption", markup=False
                )
                yield Static("", id="queue-heatmap")
                yield Static("", id="queue-services")
            with Vertical(id="fields"):
                yield Static("", id="fields-path", classes="admin-title", markup=False)
                yield DataTable(id="fields-table", cursor_type="row", zebra_stripes=True)
                yield PhraseLine(id="fields-detail", classes="admin-detail")
                yield PhraseLine(id="fields-legend", classes="admin-legend", breaks=LEGEND_BREAK)
            with Vertical(id="stuck"):
                yield Static(t("admin.stuck_title"), classes="admin-title", markup=False)
                yield DataTable(id="stuck-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="stuck-more", classes="admin-legend", markup=False)
                yield PhraseLine(id="stuck-detail", classes="admin-detail")
                yield PhraseLine(id="stuck-legend", classes="admin-legend", breaks=LEGEND_BREAK)
                yield Static("", id="stuck-stages")
            with VerticalScroll(id="satisfaction"):
                yield Static("", id="satisfaction-table")
            with VerticalScroll(id="appointments"):
                yield Static("", id="appointments-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#overview", VerticalScroll).focus()  # the arrows scroll view 1
        self.load()
        self.set_interval(REFRESH_SECONDS, self.refresh_current, name="dashboard refresh")

    # --- data ---------------------------------------------------------------------

    def load(self) -> None:
        """Ask for the current period's report; the newest request wins."""
        self.request += 1
        self.refreshing = False
        self.query_one("#admin-status", Static).update(t("dashboard.loading"))
        self._show_period(None)
        self.add_class("-loading")
        self._build(self.request, self.period)

    def refresh_current(self) -> None:
        """Every :data:`REFRESH_SECONDS`: the figures of a period that holds today are
        computed again while the dashboard is on screen, in place (the view, the level
        drilled into and the highlighted rows stay); a past period's stay as they are.
        Not while a report is being computed, nor over a dossier list on screen (its
        rows would go and come back under the director's cursor); in another view the
        figures refresh (a list drilled into meanwhile is read again with them)."""
        if not self._current():
            self._show_period(None)  # past midnight, today's period is yesterday's
            return
        if (
            self.app.screen is not self
            or self.has_class("-loading")
            or self.refreshing
            or (self.view == "fields" and len(self.drill) >= 2)
        ):
            return
        self.request += 1
        self.refreshing = True
        self._build(self.request, self.period, refresh=True)

    def _show_period(self, made_at: datetime | None) -> None:
        """The period's line; for the period that holds today, the time its figures
        were computed at (they change as the day goes on)."""
        line = t("admin.period", kind=t(f"admin.kind_{self.kind}"), label=self.period.label)
        if made_at is not None and self._current():
            line += t("dashboard.as_of", time=f"{made_at:%H:%M}")
        self.query_one("#admin-period", Static).update(line)

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def _build(self, request: int, period: Period, refresh: bool = False) -> None:
        config = self.runtime.config
        made_at = clock.now()
        try:
            report = build_report(
                self.runtime.engine,
                period,
                sessions_of(config.hours),
                config.reports.timeliness,
                center_id=self.runtime.ids.center,
            )
        except Exception as exc:  # shown and logged; the next key tries again
            if refresh and is_busy(exc):  # the figures shown stay; next minute
                self.app.call_from_thread(self._refresh_skipped, request)
                return
            log.exception("report for %s failed", period.label)
            self.app.call_from_thread(self._failed, request, exc)
            return
        self.app.call_from_thread(self._show, request, report, made_at)

    def _refresh_skipped(self, request: int) -> None:
        if request == self.request:
            self.refreshing = False

    def _failed(self, request: int, exc: Exception) -> None:
        if request != self.request:
            return
        self.refreshing = False
        self.remove_class("-loading")
        self.query_one("#admin-status", Static).update(
            t("dashboard.failed", error=type(exc).__name__)
        )

    def _show(self, request: int, report: Report, made_at: datetime) -> None:
        if request != self.request:
            return  # a newer request is on its way
        refreshed = self.refreshing
        self.refreshing = False
        kept = {name: self._highlighted(name) for name in ("fields", "stuck")}
        self.report = report
        self.remove_class("-loading")
        self._show_period(made_at)
        self._status_rule()
        self._overview(report)
        self._queue(report)
        self._stuck(report)
        self._satisfaction(report)
        self._appointments(report)
        if not refreshed:
            self.drill = []
        if refreshed and len(self.drill) >= 2:
            self.dossier_kept = kept["fields"]  # the list comes back in a worker
        if len(self.drill) < 2 or self.view != "fields":  # a dossier list on screen stays
            self._fields()
        if refreshed:  # the rows the director had highlighted stay highlighted
            for name, key in kept.items():
                grid = self.query_one(f"#{name}-table", DataTable)
                with suppress(RowDoesNotExist):
                    if key is None:
                        continue
                    grid.move_cursor(row=grid.get_row_index(key), scroll=True)
        self.refresh_bindings()

    def _status_rule(self) -> None:
        """The status line says how the figures are counted again (after a key's
        refusal, which it showed until the next view or level)."""
        if self.report is not None and not self.has_class("-loading"):
            rule = t(f"dashboard.rule_short_{self.report.timeliness}")
            self.query_one("#admin-status", Static).update(t("dashboard.rule", rule=rule))

    def _highlighted(self, name: str) -> str | None:
        """The key of the row highlighted in ``#<name>-table`` (None: no rows)."""
        grid = self.query_one(f"#{name}-table", DataTable)
        if not grid.row_count:
            return None
        return grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value

    def _overview(self, r: Report) -> None:
        d = r.dossiers
        counts = [
            (t("report.carried_over"), d.carried_over, "cyan"),
            (t("report.received_new"), d.received_new, "cyan"),
            (t("report.received_online"), d.received_online, "cyan"),
            (t("report.resolved_early"), d.resolved_early, "green"),
            (t("report.resolved_on_time"), d.resolved_on_time, "green"),
            (t("report.resolved_late"), d.resolved_late, "red"),
            (t("report.processing_within_time"), d.processing_within_time, "cyan"),
            (t("report.processing_past_due"), d.processing_past_due, "red"),
            (t("reports.awaiting_supplement"), d.awaiting_supplement, "yellow"),
            (t("dashboard.supplement_requests"), d.supplement_requests, "yellow"),
            (t("report.refused"), d.refused, "cyan"),
            (t("report.returned"), d.returned, "cyan"),
        ]
        top = max([v for _k, v, _s in counts] + [1])
        figures = table(t("dashboard.col_measure"), t("dashboard.col_value"), "", right=(1,))
        for label, value, style in counts:
            figures.add_row(label, str(value), Text(bar(value, top, 24), style=style))
        shares = table(t("dashboard.col_measure"), t("dashboard.col_share"), "", right=(1,))
        for label, share in (
            (t("report.online_share"), d.online_share),
            (t("report.online_payment_share"), d.online_payment_share),
            (t("report.digitised_share"), d.digitised_share),
        ):
            shares.add_row(label, show(share, "share"), Text(bar(share, 1.0, 24), style="green"))
        self.query_one("#overview-bars", Static).update(Group(figures, Text(""), shares))
        i = r.index_766
        index = table(t("admin.index_766"), t("dashboard.col_points"), right=(1,))
        for key, points in (
            ("tien_do_giai_quyet_20", i.tien_do_giai_quyet_20),
            ("dich_vu_cong_truc_tuyen_12", i.dich_vu_cong_truc_tuyen_12),
            ("thanh_toan_truc_tuyen_10", i.thanh_toan_truc_tuyen_10),
            ("muc_do_hai_long_18", i.muc_do_hai_long_18),
            ("so_hoa_ho_so_22", i.so_hoa_ho_so_22),
            ("cong_khai_minh_bach_18", i.cong_khai_minh_bach_18),
        ):
            index.add_row(t(f"report.{key}"), show(points, "points"))
        self.query_one("#overview-766", Static).update(Group(Text(""), index))

    def _queue(self, r: Report) -> None:
        q = r.queue
        columns = hour_columns(q.by_hour, opening_hours(self.runtime.config.hours), CHART_COLUMNS)
        self.query_one("#queue-caption", Static).update(
            t(
                "admin_ui.hours_total",
                caption=t("dashboard.tickets_by_hour"),
                tickets=sum(c.tickets for c in columns),
            )
        )
        self.query_one("#queue-chart", Static).update(column_chart(columns))
        cells = heat_cells(q.heatmap, columns)
        scale = heat_scale([v for v in cells.values() if v is not None])
        weekdays: tuple[int, ...] = WEEKDAYS
        caption = t("admin.heatmap")
        if r.period.first_day == r.period.last_day:  # a day: its hours, not a week
            day = r.period.first_day
            weekdays = ((day.weekday() + 1) % 7,)
            caption = t(
                "dash.heatmap_day",
                weekday=t(f"admin.weekday_{weekdays[0]}"),
                day=day_text(day),
            )
        self.query_one("#heat-caption", Static).update(caption)
        grid = table(t("reports.col.weekday"), *[hour_label(c) for c in columns])
        for wd in weekdays:
            row: list[RenderableType] = [t(f"admin.weekday_{wd}")]
            row.extend(heat_cell(cells.get((wd, i)), scale) for i in range(len(columns)))
            grid.add_row(*row)
        self.query_one("#queue-heatmap", Static).update(Group(grid, heat_legend(scale)))
        a = r.appointments
        summary = summary_line(
            t(
                "dash.queue_summary",
                tickets=q.tickets,
                called=a.booked.count + a.walk_in.count,
                served=q.served,
                no_show=show(q.no_show_rate, "share"),
                wait=show(q.wait_median_min, "minutes"),
                wait90=show(q.wait_p90_min, "minutes"),
            )
        )
        services = table(
            t("reports.col.service"),
            t("reports.col.tickets"),
            t("reports.col.served"),
            t("reports.col.no_show_rate"),
            t("reports.col.wait_median_min"),
            t("reports.col.wait_p90_min"),
            right=(1, 2, 3, 4, 5),
        )
        for s in q.by_service:
            services.add_row(
                service_name(s.name_vi, s.name_en),
                str(s.tickets),
                str(s.served),
                show(s.no_show_rate, "share"),
                show(s.wait_median_min, "minutes"),
                show(s.wait_p90_min, "minutes"),
            )
        self.query_one("#queue-services", Static).update(Group(Text(""), summary, services))

    def _stuck(self, r: Report) -> None:
        """The procedures where people get stuck, as a table with a cursor (names cut
        to one line, the highlighted one whole under it; the ranking rule in the
        legend), then the stages dossiers wait longest in."""
        rows = [
            DrillRow(
                e.code,
                (
                    e.code,
                    e.handled,
                    e.supplement_requests,
                    show(e.supplement_rate, "per_dossier"),
                    show(e.refusal_rate, "share"),
                    show(e.overdue_rate, "share"),
                    e.name,
                ),
                t("admin_ui.selected_procedure", code=e.code, name=e.name),
            )
            for e in r.stuck_procedures  # as many as the table's height shows, then it scrolls
        ]
        heads = (
            (t("reports.col.code"), t("reports.col.code")),
            (t("reports.col.handled"), t("admin_ui.short_handled")),
            (t("dashboard.col_requests"), t("dash.short_requests")),
            (t("dashboard.col_supplement"), t("dash.short_supplement")),
            (t("dashboard.col_refused"), t("dash.short_refused")),
            (t("dashboard.col_overdue"), t("dash.short_overdue")),
            (t("reports.col.name"), t("reports.col.name")),
        )
        self._fill(
            FieldsLayout(heads, flex=6),
            rows,
            "stuck",
            right=(1, 2, 3, 4, 5),
            rule=t("dash.stuck_rule", least=LEAST),
        )
        stages = table(
            t("reports.col.status"),
            t("reports.col.dossiers"),
            t("reports.col.avg_days"),
            t("reports.col.max_days"),
            right=(1, 2, 3),
        )
        for s in r.stages:
            stages.add_row(
                stage_name(s.status),
                str(s.dossiers),
                show(s.avg_days, "days"),
                show(s.max_days, "days"),
            )
        self.query_one("#stuck-stages", Static).update(
            Group(Text(t("admin.stages_title"), style="bold"), stages)
        )

    def _satisfaction(self, r: Report) -> None:
        s = r.ratings
        summary = summary_line(
            t(
                "dashboard.satisfaction",
                ratings=s.ratings,
                very=s.very_satisfied,
                ok=s.satisfied,
                bad=s.unsatisfied,
                share=show(s.satisfied_share, "share"),
            )
        )
        rows = [
            (
                t("counter.title", number=c.counter),
                str(c.served),
                show(c.utilisation, "share"),
                str(c.ratings),
                show(c.satisfied_share, "share"),
            )
            for c in s.by_counter
        ]
        width = self.size.width - VIEW_PADDING - SCROLL_BAR
        headers, meter = fit_headers(counter_heads(), rows, width, meter=True)
        counters = table(*headers, "", right=(1, 2, 3, 4))
        for row, c in zip(rows, s.by_counter, strict=True):
            counters.add_row(*row, Meter(c.satisfied_share, 1.0, meter, "green"))
        people = [
            (
                o.officer,
                str(o.served),
                show(o.avg_service_min, "minutes"),
                str(o.ratings),
                show(o.satisfied_share, "share"),
            )
            for o in s.by_officer
        ]
        officers = table(*fit_headers(officer_heads(), people, width)[0], right=(1, 2, 3, 4))
        for person in people:
            officers.add_row(*person)
        hours = show(day_hours(self.runtime.config.hours), "hours")  # one decimal (15,0)
        note_text = t("dash.utilisation_note", hours=hours)
        if self._current():  # a day under way counts its hours up to now
            note_text += t("dash.utilisation_today")
        note = Text(note_text, style="dim")
        self.query_one("#satisfaction-table", Static).update(
            Group(summary, Text(""), counters, note, Text(""), officers)
        )

    def _appointments(self, r: Report) -> None:
        figures = table(t("dashboard.col_measure"), t("reports.col.value"), right=(1,))
        for label, value, kind in appointment_items(r):
            figures.add_row(label, show(value, kind))
        section = appointment_waits(r)
        waits = table(*(c.label for c in section.columns), right=(1, 2, 3))
        for row in section.rows:
            waits.add_row(*(show(cell.value, cell.kind) for cell in row))
        a, tickets = r.appointments, r.queue.tickets
        called = a.booked.count + a.walk_in.count
        note = Text(
            t("dash.waits_note", called=called, tickets=tickets, rest=max(0, tickets - called)),
            style="dim",
        )
        self.query_one("#appointments-table", Static).update(
            Group(
                Text(t("appt_figures.title"), style="bold"),
                figures,
                Text(""),
                Text(section.title, style="bold"),
                waits,
                note,
            )
        )

    # --- drill-down -----------------------------------------------------------------

    def _fields(self) -> None:
        report = self.report
        grid = self.query_one("#fields-table", DataTable)
        path = self.query_one("#fields-path", Static)
        if report is None:
            grid.clear(columns=True)
            return
        # the dossiers handled, then the column each is counted in (Counted.at_end)
        heads = [
            (t("admin.col_handled"), t("admin_ui.short_handled")),
            *((t(full), t(short)) for full, short in AT_END_HEADS.values()),
        ]
        rows: list[DrillRow] = []
        if not self.drill:
            path.update(t("admin.fields_path"))
            field_head = (t("admin.col_field"), t("admin.col_field"))
            for f in report.by_field:
                name = f.field or "—"
                rows.append(
                    DrillRow(
                        f.field,
                        (name, f.handled, *f.at_end),
                        t(
                            "admin_ui.selected_field",
                            field=name,
                            procedures=f.procedures,
                            carried=f.carried_over,
                            new=f.received,
                        ),
                    )
                )
            layout = FieldsLayout((field_head, *heads), flex=0)
            self._fill(layout, rows, right=COUNT_COLUMNS)  # as view 4 aligns its figures
        elif len(self.drill) == 1:
            path.update(t("admin.procedures_path", field=self.drill[0] or "—"))
            code_head = (t("admin.col_code"), t("admin.col_code"))
            name_head = (t("admin.col_name"), t("admin.col_name"))
            for p in report.by_procedure:
                if p.field == self.drill[0]:
                    rows.append(
                        DrillRow(
                            p.code,
                            (p.code, p.handled, *p.at_end, p.name),
                            t(
                                "admin_ui.selected_procedure_handled",
                                code=p.code,
                                name=p.name,
                                carried=p.carried_over,
                                new=p.received,
                            ),
                        )
                    )
            headers = (code_head, *heads, name_head)
            layout = FieldsLayout(headers, flex=len(headers) - 1)  # the name gives way
            self._fill(layout, rows, right=COUNT_COLUMNS)
        else:
            path.update(t("admin.dossiers_path", field=self.drill[0] or "—", code=self.drill[1]))
            self._fill(dossier_layout(), [])
            self.load_dossiers(self.period, tuple(self.drill))

    def _fill(
        self,
        layout: FieldsLayout,
        rows: list[DrillRow],
        name: str = "fields",
        right: tuple[int, ...] = (),
        rule: str = "",
    ) -> None:
        """Lay a table with a cursor (``#<name>-table``: the drill-down, or the stuck
        procedures) out for the screen's width: full headers when the table fits with
        them, else the short ones and their legend under the table; the flexible
        column (a field's or procedure's name, a dossier's status) is cut with "…" to
        the room left, and the highlighted row's whole line shows under the table, so
        nothing is out of reach at 80 columns. ``right`` columns are aligned right;
        ``rule`` (how the rows are ranked) is always shown under the table."""
        grid = self.query_one(f"#{name}-table", DataTable)
        grid.clear(columns=True)
        # the table spans the screen; its scroll bar takes two cells when the rows
        # do not fit its height (unknown while the view is hidden: then assume it does)
        height = grid.size.height
        values = [r.cells for r in rows]
        bar = 0 if height and len(rows) + 1 <= height else 2
        fit = fit_columns(layout, values, self.size.width - bar)
        if not bar and len(rows) + fit.header_lines > height:  # two header lines
            bar = 2
            fit = fit_columns(layout, values, self.size.width - bar)
        grid.header_height = fit.header_lines
        for i, label in enumerate(fit.labels):
            grid.add_column(label, width=fit.flex_width if i == layout.flex else None)
        self.drill_rows[name] = {r.key: r for r in rows}
        for r in rows:
            cells: list[object] = [
                Text(str(c), justify="right") if i in right else c for i, c in enumerate(r.cells)
            ]
            text = str(cells[layout.flex])
            if fit.flex_width is not None and cell_len(text) > fit.flex_width:
                # a cut name keeps what tells it from the others: "Thủ tục đăng ký khai
                # sinh…" three times over at 80 columns (walk, 2 Dec)
                text = short_procedure(text)
            if fit.flex_width is not None and cell_len(text) > fit.flex_width:
                cut = Text(text, no_wrap=True)
                cut.truncate(fit.flex_width, overflow="ellipsis")
                cells[layout.flex] = cut
            else:
                cells[layout.flex] = Text(text, no_wrap=True)
            grid.add_row(*cells, key=r.key)
        legend = self.query_one(f"#{name}-legend", PhraseLine)
        short = t("admin_ui.legend") if name == "fields" else t("dash.stuck_legend")
        lines = [line for line in (short if fit.short else "", rule) if line]
        legend.show("\n".join(lines))  # broken between its explanations
        legend.display = bool(lines)
        self._show_detail(name)
        if name == "stuck":
            self.call_after_refresh(self._stuck_more)

    def _stuck_more(self) -> None:
        """Under view 4's table, when its height hides some of its rows: how many,
        and that the table scrolls (a table of one row at 80×24 gave no hint of more)."""
        grid = self.query_one("#stuck-table", DataTable)
        seen = grid.scrollable_content_region.height - grid.header_height
        hidden = grid.row_count - seen if grid.size.height else 0
        more = t("dash.stuck_more", total=grid.row_count, more=hidden) if hidden > 0 else ""
        self.query_one("#stuck-more", Static).update(more)

    @on(DataTable.RowHighlighted)
    def _detail(self, event: DataTable.RowHighlighted) -> None:
        table_id = event.data_table.id or ""
        if table_id.endswith("-table"):
            self._show_detail(table_id.removesuffix("-table"))

    def _show_detail(self, name: str) -> None:
        """The highlighted row's whole line (its name uncut), under its table."""
        grid = self.query_one(f"#{name}-table", DataTable)
        # an empty list of stuck procedures said in words, not left blank under its headers
        line = t("dash.stuck_none") if name == "stuck" and self.report is not None else ""
        if grid.row_count:
            key = grid.coordinate_to_cell_key(grid.cursor_coordinate).row_key.value
            row = self.drill_rows.get(name, {}).get(key) if key is not None else None
            line = row.detail if row is not None else ""
        # broken between its phrases: "hẹn trả" / "due" stays with its date
        self.query_one(f"#{name}-detail", PhraseLine).show(line)

    @work(thread=True, exclusive=True, group="drill", exit_on_error=False)
    def load_dossiers(self, period: Period, drill: tuple[str, ...]) -> None:
        rows = dossiers_of(
            self.runtime.engine,
            period,
            procedure=drill[-1],
            center_id=self.runtime.ids.center,
            timeliness=self.runtime.config.reports.timeliness,
        )
        self.app.call_from_thread(self._dossier_rows, drill, rows)

    def _dossier_rows(self, drill: tuple[str, ...], rows: list[DossierRow]) -> None:
        if tuple(self.drill) != drill:
            return  # the officer has moved on
        self.dossiers = rows
        drill_rows = []
        for d in rows:
            # the column the row above counted it in, as of the period's end (its status
            # now, which may have moved on since, is in the line under the table)
            full, short = (t(key) for key in AT_END_HEADS[d.at_end]) if d.at_end else ("—", "")
            status = status_name(d.status)
            # as every other moment a person reads (they were ISO: 2026-12-02 12:23)
            received = moment_text(d.received_at)
            due = moment_text(d.due_at) if d.due_at else ""
            drill_rows.append(
                DrillRow(
                    d.code,
                    (d.code, short, received, due),
                    t(
                        "admin_ui.selected_dossier",
                        code=d.code,
                        counted=full,
                        status=status,
                        received=received,
                        due=due or "—",
                    ),
                )
            )
        self._fill(dossier_layout(), drill_rows)
        kept, self.dossier_kept = self.dossier_kept, None
        if kept is not None:
            grid = self.query_one("#fields-table", DataTable)
            with suppress(RowDoesNotExist):
                grid.move_cursor(row=grid.get_row_index(kept), scroll=True)

    def on_resize(self, _event: Resize) -> None:
        if self.report is None:
            return
        self._stuck(self.report)
        self._satisfaction(self.report)  # its headers fit the width
        if len(self.drill) < 2:
            self._fields()
        else:
            self._dossier_rows(tuple(self.drill), self.dossiers)

    @on(DataTable.RowSelected, "#fields-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if len(self.drill) >= 2:  # Enter on a dossier: nothing lies below it
            self.show_failure(t("walk.dossiers_deepest"))
            return
        if key is None:
            return
        self.drill.append(str(key))
        self._status_rule()
        self._fields()
        self.refresh_bindings()  # Backspace applies now

    def why_not(self, action: str) -> str | None:
        if action == "drill":
            if self.view != "fields":
                return t("dashfix.drill_not_fields")
            if len(self.drill) >= 2:
                return t("walk.dossiers_deepest")
        if action == "up":
            if self.view != "fields":
                return t("admin_ui.up_not_fields")
            if not self.drill:
                return t("admin_ui.up_top")
        if action == "forward" and self._current():
            return t("dash.no_future", label=self.period.label)
        if action == "current" and self._current():
            return t("dash.at_current")
        return None

    def _current(self) -> bool:
        """Whether the period shown is the current one (it holds today)."""
        return self.period.last_day >= clock.today()

    def show_failure(self, message: str) -> None:
        """A key that does not apply says why on the status line, and in a notice."""
        self.query_one("#admin-status", Static).update(message)
        super().show_failure(message)

    def action_drill(self) -> None:
        """Enter where the table does not take it itself: in view 3 the table has the
        focus and Enter selects its row (``_selected``); elsewhere this says why not."""
        if self.refused("drill"):
            return
        self.query_one("#fields-table", DataTable).action_select_cursor()

    def action_up(self) -> None:
        if self.refused("up"):
            return
        left = self.drill.pop()
        self._status_rule()
        self._fields()
        grid = self.query_one("#fields-table", DataTable)
        with suppress(RowDoesNotExist):  # back on the row drilled into, not the top
            grid.move_cursor(row=grid.get_row_index(left), scroll=True)
        self.refresh_bindings()

    # --- keys ---------------------------------------------------------------------

    def action_period(self, kind: str) -> None:
        """D, W, M, Q, Y: the period of that kind that holds today, as D always did
        (after [ back a month, M showed the month browsed to, not this one)."""
        self.kind = kind
        self.day_in_period = clock.today()
        self.load()
        self.refresh_bindings()

    def action_step(self, direction: int) -> None:
        self.day_in_period = step(self.kind, self.day_in_period, direction)
        self.load()
        self.refresh_bindings()  # ] and T apply again

    def action_forward(self) -> None:
        if self.refused("forward"):
            return
        self.action_step(1)

    def action_current(self) -> None:
        if self.refused("current"):
            return
        self.day_in_period = clock.today()
        self.load()
        self.refresh_bindings()

    def action_view(self, name: str) -> None:
        self.view = name
        self._status_rule()
        self.query_one("#admin-switcher", ContentSwitcher).current = name
        self.refresh_bindings()  # the key bar dims Backspace outside the fields
        # the view's scrollable part takes the keys: the arrows scroll it at once
        if name in ("fields", "stuck"):
            self.query_one(f"#{name}-table", DataTable).focus()
            self.call_after_refresh(self._stuck_more)  # its height is known once shown
        else:
            self.query_one(f"#{name}", VerticalScroll).focus()

    def _drilled(self) -> bool:
        """Whether view 3 shows a level below the fields (Esc goes back up there)."""
        return self.view == "fields" and bool(self.drill)

    def _label_leave(self) -> None:
        """Esc's word in the key bar and F1: "Back" in a drilled-down table (it goes
        up one level there), else "Quit" when leaving ends the program (`desk
        admin`) and "Back" when it goes back to the demo's launcher."""
        quits = self.desk.leaving_quits and not self._drilled()
        textual_compat.relabel(self, "leave", t("keys.quit" if quits else "keys.back"))

    def refresh_bindings(self) -> None:
        self._label_leave()  # every change of view or level refreshes the bindings
        super().refresh_bindings()

    def action_leave(self) -> None:
        """Esc: up one level in a drilled-down table, as Backspace; else leave."""
        if self._drilled():
            self.action_up()
            return
        self.desk.leave_screen(sign_out=True)  # the next role asks who it is (walk)
