"""The period's dossiers by procedure and by field (lĩnh vực), and the drill-down
list of one field's or one procedure's dossiers.

Counted, as the official report does and as the overview counts, over the dossiers
the period handles ("nhận giải quyết"): those received in it and those received
before it and still open at its start ("kỳ trước chuyển sang"). Each is resolved in
time (early or on time by the scope's rule) or late, still open at the period's end
within time or past due (never one that waits for the citizen's supplement), waiting
for the citizen's supplement, or refused — exactly one of these, so they add up to
the dossiers handled —; and supplement requests made in the period (each request
counts: a dossier asked twice counts twice).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Engine, text

from db.engine import read_session
from desk import clock
from desk.reports.dossiers import AT_END, column_at_end, live_dossiers, status_at_end
from desk.reports.period import Period, Scope, Timeliness

AT_END_FIGURES = (
    "resolved_in_time",
    "resolved_late",
    "processing_within_time",
    "past_due",
    "awaiting_supplement",
    "refused",
)
"""The figure of each column of :data:`~desk.reports.dossiers.AT_END`, in its order."""


class Counted:
    """What a field's and a procedure's rows share: the dossiers the period handled
    and the column (:data:`~desk.reports.dossiers.AT_END`) each is counted in."""

    received: int
    carried_over: int
    resolved_in_time: int
    resolved_late: int
    processing_within_time: int
    past_due: int
    awaiting_supplement: int
    refused: int

    @property
    def handled(self) -> int:
        """The dossiers the period handled ("nhận giải quyết"): carried over and new."""
        return self.received + self.carried_over

    @property
    def at_end(self) -> tuple[int, ...]:
        """The counts in AT_END's columns, in its order: they add up to :attr:`handled`."""
        return tuple(getattr(self, name) for name in AT_END_FIGURES)


@dataclass(frozen=True)
class ProcedureFigures(Counted):
    code: str
    name: str
    field: str
    received: int
    """Received in the period ("tiếp nhận mới")."""
    carried_over: int
    """Received before the period and still open at its start ("kỳ trước chuyển sang")."""
    resolved_in_time: int
    resolved_late: int
    processing_within_time: int
    """Open at the period's end and not yet due (the official "đang giải quyết trong hạn")."""
    past_due: int
    awaiting_supplement: int
    refused: int
    supplement_requested: int
    """Supplement requests made in the period for these dossiers (every request)."""
    supplement_dossiers: int
    """How many of these dossiers were asked for a supplement at least once."""


@dataclass(frozen=True)
class FieldFigures(Counted):
    field: str
    received: int
    carried_over: int
    resolved_in_time: int
    resolved_late: int
    processing_within_time: int
    past_due: int
    awaiting_supplement: int
    refused: int
    supplement_requested: int
    procedures: int


def by_procedure(conn: Connection, scope: Scope) -> tuple[ProcedureFigures, ...]:
    columns = (
        "procedure_code, received_at, resolved_at, refused_at, due_at, "
        f"{scope.outcome()} AS outcome, {status_at_end()} AS status_at_end"
    )
    in_column = ",\n".join(
        f"SUM(CASE WHEN at_end = '{column}' THEN 1 ELSE 0 END)" for column in AT_END
    )
    rows = scope.rows(
        conn,
        f"""
        SELECT procedure_code,
               SUM(CASE WHEN received_at >= :start THEN 1 ELSE 0 END),
               SUM(CASE WHEN received_at < :start THEN 1 ELSE 0 END),
               {in_column}
        FROM (
          SELECT procedure_code, received_at, {column_at_end()} AS at_end
          FROM {live_dossiers(columns, scope)} live
        ) counted
        GROUP BY procedure_code
        """,
    )
    # supplement requests made in the period for the dossiers it handles, by procedure
    supplements = {
        str(code): (int(requests), int(dossiers))
        for code, requests, dossiers in scope.rows(
            conn,
            f"""
            SELECT d.procedure_code, COUNT(*), COUNT(DISTINCT s.dossier_id)
            FROM dossier_status s
            JOIN {live_dossiers("id, procedure_code", scope)} d ON d.id = s.dossier_id
            WHERE s.to_status = 'supplement_requested' AND s.at >= :start AND s.at < :end
            GROUP BY d.procedure_code
            """,
        )
    }
    names = {
        str(code): (str(name), str(fld or ""))
        for code, name, fld in scope.rows(conn, "SELECT code, name, field FROM procedure")
    }
    out = []
    # the columns in AT_END's order
    for code, received, carried, in_time_n, late, within, past_due, awaiting, refused in rows:
        name, fld = names.get(str(code), (str(code), ""))
        requests, asked = supplements.get(str(code), (0, 0))
        out.append(
            ProcedureFigures(
                code=str(code),
                name=name,
                field=fld,
                received=int(received or 0),
                carried_over=int(carried or 0),
                resolved_in_time=int(in_time_n or 0),
                resolved_late=int(late or 0),
                processing_within_time=int(within or 0),
                past_due=int(past_due or 0),
                awaiting_supplement=int(awaiting or 0),
                refused=int(refused or 0),
                supplement_requested=requests,
                supplement_dossiers=asked,
            )
        )
    out.sort(key=lambda p: (-p.handled, p.code))
    return tuple(out)


def by_field(procedures: tuple[ProcedureFigures, ...]) -> tuple[FieldFigures, ...]:
    """The procedures' figures summed per field."""
    groups: dict[str, list[ProcedureFigures]] = {}
    for p in procedures:
        groups.setdefault(p.field, []).append(p)
    out = [
        FieldFigures(
            field=fld,
            received=sum(p.received for p in ps),
            carried_over=sum(p.carried_over for p in ps),
            resolved_in_time=sum(p.resolved_in_time for p in ps),
            resolved_late=sum(p.resolved_late for p in ps),
            processing_within_time=sum(p.processing_within_time for p in ps),
            past_due=sum(p.past_due for p in ps),
            awaiting_supplement=sum(p.awaiting_supplement for p in ps),
            refused=sum(p.refused for p in ps),
            supplement_requested=sum(p.supplement_requested for p in ps),
            procedures=len(ps),
        )
        for fld, ps in groups.items()
    ]
    out.sort(key=lambda f: (-f.handled, f.field))
    return tuple(out)


@dataclass(frozen=True)
class DossierRow:
    code: str
    procedure: str
    status: str
    received_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    at_end: str | None = None
    """The column of view 3's row it is counted in (:data:`desk.reports.dossiers.AT_END`:
    resolved in time or late, open within time or past due, waiting, refused)."""


def dossiers_of(
    engine: Engine,
    period: Period,
    field_name: str | None = None,
    procedure: str | None = None,
    limit: int = 200,
    *,
    center_id: int,
    timeliness: Timeliness = "day",
) -> list[DossierRow]:
    """Drill-down: the center's dossiers the period handled (received in it, or
    carried over into it: the rows of view 3 count these), of a field or a procedure,
    each with the column it is counted in (by the rule of ``timeliness``)."""
    scope = Scope(
        period,
        postgres=engine.dialect.name == "postgresql",
        timeliness=timeliness,
        now=clock.now(),
        center_id=center_id,
    )
    columns = (
        "code, procedure_code, procedure_id, status, received_at, due_at, resolved_at, "
        f"refused_at, {scope.outcome()} AS outcome, {status_at_end()} AS status_at_end"
    )
    where = ["1 = 1"]
    narrow = ""
    params: dict[str, Any] = {**scope.params, "limit": limit}
    if field_name is not None:
        where.append("COALESCE(p.field, '') = :field")
        params["field"] = field_name
    if procedure is not None:  # before each dossier's status at the end is looked up
        narrow = " AND procedure_code = :procedure"
        params["procedure"] = procedure
    with read_session(engine) as session:
        result = (
            session.connection()
            .execute(
                text(
                    "SELECT d.code, d.procedure_code, d.status, d.received_at, d.due_at, "
                    f"d.resolved_at, {column_at_end()} "
                    f"FROM {live_dossiers(columns, scope, narrow)} d "
                    "LEFT JOIN procedure p ON p.id = d.procedure_id "
                    f"WHERE {' AND '.join(where)} ORDER BY d.received_at DESC, d.code LIMIT :limit"
                ).columns(  # datetimes on SQLite too, as DossierRow says (it gave text there)
                    received_at=DateTime, due_at=DateTime, resolved_at=DateTime
                ),
                params,
            )
            .all()
        )
    return [DossierRow(*(tuple(row))) for row in result]
