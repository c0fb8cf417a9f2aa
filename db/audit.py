"""The audit trail: an append-only, hash-chained record of every state change.

Every change of a row of an audited table (:data:`AUDITED`) appends one
``audit_event`` per row in the same transaction (:mod:`db.changes` writes them, for
the ORM's flushes and the queue's Core statements alike): who (the process's logged-in
officer, :func:`set_actor`), when, the action (``create`` / ``update`` /
``delete``), the entity and its id, and which fields changed. Personal fields
(names, ID numbers, phones, addresses, e-mails, notes, password hashes) are listed
by name only, never with their values, so the trail can go upstream safely.

Each entry's ``hash`` covers the previous entry's hash and the entry's own content;
``desk audit verify`` recomputes the chain and names the first entry that was
edited, deleted or reordered. The chain head lives in the ``setting`` row
``audit.head``, updated in the same transaction, so concurrent writers on
PostgreSQL serialise on that row and the chain never forks; a trail with entries
and no head is itself a break (the last entries and the head were deleted).

The keyed chain: when the process holds the center's audit key (a file outside
the database, :mod:`db.audit_key`, installed with :func:`set_key`), an entry's hash
is ``k`` + the first 63 hex digits of HMAC-SHA256(key, content) instead of the
plain SHA-256 hex digest. Whoever can write the database but not read the key can
no longer append a forged entry or rewrite history and re-hash it. Entries written
before the key existed stay plain and still verify, but only as the start of the
trail: a plain entry after a keyed one is a break, and so is a trail with no keyed
entry at all once the key exists (the first start with a key writes one).
"""

from __future__ import annotations

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlmodel import col

from db.clock import now
from db.models import (
    AuditEvent,
    Center,
    Counter,
    Dossier,
    DossierStatus,
    Holiday,
    Officer,
    PrintJob,
    Procedure,
    ProcedureAlias,
    Rating,
    Service,
    Setting,
    Ticket,
)

AUDITED: dict[type, str] = {
    Ticket: "ticket",
    Dossier: "dossier",
    DossierStatus: "dossier_status",
    PrintJob: "print_job",
    Procedure: "procedure",
    ProcedureAlias: "procedure_alias",
    Holiday: "holiday",
    Officer: "officer",
    Counter: "counter",
    Rating: "rating",
    # the configuration as mirrored into the database
    Center: "center",
    Service: "service",
}
PERSONAL = {
    "applicant_name",
    "applicant_search",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "applicant_email",
    "applicant_birth_year",
    "submitter_name",
    "submitter_id_number",
    "submitter_phone",
    "notes",
    "returned_to",
    "person_key",
    "refusal_reason",
    "reason",
    "password_hash",
    "document",
    "data",
}
HEAD_KEY = "audit.head"
KEYED = "k"
_actor: int | None = None
_key: bytes | None = None


def set_actor(officer_id: int | None) -> None:
    """The officer this process acts for (set at login, cleared at logout)."""
    global _actor
    _actor = officer_id


def actor() -> int | None:
    return _actor


def set_key(key: bytes | None) -> None:
    """The center's audit key (:mod:`db.audit_key`): entries are keyed from now on."""
    global _key
    _key = key


def key() -> bytes | None:
    return _key


def _plain(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


def _content(prev_hash: str, entry: Any) -> bytes:
    return json.dumps(
        [
            prev_hash,
            entry.at.isoformat(),
            entry.officer_id,
            entry.action,
            entry.entity,
            entry.entity_id,
            entry.detail,
        ],
        ensure_ascii=False,
    ).encode("utf-8")


def _hash(content: bytes, key: bytes | None) -> str:
    """Plain SHA-256 (64 hex digits), or keyed: ``k`` + 63 hex digits of the HMAC,
    so both fit the 64 characters of the ``hash`` column."""
    if key is None:
        return hashlib.sha256(content).hexdigest()
    return KEYED + hmac.new(key, content, hashlib.sha256).hexdigest()[:63]


def digest(prev_hash: str, entry: Any) -> str:
    """The hash of ``entry`` (an AuditEvent or a row mapping's attributes) chained
    to ``prev_hash``: keyed when this process holds the audit key."""
    return _hash(_content(prev_hash, entry), _key)


def keyed(hash_value: str) -> bool:
    return hash_value.startswith(KEYED)


def describe(values: Mapping[str, Any], created: bool = False) -> str:
    """The ``detail`` of an entry: the fields given (a new row's non-empty fields),
    personal ones by name only."""
    changed = {
        key: "(personal)" if key in PERSONAL else _plain(value)
        for key, value in values.items()
        if key not in ("updated_at", "version") and not (created and value in (None, ""))
    }
    return json.dumps(changed, ensure_ascii=False, sort_keys=True)


def ensure_head(session: Session) -> None:
    """Create the chain head row once (INSERT … ON CONFLICT DO NOTHING), so that
    concurrent first writers on PostgreSQL lock an existing row instead of racing
    to insert it."""
    table = Setting.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table)
    last = session.execute(
        select(col(AuditEvent.hash)).order_by(col(AuditEvent.id).desc()).limit(1)
    ).scalar_one_or_none()
    session.execute(
        stmt.values(key=HEAD_KEY, value=last or "").on_conflict_do_nothing(index_elements=["key"])
    )


def append(
    session: Session,
    action: str,
    entity: str,
    entity_id: str = "",
    detail: str = "",
    officer_id: int | None = None,
) -> None:
    """Append one entry (a login, an export: no row change) to the chain inside the
    session's transaction, now."""
    from db.changes import ChangeRecorder

    recorder = ChangeRecorder(now(), officer_id)
    recorder.entry(action, entity, entity_id, detail)
    recorder.write(session.connection())


@dataclass(frozen=True)
class Break:
    entry_id: int
    reason: str


def verify(session: Session, key: bytes | None = None) -> tuple[int, Break | None]:
    """(entries checked, the first break or None); ``key``: the audit key to check
    keyed entries with (default: this process's)."""
    key = key if key is not None else _key
    prev = ""
    count = 0
    seen_keyed = False
    for entry in session.execute(select(AuditEvent).order_by(col(AuditEvent.id))).scalars():
        assert entry.id is not None
        if entry.prev_hash != prev:
            return count, Break(entry.id, "prev_hash does not match the entry before it")
        if keyed(entry.hash):
            if key is None:
                return count, Break(entry.id, "the entry is keyed and the audit key is missing")
            seen_keyed = True
            expected = _hash(_content(prev, entry), key)
        elif seen_keyed:
            return count, Break(entry.id, "an unkeyed entry after keyed ones (forged or re-hashed)")
        else:
            expected = _hash(_content(prev, entry), None)
        if expected != entry.hash:
            return count, Break(entry.id, "hash does not match the entry's content")
        prev = entry.hash
        count += 1
    head = session.get(Setting, HEAD_KEY)
    if count and head is None:
        return count, Break(0, "the chain head is missing (the last entries may be deleted)")
    if head is not None and head.value != prev:
        return count, Break(0, "the last entries were deleted (the chain head is further on)")
    if count and key is not None and not seen_keyed:
        return count, Break(
            0, "no entry is keyed though this center has an audit key (rewritten, or older)"
        )
    return count, None
