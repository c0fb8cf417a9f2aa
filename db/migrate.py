"""Schema migrations with Alembic, run from code.

A new database is created by migrating from nothing; an older one is upgraded in
place when any role starts (and by ``desk db upgrade``). ``HEAD`` names the newest
revision so the start-up check is one cheap query and Alembic is imported only when
there is something to do; a test keeps ``HEAD`` equal to Alembic's own head.

New revision: change ``db/models.py``, then
``uv run python -m db.migrate revision "what changed"`` and review the file.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, inspect, text

HEAD = "0017"
MIGRATIONS = Path(__file__).with_name("migrations")


def _alembic_config(connection: Any) -> Any:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.attributes["connection"] = connection
    return cfg


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        if not inspect(conn).has_table("alembic_version"):
            return None
        row = conn.execute(text("SELECT version_num FROM alembic_version")).first()
        conn.rollback()
    return None if row is None else str(row[0])


def upgrade(engine: Engine, revision: str = "head") -> None:
    from alembic import command

    with engine.connect() as conn:
        conn = conn.execution_options(desk_immediate=True)
        command.upgrade(_alembic_config(conn), revision)
        conn.commit()


def ensure_schema(engine: Engine) -> bool:
    """Upgrade to ``HEAD`` if needed; True when a migration ran."""
    if current_revision(engine) == HEAD:
        return False
    upgrade(engine)
    return True


def _revision(message: str) -> None:
    import tempfile

    from alembic import command

    from db.engine import make_engine

    with tempfile.TemporaryDirectory() as tmp:
        engine = make_engine(f"sqlite:///{tmp}/rev.db")
        upgrade(engine)
        with engine.connect() as conn:
            command.revision(_alembic_config(conn), message=message, autogenerate=True)


if __name__ == "__main__":  # pragma: no cover - developer tool
    if len(sys.argv) != 3 or sys.argv[1] != "revision":
        sys.exit('usage: python -m db.migrate revision "message"')
    _revision(sys.argv[2])
