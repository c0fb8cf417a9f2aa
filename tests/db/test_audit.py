"""Attacks on the local audit trail, each run the way someone who can write the
database file would: with plain SQL, re-hashing with the published algorithm."""

from __future__ import annotations

import sqlite3
import stat
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from sqlmodel import col, func, select

from db import audit
from db.audit_key import key_path
from db.engine import make_engine, read_session
from db.models import AuditEvent, Outbox
from desk.center.accounts import Actor, login
from desk.center.config import Config
from desk.center.runtime import Runtime, open_runtime
from desk.queue.engine import Queue
from tests.conftest import desk_here


def busy_day(rt: Runtime) -> None:
    q = Queue(rt)
    for _ in range(3):
        q.issue("A")
    q.call_next(1)
    q.start(1)
    q.finish(1)


def plain_hash(prev: str, entry: object, key: bytes | None = None) -> str:
    """The entry's hash as the unkeyed chain computes it: what anyone without the
    key can compute (with ``key``: what someone who stole the key can)."""
    return audit._hash(audit._content(prev, entry), key)


def rehash_from(db_url: str, first_id: int, key: bytes | None = None) -> None:
    """Recompute the chain from entry ``first_id`` on (and the head), unkeyed or
    with a stolen ``key``, and write it into the file with plain SQL."""
    engine = make_engine(db_url)
    with read_session(engine) as s:
        entries = s.exec(select(AuditEvent).order_by(col(AuditEvent.id))).all()
    engine.dispose()
    prev = ""
    updates = []
    for entry in entries:
        if entry.id is not None and entry.id >= first_id:
            entry.hash = plain_hash(prev, entry, key)
            updates.append((prev, entry.hash, entry.id))
        prev = entry.hash
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        conn.executemany("UPDATE audit_event SET prev_hash = ?, hash = ? WHERE id = ?", updates)
        conn.execute("UPDATE setting SET value = ? WHERE key = 'audit.head'", (prev,))


def verify_cli(db_url: str) -> tuple[int, str]:
    done = desk_here("audit", "verify", env={"DESK_DB": db_url})
    return done.returncode, done.stdout.strip()


def test_truncating_the_trail_and_its_head_is_a_break(runtime: Runtime, db_url: str) -> None:
    busy_day(runtime)
    assert verify_cli(db_url)[0] == 0
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:
        last = conn.execute("SELECT max(id) FROM audit_event").fetchone()[0]
        conn.execute("DELETE FROM audit_event WHERE id > ?", (last - 2,))
        conn.execute("DELETE FROM setting WHERE key = 'audit.head'")
    code, out = verify_cli(db_url)
    assert code == 1
    assert out.startswith("Nhật ký kiểm tra bị đứt tại cuối nhật ký: the chain head is missing")


def test_a_forged_entry_is_refused_by_the_keyed_chain(runtime: Runtime, db_url: str) -> None:
    busy_day(runtime)
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:  # a "login" by officer 1 that never happened
        head = conn.execute("SELECT value FROM setting WHERE key = 'audit.head'").fetchone()[0]
        fields = ("2026-11-23 08:00:00.000000", 1, "login", "officer", "1", "")
        entry = SimpleNamespace(
            at=datetime(2026, 11, 23, 8), officer_id=1, action="login", entity="officer"
        )
        entry.entity_id, entry.detail = "1", ""
        forged = plain_hash(head, entry)
        cur = conn.execute(
            "INSERT INTO audit_event (at, officer_id, action, entity, entity_id, detail, "
            "prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (*fields, head, forged),
        )
        forged_id = cur.lastrowid
        conn.execute("UPDATE setting SET value = ? WHERE key = 'audit.head'", (forged,))
    code, out = verify_cli(db_url)
    assert code == 1
    assert out.startswith(
        f"Nhật ký kiểm tra bị đứt tại mục {forged_id}: an unkeyed entry after keyed"
    )
    with sqlite3.connect(path) as conn:  # dressed up as keyed, it does not match either
        conn.execute("UPDATE audit_event SET hash = ? WHERE id = ?", ("k" + forged[:63], forged_id))
        conn.execute("UPDATE setting SET value = ? WHERE key = 'audit.head'", ("k" + forged[:63],))
    code, out = verify_cli(db_url)
    assert code == 1
    assert out.startswith(f"Nhật ký kiểm tra bị đứt tại mục {forged_id}: hash does not match")


def test_rewritten_and_rehashed_history_is_detected(runtime: Runtime, db_url: str) -> None:
    busy_day(runtime)
    path = db_url.removeprefix("sqlite:///")
    with sqlite3.connect(path) as conn:  # the ticket was never finished, says the trail now
        done_id = conn.execute(
            "SELECT id FROM audit_event WHERE detail LIKE '%\"done\"%' ORDER BY id"
        ).fetchone()[0]
        conn.execute(
            "UPDATE audit_event SET detail = replace(detail, '\"done\"', '\"serving\"') "
            "WHERE id = ?",
            (done_id,),
        )
    rehash_from(db_url, done_id)
    code, out = verify_cli(db_url)
    assert code == 1
    assert out.startswith(
        f"Nhật ký kiểm tra bị đứt tại mục {done_id}: an unkeyed entry after keyed"
    )


def test_the_key_lives_outside_the_database_readable_by_its_owner_only(
    runtime: Runtime, db_url: str
) -> None:
    path = key_path()
    assert path.exists()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    key = path.read_text().strip()
    assert len(bytes.fromhex(key)) == 32
    db_bytes = Path(db_url.removeprefix("sqlite:///")).read_bytes()
    assert key.encode() not in db_bytes
    with read_session(runtime.engine) as s:
        hashes = s.exec(select(AuditEvent.hash)).all()
    assert hashes and all(h.startswith("k") and len(h) == 64 for h in hashes)
    # without the key the keyed entries cannot be vouched for
    path.rename(path.with_suffix(".moved"))
    code, out = verify_cli(db_url)
    assert code == 1 and "the audit key is missing" in out


def test_a_trail_from_before_the_key_still_verifies(config: Config, db_url: str) -> None:
    busy_day(open_runtime(config, db_url))
    rehash_from(db_url, 1)  # the trail as an older desk wrote it: plain SHA-256
    key_path().unlink()
    audit.set_key(None)
    rt = open_runtime(config, db_url)  # the upgrade: a new key, and one keyed entry
    busy_day(rt)
    code, out = verify_cli(db_url)
    assert (code, out.split(":")[0]) == (0, "Nhật ký kiểm tra nguyên vẹn"), out
    with read_session(rt.engine) as s:
        kinds = [h.startswith("k") for h in s.exec(select(AuditEvent.hash)).all()]
    first_keyed = kinds.index(True)
    assert first_keyed > 5 and all(kinds[first_keyed:]) and not any(kinds[:first_keyed])


def test_a_start_that_changes_nothing_writes_nothing(config: Config, db_url: str) -> None:
    open_runtime(config, db_url)
    rt = open_runtime(config, db_url)

    def counts() -> tuple[int, int]:
        with read_session(rt.engine) as s:
            return (
                int(s.exec(select(func.count()).select_from(AuditEvent)).one()),
                int(s.exec(select(func.count()).select_from(Outbox)).one()),
            )

    before = counts()
    open_runtime(config, db_url)
    assert desk_here("config", "check", env={"DESK_DB": db_url}).returncode == 0
    assert desk_here("db", "upgrade", env={"DESK_DB": db_url}).returncode == 0
    assert counts() == before


def test_a_failed_login_never_records_what_was_typed(
    runtime: Runtime, staff: dict[str, Actor]
) -> None:
    from desk.center.accounts import AccountError
    from desk.logs import log_path

    typed = "mat-khau-go-nham-o"  # a password typed into the user name field
    with pytest.raises(AccountError):
        login(runtime.engine, typed, "x")
    with pytest.raises(AccountError):
        login(runtime.engine, "canbo", "wrong")
    with read_session(runtime.engine) as s:
        failed = s.exec(
            select(AuditEvent)
            .where(col(AuditEvent.action) == "login_failed")
            .order_by(col(AuditEvent.id))
        ).all()
        payloads = s.exec(select(Outbox.payload)).all()
    assert [(e.entity_id, e.detail) for e in failed] == [
        ("unknown account", ""),
        (str(staff["canbo"].id), '{"failures": 1}'),
    ]
    assert not any(typed in p for p in payloads)
    assert typed not in log_path().read_text(encoding="utf-8")
