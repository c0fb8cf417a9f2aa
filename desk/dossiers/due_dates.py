"""The working-day calendar and due dates (ngày hẹn trả kết quả).

A working day is Monday to Friday (and Saturday when ``hours.saturday_counts``),
minus the holidays in the ``holiday`` table, plus its make-up working days
(``kind = "workday"``: a Saturday or Sunday worked in exchange for a bridge day).
The table is seeded from the ``holidays`` package for Vietnam and then edited by
the center (``desk holidays list/add/remove``): the package does not know every
government day swap, so the local table is the authority.

Due dates, following the practice of provincial one-stop systems:
- the processing time is counted in working hours: days × the length of a
  working day (morning + afternoon sessions), so 2.5 days is two and a half days;
- a receipt outside working hours counts from the next working moment (before
  opening → opening; lunch → afternoon; after closing or on a day off → the next
  working morning);
- same-day procedures (0 days): received before the cut-off (15:00) → due at
  closing time the same day; at or after it → closing time of the next working day;
- with ``hours.cutoff_applies = "all"`` a dossier received after the cut-off
  starts its clock on the next working morning whatever its time limit;
- calendar-day procedures count days straight through; a due date that falls on a
  day off moves to the next working day.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Engine
from sqlmodel import col, select

from db.engine import read_session, write_session
from db.models import Holiday, Setting
from desk.center.config import HoursConfig

HOLIDAY_KINDS = ("holiday", "workday")
_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


@dataclass
class WorkCalendar:
    hours: HoursConfig
    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)
    """Make-up working days: weekend days that are worked."""

    # --- days -------------------------------------------------------------------

    def sessions(self, day: date) -> list[tuple[time, time]]:
        """Working sessions of ``day`` that count toward time limits."""
        if day in self.holidays:
            return []
        weekday = day.weekday()
        if day in self.workdays or weekday < 5:
            return [self.hours.morning, self.hours.afternoon]
        if weekday == 5 and self.hours.saturday_counts:
            return [self.hours.morning]
        return []

    def is_working_day(self, day: date) -> bool:
        return bool(self.sessions(day))

    def next_working_day(self, day: date) -> date:
        day += timedelta(days=1)
        for _ in range(400):
            if self.is_working_day(day):
                return day
            day += timedelta(days=1)
        raise ValueError("no working day within a year")  # pragma: no cover

    def working_day_on_or_after(self, day: date) -> date:
        return day if self.is_working_day(day) else self.next_working_day(day)

    def closing(self, day: date) -> datetime:
        return datetime.combine(day, self.sessions(day)[-1][1])

    def opening(self, day: date) -> datetime:
        return datetime.combine(day, self.sessions(day)[0][0])

    @property
    def day_hours(self) -> float:
        """Length of a full working day in hours (8 with the default sessions)."""
        total = 0.0
        for start, end in (self.hours.morning, self.hours.afternoon):
            total += (datetime.combine(date.min, end) - datetime.combine(date.min, start)).seconds
        return total / 3600

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end``."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            count += self.is_working_day(day)
        return count

    # --- moments -------------------------------------------------------------------

    def normalize(self, moment: datetime) -> datetime:
        """The first working moment at or after ``moment``."""
        day = moment.date()
        for start, end in self.sessions(day):
            s, e = datetime.combine(day, start), datetime.combine(day, end)
            if moment < e:
                return max(moment, s)
        return self.opening(self.next_working_day(day))

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        moment = self.normalize(start)
        remaining = timedelta(hours=hours)
        while True:
            day = moment.date()
            for s_time, e_time in self.sessions(day):
                s, e = datetime.combine(day, s_time), datetime.combine(day, e_time)
                if moment >= e:
                    continue
                moment = max(moment, s)
                available = e - moment
                if remaining <= available:
                    return moment + remaining
                remaining -= available
                moment = e
            moment = self.opening(self.next_working_day(day))

    def due_at(
        self,
        received: datetime,
        days: float,
        day_type: str = "working",
        cutoff_applies: str = "same_day",
    ) -> datetime:
        """When the result is due for a dossier received at ``received``."""
        cutoff = datetime.combine(received.date(), self.hours.cutoff)
        late = received >= cutoff or not self.is_working_day(received.date())
        if days <= 0:
            day = received.date()
            if late or received >= self.closing(day):
                day = self.next_working_day(day)
            return self.closing(day)
        start = received
        if late and cutoff_applies == "all":
            start = self.opening(self.next_working_day(received.date()))
        if day_type == "calendar":
            due = self.normalize(start) + timedelta(days=days)
            if not self.is_working_day(due.date()):
                return self.closing(self.next_working_day(due.date()))
            return min(due, self.closing(due.date()))
        return self.add_working_hours(start, days * self.day_hours)


# --- the holiday table ---------------------------------------------------------------


def load_calendar(engine: Engine, hours: HoursConfig) -> WorkCalendar:
    with read_session(engine) as session:
        rows = session.execute(select(col(Holiday.day), col(Holiday.kind))).all()
    cal = WorkCalendar(hours=hours)
    for day, kind in rows:
        (cal.workdays if kind == "workday" else cal.holidays).add(day)
    return cal


def package_holidays(year: int) -> list[tuple[date, str, str]]:
    """(day, kind, name) for ``year`` from the ``holidays`` package, including the
    weekend days it says were worked in exchange for a day off."""
    import holidays

    rows: list[tuple[date, str, str]] = []
    for day, name in sorted(holidays.country_holidays("VN", years=year).items()):
        rows.append((day, "holiday", str(name)))
        found = _SUBSTITUTED.search(str(name))
        if found:
            month, dom, yr = (int(x) for x in found.groups())
            rows.append((date(yr, month, dom), "workday", f"Make-up working day for {day:%d/%m}"))
    return rows


def seed_holidays(engine: Engine, years: Iterable[int]) -> int:
    """Seed each year once from the package; a year already seeded (or edited) is
    left alone, so a holiday the center removed does not come back. Every role
    calls this on start: when every year is seeded already, one read says so and
    the write lock is not taken."""
    keys = {f"holidays_seeded:{year}": year for year in years}
    with read_session(engine) as session:
        seeded = set(
            session.execute(
                select(col(Setting.key)).where(col(Setting.key).in_(list(keys)))
            ).scalars()
        )
    if seeded >= keys.keys():
        return 0
    added = 0
    with write_session(engine) as session:
        for year in keys.values():
            key = f"holidays_seeded:{year}"
            if session.get(Setting, key) is not None:
                continue
            existing = set(
                session.execute(
                    select(col(Holiday.day)).where(
                        col(Holiday.day) >= date(year, 1, 1), col(Holiday.day) <= date(year, 12, 31)
                    )
                ).scalars()
            )
            for day, kind, name in package_holidays(year):
                if day in existing:
                    continue
                existing.add(day)
                session.add(Holiday(day=day, kind=kind, name=name, source="package"))
                added += 1
            session.add(Setting(key=key, value="package"))
    return added


def list_holidays(engine: Engine, year: int) -> list[Holiday]:
    with read_session(engine) as session:
        return list(
            session.execute(
                select(Holiday)
                .where(col(Holiday.day) >= date(year, 1, 1), col(Holiday.day) <= date(year, 12, 31))
                .order_by(col(Holiday.day))
            ).scalars()
        )


def add_holiday(engine: Engine, day: date, kind: str = "holiday", name: str = "") -> Holiday:
    """Add or change one day; the year is seeded first, so the edit comes on top."""
    if kind not in HOLIDAY_KINDS:
        raise ValueError(f"kind: expected holiday or workday, got {kind!r}")
    seed_holidays(engine, [day.year])
    with write_session(engine) as session:
        row = session.execute(select(Holiday).where(col(Holiday.day) == day)).scalar_one_or_none()
        if row is None:
            row = Holiday(day=day, kind=kind, name=name, source="manual")
        else:
            row.kind, row.name, row.source = kind, name or row.name, "manual"
        session.add(row)
        return row


def remove_holiday(engine: Engine, day: date) -> bool:
    seed_holidays(engine, [day.year])
    with write_session(engine) as session:
        row = session.execute(select(Holiday).where(col(Holiday.day) == day)).scalar_one_or_none()
        if row is None:
            return False
        session.delete(row)
        return True
