"""``desk backup [--to DIR]`` and ``desk restore FILE``."""

from __future__ import annotations

import argparse
from pathlib import Path

from desk.cli.common import load


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    bak = sub.add_parser(
        "backup", help="a checked copy of the database, taken while the center keeps working"
    )
    bak.add_argument(
        "--to",
        type=Path,
        metavar="DIR",
        help="write the copy into DIR (no rotation there) instead of backup.dir",
    )
    bak.set_defaults(handler=_backup)
    res = sub.add_parser(
        "restore", help="replace the database with a backup file (the current one is kept aside)"
    )
    res.add_argument("file", type=Path, metavar="FILE", help="a backup written by desk backup")
    res.set_defaults(handler=_restore)


def _sqlite_file() -> Path:
    from db.engine import default_url, safe_url, sqlite_path
    from desk.errors import DeskError
    from desk.i18n import t

    url = default_url()
    path = sqlite_path(url)
    if path is None:
        raise DeskError(t("backup.not_sqlite", url=safe_url(url)))
    return path


def _backup(args: argparse.Namespace) -> int:
    from desk.backup.schedule import run_backup
    from desk.cli.common import runtime
    from desk.i18n import decimal, t

    config = load()
    db = _sqlite_file()
    rt = runtime(config)
    try:
        result = run_backup(rt.engine, db, config.center.agency_code, config.backup, args.to)
    finally:
        rt.close()
    print(
        t(
            "backup.written",
            path=result.path,
            rows=sum(result.counts.values()),
            seconds=decimal(result.seconds, 1),
        )
    )
    if args.to is None:
        for path in result.deleted:
            print(t("backup.deleted", path=path))
        print(
            t(
                "backup.keeping",
                daily=config.backup.keep_daily,
                monthly=config.backup.keep_monthly,
            )
        )
    return 0


def _restore(args: argparse.Namespace) -> int:
    from db.audit import verify
    from db.engine import make_engine, read_session
    from desk.backup.restore import restore
    from desk.i18n import t

    config = load()
    db = _sqlite_file()
    done = restore(args.file, db, config.center.agency_code)
    found = done.contents
    if done.damage is not None:
        print(t("backup.kept_aside_damaged", path=done.kept_aside, error=done.damage))
    elif done.kept_aside is not None:
        print(t("backup.kept_aside", path=done.kept_aside))
    print(t("backup.restored", path=args.file, db=db, revision=found.revision))
    print(
        t(
            "backup.restored_counts",
            tickets=found.tickets,
            dossiers=found.dossiers,
            audit=found.audit_entries,
            code=found.last_dossier_code or "—",
        )
    )
    from db.audit import set_key
    from db.audit_key import AuditKeyError, load_key
    from desk.center.runtime import database_problem

    try:  # the keyed entries verify with the center's key, as audit verify does
        set_key(load_key())
    except AuditKeyError as exc:
        raise database_problem(exc) from None
    engine = make_engine(f"sqlite:///{db}")
    try:
        with read_session(engine) as session:
            count, broken = verify(session)
    finally:
        engine.dispose()
    if broken is not None:
        print(t("backup.audit_broken", entry=broken.entry_id, reason=broken.reason))
        return 1
    print(t("backup.audit_intact", count=count))
    return 0
