"""What a citizen may see of a dossier at the kiosk: its status and due date.

Found only by its code (typed, or scanned from the receipt's QR, which may hold a
look-up URL with the code in it) or the end of it, as at the counter; never by name,
CCCD or phone, since the kiosk is public. The view carries no personal data beyond a masked name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine

from db.engine import read_session
from desk.dossiers.lifecycle import code_where, newest


@dataclass(frozen=True)
class PublicStatus:
    code: str
    procedure_name: str
    status: str
    due_at: datetime | None
    masked_name: str


def mask_name(name: str) -> str:
    """``Trần Thị Bình`` → ``T*** T** B***``: enough for a citizen to recognise their
    own dossier, not enough to learn a stranger's name."""
    return " ".join(word[0] + "*" * max(2, len(word) - 1) for word in name.split())


def public_statuses(engine: Engine, text: str, limit: int = 2) -> list[PublicStatus]:
    """The dossiers whose code is in ``text`` or, as at the counter's F8, ends with it
    (:func:`desk.dossiers.lifecycle.code_where`), newest first, at most ``limit``:
    one to show, or more to ask for the whole code. Never by name, CCCD or phone."""
    with read_session(engine) as session:
        where = code_where(session, text)
        if where is None:
            return []
        return [
            PublicStatus(
                code=d.code,
                procedure_name=d.procedure_name,
                status=d.status,
                due_at=d.due_at,
                masked_name=mask_name(d.applicant_name),
            )
            for d in newest(session, where, limit)
        ]
