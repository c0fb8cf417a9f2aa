"""The ``desk`` command: the composition root.

It reads the config, opens the database and starts a role. It is the only module
of ``desk`` that imports ``screens``, and only inside the commands that start the UI.
Diagnostics go to stderr on one line each; problems a person can fix exit 1,
usage errors exit 2 with a hint.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from desk import __version__
from desk.config import Config, load_config, resolve_config_path
from desk.errors import DeskError
from desk.runtime import Runtime

if TYPE_CHECKING:
    from desk.accounts import Actor

UI_ROLES = ("kiosk", "counter", "board", "admin", "demo", "rate")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (try '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="desk", description="Front desk of a one-stop public service center.")
    auth = _Parser(add_help=False)
    auth.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="the officer account doing this (password from DESK_PASSWORD or asked)",
    )
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    sub.add_parser("kiosk", help="ticket kiosk (leave with the kiosk PIN)")
    counter = sub.add_parser("counter", help="officer workstation for counter N")
    counter.add_argument("number", type=int, metavar="N", help="counter number from config.toml")
    sub.add_parser("board", help="display board of calls")
    rate = sub.add_parser("rate", help="rating keypad beside counter N (leave with the kiosk PIN)")
    rate.add_argument("number", type=int, metavar="N", help="counter number from config.toml")
    sub.add_parser("admin", help="director's dashboard")
    demo = sub.add_parser("demo", help="demo database and a launcher for every screen")
    demo.add_argument(
        "--generate",
        type=int,
        metavar="N",
        default=0,
        help="first add a synthetic history of N dossiers (with tickets and ratings)",
    )
    demo.add_argument("--no-ui", action="store_true", help="prepare the data and exit")
    rep = sub.add_parser(
        "report", parents=[auth], help="the period's figures as a table, CSV, JSON or XLSX"
    )
    rep.add_argument("--from", dest="start", type=_day, required=True, metavar="YYYY-MM-DD")
    rep.add_argument("--to", dest="end", type=_day, required=True, metavar="YYYY-MM-DD")
    rep.add_argument("--format", choices=["table", "csv", "json", "xlsx"], default="table")
    rep.add_argument("--output", type=Path, help="file to write (required for xlsx)")
    dbp = sub.add_parser("db", help="database maintenance")
    dbsub = dbp.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser)
    dbsub.required = True
    dbsub.add_parser("upgrade", help="migrate the database to the newest schema")
    cfg = sub.add_parser("config", help="configuration")
    cfgsub = cfg.add_subparsers(dest="config_command", metavar="ACTION", parser_class=_Parser)
    cfgsub.required = True
    cfgsub.add_parser("check", help="validate the configuration file")
    cat = sub.add_parser("catalogue", help="procedure catalogue")
    catsub = cat.add_subparsers(dest="catalogue_command", metavar="ACTION", parser_class=_Parser)
    catsub.required = True
    imp = catsub.add_parser("import", parents=[auth], help="import procedures from a CSV file")
    imp.add_argument("file", type=Path, metavar="FILE")
    hol = sub.add_parser("holidays", help="holidays and make-up working days")
    holsub = hol.add_subparsers(dest="holidays_command", metavar="ACTION", parser_class=_Parser)
    holsub.required = True
    hlist = holsub.add_parser("list", help="list the days off and make-up days of a year")
    hlist.add_argument("--year", type=int, default=None, help="default: this year")
    hadd = holsub.add_parser(
        "add", parents=[auth], help="add a day off (or, with --workday, a make-up day)"
    )
    hadd.add_argument("day", type=_day, metavar="YYYY-MM-DD")
    hadd.add_argument("--workday", action="store_true", help="a weekend day that is worked")
    hadd.add_argument("--name", default="", help="what the day is, e.g. Nghỉ bù Quốc khánh")
    hrem = holsub.add_parser("remove", parents=[auth], help="remove a day from the table")
    hrem.add_argument("day", type=_day, metavar="YYYY-MM-DD")
    prn = sub.add_parser("print", help="the printer and the print queue")
    prnsub = prn.add_subparsers(dest="print_command", metavar="ACTION", parser_class=_Parser)
    prnsub.required = True
    prnsub.add_parser("test", help="print a page in each Vietnamese mode to pick the right one")
    pq = prnsub.add_parser("queue", parents=[auth], help="list the jobs not printed yet")
    pq.add_argument("--retry", action="store_true", help="try to print them again")
    up = sub.add_parser("upstream", help="the provincial PostgreSQL (run by its administrator)")
    upsub = up.add_subparsers(dest="upstream_command", metavar="ACTION", parser_class=_Parser)
    upsub.required = True
    init = upsub.add_parser("init", help="create or migrate the upstream schema and policies")
    init.add_argument("--admin-url", required=True, help="URL of an administrator role")
    addc = upsub.add_parser("add-center", help="a login role for one center")
    addc.add_argument("role", help="the center's role name, e.g. center_27")
    addc.add_argument("--admin-url", required=True, help="URL of an administrator role")
    off = sub.add_parser("officer", help="officer accounts (admin role)")
    offsub = off.add_subparsers(dest="officer_command", metavar="ACTION", parser_class=_Parser)
    offsub.required = True
    oadd = offsub.add_parser("add", parents=[auth], help="a new account (the first: an admin)")
    oadd.add_argument("username")
    oadd.add_argument("--name", default="", help="full name")
    oadd.add_argument("--role", choices=["officer", "supervisor", "admin"], default="officer")
    opw = offsub.add_parser("passwd", parents=[auth], help="set an account's password")
    opw.add_argument("username")
    odis = offsub.add_parser("disable", parents=[auth], help="disable an account")
    odis.add_argument("username")
    offsub.add_parser("list", parents=[auth], help="list the accounts")
    tick = sub.add_parser("ticket", help="today's queue tickets (supervisor role)")
    ticksub = tick.add_subparsers(dest="ticket_command", metavar="ACTION", parser_class=_Parser)
    ticksub.required = True
    reas = ticksub.add_parser(
        "reassign", parents=[auth], help="send a waiting ticket to a named counter"
    )
    reas.add_argument("number", help="the ticket number, e.g. A012")
    reas.add_argument("--counter", type=int, required=True, metavar="N")
    aud = sub.add_parser("audit", help="the audit trail")
    audsub = aud.add_subparsers(dest="audit_command", metavar="ACTION", parser_class=_Parser)
    audsub.required = True
    audsub.add_parser("verify", help="check the hash chain; names the first broken entry")
    exp = sub.add_parser(
        "export", parents=[auth], help="dossiers with personal data as CSV (supervisor role)"
    )
    exp.add_argument("--from", dest="start", type=_day, required=True, metavar="YYYY-MM-DD")
    exp.add_argument("--to", dest="end", type=_day, required=True, metavar="YYYY-MM-DD")
    exp.add_argument("--output", type=Path, required=True, help="the CSV file to write")
    syn = sub.add_parser("sync", help="sync with upstream once, continuously, or show status")
    syn.add_argument("action", nargs="?", choices=["status"], help="status: pending, last run")
    syn.add_argument("--daemon", action="store_true", help="keep syncing every interval")
    return parser


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def _config() -> Config:
    path, display = resolve_config_path()
    config = load_config(path, display)
    from desk.i18n import set_language

    set_language(config.ui.language)
    return config


def _actor(runtime: Runtime, args: argparse.Namespace, action: str | None) -> Actor | None:
    """Log in the ``--as`` account (password from DESK_PASSWORD, else asked) and check
    that its role allows ``action``; the audit trail names it from here on."""
    from db import audit
    from desk.accounts import login, require

    user = getattr(args, "as_user", None)
    actor = None
    if user:
        password = os.environ.get("DESK_PASSWORD")
        if password is None:
            import getpass

            password = getpass.getpass(f"password for {user}: ")
        actor = login(runtime.engine, user, password)
        audit.set_actor(actor.id)
    if action is not None:
        require(actor, action)
    return actor


def _new_password() -> str:
    password = os.environ.get("DESK_OFFICER_PASSWORD")
    if password is not None:
        return password
    import getpass

    first = getpass.getpass("new password: ")
    if getpass.getpass("again: ") != first:
        raise DeskError("the two passwords differ")
    return first


def _officer(config: Config, args: argparse.Namespace) -> int:
    from desk.accounts import add_officer, count_officers, disable, list_officers, set_password

    runtime = _runtime(config)
    if args.officer_command == "add":
        first = count_officers(runtime.engine) == 0
        actor = None if first else _actor(runtime, args, "accounts")
        made = add_officer(
            runtime.engine, actor, args.username, args.name, args.role, _new_password()
        )
        print(f"{made.username}: {made.role} account added")
    elif args.officer_command == "passwd":
        actor = _actor(runtime, args, None)
        set_password(runtime.engine, actor, args.username, _new_password())
        print(f"{args.username}: password changed")
    elif args.officer_command == "disable":
        disable(runtime.engine, _actor(runtime, args, "accounts"), args.username)
        print(f"{args.username}: disabled")
    else:
        for o in list_officers(runtime.engine, _actor(runtime, args, "accounts")):
            state = "active" if o.active else "disabled"
            print(f"{o.username:<16} {o.role:<10} {state:<8} {o.full_name}")
    return 0


def _audit(config: Config) -> int:
    from db.audit import verify
    from db.engine import read_session

    runtime = _runtime(config)
    with read_session(runtime.engine) as session:
        count, broken = verify(session)
    if broken is not None:
        where = f"entry {broken.entry_id}" if broken.entry_id else "the end of the trail"
        print(
            f"audit trail broken at {where}: {broken.reason} ({count} entries before it are intact)"
        )
        return 1
    print(f"audit trail intact: {count} entries")
    return 0


def _export(config: Config, args: argparse.Namespace) -> int:
    from desk.export import export_dossiers

    runtime = _runtime(config)
    actor = _actor(runtime, args, "export")
    assert actor is not None
    count = export_dossiers(runtime.engine, actor, args.start, args.end, args.output)
    print(f"{args.output}: {count} dossiers (this export is in the audit trail)")
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


def _runtime(config: Config, *, long_running: bool = False) -> Runtime:
    """The runtime on the configured database; a long-running role (the UI, the sync
    daemon) checkpoints the SQLite WAL in the background (db.checkpoint)."""
    from db.engine import default_url
    from desk.runtime import open_runtime

    return open_runtime(config, default_url(), background_checkpoints=long_running)


def _run_ui(runtime: Runtime, role: str, counter: int | None = None) -> int:
    os.environ.setdefault("ESCDELAY", "25")
    from screens.app import DeskApp  # the UI is imported only here

    DeskApp(runtime, role=role, counter=counter).run()
    return 0


def _catalogue_import(config: Config, file: Path) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from desk.catalogue import import_catalogue

    runtime = _runtime(config)
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(f"{file.name}", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = import_catalogue(runtime.engine, file, str(file), progress)
    print(
        f"{file}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged"
        + (f", {result.aliases} aliases" if result.aliases else "")
    )
    return 0


def _holidays(config: Config, args: argparse.Namespace) -> int:
    from desk import clock
    from desk.text import clean
    from desk.workdays import add_holiday, list_holidays, remove_holiday

    runtime = _runtime(config)
    if args.holidays_command == "list":
        year = args.year or clock.today().year
        for row in list_holidays(runtime.engine, year):
            kind = "workday" if row.kind == "workday" else "day off"
            print(f"{row.day.isoformat()}  {row.day:%a}  {kind:<8} {row.name}  [{row.source}]")
        return 0
    if args.holidays_command in ("add", "remove"):
        _actor(runtime, args, "holidays")
    if args.holidays_command == "add":
        kind = "workday" if args.workday else "holiday"
        add_holiday(runtime.engine, args.day, kind, clean(args.name))
        print(f"{args.day.isoformat()}: {'make-up working day' if args.workday else 'day off'}")
        return 0
    if not remove_holiday(runtime.engine, args.day):
        raise DeskError(f"{args.day.isoformat()} is not in the holiday table")
    print(f"{args.day.isoformat()}: removed")
    return 0


def _print(config: Config, args: argparse.Namespace) -> int:
    from desk.printing.jobs import retry_unprinted, unprinted
    from desk.printing.preview import preview_dir
    from desk.printing.render import render_test_page
    from desk.printing.transport import PrintFault, send

    if args.print_command == "test":
        data = render_test_page(config.printer)
        target = preview_dir(config) / "test-page.bin"
        try:
            send(config.printer, data, target)
        except PrintFault as exc:
            raise DeskError(f"printer ({config.printer.connection}): {exc}") from None
        where = str(target) if config.printer.connection == "preview" else config.printer.connection
        print(f"test page sent ({len(data)} bytes) to {where}")
        return 0
    runtime = _runtime(config)
    if args.retry:
        _actor(runtime, args, "print_queue")
        results = retry_unprinted(runtime.engine, config)
        for r in results:
            print(f"job {r.job_id}: " + ("printed" if r.ok else f"failed: {r.message}"))
        return 0 if all(r.ok for r in results) else 1
    jobs = unprinted(runtime.engine)
    for job in jobs:
        print(
            f"job {job.id}  {job.kind:<10} {job.code:<28} {job.status:<8} "
            f"attempts {job.attempts}  {job.created_at:%Y-%m-%d %H:%M}  {job.last_error}"
        )
    print(f"{len(jobs)} job(s) not printed")
    return 0


def _upstream(args: argparse.Namespace) -> int:
    from db.engine import safe_url
    from desk.sync import add_center, init_upstream

    if args.upstream_command == "init":
        init_upstream(args.admin_url)
        print(f"{safe_url(args.admin_url)}: upstream schema up to date")
        return 0
    password = os.environ.get("DESK_CENTER_PASSWORD") or None
    add_center(args.admin_url, args.role, password)
    print(f"{args.role}: can sync" + ("" if password else " (no password set)"))
    return 0


def _sync(config: Config, args: argparse.Namespace) -> int:
    from db.engine import safe_url
    from desk.sync import Sync, status

    runtime = _runtime(config, long_running=args.daemon)
    url = config.upstream.url
    if args.action == "status":
        st = status(runtime.engine, enabled=bool(url))
        print(f"upstream: {safe_url(url) if url else 'not configured (upstream.url is empty)'}")
        print(f"pending: {st.pending}")
        print(f"last success: {st.last_success or 'never'}")
        print(f"last error: {st.last_error or 'none'}")
        return 0
    if not url:
        raise DeskError("upstream.url is empty in the configuration: nothing to sync with")
    sync = Sync(runtime.engine, url, config.upstream.batch_size)
    if args.daemon:
        print(f"syncing with {safe_url(url)} every {config.upstream.interval_seconds:g} s")
        sync.run_forever(config.upstream.interval_seconds)
        return 0
    result = sync.run_once()
    if result.error:
        print(result.error, file=sys.stderr)
        return 1
    print(f"pushed {result.pushed}, pulled {result.pulled}")
    return 0


def _generate(runtime: Runtime, dossiers: int) -> None:
    from rich.console import Console
    from rich.progress import Progress

    from desk.generate import generate

    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("history", total=dossiers)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        counts = generate(
            runtime.engine,
            runtime.config,
            runtime.ids.center,
            runtime.ids.services,
            runtime.ids.counters,
            dossiers,
            progress=progress,
        )
    print(
        f"generated {counts['dossiers']} dossiers, {counts['tickets']} tickets, "
        f"{counts['ratings']} ratings"
    )


def _report(config: Config, args: argparse.Namespace) -> int:
    import csv
    import json

    from desk.reports import Period, build_report

    if args.end < args.start:
        raise DeskError("--to: expected a date on or after --from")
    if args.format == "xlsx" and args.output is None:
        raise DeskError("--output: an .xlsx report needs a file to write")
    runtime = _runtime(config)
    _actor(runtime, args, "report")
    hours = config.hours
    day_hours = sum(
        (datetime.combine(args.start, end) - datetime.combine(args.start, start)).seconds / 3600
        for start, end in (hours.morning, hours.afternoon)
    )
    report = build_report(runtime.engine, Period.days(args.start, args.end), day_hours)
    if args.format == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str)
        _emit(text, args.output)
    elif args.format == "csv":
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for title, headers, rows in report.tables():
            writer.writerow([f"[{title}]"])
            writer.writerow(headers)
            writer.writerows(rows)
            writer.writerow([])
        _emit(buffer.getvalue(), args.output)
    elif args.format == "xlsx":
        from openpyxl import Workbook

        book = Workbook()
        book.remove(book.active)
        for title, headers, rows in report.tables():
            sheet = book.create_sheet(title[:31])
            sheet.append(headers)
            for row in rows:
                sheet.append([v if not isinstance(v, datetime) else v.isoformat() for v in row])
        book.save(args.output)
        print(f"{args.output}: {len(book.sheetnames)} sheets")
    else:
        from rich.console import Console
        from rich.table import Table

        console = Console()
        console.print(f"[bold]{config.center.name}[/bold]  {report.period.label}", markup=True)
        for title, headers, rows in report.tables():
            if not rows:
                continue
            table = Table(title=title, title_justify="left")
            for header in headers:
                table.add_column(str(header))
            for row in rows:
                table.add_row(*["" if v is None else str(v) for v in row])
            console.print(table)
    return 0


def _emit(text: str, output: Path | None) -> None:
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"{output}: written")


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from desk.logs import setup_logging

    setup_logging()
    config = _config()
    if args.command == "config":
        _path, display = resolve_config_path()
        _check_printer(config, display)
        print(f"{display}: OK ({len(config.services)} services, {len(config.counters)} counters)")
        return 0
    if args.command == "db":
        from db.engine import default_url, safe_url

        url = default_url()
        _runtime(config)
        print(f"{safe_url(url)}: schema up to date")
        return 0
    if args.command == "catalogue":
        _actor(_runtime(config), args, "catalogue")
        return _catalogue_import(config, args.file)
    if args.command == "holidays":
        return _holidays(config, args)
    if args.command == "print":
        return _print(config, args)
    if args.command == "upstream":
        return _upstream(args)
    if args.command == "officer":
        return _officer(config, args)
    if args.command == "audit":
        return _audit(config)
    if args.command == "ticket":
        from desk.queue import Queue, QueueError

        runtime = _runtime(config)
        actor = _actor(runtime, args, "reassign")
        try:
            view = Queue(runtime).reassign(args.number, args.counter, actor.id if actor else None)
        except QueueError as exc:
            raise DeskError(str(exc)) from None
        print(f"{view.number}: waiting for counter {args.counter}")
        return 0
    if args.command == "export":
        return _export(config, args)
    if args.command == "sync":
        return _sync(config, args)
    if args.command == "demo":
        from desk.runtime import prepare_demo

        runtime = prepare_demo(config, background_checkpoints=not args.no_ui)
        if args.generate:
            _generate(runtime, args.generate)
        if args.no_ui:
            return 0
        return _run_ui(runtime, "launcher")
    if args.command == "report":
        return _report(config, args)
    if args.command in ("counter", "rate"):
        try:
            config.counter(args.number)
        except KeyError:
            known = ", ".join(str(c.number) for c in config.counters)
            raise DeskError(
                f"counter {args.number} is not in the configuration (known: {known})"
            ) from None
    return _run_ui(_runtime(config, long_running=True), args.command, getattr(args, "number", None))


def main(argv: Sequence[str] | None = None) -> NoReturn:
    try:
        code = run(argv)
    except DeskError as exc:
        for line in str(exc).splitlines():
            print(line, file=sys.stderr)
        code = exc.exit_code
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()
