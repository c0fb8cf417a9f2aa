"""Reports for a period, as one-stop centers report them, from SQL aggregates.

Every figure is computed by the database (``GROUP BY`` / conditional sums); Python
only arranges the aggregated rows. Waiting and service times are bucketed to the
minute in SQL and their median and 90th percentile read from the buckets.

Definitions (domain.md §7):
- received: carried over (received before the period, neither resolved nor refused
  before it) and new (received in it), by channel;
- resolved in the period: early (resolved on an earlier day than due), on time
  (on the due day, however late in the day), late (a later day). The due date is
  the current one: after an extension or a supplement that restarted the clock;
- in processing at the period's end: within time (due at or after the end) or past
  due;
- supplement requests and refusals made in the period;
- shares: online submissions, online payments (of dossiers with a fee), digitised
  dossiers (a scanned component);
- queue: tickets by service and hour, waiting (issue → call) and service
  (start → finish) times, no-show rate, counter utilisation (service time over
  the working hours of the period), per officer; satisfaction per counter and officer;
- the service-index groups of QĐ 766/QĐ-TTg that desk has data for (scored as a
  provincial system computes them: [S], see domain.md §7.3).
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import Engine, text

from db.engine import read_session

STAGE_SAMPLE = 20_000
"""Stage durations are measured on the period's latest dossiers, at most this many."""
ONLINE_TARGET = 0.7
"""QĐ 766 target share of online dossiers at commune level [S]."""


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime
    """Exclusive."""

    @classmethod
    def days(cls, first: date, last: date) -> Period:
        return cls(
            datetime.combine(first, time()), datetime.combine(last + timedelta(days=1), time())
        )

    @property
    def label(self) -> str:
        last = (self.end - timedelta(days=1)).date()
        return f"{self.start.date().isoformat()} – {last.isoformat()}"


@dataclass
class Report:
    period: Period
    dossiers: dict[str, Any] = field(default_factory=dict)
    by_field: list[dict[str, Any]] = field(default_factory=list)
    by_procedure: list[dict[str, Any]] = field(default_factory=list)
    queue: dict[str, Any] = field(default_factory=dict)
    by_service: list[dict[str, Any]] = field(default_factory=list)
    by_hour: list[dict[str, Any]] = field(default_factory=list)
    heatmap: list[dict[str, Any]] = field(default_factory=list)
    by_counter: list[dict[str, Any]] = field(default_factory=list)
    by_officer: list[dict[str, Any]] = field(default_factory=list)
    stuck_procedures: list[dict[str, Any]] = field(default_factory=list)
    stages: list[dict[str, Any]] = field(default_factory=list)
    index_766: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["period"] = {
            "from": self.period.start.date().isoformat(),
            "to": (self.period.end - timedelta(days=1)).date().isoformat(),
        }
        return data

    def tables(self) -> list[tuple[str, list[str], list[list[Any]]]]:
        """(title, headers, rows) for the table, CSV and spreadsheet outputs."""
        out: list[tuple[str, list[str], list[list[Any]]]] = []
        out.append(("dossiers", ["measure", "value"], [[k, v] for k, v in self.dossiers.items()]))
        out.append(("queue", ["measure", "value"], [[k, v] for k, v in self.queue.items()]))
        out.append(("index_766", ["group", "points"], [[k, v] for k, v in self.index_766.items()]))
        for title, rows in (
            ("by_field", self.by_field),
            ("by_procedure", self.by_procedure),
            ("by_service", self.by_service),
            ("by_hour", self.by_hour),
            ("by_counter", self.by_counter),
            ("by_officer", self.by_officer),
            ("stuck_procedures", self.stuck_procedures),
            ("stages", self.stages),
            ("heatmap", self.heatmap),
        ):
            headers = list(rows[0]) if rows else []
            out.append((title, headers, [[r[h] for h in headers] for r in rows]))
        return out


# --- SQL that runs on SQLite and PostgreSQL -------------------------------------------


class _Dialect:
    def __init__(self, name: str) -> None:
        self.pg = name == "postgresql"

    def minutes(self, start: str, end: str) -> str:
        if self.pg:
            return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0)"
        return f"((julianday({end}) - julianday({start})) * 1440.0)"

    def day(self, column: str) -> str:
        # SQLite keeps datetimes as ISO text: the date is its first ten characters
        return f"CAST({column} AS DATE)" if self.pg else f"substr({column}, 1, 10)"

    def hour(self, column: str) -> str:
        return (
            f"CAST(EXTRACT(HOUR FROM {column}) AS INTEGER)"
            if self.pg
            else (f"CAST(strftime('%H', {column}) AS INTEGER)")
        )

    def weekday(self, column: str) -> str:
        """0 Sunday … 6 Saturday on both."""
        return (
            f"CAST(EXTRACT(DOW FROM {column}) AS INTEGER)"
            if self.pg
            else (f"CAST(strftime('%w', {column}) AS INTEGER)")
        )

    def whole_minutes(self, minutes: str) -> str:
        """Whole minutes, after rounding to the second (julianday arithmetic is
        floating point: 15 minutes must not come out as 14.99999)."""
        return f"(CAST(ROUND(({minutes}) * 60) AS INTEGER) / 60)"


def _share(part: float, whole: float) -> float:
    return round(part / whole, 4) if whole else 0.0


def _percentiles(buckets: list[tuple[int, int]], *qs: float) -> list[float | None]:
    """Percentiles from (minute, count) buckets, sorted by minute."""
    total = sum(c for _m, c in buckets)
    if not total:
        return [None for _ in qs]
    out: list[float | None] = []
    for q in qs:
        rank = q * total
        seen = 0
        for minute, count in buckets:
            seen += count
            if seen >= rank:
                out.append(float(minute))
                break
    return out


def build_report(engine: Engine, period: Period, hours_per_day: float = 8.0) -> Report:
    report = Report(period)
    d = _Dialect(engine.dialect.name)
    p: dict[str, Any] = {"start": period.start, "end": period.end, "stage_sample": STAGE_SAMPLE}
    first_day, last_day = period.start.date(), (period.end - timedelta(days=1)).date()
    p["first_day"], p["last_day"] = first_day, last_day

    def run(part: Callable[[Callable[[str], list[Any]]], None]) -> None:
        # one connection per part: SQLite serves concurrent readers, and the two
        # parts (dossiers, queue) run side by side on two cores
        with read_session(engine) as session:
            conn = session.connection()

            def rows(sql: str) -> list[Any]:
                return list(conn.execute(text(sql), p).all())

            part(rows)

    def dossier_part(rows: Callable[[str], list[Any]]) -> None:
        # --- dossiers ----------------------------------------------------------------
        due_day, res_day = d.day("due_at"), d.day("resolved_at")
        # the dossiers that matter: received in the period, or received before it and
        # still open at its start; each half is found through an index, not a full scan
        columns = (
            "received_at, resolved_at, refused_at, due_at, channel, fee_vnd, payment_method, "
            "extended"
        )
        (summary,) = rows(
            f"""
            SELECT
              SUM(CASE WHEN received_at < :start THEN 1 ELSE 0 END),
              SUM(CASE WHEN received_at >= :start THEN 1 ELSE 0 END),
              SUM(CASE WHEN received_at >= :start AND channel = 'direct' THEN 1 ELSE 0 END),
              SUM(CASE WHEN received_at >= :start AND channel = 'online' THEN 1 ELSE 0 END),
              SUM(CASE WHEN received_at >= :start AND channel = 'postal' THEN 1 ELSE 0 END),
              SUM(CASE WHEN resolved_at >= :start AND resolved_at < :end
                        AND due_at IS NOT NULL AND {res_day} < {due_day} THEN 1 ELSE 0 END),
              SUM(CASE WHEN resolved_at >= :start AND resolved_at < :end
                        AND (due_at IS NULL OR {res_day} = {due_day}) THEN 1 ELSE 0 END),
              SUM(CASE WHEN resolved_at >= :start AND resolved_at < :end
                        AND {res_day} > {due_day} THEN 1 ELSE 0 END),
              SUM(CASE WHEN (resolved_at IS NULL OR resolved_at >= :end)
                        AND (refused_at IS NULL OR refused_at >= :end)
                        AND (due_at IS NULL OR due_at >= :end) THEN 1 ELSE 0 END),
              SUM(CASE WHEN (resolved_at IS NULL OR resolved_at >= :end)
                        AND (refused_at IS NULL OR refused_at >= :end)
                        AND due_at < :end THEN 1 ELSE 0 END),
              SUM(CASE WHEN refused_at >= :start AND refused_at < :end THEN 1 ELSE 0 END),
              0,
              SUM(CASE WHEN received_at >= :start AND fee_vnd > 0 THEN 1 ELSE 0 END),
              SUM(CASE WHEN received_at >= :start AND fee_vnd > 0 AND payment_method = 'online'
                       THEN 1 ELSE 0 END),
              SUM(CASE WHEN received_at >= :start AND extended THEN 1 ELSE 0 END)
            FROM (
              SELECT {columns} FROM dossier WHERE received_at >= :start AND received_at < :end
              UNION ALL
              SELECT {columns} FROM dossier
              WHERE (resolved_at >= :start OR resolved_at IS NULL) AND received_at < :start
                AND (refused_at IS NULL OR refused_at >= :start)
            ) live
            """
        )
        (returned_in_period,) = rows(
            "SELECT COUNT(*) FROM dossier WHERE returned_at >= :start AND returned_at < :end"
        )[0]
        (
            carried,
            new,
            direct,
            online,
            postal,
            early,
            on_time,
            late,
            within,
            past_due,
            refused,
            _returned,
            with_fee,
            paid_online,
            extended,
        ) = (int(x or 0) for x in summary)
        returned = int(returned_in_period)
        (supplements,) = rows(
            "SELECT COUNT(*) FROM dossier_status WHERE to_status = 'supplement_requested' "
            "AND at >= :start AND at < :end"
        )[0]
        (digitised,) = rows(
            "SELECT COUNT(*) FROM dossier d WHERE d.received_at >= :start AND d.received_at < :end "
            "AND EXISTS (SELECT 1 FROM dossier_component c WHERE c.dossier_id = d.id AND c.scanned)"
        )[0]
        report.dossiers = {
            "received_total": carried + new,
            "carried_over": carried,
            "received_new": new,
            "received_direct": direct,
            "received_online": online,
            "received_postal": postal,
            "resolved_early": early,
            "resolved_on_time": on_time,
            "resolved_late": late,
            "processing_within_time": within,
            "processing_past_due": past_due,
            "supplement_requests": int(supplements),
            "refused": refused,
            "returned": returned,
            "extended": extended,
            "online_share": _share(online, new),
            "online_payment_share": _share(paid_online, with_fee),
            "digitised_share": _share(int(digitised), new),
        }

        # --- by field and by procedure --------------------------------------------------
        per_proc_rows = rows(
            f"""
            SELECT procedure_code,
                   COUNT(*),
                   SUM(CASE WHEN resolved_at >= :start AND resolved_at < :end
                             AND (due_at IS NULL OR {res_day} <= {due_day})
                            THEN 1 ELSE 0 END),
                   SUM(CASE WHEN resolved_at >= :start AND resolved_at < :end
                             AND {res_day} > {due_day} THEN 1 ELSE 0 END),
                   SUM(CASE WHEN (resolved_at IS NULL OR resolved_at >= :end)
                             AND (refused_at IS NULL OR refused_at >= :end)
                             AND due_at < :end THEN 1 ELSE 0 END),
                   SUM(CASE WHEN refused_at >= :start AND refused_at < :end THEN 1 ELSE 0 END)
            FROM dossier
            WHERE received_at >= :start AND received_at < :end
            GROUP BY procedure_code
            """
        )
        # supplement requests of the period's dossiers, by procedure (via the status index)
        supplement_by_proc = {
            code: int(n)
            for code, n in rows(
                """
                SELECT d.procedure_code, COUNT(DISTINCT s.dossier_id)
                FROM dossier_status s JOIN dossier d ON d.id = s.dossier_id
                WHERE s.to_status = 'supplement_requested' AND s.at >= :start AND s.at < :end
                  AND d.received_at >= :start AND d.received_at < :end
                GROUP BY d.procedure_code
                """
            )
        }
        names = {
            code: (name, fld or "")
            for code, name, fld in rows("SELECT code, name, field FROM procedure")
        }
        per_proc = [
            (
                code,
                *names.get(code, (code, "")),
                received,
                in_time,
                late_p,
                overdue,
                refused_p,
                supplement_by_proc.get(code, 0),
            )
            for code, received, in_time, late_p, overdue, refused_p in per_proc_rows
        ]
        fields: dict[str, dict[str, Any]] = {}
        for code, name, fld, received, in_time, late_p, overdue, refused_p, supp in per_proc:
            entry = {
                "code": code,
                "name": name,
                "field": fld,
                "received": int(received),
                "resolved_in_time": int(in_time or 0),
                "resolved_late": int(late_p or 0),
                "past_due": int(overdue or 0),
                "refused": int(refused_p or 0),
                "supplement_requested": int(supp or 0),
            }
            report.by_procedure.append(entry)
            agg = fields.setdefault(
                fld,
                {
                    "field": fld,
                    "received": 0,
                    "resolved_in_time": 0,
                    "resolved_late": 0,
                    "past_due": 0,
                    "refused": 0,
                    "supplement_requested": 0,
                    "procedures": 0,
                },
            )
            for key in (
                "received",
                "resolved_in_time",
                "resolved_late",
                "past_due",
                "refused",
                "supplement_requested",
            ):
                agg[key] += entry[key]
            agg["procedures"] += 1
        report.by_procedure.sort(key=lambda e: (-e["received"], e["code"]))
        report.by_field = sorted(fields.values(), key=lambda e: (-e["received"], e["field"]))

        # --- where people get stuck ----------------------------------------------------------
        stuck = []
        for e in report.by_procedure:
            n = e["received"]
            stuck.append(
                {
                    "code": e["code"],
                    "name": e["name"],
                    "received": n,
                    "supplement_rate": _share(e["supplement_requested"], n),
                    "refusal_rate": _share(e["refused"], n),
                    "overdue_rate": _share(e["resolved_late"] + e["past_due"], n),
                }
            )
        stuck.sort(
            key=lambda e: (
                -(e["supplement_rate"] + e["refusal_rate"] + e["overdue_rate"]),
                -e["received"],
                e["code"],
            )
        )
        report.stuck_procedures = stuck[:20]
        stage_rows = rows(
            f"""
            SELECT to_status, COUNT(*), AVG(minutes), MAX(minutes) FROM (
              SELECT s.to_status,
                     {d.minutes("s.at", "COALESCE(LEAD(s.at) OVER (PARTITION BY s.dossier_id ORDER BY s.at, s.id), :end)")} AS minutes
              FROM dossier_status s
              WHERE s.dossier_id IN (SELECT id FROM dossier WHERE received_at >= :start AND received_at < :end
                                     ORDER BY received_at DESC LIMIT :stage_sample)
                AND s.at < :end
            ) x
            WHERE to_status NOT IN ('returned', 'refused')
            GROUP BY to_status ORDER BY AVG(minutes) DESC
            """
        )
        report.stages = [
            {
                "status": s,
                "dossiers": int(n),
                "avg_hours": round(float(a or 0) / 60, 1),
                "max_hours": round(float(m or 0) / 60, 1),
            }
            for s, n, a, m in stage_rows
        ]

    def queue_part(rows: Callable[[str], list[Any]]) -> None:
        # --- the queue (integer columns kept at call and finish; see db.models.Ticket) ------
        in_period = "day >= :first_day AND day <= :last_day"
        service_names = {sid: prefix for sid, prefix in rows("SELECT id, prefix FROM service")}
        buckets: list[tuple[Any, Any, Any, Any, Any]] = [
            (sid, status_, w, None, n)
            for sid, status_, w, n in rows(
                f"""
                SELECT service_id, status, wait_seconds / 60, COUNT(*)
                FROM ticket WHERE {in_period}
                GROUP BY service_id, status, wait_seconds / 60
                """
            )
        ]
        served_rows = rows(
            f"""
            SELECT counter_id, officer_id, service_id, service_seconds / 60, COUNT(*),
                   SUM(service_seconds)
            FROM ticket WHERE {in_period} AND status = 'done' AND service_seconds IS NOT NULL
            GROUP BY counter_id, officer_id, service_id, service_seconds / 60
            """
        )
        for _cid, _oid, sid, v, n, _secs in served_rows:
            buckets.append((sid, "served-time", None, v, n))
        per_service: dict[int, dict[str, Any]] = {}
        waits: dict[int, dict[int, int]] = {}
        serves: dict[int, dict[int, int]] = {}
        all_waits: dict[int, int] = {}
        all_serves: dict[int, int] = {}
        totals = {"tickets": 0, "served": 0, "no_show": 0}
        for sid, status_, w, v, n in buckets:
            n = int(n)
            if status_ == "served-time":  # the service-time histogram of served tickets
                bucket = serves.setdefault(sid, {})
                bucket[int(v)] = bucket.get(int(v), 0) + n
                all_serves[int(v)] = all_serves.get(int(v), 0) + n
                continue
            e = per_service.setdefault(
                sid,
                {"service": service_names.get(sid, "?"), "tickets": 0, "served": 0, "no_show": 0},
            )
            e["tickets"] += n
            totals["tickets"] += n
            if status_ == "done":
                e["served"] += n
                totals["served"] += n
            if status_ == "no_show":
                e["no_show"] += n
                totals["no_show"] += n
            if w is not None and int(w) >= 0:
                bucket = waits.setdefault(sid, {})
                bucket[int(w)] = bucket.get(int(w), 0) + n
                all_waits[int(w)] = all_waits.get(int(w), 0) + n
        for sid, e in sorted(per_service.items(), key=lambda kv: kv[1]["service"]):
            wm, w90 = _percentiles(sorted(waits.get(sid, {}).items()), 0.5, 0.9)
            sm, s90 = _percentiles(sorted(serves.get(sid, {}).items()), 0.5, 0.9)
            e.update(
                wait_median_min=wm,
                wait_p90_min=w90,
                service_median_min=sm,
                service_p90_min=s90,
                no_show_rate=_share(e["no_show"], e["tickets"]),
            )
            report.by_service.append(e)
        wm, w90 = _percentiles(sorted(all_waits.items()), 0.5, 0.9)
        sm, s90 = _percentiles(sorted(all_serves.items()), 0.5, 0.9)
        report.queue = {
            **totals,
            "no_show_rate": _share(totals["no_show"], totals["tickets"]),
            "wait_median_min": wm,
            "wait_p90_min": w90,
            "service_median_min": sm,
            "service_p90_min": s90,
        }
        hour_rows = rows(
            f"""
            SELECT issue_weekday, issue_hour, COUNT(*), AVG(wait_seconds) / 60.0
            FROM ticket WHERE {in_period}
            GROUP BY issue_weekday, issue_hour ORDER BY issue_weekday, issue_hour
            """
        )
        hours: dict[int, list[float]] = {}
        for wd, h, n, avg in hour_rows:
            if wd is None or h is None:
                continue
            report.heatmap.append(
                {
                    "weekday": int(wd),
                    "hour": int(h),
                    "tickets": int(n),
                    "avg_wait_min": round(float(avg), 1) if avg is not None else None,
                }
            )
            acc = hours.setdefault(int(h), [0.0, 0.0, 0.0])
            acc[0] += int(n)
            if avg is not None:
                acc[1] += float(avg) * int(n)
                acc[2] += int(n)
        report.by_hour = [
            {
                "hour": h,
                "tickets": int(v[0]),
                "avg_wait_min": round(v[1] / v[2], 1) if v[2] else None,
            }
            for h, v in sorted(hours.items())
        ]
        working_days = rows(f"SELECT COUNT(DISTINCT day) FROM ticket WHERE {in_period}")[0][0] or 0
        open_minutes = int(working_days) * hours_per_day * 60
        rating_rows = rows(
            """
            SELECT counter_id, officer_id, score, COUNT(*)
            FROM rating WHERE at >= :start AND at < :end GROUP BY counter_id, officer_id, score
            """
        )
        counter_numbers = {cid: int(n) for cid, n in rows("SELECT id, number FROM counter")}
        usernames = {oid: name for oid, name in rows("SELECT id, username FROM officer")}
        by_counter: dict[int, dict[str, float]] = {
            cid: {"served": 0, "seconds": 0, "satisfied": 0, "ratings": 0}
            for cid in counter_numbers
        }
        by_officer: dict[Any, dict[str, float]] = {}
        for cid, oid, _sid, _v, n, secs in served_rows:
            for key, table in ((cid, by_counter), (oid, by_officer)):
                if key is None and table is by_counter:
                    continue
                acc2 = table.setdefault(
                    key, {"served": 0, "seconds": 0, "satisfied": 0, "ratings": 0}
                )
                acc2["served"] += int(n)
                acc2["seconds"] += int(secs or 0)
        scores: dict[int, int] = {}
        for cid, oid, score, n in rating_rows:
            scores[int(score)] = scores.get(int(score), 0) + int(n)
            sat = int(n) if int(score) >= 2 else 0
            for key, table in ((cid, by_counter), (oid, by_officer)):
                if key is None and table is by_counter:
                    continue
                acc2 = table.setdefault(
                    key, {"served": 0, "seconds": 0, "satisfied": 0, "ratings": 0}
                )
                acc2["satisfied"] += int(sat or 0)
                acc2["ratings"] += int(n)
        for cid, acc2 in sorted(by_counter.items(), key=lambda kv: counter_numbers.get(kv[0], 0)):
            report.by_counter.append(
                {
                    "counter": counter_numbers.get(cid, 0),
                    "served": int(acc2["served"]),
                    "utilisation": _share(acc2["seconds"] / 60, open_minutes),
                    "ratings": int(acc2["ratings"]),
                    "satisfied_share": _share(acc2["satisfied"], acc2["ratings"]),
                }
            )
        for oid, acc2 in sorted(by_officer.items(), key=lambda kv: -kv[1]["served"]):
            if not acc2["served"] and not acc2["ratings"]:
                continue
            report.by_officer.append(
                {
                    "officer": usernames.get(oid, "-") if oid is not None else "-",
                    "served": int(acc2["served"]),
                    "avg_service_min": round(acc2["seconds"] / 60 / acc2["served"], 1)
                    if acc2["served"]
                    else None,
                    "ratings": int(acc2["ratings"]),
                    "satisfied_share": _share(acc2["satisfied"], acc2["ratings"]),
                }
            )
        rated = sum(scores.values())
        report.queue.update(
            ratings=rated,
            very_satisfied=scores.get(3, 0),
            satisfied=scores.get(2, 0),
            unsatisfied=scores.get(1, 0),
            satisfied_share=_share(scores.get(3, 0) + scores.get(2, 0), rated),
        )

    with ThreadPoolExecutor(max_workers=2) as pool:
        for future in [pool.submit(run, dossier_part), pool.submit(run, queue_part)]:
            future.result()

    # --- QĐ 766 groups desk has data for ----------------------------------------------------
    dz = report.dossiers
    received_all = dz["received_total"]
    progress_ok = dz["processing_within_time"] + dz["resolved_early"] + dz["resolved_on_time"]
    online_share = dz["online_share"]
    report.index_766 = {
        "tien_do_giai_quyet_20": round(20 * _share(progress_ok, received_all), 2),
        "dich_vu_cong_truc_tuyen_12": round(12 * min(1.0, online_share / ONLINE_TARGET), 2),
        "thanh_toan_truc_tuyen_10": round(10 * dz["online_payment_share"], 2),
        "muc_do_hai_long_18": round(18 * report.queue["satisfied_share"], 2),
        "so_hoa_ho_so_22": round(22 * dz["digitised_share"], 2),
        "cong_khai_minh_bach_18": None,
    }
    return report


def dossiers_of(
    engine: Engine,
    period: Period,
    field_name: str | None = None,
    procedure: str | None = None,
    limit: int = 200,
) -> list[dict[str, Any]]:
    """Drill-down: the dossiers received in the period, of a field or a procedure."""
    where = ["d.received_at >= :start", "d.received_at < :end"]
    params: dict[str, Any] = {"start": period.start, "end": period.end, "limit": limit}
    if field_name is not None:
        where.append("COALESCE(p.field, '') = :field")
        params["field"] = field_name
    if procedure is not None:
        where.append("d.procedure_code = :procedure")
        params["procedure"] = procedure
    with read_session(engine) as session:
        result = (
            session.connection()
            .execute(
                text(
                    "SELECT d.code, d.procedure_code, d.status, d.received_at, d.due_at, d.resolved_at "
                    "FROM dossier d LEFT JOIN procedure p ON p.id = d.procedure_id "
                    f"WHERE {' AND '.join(where)} ORDER BY d.received_at DESC LIMIT :limit"
                ),
                params,
            )
            .all()
        )
    return [
        {"code": c, "procedure": pc, "status": s, "received_at": r, "due_at": du, "resolved_at": rs}
        for c, pc, s, r, du, rs in result
    ]
