"""The period's queue: tickets by service and hour, waiting (issue → call) and
service (start → finish) times, no-shows.

Times are bucketed to the minute by the database (the integer ``wait_seconds`` and
``service_seconds`` columns kept at call and finish; see ``db.models.Ticket``);
medians are true medians (an even count gives the mean of the two middle values),
the 90th percentile is the nearest rank.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy import Connection

from desk.center.config import HoursConfig
from desk.reports.period import Scope, median, percentile, ratio

IN_PERIOD = "day >= :first_day AND day <= :last_day"


@dataclass(frozen=True)
class ServiceFigures:
    prefix: str
    name_vi: str
    name_en: str
    tickets: int
    served: int
    no_show: int
    no_show_rate: float | None
    wait_median_min: float | None
    wait_p90_min: float | None
    service_median_min: float | None
    service_p90_min: float | None


@dataclass(frozen=True)
class HourFigures:
    hour: int
    tickets: int
    avg_wait_min: float | None


@dataclass(frozen=True)
class HeatCell:
    weekday: int
    """0 Sunday … 6 Saturday."""
    hour: int
    tickets: int
    avg_wait_min: float | None


@dataclass(frozen=True)
class QueueFigures:
    tickets: int
    served: int
    no_show: int
    no_show_rate: float | None
    wait_median_min: float | None
    wait_p90_min: float | None
    service_median_min: float | None
    service_p90_min: float | None
    by_service: tuple[ServiceFigures, ...]
    by_hour: tuple[HourFigures, ...]
    heatmap: tuple[HeatCell, ...]


def _add(histogram: dict[int, int], minute: int, n: int) -> None:
    histogram[minute] = histogram.get(minute, 0) + n


def queue_figures(conn: Connection, scope: Scope) -> QueueFigures:
    services = {
        sid: (str(prefix), str(vi), str(en))
        for sid, prefix, vi, en in scope.rows(
            conn, "SELECT id, prefix, name_vi, name_en FROM service"
        )
    }
    counts: dict[int, list[int]] = {}  # service: tickets, served, no-show
    waits: dict[int, dict[int, int]] = {}
    serves: dict[int, dict[int, int]] = {}
    all_waits: dict[int, int] = {}
    all_serves: dict[int, int] = {}
    for sid, status, wait, n in scope.rows(
        conn,
        f"""
        SELECT service_id, status, wait_seconds / 60, COUNT(*)
        FROM ticket WHERE {IN_PERIOD}{scope.mine()}
        GROUP BY service_id, status, wait_seconds / 60
        """,
    ):
        n = int(n)
        acc = counts.setdefault(sid, [0, 0, 0])
        acc[0] += n
        acc[1] += n if status == "done" else 0
        acc[2] += n if status == "no_show" else 0
        if wait is not None and int(wait) >= 0:
            _add(waits.setdefault(sid, {}), int(wait), n)
            _add(all_waits, int(wait), n)
    for sid, minutes, n in scope.rows(
        conn,
        f"""
        SELECT service_id, service_seconds / 60, COUNT(*)
        FROM ticket WHERE {IN_PERIOD}{scope.mine()} AND status = 'done' AND service_seconds IS NOT NULL
        GROUP BY service_id, service_seconds / 60
        """,
    ):
        _add(serves.setdefault(sid, {}), int(minutes), int(n))
        _add(all_serves, int(minutes), int(n))

    by_service = []
    for sid, (tickets, served, no_show) in counts.items():
        prefix, vi, en = services.get(sid, ("?", "?", "?"))
        w = sorted(waits.get(sid, {}).items())
        s = sorted(serves.get(sid, {}).items())
        by_service.append(
            ServiceFigures(
                prefix=prefix,
                name_vi=vi,
                name_en=en,
                tickets=tickets,
                served=served,
                no_show=no_show,
                no_show_rate=ratio(no_show, tickets),
                wait_median_min=median(w),
                wait_p90_min=percentile(w, 0.9),
                service_median_min=median(s),
                service_p90_min=percentile(s, 0.9),
            )
        )
    by_service.sort(key=lambda e: e.prefix)

    heatmap = []
    hours: dict[int, list[float]] = {}  # tickets, wait sum, tickets with a wait
    for wd, h, n, avg in scope.rows(
        conn,
        f"""
        SELECT issue_weekday, issue_hour, COUNT(*), AVG(wait_seconds) / 60.0
        FROM ticket WHERE {IN_PERIOD}{scope.mine()}
        GROUP BY issue_weekday, issue_hour ORDER BY issue_weekday, issue_hour
        """,
    ):
        if wd is None or h is None:
            continue
        heatmap.append(
            HeatCell(
                weekday=int(wd),
                hour=int(h),
                tickets=int(n),
                avg_wait_min=round(float(avg), 1) if avg is not None else None,
            )
        )
        acc2 = hours.setdefault(int(h), [0.0, 0.0, 0.0])
        acc2[0] += int(n)
        if avg is not None:
            acc2[1] += float(avg) * int(n)
            acc2[2] += int(n)
    tickets = sum(c[0] for c in counts.values())
    no_show = sum(c[2] for c in counts.values())
    aw, asv = sorted(all_waits.items()), sorted(all_serves.items())
    return QueueFigures(
        tickets=tickets,
        served=sum(c[1] for c in counts.values()),
        no_show=no_show,
        no_show_rate=ratio(no_show, tickets),
        wait_median_min=median(aw),
        wait_p90_min=percentile(aw, 0.9),
        service_median_min=median(asv),
        service_p90_min=percentile(asv, 0.9),
        by_service=tuple(by_service),
        by_hour=tuple(
            HourFigures(
                hour=h,
                tickets=int(v[0]),
                avg_wait_min=round(v[1] / v[2], 1) if v[2] else None,
            )
            for h, v in sorted(hours.items())
        ),
        heatmap=tuple(heatmap),
    )


@dataclass(frozen=True)
class HourColumn:
    """One column of the tickets-by-hour chart: one hour, or every hour before or
    after the hours shown (``first``–``last``, inclusive)."""

    kind: Literal["hour", "before", "after"]
    first: int
    last: int
    tickets: int


def opening_hours(hours: HoursConfig) -> tuple[int, int]:
    """The first and the last hour (inclusive) the center is open: 07:00–17:00 is
    7 to 16."""
    end = datetime.combine(date.min, hours.afternoon[1]) - timedelta(minutes=1)
    return hours.morning[0].hour, max(hours.morning[0].hour, end.hour)


def hour_columns(
    by_hour: Sequence[HourFigures], opening: tuple[int, int], limit: int
) -> tuple[HourColumn, ...]:
    """The chart's columns, every ticket in one of them: the opening hours, widened
    an hour at a time towards the hours that had tickets (earlier and later in
    turn) while ``limit`` columns allow; the tickets of hours still left out are
    counted in a "before" and an "after" column. So the columns always add up to
    the period's tickets (a kiosk issues tickets before the doors open)."""
    counts: dict[int, int] = {}
    for h in by_hour:
        counts[h.hour] = counts.get(h.hour, 0) + h.tickets
    busy = [h for h, n in counts.items() if n]
    low, high = min([opening[0], *busy]), max([opening[1], *busy])

    def width(a: int, b: int) -> int:
        return b - a + 1 + (low < a) + (high > b)

    a, b = opening
    while b > a and width(a, b) > limit:  # opening hours wider than the chart
        b -= 1
    grew = True
    while grew:
        grew = False
        if a > low and width(a - 1, b) <= limit:
            a, grew = a - 1, True
        if b < high and width(a, b + 1) <= limit:
            b, grew = b + 1, True
    columns = []
    if low < a:
        before = sum(n for h, n in counts.items() if h < a)
        columns.append(HourColumn("before", low, a - 1, before))
    columns.extend(HourColumn("hour", h, h, counts.get(h, 0)) for h in range(a, b + 1))
    if high > b:
        after = sum(n for h, n in counts.items() if h > b)
        columns.append(HourColumn("after", b + 1, high, after))
    return tuple(columns)
