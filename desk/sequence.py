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
from sqlmodel import Session

from db.models import DailySequence

_BUMP: dict[str, Any] = {}


def _bump(dialect: str) -> Any:
    """The upsert returning the new last number, built once per dialect."""
    if dialect not in _BUMP:
        table = DailySequence.__table__  # type: ignore[attr-defined]
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert as pg_insert

            stmt: Any = pg_insert(table)
        else:
            from sqlalchemy.dialects.sqlite import insert as sqlite_insert

            stmt = sqlite_insert(table)
        _BUMP[dialect] = (
            stmt.values(scope=bindparam("scope"), day=bindparam("day"), last=1)
            .on_conflict_do_update(index_elements=["scope", "day"], set_={"last": table.c.last + 1})
            .returning(table.c.last)
        )
    return _BUMP[dialect]


def next_number(session: Session, scope: str, day: date) -> int:
    conn = session.connection()
    last = conn.execute(_bump(conn.dialect.name), {"scope": scope, "day": day}).scalar_one()
    return int(last)
