"""procedure.search_text: accent-free text for forgiving catalogue search

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22

Adds the column and fills it for every procedure already in the database.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fold(value: str) -> str:
    # Frozen copy of the folding rule as of this revision (desk.text.fold may evolve).
    value = value.replace("đ", "d").replace("Đ", "D")
    value = unicodedata.normalize("NFKD", value)
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(value.lower().split())


def upgrade() -> None:
    with op.batch_alter_table("procedure") as batch:
        batch.add_column(sa.Column("search_text", sa.String(), nullable=False, server_default=""))
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, code, name, field FROM procedure")).all()
    for row in rows:
        conn.execute(
            sa.text("UPDATE procedure SET search_text = :s WHERE id = :id"),
            {"s": _fold(f"{row.code} {row.name} {row.field}"), "id": row.id},
        )


def downgrade() -> None:
    with op.batch_alter_table("procedure") as batch:
        batch.drop_column("search_text")
