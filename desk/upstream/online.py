"""Dossiers received online (the province's portal) for this center, pulled by cursor.

Upstream writes ``desk.online_dossier`` (one row per portal dossier of a center: its
code, a JSON payload, a version from the province's sequence that grows on every
change). :func:`merge_online` applies one row to the local database so the counter's
F8 finds it (by code, CCCD, phone or name) and can hand back its result, and reports
count it in the online channel:

- a new code becomes a local dossier (channel ``online``, an entry in the register,
  its components and a ``received`` status row; no paper receipt: the portal sent it);
- a code already here keeps its intake fields as they were first pulled; the portal's
  status is applied only forward (the same ranks as back-office updates), so a row
  pulled twice or a stale version never moves a dossier backwards and never undoes
  what the counter did (a result already handed back stays handed back);
- a code that a counter issued for a direct intake is never overwritten (the conflict
  is logged and the row consumed).

A row whose procedure is not in the local catalogue stops the stream before it (the
cursor stays below it): the round reports it, and the row is applied once the
catalogue has the procedure. Nothing is skipped silently.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel import Session, col, select

from db.models import Dossier, Procedure
from desk import logs
from desk.center.config import Config
from desk.dossiers.received import Component, add_received
from desk.dossiers.statuses import FINAL
from desk.sequence import next_number
from desk.text import clean

log = logs.get("sync")
RANK = {
    "received": 0,
    "processing": 1,
    "supplement_requested": 1,
    "resolved": 2,
    "returned": 3,
    "refused": 3,
}


class UnknownProcedure(Exception):
    """The payload names a procedure the local catalogue does not have (yet)."""


def _at(value: Any) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def merge_online(
    session: Session,
    center_id: int,
    agency: str,
    code: str,
    payload: dict[str, Any],
    config: Config | None = None,
) -> str:
    """Apply one pulled online dossier; returns ``added``, ``updated``, ``unchanged``
    or ``conflict``. Raises :class:`UnknownProcedure` and changes nothing when its
    procedure is not in the catalogue."""
    existing = session.execute(
        select(Dossier).where(col(Dossier.code) == code)
    ).scalar_one_or_none()
    status = str(payload.get("status", "received"))
    if status not in RANK:
        status = "received"
    if existing is not None:
        if existing.channel != "online":
            log.warning("online dossier %s: a direct intake has this code; not applied", code)
            return "conflict"
        return "updated" if _forward(session, existing, status, payload, config) else "unchanged"
    proc = session.execute(
        select(Procedure).where(col(Procedure.code) == str(payload.get("procedure_code", "")))
    ).scalar_one_or_none()
    if proc is None or proc.id is None:
        raise UnknownProcedure(str(payload.get("procedure_code", "")))
    received = _at(payload.get("received_at"))
    assert received is not None, "an online dossier has its time of receipt"
    register_no = next_number(session.connection(), f"register:{agency}", date(received.year, 1, 1))
    name = clean(str(payload.get("applicant_name", "")))
    dossier, _comps = add_received(
        session,
        received_at=received,
        applicant_name=name,
        components=[
            Component(
                name=clean(str(comp.get("name", "")))[:200],
                originals=int(comp.get("originals", 0)),
                certified_copies=int(comp.get("certified_copies", 0)),
                photocopies=int(comp.get("photocopies", 0)),
                scanned=bool(comp.get("scanned", True)),
            )
            for comp in payload.get("components", [])
        ],
        source="online",
        center_id=center_id,
        code=code,
        register_no=register_no,
        procedure_id=proc.id,
        procedure_code=proc.code,
        procedure_name=proc.name,
        applicant_id_number=clean(str(payload.get("applicant_id_number", "")))[:12],
        applicant_birth_year=payload.get("applicant_birth_year"),
        applicant_phone=clean(str(payload.get("applicant_phone", "")))[:16],
        applicant_address=clean(str(payload.get("applicant_address", ""))),
        applicant_email=clean(str(payload.get("applicant_email", ""))),
        channel="online",
        fee_vnd=int(payload.get("fee_vnd") or 0),
        payment_method=str(payload.get("payment_method", "online"))[:16],
        result_delivery=str(payload.get("result_delivery", "desk"))[:16],
        legal_days=proc.legal_days,
        local_days=proc.local_days,
        day_type=proc.day_type,
        due_at=_at(payload.get("due_at")),
        legal_due_at=_at(payload.get("due_at")),
    )
    _forward(session, dossier, status, payload, config)
    return "added"


def _forward(
    session: Session,
    dossier: Dossier,
    status: str,
    payload: dict[str, Any],
    config: Config | None,
) -> bool:
    """Move ``dossier`` to the portal's ``status`` when that is progress; a result
    that becomes ready queues the citizen's notice (with ``config``)."""
    current = dossier.status
    if current in FINAL or current == status:
        return False
    swap = {status, current} == {"processing", "supplement_requested"}
    if RANK[status] <= RANK[current] and not swap:
        return False
    from desk.dossiers.lifecycle import apply_outside_status

    at = _at(payload.get("status_at")) or dossier.received_at
    reason = clean(str(payload.get("reason", "")))
    apply_outside_status(session, config, dossier, status, at, reason, "online")
    return True
