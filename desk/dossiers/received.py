"""Writing a newly received dossier: one function for every way a dossier arrives
(the counter's intake, an online dossier pulled from the province's portal).

:func:`add_received` writes the dossier row, its components in order and its first
status row (``received``, through :func:`record_status`, the writer of every status
row); what follows from the receipt itself is set here, the
same for every channel: the register year, the folded name the look-up searches,
the processing clock starting at receipt, the status and the update time.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel import Session

from db.models import Dossier, DossierComponent, DossierStatus
from desk.text import fold


@dataclass(frozen=True)
class Component:
    """One paper of the dossier, as received."""

    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    scanned: bool = False


def add_received(
    session: Session,
    *,
    received_at: datetime,
    applicant_name: str,
    components: Iterable[Component],
    source: str = "local",
    **fields: Any,
) -> tuple[Dossier, list[DossierComponent]]:
    """Write a dossier received at ``received_at`` (``fields``: the other columns of
    :class:`~db.models.Dossier`), its components and its ``received`` status row
    (``source``: who reported it, ``local`` or ``online``); flushed, so it has its id."""
    dossier = Dossier(
        received_at=received_at,
        applicant_name=applicant_name,
        applicant_search=fold(applicant_name),
        register_year=received_at.year,
        clock_started_at=received_at,
        **fields,
    )
    record_status(
        session, dossier, "received", received_at, officer_id=dossier.officer_id, source=source
    )
    assert dossier.id is not None
    comps = [
        DossierComponent(
            dossier_id=dossier.id,
            position=pos,
            name=c.name,
            originals=c.originals,
            certified_copies=c.certified_copies,
            photocopies=c.photocopies,
            scanned=c.scanned,
        )
        for pos, c in enumerate(components, 1)
    ]
    session.add_all(comps)
    return dossier, comps


def record_status(
    session: Session,
    d: Dossier,
    to_status: str,
    at: datetime,
    *,
    officer_id: int | None = None,
    reason: str = "",
    source: str = "desk",
) -> None:
    """Move ``d`` to ``to_status`` with its status row: the one way every status
    change is written (a dossier received, a counter's step, a back-office or a
    portal change). A dossier not yet written (no id) is being received: it is
    written first (flushed, for the id its row names), in ``to_status`` at
    ``at`` as its first version, and its row has no status before it."""
    new = d.id is None
    if new:
        d.status = to_status
        d.updated_at = at
        session.add(d)
        session.flush()
    assert d.id is not None
    session.add(
        DossierStatus(
            dossier_id=d.id,
            from_status=None if new else d.status,
            to_status=to_status,
            at=at,
            officer_id=officer_id,
            reason=reason,
            due_at=d.due_at,
            source=source,
        )
    )
    if not new:
        d.status = to_status
        d.updated_at = at
        d.version += 1
        session.add(d)
