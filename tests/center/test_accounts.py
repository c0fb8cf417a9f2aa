"""Accounts and roles, the audit trail, lockout and the idle lock."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from db.engine import read_session
from db.models import AuditEvent, Holiday, Officer, Procedure
from desk import clock
from desk.center.accounts import (
    AccountError,
    Actor,
    PermissionDenied,
    add_officer,
    disable,
    list_officers,
    login,
    set_password,
)
from desk.center.runtime import DEMO_CATALOGUE, Runtime
from tests.conftest import desk_here

pytestmark = pytest.mark.real_argon2  # the accounts themselves: every hash made afresh

DENIED = "không được"


def count(rt: Runtime, model: type) -> int:
    with read_session(rt.engine) as s:
        return int(s.exec(select(func.count()).select_from(model)).one())


def test_lower_roles_are_refused_and_nothing_changes(
    runtime: Runtime, staff: dict[str, Actor], tmp_path: Path
) -> None:
    from desk.dossiers.export import export_dossiers

    officer, supervisor = staff["canbo"], staff["giamdoc"]
    before = count(runtime, Officer)
    with pytest.raises(PermissionDenied, match="cần quyền quản trị"):
        add_officer(runtime.engine, supervisor, "moi", "Người mới", "officer", "matkhau1")
    with pytest.raises(PermissionDenied):
        disable(runtime.engine, supervisor, "canbo")
    with pytest.raises(PermissionDenied):
        set_password(runtime.engine, officer, "giamdoc", "matkhau1")
    with pytest.raises(PermissionDenied):
        list_officers(runtime.engine, officer)
    out = tmp_path / "export.csv"
    with pytest.raises(PermissionDenied, match="xuất dữ liệu cá nhân"):
        export_dossiers(
            runtime.engine,
            officer,
            datetime(2026, 1, 1).date(),
            datetime(2026, 12, 31).date(),
            out,
            runtime.ids.center,
        )
    assert not out.exists()
    assert count(runtime, Officer) == before
    with read_session(runtime.engine) as s:
        assert s.exec(select(Officer).where(Officer.username == "canbo")).one().active
    login(runtime.engine, "giamdoc", "giamdoc123")  # the password did not change
    # an officer may change their own password
    set_password(runtime.engine, officer, "canbo", "canbo-new1")
    login(runtime.engine, "canbo", "canbo-new1")


@pytest.mark.parametrize(
    ("args", "action"),
    [
        (("report", "--from", "2026-11-01", "--to", "2026-11-30"), "xem báo cáo"),
        (("catalogue", "import", str(DEMO_CATALOGUE)), "sửa danh mục thủ tục"),
        (("holidays", "add", "2026-12-30"), "sửa lịch nghỉ"),
        (("holidays", "remove", "2026-01-01"), "sửa lịch nghỉ"),
        (("print", "queue", "--retry"), "in lại hàng đợi in"),
        (
            ("export", "--from", "2026-01-01", "--to", "2026-12-31", "--output", "x.csv"),
            "xuất dữ liệu cá nhân",
        ),
        (("ticket", "reassign", "A001", "--counter", "3"), "chuyển số đang chờ sang quầy khác"),
        (("officer", "add", "moi", "--role", "officer"), "quản lý tài khoản"),
        (("officer", "disable", "giamdoc"), "quản lý tài khoản"),
        (("officer", "list"), "quản lý tài khoản"),
    ],
)
def test_the_command_line_refuses_an_officer(
    runtime: Runtime,
    db_url: str,
    staff: dict[str, Actor],
    tmp_path: Path,
    args: tuple[str, ...],
    action: str,
) -> None:
    before = (count(runtime, Procedure), count(runtime, Holiday), count(runtime, Officer))
    env = {"DESK_DB": db_url, "DESK_PASSWORD": "canbo123", "DESK_OFFICER_PASSWORD": "matkhau1"}
    path = 2 if args[0] in ("catalogue", "holidays", "print", "officer", "ticket") else 1
    done = desk_here(*args[:path], "--as", "canbo", *args[path:], env=env, cwd=tmp_path)
    assert done.returncode == 1, done.stdout
    assert done.stderr.strip() == (
        f"Tài khoản canbo (cán bộ) {DENIED} {action}: cần quyền "
        + ("quản trị" if args[0] == "officer" else "giám sát")
        + ". Không có gì thay đổi."
    )
    assert (count(runtime, Procedure), count(runtime, Holiday), count(runtime, Officer)) == before
    assert not (tmp_path / "x.csv").exists()


def test_the_first_account_must_be_an_admin_and_the_admin_manages_the_rest(
    runtime: Runtime, db_url: str
) -> None:
    env = {"DESK_DB": db_url, "DESK_OFFICER_PASSWORD": "quantri1"}
    first = desk_here("officer", "add", "lan", "--role", "officer", env=env)
    assert first.returncode == 1 and "quản trị" in first.stderr
    assert (
        desk_here(
            "officer", "add", "quantri", "--name", "Quản trị", "--role", "admin", env=env
        ).returncode
        == 0
    )
    env_admin = {**env, "DESK_PASSWORD": "quantri1", "DESK_OFFICER_PASSWORD": "canbo-pw1"}
    made = desk_here(
        "officer", "add", "--as", "quantri", "lan", "--name", "Lê Thị Lan", env=env_admin
    )
    assert made.returncode == 0, made.stderr
    listed = desk_here("officer", "list", "--as", "quantri", env=env_admin).stdout
    assert "lan" in listed and "cán bộ" in listed  # roles in the configured language
    assert desk_here("officer", "disable", "--as", "quantri", "lan", env=env_admin).returncode == 0
    with pytest.raises(AccountError, match="Sai tên đăng nhập"):
        login(runtime.engine, "lan", "canbo-pw1")
    with read_session(runtime.engine) as s:
        hashes = [o.password_hash for o in s.exec(select(Officer))]
    assert all(h.startswith("$argon2id$") for h in hashes)


def test_failed_logins_slow_down_then_lock(runtime: Runtime, staff: dict[str, Actor]) -> None:
    now = [datetime(2026, 11, 23, 9, 0)]
    clock.set_clock(lambda: now[0])
    for _ in range(2):
        with pytest.raises(AccountError, match="Sai tên đăng nhập hoặc mật khẩu"):
            login(runtime.engine, "canbo", "sai")
    with pytest.raises(AccountError, match="chờ 30 giây"):
        login(runtime.engine, "canbo", "sai")
    with pytest.raises(AccountError, match="chờ"):  # even the right password waits
        login(runtime.engine, "canbo", "canbo123")
    now[0] += timedelta(seconds=31)
    with pytest.raises(AccountError, match="chờ 30 giây"):
        login(runtime.engine, "canbo", "sai")  # the 4th failure
    now[0] += timedelta(seconds=31)
    with pytest.raises(AccountError, match="chờ 900 giây"):
        login(runtime.engine, "canbo", "sai")  # the 5th: locked for 15 minutes
    now[0] += timedelta(minutes=10)
    with pytest.raises(AccountError, match="chờ 301 giây"):
        login(runtime.engine, "canbo", "canbo123")
    now[0] += timedelta(minutes=6)
    assert login(runtime.engine, "canbo", "canbo123").username == "canbo"
    with read_session(runtime.engine) as s:
        officer = s.exec(select(Officer).where(Officer.username == "canbo")).one()
        assert (officer.failed_logins, officer.locked_until) == (0, None)
        failed = s.exec(select(AuditEvent).where(AuditEvent.action == "login_failed")).all()
    assert len(failed) == 5


def test_editing_an_audit_row_is_detected(
    runtime: Runtime, staff: dict[str, Actor], db_url: str
) -> None:
    from desk.queue.engine import Queue

    q = Queue(runtime)
    q.issue("A")
    q.call_next(1, staff["canbo"].id)
    ok = desk_here("audit", "verify", env={"DESK_DB": db_url})
    assert ok.returncode == 0 and ok.stdout.startswith("Nhật ký kiểm tra nguyên vẹn: ")
    with read_session(runtime.engine) as s:
        entries = s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
        called = next(e for e in entries if '"status": "called"' in e.detail)
        assert called.officer_id == staff["canbo"].id
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:  # someone edits one entry directly in SQLite
        conn.execute(
            "UPDATE audit_event SET detail = replace(detail, 'called', 'done') WHERE id = ?",
            (called.id,),
        )
    bad = desk_here("audit", "verify", env={"DESK_DB": db_url})
    assert bad.returncode == 1
    assert bad.stdout.startswith(
        f"Nhật ký kiểm tra bị đứt tại mục {called.id}: hash does not match the entry's content"
    )
    with sqlite3.connect(path) as conn:  # and deleting entries is seen as well
        conn.execute("UPDATE audit_event SET detail = replace(detail, 'done', 'called')")
        assert called.id is not None
        conn.execute("DELETE FROM audit_event WHERE id = ?", (called.id - 1,))
    gone = desk_here("audit", "verify", env={"DESK_DB": db_url})
    assert f"bị đứt tại mục {called.id}: prev_hash does not match" in gone.stdout


async def test_an_idle_counter_locks_and_asks_the_password(
    runtime: Runtime, staff: dict[str, Actor]
) -> None:
    from textual.widgets import Static

    from screens.app import DeskApp
    from screens.counter import CounterScreen
    from screens.login import LockScreen
    from tests.screens.test_counter import settle

    idle = [1000.0]
    app = DeskApp(runtime, role="counter", counter=1, officer=staff["canbo"])
    app.idle_clock = lambda: idle[0]
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        app.touch()
        idle[0] += 9 * 60
        app.check_idle_lock()
        await pilot.pause()
        assert isinstance(app.screen, CounterScreen)  # 9 minutes: still open
        idle[0] += 2 * 60
        app.check_idle_lock()
        await pilot.pause()
        lock = app.screen
        assert isinstance(lock, LockScreen)
        assert "sau 10 phút không dùng" in str(lock.query_one(".dialog-title", Static).render())
        await pilot.press("f2", "escape")  # nothing reaches the counter behind
        assert isinstance(app.screen, LockScreen)
        await pilot.press(*"sai-mat-khau", "enter")
        await settle(app, pilot)
        assert str(lock.query_one("#unlock-message", Static).render()) == "Mật khẩu không đúng."
        await pilot.press(*"canbo123", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)


def test_a_supervisor_reassigns_a_waiting_ticket(
    runtime: Runtime, db_url: str, staff: dict[str, Actor]
) -> None:
    from desk.queue.engine import Queue

    q = Queue(runtime)
    q.issue("A")
    q.issue("A")
    env = {"DESK_DB": db_url, "DESK_PASSWORD": "giamdoc123"}
    # as a citizen says it: "a2" is A002
    done = desk_here("ticket", "reassign", "--as", "giamdoc", "a2", "--counter", "2", env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "A002: chờ quầy 2"
    first, second = q.call_next(2), q.call_next(1)
    assert first is not None and first.number == "A002"  # counter 2 takes it first
    assert second is not None and second.number == "A001"
    again = desk_here("ticket", "reassign", "--as", "giamdoc", "A002", "--counter", "3", env=env)
    assert again.returncode == 1 and again.stderr.strip() == "Số A002 không còn đang chờ."
