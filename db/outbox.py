"""The transactional outbox: every change of a synced row writes an ``outbox`` row
in the same transaction, so a change and its "to be sent upstream" note commit
(or vanish) together.

The rules are here (which tables, the snapshot, the version); :mod:`db.changes`
writes the rows, for the ORM's flushes and the queue's Core statements alike.

Each outbox row holds a JSON snapshot of the whole row and its version: the
row's own ``version`` column where it has one (tickets, dossiers, officers), the number of
print attempts + 1 for print jobs, 1 for rows that never change (events, status
history, components, ratings, audit events). Print jobs go up as records only
(kind, status, times), never their document or bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import inspect

from db.models import (
    Appointment,
    AuditEvent,
    Dossier,
    DossierComponent,
    DossierStatus,
    Officer,
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
    Appointment: "appointment",
}
ENTITY_NAMES = tuple(ENTITIES.values())
_SKIP: dict[type, set[str]] = {PrintJob: {"document", "data"}, Ticket: {"person_key"}}


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
