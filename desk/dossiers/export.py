"""Export of dossiers with personal data (supervisor role, written to the audit trail).

The file is read in a spreadsheet: headers in the center's language, times and
statuses as its papers write them, phones as people write them, UTF-8 with a byte
order mark (so Excel reads Vietnamese), and text people typed that would begin a
formula kept as text (``'=…``). Only the center's own dossiers."""

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
from desk.i18n import moment_text, t
from desk.text import spreadsheet_text

COLUMNS = (
    "code",
    "procedure_code",
    "procedure_name",
    "status",
    "received_at",
    "due_at",
    "applicant_name",
    "applicant_id_number",
    "applicant_phone",
    "applicant_address",
    "applicant_email",
)
STATUSES = ("received", "processing", "supplement_requested", "resolved", "returned", "refused")


def _cell(d: Dossier, column: str) -> str:
    value = getattr(d, column)
    if value is None:
        return ""
    if isinstance(value, datetime):
        return moment_text(value)
    if column == "status":
        return t(f"dossier.status_{value}") if value in STATUSES else str(value)
    if column == "applicant_phone":
        return display_phone(str(value))
    return spreadsheet_text(str(value))


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
    with output.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow([t(f"export.col.{c}") for c in COLUMNS])
        for d in rows:
            writer.writerow([_cell(d, c) for c in COLUMNS])
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
