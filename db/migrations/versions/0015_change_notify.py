"""change notify: PostgreSQL tells the screens that poll when a table they show changed

Revision ID: 0015
Revises: 0012
Create Date: 2026-11-30

On a PostgreSQL center database each table the counter, board, rating and sync-badge
screens read gets a statement trigger that notifies the ``desk_changes`` channel;
PostgreSQL delivers the notification when the transaction commits (once per
transaction, however many statements), and :mod:`desk.queue.watch` listens on it so a
screen reads again only after a change. SQLite needs nothing: its ``PRAGMA
data_version`` answers the same question.
"""

from __future__ import annotations

from alembic import op

revision = "0015"
down_revision = "0012"
branch_labels = None
depends_on = None

CHANNEL = "desk_changes"  # desk.queue.watch.CHANNEL
TABLES = (
    "ticket",
    "ticket_event",
    "counter",
    "appointment",
    "rating",
    "dossier",
    "outbox",
    "setting",
)


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION desk_changed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN PERFORM pg_notify('{CHANNEL}', ''); RETURN NULL; END $$"
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER desk_changed AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE "
            f'ON "{table}" FOR EACH STATEMENT EXECUTE FUNCTION desk_changed()'
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f'DROP TRIGGER IF EXISTS desk_changed ON "{table}"')
    op.execute("DROP FUNCTION IF EXISTS desk_changed()")
