"""Days and times as an officer types them: ``dd/mm/yyyy`` and ``HH:MM``.

Each reader says which of two things went wrong, so the message can name it: the
text is not written as asked (:class:`NotWritten`: "2026-12-01", "9 giờ"), or it is
written as asked but no such day or time exists (:class:`NoSuchTime`: 31/02/2026,
25:00). A time may be typed as Vietnamese write it on paper too: ``9:30``, ``9h30``,
``9h``.
"""

from __future__ import annotations

import re
from datetime import date, datetime, time

DAY_WRITTEN = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
CLOCK_WRITTEN = re.compile(r"(\d{1,2})(?::(\d{2})|[hH](\d{2})?)")


class NotWritten(ValueError):
    """Not in the form asked for."""


class NoSuchTime(ValueError):
    """In the form asked for, but not on the calendar or the clock."""


def read_day(text: str) -> date:
    """``dd/mm/yyyy`` (one-digit day and month too)."""
    found = DAY_WRITTEN.fullmatch(text.strip())
    if found is None:
        raise NotWritten(text)
    day, month, year = (int(part) for part in found.groups())
    try:
        return date(year, month, day)
    except ValueError:
        raise NoSuchTime(text) from None


def read_clock(text: str) -> time:
    """``HH:MM``, ``H:MM``, ``9h30`` or ``9h``."""
    found = CLOCK_WRITTEN.fullmatch(text.strip())
    if found is None:
        raise NotWritten(text)
    hour, minute = int(found[1]), int(found[2] or found[3] or 0)
    try:
        return time(hour, minute)
    except ValueError:
        raise NoSuchTime(text) from None


def read_moment(text: str, default: time) -> datetime:
    """``dd/mm/yyyy``, at ``default`` that day, or ``dd/mm/yyyy HH:MM``."""
    parts = text.split()
    if not 1 <= len(parts) <= 2:
        raise NotWritten(text)
    day = read_day(parts[0])
    return datetime.combine(day, read_clock(parts[1]) if len(parts) == 2 else default)
