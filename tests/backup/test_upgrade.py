"""A schema upgrade takes a backup first and says where; one that fails leaves the
database as it was."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest

from db import migrate
from db.engine import make_engine
from desk.center.config import Config
from desk.center.runtime import Runtime, open_runtime
from desk.errors import DatabaseError
from desk.queue.engine import Queue
from tests.backup.test_backup import close, db_of, dump
from tests.conftest import SAMPLE_CONFIG

FAILING = """
import sqlalchemy as sa
from alembic import op

revision = "9999"
down_revision = "{head}"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("ticket") as batch:
        batch.add_column(sa.Column("lane", sa.Integer(), nullable=True))
    op.create_table("half_done", sa.Column("id", sa.Integer(), primary_key=True))
    op.execute("UPDATE ticket SET status = 'cancelled'")
    {commit}
    raise RuntimeError("the disk hiccuped half-way")


def downgrade() -> None:
    pass
"""


def failing_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, commit: bool) -> None:
    """The real migrations plus one that fails part-way (``commit``: after committing
    its first steps, which SQLite then cannot roll back)."""
    scripts = tmp_path / "migrations"
    shutil.copytree(migrate.MIGRATIONS, scripts, ignore=shutil.ignore_patterns("__pycache__"))
    (scripts / "versions" / "9999_fails.py").write_text(
        FAILING.format(head=migrate.HEAD, commit='op.execute("COMMIT")' if commit else "")
    )
    monkeypatch.setattr(migrate, "MIGRATIONS", scripts)
    monkeypatch.setattr(migrate, "HEAD", "9999")


@pytest.mark.parametrize("commit", [False, True], ids=["rolled-back", "committed-part-way"])
def test_a_failed_migration_leaves_the_database_as_it_was(
    runtime: Runtime, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, commit: bool
) -> None:
    q = Queue(runtime)
    q.issue("A")
    q.issue("B")
    db = db_of(runtime)
    head = migrate.HEAD
    close(runtime)
    before = dump(db)
    failing_migrations(tmp_path, monkeypatch, commit)
    with pytest.raises(DatabaseError) as failed:
        open_runtime(runtime.config, runtime.url)
    message = str(failed.value)
    assert f"Nâng cấu trúc {head} → 9999 không được: the disk hiccuped half-way" in message
    assert "cơ sở dữ liệu giữ nguyên như trước (bản sao lưu trước khi nâng cấp: " in message
    assert dump(db) == before
    conn = sqlite3.connect(db)
    columns = [r[1] for r in conn.execute("PRAGMA table_info(ticket)")]
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
    conn.close()
    assert "lane" not in columns and "half_done" not in tables
    [copy] = (db.parent / "backups").glob("desk-*-before-9999.db")
    assert str(copy) in message
    assert dump(copy) == before
    # and the desk of before still opens it, as if nothing had happened
    monkeypatch.undo()
    again = open_runtime(runtime.config, runtime.url)
    assert Queue(again).issue("A").ticket.number == "A002"


def test_an_upgrade_takes_a_backup_first_and_says_where(
    tmp_path: Path,
    config: Config,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """An old database (schema 0004) upgraded by ``desk db upgrade``."""
    from desk.cli import run

    db = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine, "0004")
    engine.dispose()
    before = dump(db)
    usb = tmp_path / "usb"
    usb.mkdir()
    cfg = tmp_path / "config.toml"
    cfg.write_text(SAMPLE_CONFIG.read_text("utf-8").replace('dir = ""', f'dir = "{usb}"'), "utf-8")
    monkeypatch.setenv("DESK_DB", f"sqlite:///{db}")
    monkeypatch.setenv("DESK_CONFIG", str(cfg))
    assert run(["db", "upgrade"]) == 0
    [copy] = usb.glob(f"desk-{config.center.agency_code}-*-before-{migrate.HEAD}.db")
    assert f"Đã sao lưu trước khi nâng cấp cơ sở dữ liệu: {copy}" in capsys.readouterr().err
    assert dump(copy) == before  # the copy is the database before the upgrade
    assert migrate.current_revision(make_engine(f"sqlite:///{db}")) == migrate.HEAD
    # with the schema up to date, nothing more is copied
    assert run(["db", "upgrade"]) == 0
    assert len(list(usb.iterdir())) == 1
    assert "sao lưu" not in capsys.readouterr().err


def test_a_missing_backup_folder_does_not_stop_an_upgrade(tmp_path: Path, config: Config) -> None:
    """The USB stick is not plugged in: the copy goes beside the database instead."""
    db = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{db}")
    migrate.upgrade(engine, "0004")
    engine.dispose()
    absent = config.backup.model_copy(update={"dir": str(tmp_path / "absent-stick")})
    rt = open_runtime(config.model_copy(update={"backup": absent}), f"sqlite:///{db}")
    assert rt.upgrade_backup is not None
    assert rt.upgrade_backup.parent == tmp_path / "backups"
    assert not (tmp_path / "absent-stick").exists()
