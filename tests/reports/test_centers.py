"""A database that holds more than one center (a mirror of the province's centers, or
a center whose agency code changed): every report counts only its own center."""

from __future__ import annotations

from datetime import date, datetime

from desk import clock
from desk.center.config import Config
from desk.center.runtime import DEMO_CATALOGUE, Runtime, open_runtime
from desk.dossiers.catalogue import import_catalogue
from desk.queue.appointments import Appointments
from desk.queue.engine import Queue
from desk.reports import build_report, dossiers_of
from desk.reports.appointments import appointment_figures
from tests.reports.conftest import NOVEMBER, build_month

MONDAY = datetime(2026, 11, 23)


def other_center(config: Config, url: str) -> Runtime:
    """A second center in the same database (its own agency code, services, counters)."""
    center = config.center.model_copy(
        update={"agency_code": "000.31.27.H99", "name": "Trung tâm khác"}
    )
    return open_runtime(config.model_copy(update={"center": center}), url, new_center=True)


def bookings(runtime: Runtime) -> None:
    """Two bookings on Monday 23/11: one checked in and served, one released unused."""
    now = [MONDAY.replace(hour=7)]
    clock.set_clock(lambda: now[0])
    queue = Queue(runtime)
    book = Appointments(queue)
    came = book.book("A", MONDAY.replace(hour=8)).code
    book.book("A", MONDAY.replace(hour=8))
    now[0] = MONDAY.replace(hour=7, minute=55)
    book.check_in(came)
    now[0] = MONDAY.replace(hour=8, minute=5)
    queue.call_next(1)
    now[0] = MONDAY.replace(hour=9, minute=30)
    book.release_expired()
    clock.set_clock(lambda: datetime(2026, 12, 2, 9, 0))


def figures(runtime: Runtime) -> dict[str, object]:
    """Everything a report says of November at ``runtime``'s center."""
    report = build_report(runtime.engine, NOVEMBER, center_id=runtime.ids.center).to_dict()
    drill = dossiers_of(runtime.engine, NOVEMBER, center_id=runtime.ids.center)
    booked = appointment_figures(
        runtime.engine, date(2026, 11, 1), date(2026, 11, 30), center_id=runtime.ids.center
    )
    return {
        "report": report,
        "drill": sorted(d.code[-11:] for d in drill),  # the code without the agency
        "appointments": booked,
    }


def two_centers(first: Runtime, config: Config, url: str) -> tuple[dict[str, object], Runtime]:
    """The figures of ``first``'s month alone, then a second center with the same month
    in the same database."""
    bookings(first)
    alone = figures(first)
    second = other_center(config, url)
    build_month(second)
    bookings(second)
    return alone, second


def test_each_center_counts_only_its_own_rows(month: Runtime, config: Config, db_url: str) -> None:
    alone, second = two_centers(month, config, db_url)
    assert figures(month) == alone  # nothing of the second center's month in the first's
    assert figures(second) == alone  # the same month, counted once, at the second
    report = alone["report"]
    assert isinstance(report, dict)
    assert report["queue"]["tickets"] == 5 and report["dossiers"]["received_new"] == 7
    assert len(report["by_counter"]) == 7  # this center's counters, not fourteen


def test_each_center_counts_only_its_own_rows_on_postgresql(config: Config, pg_url: str) -> None:
    from tests.reports.conftest import RT

    first = open_runtime(config, pg_url)
    import_catalogue(first.engine, DEMO_CATALOGUE)
    RT[:] = [first]
    build_month(first)
    alone, second = two_centers(first, config, pg_url)
    assert figures(first) == alone
    assert figures(second) == alone
