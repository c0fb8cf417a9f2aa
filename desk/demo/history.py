"""A realistic synthetic history for demos and benchmarks (``desk demo --generate N``).

N dossiers over the past year's working days (about 250 days, ~N/250 a day), each
with a visit: three queue tickets per dossier on average (some visits take in no
dossier), waiting and service times from skewed distributions with morning peaks,
a few no-shows, ratings for about 40% of served tickets, and dossier histories
with supplements, refusals, extensions and late results at plausible rates.

Rows are written with bulk INSERTs in large transactions (not the ORM, and not
the outbox: a demo history is not sent upstream). Days already present are
skipped, so generating twice adds a second history only for days still empty.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, text

from db.engine import write_session
from desk.center.config import Config
from desk.dossiers.due_dates import load_calendar

Progress = Callable[[int, int], None]


def _working_days(engine: Engine, config: Config, end: date, count: int) -> list[date]:
    cal = load_calendar(engine, config.hours)
    days: list[date] = []
    day = end
    while len(days) < count:
        day -= timedelta(days=1)
        if cal.is_working_day(day):
            days.append(day)
    return sorted(days)


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
    rnd = random.Random(seed)
    today = today or date.today()
    days = _working_days(engine, config, today, 250)
    with write_session(engine) as session:
        conn = session.connection()
        procs = list(
            conn.execute(
                text("SELECT id, code, name, legal_days FROM procedure WHERE status = 'active'")
            ).all()
        )
        busy = {str(d) for (d,) in conn.execute(text("SELECT DISTINCT day FROM ticket")).all()}
        busy |= {
            str(r)[:10]
            for (r,) in conn.execute(text("SELECT DISTINCT received_at FROM dossier")).all()
        }
        next_dossier = (
            conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM dossier")).scalar() or 0
        ) + 1
        next_ticket = (
            conn.execute(text("SELECT COALESCE(MAX(id), 0) FROM ticket")).scalar() or 0
        ) + 1
        registers: dict[int, int] = {
            int(y): int(n)
            for y, n in conn.execute(
                text("SELECT register_year, MAX(register_no) FROM dossier GROUP BY register_year")
            ).all()
        }
    if not procs:
        raise ValueError("the catalogue is empty: import procedures first")
    days = [d for d in days if str(d) not in busy]
    prefixes = list(services)
    counter_services: dict[str, list[int]] = {}
    for ctr in config.counters:
        for p in ctr.services:
            counter_services.setdefault(p, []).append(counters[ctr.number])
    agency = config.center.agency_code
    per_day = max(1, dossiers // max(1, len(days)))
    extra = dossiers - per_day * len(days)
    counts = {"dossiers": 0, "tickets": 0, "ratings": 0, "statuses": 0}
    for index, day in enumerate(days):
        n_dossiers = per_day + (1 if index < extra else 0)
        dossier_rows: list[dict[str, Any]] = []
        status_rows: list[dict[str, Any]] = []
        component_rows: list[dict[str, Any]] = []
        ticket_rows: list[dict[str, Any]] = []
        rating_rows: list[dict[str, Any]] = []
        seqs: dict[str, int] = {}
        n_tickets = n_dossiers * 3
        for _ in range(n_tickets):
            prefix = rnd.choice(prefixes)
            seqs[prefix] = seqs.get(prefix, 0) + 1
            # morning peak: more tickets early
            minute = int(min(540, abs(rnd.gauss(120, 150))))
            issued = datetime.combine(day, datetime.min.time()) + timedelta(hours=7, minutes=minute)
            wait = max(0.5, rnd.lognormvariate(2.3, 0.7))
            serve = max(1.0, rnd.lognormvariate(2.0, 0.5))
            called = issued + timedelta(minutes=wait)
            no_show = rnd.random() < 0.04
            counter_id = rnd.choice(counter_services[prefix])
            begun = called + timedelta(minutes=0.5)
            started = None if no_show else begun
            finished = (
                called + timedelta(minutes=2) if no_show else begun + timedelta(minutes=serve)
            )
            tid = next_ticket
            next_ticket += 1
            ticket_rows.append(
                {
                    "id": tid,
                    "c": center_id,
                    "s": services[prefix],
                    "day": day,
                    "p": prefix,
                    "seq": seqs[prefix],
                    "num": f"{prefix}{seqs[prefix]:03d}",
                    "st": "no_show" if no_show else "done",
                    "iss": issued,
                    "q": issued,
                    "ctr": counter_id,
                    "call": called,
                    "rc": 2 if no_show else 0,
                    "lc": called,
                    "sta": started,
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
                rating_rows.append(
                    {"t": tid, "ctr": counter_id, "score": score, "at": finished, "src": "counter"}
                )
        for i in range(n_dossiers):
            proc_id, code, name, legal = rnd.choice(procs)
            ticket = ticket_rows[i * 3 % len(ticket_rows)]
            received = ticket["sta"] or ticket["call"]
            days_allowed = legal if legal is not None else 3
            due = received + timedelta(days=max(0.5, float(days_allowed)) * 1.4)
            year = day.year
            registers[year] = registers.get(year, 0) + 1
            did = next_dossier
            next_dossier += 1
            outcome = rnd.random()
            channel = rnd.choices(("direct", "online", "postal"), weights=(62, 35, 3))[0]
            fee = rnd.choice((0, 0, 0, 8000, 10000, 30000))
            resolved = returned = refused = None
            status = "processing"
            statuses: list[tuple[str | None, str, datetime]] = [(None, "received", received)]
            if outcome < 0.03:
                refused = received + timedelta(hours=rnd.uniform(1, 48))
                status = "refused"
                statuses.append(("received", "refused", refused))
            else:
                start = received + timedelta(hours=rnd.uniform(0.5, 8))
                statuses.append(("received", "processing", start))
                if outcome < 0.10:
                    supp = start + timedelta(hours=rnd.uniform(2, 24))
                    back = supp + timedelta(days=rnd.uniform(1, 6))
                    statuses += [
                        ("processing", "supplement_requested", supp),
                        ("supplement_requested", "processing", back),
                    ]
                    due = back + (due - received)
                    start = back
                late = rnd.random() < 0.06
                spent = (due - start) * (rnd.uniform(1.05, 1.6) if late else rnd.uniform(0.2, 1.0))
                resolved = start + spent
                if resolved.date() < today:
                    status = "resolved"
                    statuses.append(("processing", "resolved", resolved))
                    if rnd.random() < 0.92:
                        returned = resolved + timedelta(days=rnd.uniform(0, 4))
                        if returned.date() < today:
                            status = "returned"
                            statuses.append(("resolved", "returned", returned))
                        else:
                            returned = None
                else:
                    resolved = None
            dossier_rows.append(
                {
                    "id": did,
                    "c": center_id,
                    "code": f"{agency}-{day:%y%m%d}-{i + 1:04d}",
                    "ry": year,
                    "rn": registers[year],
                    "pid": proc_id,
                    "pc": code,
                    "pn": name,
                    "tid": ticket["id"],
                    "an": "Công dân mẫu",
                    "asr": "cong dan mau",
                    "ch": channel,
                    "fee": fee,
                    "pm": ("online" if channel == "online" and rnd.random() < 0.5 else "cash")
                    if fee
                    else "none",
                    "ld": legal,
                    "rec": received,
                    "due": due,
                    "ldue": due,
                    "clk": received,
                    "ext": rnd.random() < 0.01,
                    "st": status,
                    "res": resolved,
                    "ret": returned,
                    "ref": refused,
                    "ctr": ticket["ctr"],
                    "upd": received,
                }
            )
            component_rows.append({"d": did, "name": "Tờ khai", "o": 1, "sc": rnd.random() < 0.55})
            for frm, to, when in statuses:
                status_rows.append({"d": did, "f": frm, "t": to, "at": when, "due": due})
        with write_session(engine) as session:
            conn = session.connection()
            conn.execute(
                text(
                    "INSERT INTO ticket (id, center_id, service_id, day, prefix, seq, number, "
                    "status, issued_at, queued_at, counter_id, called_at, recall_count, "
                    "last_called_at, started_at, finished_at, outcome, version, updated_at, "
                    "wait_seconds, service_seconds, issue_hour, issue_weekday) "
                    "VALUES (:id, :c, :s, :day, :p, :seq, :num, :st, :iss, :q, :ctr, :call, :rc, "
                    ":lc, :sta, :fin, :out, 1, :upd, :ws, :ss, :ih, :iw)"
                ),
                ticket_rows,
            )
            if rating_rows:
                conn.execute(
                    text(
                        "INSERT INTO rating (ticket_id, counter_id, score, at, source) "
                        "VALUES (:t, :ctr, :score, :at, :src)"
                    ),
                    rating_rows,
                )
            conn.execute(
                text(
                    "INSERT INTO dossier (id, center_id, code, register_year, register_no, "
                    "procedure_id, procedure_code, procedure_name, ticket_id, applicant_name, "
                    "applicant_search, applicant_id_number, applicant_phone, applicant_address, "
                    "applicant_email, submitter_name, submitter_id_number, submitter_phone, "
                    "channel, sets, fee_vnd, payment_method, result_delivery, notes, legal_days, "
                    "day_type, received_at, due_at, legal_due_at, clock_started_at, extended, "
                    "status, resolved_at, returned_at, returned_to, refused_at, refusal_reason, "
                    "counter_id, version, updated_at) VALUES (:id, :c, :code, :ry, :rn, :pid, "
                    ":pc, :pn, :tid, :an, :asr, '', '', '', '', '', '', '', :ch, 1, :fee, :pm, "
                    "'desk', '', :ld, 'working', :rec, :due, :ldue, :clk, :ext, :st, :res, :ret, "
                    "'', :ref, '', :ctr, 1, :upd)"
                ),
                dossier_rows,
            )
            conn.execute(
                text(
                    "INSERT INTO dossier_component (dossier_id, position, name, originals, "
                    "certified_copies, photocopies, scanned) VALUES (:d, 1, :name, :o, 0, 0, :sc)"
                ),
                component_rows,
            )
            conn.execute(
                text(
                    "INSERT INTO dossier_status (dossier_id, from_status, to_status, at, reason, "
                    "due_at, source) VALUES (:d, :f, :t, :at, '', :due, 'demo')"
                ),
                status_rows,
            )
            for prefix, last in seqs.items():
                conn.execute(
                    text(
                        "INSERT INTO daily_sequence (scope, day, last) VALUES (:s, :d, :l) "
                        "ON CONFLICT (scope, day) DO UPDATE SET last = excluded.last"
                    ),
                    {"s": f"ticket:{center_id}:{prefix}", "d": day, "l": last},
                )
            conn.execute(
                text(
                    "INSERT INTO daily_sequence (scope, day, last) VALUES (:s, :d, :l) "
                    "ON CONFLICT (scope, day) DO UPDATE SET last = excluded.last"
                ),
                {"s": f"dossier:{agency}", "d": day, "l": n_dossiers},
            )
            for year, last in registers.items():
                conn.execute(
                    text(
                        "INSERT INTO daily_sequence (scope, day, last) VALUES (:s, :d, :l) "
                        "ON CONFLICT (scope, day) DO UPDATE SET last = "
                        "CASE WHEN excluded.last > daily_sequence.last THEN excluded.last "
                        "ELSE daily_sequence.last END"
                    ),
                    {"s": f"register:{agency}", "d": date(year, 1, 1), "l": last},
                )
        counts["dossiers"] += len(dossier_rows)
        counts["tickets"] += len(ticket_rows)
        counts["ratings"] += len(rating_rows)
        counts["statuses"] += len(status_rows)
        if progress is not None:
            progress(counts["dossiers"], dossiers)
    return counts
