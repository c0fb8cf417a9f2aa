"""The dashboard's figures of one kind show as many decimals wherever they appear: a
median wait of 30 minutes beside one of 22.5 read "30" and "22.5", stage hours "72"
under "107.9", the 766 index's points "5" under "2.45". Averages and rates now show
one decimal ("30.0"), points two, counts none; in both languages, each with its
decimal mark: the comma in Vietnamese ("30,0", as desk writes "1,5 ngày"), the
point in English."""

from __future__ import annotations

import re

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from desk.dossiers.forms import days_text
from desk.i18n import t
from desk.reports.tables import show, stage_name
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.reports.conftest import at
from tests.reports.test_dashboard import open_view
from tests.screens.test_counter import settle
from tests.screens.test_header import english
from tests.screens.test_walk import screen_lines

COUNT = re.compile(r"\d+")
ONE = re.compile(r"\d+[.,]\d")
"""An average or a rate: one decimal, also when it is whole."""
TWO = re.compile(r"\d+[.,]\d\d")
"""The 766 index's points."""
INDEX_766 = (
    "tien_do_giai_quyet_20",
    "dich_vu_cong_truc_tuyen_12",
    "thanh_toan_truc_tuyen_10",
    "muc_do_hai_long_18",
    "so_hoa_ho_so_22",
)


def marked(figure: str, language: str) -> str:
    """``figure`` (written with a decimal point) as ``language`` writes it."""
    return figure.replace(".", ",") if language == "vi" else figure


def figures(lines: list[str], label: str) -> list[str]:
    """The words after ``label`` on the one line that starts with it (bars left out)."""
    found = [line.strip() for line in lines if line.strip().startswith(label + " ")]
    assert len(found) == 1, (label, lines)
    return [w for w in found[0][len(label) :].split() if "█" not in w]


def kinds(words: list[str], *patterns: re.Pattern[str]) -> bool:
    return len(words) == len(patterns) and all(
        p.fullmatch(w) for p, w in zip(patterns, words, strict=True)
    )


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_figures_of_one_kind_show_as_many_decimals_in_every_view(
    month: Runtime, language: str
) -> None:
    rt = english(month) if language == "en" else month
    i18n.set_language(language)
    at(2026, 11, 20, 10, 0)
    app = DeskApp(rt, role="admin", officer=signed_in(rt))
    async with app.run_test(size=(120, 40)) as pilot:
        await open_view(app, pilot, "1")  # overview: the 766 index's points
        lines = screen_lines(app)
        points = [figures(lines, t(f"report.{key}")) for key in INDEX_766]
        assert all(kinds(p, TWO) for p in points), points
        assert [marked("5.00", language)] in points  # online payment: 10 points × 50 %

        await pilot.press("2")  # queue: the summary's waits and the services' waits
        await settle(app, pilot)
        lines = screen_lines(app)
        joined = " ".join(" ".join(lines).split())
        waits = {
            "vi": "dưới 22,5 phút, 9/10 dưới 30,0 phút",
            "en": "under 22.5 min, 9 in 10 under 30.0 min",
        }
        assert waits[language] in joined, lines  # the median and 9 in 10
        for service in ("Hộ tịch", "Chứng thực") if language == "vi" else ("Civil", "Certif"):
            row = next(line for line in lines if line.strip().startswith(service))
            words = row.split()
            assert kinds(words[-2:], ONE, ONE), row  # median, p90 (minutes)
        services = [line for line in lines if line.strip().startswith(("Chứng thực", "Certif"))]
        assert services and services[0].split()[-2:] == [marked("30.0", language)] * 2, services

        await pilot.press("4")  # stuck: requests per dossier, the stages' hours
        await settle(app, pilot)
        lines = screen_lines(app)
        row = next(line for line in lines if line.strip().startswith("1.004873"))
        assert kinds(row.split()[1:4], COUNT, COUNT, TWO), row  # received, requests, rate
        stages = [figures(lines, stage_name(s)) for s in ("resolved", "received", "processing")]
        assert all(kinds(s, COUNT, ONE, ONE) for s in stages), stages

        await pilot.press("5")  # satisfaction: the officers' mean service time
        await settle(app, pilot)
        lines = screen_lines(app)
        head = next(i for i, line in enumerate(lines) if t("reports.col.avg_service_min") in line)
        officer = lines[head + 1].split()
        assert officer[-5:-2] == ["3", marked("10.0", language), "2"], (
            officer
        )  # served, mean (min), ratings

        await pilot.press("6")  # appointments: the walk-ins' waits
        await settle(app, pilot)
        lines = screen_lines(app)
        walk_in = ["4", marked("22.5", language), marked("30.0", language)]
        assert figures(lines, t("appt_figures.walk_in")) == walk_in


@pytest.mark.parametrize("language", ["vi", "en"])
def test_show_gives_a_kind_its_decimals_whole_or_not(language: str) -> None:
    i18n.set_language(language)

    def expect(*figures: str) -> list[str]:
        return [marked(f, language) for f in figures]

    assert [show(v, "minutes") for v in (30, 22.5, 0)] == expect("30.0", "22.5", "0.0")
    assert [show(v, "days") for v in (72.0, 107.94)] == expect("72.0", "107.9")
    rates = [show(v, "per_dossier") for v in (2.0, 1 / 6, 1 / 25)]
    assert rates == expect("2.00", "0.17", "0.04")
    assert [show(v, "points") for v in (5, 2.45, 12.5)] == expect("5.00", "2.45", "12.50")
    assert [show(v, "share") for v in (0.5, 1 / 3)] == expect("50.0 %", "33.3 %")
    assert [show(v, "count") for v in (3, 0, 1500)] == ["3", "0", "1500"]
    assert show(None, "minutes") == "—"


def test_the_dashboard_writes_decimals_as_desk_writes_days() -> None:
    """One decimal mark for the UI's language: the dashboard's figures as the
    processing times ("1,5 ngày làm việc"); the printed forms stay Vietnamese."""
    assert show(1.5, "days") == "1,5" and "1,5 ngày" in days_text(1.5, "working")
    i18n.set_language("en")
    assert show(1.5, "days") == "1.5" and "1.5 " in days_text(1.5, "working")
    assert "1,5 ngày" in days_text(1.5, "working", language="vi")  # the printed form
