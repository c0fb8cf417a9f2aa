"""The daily backup from the long-running roles, and its failure on the officer
screens' status line until a backup succeeds."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta
from pathlib import Path

from desk import clock
from desk.backup.schedule import Scheduler, claim, state
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from tests.backup.test_backup import db_of


def scheduled(runtime: Runtime, folder: Path) -> tuple[Runtime, Scheduler]:
    settings = runtime.config.backup.model_copy(update={"dir": str(folder)})
    rt = dataclasses.replace(runtime, config=runtime.config.model_copy(update={"backup": settings}))
    return rt, Scheduler(rt.engine, db_of(rt), rt.config.center.agency_code, settings)


async def badge(rt: Runtime) -> str:
    from screens.app import DeskApp
    from screens.syncbadge import SyncBadge
    from tests.conftest import signed_in
    from tests.screens.test_counter import settle

    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await settle(app, pilot)
        return str(app.screen.query_one(SyncBadge).render())


async def test_a_failed_daily_backup_shows_until_one_succeeds(
    runtime: Runtime, tmp_path: Path
) -> None:
    stick = tmp_path / "usb"
    rt, scheduler = scheduled(runtime, stick)
    now = datetime(2026, 11, 23, 11, 0)
    clock.set_clock(lambda: now)
    assert scheduler.tick() is None  # before 12:15: not due
    assert state(rt.engine).last_attempt == ""
    now = datetime(2026, 11, 23, 12, 20)
    assert scheduler.tick() is None  # due, but the USB stick is absent
    failed = state(rt.engine)
    assert failed.failing and "không thấy thư mục sao lưu" in failed.last_error
    shown = await badge(rt)
    assert shown.startswith(f"⚠ Sao lưu lỗi: {stick}: không thấy thư mục sao lưu")
    # the queue goes on meanwhile
    assert Queue(rt).issue("A").ticket.number == "A001"
    # retried after a quarter of an hour, not before
    stick.mkdir()
    now = datetime(2026, 11, 23, 12, 30)
    assert scheduler.tick() is None
    now = datetime(2026, 11, 23, 12, 36)
    taken = scheduler.tick()
    assert taken is not None and taken.path.parent == stick
    assert not state(rt.engine).failing
    assert "Sao lưu" not in await badge(rt)
    # once a day
    now = datetime(2026, 11, 23, 16, 0)
    assert scheduler.tick() is None
    now = datetime(2026, 11, 24, 12, 15)
    assert scheduler.tick() is not None
    assert len(list(stick.iterdir())) == 2


def test_one_process_takes_each_daily_backup(runtime: Runtime, tmp_path: Path) -> None:
    """Every kiosk and counter runs the scheduler; the first to claim the run takes it."""
    rt, _ = scheduled(runtime, tmp_path)
    at = datetime(2026, 11, 23, 13, 0)
    assert claim(rt.engine, rt.config.backup, at) is True
    assert claim(rt.engine, rt.config.backup, at + timedelta(seconds=30)) is False


def test_a_disabled_daily_backup_never_runs(runtime: Runtime, tmp_path: Path) -> None:
    settings = runtime.config.backup.model_copy(update={"daily": False})
    assert claim(runtime.engine, settings, datetime(2026, 11, 23, 23, 0)) is False


async def test_a_restore_does_not_bring_back_an_old_backup_failure(
    runtime: Runtime, tmp_path: Path
) -> None:
    """A copy taken while the last daily backup had failed carries that failure; once
    restored, the status line does not show it (it did, until a backup succeeded),
    and the daily backup runs as scheduled."""
    from desk.backup.copy import take_backup
    from desk.backup.restore import restore
    from desk.center.runtime import open_runtime
    from tests.backup.test_backup import close

    stick = tmp_path / "usb"
    rt, scheduler = scheduled(runtime, stick)
    now = datetime(2026, 11, 23, 12, 20)
    clock.set_clock(lambda: now)
    assert scheduler.tick() is None  # the USB stick is absent
    assert state(rt.engine).failing
    db = db_of(rt)
    taken = take_backup(db, rt.config.center.agency_code, tmp_path)
    close(rt)
    restore(taken.path, db, rt.config.center.agency_code)
    again = dataclasses.replace(open_runtime(rt.config, rt.url), config=rt.config)
    assert not state(again.engine).failing
    assert "Sao lưu" not in await badge(again)
    stick.mkdir()
    now = datetime(2026, 11, 23, 12, 25)  # not held back by the copy's old attempt
    _, after = scheduled(again, stick)
    assert after.tick() is not None
