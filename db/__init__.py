"""Database layer: SQLModel tables, engine and session setup, Alembic migrations."""
