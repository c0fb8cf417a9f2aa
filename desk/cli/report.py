"""``desk report`` (the period's figures) and ``desk export`` (dossiers with personal data)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desk.cli.common import (
    actor,
    auth_parent,
    begin_actor,
    day,
    load,
    output_format,
    runtime,
)

if TYPE_CHECKING:
    from collections.abc import Callable

    from rich.console import Console

    from desk.reports import Report
    from desk.reports.tables import Section


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rep = sub.add_parser(
        "report", parents=[auth_parent()], help="the period's figures as a table, CSV, JSON or XLSX"
    )
    rep.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    rep.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    rep.add_argument(
        "--format",
        choices=["table", "csv", "json", "xlsx"],
        help="default: the --output file's suffix (.csv, .xlsx, .json), else table",
    )
    rep.add_argument("--output", type=Path, help="file to write: NAME.csv, NAME.xlsx or NAME.json")
    rep.set_defaults(handler=_report)
    exp = sub.add_parser(
        "export",
        parents=[auth_parent()],
        help="dossiers with personal data as CSV or .xlsx (supervisor role)",
    )
    exp.add_argument("--from", dest="start", type=day, required=True, metavar="YYYY-MM-DD")
    exp.add_argument("--to", dest="end", type=day, required=True, metavar="YYYY-MM-DD")
    exp.add_argument(
        "--output", type=Path, required=True, help="the file to write: NAME.csv or NAME.xlsx"
    )
    exp.set_defaults(handler=_export)


def _check_output(path: Path | None) -> None:
    """A file to write must go into a folder that exists: say so in one line."""
    from desk.errors import DeskError
    from desk.i18n import t

    if path is not None and not path.parent.is_dir():
        raise DeskError(t("reports.output_folder_missing", folder=path.parent))


def _check_period(args: argparse.Namespace) -> None:
    if args.end < args.start:
        from desk.errors import UsageError
        from desk.i18n import t

        raise UsageError(t("reports.to_before_from"))


def _export(args: argparse.Namespace) -> int:
    from desk.dossiers.export import export_dossiers
    from desk.i18n import t

    _check_period(args)
    output_format(args.output, EXPORT_SUFFIXES)
    _check_output(args.output)
    rt = runtime(load(), existing=True)
    who = actor(rt, args, "export")
    assert who is not None
    count = export_dossiers(rt.engine, who, args.start, args.end, args.output, rt.ids.center)
    print(t("export.written", path=args.output, count=count))
    return 0


REPORT_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".json": "json"}
"""The files a report is written to, each suffix with its format."""
EXPORT_SUFFIXES = {".csv": "csv", ".xlsx": "xlsx"}


def _report_format(chosen: str | None, output: Path | None) -> str:
    """The report's format: ``--format``, else the ``--output`` file's suffix, else the
    table. A suffix that is not a report's, or that ``--format`` contradicts, is a
    usage error naming the option and the suffix expected."""
    from desk.errors import DeskError, UsageError
    from desk.i18n import t

    if output is None:
        if chosen == "xlsx":
            raise DeskError(t("reports.xlsx_needs_output"))
        return chosen or "table"
    named = output_format(output, REPORT_SUFFIXES)
    if chosen == "table":
        raise UsageError(t("reports.table_not_written", name=output.name))
    if chosen is not None and chosen != named:
        suffix = next(s for s, f in REPORT_SUFFIXES.items() if f == chosen)
        raise UsageError(
            t("reports.suffix_contradicts", name=output.name, format=chosen, expected=suffix)
        )
    return named


def _report(args: argparse.Namespace) -> int:
    from desk.errors import DeskError, os_reason

    _check_period(args)
    fmt = _report_format(args.format, args.output)
    _check_output(args.output)
    config = load()
    rt = runtime(config, read_only=True)
    # the password is checked in a thread while the report is built and laid out;
    # nothing is shown or written before it has passed
    confirm = begin_actor(rt, args, "report")
    from desk.reports import Period, build_report
    from desk.reports.period import sessions_of
    from desk.reports.tables import header_lines, sections

    report = build_report(
        rt.engine,
        Period.days(args.start, args.end),
        sessions_of(config.hours),
        config.reports.timeliness,
        center_id=rt.ids.center,
    )
    header = header_lines(config.center_name(), report)
    if fmt == "json":
        write = _text_writer(_json(report), args.output)
    elif fmt == "csv":
        # with a byte order mark in a file, so a spreadsheet reads Vietnamese as UTF-8
        write = _text_writer(_csv(header, sections(report)), args.output, "utf-8-sig")
    elif fmt == "xlsx":
        write = _xlsx(header, sections(report), args.output)
    else:
        write = _text_writer(_table(header, sections(report)), None)
    confirm()
    try:
        write()
    except OSError as exc:
        from desk.i18n import t

        raise DeskError(
            t("reports.output_not_writable", path=args.output, reason=os_reason(exc))
        ) from None
    return 0


def _text_writer(text: str, output: Path | None, encoding: str = "utf-8") -> Callable[[], None]:
    """What writes ``text`` to ``output`` (stdout when None), called once allowed."""

    def write() -> None:
        from desk.i18n import t

        if output is None:
            sys.stdout.write(text)
        else:
            output.write_text(text, encoding=encoding)
            print(t("reports.written", path=output))

    return write


def _json(report: Report) -> str:
    import json

    return json.dumps(report.to_dict(), ensure_ascii=False, indent=2, default=str) + "\n"


def _csv(header: list[tuple[str, str]], parts: list[Section]) -> str:
    import csv
    import io

    from desk.text import spreadsheet_text

    def cell(value: object) -> object:
        return spreadsheet_text(value) if isinstance(value, str) else value

    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerows([label, cell(value)] for label, value in header)
    writer.writerow([])
    for part in parts:
        writer.writerow([f"[{part.title}]"])
        writer.writerow([c.label for c in part.columns])
        writer.writerows([cell(c.value) for c in row] for row in part.rows)
        writer.writerow([])
    return buffer.getvalue()


def _xlsx(header: list[tuple[str, str]], parts: list[Section], output: Path) -> Callable[[], None]:
    """The workbook, built in memory; what saves it to ``output`` once allowed."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from desk.i18n import t
    from desk.reports.tables import DECIMALS
    from desk.text import keep_as_text

    book = Workbook()
    about = book.active
    assert about is not None
    about.title = _sheet_title(t("reports.header_period"), set())
    for label, value in header:
        about.append([label, value])
        for target in about[about.max_row]:
            keep_as_text(target)
    used = {about.title}
    for part in parts:
        sheet = book.create_sheet(_sheet_title(part.title, used))
        used.add(sheet.title)
        sheet.append([c.label for c in part.columns])
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in part.rows:
            sheet.append([cell.value for cell in row])
            for target, cell in zip(sheet[sheet.max_row], row, strict=True):
                keep_as_text(target)  # a name from the catalogue stays text
                # the decimals the dashboard and the table show
                if cell.kind == "share":
                    target.number_format = "0.0%"
                elif cell.kind in DECIMALS:
                    target.number_format = "0." + "0" * DECIMALS[cell.kind]

    def save() -> None:
        book.save(output)
        print(t("reports.sheets_written", path=output, count=len(book.sheetnames)))

    return save


def _sheet_title(title: str, used: set[str]) -> str:
    """A worksheet name: at most 31 characters, none of []:*?/\\, unique."""
    clean = "".join("-" if ch in "[]:*?/\\" else ch for ch in title)[:31].strip()
    name, n = clean, 2
    while name in used:
        name = f"{clean[:28]} {n}"
        n += 1
    return name


def _table(header: list[tuple[str, str]], parts: list[Section]) -> str:
    """The table format, laid out for this terminal (or 80 columns on a pipe) as the
    console would print it."""
    from rich.console import Console

    console = Console()
    with console.capture() as captured:
        _print_tables(console, header, parts)
    return captured.get()


def _print_tables(console: Console, header: list[tuple[str, str]], parts: list[Section]) -> None:
    from rich import box
    from rich.table import Table
    from rich.text import Text

    from desk.reports.tables import NUMERIC, show

    for label, value in header:
        console.print(Text.assemble((f"{label}: ", "bold"), value))
    for part in parts:
        if not part.rows:
            continue
        for columns, widths in _layout(part, console.width):
            table = Table(
                title=Text(part.title, style="bold"),
                title_justify="left",
                box=box.SIMPLE_HEAD,
                padding=(0, 1),
                pad_edge=False,
                show_edge=False,
            )
            for i, width in zip(columns, widths, strict=True):
                column = part.columns[i]
                table.add_column(
                    Text(column.label),
                    justify="right" if column.kind in NUMERIC else "left",
                    width=width,
                    overflow="fold",
                )
            for row in part.rows:
                table.add_row(*[Text(show(row[i].value, row[i].kind)) for i in columns])
            console.print(table)


TEXT_MIN = 12
"""The narrowest a wrapping text column (a name) gets in the table format."""


def _layout(part: Section, width: int) -> list[tuple[list[int], list[int]]]:
    """The section's columns for a screen ``width`` wide, as (columns, widths) tables.

    Codes and numbers are never cut: their column is as wide as their widest value
    (and the longest word of the header, which wraps). The leading columns that say
    what a row is (code, name) repeat in every table; the figures are split into as
    many tables as needed; a name wraps in whatever width is left.
    """
    from desk.reports.tables import NUMERIC, show

    keep = [i for i, c in enumerate(part.columns) if not c.wide_only]

    def natural(i: int) -> int:
        column = part.columns[i]
        cells = [len(show(row[i].value, row[i].kind)) for row in part.rows]
        words = max((len(w) for w in column.label.split()), default=1)
        return max([words, *cells])

    lead: list[int] = []
    for i in keep:
        if part.columns[i].kind in NUMERIC:
            break
        lead.append(i)
    figures = [i for i in keep if i not in lead]
    gap = 3  # padding and the divider between columns
    texts = [i for i in lead if part.columns[i].kind == "text"]
    fixed = sum(natural(i) + gap for i in lead if i not in texts)
    text_room = sum(min(natural(i), TEXT_MIN) + gap for i in texts)
    room = max(width - fixed - text_room, 0)
    groups: list[list[int]] = [[]]
    used = 0
    for i in figures:
        need = natural(i) + gap
        if groups[-1] and used + need > room:
            groups.append([])
            used = 0
        groups[-1].append(i)
        used += need
    out = []
    for group in groups:
        widths = {i: natural(i) for i in lead if i not in texts} | {i: natural(i) for i in group}
        spare = width - sum(w + gap for w in widths.values())
        for i in texts:  # what is left goes to the names, shared
            share = max(TEXT_MIN, (spare - gap * len(texts)) // max(len(texts), 1))
            widths[i] = min(natural(i), share)
        columns = lead + group
        out.append((columns, [widths[i] for i in columns]))
    return out
