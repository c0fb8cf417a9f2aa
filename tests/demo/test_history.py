"""``desk demo --generate``: the synthetic year follows the rules the desk follows
(issue 16): opening hours, the holiday calendar with official day swaps, the 15:00
cut-off for due dates, and demo officers behind every served ticket and dossier."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import text

from db.engine import read_session
from desk.center.runtime import DEMO_CATALOGUE, Runtime
from desk.demo.history import generate
from desk.dossiers.catalogue import import_catalogue

TODAY = date(2026, 3, 2)  # the year before it holds New Year 2026 and Tết Bính Ngọ
NOON = time(11, 30)


@pytest.fixture
def history(runtime: Runtime) -> Runtime:
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    config = runtime.config.model_copy(
        update={"hours": runtime.config.hours.model_copy(update={"saturday_morning": True})}
    )
    counts = generate(
        runtime.engine,
        config,
        runtime.ids.center,
        runtime.ids.services,
        runtime.ids.counters,
        600,
        today=TODAY,
    )
    assert counts["dossiers"] == 600 and counts["tickets"] == 1800
    return runtime


def _rows(rt: Runtime, sql: str) -> list[tuple[object, ...]]:
    with read_session(rt.engine) as session:
        return [tuple(r) for r in session.connection().execute(text(sql)).all()]


def _dt(value: object) -> datetime:
    return value if isinstance(value, datetime) else datetime.fromisoformat(str(value))


def test_tickets_only_when_the_center_is_open(history: Runtime) -> None:
    issued = [_dt(v) for (v,) in _rows(history, "SELECT issued_at FROM ticket")]
    days = {d.date() for d in issued}
    closed = {
        date(2026, 1, 1),
        date(2026, 1, 2),  # official swap (VPCP 12729/VPCP-KGVX)
        *(date(2026, 2, d) for d in range(16, 21)),  # Tết
        date(2025, 9, 1),
        date(2025, 9, 2),
    }
    assert not days & closed
    assert not any(d.weekday() == 6 for d in days)  # never on a Sunday
    assert date(2026, 1, 10) in days  # the make-up Saturday is a full working day
    assert any(d.hour >= 13 for d in issued if d.date() == date(2026, 1, 10))
    saturdays = [d for d in issued if d.weekday() == 5 and d.date() != date(2026, 1, 10)]
    assert saturdays and all(d.time() < NOON for d in saturdays)  # saturday_morning only
    for moment in issued:
        t = moment.time()
        assert time(7, 0) <= t < NOON or time(13, 30) <= t < time(17, 0), moment


def test_due_dates_follow_the_calendar_and_the_cut_off(history: Runtime) -> None:
    rows = _rows(
        history,
        "SELECT d.received_at, d.due_at, d.legal_days, "
        "(SELECT COUNT(*) FROM dossier_status s WHERE s.dossier_id = d.id "
        " AND s.to_status = 'supplement_requested') FROM dossier d",
    )
    working_off = {date(2026, 1, 1), date(2026, 1, 2), *(date(2026, 2, d) for d in range(16, 21))}
    checked = 0
    for received, due, legal, supplements in rows:
        received, due = _dt(received), _dt(due)
        assert due.date() not in working_off, (received, due)
        assert due.weekday() < 5 or due.date() == date(2026, 1, 10), (received, due)
        assert time(7, 0) <= due.time() <= NOON or time(13, 30) <= due.time() <= time(17, 0)
        if legal == 0 and not supplements:
            # same day before 15:00 on a working day; else the next working day's closing
            day = received.date()
            if received.time() >= time(15, 0) or day.weekday() == 5:
                day += timedelta(days=1)
                while day.weekday() >= 5 or day in working_off:
                    if day == date(2026, 1, 10):
                        break
                    day += timedelta(days=1)
            assert due == datetime.combine(day, time(17, 0)), (received, due)
            checked += 1
    assert checked > 50


def test_served_tickets_and_dossiers_have_their_counters_demo_officer(history: Runtime) -> None:
    officer_of = {
        ctr: name
        for ctr, name in _rows(
            history,
            "SELECT c.id, o.username FROM counter c JOIN officer o "
            "ON o.username = 'demo_quay' || c.number",
        )
    }
    assert len(officer_of) == len(history.config.counters)
    served = _rows(
        history,
        "SELECT t.counter_id, o.username FROM ticket t LEFT JOIN officer o ON o.id = t.officer_id "
        "WHERE t.status = 'done'",
    )
    assert served and all(name == officer_of[ctr] for ctr, name in served)
    dossiers = _rows(
        history,
        "SELECT d.counter_id, o.username FROM dossier d LEFT JOIN officer o ON o.id = d.officer_id",
    )
    assert len(dossiers) == 600 and all(name == officer_of[ctr] for ctr, name in dossiers)
    rated = _rows(history, "SELECT COUNT(*) FROM rating WHERE officer_id IS NULL")
    assert rated == [(0,)]
