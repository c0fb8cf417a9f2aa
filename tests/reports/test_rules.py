"""The report rules that must agree with the law and the provincial system (issue 16),
each on concrete dates with hand-computed expectations."""

from __future__ import annotations

from datetime import date, datetime

from desk.center.accounts import Actor
from desk.center.runtime import Runtime
from desk.dossiers.lifecycle import Lifecycle
from desk.queue.engine import Queue
from desk.reports import Period, build_report
from tests.reports.conftest import NOVEMBER, at, dossier

DECEMBER = Period.days(date(2026, 12, 1), date(2026, 12, 31))


def test_waiting_for_the_citizen_is_never_past_due(center: Runtime) -> None:
    life = Lifecycle(center.engine, center.config)
    at(2026, 11, 2, 9, 0)  # Monday; 1.004873 takes 3 working days: due Thu 5/11 09:00
    waiting = dossier()
    early = dossier()
    late = dossier()
    at(2026, 11, 3, 9, 0)
    life.request_supplement(waiting, ["Bản sao giấy khai sinh"], "Thiếu")  # never back
    life.resolve(early)
    del late  # still open on 30/11: past due since 5/11

    at(2026, 12, 1, 8, 0)  # the reports are made after the month
    r = build_report(center.engine, NOVEMBER, center_id=center.ids.center)
    d = r.dossiers
    assert (d.received_total, d.resolved_early) == (3, 1)
    assert (d.awaiting_supplement, d.processing_past_due, d.processing_within_time) == (1, 1, 0)
    [proc] = r.by_procedure
    assert (proc.past_due, proc.awaiting_supplement) == (1, 1)
    [field] = r.by_field
    assert (field.past_due, field.awaiting_supplement) == (1, 1)
    # QĐ 766 progress: (1 early + 1 waiting, the formula's "trả lại") / 3 received × 20
    assert r.index_766.tien_do_giai_quyet_20 == 13.33
    # carried into December, still waiting: still not past due
    dec = build_report(center.engine, DECEMBER, center_id=center.ids.center).dossiers
    assert (dec.carried_over, dec.awaiting_supplement, dec.processing_past_due) == (2, 1, 1)
    # a report on a period that ended before the request still sees it open and past due
    at(2026, 11, 9, 8, 0)
    life.resume(waiting)  # complete again: the clock restarts, due Thu 12/11 08:00
    at(2026, 12, 1, 8, 0)
    after = build_report(center.engine, NOVEMBER, center_id=center.ids.center).dossiers
    assert (after.awaiting_supplement, after.processing_within_time) == (0, 0)
    assert after.processing_past_due == 2
    early_days = build_report(
        center.engine,
        Period.days(date(2026, 11, 1), date(2026, 11, 6)),
        center_id=center.ids.center,
    )
    assert early_days.dossiers.awaiting_supplement == 1  # on 6/11 it was still waiting


def _timeliness_month(center: Runtime) -> None:
    life = Lifecycle(center.engine, center.config)
    at(2026, 11, 2, 8, 0)
    same_day = dossier("1.001193")  # khai sinh, same day: due Mon 2/11 17:00
    at(2026, 11, 2, 9, 0)  # 1.004873: due Thu 5/11 09:00
    day_before, at_nine, half_past_four = dossier(), dossier(), dossier()
    at(2026, 11, 2, 10, 0)
    life.resolve(same_day)  # seven hours before closing
    at(2026, 11, 4, 15, 0)
    life.resolve(day_before)
    at(2026, 11, 5, 9, 0)
    life.resolve(at_nine)  # at the appointment
    at(2026, 11, 5, 16, 30)
    life.resolve(half_past_four)  # on the due day, seven and a half hours after it


def test_early_and_late_by_the_due_day(center: Runtime) -> None:
    _timeliness_month(center)
    r = build_report(center.engine, NOVEMBER, timeliness="day", center_id=center.ids.center)
    d = r.dossiers
    # the same-day result at 10:00 used less than its time: early (TT 01/2018 Điều 13)
    assert (d.resolved_early, d.resolved_on_time, d.resolved_late) == (2, 2, 0)
    assert r.timeliness == "day" and r.to_dict()["timeliness"] == "day"


def test_early_and_late_by_the_appointment(center: Runtime) -> None:
    _timeliness_month(center)
    r = build_report(center.engine, NOVEMBER, timeliness="appointment", center_id=center.ids.center)
    d = r.dossiers
    # 16:30 against a 09:00 appointment is late; 09:00 is on time
    assert (d.resolved_early, d.resolved_on_time, d.resolved_late) == (2, 1, 1)
    proc = next(p for p in r.by_procedure if p.code == "1.004873")
    assert (proc.resolved_in_time, proc.resolved_late) == (2, 1)
    assert r.to_dict()["timeliness"] == "appointment"


def test_a_median_of_an_even_count_is_the_mean_of_the_middle_two(center: Runtime) -> None:
    q = Queue(center)
    for minute in range(6):  # A001 … A006 issued at 8:00 … 8:05
        at(2026, 11, 2, 8, minute)
        q.issue("A")
    # called one after another at counter 1: waits 2, 5, 5, 13, 20, 24 minutes
    for issued, wait in enumerate((2, 5, 5, 13, 20, 24)):
        at(2026, 11, 2, 8, issued + wait)
        q.call_next(1)
        q.start(1)
    r = build_report(center.engine, NOVEMBER, center_id=center.ids.center)
    assert r.queue.tickets == 6
    assert r.queue.wait_median_min == 9.0  # (5 + 13) / 2
    [a] = r.queue.by_service
    assert a.wait_median_min == 9.0
    assert a.wait_p90_min == 24.0


def test_an_extension_does_not_count_a_dossier_twice_in_its_stage(center: Runtime) -> None:
    life = Lifecycle(center.engine, center.config)
    at(2026, 11, 2, 10, 0)
    codes = [dossier() for _ in range(10)]  # due Thu 5/11 10:00
    at(2026, 11, 3, 9, 0)
    life.extend(codes[0], datetime(2026, 11, 10, 17, 0), "Chờ xác minh")
    at(2026, 12, 2, 9, 0)  # November is over
    r = build_report(center.engine, NOVEMBER, center_id=center.ids.center)
    [received] = [s for s in r.stages if s.status == "received"]
    assert received.dossiers == 10
    # each waits from 2/11 10:00 to the period's end, 1/12 00:00: 28 days 14 hours
    assert (received.avg_hours, received.max_hours) == (686.0, 686.0)


def test_a_stage_still_open_counts_up_to_now_in_a_period_not_over(center: Runtime) -> None:
    """November's report made on 4/11 at 10:00: a dossier received on 2/11 at 10:00
    and still there has waited 48 hours, not the 686 hours to the month's end (the
    old figure, which made a stage look stuck for weeks that had not come yet)."""
    life = Lifecycle(center.engine, center.config)
    at(2026, 11, 2, 10, 0)
    waiting, asked = dossier(), dossier()
    at(2026, 11, 3, 10, 0)
    life.request_supplement(asked, ["Bản sao giấy khai sinh"], "Thiếu")
    at(2026, 11, 4, 10, 0)
    del waiting
    stages = {
        s.status: s
        for s in build_report(center.engine, NOVEMBER, center_id=center.ids.center).stages
    }
    assert (stages["received"].avg_hours, stages["received"].max_hours) == (36.0, 48.0)
    assert stages["supplement_requested"].max_hours == 24.0
    at(2026, 12, 2, 9, 0)  # made after the month: up to its end
    stages = {
        s.status: s
        for s in build_report(center.engine, NOVEMBER, center_id=center.ids.center).stages
    }
    assert stages["received"].max_hours == 686.0


def test_repeated_supplement_requests_count_where_people_get_stuck(center: Runtime) -> None:
    life = Lifecycle(center.engine, center.config)
    at(2026, 11, 2, 9, 0)
    asked_twice, never_asked = dossier(), dossier()
    at(2026, 11, 3, 9, 0)
    life.request_supplement(asked_twice, ["Bản sao giấy khai sinh"], "Thiếu")
    at(2026, 11, 4, 9, 0)
    life.resume(asked_twice)
    at(2026, 11, 5, 9, 0)
    director = Actor(id=1, username="giamdoc", full_name="Giám đốc", role="supervisor")
    life.request_supplement(
        asked_twice,
        ["Giấy xác nhận cư trú"],
        "Phát hiện thiếu khi thẩm định",
        approved_by=director,  # a second request needs a supervisor (issue 16)
    )
    del never_asked
    r = build_report(center.engine, NOVEMBER, center_id=center.ids.center)
    [stuck] = r.stuck_procedures
    assert (stuck.code, stuck.handled, stuck.supplement_requests) == ("1.004873", 2, 2)
    assert stuck.supplement_rate == 1.0  # two requests for two dossiers
    [proc] = r.by_procedure
    assert (proc.supplement_requested, proc.supplement_dossiers) == (2, 1)
    assert r.dossiers.supplement_requests == 2


def test_a_dossier_due_later_today_is_not_past_due_yet(center: Runtime) -> None:
    """November's report made on Thu 5/11: a dossier received Mon 2/11 at 09:00 is due
    Thu 5/11 at 09:00 (3 working days). At 08:00 it is within its time; at 09:30 it is
    past due. The old rule compared the due time with the end of the month, so a
    dossier due later today (or any day of the month still to come) read as past due."""
    at(2026, 11, 2, 9, 0)
    dossier()
    at(2026, 11, 5, 8, 0)
    d = build_report(center.engine, NOVEMBER, center_id=center.ids.center)
    assert (d.dossiers.processing_within_time, d.dossiers.processing_past_due) == (1, 0)
    [proc] = d.by_procedure
    assert proc.past_due == 0
    at(2026, 11, 5, 9, 30)
    d = build_report(center.engine, NOVEMBER, center_id=center.ids.center)
    assert (d.dossiers.processing_within_time, d.dossiers.processing_past_due) == (0, 1)
    [proc] = d.by_procedure
    assert proc.past_due == 1
