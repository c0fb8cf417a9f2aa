"""Upstream sync against a real PostgreSQL: every test ends comparing upstream and
local row by row."""

from __future__ import annotations

import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import psycopg
import pytest
from sqlalchemy import update
from sqlmodel import col, select

from db.engine import read_session, write_session
from db.models import Dossier, Holiday, Outbox, Procedure, ProcedureAlias
from db.outbox import ENTITIES, snapshot
from desk import clock
from desk.center.config import Config
from desk.center.runtime import DEMO_CATALOGUE, Runtime, open_runtime
from desk.dossiers.catalogue import import_catalogue
from desk.dossiers.lifecycle import Lifecycle
from desk.printing.jobs import print_job, queue_document
from desk.queue.engine import Queue
from desk.upstream.sync import Sync, SyncError, add_center, init_upstream, status

ROOT = Path(__file__).resolve().parents[2]


def plain(url: str) -> str:
    return url.replace("+psycopg", "")


@pytest.fixture
def upstream(pg_url: str) -> Iterator[dict[str, str]]:
    """A provincial database with the desk schema, two centers and a back office."""
    init_upstream(pg_url)
    init_upstream(pg_url)  # idempotent: a second init changes nothing
    add_center(pg_url, "center_a")
    add_center(pg_url, "center_b")
    with psycopg.connect(plain(pg_url), autocommit=True) as conn:
        conn.execute(
            "DO $$ BEGIN CREATE ROLE backoffice LOGIN; "
            "EXCEPTION WHEN duplicate_object THEN NULL; END $$"
        )
        conn.execute("GRANT desk_backoffice TO backoffice")
    base, db = pg_url.rsplit("/", 1)
    host = base.split("@", 1)[1]
    yield {
        "admin": pg_url,
        "a": f"postgresql+psycopg://center_a@{host}/{db}",
        "b": f"postgresql+psycopg://center_b@{host}/{db}",
        "backoffice": f"postgresql://backoffice@{host}/{db}",
    }


def activity(rt: Runtime, n: int = 3) -> None:
    """A small day: tickets called and served, a dossier received and moved on,
    a print record."""
    from tests.dossiers.test_intake import form, save

    import_catalogue(rt.engine, DEMO_CATALOGUE)
    q = Queue(rt)
    for _ in range(n):
        q.issue("A")
        q.issue("B", "elderly")
    q.call_next(1)
    q.start(1)
    q.finish(1)
    q.call_next(7)
    [saved] = save(rt, form())
    Lifecycle(rt.engine, rt.config).start(saved.code)
    job = queue_document(rt.engine, saved.receipt)
    print_job(rt.engine, rt.config, job)


def compare(rt: Runtime, admin_url: str, role: str) -> int:
    """Upstream holds exactly the local rows of this center, version and content."""
    checked = 0
    with psycopg.connect(plain(admin_url)) as conn, read_session(rt.engine) as session:
        for model, entity in ENTITIES.items():
            rows: list[Any] = list(session.exec(select(model)))
            local: dict[int, Any] = {
                row.id: json.loads(json.dumps(snapshot(row), ensure_ascii=False)) for row in rows
            }
            remote: dict[int, Any] = {
                rid: payload
                for rid, payload in conn.execute(
                    f"SELECT id, payload FROM desk.{entity} WHERE center = %s", (role,)
                ).fetchall()
            }
            if remote != local:
                diff = sorted(k for k in set(remote) | set(local) if remote.get(k) != local.get(k))
                detail = [(k, local.get(k), remote.get(k)) for k in diff[:3]]
                raise AssertionError(f"{entity}: {len(diff)} rows differ, e.g. {detail}")
            checked += len(local)
        unsent = session.exec(select(Outbox).where(col(Outbox.sent_at).is_(None))).all()
        assert unsent == []
    return checked


def test_everything_local_arrives_upstream(runtime: Runtime, upstream: dict[str, str]) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    activity(runtime)
    before = status(runtime.engine)
    assert before.pending > 20 and not before.online
    result = Sync(runtime.engine, upstream["a"]).run_once()
    assert result.error == "" and result.pushed == before.pending
    assert compare(runtime, upstream["admin"], "center_a") > 20
    after = status(runtime.engine)
    assert after.pending == 0 and after.online and after.last_success
    # tickets carry no personal data; dossiers do, fenced to their center
    with psycopg.connect(plain(upstream["admin"])) as conn:
        first = conn.execute("SELECT payload FROM desk.ticket LIMIT 1").fetchone()
        assert first is not None
        (ticket,) = first
        assert set(ticket) >= {"number", "status", "issued_at"}
        assert not {"applicant_name", "applicant_id_number"} & set(ticket)


def test_a_broken_batch_is_sent_again_and_nothing_doubles(
    runtime: Runtime, upstream: dict[str, str]
) -> None:
    activity(runtime)
    pending = status(runtime.engine).pending

    def kill_backend(point: str, conn: Any) -> None:
        if point == "before_commit":  # upstream goes away in the middle of the batch
            with psycopg.connect(plain(upstream["admin"]), autocommit=True) as admin:
                admin.execute("SELECT pg_terminate_backend(%s)", (conn.info.backend_pid,))

    result = Sync(runtime.engine, upstream["a"], batch_size=7, hook=kill_backend).run_once()
    assert result.error.startswith("upstream postgresql+psycopg://center_a@")
    assert status(runtime.engine).pending == pending  # nothing marked sent
    assert status(runtime.engine).last_error == result.error

    class Crash(Exception):
        pass

    def crash_after_commit(point: str, conn: Any) -> None:
        if point == "after_commit":  # upstream has it; the process dies before noting it
            raise Crash

    with pytest.raises(Crash):
        Sync(runtime.engine, upstream["a"], batch_size=7, hook=crash_after_commit).run_once()
    assert status(runtime.engine).pending == pending
    assert Sync(runtime.engine, upstream["a"]).run_once().error == ""
    compare(runtime, upstream["admin"], "center_a")
    # the same batch delivered twice more changes nothing
    with write_session(runtime.engine) as s:
        s.execute(
            update(Outbox).values(sent_at=None), execution_options={"synchronize_session": False}
        )
    assert Sync(runtime.engine, upstream["a"]).run_once().error == ""
    compare(runtime, upstream["admin"], "center_a")


def test_a_stale_version_never_overwrites_a_newer_one(
    runtime: Runtime, upstream: dict[str, str]
) -> None:
    q = Queue(runtime)
    q.issue("A")
    q.call_next(1)
    q.start(1)
    q.finish(1)  # ticket 1: versions 1 … 4
    Sync(runtime.engine, upstream["a"]).run_once()
    with write_session(runtime.engine) as s:  # version 2 turns up again, late
        s.execute(
            update(Outbox)
            .where(col(Outbox.entity) == "ticket", col(Outbox.version) == 2)
            .values(sent_at=None),
            execution_options={"synchronize_session": False},
        )
    assert Sync(runtime.engine, upstream["a"]).run_once().error == ""
    with psycopg.connect(plain(upstream["admin"])) as conn:
        row = conn.execute("SELECT version, payload FROM desk.ticket").fetchone()
    assert row is not None
    version, payload = row
    assert (version, payload["status"]) == (4, "done")
    compare(runtime, upstream["admin"], "center_a")


def test_a_center_cannot_touch_another_centers_rows(
    runtime: Runtime, upstream: dict[str, str]
) -> None:
    activity(runtime, 1)
    Sync(runtime.engine, upstream["a"]).run_once()
    with psycopg.connect(plain(upstream["b"])) as conn:
        assert conn.execute("SELECT count(*) FROM desk.ticket").fetchone() == (0,)
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            conn.execute(
                "INSERT INTO desk.ticket (center, id, version, payload) "
                "VALUES ('center_a', 999, 1, '{}')"
            )
        conn.rollback()
        updated = conn.execute(
            "UPDATE desk.dossier SET payload = '{}' WHERE center = 'center_a'"
        ).rowcount
        assert updated == 0  # invisible, so untouchable
        conn.rollback()
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("INSERT INTO desk.procedure (code, payload) VALUES ('9.999999', '{}')")
    compare(runtime, upstream["admin"], "center_a")


CENTER_ATTACKS = [
    ("UPDATE desk.audit_event SET payload = jsonb_set(payload, '{detail}', '\"{}\"')", "privilege"),
    ("DELETE FROM desk.audit_event WHERE id = (SELECT max(id) FROM desk.audit_event)", "privilege"),
    ("TRUNCATE desk.audit_event", "privilege"),
    (  # a forged entry at the end that does not link to the last one
        "INSERT INTO desk.audit_event (id, version, payload) SELECT max(id) + 1, 1, "
        "jsonb_build_object('id', max(id) + 1, 'prev_hash', 'forged', 'hash', 'x') "
        "FROM desk.audit_event",
        "does not link",
    ),
    (  # an entry slipped in before the last one
        "INSERT INTO desk.audit_event (id, version, payload) "
        'VALUES (0, 1, \'{"id": 0, "prev_hash": ""}\')',
        "comes before",
    ),
    (  # the dossier back to received
        "UPDATE desk.dossier SET version = version + 1, "
        "payload = jsonb_set(payload, '{status}', '\"received\"')",
        "back to received",
    ),
    ("UPDATE desk.dossier SET version = version - 1", "does not increase"),
    ("UPDATE desk.dossier SET payload = jsonb_set(payload, '{fee_vnd}', '0')", "does not increase"),
    (  # the finished ticket back to waiting
        "UPDATE desk.ticket SET version = version + 1, "
        "payload = jsonb_set(payload, '{status}', '\"waiting\"') "
        "WHERE payload->>'status' = 'done'",
        "cannot become waiting",
    ),
]


@pytest.mark.parametrize(("attack", "refusal"), CENTER_ATTACKS)
def test_upstream_refuses_a_center_rewriting_its_own_rows(
    runtime: Runtime, upstream: dict[str, str], attack: str, refusal: str
) -> None:
    activity(runtime, 1)
    assert Sync(runtime.engine, upstream["a"]).run_once().error == ""
    with psycopg.connect(plain(upstream["admin"])) as conn:
        before = conn.execute(
            "SELECT count(*), md5(string_agg(payload::text || version, ',' ORDER BY id)) "
            "FROM desk.audit_event"
        ).fetchone()
    with psycopg.connect(plain(upstream["a"])) as conn:  # plain SQL as the center's role
        with pytest.raises(psycopg.Error) as refused:
            conn.execute(attack)
        conn.rollback()
    message = str(refused.value)
    assert refusal in message or (
        refusal == "privilege" and isinstance(refused.value, psycopg.errors.InsufficientPrivilege)
    ), message
    with psycopg.connect(plain(upstream["admin"])) as conn:
        after = conn.execute(
            "SELECT count(*), md5(string_agg(payload::text || version, ',' ORDER BY id)) "
            "FROM desk.audit_event"
        ).fetchone()
    assert after == before
    compare(runtime, upstream["admin"], "center_a")  # every row as the center sent it
    # and the center's own sync goes on: forward moves are accepted
    q = Queue(runtime)
    q.issue("A")
    assert Sync(runtime.engine, upstream["a"]).run_once().error == ""
    q.call_next(1)
    assert Sync(runtime.engine, upstream["a"]).run_once().error == ""
    compare(runtime, upstream["admin"], "center_a")


def _audit_verify(cfg: Path, db: str) -> tuple[int, str]:
    from tests.conftest import desk_here

    done = desk_here("audit", "verify", env={"DESK_CONFIG": str(cfg), "DESK_DB": db})
    return done.returncode, done.stdout


def test_audit_verify_names_where_the_trail_left_the_upstream_copy(
    runtime: Runtime, upstream: dict[str, str], db_url: str, tmp_path: Path
) -> None:
    """Someone with the database and the audit key re-hashes the local chain: the
    local check passes, the upstream copy shows what changed."""
    from db import audit
    from tests.db.test_audit import rehash_from

    activity(runtime, 1)
    assert Sync(runtime.engine, upstream["a"]).run_once().error == ""
    Queue(runtime).issue("C")  # not sent yet: pending, not a divergence
    cfg = _center_config(tmp_path, "a", upstream["a"])
    code, out = _audit_verify(cfg, db_url)
    assert code == 0, out
    lines = out.splitlines()
    assert lines[0].startswith("Nhật ký kiểm tra nguyên vẹn: ")
    assert re.fullmatch(r"bản sao cấp tỉnh: khớp \d+ mục \([1-9]\d* mục chưa gửi\)", lines[1])
    key = audit.key()
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        target = conn.execute(
            "SELECT id FROM audit_event WHERE detail LIKE '%\"done\"%' ORDER BY id"
        ).fetchone()[0]
        conn.execute(
            "UPDATE audit_event SET detail = replace(detail, '\"done\"', '\"serving\"') "
            "WHERE id = ?",
            (target,),
        )
    rehash_from(db_url, target, key)
    code, out = _audit_verify(cfg, db_url)
    assert code == 1
    assert out.splitlines()[0].startswith(
        "Nhật ký kiểm tra nguyên vẹn"
    )  # the local chain is fooled
    assert out.splitlines()[1].startswith(
        f"nhật ký khác bản sao cấp tỉnh tại mục {target}: khác bản sao cấp tỉnh ở detail, hash"
    )
    with sqlite3.connect(path) as conn:  # the rewrite undone; then the last sent entry deleted
        conn.execute(
            "UPDATE audit_event SET detail = replace(detail, '\"serving\"', '\"done\"') "
            "WHERE id = ?",
            (target,),
        )
    rehash_from(db_url, target, key)
    assert _audit_verify(cfg, db_url)[0] == 0  # restored, bit for bit
    with sqlite3.connect(path) as conn:  # an entry added here that never went up
        head = conn.execute("SELECT value FROM setting WHERE key = 'audit.head'").fetchone()[0]
        forged = SimpleNamespace(
            at=datetime(2026, 11, 23, 8), officer_id=None, action="login", entity="officer"
        )
        forged.entity_id, forged.detail = "1", ""
        value = audit._hash(audit._content(head, forged), key)
        extra = conn.execute(
            "INSERT INTO audit_event (at, action, entity, entity_id, detail, prev_hash, hash) "
            "VALUES ('2026-11-23 08:00:00.000000', 'login', 'officer', '1', '', ?, ?)",
            (head, value),
        ).lastrowid
        conn.execute("UPDATE setting SET value = ? WHERE key = 'audit.head'", (value,))
    code, out = _audit_verify(cfg, db_url)
    assert code == 1 and out.splitlines()[0].startswith("Nhật ký kiểm tra nguyên vẹn")
    assert f"tại mục {extra}: có ở đây nhưng cấp tỉnh chưa từng nhận" in out.splitlines()[1]
    with psycopg.connect(plain(upstream["admin"])) as conn:
        top = conn.execute("SELECT max(id) FROM desk.audit_event").fetchone()
    assert top is not None
    last_sent = top[0]
    with sqlite3.connect(path) as conn:
        conn.execute("DELETE FROM audit_event WHERE id >= ?", (last_sent,))
        conn.execute(
            "DELETE FROM outbox WHERE entity = 'audit_event' AND entity_id >= ?", (last_sent,)
        )
    rehash_from(db_url, 1, key)
    code, out = _audit_verify(cfg, db_url)
    assert code == 1
    assert f"tại mục {last_sent}: không còn ở đây, cấp tỉnh vẫn giữ" in out.splitlines()[1]


def _center_config(tmp_path: Path, name: str, url: str) -> Path:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    path = tmp_path / f"{name}.toml"
    path.write_text(
        text.replace('url = ""', f'url = "{url}"').replace("batch_size = 500", "batch_size = 40"),
        encoding="utf-8",
    )
    return path


def _desk_sync(config: Path, db: str, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "DESK_CONFIG": str(config), "DESK_DB": db}
    return subprocess.Popen(
        [sys.executable, "-m", "desk.cli", "sync", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.early
def test_two_centers_sync_at_once(tmp_path: Path, config: Config, upstream: dict[str, str]) -> None:
    runtimes = {}
    for name in ("a", "b"):
        db = f"sqlite:///{tmp_path / name}.db"
        rt = open_runtime(config, db)
        activity(rt, 5)
        runtimes[name] = (rt, db, _center_config(tmp_path, name, upstream[name]))
    procs = [_desk_sync(cfg, db) for _rt, db, cfg in runtimes.values()]
    for p in procs:
        out, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
        assert out.startswith("Đã gửi ")
    for name, (rt, _db, _cfg) in runtimes.items():
        compare(rt, upstream["admin"], f"center_{name}")


@pytest.mark.early
def test_a_killed_sync_resumes_with_no_loss_and_no_duplicate(
    tmp_path: Path, config: Config, upstream: dict[str, str]
) -> None:
    db = f"sqlite:///{tmp_path / 'busy.db'}"
    rt = open_runtime(config, db)
    q = Queue(rt)
    for i in range(400):
        q.issue("ABCDEF"[i % 6])
    cfg = _center_config(tmp_path, "busy", upstream["a"])
    for _ in range(3):
        p = _desk_sync(cfg, db)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and p.poll() is None:
            with read_session(rt.engine) as s:
                sent = s.exec(select(Outbox).where(col(Outbox.sent_at).is_not(None))).first()
            if sent is not None:
                break
            time.sleep(0.02)
        time.sleep(0.05)
        p.send_signal(signal.SIGKILL)
        p.communicate(timeout=30)
    final = _desk_sync(cfg, db)
    _out, err = final.communicate(timeout=120)
    assert final.returncode == 0, err
    compare(rt, upstream["admin"], "center_a")


def test_back_office_changes_come_down_by_the_merge_rules(
    runtime: Runtime, upstream: dict[str, str]
) -> None:
    """With the center's clock a day ahead of upstream: order comes from sequence
    numbers, never clocks."""
    clock.set_clock(lambda: datetime.now() + timedelta(days=1, hours=3))
    activity(runtime, 1)
    sync = Sync(runtime.engine, upstream["a"])
    assert sync.run_once().error == ""
    with read_session(runtime.engine) as s:
        dossier = s.exec(select(Dossier)).one()
    with psycopg.connect(upstream["backoffice"], autocommit=True) as bo:
        for to_status in ("resolved", "processing", "received", "supplement_requested"):
            bo.execute(
                "INSERT INTO desk.dossier_update (center, dossier_id, to_status, reason, officer)"
                " VALUES ('center_a', %s, %s, 'xong', 'Phòng Tư pháp')",
                (dossier.id, to_status),
            )
        bo.execute(
            "INSERT INTO desk.dossier_update (center, dossier_id, to_status) "
            "VALUES ('center_b', %s, 'refused')",
            (dossier.id,),
        )  # another center's update never reaches center_a
        bo.execute(
            "INSERT INTO desk.procedure (code, payload) VALUES ('1.099999', %s)",
            (
                json.dumps(
                    {
                        "name": "Thủ tục mới của tỉnh",
                        "field": "Hộ tịch",
                        "legal_days": 2,
                        "components": ["Tờ khai"],
                    }
                ),
            ),
        )
        bo.execute(
            "INSERT INTO desk.procedure_alias (old_code, payload) VALUES ('1.088888', %s)",
            (json.dumps({"new_code": "1.099999"}),),
        )
        bo.execute(
            "INSERT INTO desk.holiday (day, payload) VALUES ('2026-12-31', %s)",
            (json.dumps({"kind": "holiday", "name": "Nghỉ bù"}),),
        )
    result = sync.run_once()
    assert result.error == "" and result.pulled == 7
    with read_session(runtime.engine) as s:
        dossier = s.exec(select(Dossier)).one()
        assert dossier.status == "resolved"  # later, backwards updates were skipped
        proc = s.exec(select(Procedure).where(Procedure.code == "1.099999")).one()
        assert proc.legal_days == 2
        alias = s.exec(select(ProcedureAlias).where(ProcedureAlias.old_code == "1.088888")).one()
        assert alias.procedure_id == proc.id
        assert s.exec(select(Holiday).where(Holiday.name == "Nghỉ bù")).one().source == "upstream"
    with psycopg.connect(upstream["backoffice"], autocommit=True) as bo:
        bo.execute("UPDATE desk.holiday SET deleted = true WHERE day = '2026-12-31'")
    assert sync.run_once().pulled == 1
    with read_session(runtime.engine) as s:
        assert s.exec(select(Holiday).where(Holiday.name == "Nghỉ bù")).first() is None
    assert sync.run_once().pulled == 0  # cursors moved: nothing pulled twice
    compare(runtime, upstream["admin"], "center_a")


def test_passwords_never_appear_in_messages(runtime: Runtime, upstream: dict[str, str]) -> None:
    secret = upstream["a"].replace("center_a@", "center_a:s3cr3t-pw@").rsplit("/", 1)[0] + "/nodb"
    result = Sync(runtime.engine, secret).run_once()
    assert result.error and "s3cr3t-pw" not in result.error
    assert "center_a:***@" in result.error
    with pytest.raises(SyncError) as info:
        init_upstream(secret)
    assert "s3cr3t-pw" not in str(info.value)


def test_upstream_down_for_a_while_then_catching_up(
    runtime: Runtime, upstream: dict[str, str]
) -> None:
    from tests.fake_printer import closed_port

    down = upstream["a"].split("@")[0] + f"@127.0.0.1:{closed_port()}/x"
    activity(runtime, 2)
    first = Sync(runtime.engine, down).run_once()
    assert first.error and status(runtime.engine).pending > 0
    Queue(runtime).issue("C")  # the counter keeps working offline
    assert not status(runtime.engine).online
    assert Sync(runtime.engine, upstream["a"]).run_once().error == ""
    compare(runtime, upstream["admin"], "center_a")


def test_the_daemon_backs_off_with_jitter_while_upstream_is_down(runtime: Runtime) -> None:
    from tests.fake_printer import closed_port

    sleeps: list[float] = []
    rounds = iter(range(5))
    sync = Sync(runtime.engine, f"postgresql+psycopg://c@127.0.0.1:{closed_port()}/x")
    sync.run_forever(10, stop=lambda: next(rounds, None) is None, sleep=sleeps.append)
    assert len(sleeps) == 5
    for n, delay in enumerate(sleeps, start=1):
        assert 0.5 * min(300, 10 * 2**n) <= delay <= 1.5 * min(300, 10 * 2**n)


async def test_officer_screens_show_online_offline_and_pending(
    runtime: Runtime, upstream: dict[str, str]
) -> None:
    import dataclasses

    from screens.app import DeskApp
    from screens.syncbadge import SyncBadge
    from tests.conftest import signed_in
    from tests.fake_printer import closed_port
    from tests.screens.test_counter import settle

    Queue(runtime).issue("A")
    online = runtime.config.upstream.model_copy(update={"url": upstream["a"]})
    rt = dataclasses.replace(runtime, config=runtime.config.model_copy(update={"upstream": online}))

    async def badge() -> str:
        app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
        async with app.run_test(size=(110, 30)) as pilot:
            await settle(app, pilot)
            await settle(app, pilot)
            return str(app.screen.query_one(SyncBadge).render())

    import re

    first = await badge()
    assert re.fullmatch(r"○ Chưa đồng bộ \(desk sync chưa chạy\) · chờ đồng bộ: \d+", first)
    assert int(first.rsplit(" ", 1)[1]) >= 2  # the ticket, its event, their audit entries
    assert Sync(rt.engine, upstream["a"]).run_once().error == ""
    assert (await badge()).startswith("● Trực tuyến · chờ đồng bộ: ")
    Sync(rt.engine, f"postgresql+psycopg://center_a@127.0.0.1:{closed_port()}/x").run_once()
    assert (await badge()).startswith("○ Ngoại tuyến, vẫn làm việc bình thường")
    # no upstream: no alarming pending count
    assert await _badge_without_upstream(runtime) == (
        "Lưu tại trung tâm (chưa cấu hình đồng bộ lên tỉnh)"
    )


async def _badge_without_upstream(runtime: Runtime) -> str:
    from screens.app import DeskApp
    from screens.syncbadge import SyncBadge
    from tests.conftest import signed_in
    from tests.screens.test_counter import settle

    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(110, 30)) as pilot:
        await settle(app, pilot)
        return str(app.screen.query_one(SyncBadge).render())
