"""``desk report`` (the period's figures) and ``desk export`` (dossiers with personal data)."""

from __future__ import annotations

import argparse
from datetime import datetime
from pathlib import Path

from desk.cli.common import actor, auth_parent, day, emit, load, runtime


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rep = sub.add_parser(
        "report", parents=[auth_parent()], help="the period's figures as a table, CSV, JSON or XLSX"
    )
    rep.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    rep.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    rep.add_argument("--format", choices=["table", "csv", "json", "xlsx"], default="table")
    rep.add_argument("--output", type=Path, help="file to write (required for xlsx)")
    rep.set_defaults(handler=_report)
    exp = sub.add_parser(
        "export",
        parents=[auth_parent()],
        help="dossiers with personal data as CSV (supervisor role)",
    )
    exp.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    exp.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    exp.add_argument("--output", type=Path, required=True, help="the CSV file to write")
    exp.set_defaults(handler=_export)


def _export(args: argparse.Namespace) -> int:
    from desk.dossiers.export import export_dossiers

    rt = runtime(load())
    who = actor(rt, args, "export")
    assert who is not None
    count = export_dossiers(rt.engine, who, args.start, args.end, args.output)
    print(f"{args.output}: {count} dossiers (this export is in the audit trail)")
    return 0


def _report(args: argparse.Namespace) -> int:
    import csv
    import json

    from desk.errors import DeskError
    from desk.reports.period import Period, build_report

    if args.end < args.start:
        from desk.errors import UsageError

        raise UsageError("--to: expected a date on or after --from")
    if args.format == "xlsx" and args.output is None:
        raise DeskError("--output: an .xlsx report needs a file to write")
    config = load()
    rt = runtime(config)
    actor(rt, args, "report")
    hours = config.hours
    day_hours = sum(
        (datetime.combine(args.start, end) - datetime.combine(args.start, start)).seconds / 3600
        for start, end in (hours.morning, hours.afternoon)
    )
    report = build_report(rt.engine, Period.days(args.start, args.end), day_hours)
    if args.format == "json":
        text = json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str)
        emit(text, args.output)
    elif args.format == "csv":
        import io

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        for title, headers, rows in report.tables():
            writer.writerow([f"[{title}]"])
            writer.writerow(headers)
            writer.writerows(rows)
            writer.writerow([])
        emit(buffer.getvalue(), args.output)
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
