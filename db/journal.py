"""Units of work written with Core statements, with their outbox and audit rows.

The ORM's flushes cost several rounds per unit of work. The queue's steps (issue,
call next, start, finish, …) run while they hold the database's write lock, where
every millisecond is a millisecond the other counters and the kiosk wait, so they
write with Core ``INSERT/UPDATE … RETURNING`` statements, compiled once
(:mod:`db.prepared`), through a :class:`Journal` instead. The journal is a thin
adapter: it tells a :class:`db.changes.ChangeRecorder` — the same procedure the
ORM's session events feed — what each statement changed (the row as stored, and
for an update the fields whose value changed), and the recorder writes the audit
entries and outbox rows in the caller's transaction at :meth:`Journal.close`,
which the caller runs before committing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, update

from db.changes import ChangeRecorder
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


_UNSET = object()


class Journal:
    """Writes of one transaction on ``conn``, at time ``at``, by ``officer_id``
    (None: the process's logged-in officer)."""

    def __init__(self, conn: Conn, at: datetime, officer_id: int | None = None) -> None:
        self.conn = conn
        self.at = at
        self._recorder = ChangeRecorder(at, officer_id)

    def insert(self, model: type, values: Mapping[str, Any]) -> dict[str, Any]:
        """Insert one row; returns it as stored (with its id and defaults)."""
        row: dict[str, Any] = (
            _insert(self.conn, model, tuple(values)).one_or_none(self.conn, values)._asdict()
        )
        self._recorder.changed(model, row, "create")
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
        changed = [k for k in values if before is None or getattr(before, k, _UNSET) != row[k]]
        self._recorder.changed(model, row, "update", changed)
        return row

    def close(self) -> None:
        """Write the audit entries and outbox rows of everything written so far."""
        self._recorder.write(self.conn)
