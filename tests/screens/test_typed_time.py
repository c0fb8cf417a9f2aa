"""Days and times as an officer types them (screens.typed_time)."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest

from screens.typed_time import NoSuchTime, NotWritten, read_clock, read_day, read_moment


@pytest.mark.parametrize(
    "typed,read",
    [("9:30", time(9, 30)), ("09:30", time(9, 30)), ("9h30", time(9, 30)), ("14h", time(14))],
)
def test_a_time_is_read_as_people_write_it(typed: str, read: time) -> None:
    assert read_clock(typed) == read


@pytest.mark.parametrize("typed", ["25:00", "9:60", "24h"])
def test_a_time_not_on_the_clock_is_told_from_a_badly_written_one(typed: str) -> None:
    with pytest.raises(NoSuchTime):
        read_clock(typed)


@pytest.mark.parametrize("typed", ["", "chín giờ", "930", "9:3", "9.30"])
def test_a_time_not_written_as_asked(typed: str) -> None:
    with pytest.raises(NotWritten):
        read_clock(typed)


def test_days_and_moments() -> None:
    assert read_day("4/12/2026") == date(2026, 12, 4)
    assert read_moment("04/12/2026", time(17)) == datetime(2026, 12, 4, 17, 0)
    assert read_moment(" 04/12/2026  8h15 ", time(17)) == datetime(2026, 12, 4, 8, 15)
    with pytest.raises(NoSuchTime):
        read_day("29/02/2026")
    assert read_day("29/02/2028") == date(2028, 2, 29)
    with pytest.raises(NoSuchTime):
        read_moment("04/12/2026 24:00", time(17))
    for typed in ("2026-12-04", "04/12/2026 17:00 x", "04/12/26"):
        with pytest.raises(NotWritten):
            read_moment(typed, time(17))
