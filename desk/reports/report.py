"""One period's report, composed from its parts.

The parts run in two groups side by side, one connection each (SQLite serves
concurrent readers): the dossier side (figures, procedures and fields, stages) and
the queue side (queue, ratings, then appointments). Each part returns a frozen
dataclass; the report holds them and derives the rest (fields, stuck procedures,
the QĐ 766 index).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass
from typing import Any

from sqlalchemy import Engine

from db.engine import read_session
from desk import clock
from desk.reports.appointments import AppointmentFigures, appointment_figures
from desk.reports.dossiers import DossierFigures, dossier_figures
from desk.reports.fields import FieldFigures, ProcedureFigures, by_field, by_procedure
from desk.reports.index import Index766, index_766
from desk.reports.period import (
    DEFAULT_SESSIONS,
    Period,
    Scope,
    Sessions,
    Timeliness,
    other_centers,
)
from desk.reports.queue import QueueFigures, queue_figures
from desk.reports.ratings import Ratings, rating_figures
from desk.reports.stuck import Stage, StuckProcedure, stages, stuck_procedures


@dataclass(frozen=True)
class Report:
    period: Period
    timeliness: Timeliness
    dossiers: DossierFigures
    by_procedure: tuple[ProcedureFigures, ...]
    by_field: tuple[FieldFigures, ...]
    stuck_procedures: tuple[StuckProcedure, ...]
    stages: tuple[Stage, ...]
    queue: QueueFigures
    ratings: Ratings
    index_766: Index766
    appointments: AppointmentFigures

    def to_dict(self) -> dict[str, Any]:
        """The stable machine form (``desk report --format json``): snake_case keys."""
        queue = asdict(self.queue)
        ratings = asdict(self.ratings)
        return {
            "period": {
                "from": self.period.first_day.isoformat(),
                "to": self.period.last_day.isoformat(),
            },
            "timeliness": self.timeliness,
            "dossiers": asdict(self.dossiers),
            "by_field": [asdict(f) for f in self.by_field],
            "by_procedure": [asdict(p) for p in self.by_procedure],
            "queue": {
                **{k: v for k, v in queue.items() if k not in ("by_service", "by_hour", "heatmap")},
                **{k: v for k, v in ratings.items() if k not in ("by_counter", "by_officer")},
            },
            "by_service": [{"service": s.pop("prefix"), **s} for s in queue["by_service"]],
            "by_hour": queue["by_hour"],
            "heatmap": queue["heatmap"],
            "by_counter": ratings["by_counter"],
            "by_officer": ratings["by_officer"],
            "stuck_procedures": [asdict(s) for s in self.stuck_procedures],
            "stages": [asdict(s) for s in self.stages],
            "index_766": asdict(self.index_766),
            "appointments": self._appointments(),
        }

    def _appointments(self) -> dict[str, Any]:
        """The appointment figures; a booking released at the end of its window
        unused is a no-show."""
        a = self.appointments
        return {
            "bookings": a.bookings,
            "by_source": dict(a.by_source),
            "check_ins": a.check_ins,
            "no_shows": a.released,
            "open": a.open,
            "show_rate": None if a.show_rate is None else round(a.show_rate, 4),
            "booked_waits": asdict(a.booked),
            "walk_in_waits": asdict(a.walk_in),
        }


def build_report(
    engine: Engine,
    period: Period,
    sessions: Sessions = DEFAULT_SESSIONS,
    timeliness: Timeliness = "day",
    *,
    center_id: int,
) -> Report:
    """The period's report of the center ``center_id``: a database that holds other
    centers' rows too counts only this center's (``Scope.center_id``)."""
    with read_session(engine) as session:
        others = other_centers(session.connection(), center_id)
    scope = Scope(
        period,
        engine.dialect.name == "postgresql",
        timeliness,
        sessions,
        clock.now(),
        center_id if others else None,
    )

    def dossier_side() -> tuple[DossierFigures, tuple[ProcedureFigures, ...], tuple[Stage, ...]]:
        with read_session(engine) as session:
            conn = session.connection()
            return dossier_figures(conn, scope), by_procedure(conn, scope), stages(conn, scope)

    def queue_side() -> tuple[QueueFigures, Ratings, AppointmentFigures]:
        with read_session(engine) as session:
            conn = session.connection()
            queue, ratings = queue_figures(conn, scope), rating_figures(conn, scope)
        appointments = appointment_figures(
            engine, period.first_day, period.last_day, center_id=center_id
        )
        return queue, ratings, appointments

    with ThreadPoolExecutor(max_workers=2) as pool:
        dossier_future = pool.submit(dossier_side)
        queue_future = pool.submit(queue_side)
        dossiers, procedures, stage_list = dossier_future.result()
        queue, ratings, appointments = queue_future.result()
    return Report(
        period=period,
        timeliness=timeliness,
        dossiers=dossiers,
        by_procedure=procedures,
        by_field=by_field(procedures),
        stuck_procedures=stuck_procedures(procedures),
        stages=stage_list,
        queue=queue,
        ratings=ratings,
        index_766=index_766(dossiers, ratings),
        appointments=appointments,
    )
