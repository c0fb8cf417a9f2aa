"""The kiosk's opening hours (desk.queue.opening): sessions, the early margin, days
off, Saturday mornings and make-up working days."""

from __future__ import annotations

from datetime import date, datetime, time

from desk.center.config import HoursConfig
from desk.dossiers.due_dates import WorkCalendar
from desk.queue.opening import kiosk_closed


def calendar(**hours: object) -> WorkCalendar:
    return WorkCalendar(
        hours=HoursConfig.model_validate(hours),
        holidays={date(2026, 9, 2)},
        workdays={date(2026, 9, 5)},  # a Saturday worked in exchange
        loaded_years={2026},
    )


def test_sessions_and_the_early_margin() -> None:
    cal = calendar()
    monday = date(2026, 11, 23)
    assert kiosk_closed(cal, cal.hours, datetime(2026, 11, 23, 6, 30)) is None
    early = kiosk_closed(cal, cal.hours, datetime(2026, 11, 23, 6, 29))
    assert early is not None and early.next_open == datetime(2026, 11, 23, 7, 0)
    assert early.today == ((time(7, 0), time(11, 30)), (time(13, 30), time(17, 0)))
    assert kiosk_closed(cal, cal.hours, datetime(2026, 11, 23, 11, 29)) is None
    lunch = kiosk_closed(cal, cal.hours, datetime(2026, 11, 23, 11, 30))
    assert lunch is not None and lunch.next_open == datetime.combine(monday, time(13, 30))
    assert kiosk_closed(cal, cal.hours, datetime(2026, 11, 23, 13, 0)) is None
    assert kiosk_closed(cal, cal.hours, datetime(2026, 11, 23, 17, 0)) is not None
    strict = calendar(kiosk_early_minutes=0)
    assert kiosk_closed(strict, strict.hours, datetime(2026, 11, 23, 6, 59)) is not None


def test_days_off_saturdays_and_make_up_days() -> None:
    cal = calendar()
    holiday = kiosk_closed(cal, cal.hours, datetime(2026, 9, 2, 9, 0))
    assert holiday is not None and holiday.today == ()
    assert holiday.next_open == datetime(2026, 9, 3, 7, 0)
    assert kiosk_closed(cal, cal.hours, datetime(2026, 9, 5, 9, 0)) is None  # make-up day
    saturday = kiosk_closed(cal, cal.hours, datetime(2026, 11, 28, 9, 0))
    assert saturday is not None and saturday.next_open == datetime(2026, 11, 30, 7, 0)
    opens = calendar(saturday_morning=True)
    assert kiosk_closed(opens, opens.hours, datetime(2026, 11, 28, 9, 0)) is None
    afternoon = kiosk_closed(opens, opens.hours, datetime(2026, 11, 28, 14, 0))
    assert afternoon is not None and afternoon.today == ((time(7, 0), time(11, 30)),)
    anytime = calendar(kiosk_any_time=True)
    assert kiosk_closed(anytime, anytime.hours, datetime(2026, 11, 29, 3, 0)) is None
