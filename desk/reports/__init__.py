"""Reports for a period, as one-stop centers report them to the province (QĐ 766).

Parts, each a top-level function returning a frozen dataclass:
``dossiers`` (received, resolved, open), ``fields`` (by procedure and field, and
the drill-down), ``stuck`` (where people get stuck, stages), ``queue`` (tickets,
waits), ``ratings`` (satisfaction, counters, officers), ``index`` (the QĐ 766
groups desk has data for); ``report`` composes them; ``tables`` lays a report out
for people (labelled sections for the table, CSV and spreadsheet outputs).

Rules:
- Every figure is computed by the database (``GROUP BY`` and conditional sums);
  Python only arranges aggregated rows.
- Reports only read: building one writes nothing.
- A report is of one center (``center_id``): a database that also holds other
  centers' rows (a mirror of the province's centers, a center whose agency code
  changed) has every query keep to the center's rows (``Scope.mine``); with one
  center in the database every row is its own and no filter is added, so the
  covering report indexes keep serving the usual case.
- Early / on time / late follow ``[reports] timeliness``:
  ``day`` (TT 01/2018 Điều 13, time used against the time allowed): late is a
  result on a later day than the due day; early is a result on an earlier day, or,
  for a time limit shorter than one working day (same-day procedures), before the
  due time; on time is the rest of the due day. ``appointment`` (the provincial
  system): early is before the appointment printed on the receipt (to the minute),
  late is after it, on time is at that minute. Both use the current due date
  (after an extension, or a supplement that restarted the clock).
- A dossier waiting for the citizen's supplement is never past due: it has its own
  group, and counts as "trả lại" in the QĐ 766 progress score.
"""

from desk.reports.fields import dossiers_of
from desk.reports.period import TIMELINESS, Period, Timeliness
from desk.reports.report import Report, build_report

__all__ = ["TIMELINESS", "Period", "Report", "Timeliness", "build_report", "dossiers_of"]
