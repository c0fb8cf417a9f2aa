"""The one procedure that turns a transaction's changes into audit and outbox rows.

Two paths write rows: the ORM (every flush of a session) and the queue's Core
statements (:class:`db.journal.Journal`). Both are thin adapters that tell a
:class:`ChangeRecorder` what changed — a row's model, its values as stored, the
action, and for an update the fields whose value changed — and have it write the
rows in the same transaction. The recorder alone decides:

- which changes get an outbox row (the models of :data:`db.outbox.ENTITIES`,
  created or updated, with :func:`db.outbox.snapshot_of` and
  :func:`db.outbox.version_for`; a deletion has no row to send);
- which get an audit entry (the models of :data:`db.audit.AUDITED`; its detail by
  :func:`db.audit.describe`: a new row's non-empty fields, an update's changed
  fields, personal ones by name only);
- how entries are chained: one read of the chain head (``FOR UPDATE`` on
  PostgreSQL; when the head row is missing, the last entry's hash, and the head row
  is created), each entry hashed with :func:`db.audit.digest` over the one before,
  and one write of the head;
- that every audit entry gets its own outbox row, after the rows it describes.

It writes with the same Core statements on either path (compiled once,
:mod:`db.prepared`), on the transaction's connection, so the rows commit or vanish
with the change.

The ORM adapter is the session events at the bottom of this module: changes are
collected before a flush (when the attributes' history still tells what changed)
and recorded right after it (when ids are known).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, event, insert, inspect, select, update
from sqlalchemy.orm import Session, UOWTransaction

from db import audit, outbox
from db.clock import now
from db.models import AuditEvent, Outbox, Setting
from db.prepared import Conn, Prepared, insert_of, prepared


def _table(model: type) -> Any:
    return model.__table__  # type: ignore[attr-defined]


_SETTING, _TRAIL, _OUTBOX = _table(Setting), _table(AuditEvent), _table(Outbox)
_ENTRY_KEYS = ("at", "officer_id", "action", "entity", "entity_id", "detail", "prev_hash", "hash")
_OUTBOX_KEYS = ("created_at", "entity", "entity_id", "version", "payload")
_STATEMENTS: dict[str, Any] = {
    "head": lambda: (
        select(_SETTING.c.value).where(_SETTING.c.key == audit.HEAD_KEY).with_for_update()
    ),
    "last_hash": lambda: select(_TRAIL.c.hash).order_by(_TRAIL.c.id.desc()).limit(1),
    "new_head": lambda: insert(_SETTING).values(key=audit.HEAD_KEY, value=bindparam("value")),
    "move_head": lambda: (
        update(_SETTING).where(_SETTING.c.key == audit.HEAD_KEY).values(value=bindparam("value"))
    ),
    "add_entry": lambda: insert_of(_TRAIL, _ENTRY_KEYS, [_TRAIL.c.id]),
    "add_outbox": lambda: insert_of(_OUTBOX, _OUTBOX_KEYS, []),
}


def _stmt(conn: Conn, name: str) -> Prepared:
    return prepared(conn.dialect, ("changes", name), _STATEMENTS[name])


class ChangeRecorder:
    """The audit and outbox rows of changes made at ``at`` by ``officer_id`` (None:
    the process's logged-in officer), written by :meth:`write`."""

    def __init__(self, at: datetime, officer_id: int | None = None) -> None:
        self.at = at
        self.officer_id = officer_id if officer_id is not None else audit.actor()
        self._outbox: dict[tuple[str, int, int], dict[str, Any]] = {}
        self._audit: list[dict[str, Any]] = []

    def changed(
        self,
        model: type,
        row: Mapping[str, Any],
        action: str,
        fields: Iterable[str] | None = None,
    ) -> None:
        """``row`` (every column, as stored) was created, updated or deleted
        (``action``); ``fields``: for an update, the fields whose value changed."""
        if model in outbox.ENTITIES and action != "delete":
            self._add_outbox(model, row)
        if model in audit.AUDITED:
            if action == "create":
                detail = audit.describe(row, created=True)
            elif action == "update":
                detail = audit.describe({key: row[key] for key in fields or ()})
            else:
                detail = ""
            self.entry(action, audit.AUDITED[model], str(row["id"]), detail)

    def entry(self, action: str, entity: str, entity_id: str = "", detail: str = "") -> None:
        """An audit entry not tied to a row change (a login, an export)."""
        self._audit.append(
            {
                "at": self.at,
                "officer_id": self.officer_id,
                "action": action[:64],
                "entity": entity[:32],
                "entity_id": entity_id[:64],
                "detail": detail,
            }
        )

    def _add_outbox(self, model: type, row: Mapping[str, Any]) -> None:
        entity, version = outbox.ENTITIES[model], outbox.version_for(model, row)
        # a row flushed twice at the same version is sent once, as it is now
        self._outbox[(entity, int(row["id"]), version)] = {
            "created_at": self.at,
            "entity": entity,
            "entity_id": row["id"],
            "version": version,
            "payload": json.dumps(
                outbox.snapshot_of(model, row), ensure_ascii=False, sort_keys=True
            ),
        }

    def write(self, conn: Conn) -> None:
        """Chain and insert the audit entries, then insert every outbox row (the
        entries' own last), in ``conn``'s transaction; the recorder is empty after."""
        if self._audit:
            self._chain(conn)
        if self._outbox:
            _stmt(conn, "add_outbox").many(conn, list(self._outbox.values()))
        self._audit, self._outbox = [], {}

    def _chain(self, conn: Conn) -> None:
        head = _stmt(conn, "head").scalar(conn)
        missing = head is None
        if head is None:
            head = _stmt(conn, "last_hash").scalar(conn) or ""
        add = _stmt(conn, "add_entry")
        for entry in self._audit:
            entry["prev_hash"] = head
            entry["hash"] = head = audit.digest(head, SimpleNamespace(**entry))
            entry_id = add.scalar(conn, entry)
            self._add_outbox(AuditEvent, {"id": entry_id, **entry})
        _stmt(conn, "new_head" if missing else "move_head").run(conn, {"value": head})


# --- the ORM adapter: session events -------------------------------------------

_PENDING = "desk_changes_pending"
_WATCHED = set(audit.AUDITED) | set(outbox.ENTITIES)


def _values(obj: Any) -> dict[str, Any]:
    return {attr.key: getattr(obj, attr.key) for attr in inspect(type(obj)).column_attrs}


def _changed_fields(obj: Any) -> list[str]:
    state = inspect(obj)
    return [
        attr.key
        for attr in state.mapper.column_attrs
        if state.attrs[attr.key].history.has_changes()
    ]


@event.listens_for(Session, "before_flush")
def _collect(session: Session, _flush: UOWTransaction, _instances: object) -> None:
    pending: list[tuple[str, Any, list[str] | None]] = session.info.setdefault(_PENDING, [])
    for obj in session.new:
        if type(obj) in _WATCHED:
            pending.append(("create", obj, None))
    for obj in session.dirty:
        if type(obj) in _WATCHED and session.is_modified(obj):
            pending.append(("update", obj, _changed_fields(obj)))
    for obj in session.deleted:
        if type(obj) in audit.AUDITED:
            pending.append(("delete", obj, None))


@event.listens_for(Session, "after_flush_postexec")
def _record(session: Session, _flush: UOWTransaction) -> None:
    pending: list[tuple[str, Any, list[str] | None]] = session.info.pop(_PENDING, [])
    if not pending:
        return
    recorder = ChangeRecorder(now())
    for action, obj, fields in pending:
        row = {"id": obj.id} if action == "delete" else _values(obj)
        recorder.changed(type(obj), row, action, fields)
    recorder.write(session.connection())


@event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_PENDING, None)
