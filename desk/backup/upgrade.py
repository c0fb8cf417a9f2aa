"""Schema upgrades with a backup first, and nothing changed when one fails.

Before a pending migration runs on a SQLite file, the database is backed up (into
the configured folder, or ``backups`` beside the database when that folder is
missing, so a missing USB stick never stops a center from starting), and where the
copy went is reported. Alembic runs the migration in one transaction, which SQLite
rolls back when a step fails; should the schema still have changed (a step that
committed on its own), the copy is written back over the database with the
backup API. Either way the database is as it was and the error says so.
A PostgreSQL center database is the province's to back up (pg_dump); it is
migrated without a copy.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import Engine

from db import migrate as schema
from db.engine import sqlite_path
from desk import logs
from desk.backup.copy import BackupError, folder, read_only, take_backup
from desk.center.config import Config
from desk.errors import DatabaseError
from desk.i18n import t

log = logs.get("backup")


def migrate(engine: Engine, url: str, config: Config) -> Path | None:
    """Bring the schema to ``HEAD``; the backup taken first, if any."""
    before = schema.current_revision(engine)
    if before == schema.HEAD:
        return None
    db = sqlite_path(url)
    copy = _backup_first(db, config) if before is not None and db is not None else None
    shape = _shape(engine) if db is not None else None
    try:
        schema.upgrade(engine)
    except Exception as exc:
        detail = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        if copy is not None and db is not None and _shape(engine) != shape:
            engine.dispose()
            _write_back(copy, db)
        where = t("walkthrough.db.upgrade_backup", path=copy) if copy else ""
        raise DatabaseError(
            t(
                "walkthrough.db.upgrade_failed",
                before=before or "—",
                head=schema.HEAD,
                detail=detail,
                where=where,
            )
        ) from None
    if copy is not None:
        log.info(
            "schema upgraded %s → %s; backup before the upgrade: %s", before, schema.HEAD, copy
        )
    return copy


def _backup_first(db: Path, config: Config) -> Path:
    configured, create = folder(config.backup.dir, db)
    agency = config.center.agency_code
    try:
        return take_backup(db, agency, configured, tag=schema.HEAD, create_dest=create).path
    except BackupError as exc:
        fallback, _ = folder("", db)
        if fallback == configured:
            raise DatabaseError(t("walkthrough.db.backup_first", error=exc)) from None
        log.warning("backup before the upgrade: %s; using %s instead", exc, fallback)
        try:
            return take_backup(db, agency, fallback, tag=schema.HEAD, create_dest=True).path
        except BackupError as again:
            raise DatabaseError(t("walkthrough.db.backup_first", error=again)) from None


def _shape(engine: Engine) -> tuple[str | None, list[tuple[str, ...]]]:
    """The schema revision and every table's and index's definition."""
    from sqlalchemy import text

    with engine.connect() as conn:
        rows = [
            tuple(str(v) for v in row)
            for row in conn.execute(
                text("SELECT type, name, sql FROM sqlite_master ORDER BY type, name")
            )
        ]
        conn.rollback()
    return schema.current_revision(engine), rows


def _write_back(copy: Path, db: Path) -> None:
    src = read_only(copy)
    dst = sqlite3.connect(db, timeout=30)
    try:
        src.backup(dst)
    finally:
        src.close()
        dst.close()
    log.warning("schema upgrade failed part-way; %s written back from %s", db, copy)
