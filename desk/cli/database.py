"""``desk db upgrade``, ``desk config check``, ``desk audit verify`` and
``desk center recode``."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from desk.cli.common import Parser, auth_parent, load, runtime

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from desk.center.config import Config


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    dbp = sub.add_parser("db", help="database maintenance")
    dbsub = dbp.add_subparsers(dest="db_command", metavar="ACTION", parser_class=Parser)
    dbsub.required = True
    dbsub.add_parser("upgrade", help="migrate the database to the newest schema").set_defaults(
        handler=_upgrade
    )
    cfg = sub.add_parser("config", help="configuration")
    cfgsub = cfg.add_subparsers(dest="config_command", metavar="ACTION", parser_class=Parser)
    cfgsub.required = True
    cfgsub.add_parser("check", help="validate the configuration file").set_defaults(
        handler=_config_check
    )
    aud = sub.add_parser("audit", help="the audit trail")
    audsub = aud.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=Parser)
    audsub.required = True
    audsub.add_parser(
        "verify", help="check the hash chain; names the first broken entry"
    ).set_defaults(handler=_audit_verify)
    cen = sub.add_parser("center", help="the center this database belongs to")
    censub = cen.add_subparsers(dest="center_command", metavar="ACTION", parser_class=Parser)
    censub.required = True
    rec = censub.add_parser(
        "recode",
        parents=[auth_parent()],
        help="give the center OLD of this database the configured agency_code (the code changed)",
    )
    rec.add_argument("old", metavar="OLD", help="the agency code the database's records have")
    rec.set_defaults(handler=_recode)


def _recode(args: argparse.Namespace) -> int:
    """The database is read as the center ``OLD`` (the configuration with that code):
    nothing is written before ``OLD`` is known to be there and the admin has signed
    in (a mistyped OLD made a center of that code); then the center takes the
    configured code."""
    from desk.center.mirror import recode_center
    from desk.cli.common import actor
    from desk.i18n import t

    config = load()
    new = config.center.agency_code
    if args.old == new:
        print(t("everyday.cli.recode_same", code=new))
        return 0
    center = config.center.model_copy(update={"agency_code": args.old})
    as_old = config.model_copy(update={"center": center})
    reading = runtime(as_old, read_only=True, existing=True)  # refused where OLD is not
    try:
        actor(reading, args, "recode")
    finally:
        reading.close()
    rt = runtime(as_old, existing=True)
    recode_center(rt.engine, args.old, new)
    print(t("everyday.cli.recoded", old=args.old, new=new))
    return 0


def _upgrade(args: argparse.Namespace) -> int:
    from db.engine import default_url, safe_url
    from desk.i18n import t

    url = default_url()
    runtime(load())
    print(t("everyday.cli.schema_ok", url=safe_url(url)))
    return 0


def _config_check(args: argparse.Namespace) -> int:
    from desk.center.config import resolve_config_path
    from desk.i18n import t

    config = load()
    _path, display = resolve_config_path()
    _check_printer(config, display)
    print(
        t(
            "everyday.cli.config_ok",
            path=display,
            services=len(config.services),
            counters=len(config.counters),
        )
    )
    return 0


def _check_printer(config: Config, display: str) -> None:
    """What only python-escpos knows: the profile exists and can print as configured."""
    from desk.errors import ConfigError
    from desk.printing.render import paper_of

    try:
        paper = paper_of(config.printer)
    except KeyError:
        raise ConfigError(
            [
                f"{display}: printer.profile: unknown profile {config.printer.profile!r} "
                "(see python-escpos printer profiles, e.g. default, TM-T88V, POS-5890)"
            ]
        ) from None
    if config.printer.vietnamese == "codepage" and paper.codepage is None:
        raise ConfigError(
            [
                f"{display}: printer.vietnamese: profile {paper.profile!r} has no Vietnamese "
                "code page; expected image or ascii (or a profile with CP1258)"
            ]
        )


def _audit_verify(args: argparse.Namespace) -> int:
    from db.audit import verify
    from db.engine import read_session
    from desk.i18n import t

    config = load()
    rt = runtime(config, read_only=True)
    with read_session(rt.engine) as session:
        count, broken = verify(session)
    if broken is not None:
        where = (
            t("everyday.cli.audit_entry", id=broken.entry_id)
            if broken.entry_id
            else t("everyday.cli.audit_end")
        )
        print(t("everyday.cli.audit_broken", where=where, reason=broken.reason, count=count))
        return 1
    print(t("everyday.cli.audit_intact", count=count))
    if config.upstream.url:
        return _compare_upstream(rt.engine, config.upstream.url)
    return 0


def _compare_upstream(engine: Engine, url: str) -> int:
    """The local trail against the center's upstream copy (what a re-hashed local
    chain cannot hide)."""
    from desk.i18n import t
    from desk.upstream.sync import SyncError, compare_audit

    try:
        result = compare_audit(engine, url)
    except SyncError as exc:
        print(t("audit_check.unreachable", error=str(exc)))
        return 1
    if result.divergence:
        detail = t(
            f"audit_check.{result.divergence}",
            entry=result.entry_id,
            fields=", ".join(result.fields),
        )
        print(t("audit_check.diverges", detail=detail, matched=result.matched))
        return 1
    print(t("audit_check.matches", matched=result.matched, pending=result.pending))
    return 0
