"""The period's dossier figures (domain.md §7.2): received, resolved, still open.

- received: carried over (received before the period, neither resolved nor refused
  before it) and new (received in it), by channel;
- resolved in the period: early, on time or late by the scope's timeliness rule,
  against the current due date (after an extension, or a supplement that restarted
  the clock);
- open at the period's end: waiting for the citizen's supplement ("chờ bổ sung /
  trả lại bổ sung": its clock restarts when the file is complete, NĐ 61 Điều 19
  k4, so it is never past due), else within time (due at or after the end) or past
  due;
- supplement requests (every request, a dossier asked twice counts twice) and
  refusals made in the period; results returned in it;
- shares: online submissions, online payments (of dossiers with a fee), digitised
  dossiers (a scanned component); ``None`` when nothing was received.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from desk.reports.period import Scope, ratio


@dataclass(frozen=True)
class DossierFigures:
    received_total: int
    carried_over: int
    received_new: int
    received_direct: int
    received_online: int
    received_postal: int
    resolved_early: int
    resolved_on_time: int
    resolved_late: int
    processing_within_time: int
    processing_past_due: int
    awaiting_supplement: int
    """Open at the period's end, waiting for the citizen's supplement."""
    supplement_requests: int
    refused: int
    returned: int
    extended: int
    online_share: float | None
    online_payment_share: float | None
    digitised_share: float | None


def status_at_end(table: str = "dossier") -> str:
    """The dossier's status at the period's end, for a dossier still open then (its last
    status row before the end, found through the status index); else NULL."""
    return f"""
        CASE WHEN {open_at_end(table)} THEN (
          SELECT s.to_status FROM dossier_status s
          WHERE s.dossier_id = {table}.id AND s.at < :end
          ORDER BY s.at DESC, s.id DESC LIMIT 1) END
    """


def open_at_end(alias: str = "") -> str:
    """Condition: the dossier is neither resolved nor refused before the period's end."""
    p = f"{alias}." if alias else ""
    return (
        f"({p}resolved_at IS NULL OR {p}resolved_at >= :end) "
        f"AND ({p}refused_at IS NULL OR {p}refused_at >= :end)"
    )


WAITING_AT_END = "COALESCE(status_at_end, '') = 'supplement_requested'"
"""Condition on a row with ``status_at_end`` (:func:`status_at_end`): at the period's end
the dossier waits for the citizen's supplement (its clock stopped)."""


def within_time_at_end() -> str:
    """Condition: open at the period's end, not waiting for a supplement, not yet due
    ("đang giải quyết trong hạn"; a dossier without a due date is within time)."""
    return f"{open_at_end()} AND NOT {WAITING_AT_END} AND (due_at IS NULL OR due_at >= :until)"


def past_due_at_end() -> str:
    """Condition: open at the period's end, not waiting for a supplement, past its due
    date ("đang giải quyết quá hạn")."""
    return f"{open_at_end()} AND NOT {WAITING_AT_END} AND due_at < :until"


def live_dossiers(columns: str, scope: Scope, where: str = "") -> str:
    """A subquery of the dossiers a period handles ("nhận giải quyết"): received in
    it, or received before it and still open at its start ("kỳ trước chuyển sang");
    each half is found through an index, not a full scan. ``where`` (`` AND …``)
    narrows both halves before their columns are computed."""
    return f"""(
          SELECT {columns} FROM dossier
          WHERE received_at >= :start AND received_at < :end{scope.mine()}{where}
          UNION ALL
          SELECT {columns} FROM dossier
          WHERE (resolved_at >= :start OR resolved_at IS NULL) AND received_at < :start
            AND (refused_at IS NULL OR refused_at >= :start){scope.mine()}{where}
        )"""


AT_END = ("in_time", "late", "within", "past_due", "awaiting", "refused")
"""The column of the field and procedure tables a handled dossier is counted in."""


def column_at_end() -> str:
    """The column (:data:`AT_END`) a row with ``outcome``, ``status_at_end``,
    ``resolved_at``, ``refused_at`` and ``due_at`` is counted in: exactly one for each
    dossier the period handled, so a table's row adds up."""
    return f"""CASE
          WHEN outcome IN ('early', 'on_time') THEN 'in_time'
          WHEN outcome = 'late' THEN 'late'
          WHEN refused_at >= :start AND refused_at < :end THEN 'refused'
          WHEN {WAITING_AT_END} THEN 'awaiting'
          WHEN {within_time_at_end()} THEN 'within'
          WHEN {past_due_at_end()} THEN 'past_due'
        END"""


def dossier_figures(conn: Connection, scope: Scope) -> DossierFigures:
    columns = (
        "received_at, resolved_at, refused_at, due_at, channel, fee_vnd, payment_method, "
        f"extended, {scope.outcome()} AS outcome, {status_at_end()} AS status_at_end"
    )
    [summary] = scope.rows(
        conn,
        f"""
        SELECT
          SUM(CASE WHEN received_at < :start THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_at >= :start THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_at >= :start AND channel = 'direct' THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_at >= :start AND channel = 'online' THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_at >= :start AND channel = 'postal' THEN 1 ELSE 0 END),
          SUM(CASE WHEN outcome = 'early' THEN 1 ELSE 0 END),
          SUM(CASE WHEN outcome = 'on_time' THEN 1 ELSE 0 END),
          SUM(CASE WHEN outcome = 'late' THEN 1 ELSE 0 END),
          SUM(CASE WHEN {within_time_at_end()} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {past_due_at_end()} THEN 1 ELSE 0 END),
          SUM(CASE WHEN {WAITING_AT_END} THEN 1 ELSE 0 END),
          SUM(CASE WHEN refused_at >= :start AND refused_at < :end THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_at >= :start AND fee_vnd > 0 THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_at >= :start AND fee_vnd > 0 AND payment_method = 'online'
                   THEN 1 ELSE 0 END),
          SUM(CASE WHEN received_at >= :start AND extended THEN 1 ELSE 0 END)
        FROM {live_dossiers(columns, scope)} live
        """,
    )
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
        awaiting,
        refused,
        with_fee,
        paid_online,
        extended,
    ) = (int(x or 0) for x in summary)
    [(returned,)] = scope.rows(
        conn,
        "SELECT COUNT(*) FROM dossier WHERE returned_at >= :start AND returned_at < :end"
        + scope.mine(),
    )
    [(supplements,)] = scope.rows(
        conn,
        "SELECT COUNT(*) FROM dossier_status WHERE to_status = 'supplement_requested' "
        "AND at >= :start AND at < :end" + scope.mine_by("dossier_id", "dossier"),
    )
    [(digitised,)] = scope.rows(
        conn,
        "SELECT COUNT(*) FROM dossier d WHERE d.received_at >= :start AND d.received_at < :end "
        "AND EXISTS (SELECT 1 FROM dossier_component c WHERE c.dossier_id = d.id AND c.scanned)"
        + scope.mine("d"),
    )
    return DossierFigures(
        received_total=carried + new,
        carried_over=carried,
        received_new=new,
        received_direct=direct,
        received_online=online,
        received_postal=postal,
        resolved_early=early,
        resolved_on_time=on_time,
        resolved_late=late,
        processing_within_time=within,
        processing_past_due=past_due,
        awaiting_supplement=awaiting,
        supplement_requests=int(supplements),
        refused=refused,
        returned=int(returned),
        extended=extended,
        online_share=ratio(online, new),
        online_payment_share=ratio(paid_online, with_fee),
        digitised_share=ratio(int(digitised), new),
    )
