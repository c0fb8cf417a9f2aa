"""dossier.refused_at and the indexes reports read by (covering the period scans)

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-22

refused_at is filled from the status history for dossiers already refused.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("dossier") as batch:
        batch.add_column(sa.Column("refused_at", sa.DateTime(), nullable=True))
        batch.create_index(
            "ix_dossier_report",
            [
                "received_at",
                "procedure_code",
                "channel",
                "resolved_at",
                "refused_at",
                "due_at",
                "fee_vnd",
                "payment_method",
                "extended",
            ],
        )
        batch.create_index(
            "ix_dossier_open",
            [
                "resolved_at",
                "received_at",
                "procedure_code",
                "channel",
                "refused_at",
                "due_at",
                "fee_vnd",
                "payment_method",
                "extended",
            ],
        )
        batch.create_index("ix_dossier_returned_at", ["returned_at"])
    op.create_index("ix_dossier_status_to_at", "dossier_status", ["to_status", "at"])
    op.create_index("ix_rating_report", "rating", ["at", "counter_id", "officer_id", "score"])
    op.execute(
        "UPDATE dossier SET refused_at = (SELECT max(s.at) FROM dossier_status s "
        "WHERE s.dossier_id = dossier.id AND s.to_status = 'refused') WHERE status = 'refused'"
    )


def downgrade() -> None:
    op.drop_index("ix_rating_report", "rating")
    op.drop_index("ix_dossier_status_to_at", "dossier_status")
    with op.batch_alter_table("dossier") as batch:
        batch.drop_index("ix_dossier_returned_at")
        batch.drop_index("ix_dossier_open")
        batch.drop_index("ix_dossier_report")
        batch.drop_column("refused_at")
