"""Portal bookings come down by cursor; bookings made or used at the center go up."""

from __future__ import annotations

from datetime import datetime

import psycopg
from sqlmodel import col, select

from db.engine import read_session
from db.models import Appointment
from desk import clock
from desk.center.runtime import Runtime
from desk.queue.appointments import Appointments
from desk.queue.engine import Queue
from desk.upstream.sync import Sync
from tests.upstream.test_sync import plain, upstream  # noqa: F401  (the fixture)


def test_portal_bookings_are_pulled_once_and_check_ins_go_up(
    runtime: Runtime,
    upstream: dict[str, str],  # noqa: F811
) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 8, 0))
    with psycopg.connect(upstream["backoffice"], autocommit=True) as bo:
        for center, code, service in (
            ("center_a", "P-1001", "A"),
            ("center_a", "P-1002", "B"),
            ("center_a", "P-1003", "Z"),  # a service this center does not have
            ("center_b", "P-2001", "A"),  # another center's booking
        ):
            bo.execute(
                "INSERT INTO desk.appointment_booking "
                "(center, code, service, slot_start, slot_end, name) "
                "VALUES (%s, %s, %s, '2026-11-23 09:00', '2026-11-23 09:30', 'Nguyễn Văn A')",
                (center, code, service),
            )
    sync = Sync(runtime.engine, upstream["a"])
    first = sync.run_once()
    assert first.error == ""
    assert sync.run_once().error == ""  # pulled again: nothing doubles

    with read_session(runtime.engine) as session:
        rows = list(session.exec(select(Appointment).order_by(col(Appointment.code))))
    assert [(r.code, r.source, r.status) for r in rows] == [
        ("P-1001", "portal", "booked"),
        ("P-1002", "portal", "booked"),
    ]

    clock.set_clock(lambda: datetime(2026, 11, 23, 8, 50))
    checked = Appointments(Queue(runtime)).check_in("p-1001")
    assert checked.booked and checked.issued.ticket.number == "A001"
    assert sync.run_once().error == ""
    with psycopg.connect(plain(upstream["admin"]), autocommit=True) as admin:
        up = admin.execute(
            "SELECT payload->>'code', payload->>'status' FROM desk.appointment "
            "WHERE center = 'center_a' ORDER BY 1"
        ).fetchall()
    assert up == [("P-1001", "checked_in"), ("P-1002", "booked")]
