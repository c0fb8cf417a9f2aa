"""ticket: wait and service seconds, issue hour and weekday, and a covering report index

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-22

Fills the new columns for tickets already in the database.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

COLUMNS = ("wait_seconds", "service_seconds", "issue_hour", "issue_weekday")


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        for name in COLUMNS:
            batch.add_column(sa.Column(name, sa.Integer(), nullable=True))
        batch.create_index(
            "ix_ticket_report",
            [
                "day",
                "service_id",
                "status",
                "counter_id",
                "officer_id",
                "wait_seconds",
                "service_seconds",
                "issue_weekday",
                "issue_hour",
            ],
        )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "UPDATE ticket SET "
            "wait_seconds = CAST(EXTRACT(EPOCH FROM (called_at - issued_at)) AS INTEGER), "
            "service_seconds = CASE WHEN status = 'done' THEN "
            "CAST(EXTRACT(EPOCH FROM (finished_at - started_at)) AS INTEGER) END, "
            "issue_hour = CAST(EXTRACT(HOUR FROM issued_at) AS INTEGER), "
            "issue_weekday = CAST(EXTRACT(DOW FROM issued_at) AS INTEGER)"
        )
    else:
        op.execute(
            "UPDATE ticket SET "
            "wait_seconds = "
            "CAST(ROUND((julianday(called_at) - julianday(issued_at)) * 86400) AS INTEGER), "
            "service_seconds = CASE WHEN status = 'done' THEN "
            "CAST(ROUND((julianday(finished_at) - julianday(started_at)) * 86400) AS INTEGER) END, "
            "issue_hour = CAST(strftime('%H', issued_at) AS INTEGER), "
            "issue_weekday = CAST(strftime('%w', issued_at) AS INTEGER)"
        )


def downgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.drop_index("ix_ticket_report")
        for name in reversed(COLUMNS):
            batch.drop_column(name)
