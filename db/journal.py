"""Units of work written with Core statements, with their outbox and audit rows.

The ORM's session events (:mod:`db.outbox`, :mod:`db.audit`) cost several flush
rounds per unit of work. The queue's steps (issue, call next, start, finish, …) run
while they hold the database's write lock, where every millisecond is a millisecond
the other counters and the kiosk wait, so they write with Core
``INSERT/UPDATE … RETURNING`` through a :class:`Journal` instead. The journal keeps
the same promises as the events:

- every row of a synced table it writes gets an outbox row with the row's full
  snapshot and version (:func:`db.outbox.snapshot_of`, :func:`db.outbox.version_for`);
- every row of an audited table gets a hash-chained audit entry whose detail lists
  the fields the step set, personal ones by name only (:func:`db.audit.describe`);
- all of it lands in the caller's transaction, so it commits or vanishes together.

The audit entries are chained with one read of the chain head (``FOR UPDATE`` on
PostgreSQL) and one write, and the outbox rows go in as one statement, at
:meth:`Journal.close`, which the caller runs before committing.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from db import audit, outbox
from db.models import AuditEvent, Outbox, Setting


def _table(model: type) -> Any:
    return model.__table__  # type: ignore[attr-defined]


# Statements are built once and reused with bound parameters: building a statement
# costs about five times what executing a cached one does.


@functools.cache
def _insert_stmt(model: type) -> Any:
    table = _table(model)
    return insert(table).returning(*table.c)


@functools.cache
def _update_stmt(model: type, keys: tuple[str, ...], status_guard: bool) -> Any:
    """UPDATE one row by id (and status, if guarded) setting ``keys``; a table with a
    ``version`` column gets it bumped."""
    table = _table(model)
    where = [table.c.id == bindparam("_id")]
    if status_guard:
        where.append(table.c.status == bindparam("_status"))
    values: dict[str, Any] = {k: bindparam(k) for k in keys}
    if "version" in table.c:
        values["version"] = table.c.version + 1
    return update(table).where(*where).values(values).returning(*table.c)


_SETTING, _TRAIL, _OUTBOX = _table(Setting), _table(AuditEvent), _table(Outbox)
_HEAD = select(_SETTING.c.value).where(_SETTING.c.key == audit.HEAD_KEY).with_for_update()
_LAST_HASH = select(_TRAIL.c.hash).order_by(_TRAIL.c.id.desc()).limit(1)
_NEW_HEAD = insert(_SETTING)
_MOVE_HEAD = update(_SETTING).where(_SETTING.c.key == audit.HEAD_KEY)
_ADD_ENTRIES = insert(_TRAIL).returning(_TRAIL.c.id, sort_by_parameter_order=True)
_ADD_OUTBOX = insert(_OUTBOX)


class Journal:
    """Writes of one transaction on ``conn``, at time ``at``, by ``officer_id``
    (None: the process's logged-in officer)."""

    def __init__(self, conn: Connection, at: datetime, officer_id: int | None = None) -> None:
        self.conn = conn
        self.at = at
        self.officer_id = officer_id if officer_id is not None else audit.actor()
        self._outbox: list[dict[str, Any]] = []
        self._audit: list[dict[str, Any]] = []

    def insert(self, model: type, values: Mapping[str, Any]) -> dict[str, Any]:
        """Insert one row; returns it as stored (with its id and defaults)."""
        row = dict(self.conn.execute(_insert_stmt(model), dict(values)).mappings().one())
        self._changed(model, row, "create", audit.describe(row, created=True))
        return row

    def update(
        self,
        model: type,
        row_id: int,
        values: Mapping[str, Any],
        *,
        if_status: str | None = None,
    ) -> dict[str, Any] | None:
        """Update row ``row_id`` (only while its status is ``if_status``, if given),
        bumping its version; returns it as stored, or None when no row matched
        (nothing is recorded then)."""
        stmt = _update_stmt(model, tuple(values), if_status is not None)
        params = {**values, "_id": row_id, "_status": if_status}
        if if_status is None:
            del params["_status"]
        found = self.conn.execute(stmt, params).mappings().one_or_none()
        if found is None:
            return None
        row = dict(found)
        self._changed(model, row, "update", audit.describe({k: row[k] for k in values}))
        return row

    def _changed(self, model: type, row: Mapping[str, Any], action: str, detail: str) -> None:
        if model in outbox.ENTITIES:
            self._outbox.append(self._outbox_row(model, row))
        if model in audit.AUDITED:
            self._audit.append(
                {
                    "at": self.at,
                    "officer_id": self.officer_id,
                    "action": action,
                    "entity": audit.AUDITED[model],
                    "entity_id": str(row["id"]),
                    "detail": detail,
                }
            )

    def _outbox_row(self, model: type, row: Mapping[str, Any]) -> dict[str, Any]:
        return {
            "created_at": self.at,
            "entity": outbox.ENTITIES[model],
            "entity_id": row["id"],
            "version": outbox.version_for(model, row),
            "payload": json.dumps(
                outbox.snapshot_of(model, row), ensure_ascii=False, sort_keys=True
            ),
        }

    def close(self) -> None:
        """Chain and insert the audit entries, then insert every outbox row."""
        if self._audit:
            self._chain()
        if self._outbox:
            self.conn.execute(_ADD_OUTBOX, self._outbox)
        self._audit, self._outbox = [], []

    def _chain(self) -> None:
        head = self.conn.execute(_HEAD).scalar_one_or_none()
        missing = head is None
        if head is None:
            head = self.conn.execute(_LAST_HASH).scalar_one_or_none() or ""
        for entry in self._audit:
            entry["prev_hash"] = head
            entry["hash"] = head = audit.digest(head, SimpleNamespace(**entry))
        ids = self.conn.execute(_ADD_ENTRIES, self._audit).scalars()
        for entry, entry_id in zip(self._audit, ids, strict=True):
            self._outbox.append(self._outbox_row(AuditEvent, {"id": entry_id, **entry}))
        if missing:
            self.conn.execute(_NEW_HEAD, {"key": audit.HEAD_KEY, "value": head})
        else:
            self.conn.execute(_MOVE_HEAD, {"value": head})
