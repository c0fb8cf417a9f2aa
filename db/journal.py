"""Units of work written with Core statements, with their outbox and audit rows.

The ORM's session events (:mod:`db.outbox`, :mod:`db.audit`) cost several flush
rounds per unit of work. The queue's steps (issue, call next, start, finish, …) run
while they hold the database's write lock, where every millisecond is a millisecond
the other counters and the kiosk wait, so they write with Core
``INSERT/UPDATE … RETURNING`` statements, compiled once and run on the driver
(:mod:`db.prepared`), through a :class:`Journal` instead. The journal keeps the
same promises as the events:

- every row of a synced table it writes gets an outbox row with the row's full
  snapshot and version (:func:`db.outbox.snapshot_of`, :func:`db.outbox.version_for`);
- every row of an audited table gets a hash-chained audit entry whose detail lists
  the fields the step set, personal ones by name only (:func:`db.audit.describe`);
- all of it lands in the caller's transaction, so it commits or vanishes together.

The audit entries are chained with one read of the chain head (``FOR UPDATE`` on
PostgreSQL) and one write, and the outbox rows go in as one batch, at
:meth:`Journal.close`, which the caller runs before committing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, insert, select, update

from db import audit, outbox
from db.models import AuditEvent, Outbox, Setting
from db.prepared import Conn, Prepared, insert_of, prepared


def _table(model: type) -> Any:
    return model.__table__  # type: ignore[attr-defined]


# Statements are compiled once per dialect and run on the driver (db.prepared).


def _insert(conn: Conn, model: type, keys: tuple[str, ...]) -> Prepared:
    return prepared(conn.dialect, ("insert", model, keys), lambda: insert_of(_table(model), keys))


def _update(conn: Conn, model: type, keys: tuple[str, ...], status_guard: bool) -> Prepared:
    """UPDATE one row by id (and status, if guarded) setting ``keys``; a table with a
    ``version`` column gets it bumped."""

    def build() -> Any:
        table = _table(model)
        where = [table.c.id == bindparam("_id")]
        if status_guard:
            where.append(table.c.status == bindparam("_status"))
        values: dict[str, Any] = {k: bindparam(k, type_=table.c[k].type) for k in keys}
        if "version" in table.c:
            values["version"] = table.c.version + 1
        return update(table).where(*where).values(values).returning(*table.c)

    return prepared(conn.dialect, ("update", model, keys, status_guard), build)


_SETTING, _TRAIL, _OUTBOX = _table(Setting), _table(AuditEvent), _table(Outbox)
_UNSET = object()
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
    return prepared(conn.dialect, name, _STATEMENTS[name])


class Journal:
    """Writes of one transaction on ``conn``, at time ``at``, by ``officer_id``
    (None: the process's logged-in officer)."""

    def __init__(self, conn: Conn, at: datetime, officer_id: int | None = None) -> None:
        self.conn = conn
        self.at = at
        self.officer_id = officer_id if officer_id is not None else audit.actor()
        self._outbox: list[dict[str, Any]] = []
        self._audit: list[dict[str, Any]] = []

    def insert(self, model: type, values: Mapping[str, Any]) -> dict[str, Any]:
        """Insert one row; returns it as stored (with its id and defaults)."""
        row: dict[str, Any] = (
            _insert(self.conn, model, tuple(values)).one_or_none(self.conn, values)._asdict()
        )
        self._changed(model, row, "create", audit.describe(row, created=True))
        return row

    def update(
        self,
        model: type,
        row_id: int,
        values: Mapping[str, Any],
        *,
        if_status: str | None = None,
        before: Any = None,
    ) -> dict[str, Any] | None:
        """Update row ``row_id`` (only while its status is ``if_status``, if given),
        bumping its version; returns it as stored, or None when no row matched
        (nothing is recorded then). ``before``: the row as read earlier in this
        transaction (any object with its fields as attributes); the audit entry then
        lists only the fields whose value changed, as the ORM's entries do."""
        stmt = _update(self.conn, model, tuple(values), if_status is not None)
        found = stmt.one_or_none(self.conn, {**values, "_id": row_id, "_status": if_status})
        if found is None:
            return None
        row: dict[str, Any] = found._asdict()
        changed = {
            k: row[k] for k in values if before is None or getattr(before, k, _UNSET) != row[k]
        }
        self._changed(model, row, "update", audit.describe(changed))
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
            _stmt(self.conn, "add_outbox").many(self.conn, self._outbox)
        self._audit, self._outbox = [], []

    def _chain(self) -> None:
        conn = self.conn
        head = _stmt(conn, "head").scalar(conn)
        missing = head is None
        if head is None:
            head = _stmt(conn, "last_hash").scalar(conn) or ""
        add = _stmt(conn, "add_entry")
        for entry in self._audit:
            entry["prev_hash"] = head
            entry["hash"] = head = audit.digest(head, SimpleNamespace(**entry))
            entry_id = add.scalar(conn, entry)
            self._outbox.append(self._outbox_row(AuditEvent, {"id": entry_id, **entry}))
        _stmt(conn, "new_head" if missing else "move_head").run(conn, {"value": head})
