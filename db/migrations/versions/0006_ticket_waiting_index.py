"""ticket: an index for the day's waiting tickets (call next, the idle check, people ahead)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30

A counter's call and its idle check searched every ticket of the day by
(center_id, day) and filtered the waiting ones; with status in the key they read
only the waiting tickets, so their cost stays flat as the day's volume grows.
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_ticket_waiting", "ticket", ["center_id", "day", "status", "service_id", "queued_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_waiting", table_name="ticket")
