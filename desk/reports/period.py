"""What every report part shares: the period, the SQL that runs on both databases,
shares and percentiles.

A part receives a :class:`Scope` (the period, the dialect, the timeliness rule)
and a connection, runs its aggregate SQL through :meth:`Scope.rows` and returns a
frozen dataclass. Parts never write.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Literal

from sqlalchemy import Connection, text

from desk.center.config import HoursConfig
from desk.i18n import day_text

Timeliness = Literal["day", "appointment"]
"""How a resolved dossier is judged early / on time / late (see ``desk.reports``)."""
TIMELINESS: tuple[Timeliness, ...] = ("day", "appointment")

STAGE_SAMPLE = 20_000
"""Stage durations are measured on the period's latest dossiers, at most this many."""

Sessions = tuple[tuple[time, time], ...]


def sessions_of(hours: HoursConfig) -> Sessions:
    """A working day's opening sessions (morning, afternoon)."""
    return (hours.morning, hours.afternoon)


DEFAULT_SESSIONS = sessions_of(HoursConfig())
"""The opening hours of the configuration's defaults."""


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    """Exclusive."""

    @classmethod
    def days(cls, first: date, last: date) -> Period:
        return cls(
            datetime.combine(first, time()), datetime.combine(last + timedelta(days=1), time())
        )

    @property
    def first_day(self) -> date:
        return self.start.date()

    @property
    def last_day(self) -> date:
        return (self.end - timedelta(days=1)).date()

    @property
    def label(self) -> str:
        """``01/11/2026 – 30/11/2026``; a single day once: ``20/11/2026`` (as every
        other date a person reads; the machine-read files keep ISO dates)."""
        if self.first_day == self.last_day:
            return day_text(self.first_day)
        return f"{day_text(self.first_day)} – {day_text(self.last_day)}"


@dataclass(frozen=True)
class Scope:
    """One report's question: the period, how to write SQL for the database, the rule."""

    period: Period
    postgres: bool = False
    timeliness: Timeliness = "day"
    sessions: Sessions = DEFAULT_SESSIONS
    """The opening hours of a working day, for utilisation."""
    now: datetime | None = None
    """When the report is made: a stage still open counts up to now, not up to the
    end of a period that has not ended yet (None: the period's end)."""
    center_id: int | None = None
    """The center reported on, when the database holds other centers' rows too (a
    mirror of the province's centers, a center whose agency code changed): every
    query keeps to its rows. None when the database holds this center alone: then
    every row is its own and the queries need no filter (the covering report
    indexes, which do not carry the center, serve them whole)."""

    @property
    def hours_per_day(self) -> float:
        return session_hours(self.sessions)

    def open_minutes(self, days: int, last_day: date | str | None) -> float:
        """Opening minutes of ``days`` days the queue ran, the last ``last_day``: a
        day under way (the period not over) counts its opening minutes up to now, so
        a counter that served all morning is not read as idle half the day."""
        full = days * self.hours_per_day * 60
        until = self.until
        if not days or last_day is None or until >= self.period.end:
            return full
        if str(last_day)[:10] != until.date().isoformat():
            return full
        now = until.time()
        elapsed = sum(
            max(0.0, _minutes_between(start, min(end, now)))
            for start, end in self.sessions
            if now > start
        )
        return full - self.hours_per_day * 60 + elapsed

    @property
    def until(self) -> datetime:
        """The period's end, or now when the period is not over."""
        end = self.period.end
        return end if self.now is None else max(self.period.start, min(end, self.now))

    @property
    def params(self) -> dict[str, Any]:
        return {
            "start": self.period.start,
            "end": self.period.end,
            "until": self.until,
            "first_day": self.period.first_day,
            "last_day": self.period.last_day,
            "stage_sample": STAGE_SAMPLE,
            "center_id": self.center_id,
        }

    def mine(self, alias: str = "") -> str:
        """Condition (`` AND …``) keeping a query to the reported center's rows of a
        table with a ``center_id``; empty when the database holds no other center."""
        if self.center_id is None:
            return ""
        return f" AND {alias + '.' if alias else ''}center_id = :center_id"

    def mine_by(self, column: str, table: str) -> str:
        """Condition (`` AND …``) keeping a query to the rows whose ``column`` points
        at a row of ``table`` (``dossier``, ``ticket``) of the reported center."""
        if self.center_id is None:
            return ""
        return f" AND {column} IN (SELECT id FROM {table} WHERE center_id = :center_id)"

    def rows(self, conn: Connection, sql: str) -> list[Sequence[Any]]:
        return [tuple(row) for row in conn.execute(text(sql), self.params).all()]

    # --- SQL fragments valid on SQLite and PostgreSQL -------------------------------

    def minutes(self, start: str, end: str) -> str:
        if self.postgres:
            return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0)"
        return f"((julianday({end}) - julianday({start})) * 1440.0)"

    def day(self, column: str) -> str:
        # SQLite keeps datetimes as ISO text: the date is its first ten characters
        return f"CAST({column} AS DATE)" if self.postgres else f"substr({column}, 1, 10)"

    def minute(self, column: str) -> str:
        """The timestamp cut to the minute (comparable on both databases)."""
        if self.postgres:
            return f"date_trunc('minute', {column})"
        return f"substr({column}, 1, 16)"

    def resolved(self, outcome: Literal["early", "on_time", "late"]) -> str:
        """Condition: a resolved dossier (``resolved_at``, ``due_at``) was early, on time
        or late by the scope's rule. A dossier without a due date is on time."""
        if self.timeliness == "appointment":
            res, due = self.minute("resolved_at"), self.minute("due_at")
            return {
                "early": f"(due_at IS NOT NULL AND {res} < {due})",
                "on_time": f"(due_at IS NULL OR {res} = {due})",
                "late": f"({res} > {due})",
            }[outcome]
        res_day, due_day = self.day("resolved_at"), self.day("due_at")
        # a time limit shorter than a working day (same-day procedures) is used up at
        # the due time, not at the end of the due day
        short = "COALESCE(local_days, legal_days, 1) < 1"
        return {
            "early": (
                f"(due_at IS NOT NULL AND ({res_day} < {due_day} "
                f"OR ({short} AND {res_day} = {due_day} AND resolved_at < due_at)))"
            ),
            "on_time": (
                f"(due_at IS NULL OR ({res_day} = {due_day} "
                f"AND NOT ({short} AND resolved_at < due_at)))"
            ),
            "late": f"({res_day} > {due_day})",
        }[outcome]

    def outcome(self) -> str:
        """``'early'``, ``'on_time'`` or ``'late'`` for a dossier resolved in the period,
        else NULL: one expression per row, evaluated once."""
        return (
            "CASE WHEN resolved_at >= :start AND resolved_at < :end THEN "
            f"CASE WHEN {self.resolved('early')} THEN 'early' "
            f"WHEN {self.resolved('late')} THEN 'late' ELSE 'on_time' END END"
        )


def other_centers(conn: Connection, center_id: int) -> bool:
    """Whether the database holds a center other than ``center_id`` (whose rows a
    report must then leave out)."""
    found = conn.execute(
        text("SELECT 1 FROM center WHERE id <> :center_id LIMIT 1"), {"center_id": center_id}
    ).first()
    return found is not None


def _minutes_between(start: time, end: time) -> float:
    return (
        datetime.combine(date.min, end) - datetime.combine(date.min, start)
    ).total_seconds() / 60


def session_hours(sessions: Sessions) -> float:
    """Opening hours of a working day of these sessions."""
    return sum(_minutes_between(start, end) for start, end in sessions) / 60


def day_hours(hours: HoursConfig) -> float:
    """Opening hours of a working day (morning and afternoon sessions), for utilisation."""
    return session_hours(sessions_of(hours))


def share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def ratio(part: float, whole: float) -> float | None:
    """``part / whole`` to four places; ``None`` when there is nothing to divide."""
    return round(part / whole, 4) if whole else None


def percentile(buckets: Sequence[tuple[int, int]], q: float) -> float | None:
    """The nearest-rank ``q`` percentile of (value, count) buckets sorted by value."""
    total = sum(c for _v, c in buckets)
    if not total:
        return None
    rank = q * total
    seen = 0
    for value, count in buckets:
        seen += count
        if seen >= rank:
            return float(value)
    return float(buckets[-1][0])


def median(buckets: Sequence[tuple[int, int]]) -> float | None:
    """The median of (value, count) buckets sorted by value: with an even count, the
    mean of the two middle values."""
    total = sum(c for _v, c in buckets)
    if not total:
        return None
    low_rank, high_rank = (total + 1) // 2, total // 2 + 1
    low = high = None
    seen = 0
    for value, count in buckets:
        seen += count
        if low is None and seen >= low_rank:
            low = value
        if seen >= high_rank:
            high = value
            break
    assert low is not None and high is not None
    return (low + high) / 2
