"""A report laid out for people: titled sections of labelled columns, in the UI
language, for ``desk report``'s table, CSV and spreadsheet outputs.

Every cell keeps its value (numbers stay numbers for a spreadsheet) and says what
kind of value it is, so each output formats it its own way: a share as a
percentage, a missing value (nothing to divide, no ticket) as "—".
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from desk.dossiers.statuses import status_name
from desk.i18n import decimal, get_language, t
from desk.reports.fields import AT_END_FIGURES
from desk.reports.period import Timeliness
from desk.reports.report import Report
from desk.reports.stuck import CITIZEN_STAGES

Kind = Literal[
    "text", "code", "count", "share", "per_dossier", "minutes", "hours", "days", "points"
]
"""``share``: a part of a whole (0.25 → 25,0 % in Vietnamese); ``per_dossier``: how
many per dossier (2 supplement requests per dossier reads "2,00", never "200,0 %")."""
Value = str | int | float | None
NUMERIC: tuple[Kind, ...] = (
    "count",
    "share",
    "per_dossier",
    "minutes",
    "hours",
    "days",
    "points",
)


@dataclass(frozen=True)
class Cell:
    value: Value
    kind: Kind = "text"


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    kind: Kind = "text"
    wide_only: bool = False
    """Left out of the 80-column table (the CSV and the spreadsheet keep it)."""


@dataclass(frozen=True)
class Section:
    key: str
    """Stable snake_case name (the JSON key of the same figures)."""
    title: str
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...], ...]


def rule_name(timeliness: Timeliness) -> str:
    return t(f"reports.rule_{timeliness}")


def header_lines(center: str, report: Report) -> list[tuple[str, str]]:
    """(label, value) lines every output starts with."""
    return [
        (t("reports.header_center"), center),
        (t("reports.header_period"), report.period.label),
        (t("reports.header_rule"), rule_name(report.timeliness)),
    ]


DECIMALS: dict[Kind, int] = {
    "per_dossier": 2,
    "minutes": 1,
    "hours": 1,
    "days": 1,
    "points": 2,
}
"""Decimals shown for each kind of figure: a time (minutes, hours, days) with one,
whole or not ("30.0" under "22.5", never "30"; opening hours of 14.9833 a day read
"15.0", never "14.9833"), a share with one as a percentage, requests per
dossier with two (most are below one: one request in 25 dossiers reads "0.04", not
"0.0", which read as none), the 766 index's points with the two they are computed
to; a count has none."""


def show(value: Value, kind: Kind) -> str:
    """A value as a person reads it on screen: figures of one kind with as many
    decimals, so a column or a line of them reads alike (:data:`DECIMALS`), written
    as the UI's language writes them ("25,0 %", "1,50" in Vietnamese; "25.0 %" in
    English: :func:`desk.i18n.decimal`). The CSV and the spreadsheet keep the
    values themselves."""
    if value is None:
        return "—"
    if kind == "share" and isinstance(value, float | int):
        return f"{decimal(value * 100, 1)} %"
    if kind in DECIMALS and isinstance(value, float | int):
        return decimal(value, DECIMALS[kind])
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="minutes")
    return str(value)


def _measures(key: str, title: str, items: list[tuple[str, Value, Kind]]) -> Section:
    return Section(
        key,
        title,
        (
            Column("measure", t("reports.col.measure")),
            Column("value", t("reports.col.value"), "count"),
        ),
        tuple((Cell(label), Cell(value, kind)) for label, value, kind in items),
    )


def _table(key: str, columns: list[Column], rows: list[list[Value]]) -> Section:
    return Section(
        key,
        t(f"reports.section.{key}"),
        tuple(columns),
        tuple(tuple(Cell(v, c.kind) for v, c in zip(row, columns, strict=True)) for row in rows),
    )


def _col(key: str, kind: Kind = "count", wide_only: bool = False) -> Column:
    return Column(key, t(f"reports.col.{key}"), kind, wide_only)


def stage_name(status: str) -> str:
    """A stage in the table of where dossiers wait: the stages that wait for the
    citizen say so (a result not yet collected is not the center's delay)."""
    if status in CITIZEN_STAGES:
        return t(f"reports.stage_{status}")
    return status_name(status)


def service_name(name_vi: str, name_en: str) -> str:
    return name_en if get_language() == "en" else name_vi


def sections(report: Report) -> list[Section]:
    d, q, r, idx = report.dossiers, report.queue, report.ratings, report.index_766
    out = [
        _measures(
            "dossiers",
            t("reports.section.dossiers"),
            [
                (t("report.received_total"), d.received_total, "count"),
                (t("report.carried_over"), d.carried_over, "count"),
                (t("report.received_new"), d.received_new, "count"),
                (t("report.received_direct"), d.received_direct, "count"),
                (t("report.received_online"), d.received_online, "count"),
                (t("report.received_postal"), d.received_postal, "count"),
                (t("report.resolved_early"), d.resolved_early, "count"),
                (t("report.resolved_on_time"), d.resolved_on_time, "count"),
                (t("report.resolved_late"), d.resolved_late, "count"),
                (t("report.processing_within_time"), d.processing_within_time, "count"),
                (t("report.processing_past_due"), d.processing_past_due, "count"),
                (t("reports.awaiting_supplement"), d.awaiting_supplement, "count"),
                (t("report.supplement_requests"), d.supplement_requests, "count"),
                (t("report.refused"), d.refused, "count"),
                (t("report.returned"), d.returned, "count"),
                (t("report.extended"), d.extended, "count"),
                (t("report.online_share"), d.online_share, "share"),
                (t("report.online_payment_share"), d.online_payment_share, "share"),
                (t("report.digitised_share"), d.digitised_share, "share"),
            ],
        ),
        _measures(
            "index_766",
            t("reports.section.index_766"),
            [
                (t("report.tien_do_giai_quyet_20"), idx.tien_do_giai_quyet_20, "points"),
                (t("report.dich_vu_cong_truc_tuyen_12"), idx.dich_vu_cong_truc_tuyen_12, "points"),
                (t("report.thanh_toan_truc_tuyen_10"), idx.thanh_toan_truc_tuyen_10, "points"),
                (t("report.muc_do_hai_long_18"), idx.muc_do_hai_long_18, "points"),
                (t("report.so_hoa_ho_so_22"), idx.so_hoa_ho_so_22, "points"),
                (t("report.cong_khai_minh_bach_18"), idx.cong_khai_minh_bach_18, "points"),
            ],
        ),
        _measures(
            "queue",
            t("reports.section.queue"),
            [
                (t("reports.col.tickets"), q.tickets, "count"),
                (t("reports.col.served"), q.served, "count"),
                (t("reports.col.no_show"), q.no_show, "count"),
                (t("reports.col.no_show_rate"), q.no_show_rate, "share"),
                (t("reports.col.wait_median_min"), q.wait_median_min, "minutes"),
                (t("reports.col.wait_p90_min"), q.wait_p90_min, "minutes"),
                (t("reports.col.service_median_min"), q.service_median_min, "minutes"),
                (t("reports.col.service_p90_min"), q.service_p90_min, "minutes"),
                (t("reports.col.ratings"), r.ratings, "count"),
                (t("reports.col.very_satisfied"), r.very_satisfied, "count"),
                (t("reports.col.satisfied"), r.satisfied, "count"),
                (t("reports.col.unsatisfied"), r.unsatisfied, "count"),
                (t("reports.col.satisfied_share"), r.satisfied_share, "share"),
            ],
        ),
        _table(
            "by_field",
            [
                _col("field", "text"),
                _col("handled"),
                _col("carried_over", wide_only=True),
                _col("received", wide_only=True),
                *(_col(name) for name in AT_END_FIGURES),
                _col("supplement_requested"),
                _col("procedures"),
            ],
            [
                [
                    f.field or "—",
                    f.handled,
                    f.carried_over,
                    f.received,
                    *f.at_end,
                    f.supplement_requested,
                    f.procedures,
                ]
                for f in report.by_field
            ],
        ),
        _table(
            "by_procedure",
            [
                _col("code", "code"),
                _col("name", "text"),
                _col("field", "text", wide_only=True),
                _col("handled"),
                _col("carried_over", wide_only=True),
                _col("received", wide_only=True),
                *(_col(name) for name in AT_END_FIGURES),
                _col("supplement_requested"),
                _col("supplement_dossiers", wide_only=True),
            ],
            [
                [
                    p.code,
                    p.name,
                    p.field,
                    p.handled,
                    p.carried_over,
                    p.received,
                    *p.at_end,
                    p.supplement_requested,
                    p.supplement_dossiers,
                ]
                for p in report.by_procedure
            ],
        ),
        _table(
            "by_service",
            [
                _col("service", "text"),
                _col("tickets"),
                _col("served"),
                _col("no_show_rate", "share"),
                _col("wait_median_min", "minutes"),
                _col("wait_p90_min", "minutes"),
                _col("service_median_min", "minutes"),
                _col("service_p90_min", "minutes"),
            ],
            [
                [
                    service_name(s.name_vi, s.name_en),
                    s.tickets,
                    s.served,
                    s.no_show_rate,
                    s.wait_median_min,
                    s.wait_p90_min,
                    s.service_median_min,
                    s.service_p90_min,
                ]
                for s in q.by_service
            ],
        ),
        _table(
            "by_hour",
            [_col("hour", "code"), _col("tickets"), _col("avg_wait_min", "minutes")],
            [[f"{h.hour:02d}h", h.tickets, h.avg_wait_min] for h in q.by_hour],
        ),
        _table(
            "by_counter",
            [
                _col("counter", "code"),
                _col("served"),
                _col("utilisation", "share"),
                _col("ratings"),
                _col("satisfied_share", "share"),
            ],
            [
                [c.counter, c.served, c.utilisation, c.ratings, c.satisfied_share]
                for c in r.by_counter
            ],
        ),
        _table(
            "by_officer",
            [
                _col("officer", "code"),
                _col("served"),
                _col("avg_service_min", "minutes"),
                _col("ratings"),
                _col("satisfied_share", "share"),
            ],
            [
                [o.officer, o.served, o.avg_service_min, o.ratings, o.satisfied_share]
                for o in r.by_officer
            ],
        ),
        _table(
            "stuck_procedures",
            [
                _col("code", "code"),
                _col("name", "text"),
                _col("handled"),
                _col("supplement_requested"),
                _col("supplement_rate", "per_dossier"),
                _col("refusal_rate", "share"),
                _col("overdue_rate", "share"),
            ],
            [
                [
                    s.code,
                    s.name,
                    s.handled,
                    s.supplement_requests,
                    s.supplement_rate,
                    s.refusal_rate,
                    s.overdue_rate,
                ]
                for s in report.stuck_procedures
            ],
        ),
        _table(
            "stages",
            [
                _col("status", "text"),
                _col("dossiers"),
                _col("avg_days", "days"),
                _col("max_days", "days"),
            ],
            [[stage_name(s.status), s.dossiers, s.avg_days, s.max_days] for s in report.stages],
        ),
        _table(
            "heatmap",
            [
                _col("weekday", "code"),
                _col("hour", "code"),
                _col("tickets"),
                _col("avg_wait_min", "minutes"),
            ],
            [
                [t(f"reports.weekday_{c.weekday}"), f"{c.hour:02d}h", c.tickets, c.avg_wait_min]
                for c in q.heatmap
            ],
        ),
        *appointment_sections(report),
    ]
    return out


def appointment_items(report: Report) -> list[tuple[str, Value, Kind]]:
    """The appointment figures as (label, value, kind) lines (the dashboard's too)."""
    a = report.appointments
    sources = dict(a.by_source)
    return [
        (t("appt_figures.bookings"), a.bookings, "count"),
        (t("appt_figures.from_portal"), sources.get("portal", 0), "count"),
        (t("appt_figures.from_desk"), sources.get("desk", 0), "count"),
        (t("appt_figures.check_ins"), a.check_ins, "count"),
        (t("appt_figures.no_shows"), a.released, "count"),
        (t("appt_figures.open"), a.open, "count"),
        (t("appt_figures.show_rate"), _round(a.show_rate), "share"),
    ]


def _round(share: float | None) -> float | None:
    """A share to four places, as the other parts of the report give theirs."""
    return None if share is None else round(share, 4)


def appointment_waits(report: Report) -> Section:
    """Waits (issue → call) of booked and walk-in citizens: tickets called (only a
    called ticket has a wait, so fewer than the queue's tickets), median, p90."""
    a = report.appointments
    columns = (
        Column("kind", t("appt_figures.col_kind")),
        Column("tickets", t("dash.col_called"), "count"),
        _col("wait_median_min", "minutes"),
        _col("wait_p90_min", "minutes"),
    )
    rows = [
        (t("appt_figures.booked"), a.booked),
        (t("appt_figures.walk_in"), a.walk_in),
    ]
    return Section(
        "appointment_waits",
        t("appt_figures.waits_title"),
        columns,
        tuple(
            tuple(
                Cell(v, c.kind)
                for v, c in zip(
                    (label, w.count, w.median_minutes, w.p90_minutes), columns, strict=True
                )
            )
            for label, w in rows
        ),
    )


def appointment_sections(report: Report) -> list[Section]:
    return [
        _measures("appointments", t("appt_figures.title"), appointment_items(report)),
        appointment_waits(report),
    ]
