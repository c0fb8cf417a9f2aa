"""dossier: local processing time, legal due date, folded applicant name

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22

Fills applicant_search for dossiers already in the database.
"""

from __future__ import annotations

import unicodedata

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _fold(value: str) -> str:
    # Frozen copy of the folding rule as of this revision (desk.text.fold may evolve).
    value = value.replace("đ", "d").replace("Đ", "D")
    value = unicodedata.normalize("NFKD", value)
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return " ".join(value.lower().split())


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(
            sa.Column("applicant_search", sa.String(), nullable=False, server_default="")
        )
        batch.add_column(sa.Column("local_days", sa.Float(), nullable=True))
        batch.add_column(sa.Column("legal_due_at", sa.DateTime(), nullable=True))
        batch.create_index("ix_dossier_applicant_search", ["applicant_search"])
    conn = op.get_bind()
    rows = conn.execute(sa.text("SELECT id, applicant_name FROM dossier")).all()
    for row in rows:
        conn.execute(
            sa.text("UPDATE dossier SET applicant_search = :s WHERE id = :id"),
            {"s": _fold(row.applicant_name), "id": row.id},
        )


def downgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.drop_index("ix_dossier_applicant_search")
        batch.drop_column("legal_due_at")
        batch.drop_column("local_days")
        batch.drop_column("applicant_search")
