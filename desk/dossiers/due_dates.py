"""The working-day calendar and due dates (ngày hẹn trả kết quả).

A working day is Monday to Friday (and Saturday when ``hours.saturday_counts``),
minus the holidays in the ``holiday`` table, plus its make-up working days
(``kind = "workday"``: a Saturday or Sunday worked in exchange for a bridge day).
Each year of the table is built in three layers, the later winning:

1. the ``holidays`` package for Vietnam (``source = "package"``);
2. the official yearly decisions shipped in ``desk/data/official_days.csv``
   (``source = "official"``): day swaps the government announces after the
   package was released, each with the notice it comes from;
3. the center's own edits (``desk holidays add/remove``, ``source = "manual"``),
   or the province's table pulled by ``desk sync`` (``source = "upstream"``).

A year is seeded (layers 1 and 2 written to the table) when it is listed or
edited, and this year and the next when the runtime opens; a calendar asked about
a year not in the table yet computes the same two layers in memory, without
writing (due dates are computed inside the intake's write transaction).

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

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import cache
from pathlib import Path

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.engine import read_session, write_session
from db.models import Holiday, Setting
from desk.center.config import HoursConfig
from desk.errors import DeskError
from desk.i18n import catalog, day_text, get_language, t

HOLIDAY_KINDS = ("holiday", "workday")
OFFICIAL_DAYS = Path(__file__).resolve().parents[1] / "data" / "official_days.csv"
_SUBSTITUTED = re.compile(r"substituted from (\d{2})/(\d{2})/(\d{4})")


@dataclass
class WorkCalendar:
    hours: HoursConfig
    holidays: set[date] = field(default_factory=set)
    workdays: set[date] = field(default_factory=set)
    """Make-up working days: weekend days that are worked."""
    year_loader: Callable[[int], list[tuple[date, str]]] | None = None
    """Called once for a year not loaded yet (see :func:`load_calendar`)."""
    loaded_years: set[int] = field(default_factory=set)

    # --- days -------------------------------------------------------------------

    def _ensure_year(self, year: int) -> None:
        self.loaded_years.add(year)
        if self.year_loader is None:
            return
        for day, kind in self.year_loader(year):
            (self.workdays if kind == "workday" else self.holidays).add(day)

    def sessions(self, day: date) -> list[tuple[time, time]]:
        """Working sessions of ``day`` that count toward time limits."""
        if day.year not in self.loaded_years:
            self._ensure_year(day.year)
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

    def open_sessions(self, day: date) -> list[tuple[time, time]]:
        """When the center is open to the public on ``day`` (tickets can be issued):
        a working day's morning and afternoon; a Saturday morning when
        ``hours.saturday_morning`` (whether or not Saturday counts for due dates)."""
        if day.year not in self.loaded_years:
            self._ensure_year(day.year)
        if day in self.holidays:
            return []
        if day in self.workdays or day.weekday() < 5:
            return [self.hours.morning, self.hours.afternoon]
        if day.weekday() == 5 and self.hours.saturday_morning:
            return [self.hours.morning]
        return []

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


@dataclass(frozen=True)
class OfficialDay:
    day: date
    kind: str
    name: str
    source: str
    """The notice it comes from, e.g. "Văn bản 12729/VPCP-KGVX ngày 25/12/2025"."""


@cache
def official_days(path: Path = OFFICIAL_DAYS) -> tuple[OfficialDay, ...]:
    """The shipped official decisions (``#`` lines are comments)."""
    with path.open(encoding="utf-8", newline="") as fh:
        lines = [line for line in fh if line.strip() and not line.startswith("#")]
    rows = []
    for rec in csv.DictReader(lines):
        kind = rec["kind"].strip()
        if kind not in HOLIDAY_KINDS:
            raise ValueError(f"{path.name}: kind must be holiday or workday, got {kind!r}")
        rows.append(
            OfficialDay(
                date.fromisoformat(rec["day"].strip()),
                kind,
                rec["name"].strip(),
                rec["source"].strip(),
            )
        )
    return tuple(sorted(rows, key=lambda r: r.day))


def official_notice(day: date) -> OfficialDay | None:
    return next((r for r in official_days() if r.day == day), None)


def has_official_notice(year: int) -> bool:
    """Whether any official decision for ``year`` is shipped."""
    return any(r.day.year == year for r in official_days())


def default_days(year: int) -> list[tuple[date, str, str, str]]:
    """(day, kind, name, source) of ``year`` before any local edit: the package,
    then the official decisions over it."""
    days: dict[date, tuple[str, str, str]] = {}
    for day, kind, name in package_holidays(year):
        days.setdefault(day, (kind, name, "package"))
    for off in official_days():
        if off.day.year == year:
            days[off.day] = (off.kind, off.name, "official")
    return [(d, *days[d]) for d in sorted(days)]


def load_calendar(engine: Engine, hours: HoursConfig) -> WorkCalendar:
    """The calendar from the holiday table (read only: callers save dossiers right
    after, and opening the runtime seeds this year and the next). A year not in the
    table is computed from the package and the official decisions when first asked
    about, exactly as seeding would write it."""
    with read_session(engine) as session:
        rows = session.execute(select(col(Holiday.day), col(Holiday.kind))).all()
        seeded = _seeded_years(session)
    cal = WorkCalendar(hours=hours, year_loader=_unseeded_year, loaded_years=seeded)
    for day, kind in rows:
        (cal.workdays if kind == "workday" else cal.holidays).add(day)
    return cal


def _unseeded_year(year: int) -> list[tuple[date, str]]:
    return [(day, kind) for day, kind, _name, _source in default_days(year)]


def _seeded_years(session: Session) -> set[int]:
    keys = session.execute(
        select(col(Setting.key)).where(col(Setting.key).startswith("holidays_seeded:"))
    ).scalars()
    return {int(k.split(":", 1)[1]) for k in keys}


def package_holidays(year: int) -> list[tuple[date, str, str]]:
    """(day, kind, name) for ``year`` from the ``holidays`` package, including the
    weekend days it says were worked in exchange for a day off."""
    import holidays

    rows: list[tuple[date, str, str]] = []
    for day, name in sorted(holidays.country_holidays("VN", years=year).items()):
        rows.append((day, "holiday", str(name)))
        made_up = _made_up(day, str(name))
        if made_up is not None:
            rows.append((made_up, "workday", make_up_name(day)))
    return rows


def _made_up(day_off: date, name: str) -> date | None:
    """The weekend day worked in exchange for ``day_off``, as its package name says."""
    found = _SUBSTITUTED.search(name)
    if not found:
        return None
    month, dom, yr = (int(x) for x in found.groups())
    return date(yr, month, dom)


def make_up_name(day_off: date, language: str | None = None) -> str:
    """The name of the weekend day worked in exchange for ``day_off``, in ``language``
    (the UI language by default): "Làm bù cho thứ Hai 31/08/2026"."""
    messages = catalog(language or get_language())
    weekday = messages[f"walkthrough.weekday_{day_off.weekday()}"]
    return messages["walkthrough.holidays.make_up"].format(weekday=weekday, day=day_text(day_off))


PACKAGE_LANGUAGES = {"vi": "vi", "en": "en_US"}
"""desk's UI languages and the ``holidays`` package's names for them."""


def package_day_names(year: int) -> dict[date, dict[str, str]]:
    """The package's days of ``year`` named in each UI language (``{"vi": …,
    "en": …}``): its holidays as the package words them in that language, the
    make-up days they imply as desk does. Stored when a year is seeded
    (``Holiday.name_vi``/``name_en``), so that listing does not import the package."""
    import holidays

    names: dict[date, dict[str, str]] = {}
    for language, package_language in PACKAGE_LANGUAGES.items():
        local = holidays.country_holidays("VN", years=year, language=package_language)
        for day, name in local.items():
            names.setdefault(day, {})[language] = str(name)
    # the swaps are read from the package's own wording (what package_holidays reads)
    for day, name in holidays.country_holidays("VN", years=year).items():
        made_up = _made_up(day, str(name))
        if made_up is not None:
            names[made_up] = {lang: make_up_name(day, lang) for lang in PACKAGE_LANGUAGES}
    return names


def package_names(year: int) -> dict[date, str]:
    """The package's days of ``year`` named in the UI language (imports the package:
    only for rows seeded before their names were stored, see :func:`day_name`)."""
    language = get_language()
    return {day: names[language] for day, names in package_day_names(year).items()}


def day_name(row: Holiday, fallback: Callable[[], dict[date, str]] | None = None) -> str:
    """``row``'s name in the UI language: a package day's as stored when its year was
    seeded; any other source's as written (the notice, the center, the province).
    ``fallback``: the package's names of the row's year (:func:`package_names`), for
    a package row seeded before the names were stored."""
    if row.source != "package":
        return row.name
    stored = row.name_en if get_language() == "en" else row.name_vi
    if stored is not None:
        return stored
    if fallback is None:
        return row.name
    return fallback().get(row.day, row.name)


def seed_holidays(engine: Engine, years: Iterable[int]) -> int:
    """Seed each year: once from the package, and each shipped official decision
    once (so a database seeded before a decision was shipped gets it on upgrade).
    A day the center edited keeps its edit; a day it removed does not come back."""
    years = list(years)
    with read_session(engine) as session:
        done = {
            s.key: s.value
            for s in session.execute(
                select(Setting).where(col(Setting.key).startswith("holidays_"))
            ).scalars()
        }
    todo = [
        y
        for y in years
        if f"holidays_seeded:{y}" not in done
        or f"holidays_names:{y}" not in done
        or _pending_official(y, done.get(f"holidays_official:{y}"))
    ]
    if not todo:
        return 0
    added = 0
    with write_session(engine) as session:
        for year in todo:
            added += _seed_year(session, year)
    return added


def _pending_official(year: int, applied: str | None) -> list[OfficialDay]:
    seen = set((applied or "").split(","))
    return [r for r in official_days() if r.day.year == year and r.day.isoformat() not in seen]


def _seed_year(session: Session, year: int) -> int:
    rows = {
        h.day: h
        for h in session.execute(
            select(Holiday).where(
                col(Holiday.day) >= date(year, 1, 1), col(Holiday.day) <= date(year, 12, 31)
            )
        ).scalars()
    }
    added = 0
    key = f"holidays_seeded:{year}"
    names_key = f"holidays_names:{year}"
    seeded = session.get(Setting, key) is not None
    named = session.get(Setting, names_key) is not None
    names = {} if seeded and named else package_day_names(year)
    if not seeded:
        for day, kind, name in package_holidays(year):
            if day in rows:
                continue
            local = names.get(day, {})
            rows[day] = Holiday(
                day=day,
                kind=kind,
                name=name,
                source="package",
                name_vi=local.get("vi"),
                name_en=local.get("en"),
            )
            session.add(rows[day])
            added += 1
        session.add(Setting(key=key, value="package"))
    if not named:
        # a year seeded before the names were stored (migration 0017)
        for day in sorted(rows):
            row, stored = rows[day], names.get(day)
            if row.source == "package" and stored is not None and row.name_vi is None:
                row.name_vi, row.name_en = stored["vi"], stored["en"]
                session.add(row)
        session.add(Setting(key=names_key, value="vi,en"))
    official_key = f"holidays_official:{year}"
    setting = session.get(Setting, official_key) or Setting(key=official_key, value="")
    applied = [v for v in setting.value.split(",") if v]
    for off in _pending_official(year, setting.value):
        applied.append(off.day.isoformat())
        row = rows.get(off.day)
        if row is not None and row.source in ("manual", "upstream"):
            continue  # the center's own edit (or the province's, pulled by sync) wins
        if row is None:
            row = Holiday(day=off.day)
            added += 1
        row.kind, row.name, row.source = off.kind, off.name, "official"
        session.add(row)
    setting.value = ",".join(applied)
    session.add(setting)
    return added


def list_holidays(engine: Engine, year: int, *, seed: bool = True) -> list[Holiday]:
    """The table for ``year``, seeding the year first. With ``seed=False`` (a
    read-only database) a year not seeded yet is listed from the same layers in
    memory, exactly as seeding would write it, and nothing is written."""
    if seed:
        seed_holidays(engine, [year])
    with read_session(engine) as session:
        if not seed and year not in _seeded_years(session):
            names = package_day_names(year)
            return [
                Holiday(
                    day=day,
                    kind=kind,
                    name=name,
                    source=source,
                    name_vi=names.get(day, {}).get("vi") if source == "package" else None,
                    name_en=names.get(day, {}).get("en") if source == "package" else None,
                )
                for day, kind, name, source in default_days(year)
            ]
        return list(
            session.execute(
                select(Holiday)
                .where(col(Holiday.day) >= date(year, 1, 1), col(Holiday.day) <= date(year, 12, 31))
                .order_by(col(Holiday.day))
            ).scalars()
        )


@dataclass(frozen=True)
class Entry:
    """A day of the holiday table as a person reads it."""

    kind: str
    name: str


def already_so(hours: HoursConfig, day: date, kind: str) -> bool:
    """Whether the week's own rule already makes ``day`` what ``kind`` would: a day
    off (``holiday``) on a day the center neither opens nor counts (Sunday; Saturday
    unless ``hours.saturday_morning`` or ``hours.saturday_counts``), a make-up working
    day (``workday``) on a full working day (Monday to Friday)."""
    plain = WorkCalendar(hours=hours, loaded_years={day.year})
    if kind == "holiday":
        return not plain.sessions(day) and not plain.open_sessions(day)
    return plain.sessions(day) == [hours.morning, hours.afternoon]


def add_holiday(
    engine: Engine,
    day: date,
    kind: str = "holiday",
    name: str = "",
    hours: HoursConfig | None = None,
) -> tuple[Holiday, Entry | None]:
    """Add or change one day; the year is seeded first, so the edit comes on top.
    Returns the row and what the table had on that day before, if anything (a row
    changed without a new name keeps its name as shown).

    With ``hours``, a day that the week's rule already makes ``kind``
    (:func:`already_so`) is refused with a DeskError saying so, unless the table has
    it as the other kind, which this undoes."""
    if kind not in HOLIDAY_KINDS:
        raise ValueError(f"kind: expected holiday or workday, got {kind!r}")
    seed_holidays(engine, [day.year])
    with write_session(engine) as session:
        row = session.execute(select(Holiday).where(col(Holiday.day) == day)).scalar_one_or_none()
        undoes = row is not None and row.kind != kind
        if hours is not None and not undoes and already_so(hours, day, kind):
            raise DeskError(_already_message(hours, day, kind))
        if row is None:
            row = Holiday(day=day, kind=kind, name=name, source="manual")
            before = None
        else:
            before = Entry(row.kind, day_name(row, lambda: package_names(day.year)))
            row.kind, row.name, row.source = kind, name or before.name, "manual"
        session.add(row)
        return row, before


def _already_message(hours: HoursConfig, day: date, kind: str) -> str:
    weekday = t(f"walkthrough.weekday_{day.weekday()}")
    if kind == "workday":
        return t("everyday.cli.workday_already", day=day.isoformat(), weekday=weekday)
    key = "holiday_saturday" if day.weekday() == 5 else "holiday_already"
    return t(f"everyday.cli.{key}", day=day.isoformat(), weekday=weekday)


def remove_holiday(engine: Engine, day: date) -> bool:
    seed_holidays(engine, [day.year])
    with write_session(engine) as session:
        row = session.execute(select(Holiday).where(col(Holiday.day) == day)).scalar_one_or_none()
        if row is None:
            return False
        session.delete(row)
        return True
