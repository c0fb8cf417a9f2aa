"""Appointments: capacity per slot, the check-in window, one use, release, and the
booked ticket going before walk-ins."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from sqlmodel import select

from db.engine import read_session
from db.models import Appointment, Outbox, Ticket
from desk import clock
from desk.center.config import Config
from desk.center.runtime import open_runtime
from desk.queue.appointments import Appointments, BookingRefused, SlotFull, slot_starts
from desk.queue.engine import Queue
from desk.queue.views import QueueError
from desk.reports.appointments import appointment_figures

MONDAY = datetime(2026, 11, 23)


class Clock:
    def __init__(self, start: datetime) -> None:
        self.at = start

    def __call__(self) -> datetime:
        return self.at


@pytest.fixture
def now() -> Clock:
    c = Clock(MONDAY.replace(hour=7, minute=0))
    clock.set_clock(c)
    return c


@pytest.fixture
def booking(config: Config, db_url: str, now: Clock) -> Appointments:
    appt = config.appointments.model_copy(
        update={"capacity": 2, "capacity_by_service": {"B": 1}, "early_minutes": 15}
    )
    return Appointments(
        Queue(open_runtime(config.model_copy(update={"appointments": appt}), db_url))
    )


def status_of(booking: Appointments, code: str) -> str:
    with read_session(booking.queue.engine) as session:
        row = session.exec(select(Appointment).where(Appointment.code == code)).one()
        return row.status


def test_slots_follow_the_working_hours(config: Config) -> None:
    slots = slot_starts(config, MONDAY.date())
    assert slots[0] == MONDAY.replace(hour=7) and slots[-1] == MONDAY.replace(hour=16, minute=30)
    assert MONDAY.replace(hour=11) in slots and MONDAY.replace(hour=11, minute=30) not in slots
    assert slot_starts(config, (MONDAY + timedelta(days=6)).date()) == []  # Sunday


def test_a_holiday_of_the_centers_calendar_has_no_slot(booking: Appointments) -> None:
    """The calendar's days off as the kiosk's: a holiday on a Tuesday (24/11/2026, in
    the holidays package) has no slot, and booking it names the day, not a slot."""
    holiday = (MONDAY + timedelta(days=1)).date()
    assert holiday in booking.calendar.holidays
    assert slot_starts(booking.config, holiday, booking.calendar) == []
    with pytest.raises(BookingRefused) as refused:
        booking.book("A", datetime.combine(holiday, time(9)))
    assert refused.value.field == "day"
    assert str(refused.value) == (
        "Ô Ngày: 24/11/2026 trung tâm nghỉ, không nhận lịch hẹn; chọn một ngày làm việc."
    )


def test_a_full_slot_refuses_and_names_the_next_free_one(booking: Appointments) -> None:
    nine = MONDAY.replace(hour=9)
    first = booking.book("B", nine, "Nguyễn Văn A")
    assert first.status == "booked" and len(first.code) == 6 and first.code.isdigit()
    booking.book("B", nine + timedelta(minutes=30))  # 09:30 full too
    with pytest.raises(SlotFull) as full:
        booking.book("B", nine)
    assert full.value.next_free == MONDAY.replace(hour=10)
    assert "10:00 23/11/2026" in str(full.value)
    # another service has its own capacity (2)
    booking.book("A", nine)
    booking.book("A", nine)
    with pytest.raises(SlotFull):
        booking.book("A", nine)


def test_a_booking_must_start_a_slot_that_is_still_open(booking: Appointments, now: Clock) -> None:
    with pytest.raises(QueueError, match="khung hẹn"):
        booking.book("A", MONDAY.replace(hour=9, minute=10))
    now.at = MONDAY.replace(hour=9, minute=20)
    with pytest.raises(QueueError, match="đã qua"):
        booking.book("A", MONDAY.replace(hour=9))


@pytest.mark.parametrize(
    ("at", "booked", "note"),
    [
        ((8, 44, 59), False, "sớm"),
        ((8, 45, 0), True, ""),
        ((9, 14, 59), True, ""),
        ((9, 15, 0), False, "quá 15 phút"),
    ],
)
def test_the_check_in_window_edges(
    booking: Appointments, now: Clock, at: tuple[int, int, int], booked: bool, note: str
) -> None:
    code = booking.book("A", MONDAY.replace(hour=9)).code
    h, m, s = at
    now.at = MONDAY.replace(hour=h, minute=m, second=s)
    checked = booking.check_in(code)
    assert checked.booked is booked
    assert (note in checked.note) if note else checked.note == ""
    with read_session(booking.queue.engine) as session:
        ticket = session.get(Ticket, checked.issued.ticket.id)
        assert ticket is not None and (ticket.appointment_id is not None) is booked
    # early counts as used (with its ordinary ticket); late stays released
    assert status_of(booking, code) == ("released" if note.startswith("quá") else "checked_in")


def test_a_booking_is_used_once(booking: Appointments, now: Clock) -> None:
    code = booking.book("A", MONDAY.replace(hour=9)).code
    now.at = MONDAY.replace(hour=8, minute=50)
    number = booking.check_in(code).issued.ticket.number
    with pytest.raises(QueueError) as used:
        booking.check_in(code)
    assert number in str(used.value) and "một lần" in str(used.value)
    with pytest.raises(QueueError, match="Không tìm thấy"):
        booking.check_in("999999" if code != "999999" else "999998")


def test_a_booking_is_released_at_the_end_of_its_window_and_counts_as_a_no_show(
    booking: Appointments, now: Clock
) -> None:
    nine = booking.book("A", MONDAY.replace(hour=9)).code  # window 8:45 to 9:15
    booking.book("A", MONDAY.replace(hour=9))
    ten = booking.book("A", MONDAY.replace(hour=10)).code
    now.at = MONDAY.replace(hour=8, minute=50)
    booking.check_in(nine)  # one of the two 9:00 bookings came
    day = MONDAY.date()
    now.at = MONDAY.replace(hour=9, minute=14, second=59)  # one second before the end
    assert booking.release_due() == 0
    figures = appointment_figures(booking.queue.engine, day, day, center_id=booking.queue.center_id)
    assert (figures.check_ins, figures.released, figures.open) == (1, 0, 2)
    now.at = MONDAY.replace(hour=9, minute=15, second=1)  # one second after
    assert booking.release_due() == 1
    assert status_of(booking, ten) == "booked"
    figures = appointment_figures(booking.queue.engine, day, day, center_id=booking.queue.center_id)
    assert (figures.check_ins, figures.released, figures.open) == (1, 1, 1)
    assert figures.show_rate == 0.5
    assert booking.release_due() == 0  # once


def test_unused_bookings_are_released_when_their_window_closes(
    booking: Appointments, now: Clock
) -> None:
    nine = booking.book("A", MONDAY.replace(hour=9)).code
    ten = booking.book("A", MONDAY.replace(hour=10)).code
    now.at = MONDAY.replace(hour=9, minute=14)
    assert booking.release_expired() == 0
    now.at = MONDAY.replace(hour=9, minute=15)
    assert booking.release_expired() == 1
    assert (status_of(booking, nine), status_of(booking, ten)) == ("released", "booked")
    # released: the citizen still gets an ordinary ticket, with a kind word
    late = booking.check_in(nine)
    assert not late.booked and late.issued.ticket.number == "A001" and late.note
    with read_session(booking.queue.engine) as session:
        entities = {o.entity for o in session.exec(select(Outbox))}
    assert "appointment" in entities  # bookings and their changes go upstream


def test_a_checked_in_booking_is_called_before_walk_ins(booking: Appointments, now: Clock) -> None:
    queue = booking.queue
    code = booking.book("A", MONDAY.replace(hour=9)).code
    now.at = MONDAY.replace(hour=8, minute=30)
    queue.issue("A")  # A001 walk-in
    queue.issue("A", "elderly")  # A002 priority walk-in
    now.at = MONDAY.replace(hour=8, minute=50)
    booked = booking.check_in(code).issued.ticket.number  # A003
    assert queue.call_next(1).number == booked  # type: ignore[union-attr]
    # on the priority counter, priority tickets stay first
    code2 = booking.book("A", MONDAY.replace(hour=9)).code
    booked2 = booking.check_in(code2).issued.ticket.number
    assert queue.call_next(7).number == "A002"  # type: ignore[union-attr]
    queue.start(7)
    queue.finish(7)
    assert queue.call_next(7).number == booked2  # type: ignore[union-attr]
