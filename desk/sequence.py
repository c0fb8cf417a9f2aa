"""Numbers that must never repeat: ticket numbers, dossier codes, register entries.

One ``daily_sequence`` row per scope and day holds the last number handed out.
:func:`next_number` bumps it with a single upsert inside the caller's transaction,
so the number and the row that uses it commit (or vanish) together, and two
processes never get the same number (SQLite: the write lock of BEGIN IMMEDIATE;
PostgreSQL: the row lock of the upsert).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import bindparam

from db.models import DailySequence
from db.prepared import Conn, prepared


def _bump(dialect: str) -> Any:
    """The upsert returning the new last number."""
    table = DailySequence.__table__  # type: ignore[attr-defined]
    if dialect == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table)
    return (
        stmt.values(scope=bindparam("scope"), day=bindparam("day", type_=table.c.day.type), last=1)
        .on_conflict_do_update(index_elements=["scope", "day"], set_={"last": table.c.last + 1})
        .returning(table.c.last)
    )


def next_number(conn: Conn, scope: str, day: date) -> int:
    """The next number of ``scope`` on ``day``, in ``conn``'s transaction."""
    bump = prepared(conn.dialect, "next_number", lambda: _bump(conn.dialect.name))
    return int(bump.scalar(conn, {"scope": scope, "day": day}))
