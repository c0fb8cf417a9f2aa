"""Appointment figures for a period: bookings, check-ins, show rate, and the waits of
booked citizens against walk-ins.

A part of every report (``desk report``'s formats, the dashboard's view 6):
:func:`appointment_figures` returns a frozen :class:`AppointmentFigures`, computed by
the database with grouped counts; waits are bucketed to the minute in SQL and their
median and 90th percentile read from the buckets by the period report's own functions
(:func:`desk.reports.period.median`, :func:`~desk.reports.period.percentile`), so
view 6 and view 2 give the same figures for the same tickets.

Definitions:
- bookings: appointments whose slot falls in the period (cancelled ones aside), by
  source (portal, desk);
- check-ins: bookings used at the kiosk (in their window, or early with an ordinary
  ticket); released: nobody came by the end of the window (or came too late);
  open: still waiting for their window;
- show rate: check-ins over the bookings whose window has closed (check-ins +
  released); None when there are none;
- waits (issue → call) of the tickets called in the period: booked (issued from a
  booking in its window) and walk-in (every other ticket).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Engine, text

from db.engine import read_session
from desk.reports.period import median, percentile


@dataclass(frozen=True)
class Waits:
    count: int
    median_minutes: float | None
    p90_minutes: float | None


@dataclass(frozen=True)
class AppointmentFigures:
    start: date
    end: date
    """Inclusive."""
    bookings: int
    by_source: tuple[tuple[str, int], ...]
    check_ins: int
    released: int
    open: int
    show_rate: float | None
    booked: Waits
    walk_in: Waits


def appointment_figures(
    engine: Engine, start: date, end: date, *, center_id: int
) -> AppointmentFigures:
    """The figures of the center's days ``start`` to ``end`` (inclusive)."""
    span = {"start": start, "end": end, "center_id": center_id}
    with read_session(engine) as session:
        statuses = dict(
            session.execute(
                text(
                    "SELECT status, COUNT(*) FROM appointment "
                    "WHERE center_id = :center_id AND day BETWEEN :start AND :end "
                    "AND status != 'cancelled' "
                    "GROUP BY status"
                ),
                span,
            ).all()
        )
        sources = session.execute(
            text(
                "SELECT source, COUNT(*) FROM appointment "
                "WHERE center_id = :center_id AND day BETWEEN :start AND :end "
                "AND status != 'cancelled' "
                "GROUP BY source ORDER BY source"
            ),
            span,
        ).all()
        rows = session.execute(
            text(
                "SELECT appointment_id IS NOT NULL AS booked, wait_seconds / 60 AS minute, "
                "COUNT(*) FROM ticket "
                "WHERE center_id = :center_id AND day BETWEEN :start AND :end "
                "AND wait_seconds IS NOT NULL "
                "GROUP BY 1, 2 ORDER BY 1, 2"
            ),
            span,
        ).all()
    buckets: dict[bool, list[tuple[int, int]]] = {True: [], False: []}
    for booked, minute, count in rows:
        buckets[bool(booked)].append((int(minute), int(count)))

    def waits(kind: bool) -> Waits:
        b = buckets[kind]
        return Waits(sum(n for _, n in b), median(b), percentile(b, 0.9))

    check_ins = int(statuses.get("checked_in", 0))
    released = int(statuses.get("released", 0))
    closed = check_ins + released
    return AppointmentFigures(
        start=start,
        end=end,
        bookings=sum(int(n) for n in statuses.values()),
        by_source=tuple((str(s), int(n)) for s, n in sources),
        check_ins=check_ins,
        released=released,
        open=int(statuses.get("booked", 0)),
        show_rate=check_ins / closed if closed else None,
        booked=waits(True),
        walk_in=waits(False),
    )
