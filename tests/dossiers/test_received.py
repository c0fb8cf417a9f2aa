"""One way to write a newly received dossier, whichever way it arrives: the
counter's intake and an online dossier pulled from the portal both go through
desk.dossiers.received.add_received, so the rows they leave agree."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from db.engine import read_session, write_session
from db.models import Dossier, DossierComponent, DossierStatus, Procedure
from desk import clock
from desk.center.runtime import Runtime
from desk.dossiers.received import Component, add_received
from desk.upstream.online import merge_online
from tests.dossiers import test_intake
from tests.dossiers.test_intake import form, save

rt = test_intake.rt  # the runtime with the demo catalogue (a fixture)


def rows(rt: Runtime, code: str) -> tuple[Dossier, list[str], list[tuple[str, str | None]]]:
    with read_session(rt.engine) as session:
        d = session.execute(select(Dossier).where(col(Dossier.code) == code)).scalar_one()
        comps = session.execute(
            select(DossierComponent)
            .where(col(DossierComponent.dossier_id) == d.id)
            .order_by(col(DossierComponent.position))
        ).scalars()
        statuses = session.execute(
            select(DossierStatus).where(col(DossierStatus.dossier_id) == d.id)
        ).scalars()
        return d, [c.name for c in comps], [(s.source, s.from_status) for s in statuses]


def test_the_counter_and_the_portal_write_the_same_received_dossier(rt: Runtime) -> None:
    at = datetime(2026, 11, 23, 9, 0)
    clock.set_clock(lambda: at)
    [taken] = save(rt, form())
    with write_session(rt.engine) as session:
        payload = {
            "procedure_code": "2.000815",
            "applicant_name": "Trần Thị Bình",
            "received_at": at.isoformat(),
            "due_at": datetime(2026, 11, 26, 9, 0).isoformat(),
            "components": [{"name": "Tờ khai"}, {"name": "Bản sao CCCD"}],
        }
        agency = rt.config.center.agency_code
        assert merge_online(session, rt.ids.center, agency, "ONLINE-1", payload) == "added"
    counter, _names, counter_statuses = rows(rt, taken.code)
    portal, names, portal_statuses = rows(rt, "ONLINE-1")
    for d in (counter, portal):
        assert (d.register_year, d.received_at, d.clock_started_at) == (2026, at, at)
        assert (d.status, d.updated_at, d.applicant_search) == ("received", at, "tran thi binh")
    assert names == ["Tờ khai", "Bản sao CCCD"]
    assert counter_statuses == [("local", None)] and portal_statuses == [("online", None)]
    assert portal.register_no == counter.register_no + 1  # one register for both


def test_add_received_writes_the_row_its_papers_and_its_first_status(rt: Runtime) -> None:
    at = datetime(2026, 11, 24, 14, 0)
    with write_session(rt.engine) as session:
        proc = session.execute(
            select(Procedure).where(col(Procedure.code) == "2.000815")
        ).scalar_one()
        dossier, comps = add_received(
            session,
            received_at=at,
            applicant_name="Lê Văn Đức",
            components=[Component("Tờ khai", originals=1), Component("Ảnh", photocopies=2)],
            center_id=rt.ids.center,
            code="TEST-1",
            register_no=99,
            procedure_id=proc.id,
            procedure_code=proc.code,
            procedure_name=proc.name,
            officer_id=None,
        )
        assert dossier.id is not None and [c.position for c in comps] == [1, 2]
    d, names, statuses = rows(rt, "TEST-1")
    assert (d.applicant_search, d.clock_started_at, d.register_year) == ("le van duc", at, 2026)
    assert names == ["Tờ khai", "Ảnh"] and statuses == [("local", None)]
