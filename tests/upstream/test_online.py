"""Dossiers filed online, pulled from a real PostgreSQL: found at the counter, handed
back there, never moved backwards, applied once however often they are pulled."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import psycopg
import pytest
from sqlmodel import col, select

from db.engine import read_session
from db.models import Appointment, Dossier, DossierComponent, DossierStatus, Setting
from desk import clock
from desk.center.runtime import DEMO_CATALOGUE, Runtime
from desk.dossiers.catalogue import import_catalogue
from desk.dossiers.lifecycle import Lifecycle, find_dossiers
from desk.queue.engine import Queue
from desk.upstream.sync import Sync
from tests.conftest import built
from tests.upstream import test_sync
from tests.upstream.test_sync import compare, plain

upstream = test_sync.upstream  # the provincial database (a fixture)


def portal(url: str, center: str, code: str, **changes: Any) -> None:
    """The portal files (or updates) an online dossier for ``center``."""
    payload = {
        "procedure_code": "2.000815",
        "applicant_name": "Lê Văn Cường",
        "applicant_id_number": "031099001234",
        "applicant_birth_year": 1999,
        "applicant_phone": "+84987654321",
        "applicant_address": "12 Tô Hiệu, Lê Chân",
        "received_at": "2026-12-07T08:15:00",
        "due_at": "2026-12-07T17:00:00",
        "status": "received",
        "fee_vnd": 0,
        "components": [{"name": "Bản chính giấy tờ (bản điện tử)", "originals": 1}],
        **changes,
    }
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(
            "INSERT INTO desk.online_dossier (code, center, payload) VALUES (%s, %s, %s) "
            "ON CONFLICT (code) DO UPDATE SET payload = EXCLUDED.payload",
            (code, center, json.dumps(payload, ensure_ascii=False)),
        )


def online(rt: Runtime) -> dict[str, Dossier]:
    with read_session(rt.engine) as session:
        rows = session.exec(select(Dossier).where(col(Dossier.channel) == "online"))
        return {d.code: d for d in rows}


@pytest.fixture
def rt(runtime: Runtime, request: pytest.FixtureRequest) -> Runtime:
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
    return built(
        runtime, request, "catalogue-7-12", lambda r: import_catalogue(r.engine, DEMO_CATALOGUE)
    )


CODE_1 = "000.31.27.H31-261207-9001"
CODE_2 = "000.31.27.H31-261207-9002"
OTHER = "000.31.27.H32-261207-9001"


def test_online_dossiers_are_found_at_the_counter_and_handed_back(
    rt: Runtime, upstream: dict[str, str]
) -> None:
    office = upstream["backoffice"]
    portal(office, "center_a", CODE_1)
    portal(
        office,
        "center_a",
        CODE_2,
        applicant_name="Phạm Thị Dung",
        status="processing",
        status_at="2026-12-07T08:30:00",
        applicant_phone="+84911222333",
        applicant_id_number="031188004321",
    )
    portal(office, "center_b", OTHER)
    result = Sync(rt.engine, upstream["a"]).run_once()
    assert result.error == "" and result.pulled == 2
    got = online(rt)
    assert sorted(got) == [CODE_1, CODE_2]  # center_b's dossier stays with center_b
    assert got[CODE_1].status == "received" and got[CODE_2].status == "processing"
    assert got[CODE_1].received_at == datetime(2026, 12, 7, 8, 15)
    assert got[CODE_1].register_no >= 1
    # F8 finds them by code, CCCD, phone and name
    assert [d.code for d in find_dossiers(rt.engine, CODE_1)] == [CODE_1]
    assert [d.code for d in find_dossiers(rt.engine, "031099001234")] == [CODE_1]
    assert [d.code for d in find_dossiers(rt.engine, "0911 222 333")] == [CODE_2]
    assert [d.code for d in find_dossiers(rt.engine, "pham thi dung")] == [CODE_2]
    with read_session(rt.engine) as session:
        comps = session.exec(select(DossierComponent.name)).all()
        history = session.exec(
            select(DossierStatus.to_status, DossierStatus.source)
            .where(DossierStatus.dossier_id == got[CODE_2].id)
            .order_by(col(DossierStatus.id))
        ).all()
    assert "Bản chính giấy tờ (bản điện tử)" in comps
    assert history == [("received", "online"), ("processing", "online")]
    # the counter hands back the result; it goes up like any dossier
    life = Lifecycle(rt.engine, rt.config)
    life.resolve(CODE_1)
    life.return_result(CODE_1, "Lê Văn Cường")
    assert Sync(rt.engine, upstream["a"]).run_once().error == ""
    compare(rt, upstream["admin"], "center_a")


def test_pulled_twice_or_out_of_order_never_doubles_or_goes_back(
    rt: Runtime, upstream: dict[str, str]
) -> None:
    office = upstream["backoffice"]
    portal(office, "center_a", CODE_1, status="processing", status_at="2026-12-07T08:20:00")
    assert Sync(rt.engine, upstream["a"]).run_once().pulled == 1
    assert Sync(rt.engine, upstream["a"]).run_once().pulled == 0  # nothing new
    # the portal resolves it, then a stale copy saying "received" arrives later
    portal(office, "center_a", CODE_1, status="resolved", status_at="2026-12-07T10:00:00")
    assert Sync(rt.engine, upstream["a"]).run_once().pulled == 1
    portal(office, "center_a", CODE_1, status="received")
    assert Sync(rt.engine, upstream["a"]).run_once().error == ""
    (dossier,) = online(rt).values()
    assert dossier.status == "resolved" and dossier.resolved_at == datetime(2026, 12, 7, 10, 0)
    # handed back at the counter; the portal's later "resolved" does not undo it
    Lifecycle(rt.engine, rt.config).return_result(CODE_1, "Lê Văn Cường")
    portal(office, "center_a", CODE_1, status="resolved", status_at="2026-12-07T11:00:00")
    assert Sync(rt.engine, upstream["a"]).run_once().error == ""
    (dossier,) = online(rt).values()
    assert dossier.status == "returned"
    with read_session(rt.engine) as session:
        statuses = session.exec(
            select(DossierStatus.to_status)
            .where(DossierStatus.dossier_id == dossier.id)
            .order_by(col(DossierStatus.id))
        ).all()
    assert statuses == ["received", "processing", "resolved", "returned"]
    compare(rt, upstream["admin"], "center_a")


def test_a_pull_killed_before_its_commit_is_applied_once_later(
    rt: Runtime, upstream: dict[str, str]
) -> None:
    office = upstream["backoffice"]
    portal(office, "center_a", CODE_1)
    portal(office, "center_a", CODE_2)

    class Killed(Exception):
        pass

    def kill(point: str, conn: Any) -> None:
        if point == "online_applied":  # rows written locally, not committed yet
            raise Killed

    with pytest.raises(Killed):
        Sync(rt.engine, upstream["a"], hook=kill).run_once()
    assert online(rt) == {}
    with read_session(rt.engine) as session:
        assert session.get(Setting, "sync.cursor.online_dossier") is None
    assert Sync(rt.engine, upstream["a"]).run_once().pulled == 2
    assert sorted(online(rt)) == [CODE_1, CODE_2]
    assert Sync(rt.engine, upstream["a"]).run_once().pulled == 0
    compare(rt, upstream["admin"], "center_a")


def test_an_unknown_procedure_holds_the_stream_and_says_so(
    rt: Runtime, upstream: dict[str, str]
) -> None:
    office = upstream["backoffice"]
    portal(office, "center_a", CODE_1, procedure_code="9.999999")
    portal(office, "center_a", CODE_2)
    result = Sync(rt.engine, upstream["a"]).run_once()
    assert "procedure 9.999999 is not in the catalogue" in result.error
    assert online(rt) == {}  # held before it, nothing skipped
    assert result.pushed >= 0  # the push still ran
    portal(office, "center_a", CODE_1, procedure_code="2.000815")
    assert Sync(rt.engine, upstream["a"]).run_once().error == ""
    assert sorted(online(rt)) == [CODE_1, CODE_2]


def test_a_counters_own_code_is_never_overwritten(rt: Runtime, upstream: dict[str, str]) -> None:
    from tests.dossiers.test_intake import form, save

    [saved] = save(rt, form())
    portal(upstream["backoffice"], "center_a", saved.code, applicant_name="Someone Else")
    assert Sync(rt.engine, upstream["a"]).run_once().error == ""
    with read_session(rt.engine) as session:
        d = session.exec(select(Dossier).where(Dossier.code == saved.code)).one()
    assert d.channel == "direct" and d.applicant_name == "Trần Thị Bình"
    assert plain(upstream["admin"])  # the province keeps both for its own reconciliation


def test_reports_count_pulled_dossiers_in_the_online_channel(
    rt: Runtime, upstream: dict[str, str]
) -> None:
    from datetime import date

    from desk.reports.period import Period
    from desk.reports.report import build_report
    from tests.dossiers.test_intake import form, save

    save(rt, form())  # one at the counter, on Mon 07/12
    office = upstream["backoffice"]
    portal(office, "center_a", CODE_1)
    portal(office, "center_a", CODE_2, applicant_id_number="031188004321")
    assert Sync(rt.engine, upstream["a"]).run_once().error == ""
    figures = build_report(
        rt.engine, Period.days(date(2026, 12, 7), date(2026, 12, 7)), center_id=rt.ids.center
    ).dossiers
    assert (figures.received_direct, figures.received_online) == (1, 2)
    assert figures.online_share == round(2 / 3, 4)


def test_online_dossiers_go_to_the_configured_center_after_its_code_changed(
    rt: Runtime, upstream: dict[str, str]
) -> None:
    """The code changed before any ticket or dossier: the database keeps the old,
    empty center's row (the first) beside the new one, and the pulled dossiers and
    bookings are the new center's, found by its look-up, its kiosk and counters."""
    from desk.center.runtime import open_runtime

    center = rt.config.center.model_copy(update={"agency_code": "000.31.27.H99"})
    recoded = open_runtime(rt.config.model_copy(update={"center": center}), rt.url)
    try:
        assert recoded.ids.center != rt.ids.center
        portal(upstream["backoffice"], "center_a", CODE_1)
        with psycopg.connect(upstream["backoffice"], autocommit=True) as office:
            office.execute(
                "INSERT INTO desk.appointment_booking "
                "(center, code, service, slot_start, slot_end, name) VALUES ('center_a', "
                "'P-1001', 'A', '2026-12-07 10:00', '2026-12-07 10:30', 'Nguyễn Văn A')"
            )
        result = Sync(recoded.engine, upstream["a"], config=recoded.config).run_once()
        assert result.error == "" and result.pulled == 2
        (dossier,) = online(recoded).values()
        assert dossier.center_id == recoded.ids.center
        assert [d.code for d in find_dossiers(recoded.engine, CODE_1)] == [CODE_1]
        # and the booking is the new center's, for its kiosk and counters
        with read_session(recoded.engine) as session:
            booking = session.exec(select(Appointment)).one()
        assert (booking.code, booking.center_id) == ("P-1001", recoded.ids.center)
        service = Queue(recoded).service_ids["A"]
        assert booking.service_id == service
    finally:
        recoded.close()
