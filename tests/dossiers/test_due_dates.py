"""Due dates on the working-day calendar, with concrete dates across Tết 2026 and
2027, 30/4–1/5, National Day, Saturdays and the 15:00 cut-off."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import select

from db.engine import make_engine, read_session
from db.migrate import HEAD, current_revision, upgrade
from db.models import Holiday
from desk.center.config import Config
from desk.center.runtime import Runtime
from desk.cli.catalogue import _list_holidays
from desk.dossiers.due_dates import (
    WorkCalendar,
    add_holiday,
    list_holidays,
    load_calendar,
    remove_holiday,
    seed_holidays,
)
from tests.conftest import desk_here

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def cal(runtime: Runtime) -> WorkCalendar:
    seed_holidays(runtime.engine, [2026, 2027])
    return load_calendar(runtime.engine, runtime.config.hours)


def test_the_seeded_table_has_tet_and_national_day(runtime: Runtime) -> None:
    seed_holidays(runtime.engine, [2026, 2027])
    days_2026 = {h.day: h.kind for h in list_holidays(runtime.engine, 2026)}
    for d in (date(2026, 1, 1), date(2026, 2, 17), date(2026, 4, 30), date(2026, 5, 1)):
        assert days_2026[d] == "holiday"
    assert days_2026[date(2026, 9, 1)] == days_2026[date(2026, 9, 2)] == "holiday"
    # the package's swap: Monday 31/8 off, Saturday 22/8 worked instead
    assert days_2026[date(2026, 8, 31)] == "holiday"
    assert days_2026[date(2026, 8, 22)] == "workday"
    days_2027 = {h.day for h in list_holidays(runtime.engine, 2027)}
    assert {date(2027, 2, d) for d in range(5, 11)} <= days_2027
    assert {date(2027, 9, 2), date(2027, 9, 3)} <= days_2027


def test_seeding_twice_adds_nothing_and_a_removed_day_stays_removed(runtime: Runtime) -> None:
    assert list_holidays(runtime.engine, date.today().year)  # seeded when the runtime opened
    first = seed_holidays(runtime.engine, [2030])
    assert first > 10
    assert remove_holiday(runtime.engine, date(2030, 4, 30))
    assert seed_holidays(runtime.engine, [2030]) == 0
    assert date(2030, 4, 30) not in {h.day for h in list_holidays(runtime.engine, 2030)}


@pytest.mark.parametrize(
    ("received", "days", "expected"),
    [
        # Tết 2026: 16–20/2 off (Mon–Fri)
        (datetime(2026, 2, 13, 10, 0), 0, datetime(2026, 2, 13, 17, 0)),
        (datetime(2026, 2, 13, 15, 30), 0, datetime(2026, 2, 23, 17, 0)),
        (datetime(2026, 2, 13, 15, 0), 0, datetime(2026, 2, 23, 17, 0)),  # 15:00 is "after"
        (datetime(2026, 2, 13, 14, 59), 0, datetime(2026, 2, 13, 17, 0)),
        (datetime(2026, 2, 13, 10, 0), 3, datetime(2026, 2, 25, 10, 0)),
        (datetime(2026, 2, 12, 14, 0), 5, datetime(2026, 2, 26, 14, 0)),
        # Tết 2027: 4–10/2 off (Thu–Wed, with the weekend)
        (datetime(2027, 2, 3, 15, 10), 0, datetime(2027, 2, 11, 17, 0)),
        (datetime(2027, 2, 3, 9, 0), 1, datetime(2027, 2, 11, 9, 0)),
        # Hùng Kings (observed Mon 27/4/2026), 30/4 and 1/5 2026
        (datetime(2026, 4, 24, 16, 0), 1, datetime(2026, 4, 28, 16, 0)),
        (datetime(2026, 4, 29, 9, 0), 2, datetime(2026, 5, 5, 9, 0)),
        # National Day 2026: 31/8, 1/9 and 2/9 off; Saturday 22/8 worked
        (datetime(2026, 8, 21, 10, 0), 1, datetime(2026, 8, 22, 10, 0)),
        (datetime(2026, 8, 28, 10, 0), 3, datetime(2026, 9, 7, 10, 0)),
        # National Day 2027: 2/9 and 3/9 off (Thu, Fri)
        (datetime(2027, 9, 1, 16, 0), 0, datetime(2027, 9, 6, 17, 0)),
        # received at lunch, before opening, after closing
        (datetime(2026, 3, 10, 12, 0), 0.5, datetime(2026, 3, 11, 7, 30)),
        (datetime(2026, 3, 10, 6, 0), 1, datetime(2026, 3, 10, 17, 0)),
        (datetime(2026, 3, 10, 18, 0), 1, datetime(2026, 3, 11, 17, 0)),
        # a fractional committed time: 2.5 working days
        (datetime(2026, 3, 9, 7, 0), 2.5, datetime(2026, 3, 11, 11, 0)),
    ],
)
def test_working_day_due_dates(
    cal: WorkCalendar, received: datetime, days: float, expected: datetime
) -> None:
    assert cal.due_at(received, days) == expected


def test_the_cut_off_can_apply_to_every_dossier(cal: WorkCalendar) -> None:
    received = datetime(2026, 3, 9, 15, 30)
    assert cal.due_at(received, 3) == datetime(2026, 3, 12, 15, 30)
    assert cal.due_at(received, 3, cutoff_applies="all") == datetime(2026, 3, 12, 17, 0)


def test_calendar_days_move_off_a_day_off(cal: WorkCalendar) -> None:
    # 13/2/2026 + 5 days = 18/2, in Tết: due at closing on the next working day
    assert cal.due_at(datetime(2026, 2, 13, 10, 0), 5, "calendar") == datetime(2026, 2, 23, 17, 0)
    assert cal.due_at(datetime(2026, 3, 2, 10, 0), 2, "calendar") == datetime(2026, 3, 4, 10, 0)
    # lands on Saturday 7/3 → Monday 9/3
    assert cal.due_at(datetime(2026, 3, 2, 10, 0), 5, "calendar") == datetime(2026, 3, 9, 17, 0)


def test_saturday_mornings_count_when_configured(config: Config, cal: WorkCalendar) -> None:
    friday = datetime(2026, 3, 13, 14, 0)
    assert cal.due_at(friday, 1) == datetime(2026, 3, 16, 14, 0)
    hours = config.hours.model_copy(update={"saturday_counts": True})
    saturdays = WorkCalendar(hours=hours, holidays=cal.holidays, workdays=cal.workdays)
    # 3 h on Friday, 4.5 h on Saturday morning, 0.5 h on Monday
    assert saturdays.due_at(friday, 1) == datetime(2026, 3, 16, 7, 30)
    # a same-day procedure received on a Saturday morning is due at its noon closing
    assert saturdays.due_at(datetime(2026, 3, 14, 9, 0), 0) == datetime(2026, 3, 14, 11, 30)


def test_holidays_command_adds_and_removes_make_up_days(
    runtime: Runtime, db_url: str, staff: dict[str, object]
) -> None:
    from tests.conftest import SUPERVISOR, SUPERVISOR_ENV

    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}
    out = desk_here(
        "holidays", "add", *SUPERVISOR, "2026-03-14", "--workday", "--name", "Làm bù", env=env
    )
    assert out.returncode == 0, out.stderr
    cal = load_calendar(runtime.engine, runtime.config.hours)
    assert cal.due_at(datetime(2026, 3, 13, 10, 0), 1) == datetime(2026, 3, 14, 10, 0)
    listed = desk_here("holidays", "list", "--year", "2026", env=env)
    assert "2026-03-14" in listed.stdout and "Làm bù" in listed.stdout
    assert "2026-02-17" in listed.stdout
    out = desk_here("holidays", "remove", *SUPERVISOR, "2026-03-14", env=env)
    assert out.returncode == 0, out.stderr
    cal = load_calendar(runtime.engine, runtime.config.hours)
    assert cal.due_at(datetime(2026, 3, 13, 10, 0), 1) == datetime(2026, 3, 16, 10, 0)
    bad = desk_here("holidays", "add", "14/03/2026", env=env)
    assert bad.returncode == 2
    assert "YYYY-MM-DD" in bad.stderr
    add_holiday(runtime.engine, date(2026, 3, 20), "holiday", "Nghỉ địa phương")
    assert "Nghỉ địa phương" in desk_here("holidays", "list", "--year", "2026", env=env).stdout


def test_holidays_add_refuses_what_the_week_already_is_and_names_what_it_replaces(
    runtime: Runtime, db_url: str, staff: dict[str, object], tmp_path: Path
) -> None:
    """A Sunday marked as a day off, or a Wednesday as a make-up working day, changed
    nothing and was accepted silently; a day already in the table was replaced
    silently."""
    from tests.conftest import SUPERVISOR, SUPERVISOR_ENV

    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}

    def add(*args: str, config: dict[str, str] | None = None) -> tuple[int, str]:
        done = desk_here("holidays", "add", *SUPERVISOR, *args, env={**env, **(config or {})})
        return done.returncode, (done.stdout + done.stderr).strip()

    assert add("2026-12-27") == (
        1,
        "2026-12-27 là Chủ nhật, vốn đã là ngày nghỉ của trung tâm: chỉ thêm ngày nghỉ vào "
        "một ngày làm việc",
    )
    assert add("2026-12-23", "--workday") == (
        1,
        "2026-12-23 là thứ Tư, vốn đã là ngày làm việc: --workday dành cho thứ Bảy hoặc "
        "Chủ nhật phải đi làm",
    )
    code, said = add("2026-12-26")  # a Saturday the center neither opens nor counts
    assert code == 1 and "hours.saturday_morning và hours.saturday_counts" in said
    with read_session(runtime.engine) as session:
        days = {h.day for h in session.exec(select(Holiday))}
    assert {date(2026, 12, 27), date(2026, 12, 23), date(2026, 12, 26)}.isdisjoint(days)
    # open on Saturday mornings, a Saturday off means something: the kiosk stays shut
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    opens = tmp_path / "saturdays.toml"
    opens.write_text(text.replace("saturday_morning = false", "saturday_morning = true"), "utf-8")
    assert add("2026-12-26", config={"DESK_CONFIG": str(opens)}) == (0, "2026-12-26: ngày nghỉ")
    # a Saturday worked is a make-up day whatever the configuration
    assert add("2026-12-19", "--workday") == (0, "2026-12-19: ngày làm bù")
    assert add("2026-09-02", "--name", "Lễ Quốc khánh") == (
        0,
        "2026-09-02: ngày nghỉ, thay cho mục đã có trong bảng: Quốc khánh (ngày nghỉ) → "
        "Lễ Quốc khánh (ngày nghỉ)",
    )
    # a Saturday in the table as worked goes back to a day off: that is a change
    assert add("2026-12-19") == (
        0,
        "2026-12-19: ngày nghỉ, thay cho mục đã có trong bảng: — (ngày làm bù) → — (ngày nghỉ)",
    )


# --- official decisions layered over the package (issue 16) ---------------------------


def test_new_year_2026_swap_from_the_government_notice(cal: WorkCalendar) -> None:
    # VPCP 12729/VPCP-KGVX (25/12/2025): Fri 02/01/2026 off, Sat 10/01/2026 worked
    assert cal.due_at(datetime(2025, 12, 31, 16, 0), 1) == datetime(2026, 1, 5, 16, 0)
    assert not cal.is_working_day(date(2026, 1, 2))
    assert cal.is_working_day(date(2026, 1, 10))
    # 1 working day from Fri 09/01 16:00 is due on the make-up Saturday
    assert cal.due_at(datetime(2026, 1, 9, 16, 0), 1) == datetime(2026, 1, 10, 16, 0)


def test_a_database_seeded_before_the_notice_gets_it_and_local_edits_win(
    runtime: Runtime,
) -> None:
    from sqlmodel import col, delete

    from db.engine import write_session
    from db.models import Holiday, Setting

    # as an older desk left it: 2026 seeded from the package only
    with write_session(runtime.engine) as session:
        session.execute(delete(Holiday).where(col(Holiday.source) == "official"))
        session.execute(delete(Setting).where(col(Setting.key) == "holidays_official:2026"))
    add_holiday(runtime.engine, date(2026, 1, 10), "holiday", "Nghỉ địa phương")
    seed_holidays(runtime.engine, [2026])
    rows = {h.day: (h.kind, h.source) for h in list_holidays(runtime.engine, 2026)}
    assert rows[date(2026, 1, 2)] == ("holiday", "official")
    assert rows[date(2026, 1, 10)] == ("holiday", "manual")  # the center's edit stays
    # a removed official day does not come back
    assert remove_holiday(runtime.engine, date(2026, 1, 2))
    seed_holidays(runtime.engine, [2026])
    assert date(2026, 1, 2) not in {h.day for h in list_holidays(runtime.engine, 2026)}


def test_a_year_not_seeded_yet_is_computed_then_seeded_when_listed(runtime: Runtime) -> None:
    cal = load_calendar(runtime.engine, runtime.config.hours)
    # Tết 2031 (Lunar New Year 23/01/2031) comes from the package without a write
    assert not cal.is_working_day(date(2031, 1, 23))
    assert cal.due_at(datetime(2031, 1, 21, 10, 0), 1) > datetime(2031, 1, 22, 10, 0)
    assert date(2031, 1, 23) in {h.day for h in list_holidays(runtime.engine, 2031)}


def test_holidays_list_shows_each_source_and_warns_without_a_notice(
    runtime: Runtime, db_url: str
) -> None:
    env = {"DESK_DB": db_url}
    add_holiday(runtime.engine, date(2026, 3, 20), "holiday", "Nghỉ địa phương")
    out = desk_here("holidays", "list", "--year", "2026", env=env)
    assert out.returncode == 0, out.stderr
    lines = {line[:10]: line for line in out.stdout.splitlines()}
    assert "thông báo chính thức: Văn bản 12729/VPCP-KGVX ngày 25/12/2025" in lines["2026-01-02"]
    assert "làm bù" in lines["2026-01-10"]
    assert "[gói holidays]" in lines["2026-02-17"]
    assert "[trung tâm sửa]" in lines["2026-03-20"]
    assert "Cảnh báo" not in out.stderr
    later = desk_here("holidays", "list", "--year", "2033", env=env)
    assert later.returncode == 0, later.stderr
    assert "2033-01-01" in later.stdout  # listing seeds the year
    assert "chưa nạp thông báo chính thức nào về lịch nghỉ năm 2033" in later.stderr


def test_a_year_seeded_before_0017_is_named_by_the_package_then_stored(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A database seeded before the names were stored: its package rows carry the
    package's default (English) wording only. Upgraded, the listing still names them
    in the UI language (from the package, as before), and the next seeding pass of a
    role's start stores both languages."""
    engine = make_engine(f"sqlite:///{tmp_path / 'old.db'}")
    upgrade(engine, "0013")
    with engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO holiday (day, kind, name, source) VALUES"
                " ('2026-02-17', 'holiday', 'Lunar New Year', 'package'),"
                " ('2026-08-22', 'workday', 'Làm bù cho thứ Hai 31/08/2026', 'package'),"
                " ('2026-03-20', 'holiday', 'Nghỉ địa phương', 'manual')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO setting (key, value) VALUES ('holidays_seeded:2026', 'package'),"
                " ('holidays_official:2026', '2026-01-02,2026-01-10')"
            )
        )
    upgrade(engine)
    assert current_revision(engine) == HEAD
    _list_holidays(engine, 2026)  # what `desk holidays list` prints
    lines = {line[:10]: line for line in capsys.readouterr().out.splitlines()}
    assert "Tết Nguyên Đán  [gói holidays]" in lines["2026-02-17"]
    assert "Nghỉ địa phương" in lines["2026-03-20"]

    seed_holidays(engine, [2026])
    rows = {h.day: h for h in list_holidays(engine, 2026, seed=False)}
    lunar, make_up = rows[date(2026, 2, 17)], rows[date(2026, 8, 22)]
    assert (lunar.name_vi, lunar.name_en) == ("Tết Nguyên Đán", "Lunar New Year")
    assert make_up.name_vi == "Làm bù cho thứ Hai 31/08/2026"
    assert make_up.name_en == "Make-up working day for Monday 31/08/2026"
    assert rows[date(2026, 3, 20)].name_vi is None  # the center's own day keeps its name
    assert rows[date(2026, 3, 20)].name == "Nghỉ địa phương"
    # naming adds nothing: the days this database did not hold (removed) stay away
    assert set(rows) == {date(2026, 2, 17), date(2026, 8, 22), date(2026, 3, 20)}
    assert seed_holidays(engine, [2026]) == 0
