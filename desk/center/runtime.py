"""What every role needs at run time: the config, an engine on a migrated
database, and the ids of the configured center, services and counters."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import col, func, select

from db import audit
from db.audit_key import AuditKeyError, load_key, load_or_create_key
from db.engine import (
    DatabaseUnavailable,
    default_url,
    driver_problem,
    make_engine,
    read_session,
    safe_url,
    sqlite_path,
    write_session,
)
from db.migrate import HEAD, current_revision
from db.models import AuditEvent, Procedure
from desk import clock
from desk.backup.lock import DbLock
from desk.center.config import Config
from desk.center.mirror import CenterIds, lookup_ids
from desk.errors import DatabaseError
from desk.i18n import t

if TYPE_CHECKING:  # a read-only start (a report) imports none of these
    from db.checkpoint import Checkpointer
    from desk.backup.schedule import Scheduler
    from desk.queue.watch import ChangeWatch

DATA = Path(__file__).resolve().parents[1] / "data"
DEMO_CATALOGUE = DATA / "procedures.csv"
DEMO_ALIASES = DATA / "code_aliases.csv"
DEMO_LINKED = DATA / "linked_procedures.csv"


@dataclass(frozen=True)
class Runtime:
    config: Config
    engine: Engine
    ids: CenterIds
    url: str
    checkpointer: Checkpointer | None = None
    read_only: bool = False
    lock: DbLock | None = None
    """This process's shared hold on the SQLite file (a restore waits for it)."""
    upgrade_backup: Path | None = None
    """The backup taken before a schema upgrade on this start, if one ran."""
    scheduler: Scheduler | None = None

    @cached_property
    def changes(self) -> ChangeWatch:
        """This process's watch for changes to the database, which the screens that
        poll share (:mod:`desk.queue.watch`); its connection opens at the first use."""
        from desk.queue.watch import ChangeWatch

        return ChangeWatch(self.engine)

    def close(self) -> None:
        """Stop the background threads, close the connections, let go of the file."""
        if self.scheduler is not None:
            self.scheduler.stop()
        if self.checkpointer is not None:
            self.checkpointer.stop()
        if "changes" in self.__dict__:
            self.changes.close()
        self.engine.dispose()
        if self.lock is not None:
            self.lock.release()


def database_problem(exc: DatabaseUnavailable | AuditKeyError) -> DatabaseError:
    """The database layer's problem (``db/`` has no translation layer) as a
    :class:`DatabaseError` said in the UI's language."""
    return DatabaseError(t(f"db_problem.{exc.key}", **exc.params))


def opening_problem(exc: Exception, url: str, *, reading: bool = False) -> DatabaseError:
    """A database at ``url`` that could not be opened (``reading``: read-only), in one
    line: what the driver's error means when desk knows (:func:`db.engine.driver_problem`:
    a damaged or read-only SQLite file), else the driver's own first line (a PostgreSQL
    server that cannot be reached), the password of the URL hidden."""
    known = driver_problem(exc, url, reading=reading)
    if known is not None:
        return database_problem(known)
    return DatabaseError(
        t("db_problem.cannot_open", url=safe_url(url), detail=_first_line(exc, url))
    )


def _first_line(exc: BaseException, url: str) -> str:
    """What the driver said (under SQLAlchemy's wrapping), its first line, with
    ``url``'s password hidden."""
    orig = getattr(exc, "orig", None) or exc
    said = str(orig).strip()
    detail = said.splitlines()[0] if said else type(orig).__name__
    return detail.replace(url, safe_url(url))


LOST = ("08", "57P")
"""The SQLSTATE classes of a PostgreSQL connection lost or refused after it was
opened: connection exceptions, the server shut down or the backend terminated (a
lost connection may also carry none)."""


_opened: str | None = None
"""The URL of the database this process opened last (:func:`open_runtime`): the one
an error met after opening is about (the demo's own file is not ``DESK_DB``'s)."""


def known_problem(exc: Exception) -> DatabaseError | None:
    """An error that reached the command line and that a person can fix, as the line
    to show: the database layer's own problems, what SQLite said of the configured
    database (damaged, or not writable) after it was opened, and a PostgreSQL that
    stopped answering meanwhile. None for any other error: a bug stays a traceback."""
    if isinstance(exc, (DatabaseUnavailable, AuditKeyError)):
        return database_problem(exc)
    url = _opened or default_url()
    orig = getattr(exc, "orig", None)
    state = getattr(orig, "sqlstate", None) or ""
    if (
        isinstance(exc, OperationalError)
        and type(orig).__module__.startswith("psycopg")
        and (not state or state.startswith(LOST))
    ):
        # PostgreSQL went away after the database was opened (the server stopped or
        # restarted, the connection cut): not a bug; a deadlock or a timeout stays one
        return DatabaseError(t("db_problem.lost", url=safe_url(url), detail=_first_line(exc, url)))
    known = driver_problem(exc, url)
    return None if known is None else database_problem(known)


def open_runtime(
    config: Config,
    url: str,
    *,
    background_checkpoints: bool = False,
    read_only: bool = False,
    large_reads: bool = True,
    new_center: bool = False,
) -> Runtime:
    """Open (creating or upgrading) the database and mirror the config into it
    (``new_center``: a second center in a SQLite file is meant, see
    :func:`desk.center.mirror.apply_config`).

    ``background_checkpoints``: for a long-running role on a SQLite file, WAL
    checkpoints run in a background thread instead of inside commits
    (:mod:`db.checkpoint`), and the daily backup runs from it (:mod:`desk.backup`).

    On a SQLite file the process holds the file's shared lock from here on, and a
    pending schema upgrade is preceded by a backup (``Runtime.upgrade_backup``).

    ``read_only``: for the commands that only read (``audit verify``, ``sync
    status``, ``holidays list``, ``report``): the database is opened so that it
    cannot be written (a read-only copy or a backup will do), nothing is migrated,
    mirrored or seeded, no lock file is made, and the audit key is only read,
    never created.

    ``large_reads``: a large page cache for reports (:func:`db.engine.make_engine`);
    the roles that read no report open without it."""
    global _opened
    _opened = url
    if read_only:
        try:
            engine = make_engine(url, read_only=True, large_reads=large_reads)
            revision = current_revision(engine)
            if revision != HEAD:
                raise DatabaseError(
                    t(
                        "walkthrough.db.old_schema",
                        url=safe_url(url),
                        revision=revision or "—",
                        head=HEAD,
                    )
                )
            ids = lookup_ids(engine, config)
            audit.set_key(load_key())
        except (DatabaseUnavailable, AuditKeyError) as exc:
            raise database_problem(exc) from None
        except SQLAlchemyError as exc:
            raise opening_problem(exc, url, reading=True) from None
        return Runtime(config=config, engine=engine, ids=ids, url=url, read_only=True)
    from db.checkpoint import BACKSTOP_PAGES, Checkpointer
    from desk.backup.schedule import Scheduler
    from desk.backup.upgrade import migrate
    from desk.center.mirror import apply_config
    from desk.dossiers.due_dates import seed_holidays

    file = sqlite_path(url)
    path = file if background_checkpoints else None
    lock = DbLock(file, exclusive=False).acquire(wait=30.0) if file is not None else None
    try:
        engine = make_engine(
            url, wal_autocheckpoint=BACKSTOP_PAGES if path else 1000, large_reads=large_reads
        )
        upgrade_backup = migrate(engine, url, config)
        _install_audit_key(engine)
        ids = apply_config(engine, config, new_center=new_center)
        year = clock.today().year
        seed_holidays(engine, [year, year + 1])
    except (DatabaseUnavailable, AuditKeyError) as exc:
        if lock is not None:
            lock.release()
        raise database_problem(exc) from None
    except Exception as exc:
        if lock is not None:
            lock.release()
        if isinstance(exc, DatabaseError):
            raise
        raise opening_problem(exc, url) from None
    checkpointer = Checkpointer(path).start() if path else None
    scheduler = (
        Scheduler(engine, path, config.center.agency_code, config.backup).start() if path else None
    )
    return Runtime(
        config=config,
        engine=engine,
        ids=ids,
        url=url,
        checkpointer=checkpointer,
        lock=lock,
        upgrade_backup=upgrade_backup,
        scheduler=scheduler,
    )


def _install_audit_key(engine: Engine) -> None:
    """Key this process's audit entries (creating the key at the first start). A
    database whose trail so far is unkeyed gets one keyed entry now, the point from
    which every entry must be keyed (:func:`db.audit.verify`)."""
    key, _created = load_or_create_key()
    audit.set_key(key)
    with read_session(engine) as session:
        last = session.execute(
            select(col(AuditEvent.hash)).order_by(col(AuditEvent.id).desc()).limit(1)
        ).scalar_one_or_none()
    if last and not audit.keyed(last):
        with write_session(engine) as session:
            audit.append(session, "keyed", "audit", "", '{"chain": "hmac-sha256"}')


def demo_url() -> str:
    from db.engine import env_url

    return env_url() or demo_file_url()


def demo_file_url() -> str:
    """The demo's own database file (``demo.db`` in the user data directory)."""
    from platformdirs import user_data_path

    return f"sqlite:///{user_data_path('desk') / 'demo.db'}"


def prepare_demo(config: Config, *, background_checkpoints: bool = False) -> Runtime:
    """The demo database: created on first run with the sample catalogue, reused after."""
    from desk.dossiers.catalogue import import_aliases, import_catalogue

    url = demo_url()
    runtime = open_runtime(config, url, background_checkpoints=background_checkpoints)
    with read_session(runtime.engine) as session:
        count = session.exec(select(func.count()).select_from(Procedure)).one()
        linked = session.exec(
            select(func.count()).select_from(Procedure).where(col(Procedure.code).like("0.%"))
        ).one()
    if count == 0:
        import_catalogue(runtime.engine, DEMO_CATALOGUE)
        import_aliases(runtime.engine, DEMO_ALIASES)
    if linked == 0:
        import_catalogue(runtime.engine, DEMO_LINKED)
    from desk.center.accounts import ensure_demo_accounts

    # named on the login box of every screen opened on this database
    ensure_demo_accounts(runtime.engine, demo_file=url == demo_file_url())
    return runtime
