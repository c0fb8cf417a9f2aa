"""A small hand-built center month where every number is known, shared by the report tests."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

import pytest

from desk import clock
from desk.center.runtime import DEMO_CATALOGUE, Runtime
from desk.dossiers.catalogue import import_catalogue
from desk.dossiers.intake import ComponentInput
from desk.dossiers.lifecycle import Lifecycle
from desk.queue.engine import Queue
from desk.queue.ratings import last_unrated, rate
from desk.reports import Period
from tests.conftest import built
from tests.dossiers.test_intake import form, save

if TYPE_CHECKING:
    from screens.admin import AdminScreen
    from screens.app import DeskApp

NOVEMBER = Period.days(date(2026, 11, 1), date(2026, 11, 30))
AS_OF = " · số liệu lúc 10:00, tự cập nhật"
"""The period line's end for the period that holds the tests' 10:00 (screens.admin)."""


def at(*args: int) -> None:
    moment = datetime(*args)  # type: ignore[arg-type]
    clock.set_clock(lambda: moment)


@asynccontextmanager
async def dashboard(
    runtime: Runtime, size: tuple[int, int], *, notifications: bool = False
) -> AsyncIterator[tuple[DeskApp, Any, AdminScreen]]:
    """The director's dashboard signed in on ``runtime`` and settled: the app, its
    pilot and the dashboard screen."""
    from screens.admin import AdminScreen
    from screens.app import DeskApp
    from tests.conftest import signed_in
    from tests.screens.test_counter import settle

    app = DeskApp(runtime, role="admin", officer=signed_in(runtime))
    async with app.run_test(size=size, notifications=notifications) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)
        yield app, pilot, screen


def dossier(procedure: str = "1.004873", **changes: object) -> str:
    plain = [ComponentInput(name="Tờ khai", originals="1")]  # not scanned
    [saved] = save(
        RT[0], form(procedure_code=procedure, **{"fee": "", "components": plain, **changes})
    )
    return saved.code


RT: list[Runtime] = []


@pytest.fixture
def center(runtime: Runtime, request: pytest.FixtureRequest) -> Runtime:
    """The center with its catalogue and nothing else yet."""
    RT[:] = [
        built(runtime, request, "center", lambda rt: import_catalogue(rt.engine, DEMO_CATALOGUE))
    ]
    return RT[0]


@pytest.fixture
def month(center: Runtime, request: pytest.FixtureRequest) -> Runtime:
    """A November at the center (1.004873: 3 working days)."""
    RT[:] = [built(center, request, "month", build_month)]
    at(2026, 12, 2, 9, 0)  # as build_month leaves the clock
    return RT[0]


def build_month(runtime: Runtime) -> Runtime:
    """The November of :func:`month` on ``runtime`` (its catalogue imported)."""
    RT[:] = [runtime]
    life = Lifecycle(runtime.engine, runtime.config)
    at(2026, 10, 28, 9, 0)
    d0 = dossier()  # carried over, resolved late in November
    at(2026, 11, 2, 9, 0)
    d1 = dossier(fee="6.000")  # due 5/11 09:00
    at(2026, 11, 2, 10, 0)
    d2 = dossier()  # resolved early
    d3 = dossier()  # supplement, clock restarted
    d4 = dossier()  # extended once
    d5 = dossier()  # refused
    at(2026, 11, 2, 11, 0)
    life.refuse(d5, "Không thuộc thẩm quyền")
    at(2026, 11, 3, 9, 0)
    life.resolve(d0)  # due 30/10: late
    life.resolve(d2)  # due 5/11: early
    life.request_supplement(d3, ["Bản sao giấy khai sinh"], "Thiếu")
    life.extend(d4, datetime(2026, 11, 10, 17, 0), "Chờ xác minh")
    at(2026, 11, 5, 16, 0)
    life.resolve(d1)  # on its due day, late in the day: on time
    at(2026, 11, 9, 8, 0)
    life.resume(d3)  # due again 12/11 08:00
    at(2026, 11, 10, 15, 0)
    life.resolve(d4)  # the extended due day: on time
    at(2026, 11, 12, 8, 0)
    life.resolve(d3)  # on the restarted due day: on time
    at(2026, 11, 16, 9, 0)
    dossier(  # online, paid online, scanned; past due at the month's end
        channel="online",
        fee="8.000",
        payment_method="online",
        components=[ComponentInput(name="Tờ khai", originals="1", scanned=True)],
    )
    at(2026, 11, 27, 15, 0)
    dossier(procedure="1.004884")  # 5 days: due in December, within time
    at(2026, 12, 1, 9, 0)
    dossier()  # December: not in the report

    # the queue of Monday 2/11
    q = Queue(runtime)
    for minute, service in ((0, "A"), (1, "A"), (2, "A"), (5, "B")):
        at(2026, 11, 2, 8, minute)
        q.issue(service)
    at(2026, 11, 2, 8, 10)
    q.call_next(1)  # A001 waited 10
    q.start(1)
    at(2026, 11, 2, 8, 15)
    q.finish(1)  # served 5
    ticket = last_unrated(runtime.engine, runtime.ids.counters[1])
    assert ticket is not None and ticket.number == "A001"
    rate(runtime.engine, ticket.ticket_id, 3)
    at(2026, 11, 2, 8, 21)
    q.call_next(1)  # A002 waited 20
    q.start(1)
    at(2026, 11, 2, 8, 36)
    q.finish(1)  # served 15
    rate(runtime.engine, last_unrated(runtime.engine, runtime.ids.counters[1]).ticket_id, 1)  # type: ignore[union-attr]
    at(2026, 11, 2, 8, 27)
    q.call_next(1)  # A003 waited 25
    q.recall(1)
    q.recall(1)
    at(2026, 11, 2, 8, 30)
    q.no_show(1)
    at(2026, 11, 2, 8, 35)
    q.call_next(3)  # B001 waited 30
    q.start(3)
    at(2026, 11, 2, 8, 45)
    q.finish(3)  # served 10
    at(2026, 12, 2, 9, 0)  # the month's report is made once it is over
    return runtime
