"""Officer accounts, roles and logins.

Roles, each including the ones before it:
- ``officer``: counter work (queue, intake, result return);
- ``supervisor``: reports and the dashboard, the catalogue, holidays, the print
  queue, reassigning waiting tickets to a counter, exporting personal data;
- ``admin``: accounts (add, password, disable).

Passwords are hashed with argon2id. Failed logins slow down and then lock the
account: after 3 failures in a row each further try must wait 30 seconds, after 5
the account is locked for 15 minutes; a success resets the count. Every login,
failure and lock is in the audit trail.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NoReturn

from sqlalchemy import Engine
from sqlmodel import col, select

from db import audit
from db.engine import read_session, write_session
from db.models import ROLES, Officer
from desk import clock, logs
from desk.errors import DeskError
from desk.i18n import t
from desk.text import clean

if TYPE_CHECKING:
    from argon2 import PasswordHasher

RANK = {role: i for i, role in enumerate(ROLES)}
SLOW_AFTER = 3
SLOW_SECONDS = 30
LOCK_AFTER = 5
LOCK_MINUTES = 15
MIN_PASSWORD = 6
log = logs.get("accounts")


class AccountError(DeskError):
    """A login or account change was refused; the message says why."""


class PermissionDenied(DeskError):
    """The actor's role does not allow the action; nothing was changed."""


@dataclass(frozen=True)
class Actor:
    id: int
    username: str
    full_name: str
    role: str

    def can(self, role: str) -> bool:
        return RANK[self.role] >= RANK[role]


ACTIONS = {
    "counter": "officer",
    "report": "supervisor",
    "dashboard": "supervisor",
    "catalogue": "supervisor",
    "holidays": "supervisor",
    "print_queue": "supervisor",
    "reassign": "supervisor",
    "export": "supervisor",
    "accounts": "admin",
    "recode": "admin",
}


def require(actor: Actor | None, action: str) -> Actor:
    """The actor, if their role allows ``action``; else PermissionDenied."""
    needed = ACTIONS[action]
    if actor is None:
        raise PermissionDenied(t("account.login_required", action=t(f"account.action_{action}")))
    if not actor.can(needed):
        raise PermissionDenied(
            t(
                "account.denied",
                user=actor.username,
                role=t(f"account.role_{actor.role}"),
                action=t(f"account.action_{action}"),
                needed=t(f"account.role_{needed}"),
            )
        )
    return actor


def _hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher()  # argon2id with the library's current parameters


def _actor(o: Officer) -> Actor:
    assert o.id is not None
    return Actor(o.id, o.username, o.full_name, o.role)


def _check_password(password: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise AccountError(t("account.short_password", count=MIN_PASSWORD))


def count_officers(engine: Engine) -> int:
    with read_session(engine) as session:
        return len(session.execute(select(col(Officer.id))).all())


def add_officer(
    engine: Engine,
    actor: Actor | None,
    username: str,
    full_name: str,
    role: str,
    password: str,
) -> Actor:
    """Create an account. The very first account (an admin) needs no actor."""
    if count_officers(engine) > 0:
        require(actor, "accounts")
    elif role != "admin":
        raise AccountError(t("account.first_admin"))
    if role not in ROLES:
        raise AccountError(t("account.bad_role", roles=", ".join(ROLES)))
    username = username.strip().lower()
    if not username or not username.replace("_", "").replace(".", "").isalnum():
        raise AccountError(t("account.bad_username"))
    _check_password(password)
    with write_session(engine) as session:
        exists = session.execute(
            select(Officer).where(col(Officer.username) == username)
        ).scalar_one_or_none()
        if exists is not None:
            raise AccountError(t("account.exists", user=username))
        officer = Officer(
            username=username,
            full_name=clean(full_name) or username,
            role=role,
            password_hash=_hasher().hash(password),
            created_at=clock.now(),
        )
        session.add(officer)
        session.flush()
        return _actor(officer)


def _load(session: object, username: str) -> Officer:
    from sqlmodel import Session

    assert isinstance(session, Session)
    officer: Officer | None = session.execute(
        select(Officer).where(col(Officer.username) == username.strip().lower())
    ).scalar_one_or_none()
    if officer is None:
        raise AccountError(t("account.unknown", user=username))
    return officer


def set_password(engine: Engine, actor: Actor | None, username: str, password: str) -> None:
    """Admins change anyone's password; an officer only their own."""
    if actor is None or actor.username != username.strip().lower():
        require(actor, "accounts")
    _check_password(password)
    with write_session(engine) as session:
        officer = _load(session, username)
        officer.password_hash = _hasher().hash(password)
        officer.failed_logins = 0
        officer.locked_until = None
        officer.version += 1
        session.add(officer)


def disable(engine: Engine, actor: Actor | None, username: str) -> None:
    require(actor, "accounts")
    with write_session(engine) as session:
        officer = _load(session, username)
        if actor is not None and officer.id == actor.id:
            raise AccountError(t("account.disable_self"))
        officer.active = False
        officer.version += 1
        session.add(officer)


def list_officers(engine: Engine, actor: Actor | None) -> list[Officer]:
    require(actor, "accounts")
    with read_session(engine) as session:
        return list(session.execute(select(Officer).order_by(col(Officer.username))).scalars())


def act_as(officer_id: int | None) -> None:
    """Name this officer as the actor of the audit entries this process writes from
    now on (one officer per process: a counter, a command)."""
    audit.set_actor(officer_id)


def login(
    engine: Engine,
    username: str,
    password: str,
    now: datetime | None = None,
    *,
    record: bool = True,
) -> Actor:
    """Check a password; slow down and lock after repeated failures.

    A failure is recorded against the account by its id; a name that is no account
    is recorded only as "unknown account": what was typed (a CCCD, a phone, a
    password in the wrong field) never reaches the audit trail, the outbox or the log.

    ``record=False`` (the commands that only read, on a database they may not
    write): the password and any lock are checked and nothing is written, so
    failures are not counted there. Whoever can run such a command can read the
    database file, password hashes included, so the count would not stop them."""
    now = now or clock.now()
    if not record:
        return begin_check(engine, username, password, now)()
    from argon2.exceptions import VerificationError

    error = ""
    result: Actor | None = None
    known: int | None = None
    with write_session(engine) as session:
        officer = session.execute(
            select(Officer).where(col(Officer.username) == username.strip().lower())
        ).scalar_one_or_none()
        if officer is None or not officer.active:
            if officer is not None:
                known = officer.id
            audit.append(session, "login_failed", "officer", str(known or UNKNOWN_ACCOUNT))
            error = t("account.bad_login")
        elif officer.locked_until is not None and officer.locked_until > now:
            known = officer.id
            seconds = int((officer.locked_until - now).total_seconds()) + 1
            error = t("account.locked", seconds=seconds)
        else:
            known = officer.id
            try:
                _hasher().verify(officer.password_hash, password)
            except VerificationError:
                officer.failed_logins += 1
                officer.version += 1
                if officer.failed_logins >= LOCK_AFTER:
                    officer.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                elif officer.failed_logins >= SLOW_AFTER:
                    officer.locked_until = now + timedelta(seconds=SLOW_SECONDS)
                session.add(officer)
                audit.append(
                    session,
                    "login_failed",
                    "officer",
                    str(officer.id),
                    f'{{"failures": {officer.failed_logins}}}',
                )
                error = t("account.bad_login")
                if officer.locked_until is not None and officer.locked_until > now:
                    seconds = int((officer.locked_until - now).total_seconds())
                    error = t("account.locked", seconds=seconds)
            else:
                if officer.failed_logins or officer.locked_until is not None:
                    officer.version += 1
                officer.failed_logins = 0
                officer.locked_until = None
                session.add(officer)
                audit.append(session, "login", "officer", str(officer.id), "", officer.id)
                result = _actor(officer)
    # the failure count is committed above; only then is the login refused
    if result is None:
        _refused(known, error)
    assert result is not None
    log.info("login: %s", result.username)
    return result


UNKNOWN_ACCOUNT = "unknown account"


def _refused(known: int | None, error: str) -> NoReturn:
    who = f"account {known}" if known is not None else UNKNOWN_ACCOUNT
    log.warning("login refused for %s: %s", who, error)
    raise AccountError(error)


def begin_check(
    engine: Engine, username: str, password: str, now: datetime | None = None
) -> Callable[[], Actor]:
    """Start checking a password without writing anything (``login(record=False)``):
    the account is read and its lock checked now, the argon2 verification runs in a
    thread (argon2 releases the GIL), and the returned function waits for it and
    gives the officer, or raises :class:`AccountError` as :func:`login` does.

    A command that only reads does its own work meanwhile and shows or writes none
    of it until the function has returned."""
    now = now or clock.now()
    with read_session(engine) as session:
        officer = session.execute(
            select(Officer).where(col(Officer.username) == username.strip().lower())
        ).scalar_one_or_none()
    if officer is None or not officer.active:
        _refused(officer.id if officer is not None else None, t("account.bad_login"))
    if officer.locked_until is not None and officer.locked_until > now:
        seconds = int((officer.locked_until - now).total_seconds()) + 1
        _refused(officer.id, t("account.locked", seconds=seconds))
    actor = _actor(officer)
    stored = officer.password_hash
    hasher = _hasher()
    outcome: list[BaseException | None] = []

    def verify() -> None:
        try:
            hasher.verify(stored, password)
        except BaseException as exc:  # handed to the caller's thread below
            outcome.append(exc)
        else:
            outcome.append(None)

    worker = threading.Thread(target=verify, name="password-check", daemon=True)
    worker.start()

    def checked() -> Actor:
        from argon2.exceptions import VerificationError

        worker.join()
        error = outcome[0] if outcome else RuntimeError("the password check did not finish")
        if isinstance(error, VerificationError):
            _refused(actor.id, t("account.bad_login"))
        if error is not None:
            raise error
        return actor

    return checked


def verify_password(engine: Engine, actor: Actor, password: str) -> bool:
    """Unlock an idle screen: the same officer's password (failures count too)."""
    try:
        login(engine, actor.username, password)
    except AccountError:
        return False
    return True


DEMO_ACCOUNTS = "demo.accounts"
"""The ``setting`` row that says this database's accounts are the demo's (made by
:func:`ensure_demo_accounts`): only then does the login box name them."""


def ensure_demo_accounts(engine: Engine, *, demo_file: bool = False) -> None:
    """The demo database's accounts, made on a database without any, which is then
    marked as having them (:func:`has_demo_accounts`). ``demo_file``: the database is
    the demo's own file (``demo.db``, no ``DESK_DB``), whose accounts are the demo's
    even when it was made before the mark was."""
    if count_officers(engine):
        if demo_file:
            _mark_demo_accounts(engine)
        return
    add_officer(engine, None, "admin", "Quản trị viên", "admin", "admin123")
    admin = login(engine, "admin", "admin123")
    add_officer(engine, admin, "giamdoc", "Giám đốc Trung tâm", "supervisor", "giamdoc123")
    add_officer(engine, admin, "canbo", "Cán bộ một cửa", "officer", "canbo123")
    _mark_demo_accounts(engine)


def _mark_demo_accounts(engine: Engine) -> None:
    from db.models import Setting

    with read_session(engine) as session:
        if session.get(Setting, DEMO_ACCOUNTS) is not None:
            return  # a start that changes nothing writes nothing
    with write_session(engine) as session:
        session.merge(Setting(key=DEMO_ACCOUNTS, value="admin,giamdoc,canbo"))


def has_demo_accounts(engine: Engine) -> bool:
    """Whether this database's accounts are the demo's (never a center's own: a
    database gets the mark only when the demo made its first accounts)."""
    from db.models import Setting

    with read_session(engine) as session:
        return session.get(Setting, DEMO_ACCOUNTS) is not None
