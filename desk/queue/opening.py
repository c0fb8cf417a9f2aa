"""When the kiosk issues tickets: the center's opening hours.

The center is open during the ``[hours]`` sessions of a day it opens to the public
(``WorkCalendar.open_sessions``: working days, make-up working days, Saturday
mornings when ``saturday_morning``; never on a holiday). The kiosk issues tickets
from ``hours.kiosk_early_minutes`` before each session opens until it closes;
outside that it says the center is closed, with today's hours and the next
opening, and issues no ticket. ``hours.kiosk_any_time`` turns the check off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from desk.center.config import HoursConfig
from desk.dossiers.due_dates import WorkCalendar
from desk.i18n import day_text, t


@dataclass(frozen=True)
class Closed:
    """The kiosk issues no ticket at ``at``."""

    at: datetime
    today: tuple[tuple[time, time], ...]
    """Today's opening sessions (empty on a day off)."""
    next_open: datetime | None
    """When the next session opens (None: none within a year)."""

    def message(self) -> str:
        """What the citizen reads at the kiosk, in the UI's language."""
        lines = [t("walkthrough.kiosk.closed")]
        if self.today:
            sessions = ", ".join(f"{a:%H:%M}–{b:%H:%M}" for a, b in self.today)
            lines.append(t("walkthrough.kiosk.today", sessions=sessions))
        else:
            lines.append(t("walkthrough.kiosk.day_off"))
        if self.next_open is not None:
            when = self.next_open
            if when.date() == self.at.date():
                lines.append(t("walkthrough.kiosk.reopens_today", time=f"{when:%H:%M}"))
            else:
                lines.append(
                    t(
                        "walkthrough.kiosk.reopens",
                        time=f"{when:%H:%M}",
                        weekday=t(f"walkthrough.weekday_{when.weekday()}"),
                        date=day_text(when),
                    )
                )
        return "\n".join(lines)


def kiosk_closed(calendar: WorkCalendar, hours: HoursConfig, at: datetime) -> Closed | None:
    """Why the kiosk issues no ticket at ``at``; None when it does."""
    if hours.kiosk_any_time:
        return None
    early = timedelta(minutes=hours.kiosk_early_minutes)
    day = at.date()
    today = calendar.open_sessions(day)
    for start, end in today:
        if datetime.combine(day, start) - early <= at < datetime.combine(day, end):
            return None
    return Closed(at, tuple(today), _next_opening(calendar, at))


def _next_opening(calendar: WorkCalendar, at: datetime) -> datetime | None:
    day = at.date()
    for _ in range(400):
        for start, _end in calendar.open_sessions(day):
            opens = datetime.combine(day, start)
            if opens > at:
                return opens
        day += timedelta(days=1)
    return None
