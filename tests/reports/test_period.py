"""Reports on a small hand-built center month where every number is known."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date, datetime

import pytest

from desk.center.runtime import Runtime
from desk.queue.ratings import last_unrated, rate
from desk.reports import Period, build_report, dossiers_of
from desk.reports.fields import FieldFigures, ProcedureFigures
from tests.reports.conftest import NOVEMBER


def test_dossier_figures(month: Runtime) -> None:
    r = build_report(month.engine, NOVEMBER, center_id=month.ids.center)
    assert asdict(r.dossiers) == {
        "received_total": 8,
        "carried_over": 1,
        "received_new": 7,
        "received_direct": 6,
        "received_online": 1,
        "received_postal": 0,
        "resolved_early": 1,
        "resolved_on_time": 3,
        "resolved_late": 1,
        "processing_within_time": 1,
        "processing_past_due": 1,
        "awaiting_supplement": 0,
        "supplement_requests": 1,
        "refused": 1,
        "returned": 0,
        "extended": 1,
        "online_share": round(1 / 7, 4),
        "online_payment_share": 0.5,
        "digitised_share": round(1 / 7, 4),
    }
    [field] = [f for f in r.by_field if f.field == "Hộ tịch"]
    assert (field.received, field.procedures, field.refused) == (7, 2, 1)
    proc = next(p for p in r.by_procedure if p.code == "1.004873")
    assert (proc.received, proc.supplement_requested, proc.past_due) == (6, 1, 1)
    # each dossier the period handled (received in it, or carried over into it as the
    # overview counts) is in exactly one column: a row adds up to the dossiers handled
    # (the month's one dossier open within its time is of the field's other procedure)
    assert (field.processing_within_time, proc.processing_within_time) == (1, 0)
    assert (field.carried_over, field.handled) == (1, 8)
    assert field.handled == r.dossiers.received_total  # the overview's "nhận giải quyết"
    rows: list[FieldFigures | ProcedureFigures] = [*r.by_field, *r.by_procedure]
    for row in rows:
        parts = (
            row.resolved_in_time,
            row.resolved_late,
            row.processing_within_time,
            row.past_due,
            row.awaiting_supplement,
            row.refused,
        )
        assert row.handled == sum(parts), row
    top = r.stuck_procedures[0]
    assert top.code == "1.004873"
    # of the 7 dossiers it handled (6 new, 1 carried over): one refused, one request
    assert (top.refusal_rate, top.supplement_rate) == (round(1 / 7, 4), round(1 / 7, 4))
    stages = {s.status: s for s in r.stages}
    assert stages["supplement_requested"].dossiers == 1
    # 3/11 09:00 → 9/11 08:00 waiting for the citizen's supplement: 143 hours
    assert stages["supplement_requested"].avg_hours == 143.0
    # points by QĐ 766 where desk has data: progress (1 within + 1 early + 3 on time) / 8
    assert r.index_766.tien_do_giai_quyet_20 == 12.5
    assert r.index_766.muc_do_hai_long_18 == 9.0
    assert r.index_766.cong_khai_minh_bach_18 is None
    december = build_report(
        month.engine, Period.days(date(2026, 12, 1), date(2026, 12, 31)), center_id=month.ids.center
    )
    assert december.dossiers.carried_over == 2  # the two still in processing
    assert december.dossiers.received_new == 1


def test_queue_figures(month: Runtime) -> None:
    r = build_report(month.engine, NOVEMBER, center_id=month.ids.center)
    q = r.queue
    assert (q.tickets, q.served, q.no_show, q.no_show_rate) == (4, 3, 1, 0.25)
    # waits 10, 20, 25, 30: the median of an even count is the mean of the middle two
    assert (q.wait_median_min, q.wait_p90_min) == (22.5, 30.0)
    assert (q.service_median_min, q.service_p90_min) == (10.0, 15.0)
    s = r.ratings
    assert (s.ratings, s.very_satisfied, s.unsatisfied, s.satisfied_share) == (2, 1, 1, 0.5)
    a = next(s for s in q.by_service if s.prefix == "A")
    assert (a.tickets, a.served, a.wait_median_min, a.wait_p90_min) == (3, 2, 20.0, 25.0)
    # (10 + 20 + 25 + 30) / 4 = 21.25 minutes, shown to a tenth
    [hour] = q.by_hour
    assert (hour.hour, hour.tickets) == (8, 4)
    assert hour.avg_wait_min == pytest.approx(21.25, abs=0.051)
    [cell] = q.heatmap
    assert (cell.weekday, cell.hour, cell.tickets) == (1, 8, 4)  # Monday, 8 h
    counters = {c.counter: c for c in s.by_counter}
    assert counters[1].served == 2 and counters[1].utilisation == round(20 / 480, 4)
    assert counters[3].served == 1 and counters[3].utilisation == round(10 / 480, 4)
    assert (counters[1].ratings, counters[1].satisfied_share) == (2, 0.5)


def test_a_ticket_is_rated_once_and_drill_down_lists_dossiers(month: Runtime) -> None:
    ticket = last_unrated(month.engine, month.ids.counters[3], now=datetime(2026, 11, 2, 8, 46))
    assert ticket is not None and ticket.number == "B001"
    assert rate(month.engine, ticket.ticket_id, 2, "terminal")
    assert not rate(month.engine, ticket.ticket_id, 1)  # the first rating counts
    assert (
        last_unrated(month.engine, month.ids.counters[3], now=datetime(2026, 11, 2, 8, 47)) is None
    )
    assert (
        last_unrated(month.engine, month.ids.counters[1], now=datetime(2026, 11, 2, 9, 0)) is None
    )
    listed = dossiers_of(month.engine, NOVEMBER, field_name="Hộ tịch", center_id=month.ids.center)
    # the 7 received in November and October's one still open on 1/11, as view 3 counts
    assert len(listed) == 8
    assert sum(d.received_at < NOVEMBER.start for d in listed) == 1
    # each says the column it is counted in: the director finds the late ones
    field = next(
        f
        for f in build_report(month.engine, NOVEMBER, center_id=month.ids.center).by_field
        if f.field == "Hộ tịch"
    )
    for column, counted in (
        ("in_time", field.resolved_in_time),
        ("late", field.resolved_late),
        ("within", field.processing_within_time),
        ("past_due", field.past_due),
        ("awaiting", field.awaiting_supplement),
        ("refused", field.refused),
    ):
        assert sum(d.at_end == column for d in listed) == counted, column
    assert [
        d.procedure
        for d in dossiers_of(
            month.engine, NOVEMBER, procedure="1.004884", center_id=month.ids.center
        )
    ] == ["1.004884"]


@pytest.mark.early
def test_demo_generate_makes_a_history_reports_can_read(config, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from db.engine import read_session
    from desk.center.runtime import open_runtime
    from tests.center.test_config import desk

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    done = desk(
        "demo", "--generate", "500", "--no-ui", env={"DESK_DB": url, "XDG_DATA_HOME": str(tmp_path)}
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("Đã tạo 500 hồ sơ, 1500 số thứ tự")
    rt = open_runtime(config, url)
    with read_session(rt.engine) as s:
        conn = s.connection()
        assert conn.execute(text("SELECT COUNT(*) FROM dossier")).scalar_one() == 500
        assert conn.execute(text("SELECT COUNT(*) FROM ticket")).scalar_one() == 1500
        demo_rows = "SELECT COUNT(*) FROM outbox WHERE entity IN ('ticket', 'dossier')"
        assert conn.execute(text(demo_rows)).scalar_one() == 0  # a demo history stays local
    year = build_report(
        rt.engine, Period.days(date(2025, 1, 1), date(2027, 12, 31)), center_id=rt.ids.center
    )
    assert year.dossiers.received_new == 500 and year.queue.tickets == 1500
    assert 0 < year.dossiers.resolved_late < year.dossiers.resolved_early
    assert year.queue.wait_median_min is not None


def test_the_same_month_on_postgresql(month: Runtime, config, pg_url: str) -> None:  # type: ignore[no-untyped-def]
    from desk.center.runtime import DEMO_CATALOGUE, open_runtime
    from desk.dossiers.catalogue import import_catalogue
    from tests.reports.conftest import build_month

    on_sqlite = build_report(
        month.engine, NOVEMBER, timeliness="appointment", center_id=month.ids.center
    ).to_dict()
    pg = open_runtime(config, pg_url)
    import_catalogue(pg.engine, DEMO_CATALOGUE)
    build_month(pg)
    for rule in ("day", "appointment"):
        on_pg = build_report(
            pg.engine, NOVEMBER, timeliness=rule, center_id=pg.ids.center
        ).to_dict()
        expected = build_report(
            month.engine, NOVEMBER, timeliness=rule, center_id=month.ids.center
        ).to_dict()
        assert on_pg == expected
    assert on_sqlite["dossiers"]["resolved_late"] == 2


def test_a_day_under_way_counts_its_opening_hours_up_to_now(month: Runtime) -> None:
    """Utilisation on the day itself divides by the opening minutes gone by (07:00 to
    now, the lunch break left out), not by the whole day: at 09:00 a counter that
    served 20 minutes of 120 is at 17 %, not at 4 %."""
    from tests.reports.conftest import at

    day = Period.days(date(2026, 11, 2), date(2026, 11, 2))

    def counter_1() -> float | None:
        report = build_report(month.engine, day, center_id=month.ids.center)
        return next(c for c in report.ratings.by_counter if c.counter == 1).utilisation

    at(2026, 11, 2, 9, 0)
    assert counter_1() == round(20 / 120, 4)
    at(2026, 11, 2, 12, 30)  # the lunch break: the morning's 270 minutes
    assert counter_1() == round(20 / 270, 4)
    at(2026, 11, 2, 14, 0)
    assert counter_1() == round(20 / 300, 4)
    at(2026, 11, 3, 8, 0)  # the day over: all of its 480 minutes
    assert counter_1() == round(20 / 480, 4)
