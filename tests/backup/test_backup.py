"""Backups and restores on real SQLite files, with real desk processes working
on the database while a backup is taken."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import pytest

from db.engine import sqlite_path
from desk import clock
from desk.backup.copy import Backup, BackupError, rotate, take_backup
from desk.backup.lock import DatabaseInUse
from desk.backup.restore import RestoreRefused, restore
from desk.center.config import Config, load_config
from desk.center.runtime import DEMO_CATALOGUE, DEMO_LINKED, Runtime, open_runtime
from desk.dossiers.catalogue import import_catalogue
from desk.queue.engine import Queue

ROOT = Path(__file__).resolve().parents[2]
AGENCY = "000.31.27.H31"


def dump(db: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, in rowid order (the restore's equality check)."""
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        names = [
            r[0]
            for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {n: conn.execute(f'SELECT * FROM "{n}" ORDER BY rowid').fetchall() for n in names}
    finally:
        conn.close()


def day_of_work(rt: Runtime) -> None:
    from tests.dossiers.test_intake import form, save

    import_catalogue(rt.engine, DEMO_CATALOGUE)
    q = Queue(rt)
    for _ in range(3):
        q.issue("A")
    q.call_next(1)
    q.start(1)
    save(rt, form())
    q.finish(1)


def close(rt: Runtime) -> None:
    """End the runtime as its process would: the queue's kept connections (which
    outlive the engine's pool) are closed when collected."""
    import gc

    rt.close()
    gc.collect()


def db_of(rt: Runtime) -> Path:
    path = sqlite_path(rt.url)
    assert path is not None
    return path


# --- backup ----------------------------------------------------------------------------


def _start(args: list[str]) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, *args],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def _count(db: Path, table: str) -> int:
    conn = sqlite3.connect(db, timeout=5)
    try:
        return int(conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0])
    finally:
        conn.close()


@pytest.mark.early
def test_backup_under_load_holds_every_row_committed_before_it(
    runtime: Runtime, tmp_path: Path
) -> None:
    """A kiosk, two counters and an intake desk work in their own processes while
    backups are taken: each copy passes its checks, holds every ticket and dossier
    committed before it began, and the queue never reported busy."""
    import json

    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    import_catalogue(runtime.engine, DEMO_LINKED)
    db = db_of(runtime)
    worker = str(ROOT / "tests" / "queue_worker.py")
    queue_workers = [
        _start([worker, runtime.url, role, str(arg), "1000000", str(i), "--barrier", *extra])
        for i, (role, arg, extra) in enumerate(
            [
                ("kiosk", 0, ["--seconds", "4", "--every-ms", "5"]),
                ("counter", 1, ["--seconds", "4", "--every-ms", "10"]),
                ("counter", 2, ["--seconds", "4", "--every-ms", "10"]),
            ]
        )
    ]
    for proc in queue_workers:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    intake = _start([str(ROOT / "tests" / "intake_worker.py"), runtime.url, "100000", "3"])
    assert intake.stdout is not None and intake.stdout.readline().strip()  # a first dossier
    for proc in queue_workers:
        assert proc.stdin is not None
        proc.stdin.write("go\n")
        proc.stdin.flush()
    dest = tmp_path / "usb"
    dest.mkdir()
    copies: list[tuple[Backup, dict[str, int]]] = []
    while len(copies) < 4:
        before = {t: _count(db, t) for t in ("ticket", "ticket_event", "dossier", "audit_event")}
        copies.append((take_backup(db, AGENCY, dest), before))
    results = []
    for proc in queue_workers:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err[-2000:]
        results.append(json.loads(out.strip().splitlines()[-1]))
    assert intake.poll() is None, intake.communicate()[1][-2000:]  # still saving dossiers
    intake.terminate()
    intake.communicate(timeout=60)
    assert len(copies) == 4
    for taken, before in copies:
        held = dump(taken.path)
        for table, count in before.items():
            assert len(held[table]) >= count, (table, len(held[table]), count)
        assert taken.counts == {name: len(rows) for name, rows in held.items()}
        conn = sqlite3.connect(taken.path)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()
    # the workers went on while the copies were taken: the live database grew past them
    final = dump(db)
    assert len(final["ticket"]) > copies[0][0].counts["ticket"]
    assert len(final["dossier"]) > copies[0][0].counts["dossier"]
    # and every row of the first copy is in the live database, unchanged or moved on
    first = dump(copies[0][0].path)
    live_ids = {row[0] for row in final["ticket"]}
    assert {row[0] for row in first["ticket"]} <= live_ids
    assert [r["busy"] for r in results] == [0, 0, 0]


def test_backup_is_named_for_the_center_and_time_and_rotated(
    runtime: Runtime, tmp_path: Path
) -> None:
    db = db_of(runtime)
    dest = tmp_path / "backups"
    dest.mkdir()
    clock.set_clock(lambda: datetime(2026, 10, 1, 9, 0))
    first = take_backup(db, AGENCY, dest).path
    assert first.name == f"desk-{AGENCY}-20261001-090000.db"
    # and three copies a day for 40 days, spanning two month boundaries (rotation
    # goes by the names; copies taken the same second get _1, _2 …)
    for day in range(40):
        for hour in (9, 12, 16):
            at = (
                datetime(2026, 10, 1 + day, hour)
                if day < 31
                else datetime(2026, 11, day - 30, hour)
            )
            (
                dest
                / f"desk-{AGENCY}-{at:%Y%m%d-%H%M%S}{'_1' if day == 0 and hour == 9 else ''}.db"
            ).touch()
    (dest / "desk-000.31.27.H99-20261001-090000.db").touch()  # another center's: untouched
    (dest / f"desk-{AGENCY}-20261005-080000-before-0009.db").touch()
    deleted = rotate(dest, AGENCY, keep_daily=7, keep_monthly=12)
    kept = sorted(p.name for p in dest.iterdir())
    assert kept == sorted(
        [f"desk-{AGENCY}-202611{d:02d}-160000.db" for d in range(3, 10)]  # 7 newest days
        + [f"desk-{AGENCY}-20261001-090000.db", f"desk-{AGENCY}-20261101-090000.db"]
        + ["desk-000.31.27.H99-20261001-090000.db", f"desk-{AGENCY}-20261005-080000-before-0009.db"]
    )
    assert len(deleted) == 121 - 9
    assert all(not p.exists() for p in deleted)


def test_a_backup_to_a_missing_folder_fails_and_leaves_nothing(
    runtime: Runtime, tmp_path: Path
) -> None:
    with pytest.raises(BackupError, match="không thấy thư mục sao lưu"):
        take_backup(db_of(runtime), AGENCY, tmp_path / "usb-stick-absent")
    assert not (tmp_path / "usb-stick-absent").exists()


def test_a_full_disk_fails_the_backup_and_leaves_no_partial_copy(
    runtime: Runtime, tmp_path: Path
) -> None:
    """A tiny filesystem stands in for a full USB stick (needs root to mount)."""
    import os
    import shutil

    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("mounting a tiny tmpfs needs root")
    day_of_work(runtime)
    small = tmp_path / "small"
    small.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(small)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount tmpfs: {mounted.stderr.decode(errors='replace').strip()}")
    try:
        with pytest.raises(BackupError, match="sao lưu không được"):
            take_backup(db_of(runtime), AGENCY, small)
        assert list(small.iterdir()) == []
    finally:
        subprocess.run(["umount", str(small)], capture_output=True)


# --- restore ---------------------------------------------------------------------------


def test_restore_round_trip_gives_back_every_row(runtime: Runtime, tmp_path: Path) -> None:
    day_of_work(runtime)
    db = db_of(runtime)
    at_backup = dump(db)
    taken = take_backup(db, AGENCY, tmp_path)
    Queue(runtime).issue("B")  # after the backup: not in the copy
    close(runtime)
    done = restore(taken.path, db, AGENCY)
    assert dump(db) == at_backup
    assert done.contents.tickets == len(at_backup["ticket"])
    assert done.contents.dossiers == len(at_backup["dossier"]) == 1
    assert done.contents.last_dossier_code == at_backup["dossier"][-1][2]
    assert done.kept_aside is not None and done.kept_aside.exists()
    # the database set aside is the one from before the restore, with the later ticket
    assert len(dump(done.kept_aside)["ticket"]) == len(at_backup["ticket"]) + 1
    # and the restored database opens and works, its audit trail intact
    again = open_runtime(runtime.config, runtime.url)
    from db.audit import verify
    from db.engine import read_session

    with read_session(again.engine) as session:
        assert verify(session)[1] is None
    assert Queue(again).issue("A").ticket.number == "A004"


def _refused(runtime: Runtime, source: Path, match: str) -> None:
    db = db_of(runtime)
    before = dump(db)
    close(runtime)
    with pytest.raises(RestoreRefused, match=match):
        restore(source, db, AGENCY)
    assert dump(db) == before
    assert not list(db.parent.glob("*.before-restore-*"))


def test_restore_refuses_a_corrupt_file(runtime: Runtime, tmp_path: Path) -> None:
    day_of_work(runtime)
    taken = take_backup(db_of(runtime), AGENCY, tmp_path)
    damaged = tmp_path / "damaged.db"
    data = bytearray(taken.path.read_bytes())
    for offset in range(4096 + 100, len(data), 4096):  # scribble over every page's cells
        data[offset : offset + 64] = b"\xff" * 64
    damaged.write_bytes(bytes(data))
    _refused(runtime, damaged, "bị hỏng")
    text = tmp_path / "notes.db"
    text.write_text("not a database")
    with pytest.raises(RestoreRefused, match="không phải tệp SQLite"):
        restore(text, db_of(runtime), AGENCY)


def test_restore_refuses_a_file_of_another_center(
    runtime: Runtime, config: Config, tmp_path: Path
) -> None:
    other_center = config.center.model_copy(update={"agency_code": "000.31.27.H99"})
    other = open_runtime(
        config.model_copy(update={"center": other_center}), f"sqlite:///{tmp_path / 'o.db'}"
    )
    taken = take_backup(db_of(other), "000.31.27.H99", tmp_path)
    _refused(runtime, taken.path, r"thuộc trung tâm 000\.31\.27\.H99, không phải trung tâm này")


def test_restore_refuses_a_newer_schema(runtime: Runtime, tmp_path: Path) -> None:
    taken = take_backup(db_of(runtime), AGENCY, tmp_path)
    conn = sqlite3.connect(taken.path)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    _refused(runtime, taken.path, "cấu trúc 9999 mới hơn bản desk này biết")


def test_restore_refuses_while_a_desk_process_has_the_database_open(
    runtime: Runtime, tmp_path: Path
) -> None:
    db = db_of(runtime)
    taken = take_backup(db, AGENCY, tmp_path)
    close(runtime)
    holder = _start(
        [
            "-c",
            "import sys; sys.path[0] = sys.argv[1]\n"
            "from desk.center.config import load_config\n"
            "from desk.center.runtime import open_runtime\n"
            "from pathlib import Path\n"
            "rt = open_runtime(load_config(Path(sys.argv[1]) / 'config.toml'), sys.argv[2])\n"
            "print('ready', flush=True); sys.stdin.readline()",
            str(ROOT),
            runtime.url,
        ]
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ready"
        before = dump(db)
        with pytest.raises(DatabaseInUse, match="đang được một tiến trình desk khác dùng"):
            restore(taken.path, db, AGENCY)
        assert dump(db) == before
    finally:
        holder.communicate("\n", timeout=30)
    # another program (not desk) holding it open is found by SQLite itself
    other = sqlite3.connect(db)
    other.execute("SELECT COUNT(*) FROM ticket").fetchone()
    try:
        with pytest.raises(DatabaseInUse, match="đang được một chương trình khác mở"):
            restore(taken.path, db, AGENCY)
    finally:
        other.close()
    assert restore(taken.path, db, AGENCY).kept_aside is not None  # free again: it works


# --- the commands ----------------------------------------------------------------------


def _commands(tmp_path: Path, mp: pytest.MonkeyPatch, db: Path, stick: Path) -> None:
    from tests.conftest import SAMPLE_CONFIG

    cfg = tmp_path / "center.toml"
    text = SAMPLE_CONFIG.read_text("utf-8")
    text = text.replace('dir = ""', f'dir = "{stick}"').replace("keep_daily = 7", "keep_daily = 2")
    cfg.write_text(text.replace("keep_monthly = 12", "keep_monthly = 0"), "utf-8")
    mp.setenv("DESK_CONFIG", str(cfg))
    mp.setenv("DESK_DB", f"sqlite:///{db}")


def test_desk_backup_and_desk_restore_on_a_new_pc(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Three days of backups to the stick (the oldest deleted, and said so), then the
    PC is replaced: `desk restore` on a fresh install brings the last copy back."""
    from desk.cli import main, run

    db = tmp_path / "old-pc" / "desk.db"
    stick = tmp_path / "usb"
    stick.mkdir()
    _commands(tmp_path, monkeypatch, db, stick)
    for day in (23, 24, 25):
        moment = datetime(2026, 11, day, 17, 0)
        clock.set_clock(lambda moment=moment: moment)  # type: ignore[misc]
        rt = open_runtime(load_config(Path(os.environ["DESK_CONFIG"])), f"sqlite:///{db}")
        Queue(rt).issue("A")
        close(rt)
        assert run(["backup"]) == 0
    out = capsys.readouterr().out
    oldest = stick / f"desk-{AGENCY}-20261123-170000.db"
    assert f"{stick / f'desk-{AGENCY}-20261125-170000.db'}: đã sao lưu (" in out
    assert f"{oldest}: đã xóa bản sao lưu cũ" in out and not oldest.exists()
    assert len(list(stick.iterdir())) == 2
    newest = stick / f"desk-{AGENCY}-20261125-170000.db"
    last = dump(newest)
    assert len(last["ticket"]) == 3

    db.unlink()  # the old PC is gone; the new one has no database yet
    new = tmp_path / "new-pc" / "desk.db"
    monkeypatch.setenv("DESK_DB", f"sqlite:///{new}")
    assert run(["restore", str(newest)]) == 0
    out = capsys.readouterr().out
    # every row comes back; the copy's own backup state (its day's attempt) is cleared
    from desk.backup.restore import STALE_KEYS

    settings = [(k, "" if k in STALE_KEYS else v) for k, v in last["setting"]]
    assert dump(new) == {**last, "setting": settings}
    assert "Gồm 3 số thứ tự, 0 hồ sơ" in out
    assert "Nhật ký kiểm tra nguyên vẹn" in out
    # while a counter has it open, a second restore is refused and changes nothing
    rt = open_runtime(load_config(Path(os.environ["DESK_CONFIG"])), f"sqlite:///{new}")
    with pytest.raises(SystemExit) as refused:
        main(["restore", str(stick / f"desk-{AGENCY}-20261124-170000.db")])
    assert refused.value.code == 1
    assert "đang được một tiến trình desk khác dùng" in capsys.readouterr().err
    close(rt)
    # a missing stick: the backup fails, exit 1, and the screens will say so
    stick.rename(tmp_path / "usb-unplugged")
    with pytest.raises(SystemExit) as failed:
        main(["backup"])
    assert failed.value.code == 1
    assert f"{stick}: không thấy thư mục sao lưu" in capsys.readouterr().err
