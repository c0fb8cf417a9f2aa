"""Export of dossiers with personal data (supervisor role, written to the audit trail).

The file is read in a spreadsheet: headers in the center's language, times and
statuses as its papers write them, times day first (``27/11/2026 14:05``, which a
spreadsheet sorts as a time), phones as people write them, and text that would begin a
formula kept as text (``'=…``). Only the center's own dossiers. An output
named ``.xlsx`` is a workbook whose cells are text (a CCCD keeps its leading 0, a
procedure code ``1.000100`` stays a code) or times, its columns as wide as their
contents; one named ``.csv`` is UTF-8 with a byte order mark (so Excel reads
Vietnamese), which Excel reads as numbers where it can."""

from __future__ import annotations

import csv
from datetime import date, datetime, time, timedelta
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import col, select

from db import audit
from db.engine import read_session, write_session
from db.models import Dossier
from desk.center.accounts import Actor, require
from desk.dossiers.identity import display_phone
from desk.dossiers.statuses import status_name
from desk.i18n import sheet_moment_text, t
from desk.text import keep_as_text, spreadsheet_text

COLUMNS = (
    "code",
    "procedure_code",
    "procedure_name",
    "status",
    "received_at",
    "due_at",
    "resolved_at",
    "returned_at",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "applicant_email",
)


def _cell(d: Dossier, column: str) -> str | datetime:
    value = getattr(d, column)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.replace(second=0, microsecond=0)
    if column == "status":
        return status_name(str(value))
    if column == "applicant_phone":  # a portal's phone may be kept as it came (+1 650…)
        return display_phone(str(value))
    return str(value)


def export_dossiers(
    engine: Engine, actor: Actor, first: date, last: date, output: Path, center_id: int
) -> int:
    require(actor, "export")
    start = datetime.combine(first, time())
    end = datetime.combine(last + timedelta(days=1), time())
    with read_session(engine) as session:
        rows = list(
            session.execute(
                select(Dossier)
                .where(
                    col(Dossier.center_id) == center_id,
                    col(Dossier.received_at) >= start,
                    col(Dossier.received_at) < end,
                )
                .order_by(col(Dossier.received_at))
            ).scalars()
        )
    header = [t(f"export.col.{c}") for c in COLUMNS]
    cells = [[_cell(d, c) for c in COLUMNS] for d in rows]
    if output.suffix.lower() == ".xlsx":
        _workbook(header, cells, output)
    else:
        with output.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh)
            writer.writerow(header)
            writer.writerows([_text(c) for c in row] for row in cells)
    output.chmod(0o600)
    with write_session(engine) as session:
        audit.append(
            session,
            "export",
            "dossier",
            "",
            f'{{"from": "{first}", "to": "{last}", "rows": {len(rows)}}}',
            actor.id,
        )
    return len(rows)


def _text(cell: str | datetime) -> str:
    return sheet_moment_text(cell) if isinstance(cell, datetime) else spreadsheet_text(cell)


def _workbook(header: list[str], cells: list[list[str | datetime]], output: Path) -> None:
    """A workbook of text cells (openpyxl is imported only here)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = t("export.sheet")
    sheet.append(header)
    for i, title in enumerate(header):  # wide enough for its header and its cells
        longest = max([len(title), *(len(_text(row[i])) for row in cells[:500])])
        sheet.column_dimensions[get_column_letter(i + 1)].width = min(60, longest + 2)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in cells:
        sheet.append(row)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, datetime):  # a time the sheet sorts and filters
                cell.number_format = "dd/mm/yyyy hh:mm"
            else:
                keep_as_text(cell)  # text, never a formula
                cell.number_format = "@"  # and typed into as text
    book.save(output)
