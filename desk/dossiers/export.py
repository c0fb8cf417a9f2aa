"""Export of dossiers with personal data (supervisor role, written to the audit trail)."""

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


def export_dossiers(engine: Engine, actor: Actor, first: date, last: date, output: Path) -> int:
    require(actor, "export")
    start = datetime.combine(first, time())
    end = datetime.combine(last + timedelta(days=1), time())
    with read_session(engine) as session:
        rows = list(
            session.execute(
                select(Dossier)
                .where(col(Dossier.received_at) >= start, col(Dossier.received_at) < end)
                .order_by(col(Dossier.received_at))
            ).scalars()
        )
    with output.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(COLUMNS)
        for d in rows:
            writer.writerow([getattr(d, c) for c in COLUMNS])
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
