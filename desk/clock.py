"""Local time of the center.

desk stores naive local wall time (Vietnam, UTC+7, no daylight saving). Everything
asks :func:`now`, so tests can freeze or move the clock with :func:`set_clock`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

VIETNAM = timezone(timedelta(hours=7), "ICT")


def _system_now() -> datetime:
    return datetime.now(VIETNAM).replace(tzinfo=None)


_now: Callable[[], datetime] = _system_now


def now() -> datetime:
    return _now()


def today() -> date:
    return _now().date()


def set_clock(fn: Callable[[], datetime] | None) -> None:
    """Replace the clock (``None`` restores the system clock)."""
    global _now
    _now = fn or _system_now


def _install() -> None:
    from db import clock

    clock.set_clock(now)  # audit entries and outbox rows use the center's clock


_install()
