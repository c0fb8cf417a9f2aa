"""The director's dashboard (``desk admin``): the period's figures, by keys.

Period: D day, W week, M month, Q quarter, Y year; [ and ] step back and forward.
Views: 1 overview (dossier figures as bars, the QĐ 766 groups), 2 queue (tickets
per hour as a sparkline, waiting times as an hour × weekday heat map, services),
3 fields (Enter drills down: field → its procedures → their dossiers; Backspace
goes back up), 4 where people get stuck, 5 satisfaction. Reports are computed
from SQL aggregates in a thread worker; the screen never waits on them.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import ContentSwitcher, DataTable, Header, Sparkline, Static

from desk import clock
from desk.i18n import t
from desk.reports.period import Period, Report, build_report, dossiers_of
from screens.base import DeskScreen
from screens.keybar import KeyBar
from screens.syncbadge import SyncBadge

VIEWS = ("overview", "queue", "fields", "stuck", "satisfaction")
WEEKDAYS = (1, 2, 3, 4, 5, 6, 0)  # Monday first; SQL numbers Sunday 0


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


def bar(value: float, top: float, width: int = 30) -> str:
    cells = round(width * value / top) if top else 0
    return "█" * cells


def heat(value: float | None, top: float) -> Style:
    if value is None:
        return Style(color="grey30")
    ratio = min(1.0, value / top) if top else 0.0
    if ratio < 0.34:
        return Style(color="green")
    if ratio < 0.67:
        return Style(color="yellow")
    return Style(color="red")


class AdminScreen(DeskScreen):
    BINDINGS = [
        Binding("d", "period('day')", "keys.day", id="admin.day"),
        Binding("w", "period('week')", "keys.week", id="admin.week"),
        Binding("m", "period('month')", "keys.month", id="admin.month"),
        Binding("q", "period('quarter')", "keys.quarter", id="admin.quarter"),
        Binding("y", "period('year')", "keys.year", id="admin.year"),
        Binding("left_square_bracket", "step(-1)", "keys.previous", id="admin.previous"),
        Binding("right_square_bracket", "step(1)", "keys.next", id="admin.next"),
        *[
            Binding(str(i + 1), f"view('{name}')", f"keys.view_{name}", show=False)
            for i, name in enumerate(VIEWS)
        ],
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

    @property
    def period(self) -> Period:
        return period_for(self.kind, self.day_in_period)

    def compose(self) -> ComposeResult:
        yield Header()
        yield SyncBadge()
        yield Static("", id="admin-period", markup=False)
        yield Static(t("admin.views"), id="admin-views")
        with ContentSwitcher(initial="overview", id="admin-switcher"):
            with VerticalScroll(id="overview"):
                yield Static("", id="overview-bars")
                yield Static("", id="overview-766")
            with VerticalScroll(id="queue"):
                yield Static(t("admin.tickets_by_hour"), classes="admin-caption")
                yield Sparkline([], id="queue-spark")
                yield Static("", id="queue-hours")
                yield Static(t("admin.heatmap"), classes="admin-caption")
                yield Static("", id="queue-heatmap")
                yield Static("", id="queue-services")
            with Vertical(id="fields"):
                yield Static("", id="fields-path", markup=False)
                yield DataTable(id="fields-table", cursor_type="row", zebra_stripes=True)
            with VerticalScroll(id="stuck"):
                yield Static("", id="stuck-table")
            with VerticalScroll(id="satisfaction"):
                yield Static("", id="satisfaction-table")
        yield KeyBar()

    def on_mount(self) -> None:
        self.load()

    # --- data ---------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def load(self) -> None:
        period = self.period
        report = build_report(self.runtime.engine, period)
        self.app.call_from_thread(self._show, report)

    def _show(self, report: Report) -> None:
        self.report = report
        kind = t(f"admin.kind_{self.kind}")
        self.query_one("#admin-period", Static).update(
            t("admin.period", kind=kind, label=report.period.label)
        )
        self._overview(report)
        self._queue(report)
        self._stuck(report)
        self._satisfaction(report)
        self.drill = []
        self._fields()

    def _overview(self, r: Report) -> None:
        d = r.dossiers
        rows = [
            ("carried_over", d["carried_over"]),
            ("received_new", d["received_new"]),
            ("received_online", d["received_online"]),
            ("resolved_early", d["resolved_early"]),
            ("resolved_on_time", d["resolved_on_time"]),
            ("resolved_late", d["resolved_late"]),
            ("processing_within_time", d["processing_within_time"]),
            ("processing_past_due", d["processing_past_due"]),
            ("supplement_requests", d["supplement_requests"]),
            ("refused", d["refused"]),
            ("returned", d["returned"]),
        ]
        top = max([v for _k, v in rows] + [1])
        text = Text()
        for key, value in rows:
            text.append(f"{t(f'report.{key}'):<34}", style="bold")
            text.append(f"{value:>7} ")
            style = "red" if key in ("resolved_late", "processing_past_due") else "cyan"
            text.append(bar(value, top) + "\n", style=style)
        text.append("\n")
        for key in ("online_share", "online_payment_share", "digitised_share"):
            text.append(f"{t(f'report.{key}'):<34}", style="bold")
            text.append(f"{d[key] * 100:6.1f} % ")
            text.append(bar(d[key], 1.0) + "\n", style="green")
        self.query_one("#overview-bars", Static).update(text)
        idx = Text(t("admin.index_766") + "\n", style="bold")
        for key, value in r.index_766.items():
            shown = "—" if value is None else f"{value:g}"
            idx.append(f"  {t(f'report.{key}'):<40}{shown:>7}\n")
        self.query_one("#overview-766", Static).update(idx)

    def _queue(self, r: Report) -> None:
        hours = {h["hour"]: h for h in r.by_hour}
        span = range(7, 18)
        self.query_one("#queue-spark", Sparkline).data = [
            float(hours.get(h, {}).get("tickets", 0)) for h in span
        ]
        self.query_one("#queue-hours", Static).update(
            "  ".join(f"{h:02d}h:{hours.get(h, {}).get('tickets', 0)}" for h in span)
        )
        cells = {(c["weekday"], c["hour"]): c["avg_wait_min"] for c in r.heatmap}
        top = max([v for v in cells.values() if v is not None] + [1.0])
        grid = Text("     " + "".join(f"{h:>4}" for h in span) + "\n")
        for wd in WEEKDAYS:
            grid.append(f"{t(f'admin.weekday_{wd}'):<5}")
            for h in span:
                value = cells.get((wd, h))
                grid.append("  ██" if value is not None else "  ··", style=heat(value, top))
            grid.append("\n")
        grid.append(t("admin.heat_legend", top=f"{top:.0f}"))
        self.query_one("#queue-heatmap", Static).update(grid)
        q = r.queue
        text = Text(
            t(
                "admin.queue_summary",
                tickets=q["tickets"],
                served=q["served"],
                no_show=f"{q['no_show_rate'] * 100:.1f}",
                wait=q["wait_median_min"] if q["wait_median_min"] is not None else "—",
                wait90=q["wait_p90_min"] if q["wait_p90_min"] is not None else "—",
            )
            + "\n"
        )
        top_t = max([s["tickets"] for s in r.by_service] + [1])
        for s in r.by_service:
            text.append(f"  {s['service']}  {s['tickets']:>6} ")
            text.append(bar(s["tickets"], top_t, 24), style="cyan")
            median = s["wait_median_min"]
            text.append(f"  {t('admin.wait_median')} {median if median is not None else '—'}\n")
        self.query_one("#queue-services", Static).update(text)

    def _stuck(self, r: Report) -> None:
        text = Text(t("admin.stuck_title") + "\n", style="bold")
        for e in r.stuck_procedures[:12]:
            rates = t(
                "admin.rates",
                supplement=round(e["supplement_rate"] * 100),
                refusal=round(e["refusal_rate"] * 100),
                overdue=round(e["overdue_rate"] * 100),
            )
            text.append(f"  {e['code']:<10} {e['received']:>5}  {rates}  {e['name'][:50]}\n")
        text.append("\n" + t("admin.stages_title") + "\n", style="bold")
        for s in r.stages:
            text.append(
                f"  {status_name(s['status']):<28}{s['avg_hours']:>8} h  ({s['dossiers']})\n"
            )
        self.query_one("#stuck-table", Static).update(text)

    def _satisfaction(self, r: Report) -> None:
        q = r.queue
        text = Text(
            t(
                "admin.satisfaction",
                ratings=q["ratings"],
                very=q["very_satisfied"],
                ok=q["satisfied"],
                bad=q["unsatisfied"],
                share=f"{q['satisfied_share'] * 100:.1f}",
            )
            + "\n\n",
        )
        for c in r.by_counter:
            text.append(
                f"  {t('counter.title', number=c['counter']):<10} {c['served']:>6}  "
                f"{c['utilisation'] * 100:5.1f} %  {c['ratings']:>5}  "
                f"{c['satisfied_share'] * 100:5.1f} % "
            )
            text.append(bar(c["satisfied_share"], 1.0, 20) + "\n", style="green")
        text.append("\n")
        for o in r.by_officer:
            text.append(
                f"  {o['officer']:<16} {o['served']:>6}  {o['ratings']:>5}  "
                f"{o['satisfied_share'] * 100:5.1f} %\n"
            )
        self.query_one("#satisfaction-table", Static).update(text)

    # --- drill-down -----------------------------------------------------------------

    def _fields(self) -> None:
        report = self.report
        table = self.query_one("#fields-table", DataTable)
        table.clear(columns=True)
        path = self.query_one("#fields-path", Static)
        if report is None:
            return
        if not self.drill:
            path.update(t("admin.fields_path"))
            table.add_columns(
                *[
                    t(f"admin.col_{c}")
                    for c in ("field", "received", "in_time", "late", "past_due", "refused")
                ]
            )
            for f in report.by_field:
                table.add_row(
                    f["field"] or "—",
                    f["received"],
                    f["resolved_in_time"],
                    f["resolved_late"],
                    f["past_due"],
                    f["refused"],
                    key=f["field"],
                )
        elif len(self.drill) == 1:
            path.update(t("admin.procedures_path", field=self.drill[0] or "—"))
            table.add_columns(
                *[
                    t(f"admin.col_{c}")
                    for c in ("code", "received", "in_time", "late", "past_due", "name")
                ]
            )
            for p in report.by_procedure:
                if p["field"] == self.drill[0]:
                    table.add_row(
                        p["code"],
                        p["received"],
                        p["resolved_in_time"],
                        p["resolved_late"],
                        p["past_due"],
                        p["name"][:60],
                        key=p["code"],
                    )
        else:
            path.update(t("admin.dossiers_path", field=self.drill[0] or "—", code=self.drill[1]))
            table.add_columns(
                *[t(f"admin.col_{c}") for c in ("dossier", "status", "received", "due")]
            )
            self.load_dossiers(self.drill[1])

    @work(thread=True, exclusive=True, group="drill", exit_on_error=False)
    def load_dossiers(self, code: str) -> None:
        rows = dossiers_of(self.runtime.engine, self.period, procedure=code)
        self.app.call_from_thread(self._dossier_rows, rows)

    def _dossier_rows(self, rows: list[dict[str, Any]]) -> None:
        table = self.query_one("#fields-table", DataTable)
        for d in rows:
            table.add_row(
                d["code"],
                status_name(d["status"]),
                str(d["received_at"])[:16],
                str(d["due_at"] or "")[:16],
                key=d["code"],
            )

    @on(DataTable.RowSelected, "#fields-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        key = event.row_key.value
        if key is None or len(self.drill) >= 2:
            return
        self.drill.append(str(key))
        self._fields()

    def action_up(self) -> None:
        if self.drill:
            self.drill.pop()
            self._fields()

    # --- keys ---------------------------------------------------------------------

    def action_period(self, kind: str) -> None:
        self.kind = kind
        self.load()

    def action_step(self, direction: int) -> None:
        self.day_in_period = step(self.kind, self.day_in_period, direction)
        self.load()

    def action_view(self, name: str) -> None:
        self.view = name
        self.query_one("#admin-switcher", ContentSwitcher).current = name
        if name == "fields":
            self.query_one("#fields-table", DataTable).focus()

    def action_leave(self) -> None:
        self.desk.leave_screen()


STATUSES = ("received", "processing", "supplement_requested", "resolved", "returned", "refused")


def status_name(status: str) -> str:
    return t(f"dossier.status_{status}") if status in STATUSES else status
