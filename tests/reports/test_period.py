"""Reports on a small hand-built center month where every number is known."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desk import clock
from desk.center.runtime import DEMO_CATALOGUE, Runtime
from desk.dossiers.catalogue import import_catalogue
from desk.dossiers.lifecycle import Lifecycle
from desk.queue.engine import Queue
from desk.queue.ratings import last_unrated, rate
from desk.reports.period import Period, build_report, dossiers_of
from tests.dossiers.test_intake import ComponentInput, form, save

NOVEMBER = Period.days(date(2026, 11, 1), date(2026, 11, 30))


def at(*args: int) -> None:
    moment = datetime(*args)  # type: ignore[arg-type]
    clock.set_clock(lambda: moment)


def dossier(procedure: str = "1.004873", **changes: object) -> str:
    plain = [ComponentInput(name="Tờ khai", originals="1")]  # not scanned
    [saved] = save(
        RT[0], form(procedure_code=procedure, **{"fee": "", "components": plain, **changes})
    )
    return saved.code


RT: list[Runtime] = []


@pytest.fixture
def month(runtime: Runtime) -> Runtime:
    """A November at the center (1.004873: 3 working days)."""
    RT[:] = [runtime]
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    life = Lifecycle(runtime.engine, runtime.config)
    at(2026, 10, 28, 9, 0)
    d0 = dossier()  # carried over, resolved late in November
    at(2026, 11, 2, 9, 0)
    d1 = dossier(fee="6.000")  # due 5/11 09:00
    at(2026, 11, 2, 10, 0)
    d2 = dossier()  # resolved early
    d3 = dossier()  # supplement, clock restarted
    d4 = dossier()  # extended once
    d5 = dossier()  # refused
    at(2026, 11, 2, 11, 0)
    life.refuse(d5, "Không thuộc thẩm quyền")
    at(2026, 11, 3, 9, 0)
    life.resolve(d0)  # due 30/10: late
    life.resolve(d2)  # due 5/11: early
    life.request_supplement(d3, ["Bản sao giấy khai sinh"], "Thiếu")
    life.extend(d4, datetime(2026, 11, 10, 17, 0), "Chờ xác minh")
    at(2026, 11, 5, 16, 0)
    life.resolve(d1)  # on its due day, late in the day: on time
    at(2026, 11, 9, 8, 0)
    life.resume(d3)  # due again 12/11 08:00
    at(2026, 11, 10, 15, 0)
    life.resolve(d4)  # the extended due day: on time
    at(2026, 11, 12, 8, 0)
    life.resolve(d3)  # on the restarted due day: on time
    at(2026, 11, 16, 9, 0)
    dossier(  # online, paid online, scanned; past due at the month's end
        channel="online",
        fee="8.000",
        payment_method="online",
        components=[ComponentInput(name="Tờ khai", originals="1", scanned=True)],
    )
    at(2026, 11, 27, 15, 0)
    dossier(procedure="1.004884")  # 5 days: due in December, within time
    at(2026, 12, 1, 9, 0)
    dossier()  # December: not in the report

    # the queue of Monday 2/11
    q = Queue(runtime)
    for minute, service in ((0, "A"), (1, "A"), (2, "A"), (5, "B")):
        at(2026, 11, 2, 8, minute)
        q.issue(service)
    at(2026, 11, 2, 8, 10)
    q.call_next(1)  # A001 waited 10
    q.start(1)
    at(2026, 11, 2, 8, 15)
    q.finish(1)  # served 5
    ticket = last_unrated(runtime.engine, runtime.ids.counters[1])
    assert ticket is not None and ticket.number == "A001"
    rate(runtime.engine, ticket.ticket_id, 3)
    at(2026, 11, 2, 8, 21)
    q.call_next(1)  # A002 waited 20
    q.start(1)
    at(2026, 11, 2, 8, 36)
    q.finish(1)  # served 15
    rate(runtime.engine, last_unrated(runtime.engine, runtime.ids.counters[1]).ticket_id, 1)  # type: ignore[union-attr]
    at(2026, 11, 2, 8, 27)
    q.call_next(1)  # A003 waited 25
    q.recall(1)
    q.recall(1)
    at(2026, 11, 2, 8, 30)
    q.no_show(1)
    at(2026, 11, 2, 8, 35)
    q.call_next(3)  # B001 waited 30
    q.start(3)
    at(2026, 11, 2, 8, 45)
    q.finish(3)  # served 10
    return runtime


def test_dossier_figures(month: Runtime) -> None:
    r = build_report(month.engine, NOVEMBER)
    assert r.dossiers == {
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
        "supplement_requests": 1,
        "refused": 1,
        "returned": 0,
        "extended": 1,
        "online_share": round(1 / 7, 4),
        "online_payment_share": 0.5,
        "digitised_share": round(1 / 7, 4),
    }
    [field] = [f for f in r.by_field if f["field"] == "Hộ tịch"]
    assert (field["received"], field["procedures"], field["refused"]) == (7, 2, 1)
    proc = next(p for p in r.by_procedure if p["code"] == "1.004873")
    assert (proc["received"], proc["supplement_requested"], proc["past_due"]) == (6, 1, 1)
    top = r.stuck_procedures[0]
    assert top["code"] == "1.004873"
    assert (top["refusal_rate"], top["supplement_rate"]) == (round(1 / 6, 4), round(1 / 6, 4))
    stages = {s["status"]: s for s in r.stages}
    assert stages["supplement_requested"]["dossiers"] == 1
    # 3/11 09:00 → 9/11 08:00 waiting for the citizen's supplement: 143 hours
    assert stages["supplement_requested"]["avg_hours"] == 143.0
    # points by QĐ 766 where desk has data: progress (1 within + 1 early + 3 on time) / 8
    assert r.index_766["tien_do_giai_quyet_20"] == 12.5
    assert r.index_766["muc_do_hai_long_18"] == 9.0
    assert r.index_766["cong_khai_minh_bach_18"] is None
    december = build_report(month.engine, Period.days(date(2026, 12, 1), date(2026, 12, 31)))
    assert december.dossiers["carried_over"] == 2  # the two still in processing
    assert december.dossiers["received_new"] == 1


def test_queue_figures(month: Runtime) -> None:
    r = build_report(month.engine, NOVEMBER)
    q = r.queue
    assert (q["tickets"], q["served"], q["no_show"], q["no_show_rate"]) == (4, 3, 1, 0.25)
    assert (q["wait_median_min"], q["wait_p90_min"]) == (20.0, 30.0)
    assert (q["service_median_min"], q["service_p90_min"]) == (10.0, 15.0)
    assert (q["ratings"], q["very_satisfied"], q["unsatisfied"], q["satisfied_share"]) == (
        2,
        1,
        1,
        0.5,
    )
    a = next(s for s in r.by_service if s["service"] == "A")
    assert (a["tickets"], a["served"], a["wait_median_min"], a["wait_p90_min"]) == (
        3,
        2,
        20.0,
        25.0,
    )
    # (10 + 20 + 25 + 30) / 4 = 21.25 minutes, shown to a tenth
    [hour] = r.by_hour
    assert (hour["hour"], hour["tickets"]) == (8, 4)
    assert hour["avg_wait_min"] == pytest.approx(21.25, abs=0.051)
    [cell] = r.heatmap
    assert (cell["weekday"], cell["hour"], cell["tickets"]) == (1, 8, 4)  # Monday, 8 h
    counters = {c["counter"]: c for c in r.by_counter}
    assert counters[1]["served"] == 2 and counters[1]["utilisation"] == round(20 / 480, 4)
    assert counters[3]["served"] == 1 and counters[3]["utilisation"] == round(10 / 480, 4)
    assert (counters[1]["ratings"], counters[1]["satisfied_share"]) == (2, 0.5)


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
    listed = dossiers_of(month.engine, NOVEMBER, field_name="Hộ tịch")
    assert len(listed) == 7
    assert [d["procedure"] for d in dossiers_of(month.engine, NOVEMBER, procedure="1.004884")] == [
        "1.004884"
    ]


async def test_the_dashboard_by_keyboard(month: Runtime) -> None:
    from textual.widgets import DataTable, Sparkline, Static

    from screens.admin import AdminScreen
    from screens.app import DeskApp
    from tests.conftest import signed_in
    from tests.screens.test_counter import settle

    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, AdminScreen)

        def shown(selector: str) -> str:
            return str(screen.query_one(selector, Static).render())

        assert shown("#admin-period") == "Tháng: 2026-11-01 – 2026-11-30"
        bars = shown("#overview-bars")
        assert "Tiếp nhận mới" in bars and "Giải quyết quá hạn" in bars and "█" in bars
        assert "Tiến độ giải quyết (20)" in shown("#overview-766")
        await pilot.press("2")
        await pilot.pause()
        assert screen.query_one("#queue-spark", Sparkline).data[1] == 4.0  # 8 h: four tickets
        heat = shown("#queue-heatmap")
        assert heat.splitlines()[1].startswith("T2") and "██" in heat.splitlines()[1]
        await pilot.press("3")
        await pilot.pause()
        table = screen.query_one("#fields-table", DataTable)
        assert app.focused is table
        assert table.get_row_at(0)[0] == "Hộ tịch"
        await pilot.press("enter")  # the field's procedures
        await pilot.pause()
        assert "Hộ tịch › thủ tục" in shown("#fields-path")
        assert table.get_row_at(0)[0] == "1.004873"
        await pilot.press("enter")  # the procedure's dossiers
        await settle(app, pilot)
        assert table.row_count == 6
        assert str(table.get_row_at(0)[0]).startswith("000.31.27.H31-2611")
        await pilot.press("backspace")
        await pilot.pause()
        assert table.get_row_at(0)[0] == "1.004873"
        await pilot.press("4")
        await pilot.pause()
        assert "1.004873" in shown("#stuck-table") and "Chờ bổ sung" in shown("#stuck-table")
        await pilot.press("5")
        await pilot.pause()
        assert "Đánh giá: 2" in shown("#satisfaction-table")
        await pilot.press("left_square_bracket")  # October
        await settle(app, pilot)
        assert shown("#admin-period") == "Tháng: 2026-10-01 – 2026-10-31"
        await pilot.press("q")
        await settle(app, pilot)
        assert shown("#admin-period") == "Quý: 2026-10-01 – 2026-12-31"


def test_report_command_in_every_format(month: Runtime, db_url: str, tmp_path, staff) -> None:  # type: ignore[no-untyped-def]
    import csv
    import io
    import json

    from openpyxl import load_workbook

    from tests.center.test_config import desk
    from tests.conftest import SUPERVISOR, SUPERVISOR_ENV

    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}
    args = ("report", *SUPERVISOR, "--from", "2026-11-01", "--to", "2026-11-30")
    data = json.loads(desk(*args, "--format", "json", env=env).stdout)
    assert data["period"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert data["dossiers"]["resolved_on_time"] == 3 and data["queue"]["tickets"] == 4
    rows = list(csv.reader(io.StringIO(desk(*args, "--format", "csv", env=env).stdout)))
    assert ["resolved_late", "1"] in rows and ["[by_service]"] in rows
    table = desk(*args, env=env).stdout
    assert "received_new" in table and "2026-11-01 – 2026-11-30" in table
    out = tmp_path / "november.xlsx"
    done = desk(*args, "--format", "xlsx", "--output", str(out), env=env)
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    sheet = book["dossiers"]
    values = {r[0].value: r[1].value for r in sheet.iter_rows(min_row=2)}
    assert values["refused"] == 1 and values["carried_over"] == 1
    bad = desk("report", *SUPERVISOR, "--from", "2026-11-30", "--to", "2026-11-01", env=env)
    assert bad.returncode == 2 and "--to: expected a date on or after --from" in bad.stderr
    assert desk(*args, "--format", "xlsx", env=env).returncode == 1


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
    year = build_report(rt.engine, Period.days(date(2025, 1, 1), date(2027, 12, 31)))
    assert year.dossiers["received_new"] == 500 and year.queue["tickets"] == 1500
    assert 0 < year.dossiers["resolved_late"] < year.dossiers["resolved_early"]
    assert year.queue["wait_median_min"] is not None
