"""Appointment figures: bookings, check-ins, show rate, booked and walk-in waits."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest

from desk import clock
from desk.center.runtime import Runtime
from desk.queue.appointments import Appointments
from desk.queue.engine import Queue
from desk.reports.appointments import Waits, appointment_figures

MONDAY = datetime(2026, 11, 23)


def test_bookings_check_ins_show_rate_and_waits(runtime: Runtime) -> None:
    now = [MONDAY.replace(hour=7)]
    clock.set_clock(lambda: now[0])
    queue = Queue(runtime)
    bookings = Appointments(queue)
    codes = [bookings.book("A", MONDAY.replace(hour=8)).code for _ in range(2)]
    codes += [bookings.book("A", MONDAY.replace(hour=9)).code]
    later = bookings.book("A", MONDAY.replace(hour=15)).code  # still open at the end
    bookings.book("B", MONDAY.replace(hour=8) + timedelta(days=2))  # outside the period

    now[0] = MONDAY.replace(hour=7, minute=50)
    for _ in range(3):
        queue.issue("A")  # walk-ins A001-A003
    now[0] = MONDAY.replace(hour=7, minute=55)
    bookings.check_in(codes[0])  # A004, booked
    now[0] = MONDAY.replace(hour=8, minute=5)
    for minutes in (0, 10, 10, 10):  # calls at 8:05 (booked first), then the walk-ins
        now[0] += timedelta(minutes=minutes)
        queue.call_next(1)
        queue.start(1)
        queue.finish(1)
    now[0] = MONDAY.replace(hour=9, minute=30)
    assert bookings.release_expired() == 2  # 8:00 (nobody came) and 9:00

    figures = appointment_figures(
        runtime.engine, MONDAY.date(), MONDAY.date(), center_id=runtime.ids.center
    )
    assert (figures.bookings, figures.check_ins, figures.released, figures.open) == (4, 1, 2, 1)
    assert figures.by_source == (("desk", 4),)
    assert figures.show_rate == pytest.approx(1 / 3)
    assert figures.booked == Waits(count=1, median_minutes=10.0, p90_minutes=10.0)
    # walk-ins waited 25, 35 and 45 minutes
    assert figures.walk_in == Waits(count=3, median_minutes=35.0, p90_minutes=45.0)
    assert later  # its window is still ahead
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures.bookings = 0  # type: ignore[misc]

    empty = appointment_figures(
        runtime.engine, date(2026, 1, 1), date(2026, 1, 31), center_id=runtime.ids.center
    )
    assert empty.bookings == 0 and empty.show_rate is None
    assert empty.booked == Waits(0, None, None)


def test_walk_in_waits_have_the_queue_views_median(runtime: Runtime) -> None:
    """Two walk-ins waited 2 and 5 minutes: view 2 gave a median of 3.5 and view 6 of 2
    for the same tickets (view 6 took the lower middle one)."""
    from desk.reports import Period, build_report

    now = [MONDAY.replace(hour=8)]
    clock.set_clock(lambda: now[0])
    queue = Queue(runtime)
    queue.issue("A")
    queue.issue("A")
    for wait in (2, 5):
        now[0] = MONDAY.replace(hour=8, minute=wait)
        queue.call_next(1)
        queue.start(1)
        queue.finish(1)
    day = MONDAY.date()
    figures = appointment_figures(runtime.engine, day, day, center_id=runtime.ids.center)
    report = build_report(runtime.engine, Period.days(day, day), center_id=runtime.ids.center)
    assert report.queue.wait_median_min == 3.5
    assert figures.walk_in == Waits(count=2, median_minutes=3.5, p90_minutes=5.0)
