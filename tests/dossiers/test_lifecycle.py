"""Lifecycle rules from issue 16: a second supplement request needs a worded reason
and a supervisor's approval; a refusal reason is words, not a character."""

from __future__ import annotations

import pytest
from sqlmodel import col, select

from db.engine import read_session
from db.models import Dossier, DossierStatus, PrintJob
from desk.center.accounts import Actor
from desk.center.runtime import Runtime
from desk.dossiers.lifecycle import DossierError, Lifecycle
from desk.printing.preview import paper_columns, paper_text
from tests.dossiers.test_intake import at, form, rt, save

__all__ = ["rt"]


def _statuses(rt: Runtime, code: str) -> list[tuple[str, str]]:
    with read_session(rt.engine) as s:
        d = s.execute(select(Dossier).where(col(Dossier.code) == code)).scalar_one()
        rows = s.execute(
            select(DossierStatus)
            .where(col(DossierStatus.dossier_id) == d.id)
            .order_by(col(DossierStatus.id))
        ).scalars()
        return [(r.to_status, r.reason) for r in rows]


def test_a_second_supplement_request_needs_a_reason_and_a_supervisor(
    rt: Runtime, staff: dict[str, Actor]
) -> None:
    at(2026, 11, 23, 9, 0)
    [d] = save(rt, form(procedure_code="1.001193", fee="0", components=[]))
    life = Lifecycle(rt.engine, rt.config)
    officer, supervisor = staff["canbo"], staff["giamdoc"]
    life.request_supplement(d.code, ["Giấy chứng sinh"], "", officer.id, approved_by=officer)
    at(2026, 11, 24, 9, 0)
    life.resume(d.code, officer.id)
    at(2026, 11, 24, 10, 0)
    with pytest.raises(DossierError, match=r"lần yêu cầu bổ sung thứ 2.*lý do"):
        life.request_supplement(d.code, ["Sổ hộ khẩu"], "x", officer.id, approved_by=supervisor)
    with pytest.raises(DossierError, match="cần lãnh đạo phê duyệt"):
        life.request_supplement(
            d.code, ["Sổ hộ khẩu"], "Giấy chứng sinh bị tẩy xóa", officer.id, approved_by=officer
        )
    with pytest.raises(DossierError, match="cần lãnh đạo phê duyệt"):
        life.request_supplement(d.code, ["Sổ hộ khẩu"], "Giấy chứng sinh bị tẩy xóa", officer.id)
    # nothing was written by the refused requests
    assert [s for s, _ in _statuses(rt, d.code)] == [
        "received",
        "supplement_requested",
        "processing",
    ]
    view, doc = life.request_supplement(
        d.code,
        ["Giấy chứng sinh bản chính"],
        "Giấy chứng sinh bị tẩy xóa",
        supervisor.id,
        approved_by=supervisor,
    )
    assert view.status == "supplement_requested"
    assert doc.form == "02"
    status, reason = _statuses(rt, d.code)[-1]
    assert status == "supplement_requested"
    assert reason == (
        "Giấy chứng sinh bản chính (yêu cầu bổ sung lần 2; lý do: Giấy chứng sinh bị tẩy xóa;"
        " phê duyệt: Giám đốc Trung tâm)"
    )


@pytest.mark.parametrize("reason", ["x", ".", "  a  ", "Thiếu", "1 2"])
def test_a_refusal_reason_is_words(rt: Runtime, reason: str) -> None:
    at(2026, 11, 23, 9, 0)
    [d] = save(rt, form())
    life = Lifecycle(rt.engine, rt.config)
    with pytest.raises(DossierError, match="ít nhất hai từ"):
        life.refuse(d.code, reason)
    assert [s for s, _ in _statuses(rt, d.code)] == ["received"]
    view, _doc = life.refuse(d.code, "Không thuộc thẩm quyền")
    assert view.status == "refused"


def test_each_supplement_slip_carries_its_own_number(rt: Runtime, staff: dict[str, Actor]) -> None:
    """The first Mẫu 02 of a dossier is ``<code>/HDHS`` (as printed before), the second
    ``<code>/HDHS-2``; a slip printed earlier reprints with the number it had."""
    from desk.dossiers.forms import Document
    from desk.printing.jobs import jobs_for_dossier, reprint

    at(2026, 11, 23, 9, 0)
    [d] = save(rt, form(procedure_code="1.001193", fee="0", components=[]))
    life = Lifecycle(rt.engine, rt.config)
    supervisor = staff["giamdoc"]
    _, first = life.request_supplement(d.code, ["Giấy chứng sinh"], "", supervisor.id)
    at(2026, 11, 24, 9, 0)
    life.resume(d.code, supervisor.id)
    _, second = life.request_supplement(
        d.code, ["Sổ hộ khẩu"], "Giấy chứng sinh bị tẩy xóa", supervisor.id, approved_by=supervisor
    )
    assert first.field("Số") == f"{d.code}/HDHS"
    assert second.field("Số") == f"{d.code}/HDHS-2"
    assert f"Số: {d.code}/HDHS-2" in paper_text(second, paper_columns(rt.config)).splitlines()
    # the printed slips, in the print queue's stored documents, and their reprints
    slips = [j for j in jobs_for_dossier(rt.engine, d.id) if j.kind == "supplement"]
    assert len(slips) == 2
    for job in slips:  # still waiting in the queue: printed as they are, no new job
        reprint(rt.engine, rt.config, job.id)
    assert [j.status for j in jobs_for_dossier(rt.engine, d.id) if j.kind == "supplement"] == [
        "done",
        "done",
    ]
    for job in slips:  # printed once: a new job each
        reprint(rt.engine, rt.config, job.id)
    again = [j for j in jobs_for_dossier(rt.engine, d.id) if j.kind == "supplement"][2:]
    with read_session(rt.engine) as s:
        stored = [s.get(PrintJob, j.id) for j in again]
        numbers = [Document.from_json(j.document).field("Số") for j in stored if j is not None]
    assert numbers == [f"{d.code}/HDHS", f"{d.code}/HDHS-2"]
