"""ticket: indexes that give a counter's call its candidates in order, without a sort

Revision ID: 0013
Revises: 0012
Create Date: 2026-11-30

A call sorted the day's waiting tickets of the counter's services (a temporary
B-tree whose size grows with the queue). It now reads, per service, the first
waiting walk-in of each group straight from an index already in that order
(ix_ticket_waiting by queue time; ix_ticket_tier by tier then queue time), and the
few tickets transferred to a counter or checked in from a booking through
ix_ticket_routed.
"""

from __future__ import annotations

from alembic import op

revision = "0013"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_ticket_tier",
        "ticket",
        ["center_id", "day", "status", "service_id", "priority_tier", "queued_at"],
    )
    op.create_index(
        "ix_ticket_routed",
        "ticket",
        ["center_id", "day", "status", "target_counter_id", "appointment_id"],
    )


def downgrade() -> None:
    op.drop_index("ix_ticket_routed", table_name="ticket")
    op.drop_index("ix_ticket_tier", table_name="ticket")
