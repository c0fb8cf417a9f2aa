"""Rebuilding a center on a new PC from a real (throwaway) provincial PostgreSQL."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from db.audit import verify
from db.engine import read_session
from desk import clock
from desk.center.accounts import ensure_demo_accounts, login
from desk.center.config import Config
from desk.center.runtime import DEMO_CATALOGUE, Runtime, open_runtime
from desk.dossiers.catalogue import import_catalogue
from desk.queue.engine import Queue
from desk.upstream.sync import Sync, status
from tests.backup.test_backup import close, db_of, dump
from tests.conftest import SAMPLE_CONFIG
from tests.upstream.test_sync import activity, compare, upstream  # noqa: F401

NOW = datetime(2026, 11, 23, 9, 0)
SYNCED = (
    "officer",
    "ticket",
    "ticket_event",
    "dossier",
    "dossier_component",
    "dossier_status",
    "rating",
    "daily_sequence",
)


def a_morning(runtime: Runtime, center_url: str) -> Runtime:
    """Accounts, tickets called and served, two dossiers, a print; all pushed."""
    from tests.dossiers.test_intake import form, save

    clock.set_clock(lambda: NOW)
    ensure_demo_accounts(runtime.engine)
    with pytest.raises(Exception, match=r"."):
        login(runtime.engine, "canbo", "wrong password")  # the account changes: version 2
    activity(runtime)
    save(runtime, form(applicant_name="Lê Văn Cường"))
    assert Sync(runtime.engine, center_url).run_once().error == ""
    return runtime


def desk_env(tmp_path: Path, runtime: Runtime, center_url: str, mp: pytest.MonkeyPatch) -> None:
    cfg = tmp_path / "center.toml"
    cfg.write_text(
        SAMPLE_CONFIG.read_text("utf-8").replace('url = ""', f'url = "{center_url}"'), "utf-8"
    )
    mp.setenv("DESK_CONFIG", str(cfg))
    mp.setenv("DESK_DB", runtime.url)


def test_a_center_is_rebuilt_from_upstream_and_its_numbers_continue(
    runtime: Runtime,
    config: Config,
    upstream: dict[str, str],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from desk.cli import run

    a_morning(runtime, upstream["a"])
    db = db_of(runtime)
    before = dump(db)
    close(runtime)
    for name in (db.name, db.name + "-wal", db.name + "-shm"):
        (db.parent / name).unlink(missing_ok=True)  # the disk died

    desk_env(tmp_path, runtime, upstream["a"], monkeypatch)
    assert run(["upstream", "restore"]) == 0
    out = capsys.readouterr().out
    after = dump(db)
    for table in SYNCED:
        assert sorted(after[table]) == sorted(before[table]), table
    # the audit trail comes back whole (the start after it appends to it)
    assert after["audit_event"][: len(before["audit_event"])] == before["audit_event"]
    assert len(after["print_job"]) == len(before["print_job"]) == 3  # records, no documents
    assert "Gồm 6 số thứ tự, 2 hồ sơ" in out
    code = str(before["dossier"][-1][2]).rsplit("-", 1)[0]
    assert (
        f"Số tiếp theo hôm nay: A004, B004, C001, D001, E001, F001; mã hồ sơ tiếp theo: {code}-0003"
    ) in out
    # the old disk is gone: upstream's last report names the count and the moment
    assert (
        "MẤT: 0 thay đổi đã ghi ở máy cũ nhưng chưa gửi lên tỉnh (lần gửi cuối: 2026-11-23T09:00:00)"
    ) in out
    assert "Những gì ghi ở máy cũ sau lần gửi cuối (2026-11-23T09:00:00) cũng mất" in out
    assert "Nhật ký kiểm tra nguyên vẹn" in out

    # the new PC works on: officers log in, numbers continue, nothing is reused
    online = config.upstream.model_copy(update={"url": upstream["a"]})
    rt = open_runtime(config.model_copy(update={"upstream": online}), runtime.url)
    with read_session(rt.engine) as session:
        assert verify(session)[1] is None
    login(rt.engine, "canbo", "canbo123")
    assert Queue(rt).issue("A").ticket.number == "A004"
    from tests.dossiers.test_intake import form, save

    import_catalogue(rt.engine, DEMO_CATALOGUE)  # README: if the province sends none
    [saved] = save(rt, form())
    assert saved.code == f"{code}-0003" and saved.register_no == 3
    # and what the new PC writes reaches upstream beside what was there
    assert Sync(rt.engine, upstream["a"]).run_once().error == ""
    assert compare(rt, upstream["admin"], "center_a") > len(before["audit_event"])


def test_a_rebuild_over_a_readable_old_database_names_what_is_lost(
    runtime: Runtime,
    upstream: dict[str, str],  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    from desk.cli import main, run
    from desk.printing.jobs import print_job, queue_document, unprinted
    from tests.dossiers.test_intake import form, save

    a_morning(runtime, upstream["a"])
    [saved] = save(runtime, form(applicant_name="Phạm Thị Dung"))
    job = queue_document(runtime.engine, saved.receipt)  # the printer was out of paper
    assert Sync(runtime.engine, upstream["a"]).run_once().error == ""
    Queue(runtime).issue("A")  # A004: the network was down, then the disk failed
    lost = status(runtime.engine).pending
    assert lost >= 3  # the ticket, its event, their audit entries
    db = db_of(runtime)
    close(runtime)
    desk_env(tmp_path, runtime, upstream["a"], monkeypatch)
    with pytest.raises(SystemExit) as refused:
        main(["upstream", "restore"])
    assert refused.value.code == 1
    assert "dùng --replace" in capsys.readouterr().err
    assert run(["upstream", "restore", "--replace"]) == 0
    out = capsys.readouterr().out
    assert f"MẤT: {lost} thay đổi đã ghi ở máy cũ nhưng chưa gửi lên tỉnh" in out
    [aside] = db.parent.glob(f"{db.name}.before-restore-*")
    assert f"Cơ sở dữ liệu cũ được giữ lại tại: {aside}" in out
    assert len(dump(aside)["ticket"]) == 7
    # the number handed out on the old PC is not handed out again
    assert "Số tiếp theo hôm nay: A005" in out
    # a receipt never printed is still listed, and says why it cannot print now
    rt = open_runtime(runtime.config, runtime.url)
    [left] = [j for j in unprinted(rt.engine) if j.id == job]
    result = print_job(rt.engine, rt.config, left.id)
    assert not result.ok
    assert result.message.startswith("Chưa in và không còn bản in sau khi dựng lại từ tỉnh")
