"""Alembic environment: desk runs migrations programmatically (db.migrate)."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from db.models import metadata

config = context.config


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through db.migrate (desk db upgrade)")
run(connection)
