"""A dossier's statuses as people read them (the lifecycle that moves them is
:mod:`desk.dossiers.lifecycle`); light to import, for reports and screens alike."""

from __future__ import annotations

from db.models import DOSSIER_STATUSES
from desk.i18n import t

FINAL = ("returned", "refused")
"""The statuses a dossier ends in: its result handed back, or refused."""


def status_name(status: str) -> str:
    """A dossier's status as people read it (``Đã có kết quả``); an unknown one as stored."""
    return t(f"dossier.status_{status}") if status in DOSSIER_STATUSES else status
