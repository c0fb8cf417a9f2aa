"""What a director found on the dashboard: hours with four decimals in view 5, the
period keys W/M/Q/Y keeping the period browsed to, procedure names cut to "Thủ t…"
in view 3 at 80 columns, and view 4's table hiding rows without a word."""

from __future__ import annotations

import dataclasses
from datetime import time

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from desk.reports.tables import show
from tests.reports.conftest import at, dashboard
from tests.screens.test_counter import settle
from tests.screens.test_header import english
from tests.screens.test_walk import screen_lines


def long_days(runtime: Runtime) -> Runtime:
    """``runtime`` open 07:00–11:30 and 13:30–23:59: 14.9833 hours a day."""
    hours = runtime.config.hours.model_copy(
        update={"morning": (time(7, 0), time(11, 30)), "afternoon": (time(13, 30), time(23, 59))}
    )
    return dataclasses.replace(runtime, config=runtime.config.model_copy(update={"hours": hours}))


@pytest.mark.parametrize("language", ["vi", "en"])
def test_hours_show_one_decimal_whole_or_not(language: str) -> None:
    i18n.set_language(language)
    mark = "," if language == "vi" else "."
    assert [show(v, "hours") for v in (14.983333, 8, 7.25)] == [
        f"15{mark}0",
        f"8{mark}0",
        f"7{mark}2",
    ]


@pytest.mark.parametrize(
    ("language", "note"),
    [("vi", "(15,0 giờ/ngày)"), ("en", "(15.0 h a day)")],
)
async def test_view_5_says_the_opening_hours_with_one_decimal(
    month: Runtime, language: str, note: str
) -> None:
    rt = long_days(english(month) if language == "en" else month)
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    async with dashboard(rt, (120, 40)) as (app, pilot, _screen):
        await pilot.press("5")
        await settle(app, pilot)
        text = " ".join(" ".join(screen_lines(app)).split())
        assert note in text
        assert "14,98" not in text and "14.98" not in text
