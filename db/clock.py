"""The time the database layer stamps rows with (audit entries, outbox rows).

The center's clock is :mod:`desk.clock`, which installs itself here when it is
imported. This module imports nothing heavy, so importing the clock does not load
SQLAlchemy and the models (a print child uses the clock and no database).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

_now: Callable[[], datetime] = datetime.now


def set_clock(now: Callable[[], datetime]) -> None:
    global _now
    _now = now


def now() -> datetime:
    """The time audit entries and outbox rows are stamped with (the center's clock)."""
    return _now()
