"""An unused booking is released at the end of its check-in window by the open
counter screens' poll, with nobody looking at the bookings."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import select

from db.engine import read_session
from db.models import Appointment
from desk import clock
from desk.center.runtime import Runtime
from desk.queue.appointments import Appointments
from screens.app import DeskApp
from screens.counter import CounterScreen
from tests.conftest import signed_in
from tests.screens.test_counter import until

MONDAY = datetime(2026, 11, 23)


def status_of(runtime: Runtime, code: str) -> str:
    with read_session(runtime.engine) as session:
        return session.exec(select(Appointment).where(Appointment.code == code)).one().status


async def test_an_open_counter_releases_a_booking_when_its_window_closes(
    runtime: Runtime,
) -> None:
    now = [MONDAY.replace(hour=8)]
    clock.set_clock(lambda: now[0])
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    code = Appointments(app.queue).book("A", MONDAY.replace(hour=9)).code  # until 9:15
    now[0] = MONDAY.replace(hour=9, minute=14, second=59)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        await until(app, pilot, lambda: screen.status is not None)  # one poll done
        assert status_of(runtime, code) == "booked"
        now[0] = MONDAY.replace(hour=9, minute=15, second=1)
        await until(app, pilot, lambda: status_of(runtime, code) == "released")
