"""Satisfaction and work per counter and officer.

- ratings given in the period (3 very satisfied, 2 satisfied, 1 unsatisfied); the
  satisfied share counts 3 and 2;
- per counter: tickets served, utilisation (service time over the opening hours of
  the days the queue ran; of a day under way, its opening hours up to now), ratings; per officer: served, mean service time, ratings.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from desk.reports.period import Scope, ratio
from desk.reports.queue import IN_PERIOD


@dataclass(frozen=True)
class CounterFigures:
    counter: int
    served: int
    utilisation: float | None
    ratings: int
    satisfied_share: float | None


@dataclass(frozen=True)
class OfficerFigures:
    officer: str
    served: int
    avg_service_min: float | None
    ratings: int
    satisfied_share: float | None


@dataclass(frozen=True)
class Ratings:
    ratings: int
    very_satisfied: int
    satisfied: int
    unsatisfied: int
    satisfied_share: float | None
    by_counter: tuple[CounterFigures, ...]
    by_officer: tuple[OfficerFigures, ...]


@dataclass
class _Tally:
    served: int = 0
    seconds: int = 0
    satisfied: int = 0
    ratings: int = 0


def rating_figures(conn: Connection, scope: Scope) -> Ratings:
    counters = {
        cid: int(n)
        for cid, n in scope.rows(conn, f"SELECT id, number FROM counter WHERE 1 = 1{scope.mine()}")
    }
    names = {  # as the director knows them (the account name when none)
        oid: str(name or user)
        for oid, name, user in scope.rows(conn, "SELECT id, full_name, username FROM officer")
    }
    by_counter: dict[int, _Tally] = {cid: _Tally() for cid in counters}
    by_officer: dict[int | None, _Tally] = {}
    for cid, oid, n, seconds in scope.rows(
        conn,
        f"""
        SELECT counter_id, officer_id, COUNT(*), SUM(service_seconds)
        FROM ticket WHERE {IN_PERIOD}{scope.mine()} AND status = 'done' AND service_seconds IS NOT NULL
        GROUP BY counter_id, officer_id
        """,
    ):
        tallies = [by_officer.setdefault(oid, _Tally())]
        if cid is not None:
            tallies.append(by_counter.setdefault(cid, _Tally()))
        for tally in tallies:
            tally.served += int(n)
            tally.seconds += int(seconds or 0)
    scores: dict[int, int] = {}
    for cid, oid, score, n in scope.rows(
        conn,
        f"""
        SELECT counter_id, officer_id, score, COUNT(*)
        FROM rating WHERE at >= :start AND at < :end{scope.mine_by("ticket_id", "ticket")}
        GROUP BY counter_id, officer_id, score
        """,
    ):
        scores[int(score)] = scores.get(int(score), 0) + int(n)
        tallies = [by_officer.setdefault(oid, _Tally())]
        if cid is not None:
            tallies.append(by_counter.setdefault(cid, _Tally()))
        for tally in tallies:
            tally.satisfied += int(n) if int(score) >= 2 else 0
            tally.ratings += int(n)
    [(days, last_day)] = scope.rows(
        conn, f"SELECT COUNT(DISTINCT day), MAX(day) FROM ticket WHERE {IN_PERIOD}{scope.mine()}"
    )
    open_minutes = scope.open_minutes(int(days or 0), last_day)
    rated = sum(scores.values())
    return Ratings(
        ratings=rated,
        very_satisfied=scores.get(3, 0),
        satisfied=scores.get(2, 0),
        unsatisfied=scores.get(1, 0),
        satisfied_share=ratio(scores.get(3, 0) + scores.get(2, 0), rated),
        by_counter=tuple(
            CounterFigures(
                counter=counters.get(cid, 0),
                served=t.served,
                # service before opening (07:01, six minutes served since 06:55) would
                # read far over 100 %: a counter is at most fully used
                utilisation=_at_most_one(ratio(t.seconds / 60, open_minutes)),
                ratings=t.ratings,
                satisfied_share=ratio(t.satisfied, t.ratings),
            )
            for cid, t in sorted(by_counter.items(), key=lambda kv: counters.get(kv[0], 0))
        ),
        by_officer=tuple(
            OfficerFigures(
                officer=names.get(oid, "-") if oid is not None else "-",
                served=t.served,
                avg_service_min=round(t.seconds / 60 / t.served, 1) if t.served else None,
                ratings=t.ratings,
                satisfied_share=ratio(t.satisfied, t.ratings),
            )
            for oid, t in sorted(by_officer.items(), key=lambda kv: -kv[1].served)
            if t.served or t.ratings
        ),
    )


def _at_most_one(share: float | None) -> float | None:
    return None if share is None else min(share, 1.0)
