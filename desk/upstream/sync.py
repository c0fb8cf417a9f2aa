"""Upstream sync with the provincial PostgreSQL: offline-first, nothing lost, nothing doubled.

What moves
- Up: tickets (no personal data), ticket events, dossiers with their components and
  status history, ratings, audit events, print records (never the printed bytes) and
  officer accounts (with their argon2 password hashes, so a center rebuilt from
  upstream can log in: :mod:`desk.upstream.restore`). After each successful round
  the center also leaves ``desk.center_state``: when it last pushed and how many
  changes were still waiting then.
  Each is a row of ``desk.<entity>`` upstream keyed by (center, local id), holding the
  row's JSON snapshot and its version.
- Down: the procedure catalogue and its aliases, the holiday table, dossier status
  changes made by the back office (``desk.dossier_update``), the dossiers citizens
  filed online for this center (``desk.online_dossier``, see :mod:`desk.upstream.online`),
  and the bookings citizens made on the province's portal (``desk.appointment_booking``,
  pulled by id into the local ``appointment`` table; those made at the center go up as
  ``desk.appointment``).

How
- Every local change writes its outbox row in the same transaction (``db.outbox``).
- :meth:`Sync.push` sends unsent outbox rows in batches. Per entity, one
  ``INSERT … ON CONFLICT (center, id) DO UPDATE … WHERE version < EXCLUDED.version``:
  a stale version never overwrites a newer one and a batch delivered twice changes
  nothing. The outbox rows are marked sent only after the upstream COMMIT; killed in
  between, the next run sends them again, harmlessly. So: no loss, no duplicate.
- Pulls keep a cursor per stream in the ``setting`` table (catalogue and holiday
  versions, the last dossier update id); a cursor moves only after the local
  transaction that applied its rows commits. Ordering uses these numbers, never
  clocks, so clock skew between a center and upstream changes nothing.
- Upstream down: the counter keeps working on its local database; the daemon retries
  with exponential backoff (doubling from ``interval_seconds`` up to 5 minutes) with
  jitter, so many centers coming back at once do not hammer the server.

Ownership and merge rules
- Intake fields (applicant, components, fees, codes, register numbers) belong to the
  center: upstream never sends them down, and the center's snapshot always wins there.
- Processing status belongs upstream: a back-office update (processing,
  supplement_requested, resolved, refused) is applied locally with an ``upstream``
  status row, unless it would move the dossier backwards. Order of progress:
  received < processing = supplement_requested < resolved < returned / refused;
  returned and refused are final. Moving between processing and
  supplement_requested is allowed both ways (a request, then the supplement).
  A skipped update is still consumed (the cursor moves) so it is not retried forever.
- The catalogue and holidays are upstream's: pulled rows replace local ones of the
  same code / day (a holiday the province deletes is removed locally).

Security
- Each center connects with its own PostgreSQL role (member of ``desk_center``);
  row-level security keys every pushed row to ``current_user``, so a center reads and
  writes only its own rows; the catalogue and holidays are read-only to it.
- Upstream enforces what desk promises, whatever client a center uses (triggers
  and grants, :func:`upstream_ddl`): the audit table is append-only for centers
  (no UPDATE, DELETE or TRUNCATE) and each entry must link to the center's last
  one (its ``prev_hash``) and come after it; a row's version only increases; a
  dossier's status only moves forward (the order above) and never leaves a final
  status; a finished or cancelled ticket never changes status again (so it cannot
  be set back to waiting).
- ``desk audit verify`` compares the local trail with this upstream copy
  (:func:`compare_audit`): an entry deleted, added or rewritten locally after it
  went up shows there even when the local chain was re-hashed.
- TLS settings pass through the URL (``?sslmode=verify-full&sslrootcert=…``).
- Passwords never reach logs or messages: every error is reported with the URL
  stripped of its password.
"""

from __future__ import annotations

import json
import random
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, case, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Session, col, select

from db.engine import read_session, safe_url, write_session
from db.models import (
    Center,
    Dossier,
    Holiday,
    Outbox,
    Procedure,
    ProcedureAlias,
    Setting,
)
from db.outbox import ENTITY_NAMES
from desk import clock, logs
from desk.center.config import Config
from desk.dossiers.statuses import FINAL
from desk.errors import DeskError

BACKOFF_CAP_SECONDS = 300.0
RANK = {
    "received": 0,
    "processing": 1,
    "supplement_requested": 1,
    "resolved": 2,
    "returned": 3,
    "refused": 3,
}
UPSTREAM_STATUSES = ("processing", "supplement_requested", "resolved", "refused")
log = logs.get("sync")
# the audit trail goes up in its own order, after the rest, so each entry arrives
# after the one it links to (upstream checks the link on insert)
_IS_AUDIT = col(Outbox.entity) == "audit_event"
PUSH_ORDER = (_IS_AUDIT, case((_IS_AUDIT, col(Outbox.entity_id)), else_=col(Outbox.id)))
_ON_CONFLICT = {
    False: """DO UPDATE SET version = EXCLUDED.version, payload = EXCLUDED.payload,
                synced_at = now()
              WHERE t.version < EXCLUDED.version""",
    True: "DO NOTHING",  # an audit entry never changes (centers may not update it)
}


class SyncError(DeskError):
    """Upstream could not be reached or refused the batch; nothing local was lost."""


# --- the upstream schema -------------------------------------------------------------

SCHEMA_VERSION = "1"


def upstream_ddl() -> list[str]:
    """Idempotent statements creating (or bringing up to date) the upstream schema."""
    ddl = [
        "CREATE SCHEMA IF NOT EXISTS desk",
        "DO $$ BEGIN CREATE ROLE desk_center NOLOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        "DO $$ BEGIN CREATE ROLE desk_backoffice NOLOGIN; "
        "EXCEPTION WHEN duplicate_object THEN NULL; END $$",
        "GRANT USAGE ON SCHEMA desk TO desk_center, desk_backoffice",
        "CREATE TABLE IF NOT EXISTS desk.meta (key text PRIMARY KEY, value text NOT NULL)",
        "CREATE SEQUENCE IF NOT EXISTS desk.catalogue_version",
        """CREATE OR REPLACE FUNCTION desk.bump_version() RETURNS trigger AS $$
           BEGIN NEW.version := nextval('desk.catalogue_version'); RETURN NEW; END
           $$ LANGUAGE plpgsql""",
    ]
    ddl += _guard_ddl()
    for entity in ENTITY_NAMES:
        table = f"desk.{entity}"
        ddl += [
            f"""CREATE TABLE IF NOT EXISTS {table} (
                center text NOT NULL DEFAULT current_user,
                id bigint NOT NULL,
                version integer NOT NULL,
                payload jsonb NOT NULL,
                synced_at timestamptz NOT NULL DEFAULT now(),
                PRIMARY KEY (center, id))""",
            f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY",
            f"DROP POLICY IF EXISTS own_rows ON {table}",
            f"CREATE POLICY own_rows ON {table} TO desk_center "
            "USING (center = current_user) WITH CHECK (center = current_user)",
            f"DROP POLICY IF EXISTS backoffice_reads ON {table}",
            f"CREATE POLICY backoffice_reads ON {table} FOR SELECT TO desk_backoffice USING (true)",
            f"GRANT SELECT ON {table} TO desk_backoffice",
        ]
        if entity == "audit_event":
            ddl += [
                f"REVOKE UPDATE, DELETE, TRUNCATE ON {table} FROM desk_center",
                f"GRANT SELECT, INSERT ON {table} TO desk_center",
                f"DROP TRIGGER IF EXISTS audit_link ON {table}",
                f"CREATE TRIGGER audit_link BEFORE INSERT ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION desk.audit_link()",
                f"DROP TRIGGER IF EXISTS append_only ON {table}",
                f"CREATE TRIGGER append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION desk.append_only()",
            ]
        else:
            ddl += [
                f"GRANT SELECT, INSERT, UPDATE ON {table} TO desk_center",
                f"DROP TRIGGER IF EXISTS moves_forward ON {table}",
                f"CREATE TRIGGER moves_forward BEFORE UPDATE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION desk.moves_forward()",
            ]
    for table, key in (
        ("procedure", "code text PRIMARY KEY"),
        ("procedure_alias", "old_code text PRIMARY KEY"),
        ("holiday", "day date PRIMARY KEY"),
    ):
        ddl += [
            f"""CREATE TABLE IF NOT EXISTS desk.{table} (
                {key},
                payload jsonb NOT NULL,
                deleted boolean NOT NULL DEFAULT false,
                version bigint NOT NULL DEFAULT nextval('desk.catalogue_version'))""",
            f"DROP TRIGGER IF EXISTS bump_version ON desk.{table}",
            f"CREATE TRIGGER bump_version BEFORE INSERT OR UPDATE ON desk.{table} "
            "FOR EACH ROW EXECUTE FUNCTION desk.bump_version()",
            f"GRANT SELECT ON desk.{table} TO desk_center",
            f"GRANT SELECT, INSERT, UPDATE ON desk.{table} TO desk_backoffice",
        ]
    ddl += [
        """CREATE TABLE IF NOT EXISTS desk.center_state (
            center text PRIMARY KEY DEFAULT current_user,
            pushed_at timestamptz NOT NULL DEFAULT now(),
            local_at text NOT NULL DEFAULT '',
            pending integer NOT NULL DEFAULT 0)""",
        "ALTER TABLE desk.center_state ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS own_state ON desk.center_state",
        "CREATE POLICY own_state ON desk.center_state TO desk_center "
        "USING (center = current_user) WITH CHECK (center = current_user)",
        "DROP POLICY IF EXISTS backoffice_reads ON desk.center_state",
        "CREATE POLICY backoffice_reads ON desk.center_state FOR SELECT TO desk_backoffice "
        "USING (true)",
        "GRANT SELECT, INSERT, UPDATE ON desk.center_state TO desk_center",
        "GRANT SELECT ON desk.center_state TO desk_backoffice",
    ]
    ddl += [
        """CREATE TABLE IF NOT EXISTS desk.dossier_update (
            id bigserial PRIMARY KEY,
            center text NOT NULL,
            dossier_id bigint NOT NULL,
            to_status text NOT NULL,
            reason text NOT NULL DEFAULT '',
            officer text NOT NULL DEFAULT '',
            at timestamptz NOT NULL DEFAULT now())""",
        "ALTER TABLE desk.dossier_update ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS own_updates ON desk.dossier_update",
        "CREATE POLICY own_updates ON desk.dossier_update FOR SELECT TO desk_center "
        "USING (center = current_user)",
        "DROP POLICY IF EXISTS backoffice_all ON desk.dossier_update",
        "CREATE POLICY backoffice_all ON desk.dossier_update TO desk_backoffice "
        "USING (true) WITH CHECK (true)",
        "GRANT SELECT ON desk.dossier_update TO desk_center",
        # dossiers filed on the portal, written by it (the back office role) per center
        """CREATE TABLE IF NOT EXISTS desk.online_dossier (
            code text PRIMARY KEY,
            center text NOT NULL,
            payload jsonb NOT NULL,
            version bigint NOT NULL DEFAULT nextval('desk.catalogue_version'))""",
        "DROP TRIGGER IF EXISTS bump_version ON desk.online_dossier",
        "CREATE TRIGGER bump_version BEFORE INSERT OR UPDATE ON desk.online_dossier "
        "FOR EACH ROW EXECUTE FUNCTION desk.bump_version()",
        "ALTER TABLE desk.online_dossier ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS own_online ON desk.online_dossier",
        "CREATE POLICY own_online ON desk.online_dossier FOR SELECT TO desk_center "
        "USING (center = current_user)",
        "DROP POLICY IF EXISTS backoffice_online ON desk.online_dossier",
        "CREATE POLICY backoffice_online ON desk.online_dossier TO desk_backoffice "
        "USING (true) WITH CHECK (true)",
        "GRANT SELECT ON desk.online_dossier TO desk_center",
        "GRANT SELECT, INSERT, UPDATE ON desk.online_dossier TO desk_backoffice",
        "GRANT SELECT, INSERT ON desk.dossier_update TO desk_backoffice",
        "GRANT USAGE ON SEQUENCE desk.dossier_update_id_seq TO desk_backoffice",
        "GRANT USAGE ON SEQUENCE desk.catalogue_version TO desk_backoffice",
        # bookings made on the province's portal, pulled by each center by id
        """CREATE TABLE IF NOT EXISTS desk.appointment_booking (
            id bigserial PRIMARY KEY,
            center text NOT NULL,
            code text NOT NULL,
            service text NOT NULL,
            slot_start timestamp NOT NULL,
            slot_end timestamp NOT NULL,
            name text NOT NULL DEFAULT '',
            created_at timestamptz NOT NULL DEFAULT now(),
            UNIQUE (center, code))""",
        "ALTER TABLE desk.appointment_booking ENABLE ROW LEVEL SECURITY",
        "DROP POLICY IF EXISTS own_bookings ON desk.appointment_booking",
        "CREATE POLICY own_bookings ON desk.appointment_booking FOR SELECT TO desk_center "
        "USING (center = current_user)",
        "DROP POLICY IF EXISTS backoffice_bookings ON desk.appointment_booking",
        "CREATE POLICY backoffice_bookings ON desk.appointment_booking TO desk_backoffice "
        "USING (true) WITH CHECK (true)",
        "GRANT SELECT ON desk.appointment_booking TO desk_center",
        "GRANT SELECT, INSERT ON desk.appointment_booking TO desk_backoffice",
        "GRANT USAGE ON SEQUENCE desk.appointment_booking_id_seq TO desk_backoffice",
        "INSERT INTO desk.meta VALUES ('schema_version', '" + SCHEMA_VERSION + "') "
        "ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value",
    ]
    return ddl


def _guard_ddl() -> list[str]:
    """The functions behind the triggers that refuse a center's rewrites."""
    ranks = " ".join(f"WHEN '{status}' THEN {rank}" for status, rank in RANK.items())
    finals = ", ".join(f"'{status}'" for status in FINAL)
    return [
        f"""CREATE OR REPLACE FUNCTION desk.status_rank(text) RETURNS integer AS $$
           SELECT CASE $1 {ranks} END $$ LANGUAGE sql IMMUTABLE""",
        """CREATE OR REPLACE FUNCTION desk.append_only() RETURNS trigger AS $$
           BEGIN
             RAISE EXCEPTION 'desk.%: audit entries are never changed or deleted',
               TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
           END $$ LANGUAGE plpgsql""",
        """CREATE OR REPLACE FUNCTION desk.audit_link() RETURNS trigger AS $$
           DECLARE last_id bigint; last_hash text;
           BEGIN
             PERFORM pg_advisory_xact_lock(hashtext('desk.audit_event:' || NEW.center));
             IF EXISTS (SELECT 1 FROM desk.audit_event
                        WHERE center = NEW.center AND id = NEW.id) THEN
               RETURN NEW;  -- sent again: the conflict keeps the stored entry
             END IF;
             IF (NEW.payload->>'id')::bigint IS DISTINCT FROM NEW.id THEN
               RAISE EXCEPTION 'desk.audit_event: entry % carries id %',
                 NEW.id, NEW.payload->>'id' USING ERRCODE = 'check_violation';
             END IF;
             SELECT id, payload->>'hash' INTO last_id, last_hash FROM desk.audit_event
               WHERE center = NEW.center ORDER BY id DESC LIMIT 1;
             IF last_id IS NOT NULL AND last_id > NEW.id THEN
               RAISE EXCEPTION 'desk.audit_event: entry % comes before entry % already stored',
                 NEW.id, last_id USING ERRCODE = 'check_violation';
             END IF;
             IF coalesce(NEW.payload->>'prev_hash', '') <> coalesce(last_hash, '') THEN
               RAISE EXCEPTION 'desk.audit_event: entry % does not link to the entry before it',
                 NEW.id USING ERRCODE = 'check_violation';
             END IF;
             RETURN NEW;
           END $$ LANGUAGE plpgsql""",
        f"""CREATE OR REPLACE FUNCTION desk.moves_forward() RETURNS trigger AS $$
           DECLARE was text := OLD.payload->>'status'; goes text := NEW.payload->>'status';
           BEGIN
             IF NEW.center <> OLD.center OR NEW.id <> OLD.id THEN
               RAISE EXCEPTION 'desk.%: a row keeps its center and id', TG_TABLE_NAME
                 USING ERRCODE = 'check_violation';
             END IF;
             IF NEW.version <= OLD.version THEN
               RAISE EXCEPTION 'desk.%: row % version % does not increase (stored: %)',
                 TG_TABLE_NAME, OLD.id, NEW.version, OLD.version
                 USING ERRCODE = 'check_violation';
             END IF;
             IF TG_TABLE_NAME = 'dossier' AND was IS DISTINCT FROM goes AND (
                  was IN ({finals}) OR desk.status_rank(goes) IS NULL
                  OR desk.status_rank(goes) < desk.status_rank(was)) THEN
               RAISE EXCEPTION 'desk.dossier: row % cannot go from % back to %',
                 OLD.id, was, goes USING ERRCODE = 'check_violation';
             END IF;
             IF TG_TABLE_NAME = 'ticket' AND was IS DISTINCT FROM goes
                AND was IN ('done', 'cancelled') THEN
               RAISE EXCEPTION 'desk.ticket: row % is % and cannot become %',
                 OLD.id, was, goes USING ERRCODE = 'check_violation';
             END IF;
             RETURN NEW;
           END $$ LANGUAGE plpgsql""",
    ]


def _dsn(url: str) -> str:
    """A SQLAlchemy URL (``postgresql+psycopg://``) as a libpq connection string."""
    return re.sub(r"^postgresql\+\w+://", "postgresql://", url)


def _clean_error(exc: BaseException, url: str) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
    from urllib.parse import urlsplit

    password = urlsplit(_dsn(url)).password
    if password:
        text = text.replace(password, "***")
    return f"upstream {safe_url(url)}: {text.replace(url, safe_url(url))}"


@contextmanager
def connect(url: str, timeout: float = 10.0) -> Iterator[Any]:
    import psycopg

    try:
        conn = psycopg.connect(_dsn(url), connect_timeout=max(1, int(timeout)))
    except psycopg.Error as exc:
        raise SyncError(_clean_error(exc, url)) from None
    try:
        yield conn
    finally:
        conn.close()


def init_upstream(admin_url: str) -> None:
    """Create or migrate the upstream schema and policies (run as an admin role)."""
    import psycopg

    with connect(admin_url) as conn:
        try:
            with conn.transaction():
                for stmt in upstream_ddl():
                    conn.execute(stmt)
        except psycopg.Error as exc:
            raise SyncError(_clean_error(exc, admin_url)) from None


def add_center(admin_url: str, role: str, password: str | None = None) -> None:
    """A login role for one center, member of desk_center."""
    import psycopg
    from psycopg import sql

    if not re.fullmatch(r"[a-z_][a-z0-9_]{0,62}", role):
        raise SyncError(f"center role: expected lower-case letters, digits and _, got {role!r}")
    with connect(admin_url) as conn:
        try:
            with conn.transaction():
                exists = conn.execute(
                    "SELECT 1 FROM pg_roles WHERE rolname = %s", (role,)
                ).fetchone()
                if not exists:
                    conn.execute(sql.SQL("CREATE ROLE {} LOGIN").format(sql.Identifier(role)))
                conn.execute(sql.SQL("GRANT desk_center TO {}").format(sql.Identifier(role)))
                if password:
                    conn.execute(
                        sql.SQL("ALTER ROLE {} PASSWORD {}").format(
                            sql.Identifier(role), sql.Literal(password)
                        )
                    )
        except psycopg.Error as exc:
            raise SyncError(_clean_error(exc, admin_url)) from None


# --- local state -----------------------------------------------------------------------


def _get(session: Session, key: str, default: str = "") -> str:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def _set(session: Session, key: str, value: str) -> None:
    session.merge(Setting(key=key, value=value))


@dataclass(frozen=True)
class SyncStatus:
    enabled: bool
    pending: int
    last_success: str
    last_error: str
    last_attempt: str

    @property
    def online(self) -> bool:
        return self.enabled and bool(self.last_success) and not self.last_error


def status(engine: Engine, enabled: bool = True) -> SyncStatus:
    with read_session(engine) as session:
        pending = session.execute(
            select(func.count()).select_from(Outbox).where(col(Outbox.sent_at).is_(None))
        ).scalar_one()
        return SyncStatus(
            enabled=enabled,
            pending=int(pending),
            last_success=_get(session, "sync.last_success"),
            last_error=_get(session, "sync.last_error"),
            last_attempt=_get(session, "sync.last_attempt"),
        )


@dataclass
class RoundResult:
    pushed: int = 0
    pulled: int = 0
    error: str = ""


# --- the worker ------------------------------------------------------------------------


class Sync:
    """One center's sync with upstream. ``hook`` is called at named points (tests
    use it to break the connection or kill the process at the worst moment)."""

    def __init__(
        self,
        engine: Engine,
        url: str,
        batch_size: int = 500,
        hook: Callable[[str, Any], None] | None = None,
        config: Config | None = None,
    ) -> None:
        """``config``: the center's configuration, for the notices a pulled "resolved"
        queues (none without it)."""
        self.config = config
        self.held = ""
        """Why a pull stream stopped short this round (reported after the push)."""
        self.engine = engine
        self.url = url
        self.batch_size = batch_size
        self.hook = hook or (lambda _point, _conn: None)

    # --- push ------------------------------------------------------------------

    def push(self, conn: Any, limit: int | None = None) -> int:
        """Send unsent outbox rows in batches until none is left (or ``limit``)."""
        total = 0
        while limit is None or total < limit:
            with read_session(self.engine) as session:
                rows = session.execute(
                    sa_select(
                        col(Outbox.id),
                        col(Outbox.entity),
                        col(Outbox.entity_id),
                        col(Outbox.version),
                        col(Outbox.payload),
                    )
                    .where(col(Outbox.sent_at).is_(None))
                    .order_by(*PUSH_ORDER)
                    .limit(self.batch_size)
                ).all()
            if not rows:
                break
            latest: dict[tuple[str, int], tuple[int, str]] = {}
            for _oid, entity, entity_id, version, payload in rows:
                key = (entity, entity_id)
                if key not in latest or latest[key][0] < version:
                    latest[key] = (version, payload)
            by_entity: dict[str, list[dict[str, Any]]] = {}
            for (entity, entity_id), (version, payload) in latest.items():
                by_entity.setdefault(entity, []).append(
                    {"id": entity_id, "version": version, "payload": json.loads(payload)}
                )
            import psycopg
            from psycopg.types.json import Jsonb

            try:
                with conn.transaction():
                    for entity, records in by_entity.items():
                        if entity not in ENTITY_NAMES:
                            continue
                        conn.execute(
                            f"""INSERT INTO desk.{entity} AS t (center, id, version, payload)
                            SELECT current_user, r.id, r.version, r.payload
                            FROM jsonb_to_recordset(%s) AS r(id bigint, version int, payload jsonb)
                            ORDER BY r.id
                            ON CONFLICT (center, id) {_ON_CONFLICT[entity == "audit_event"]}""",
                            (Jsonb(records),),
                        )
                    self.hook("before_commit", conn)
            except psycopg.Error as exc:
                raise SyncError(_clean_error(exc, self.url)) from None
            self.hook("after_commit", conn)
            ids = [r[0] for r in rows]
            with write_session(self.engine) as session:
                now = clock.now()
                for start in range(0, len(ids), 900):
                    session.execute(
                        update(Outbox)
                        .where(col(Outbox.id).in_(ids[start : start + 900]))
                        .values(sent_at=now),
                        execution_options={"synchronize_session": False},
                    )
            total += len(rows)
        return total

    # --- pull ------------------------------------------------------------------

    def pull(self, conn: Any) -> int:
        return (
            self._pull_catalogue(conn)
            + self._pull_holidays(conn)
            + self._pull_updates(conn)
            + self._pull_online(conn)
            + self._pull_bookings(conn)
        )

    def _fetch(self, conn: Any, query: str, cursor: int) -> list[Any]:
        import psycopg

        try:
            return list(conn.execute(query, (cursor,)).fetchall())
        except psycopg.Error as exc:
            raise SyncError(_clean_error(exc, self.url)) from None
        finally:
            conn.rollback()

    def _cursor(self, stream: str) -> int:
        with read_session(self.engine) as session:
            return int(_get(session, f"sync.cursor.{stream}", "0"))

    def _versioned(self, conn: Any, table: str, key: str, cursor: int) -> list[Any]:
        """(key, payload, deleted, version) of a province-maintained table since ``cursor``."""
        return self._fetch(
            conn,
            f"SELECT {key}, payload, deleted, version FROM desk.{table} "
            "WHERE version > %s ORDER BY version LIMIT 5000",
            cursor,
        )

    def _pull_catalogue(self, conn: Any) -> int:
        from desk.dossiers.catalogue import ProcedureRow, _set_alias, _upsert

        cursor = self._cursor("procedure")
        rows = self._versioned(conn, "procedure", "code", cursor)
        alias_rows = self._versioned(conn, "procedure_alias", "old_code", cursor)
        if not rows and not alias_rows:
            return 0
        procs = []
        for code, payload, deleted, _version in rows:
            p = payload
            procs.append(
                ProcedureRow(
                    line=0,
                    code=code,
                    name=p["name"],
                    field=p.get("field", ""),
                    legal_days=p.get("legal_days"),
                    local_days=p.get("local_days"),
                    day_type=p.get("day_type", "working"),
                    same_day_rule=p.get("same_day_rule", ""),
                    fee_vnd=p.get("fee_vnd"),
                    fee_note=p.get("fee_note", ""),
                    status="repealed" if deleted else p.get("status", "active"),
                    confidence=p.get("confidence", ""),
                    legal_basis=p.get("legal_basis", ""),
                    components=tuple(p.get("components", [])),
                    aliases=(),
                )
            )
        top = max([r[3] for r in rows] + [r[3] for r in alias_rows])
        with write_session(self.engine) as session:
            _upsert(session, procs, None)
            ids = {p.code: p.id for p in session.exec(select(Procedure))}
            for old_code, payload, deleted, _v in alias_rows:
                target = ids.get(payload.get("new_code", ""))
                if deleted:
                    alias = session.exec(
                        select(ProcedureAlias).where(ProcedureAlias.old_code == old_code)
                    ).first()
                    if alias is not None:
                        session.delete(alias)
                elif target is not None:
                    _set_alias(session, old_code, target, payload.get("note", ""))
            _set(session, "sync.cursor.procedure", str(top))
        return len(rows) + len(alias_rows)

    def _pull_holidays(self, conn: Any) -> int:
        rows = self._versioned(conn, "holiday", "day", self._cursor("holiday"))
        if not rows:
            return 0
        with write_session(self.engine) as session:
            for day, payload, deleted, _version in rows:
                existing = session.exec(select(Holiday).where(Holiday.day == day)).first()
                if deleted:
                    if existing is not None:
                        session.delete(existing)
                    continue
                row = existing or Holiday(day=day)
                row.kind = payload.get("kind", "holiday")
                row.name = payload.get("name", "")
                row.source = "upstream"
                session.add(row)
            _set(session, "sync.cursor.holiday", str(max(r[3] for r in rows)))
        return len(rows)

    def _pull_updates(self, conn: Any) -> int:
        rows = self._fetch(
            conn,
            "SELECT id, dossier_id, to_status, reason, officer FROM desk.dossier_update "
            "WHERE center = current_user AND id > %s ORDER BY id LIMIT 5000",
            self._cursor("dossier_update"),
        )
        if not rows:
            return 0
        with write_session(self.engine) as session:
            for _uid, dossier_id, to_status, reason, officer in rows:
                apply_upstream_status(
                    session, int(dossier_id), to_status, reason, officer, self.config
                )
            _set(session, "sync.cursor.dossier_update", str(max(r[0] for r in rows)))
        return len(rows)

    def _pull_online(self, conn: Any) -> int:
        """Dossiers filed online for this center (desk.upstream.online), in version
        order; the cursor moves with the rows applied in the same transaction."""
        from desk.upstream.online import UnknownProcedure, merge_online

        rows = self._fetch(
            conn,
            "SELECT code, payload, version FROM desk.online_dossier "
            "WHERE center = current_user AND version > %s ORDER BY version LIMIT 5000",
            self._cursor("online_dossier"),
        )
        if not rows:
            return 0
        applied = 0
        stopped = ""
        with write_session(self.engine) as session:
            center = self._center(session)
            for code, payload, version in rows:
                try:  # raised before anything of this row is written
                    merge_online(session, center[0], center[1], code, payload, self.config)
                except UnknownProcedure as exc:
                    stopped = f"online dossier {code}: procedure {exc} is not in the catalogue"
                    break
                applied += 1
                _set(session, "sync.cursor.online_dossier", str(version))
            self.hook("online_applied", conn)
        if stopped:
            self.held = f"{stopped}; it is applied once the catalogue has it"
            log.warning("sync: %s", self.held)
        return applied

    def _center(self, session: Session) -> tuple[int, str]:
        """The center this database syncs for, whose pulled dossiers and bookings these
        are: the configured agency code's row (a database whose code changed keeps the
        old, empty center's row beside it), or without a configuration the first one."""
        query = sa_select(col(Center.id), col(Center.agency_code)).order_by(col(Center.id))
        if self.config is not None:
            query = query.where(col(Center.agency_code) == self.config.center.agency_code)
        row = session.execute(query).first()
        if row is None:
            raise SyncError("this database has no center row for the configured agency_code")
        return int(row[0]), str(row[1])

    def _pull_bookings(self, conn: Any) -> int:
        """Bookings made on the portal for this center, after the last one pulled."""
        from desk.queue.appointments import add_pulled

        rows = self._fetch(
            conn,
            "SELECT id, code, service, slot_start, slot_end, name "
            "FROM desk.appointment_booking "
            "WHERE center = current_user AND id > %s ORDER BY id LIMIT 5000",
            self._cursor("appointment"),
        )
        if not rows:
            return 0
        with write_session(self.engine) as session:
            center_id, _code = self._center(session)
            for uid, code, service, start, end, name in rows:
                payload = {
                    "code": code,
                    "service": service,
                    "slot_start": start,
                    "slot_end": end,
                    "name": name,
                }
                add_pulled(session, center_id, int(uid), payload)
            _set(session, "sync.cursor.appointment", str(max(r[0] for r in rows)))
        return len(rows)

    # --- rounds ----------------------------------------------------------------

    def run_once(self) -> RoundResult:
        """Pull, then push everything pending; the outcome is kept for ``desk sync status``."""
        result = RoundResult()
        stamp = clock.now().isoformat(timespec="seconds")
        self.held = ""
        try:
            with connect(self.url) as conn:
                result.pulled = self.pull(conn)
                result.pushed = self.push(conn)
                self._report(conn, stamp)
        except SyncError as exc:
            result.error = str(exc)
            log.warning("sync round failed: %s", result.error)
        else:
            log.info("sync: pushed %s, pulled %s", result.pushed, result.pulled)
            result.error = self.held
        with write_session(self.engine) as session:
            _set(session, "sync.last_attempt", stamp)
            _set(session, "sync.last_error", result.error)
            if not result.error:
                _set(session, "sync.last_success", stamp)
        return result

    def _report(self, conn: Any, stamp: str) -> None:
        """Leave upstream when this center last pushed and how many changes were
        still waiting (written during the round): what a rebuild names as lost if
        this PC dies now. An upstream not yet given ``desk.center_state`` (run
        ``desk upstream init`` again) only costs the report."""
        import psycopg

        pending = status(self.engine).pending
        try:
            with conn.transaction():
                conn.execute(
                    """INSERT INTO desk.center_state AS s (center, pushed_at, local_at, pending)
                    VALUES (current_user, now(), %s, %s)
                    ON CONFLICT (center) DO UPDATE SET pushed_at = now(),
                        local_at = EXCLUDED.local_at, pending = EXCLUDED.pending""",
                    (stamp, pending),
                )
        except psycopg.Error as exc:
            log.warning("sync: center state not reported: %s", _clean_error(exc, self.url))

    def run_forever(
        self,
        interval: float,
        stop: Callable[[], bool] = lambda: False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        failures = 0
        while not stop():
            result = self.run_once()
            if result.error:
                failures += 1
                delay = min(BACKOFF_CAP_SECONDS, interval * 2 ** min(failures, 16))
            else:
                failures = 0
                delay = interval
            sleep(delay * random.uniform(0.5, 1.5))


@dataclass(frozen=True)
class AuditComparison:
    matched: int
    """local entries equal to their upstream copy"""
    pending: int
    """local entries not sent yet"""
    divergence: str = ""
    """the first difference: "" (none), "missing" (upstream holds an entry that is
    not here), "extra" (an entry here that upstream never received and that is not
    waiting to be sent) or "different" (the content differs)"""
    entry_id: int = 0
    fields: tuple[str, ...] = ()
    """for "different": the fields that differ"""


def compare_audit(engine: Engine, url: str) -> AuditComparison:
    """Compare the local audit trail with this center's upstream copy, entry by entry
    in id order, and name the first divergence."""
    import psycopg

    from db.models import AuditEvent
    from db.outbox import snapshot

    with connect(url) as conn:
        try:
            remote = {
                int(rid): payload
                for rid, payload in conn.execute(
                    "SELECT id, payload FROM desk.audit_event WHERE center = current_user"
                ).fetchall()
            }
        except psycopg.Error as exc:
            raise SyncError(_clean_error(exc, url)) from None
    with read_session(engine) as session:
        local = {
            e.id: json.loads(json.dumps(snapshot(e), ensure_ascii=False))
            for e in session.exec(select(AuditEvent))
            if e.id is not None
        }
        unsent = set(
            session.exec(
                select(Outbox.entity_id).where(
                    col(Outbox.entity) == "audit_event", col(Outbox.sent_at).is_(None)
                )
            )
        )
    matched = pending = 0
    for entry_id in sorted(set(local) | set(remote)):
        mine, theirs = local.get(entry_id), remote.get(entry_id)
        if mine is None:
            return AuditComparison(matched, pending, "missing", entry_id)
        if theirs is None:
            if entry_id in unsent:
                pending += 1
                continue
            return AuditComparison(matched, pending, "extra", entry_id)
        if mine != theirs:
            fields = tuple(
                k for k in sorted(set(mine) | set(theirs)) if mine.get(k) != theirs.get(k)
            )
            return AuditComparison(matched, pending, "different", entry_id, fields)
        matched += 1
    return AuditComparison(matched, pending)


def apply_upstream_status(
    session: Session,
    dossier_id: int,
    to_status: str,
    reason: str = "",
    officer: str = "",
    config: Config | None = None,
) -> bool:
    """Apply one back-office status change by the merge rules; False when skipped.
    A dossier that becomes resolved queues its result-ready notice (with ``config``)."""
    dossier = session.get(Dossier, dossier_id)
    if dossier is None or to_status not in UPSTREAM_STATUSES:
        return False
    current = dossier.status
    if current in FINAL or current == to_status:
        return False
    if RANK[to_status] < RANK[current]:
        return False
    from desk.dossiers.lifecycle import apply_outside_status

    noted = f"{officer}: {reason}" if officer else reason
    apply_outside_status(
        session, config, dossier, to_status, clock.now(), noted, "upstream", refusal_reason=reason
    )
    return True


def describe(st: SyncStatus, now: datetime, interval: float) -> str:
    """``off`` (no upstream configured), ``online``, ``offline`` (last round failed)
    or ``stalled`` (no round for a long while: the sync daemon is not running)."""
    if not st.enabled:
        return "off"
    if st.last_attempt:
        last = datetime.fromisoformat(st.last_attempt)
        if now - last > timedelta(seconds=max(120.0, interval * 6)):
            return "stalled"
    else:
        return "stalled"
    return "online" if st.online else "offline"
