"""A realistic synthetic history for demos and benchmarks (``desk demo --generate N``).

Exactly N dossiers over the past year's open days (about 250, N/250 a day spread
evenly: with fewer than the days, some days have none), each with a
visit: three queue tickets per dossier on average (some visits take in no
dossier), waiting and service times from skewed distributions with morning peaks,
a few no-shows, ratings for about 40% of served tickets, and dossier histories
with supplements, refusals, extensions and late results at plausible rates.

The history follows the rules the live desk follows:
- tickets are issued only while the center is open: the working days of the
  holiday calendar (holidays, official day swaps, make-up working days) in the
  ``[hours]`` sessions, and Saturday mornings only when ``saturday_morning``;
- due dates come from the working-day calendar (:meth:`WorkCalendar.due_at`,
  with the 15:00 cut-off), and restart when a supplement makes a dossier complete;
- each counter has a demo officer, who serves its tickets, takes in its dossiers
  and gets its ratings.

Rows are written with bulk INSERTs in large transactions (not the ORM, and not
the outbox: a demo history is not sent upstream). Days already present are
skipped, so generating twice adds a second history only for days still empty.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, text
from sqlmodel import col, select

from db.engine import read_session, write_session
from db.models import Officer
from desk import clock
from desk.center.config import Config, HoursConfig
from desk.dossiers.due_dates import WorkCalendar, load_calendar, seed_holidays

Progress = Callable[[int, int], None]
Row = dict[str, Any]
OPEN_DAYS = 250
TICKETS_PER_DOSSIER = 3
DEFAULT_DAYS = 3.0
"""Processing time an officer types for a procedure the catalogue has none for."""


# --- the calendar and opening hours ------------------------------------------------


def open_sessions(cal: WorkCalendar, hours: HoursConfig, day: date) -> list[tuple[time, time]]:
    """When the center is open on ``day`` (the calendar's rule; ``cal`` is loaded
    with these ``hours``)."""
    assert cal.hours == hours
    return cal.open_sessions(day)


def open_days(cal: WorkCalendar, hours: HoursConfig, end: date, count: int) -> list[date]:
    """The last ``count`` days before ``end`` on which the center was open."""
    days: list[date] = []
    day = end
    while len(days) < count:
        day -= timedelta(days=1)
        if open_sessions(cal, hours, day):
            days.append(day)
    return sorted(days)


def issue_moment(rnd: random.Random, day: date, sessions: list[tuple[time, time]]) -> datetime:
    """A ticket time inside the open sessions, most of them in the morning."""
    spans = [(datetime.combine(day, start), datetime.combine(day, end)) for start, end in sessions]
    open_minutes = sum((e - s).total_seconds() / 60 for s, e in spans)
    offset = min(open_minutes - 1, abs(rnd.gauss(120, 150)))
    for start, end in spans:
        length = (end - start).total_seconds() / 60
        if offset < length:
            return start + timedelta(minutes=int(offset))
        offset -= length
    return spans[-1][1] - timedelta(minutes=1)  # pragma: no cover


# --- demo officers -----------------------------------------------------------------


def demo_officers(engine: Engine, config: Config, counters: dict[int, int]) -> dict[int, int]:
    """counter id → the id of its demo officer (``demo_quayN``), created once. Like
    the rest of the history they are written in bulk: one argon2 hash of a random
    password nobody knows, shared by all of them (a hash costs most of a second on a
    small machine), so they exist for the figures and cannot sign in."""
    from argon2 import PasswordHasher

    names = {counters[c.number]: f"demo_quay{c.number}" for c in config.counters}
    with write_session(engine) as session:
        known = {
            o.username: o.id
            for o in session.execute(
                select(Officer).where(col(Officer.username).in_(list(names.values())))
            ).scalars()
        }
        missing = [n for n in config.counters if names[counters[n.number]] not in known]
        if missing:
            secret = PasswordHasher().hash(secrets.token_urlsafe(24))
            for ctr in missing:
                officer = Officer(
                    username=f"demo_quay{ctr.number}",
                    full_name=f"Cán bộ quầy {ctr.number} (dữ liệu mẫu)",
                    role="officer",
                    password_hash=secret,
                    created_at=clock.now(),
                )
                session.add(officer)
                session.flush()
                known[officer.username] = officer.id
    out: dict[int, int] = {}
    for counter_id, username in names.items():
        officer_id = known[username]
        assert officer_id is not None
        out[counter_id] = officer_id
    return out


# --- what is already there ---------------------------------------------------------


@dataclass
class _State:
    procs: list[tuple[int, str, str, float | None, float | None, str]]
    busy: set[str]
    next_dossier: int
    next_ticket: int
    registers: dict[int, int]


def _read_state(engine: Engine) -> _State:
    with read_session(engine) as session:
        conn = session.connection()
        procs = [
            (int(r[0]), str(r[1]), str(r[2]), r[3], r[4], str(r[5] or "working"))
            for r in conn.execute(
                text(
                    "SELECT id, code, name, legal_days, local_days, day_type FROM procedure "
                    "WHERE status = 'active'"
                )
            ).all()
        ]
        busy = {str(d) for (d,) in conn.execute(text("SELECT DISTINCT day FROM ticket")).all()}
        busy |= {
            str(r)[:10]
            for (r,) in conn.execute(text("SELECT DISTINCT received_at FROM dossier")).all()
        }
        next_dossier = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM dossier")).scalar() or 0
        next_ticket = conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM ticket")).scalar() or 0
        registers = {
            int(y): int(n)
            for y, n in conn.execute(
                text("SELECT register_year, MAX(register_no) FROM dossier GROUP BY register_year")
            ).all()
        }
    return _State(procs, busy, int(next_dossier) + 1, int(next_ticket) + 1, registers)


# --- one day -------------------------------------------------------------------------


@dataclass
class _Gen:
    rnd: random.Random
    cal: WorkCalendar
    config: Config
    center_id: int
    services: dict[str, int]
    counter_services: dict[str, list[int]]
    officers: dict[int, int]
    today: date
    state: _State
    agency: str


@dataclass
class _Day:
    tickets: list[Row] = field(default_factory=list)
    ratings: list[Row] = field(default_factory=list)
    dossiers: list[Row] = field(default_factory=list)
    components: list[Row] = field(default_factory=list)
    statuses: list[Row] = field(default_factory=list)
    seqs: dict[str, int] = field(default_factory=dict)


def _ticket(g: _Gen, out: _Day, day: date, sessions: list[tuple[time, time]]) -> None:
    rnd = g.rnd
    prefix = rnd.choice(list(g.services))
    out.seqs[prefix] = out.seqs.get(prefix, 0) + 1
    issued = issue_moment(rnd, day, sessions)
    wait = max(0.5, rnd.lognormvariate(2.3, 0.7))
    serve = max(1.0, rnd.lognormvariate(2.0, 0.5))
    called = issued + timedelta(minutes=wait)
    no_show = rnd.random() < 0.04
    counter_id = rnd.choice(g.counter_services[prefix])
    officer_id = g.officers[counter_id]
    begun = called + timedelta(minutes=0.5)
    finished = called + timedelta(minutes=2) if no_show else begun + timedelta(minutes=serve)
    tid = g.state.next_ticket
    g.state.next_ticket += 1
    seq = out.seqs[prefix]
    out.tickets.append(
        {
            "id": tid,
            "c": g.center_id,
            "s": g.services[prefix],
            "day": day,
            "p": prefix,
            "seq": seq,
            "num": f"{prefix}{seq:03d}",
            "st": "no_show" if no_show else "done",
            "iss": issued,
            "q": issued,
            "ctr": counter_id,
            "off": officer_id,
            "call": called,
            "rc": 2 if no_show else 0,
            "lc": called,
            "sta": None if no_show else begun,
            "fin": finished,
            "out": "no_show" if no_show else "done",
            "upd": finished,
            "ws": int((called - issued).total_seconds()),
            "ss": None if no_show else int((finished - begun).total_seconds()),
            "ih": issued.hour,
            "iw": issued.isoweekday() % 7,
        }
    )
    if not no_show and rnd.random() < 0.4:
        score = rnd.choices((3, 2, 1), weights=(60, 32, 8))[0]
        out.ratings.append(
            {
                "t": tid,
                "ctr": counter_id,
                "off": officer_id,
                "score": score,
                "at": finished,
                "src": "counter",
            }
        )


def _planned_days(g: _Gen, legal: float | None, local: float | None) -> tuple[float, float]:
    """(days promised on the receipt, legal days), as intake would take them."""
    days = local if g.config.intake.due_basis == "local" and local is not None else legal
    days = days if days is not None else DEFAULT_DAYS
    return days, legal if legal is not None else days


def _lifecycle(
    g: _Gen, received: datetime, days: float, legal: float, day_type: str
) -> tuple[Row, list[tuple[str | None, str, datetime, datetime]]]:
    """The dossier's fate: its timestamps and status rows (from, to, at, due after)."""
    rnd, cal = g.rnd, g.cal
    cutoff = g.config.hours.cutoff_applies
    due = cal.due_at(received, days, day_type, cutoff)
    legal_due = cal.due_at(received, legal, day_type, cutoff)
    fate: Row = {
        "due": due,
        "ldue": legal_due,
        "clk": received,
        "st": "processing",
        "res": None,
        "ret": None,
        "ref": None,
    }
    rows: list[tuple[str | None, str, datetime, datetime]] = [(None, "received", received, due)]
    outcome = rnd.random()
    if outcome < 0.03:
        refused = cal.add_working_hours(received, rnd.uniform(0.5, 8))
        fate.update(st="refused", ref=refused)
        rows.append(("received", "refused", refused, due))
        return fate, rows
    start = cal.add_working_hours(received, rnd.uniform(0.1, 2))
    rows.append(("received", "processing", start, due))
    if outcome < 0.10:
        supp = cal.add_working_hours(start, rnd.uniform(1, 8))
        back = cal.normalize(supp + timedelta(days=rnd.uniform(1, 6)))
        rows.append(("processing", "supplement_requested", supp, due))
        # complete again: the processing time restarts from zero (NĐ 61 Điều 19)
        due = cal.due_at(back, days, day_type, cutoff)
        legal_due = cal.due_at(back, legal, day_type, cutoff)
        fate.update(due=due, ldue=legal_due, clk=back)
        rows.append(("supplement_requested", "processing", back, due))
        start = back
    if rnd.random() < 0.06:  # late
        resolved = cal.add_working_hours(max(due, start), rnd.uniform(1, 24))
    else:
        resolved = cal.normalize(start + (due - start) * rnd.uniform(0.2, 1.0))
        resolved = min(resolved, due)
    if resolved.date() >= g.today:
        return fate, rows
    fate.update(st="resolved", res=resolved)
    rows.append(("processing", "resolved", resolved, due))
    if rnd.random() < 0.92:
        returned = cal.normalize(resolved + timedelta(days=rnd.uniform(0, 4)))
        if returned.date() < g.today:
            fate.update(st="returned", ret=returned)
            rows.append(("resolved", "returned", returned, due))
    return fate, rows


def _dossier(g: _Gen, out: _Day, day: date, index: int, ticket: Row) -> None:
    rnd = g.rnd
    proc_id, code, name, legal_days, local_days, day_type = rnd.choice(g.state.procs)
    received = ticket["sta"] or ticket["call"]
    days, legal = _planned_days(g, legal_days, local_days)
    fate, rows = _lifecycle(g, received, days, legal, day_type)
    year = day.year
    g.state.registers[year] = g.state.registers.get(year, 0) + 1
    did = g.state.next_dossier
    g.state.next_dossier += 1
    channel = rnd.choices(("direct", "online", "postal"), weights=(62, 35, 3))[0]
    fee = rnd.choice((0, 0, 0, 8000, 10000, 30000))
    online = channel == "online" and rnd.random() < 0.5
    out.dossiers.append(
        {
            "id": did,
            "c": g.center_id,
            "code": f"{g.agency}-{day:%y%m%d}-{index + 1:04d}",
            "ry": year,
            "rn": g.state.registers[year],
            "pid": proc_id,
            "pc": code,
            "pn": name,
            "tid": ticket["id"],
            "an": "Công dân mẫu",
            "asr": "cong dan mau",
            "ch": channel,
            "fee": fee,
            "pm": ("online" if online else "cash") if fee else "none",
            "ld": legal,
            "lod": local_days,
            "dt": day_type,
            "rec": received,
            "ext": rnd.random() < 0.01,
            "ctr": ticket["ctr"],
            "off": ticket["off"],
            "upd": received,
            **fate,
        }
    )
    out.components.append({"d": did, "name": "Tờ khai", "o": 1, "sc": rnd.random() < 0.55})
    for frm, to, when, due in rows:
        out.statuses.append(
            {"d": did, "f": frm, "t": to, "at": when, "due": due, "off": ticket["off"]}
        )


def _make_day(g: _Gen, day: date, n_dossiers: int) -> _Day:
    out = _Day()
    sessions = open_sessions(g.cal, g.config.hours, day)
    for _ in range(n_dossiers * TICKETS_PER_DOSSIER):
        _ticket(g, out, day, sessions)
    served = [t for t in out.tickets if t["st"] == "done"] or out.tickets
    for i in range(n_dossiers):
        _dossier(g, out, day, i, served[i * TICKETS_PER_DOSSIER % len(served)])
    return out


# --- writing -----------------------------------------------------------------------

_INSERT_TICKET = (
    "INSERT INTO ticket (id, center_id, service_id, day, prefix, seq, number, status, "
    "issued_at, queued_at, counter_id, officer_id, called_at, recall_count, last_called_at, "
    "started_at, finished_at, outcome, version, updated_at, wait_seconds, service_seconds, "
    "issue_hour, issue_weekday) VALUES (:id, :c, :s, :day, :p, :seq, :num, :st, :iss, :q, "
    ":ctr, :off, :call, :rc, :lc, :sta, :fin, :out, 1, :upd, :ws, :ss, :ih, :iw)"
)
_INSERT_RATING = (
    "INSERT INTO rating (ticket_id, counter_id, officer_id, score, at, source) "
    "VALUES (:t, :ctr, :off, :score, :at, :src)"
)
_INSERT_DOSSIER = (
    "INSERT INTO dossier (id, center_id, code, register_year, register_no, procedure_id, "
    "procedure_code, procedure_name, ticket_id, applicant_name, applicant_search, "
    "applicant_id_number, applicant_phone, applicant_address, applicant_email, submitter_name, "
    "submitter_id_number, submitter_phone, channel, sets, fee_vnd, payment_method, "
    "result_delivery, notes, legal_days, local_days, day_type, received_at, due_at, "
    "legal_due_at, clock_started_at, extended, status, resolved_at, returned_at, returned_to, "
    "refused_at, refusal_reason, officer_id, counter_id, version, updated_at) VALUES (:id, :c, "
    ":code, :ry, :rn, :pid, :pc, :pn, :tid, :an, :asr, '', '', '', '', '', '', '', :ch, 1, :fee, "
    ":pm, 'desk', '', :ld, :lod, :dt, :rec, :due, :ldue, :clk, :ext, :st, :res, :ret, '', :ref, "
    "'', :off, :ctr, 1, :upd)"
)
_INSERT_COMPONENT = (
    "INSERT INTO dossier_component (dossier_id, position, name, originals, certified_copies, "
    "photocopies, scanned) VALUES (:d, 1, :name, :o, 0, 0, :sc)"
)
_INSERT_STATUS = (
    "INSERT INTO dossier_status (dossier_id, from_status, to_status, at, officer_id, reason, "
    "due_at, source) VALUES (:d, :f, :t, :at, :off, '', :due, 'demo')"
)
_UPSERT_SEQUENCE = (
    "INSERT INTO daily_sequence (scope, day, last) VALUES (:s, :d, :l) "
    "ON CONFLICT (scope, day) DO UPDATE SET last = "
    "CASE WHEN excluded.last > daily_sequence.last THEN excluded.last "
    "ELSE daily_sequence.last END"
)


def _write_day(engine: Engine, g: _Gen, day: date, out: _Day) -> None:
    with write_session(engine) as session:
        conn = session.connection()
        conn.execute(text(_INSERT_TICKET), out.tickets)
        if out.ratings:
            conn.execute(text(_INSERT_RATING), out.ratings)
        if out.dossiers:
            conn.execute(text(_INSERT_DOSSIER), out.dossiers)
            conn.execute(text(_INSERT_COMPONENT), out.components)
            conn.execute(text(_INSERT_STATUS), out.statuses)
        sequences = [
            {"s": f"ticket:{g.center_id}:{prefix}", "d": day, "l": last}
            for prefix, last in out.seqs.items()
        ]
        sequences.append({"s": f"dossier:{g.agency}", "d": day, "l": len(out.dossiers)})
        sequences += [
            {"s": f"register:{g.agency}", "d": date(year, 1, 1), "l": last}
            for year, last in g.state.registers.items()
        ]
        for row in sequences:
            conn.execute(text(_UPSERT_SEQUENCE), row)


# --- the whole history ---------------------------------------------------------------


def _share(total: int, days: int, index: int) -> int:
    """The dossiers of day ``index`` of ``days``, ``total`` in all: as many each day,
    the first days one more for the rest; fewer than the days, spread evenly."""
    if total >= days:
        return total // days + (1 if index < total % days else 0)
    return (index + 1) * total // days - index * total // days


def generate(
    engine: Engine,
    config: Config,
    center_id: int,
    services: dict[str, int],
    counters: dict[int, int],
    dossiers: int,
    *,
    seed: int = 2026,
    today: date | None = None,
    progress: Progress | None = None,
) -> dict[str, int]:
    today = today or clock.today()
    seed_holidays(engine, range(today.year - 1, today.year + 1))  # the year behind today
    cal = load_calendar(engine, config.hours)
    state = _read_state(engine)
    if not state.procs:
        raise ValueError("the catalogue is empty: import procedures first")
    year = open_days(cal, config.hours, today, OPEN_DAYS)
    days = [d for d in year if str(d) not in state.busy]
    counter_services: dict[str, list[int]] = {}
    for ctr in config.counters:
        for p in ctr.services:
            counter_services.setdefault(p, []).append(counters[ctr.number])
    # a later run (on the days still free) draws other people than the first run did,
    # which a fresh database still gets from ``seed`` alone
    g = _Gen(
        rnd=random.Random(seed + len(state.busy)),
        cal=cal,
        config=config,
        center_id=center_id,
        services=services,
        counter_services=counter_services,
        officers=demo_officers(engine, config, counters),
        today=today,
        state=state,
        agency=config.center.agency_code,
    )
    counts = {
        "dossiers": 0,
        "tickets": 0,
        "ratings": 0,
        "statuses": 0,
        "free_days": len(days),
        "kept_days": len(year) - len(days),
    }
    """``free_days``: the open days of the year behind ``today`` without data yet (the
    days that already have tickets or dossiers are left as they are); none, nothing
    is made. ``kept_days``: those that had data (an earlier run's): this run added
    to them, it did not replace them."""
    for index, day in enumerate(days):
        # exactly ``dossiers`` (fewer than the days: some days none; it made one a
        # day, 250 for 100)
        today_count = _share(dossiers, len(days), index)
        if not today_count:
            continue
        out = _make_day(g, day, today_count)
        _write_day(engine, g, day, out)
        counts["dossiers"] += len(out.dossiers)
        counts["tickets"] += len(out.tickets)
        counts["ratings"] += len(out.ratings)
        counts["statuses"] += len(out.statuses)
        if progress is not None:
            progress(counts["dossiers"], dossiers)
    return counts
