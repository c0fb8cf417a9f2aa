"""Rebuilding a center's database on a new PC from the provincial PostgreSQL.

Everything the center pushed comes back with its own ids: accounts (with their
password hashes), every ticket and ticket event, every dossier with its components
and status history, ratings, print records (without the printed documents) and the
audit trail with its hashes, so ``desk audit verify`` still passes and the rows the
new PC writes next continue the ids upstream already holds (an upstream row is
keyed by center and local id: a reused id would never reach the province).

What is not pushed is derived:
- the center, its services and counters, with their old ids, from the audit
  trail's ``create`` entries (the configuration fills in the rest on start);
- the procedures dossiers point at, with their old ids, from the dossiers (code,
  name, processing time); the full catalogue comes with the next sync, or from
  ``desk catalogue import``;
- the daily sequences: every number handed out was committed with the row that
  uses it, so the last ticket number of each prefix and day, the last dossier code
  of each day and the last register entry of each year are read off those rows,
  and the next ones continue after them.

What was written on the old PC and never pushed cannot come back. If the old
database can still be read (``--replace`` over it) its unsent changes are counted
exactly (and stay in the copy kept aside), and its own daily sequences count too,
so no number it handed out is handed out again; otherwise the center's last report
upstream (``desk.center_state``) tells when it last pushed and how many changes
were still waiting then.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, Table

from db import migrate
from db.engine import make_engine, safe_url
from db.models import (
    Center,
    Counter,
    DailySequence,
    Procedure,
    Service,
    Setting,
)
from db.outbox import ENTITIES
from desk import clock, logs
from desk.backup.copy import read_only
from desk.backup.restore import set_aside, take_over
from desk.errors import DeskError
from desk.i18n import t
from desk.text import fold
from desk.upstream.sync import SyncError, _clean_error, connect

log = logs.get("sync")

# parents before children, so every reference points at a row already there
ORDER = (
    "officer",
    "ticket",
    "ticket_event",
    "dossier",
    "dossier_component",
    "dossier_status",
    "rating",
    "print_job",
    "audit_event",
)
MODELS: dict[str, type] = {name: model for model, name in ENTITIES.items()}
STRUCTURE: dict[str, type] = {"center": Center, "service": Service, "counter": Counter}


@dataclass
class Rebuilt:
    db: Path
    counts: dict[str, int]
    procedures: int
    last_push: str
    """The old PC's local time of its last successful push ("" if unknown)."""
    pending_at_last_push: int | None
    lost_unsent: int | None
    """Unsent changes counted in the old database (None: it could not be read)."""
    kept_aside: Path | None
    dangling: list[str] = field(default_factory=list)


def _table(model: type) -> Table:
    return model.__table__  # type: ignore[attr-defined, no-any-return]


def _row(table: Table, payload: Mapping[str, Any]) -> dict[str, Any]:
    """A payload (JSON snapshot) as the typed values of ``table``'s columns."""
    out: dict[str, Any] = {}
    for column in table.columns:
        value = payload.get(column.name)
        try:
            kind = column.type.python_type
        except NotImplementedError:
            kind = object
        if isinstance(value, str) and kind is datetime:
            value = datetime.fromisoformat(value)
        elif isinstance(value, str) and kind is date:
            value = date.fromisoformat(value)
        elif kind is bytes:
            value = None  # printed bytes never go upstream
        if value is None and (column.name not in payload or not column.nullable):
            default = getattr(column.default, "arg", None)
            if callable(default):
                default = None
            if default is None and not column.nullable:
                default = {str: "", bool: False, int: 0}.get(kind)
            value = default
        out[column.name] = value
    return out


def fetch(url: str) -> tuple[dict[str, list[dict[str, Any]]], tuple[str, int] | None, int]:
    """(this center's pushed rows by entity, its last report, the last back-office
    update id) from upstream."""
    import psycopg

    with connect(url) as conn:
        try:
            rows = {
                entity: [
                    {**payload, "id": rid}
                    for rid, payload in conn.execute(
                        f"SELECT id, payload FROM desk.{entity} "
                        "WHERE center = current_user ORDER BY id"
                    ).fetchall()
                ]
                for entity in ORDER
            }
            cursor = conn.execute(
                "SELECT COALESCE(MAX(id), 0) FROM desk.dossier_update WHERE center = current_user"
            ).fetchone()[0]
        except psycopg.Error as exc:
            raise SyncError(_clean_error(exc, url)) from None
        finally:
            conn.rollback()
        try:
            found = conn.execute(
                "SELECT local_at, pending FROM desk.center_state WHERE center = current_user"
            ).fetchone()
        except psycopg.Error:  # an upstream from before center_state: unknown
            found = None
        finally:
            conn.rollback()
    state = (str(found[0]), int(found[1])) if found else None
    return rows, state, int(cursor)


def structure(audit: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    """The center, services and counters as their audited creation recorded them."""
    out: dict[str, dict[int, dict[str, Any]]] = {name: {} for name in STRUCTURE}
    for entry in audit:
        entity = entry.get("entity")
        if entry.get("action") != "create" or entity not in STRUCTURE:
            continue
        try:
            detail = json.loads(entry.get("detail") or "{}")
            rid = int(entry.get("entity_id", ""))
        except ValueError:
            continue
        out[entity].setdefault(rid, {**detail, "id": rid})
    return {name: list(rows.values()) for name, rows in out.items()}


def procedures(dossiers: list[dict[str, Any]], now: datetime) -> list[dict[str, Any]]:
    """A catalogue entry (with its old id) for each procedure the dossiers name."""
    seen: dict[int, dict[str, Any]] = {}
    for d in dossiers:
        pid = d.get("procedure_id")
        if pid is None or pid in seen:
            continue
        code, name = d.get("procedure_code", ""), d.get("procedure_name", "")
        seen[pid] = {
            "id": pid,
            "code": code,
            "name": name,
            "legal_days": d.get("legal_days"),
            "local_days": d.get("local_days"),
            "day_type": d.get("day_type", "working"),
            "search_text": fold(f"{code} {name}"),
            "updated_at": now.isoformat(),
        }
    return list(seen.values())


def sequences(rows: dict[str, list[dict[str, Any]]]) -> dict[tuple[str, str], int]:
    """The last number of every daily sequence, read off the rows that used them."""
    last: dict[tuple[str, str], int] = {}

    def bump(scope: str, day: str, value: int) -> None:
        last[(scope, day)] = max(last.get((scope, day), 0), value)

    for ticket in rows["ticket"]:
        scope = f"ticket:{ticket['center_id']}:{ticket['prefix']}"
        bump(scope, str(ticket["day"]), int(ticket["seq"]))
    for dossier in rows["dossier"]:
        agency, yymmdd, seq = str(dossier["code"]).rsplit("-", 2)
        day = f"20{yymmdd[:2]}-{yymmdd[2:4]}-{yymmdd[4:6]}"
        bump(f"dossier:{agency}", day, int(seq))
        bump(f"register:{agency}", f"{dossier['register_year']}-01-01", int(dossier["register_no"]))
    return last


def old_sequences(db: Path) -> dict[tuple[str, str], int]:
    """The daily sequences of an old database that can still be read (else none):
    numbers it handed out for rows that never reached upstream are not reused."""
    try:
        conn = read_only(db)
        try:
            return {
                (str(scope), str(day)): int(value)
                for scope, day, value in conn.execute("SELECT scope, day, last FROM daily_sequence")
            }
        finally:
            conn.close()
    except sqlite3.Error:
        return {}


def build(
    target: Path,
    rows: dict[str, list[dict[str, Any]]],
    update_cursor: int,
    source: str,
    known: Mapping[tuple[str, str], int] | None = None,
) -> list[str]:
    """Write the rebuilt database to ``target``; the references left dangling.
    ``known``: sequences of the old database, when it could be read."""
    now = clock.now()
    engine = make_engine(f"sqlite:///{target}")
    try:
        migrate.upgrade(engine)
        with engine.connect() as conn:
            # rows go in with their old ids, parents possibly after children
            conn.connection.dbapi_connection.execute("PRAGMA foreign_keys = OFF")  # type: ignore[union-attr]
            with conn.begin():
                for name, items in structure(rows["audit_event"]).items():
                    _insert(conn, STRUCTURE[name], items, now)
                _insert(conn, Procedure, procedures(rows["dossier"], now), now)
                for entity in ORDER:
                    _insert(conn, MODELS[entity], rows[entity], now)
                conn.execute(
                    _table(DailySequence).insert(),
                    [
                        {"scope": scope, "day": date.fromisoformat(day), "last": value}
                        for (scope, day), value in _merged(sequences(rows), known or {}).items()
                    ]
                    or [{"scope": "rebuild", "day": now.date(), "last": 0}],
                )
                head = rows["audit_event"][-1]["hash"] if rows["audit_event"] else ""
                settings = {
                    "audit.head": head,
                    "sync.cursor.dossier_update": str(update_cursor),
                    "rebuild.at": now.isoformat(timespec="seconds"),
                    "rebuild.source": source,
                }
                conn.execute(
                    _table(Setting).insert(),
                    [{"key": k, "value": v} for k, v in settings.items()],
                )
            dangling = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
            conn.rollback()
    finally:
        engine.dispose()
    _single_file(target)
    return sorted({f"{r[0]} → {r[2]}" for r in dangling})


def _merged(
    derived: dict[tuple[str, str], int], known: Mapping[tuple[str, str], int]
) -> dict[tuple[str, str], int]:
    out = dict(derived)
    for key, value in known.items():
        out[key] = max(out.get(key, 0), value)
    return out


def _insert(conn: Any, model: type, items: list[dict[str, Any]], now: datetime) -> None:
    if not items:
        return
    table = _table(model)
    stamp = {"updated_at": now.isoformat(), "created_at": now.isoformat()}
    conn.execute(table.insert(), [_row(table, {**stamp, **item}) for item in items])


def _single_file(db: Path) -> None:
    """Fold the WAL back into the file, so the file alone is the database."""
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def unsent_in(db: Path) -> int | None:
    """Changes never pushed in an old database, or None if it cannot be read."""
    try:
        conn = read_only(db)
        try:
            return int(
                conn.execute("SELECT COUNT(*) FROM outbox WHERE sent_at IS NULL").fetchone()[0]
            )
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def rebuild(url: str, db: Path, *, replace: bool = False) -> Rebuilt:
    """Rebuild the database file ``db`` from upstream ``url`` (the center's role)."""
    if db.exists() and not replace:
        raise DeskError(t("rebuild.confirm_exists", db=db))
    rows, state, cursor = fetch(url)
    if not any(rows.values()):
        raise DeskError(t("rebuild.never_pushed"))
    known = old_sequences(db) if db.exists() else {}
    db.parent.mkdir(parents=True, exist_ok=True)
    partial = db.with_name(f".{db.name}.rebuilding")
    for leftover in (partial, partial.with_name(partial.name + "-wal")):
        leftover.unlink(missing_ok=True)
    try:
        dangling = build(partial, rows, cursor, safe_url(url), known)
        os.chmod(partial, 0o600)
        lock, _damage = take_over(db)  # a damaged old file is kept aside too
        try:
            lost = unsent_in(db) if db.exists() else None
            aside = set_aside(db)
            os.replace(partial, db)
        finally:
            lock.release()
    finally:
        for leftover in (partial, partial.with_name(partial.name + "-shm")):
            leftover.unlink(missing_ok=True)
    counts = {entity: len(items) for entity, items in rows.items()}
    log.info("rebuilt %s from %s: %s", db, safe_url(url), counts)
    return Rebuilt(
        db=db,
        counts=counts,
        procedures=len(procedures(rows["dossier"], clock.now())),
        last_push=state[0] if state else "",
        pending_at_last_push=state[1] if state else None,
        lost_unsent=lost,
        kept_aside=aside,
        dangling=dangling,
    )


def next_numbers(engine: Engine, agency: str, center_id: int, prefixes: list[str]) -> list[str]:
    """Today's next ticket number of each prefix and the next dossier code."""
    from db.engine import read_session
    from desk.dossiers.intake import dossier_code

    today = clock.today()

    def last(session: Any, scope: str) -> int:
        row = session.get(DailySequence, (scope, today))
        return int(row.last) if row is not None else 0

    with read_session(engine) as session:
        tickets = [f"{p}{last(session, f'ticket:{center_id}:{p}') + 1:03d}" for p in prefixes]
        code = dossier_code(agency, today, last(session, f"dossier:{agency}") + 1)
    return [*tickets, code]
