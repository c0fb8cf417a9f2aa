"""``desk upstream init|add-center`` (the province's administrator), ``desk upstream
restore`` (a center's new PC) and ``desk sync``."""

from __future__ import annotations

import argparse
import os
import sys

from desk.cli.common import Parser, load, runtime


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    up = sub.add_parser("upstream", help="the provincial PostgreSQL (run by its administrator)")
    upsub = up.add_subparsers(dest="upstream_command", metavar="ACTION", parser_class=Parser)
    upsub.required = True
    init = upsub.add_parser("init", help="create or migrate the upstream schema and policies")
    init.add_argument("--admin-url", required=True, help="URL of an administrator role")
    init.set_defaults(handler=_upstream)
    addc = upsub.add_parser("add-center", help="a login role for one center")
    addc.add_argument("role", help="the center's role name, e.g. center_27")
    addc.add_argument("--admin-url", required=True, help="URL of an administrator role")
    addc.set_defaults(handler=_upstream)
    rest = upsub.add_parser(
        "restore", help="rebuild this center's database on a new PC from upstream.url"
    )
    rest.add_argument(
        "--replace",
        action="store_true",
        help="keep the database already here aside and rebuild over it",
    )
    rest.set_defaults(handler=_rebuild)
    syn = sub.add_parser("sync", help="sync with upstream once, continuously, or show status")
    syn.add_argument("action", nargs="?", choices=["status"], help="status: pending, last run")
    syn.add_argument("--daemon", action="store_true", help="keep syncing every interval")
    syn.set_defaults(handler=_sync)


def _upstream(args: argparse.Namespace) -> int:
    from db.engine import safe_url
    from desk.i18n import t
    from desk.upstream.sync import add_center, init_upstream

    load()
    if args.upstream_command == "init":
        init_upstream(args.admin_url)
        print(t("everyday.cli.upstream_ok", url=safe_url(args.admin_url)))
        return 0
    password = os.environ.get("DESK_CENTER_PASSWORD") or None
    add_center(args.admin_url, args.role, password)
    print(
        t("everyday.cli.center_can_sync", role=args.role)
        + ("" if password else t("everyday.cli.center_no_password"))
    )
    return 0


def _rebuild(args: argparse.Namespace) -> int:
    from db.audit import verify
    from db.engine import default_url, read_session, safe_url, sqlite_path
    from desk.errors import DeskError
    from desk.i18n import t
    from desk.upstream.restore import next_numbers, rebuild

    config = load()
    url = config.upstream.url
    if not url:
        raise DeskError(t("walkthrough.cli.no_upstream_url"))
    db = sqlite_path(default_url())
    if db is None:
        raise DeskError(t("backup.not_sqlite", url=safe_url(default_url())))
    done = rebuild(url, db, replace=args.replace)
    rt = runtime(config)  # mirrors the configuration, as every start does
    try:
        numbers = next_numbers(
            rt.engine, config.center.agency_code, rt.ids.center, [s.prefix for s in config.services]
        )
        with read_session(rt.engine) as session:
            audited, broken = verify(session)
    finally:
        rt.close()
    c = done.counts
    print(t("rebuild.rebuilt", db=db, url=safe_url(url)))
    if done.kept_aside is not None:
        print(t("backup.kept_aside", path=done.kept_aside))
    print(
        t(
            "rebuild.counts",
            tickets=c["ticket"],
            dossiers=c["dossier"],
            components=c["dossier_component"],
            statuses=c["dossier_status"],
            audit=c["audit_event"],
            officers=c["officer"],
        )
    )
    print(t("rebuild.next_numbers", tickets=", ".join(numbers[:-1]), code=numbers[-1]))
    at = done.last_push or t("rebuild.unknown_time")
    lost = done.lost_unsent if done.lost_unsent is not None else done.pending_at_last_push
    if done.lost_unsent == 0:
        print(t("rebuild.lost_none"))
    elif lost is not None:
        print(t("rebuild.lost_count", count=lost, at=at))
    if done.lost_unsent is None:
        print(t("rebuild.lost_after", at=at))
    print(t("rebuild.catalogue_hint", procedures=done.procedures))
    if done.dangling:
        print(t("rebuild.dangling", items="; ".join(done.dangling)))
    if broken is not None:
        print(t("backup.audit_broken", entry=broken.entry_id, reason=broken.reason))
        return 1
    print(t("backup.audit_intact", count=audited))
    return 0


def _sync(args: argparse.Namespace) -> int:
    from db.engine import safe_url
    from desk.errors import DeskError
    from desk.i18n import decimal, t
    from desk.upstream.sync import Sync, status

    config = load()
    rt = runtime(config, long_running=args.daemon, read_only=args.action == "status")
    url = config.upstream.url
    if args.action == "status":
        st = status(rt.engine, enabled=bool(url))
        where = safe_url(url) if url else t("everyday.cli.sync_not_configured")
        print(t("everyday.cli.sync_upstream", url=where))
        print(t("everyday.cli.sync_pending", count=st.pending))
        print(t("everyday.cli.sync_last_success", when=st.last_success or t("everyday.cli.never")))
        print(t("everyday.cli.sync_last_error", error=st.last_error or t("everyday.cli.none")))
        return 0
    if not url:
        raise DeskError(t("everyday.cli.sync_empty_url"))
    sync = Sync(rt.engine, url, config.upstream.batch_size, config=config)
    if args.daemon:
        seconds = decimal(config.upstream.interval_seconds)
        print(t("everyday.cli.sync_daemon", url=safe_url(url), seconds=seconds))
        sync.run_forever(config.upstream.interval_seconds)
        return 0
    result = sync.run_once()
    if result.error:
        print(result.error, file=sys.stderr)
        return 1
    print(t("everyday.cli.sync_done", pushed=result.pushed, pulled=result.pulled))
    return 0
