"""notice: messages to citizens about their dossiers (result ready, result early)

Revision ID: 0012
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("dossier_id", sa.Integer(), sa.ForeignKey("dossier.id"), nullable=False),
        sa.Column("event", sa.String(16), nullable=False),
        sa.Column("key", sa.String(96), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(), nullable=False),
    )
    op.create_index("ix_notice_dossier_id", "notice", ["dossier_id"])
    op.create_index("ix_notice_key", "notice", ["key"], unique=True)
    op.create_index("ix_notice_state", "notice", ["state"])


def downgrade() -> None:
    op.drop_table("notice")
