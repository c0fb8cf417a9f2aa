"""officer.version, and every existing account queued to go upstream

Revision ID: 0010
Revises: 0006
Create Date: 2026-11-30

Accounts now go upstream (so a center's PC can be rebuilt from the province with
its officers able to log in), keyed by a version bumped on every change like the
other synced rows. Accounts that exist already get their outbox row here, as the
session events would have written it.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0006"
branch_labels = None
depends_on = None


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, datetime | date) else value


def upgrade() -> None:
    with op.batch_alter_table("officer") as batch:
        batch.add_column(sa.Column("version", sa.Integer(), nullable=False, server_default="1"))
    bind = op.get_bind()
    officer = sa.Table("officer", sa.MetaData(), autoload_with=bind)
    outbox = sa.Table("outbox", sa.MetaData(), autoload_with=bind)
    now = datetime.now()
    rows = [dict(r._mapping) for r in bind.execute(sa.select(officer).order_by(officer.c.id))]
    if rows:
        bind.execute(
            outbox.insert(),
            [
                {
                    "created_at": now,
                    "entity": "officer",
                    "entity_id": row["id"],
                    "version": row["version"],
                    "payload": json.dumps(
                        {k: _plain(v) for k, v in row.items()}, ensure_ascii=False, sort_keys=True
                    ),
                    "attempts": 0,
                    "last_error": "",
                }
                for row in rows
            ],
        )


def downgrade() -> None:
    with op.batch_alter_table("officer") as batch:
        batch.drop_column("version")
