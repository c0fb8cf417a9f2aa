"""The transactional outbox: every change of a synced row writes an ``outbox`` row
in the same transaction, so a change and its "to be sent upstream" note commit
(or vanish) together.

Session events do it for every ORM flush: new or modified rows of the synced
tables are collected before the flush and their outbox rows added right after it
(when ids are known); SQLAlchemy flushes those before the commit. The queue writes
with Core statements instead, through :mod:`db.journal`, which adds the same rows
with :func:`snapshot_of` and :func:`version_for`.

Each outbox row holds a JSON snapshot of the whole row and its version: the
row's own ``version`` column where it has one (tickets, dossiers, officers), the number of
print attempts + 1 for print jobs, 1 for rows that never change (events, status
history, components, ratings, audit events). Print jobs go up as records only
(kind, status, times), never their document or bytes.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session, UOWTransaction

from db.models import (
    AuditEvent,
    Dossier,
    DossierComponent,
    DossierStatus,
    Officer,
    Outbox,
    PrintJob,
    Rating,
    Ticket,
    TicketEvent,
)

ENTITIES: dict[type, str] = {
    Ticket: "ticket",
    TicketEvent: "ticket_event",
    Dossier: "dossier",
    DossierComponent: "dossier_component",
    DossierStatus: "dossier_status",
    Rating: "rating",
    AuditEvent: "audit_event",
    PrintJob: "print_job",
    # accounts (with their password hashes), so a center can be rebuilt from upstream
    Officer: "officer",
}
ENTITY_NAMES = tuple(ENTITIES.values())
_SKIP: dict[type, set[str]] = {PrintJob: {"document", "data"}}
_PENDING = "desk_outbox_pending"
_now: Callable[[], datetime] = datetime.now


def set_clock(now: Callable[[], datetime]) -> None:
    """The center's clock (``desk.clock`` installs itself here)."""
    global _now
    _now = now


def _plain(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    return value


def snapshot_of(model: type, values: Mapping[str, Any]) -> dict[str, Any]:
    """The JSON-ready snapshot of a ``model`` row given as column → value."""
    skip = _SKIP.get(model, set())
    return {key: _plain(value) for key, value in values.items() if key not in skip}


def snapshot(obj: Any) -> dict[str, Any]:
    return snapshot_of(
        type(obj), {attr.key: getattr(obj, attr.key) for attr in inspect(type(obj)).column_attrs}
    )


def version_for(model: type, values: Mapping[str, Any]) -> int:
    if model is PrintJob:
        return int(values["attempts"]) + 1
    version = values.get("version")
    return int(version) if version is not None else 1


def version_of(obj: Any) -> int:
    return version_for(
        type(obj),
        {"attempts": getattr(obj, "attempts", 0), "version": getattr(obj, "version", None)},
    )


def record(session: Session, obj: Any, at: datetime) -> None:
    """Add the outbox row of ``obj`` as it is now."""
    session.add(
        Outbox(
            created_at=at,
            entity=ENTITIES[type(obj)],
            entity_id=obj.id,
            version=version_of(obj),
            payload=json.dumps(snapshot(obj), ensure_ascii=False, sort_keys=True),
        )
    )


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    pending: list[Any] = session.info.setdefault(_PENDING, [])
    for obj in list(session.new) + list(session.dirty):
        if type(obj) in ENTITIES and (obj in session.new or session.is_modified(obj)):
            pending.append(obj)


@event.listens_for(Session, "after_flush_postexec")
def _write(session: Session, _flush: UOWTransaction) -> None:
    pending: list[Any] = session.info.pop(_PENDING, [])
    if not pending:
        return
    now = _now()
    seen: set[tuple[type, int]] = set()
    for obj in pending:
        key = (type(obj), obj.id)
        if key in seen:
            continue
        seen.add(key)
        record(session, obj, now)


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
