"""appointment table; ticket: appointment and person key; counter: priority streak

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "appointment",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("center_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("slot_start", sa.DateTime(), nullable=False),
        sa.Column("slot_end", sa.DateTime(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("upstream_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("ticket_id", sa.Integer(), nullable=True),
        sa.Column("checked_in_at", sa.DateTime(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["center_id"], ["center.id"], name="fk_appointment_center_id_center"
        ),
        sa.ForeignKeyConstraint(
            ["service_id"], ["service.id"], name="fk_appointment_service_id_service"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_appointment"),
        sa.UniqueConstraint("center_id", "code", name="uq_appointment_center_id"),
        sa.UniqueConstraint("upstream_id", name="uq_appointment_upstream_id"),
    )
    op.create_index(
        "ix_appointment_slot",
        "appointment",
        ["center_id", "service_id", "slot_start", "status"],
    )
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("appointment_id", sa.Integer(), nullable=True))
        batch.add_column(sa.Column("person_key", sa.String(length=64), nullable=True))
        batch.create_foreign_key(
            "fk_ticket_appointment_id_appointment", "appointment", ["appointment_id"], ["id"]
        )
        batch.create_index("ix_ticket_person", ["day", "person_key"])
    with op.batch_alter_table("counter") as batch:
        batch.add_column(
            sa.Column("priority_streak", sa.Integer(), nullable=False, server_default="0")
        )


def downgrade() -> None:
    with op.batch_alter_table("counter") as batch:
        batch.drop_column("priority_streak")
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_person")
        batch.drop_constraint("fk_ticket_appointment_id_appointment", type_="foreignkey")
        batch.drop_column("person_key")
        batch.drop_column("appointment_id")
    op.drop_index("ix_appointment_slot", table_name="appointment")
    op.drop_table("appointment")
