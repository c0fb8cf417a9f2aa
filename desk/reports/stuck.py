"""Where people get stuck: the procedures with most supplement requests, refusals
and overdue dossiers, and the stages dossiers wait longest in.

- rates are per dossier the period handled (received in it or carried over into
  it, as :mod:`desk.reports.fields` counts); the supplement rate counts every
  request (a dossier asked twice weighs twice: the law wants everything missing
  asked for at once);
- a stage is the time from a status change to the next one; each dossier counts
  once per stage, its time there summed (an extension's status row repeats the
  status and starts no new stage); measured on the period's latest dossiers
  (:data:`~desk.reports.period.STAGE_SAMPLE`); a stage still open counts up to the
  period's end, or up to now when the period has not ended (``Scope.until``);
- ``supplement_rate`` is supplement requests per dossier handled (2.0: each was
  asked twice on average), so it is shown as "per dossier", not as a percentage;
- a procedure with all three rates at zero is not listed;
- procedures are ranked by the three rates together, but those with fewer than
  :data:`LEAST` dossiers handled come after the others (one refused dossier out of
  one is a 100 % rate that says little), each group ranked alike.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from desk.reports.fields import ProcedureFigures
from desk.reports.period import Scope, share

TOP = 20
LEAST = 5
"""Procedures with fewer dossiers handled than this rank after the others."""


@dataclass(frozen=True)
class StuckProcedure:
    code: str
    name: str
    handled: int
    """Dossiers the period handled (carried over and new): what the rates count."""
    supplement_requests: int
    supplement_rate: float
    refusal_rate: float
    overdue_rate: float


@dataclass(frozen=True)
class Stage:
    status: str
    dossiers: int
    avg_hours: float
    max_hours: float

    @property
    def waits_for_citizen(self) -> bool:
        """A stage the citizen ends (a result not collected, a supplement not brought),
        not the center."""
        return self.status in CITIZEN_STAGES

    @property
    def avg_days(self) -> float:
        return round(self.avg_hours / 24, 1)

    @property
    def max_days(self) -> float:
        return round(self.max_hours / 24, 1)


CITIZEN_STAGES = ("resolved", "supplement_requested")


def stuck_procedures(procedures: tuple[ProcedureFigures, ...]) -> tuple[StuckProcedure, ...]:
    out = [
        StuckProcedure(
            code=p.code,
            name=p.name,
            handled=p.handled,
            supplement_requests=p.supplement_requested,
            supplement_rate=share(p.supplement_requested, p.handled),
            refusal_rate=share(p.refused, p.handled),
            overdue_rate=share(p.resolved_late + p.past_due, p.handled),
        )
        for p in procedures
    ]
    # a procedure with no request, no refusal and nothing late is not where anyone got stuck
    out = [e for e in out if e.supplement_rate or e.refusal_rate or e.overdue_rate]
    out.sort(
        key=lambda e: (
            e.handled < LEAST,
            -(e.supplement_rate + e.refusal_rate + e.overdue_rate),
            -e.handled,
            e.code,
        )
    )
    return tuple(out[:TOP])


def stages(conn: Connection, scope: Scope) -> tuple[Stage, ...]:
    following = "LEAD(s.at) OVER (PARTITION BY s.dossier_id ORDER BY s.at, s.id)"
    rows = scope.rows(
        conn,
        f"""
        SELECT to_status, COUNT(*), AVG(minutes), MAX(minutes) FROM (
          SELECT to_status, dossier_id, SUM(minutes) AS minutes FROM (
            SELECT s.to_status, s.dossier_id,
                   {scope.minutes("s.at", f"COALESCE({following}, :until)")} AS minutes
            FROM dossier_status s
            WHERE s.dossier_id IN (SELECT id FROM dossier
                                   WHERE received_at >= :start AND received_at < :end
                                         {scope.mine()}
                                   ORDER BY received_at DESC LIMIT :stage_sample)
              AND s.at < :until
              AND (s.from_status IS NULL OR s.from_status <> s.to_status)
          ) segment
          WHERE to_status NOT IN ('returned', 'refused')
          GROUP BY to_status, dossier_id
        ) per_dossier
        GROUP BY to_status ORDER BY AVG(minutes) DESC
        """,
    )
    found = [
        Stage(
            status=str(s),
            dossiers=int(n),
            avg_hours=round(float(a or 0) / 60, 1),
            max_hours=round(float(m or 0) / 60, 1),
        )
        for s, n, a, m in rows
    ]
    # the center's stages first, longest first; then those that wait for the citizen
    return tuple(sorted(found, key=lambda s: s.waits_for_citizen))
