"""Appointment figures on the director's dashboard (view 6) and in ``desk report``."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from datetime import datetime

import pytest
from sqlmodel import Session

from desk.center.runtime import Runtime
from desk.queue.appointments import Appointments, add_pulled
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.help import HelpScreen
from tests.conftest import SUPERVISOR_ENV, desk_here, signed_in
from tests.reports.conftest import at, dashboard
from tests.reports.test_dashboard import shown
from tests.reports.test_report_command import NOVEMBER_ARGS
from tests.screens.test_counter import settle


@pytest.fixture
def booked(month: Runtime) -> Runtime:
    """The November of ``month`` with four bookings: on Tuesday 3/11 two at 8:00 (one
    came at 7:55 and was called at 8:02), one at 9:00 nobody came to; one from the
    portal on 30/11 at 16:30 (its window still ahead on the 20th); and a walk-in of
    7:50 called after the booking, at 8:02, after 12 minutes."""
    at(2026, 11, 3, 7, 0)
    queue = Queue(month)
    bookings = Appointments(queue)
    came = bookings.book("A", datetime(2026, 11, 3, 8, 0), "Nguyễn Văn A").code
    bookings.book("A", datetime(2026, 11, 3, 8, 0))
    bookings.book("B", datetime(2026, 11, 3, 9, 0))
    with Session(month.engine) as session:
        add_pulled(
            session,
            month.ids.center,
            501,
            {
                "code": "P00501",
                "service": "A",
                "slot_start": "2026-11-30T16:30:00",
                "slot_end": "2026-11-30T17:00:00",
                "name": "Trần Thị B",
            },
        )
        session.commit()
    at(2026, 11, 3, 7, 50)
    queue.issue("A")  # a walk-in
    at(2026, 11, 3, 7, 55)
    bookings.check_in(came)
    at(2026, 11, 3, 8, 2)
    queue.call_next(1)  # the booking goes first: waited 7 minutes
    queue.start(1)
    queue.finish(1)
    queue.call_next(1)  # the walk-in: waited 12 minutes
    queue.start(1)
    queue.finish(1)
    at(2026, 11, 3, 9, 30)
    assert bookings.release_due() == 2  # the other 8:00 and the 9:00 booking
    return month


async def test_the_appointments_view_by_keyboard(booked: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    async with dashboard(booked, (120, 40)) as (app, pilot, screen):
        assert "6 Lịch hẹn" in shown(screen, "#admin-views")
        await pilot.press("6")
        await pilot.pause()
        lines = shown(screen, "#appointments-table").splitlines()
        assert lines[0] == "Lịch hẹn"
        assert lines[1].split() == ["Chỉ", "tiêu", "Giá", "trị"]  # column headers

        def value(label: str) -> str:
            [line] = [line for line in lines if line.startswith(label)]
            return line[len(label) :].strip()

        assert value("Lượt đặt lịch") == "4"
        assert value("Đặt qua Cổng dịch vụ công") == "1"
        assert value("Đặt tại trung tâm / qua điện thoại") == "3"
        assert value("Đã đến (lấy số theo lịch)") == "1"
        assert value("Không đến (hết khung giờ)") == "2"
        assert value("Chưa tới khung giờ") == "1"  # the portal's 16:30 on the 30th
        assert value("Tỷ lệ đến") == "33,3 %"  # the decimal comma in Vietnamese
        waits = lines[lines.index("Thời gian chờ: có lịch hẹn và không hẹn") + 1 :]
        assert waits[0].split()[:2] == ["Người", "dân"] and "Chờ trung vị (phút)" in waits[0]
        # the booked citizen waited 7 minutes; walk-ins: 12 here and the month's 10-30
        assert value("Có lịch hẹn").split() == ["1", "7,0", "7,0"]
        assert value("Không hẹn").split()[0] == "5"
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        help_text = str(app.screen.query_one("#help-keys").render())
        [line] = [line for line in help_text.splitlines() if line.split()[:1] == ["6"]]
        assert line.split()[1:] == ["Lịch", "hẹn"]


async def test_an_empty_period_shows_a_dash(booked: Runtime) -> None:
    at(2026, 11, 20, 10, 0)
    async with dashboard(booked, (120, 40)) as (app, pilot, screen):
        await pilot.press("6")
        await pilot.press("d")  # today, 20/11: no booking
        await settle(app, pilot)
        text = shown(screen, "#appointments-table")
        [rate] = [line for line in text.splitlines() if line.startswith("Tỷ lệ đến")]
        assert rate.split()[-1] == "—"
        [booked_row] = [line for line in text.splitlines() if line.startswith("Có lịch hẹn")]
        assert booked_row.split()[-3:] == ["0", "—", "—"]
        assert "0,0 %" not in text


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_appointments_view_snapshots(
    booked: Runtime, snap_compare: Callable[..., bool], size: tuple[int, int]
) -> None:
    at(2026, 11, 20, 10, 0)
    app = DeskApp(booked, role="admin", officer=signed_in(booked))

    async def ready(pilot) -> None:  # type: ignore[no-untyped-def]
        await settle(app, pilot)
        await pilot.press("6")
        await settle(app, pilot)

    assert snap_compare(app, terminal_size=size, run_before=ready)


def test_the_report_command_carries_the_appointment_figures(
    booked: Runtime, db_url: str, staff: object
) -> None:
    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}
    data = json.loads(desk_here(*NOVEMBER_ARGS, "--format", "json", env=env).stdout)
    assert data["appointments"] == {
        "bookings": 4,
        "by_source": {"desk": 3, "portal": 1},
        "check_ins": 1,
        "no_shows": 2,
        "open": 1,
        "show_rate": 0.3333,
        "booked_waits": {"count": 1, "median_minutes": 7.0, "p90_minutes": 7.0},
        "walk_in_waits": {"count": 5, "median_minutes": 20.0, "p90_minutes": 30.0},
    }
    rows = list(
        csv.reader(io.StringIO(desk_here(*NOVEMBER_ARGS, "--format", "csv", env=env).stdout))
    )
    assert ["[Lịch hẹn]"] in rows and ["Tỷ lệ đến", "0.3333"] in rows
    header = rows[rows.index(["[Thời gian chờ: có lịch hẹn và không hẹn]"]) + 1]
    assert header == ["Người dân", "Lượt đã gọi", "Chờ trung vị (phút)", "9/10 chờ dưới (phút)"]
    table = desk_here(*NOVEMBER_ARGS, env={**env, "COLUMNS": "80"}).stdout
    assert "Không đến (hết khung giờ)" in table and "33,3 %" in table
