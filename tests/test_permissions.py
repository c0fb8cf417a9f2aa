"""What desk creates on disk is its owner's only: the database, the log, the key."""

from __future__ import annotations

import logging
import stat
from pathlib import Path

from desk.center.config import Config
from desk.center.runtime import open_runtime
from desk.logs import PrivateRotatingFileHandler


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_and_its_directory_are_the_owners_only(config: Config, tmp_path: Path) -> None:
    db = tmp_path / "new-dir" / "desk.db"
    rt = open_runtime(config, f"sqlite:///{db}")
    with rt.engine.connect() as conn:  # a connection open: the -wal and -shm exist
        conn.exec_driver_sql("SELECT 1")
        files = sorted(p.name for p in db.parent.iterdir())
        # the lock file every running role holds (a restore waits for it)
        assert files == ["desk.db", "desk.db-shm", "desk.db-wal", "desk.db.lock"]
        assert {name: mode(db.parent / name) for name in files} == dict.fromkeys(files, 0o600)
    assert mode(db.parent) == 0o700


def test_log_files_are_the_owners_only_rotated_ones_too(tmp_path: Path) -> None:
    path = tmp_path / "logs" / "desk.log"
    path.parent.mkdir()
    handler = PrivateRotatingFileHandler(path, maxBytes=200, backupCount=2, encoding="utf-8")
    logger = logging.getLogger("desk.test_permissions")
    logger.addHandler(handler)
    try:
        for i in range(20):
            logger.warning("line %s of the log, long enough to rotate soon", i)
    finally:
        logger.removeHandler(handler)
        handler.close()
    files = sorted(path.parent.iterdir())
    assert [p.name for p in files] == ["desk.log", "desk.log.1", "desk.log.2"]
    assert {p.name: mode(p) for p in files} == {p.name: 0o600 for p in files}
