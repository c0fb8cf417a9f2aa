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

from sqlalchemy import select
from sqlmodel import Session

from db.models import DailySequence


def next_number(session: Session, scope: str, day: date) -> int:
    table = DailySequence.__table__  # type: ignore[attr-defined]
    if session.get_bind().dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        stmt: Any = pg_insert(table)
    else:
        from sqlalchemy.dialects.sqlite import insert as sqlite_insert

        stmt = sqlite_insert(table)
    stmt = stmt.values(scope=scope, day=day, last=1).on_conflict_do_update(
        index_elements=["scope", "day"], set_={"last": table.c.last + 1}
    )
    session.execute(stmt)
    last = session.execute(
        select(table.c.last).where(table.c.scope == scope, table.c.day == day)
    ).scalar_one()
    return int(last)
