"""The director's dashboard where it surprised people: Esc in a drilled-down table
ended the whole program; the satisfaction view's headers took two rows at 80
columns."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from textual.widgets import Static

from desk.center.runtime import Runtime
from desk.i18n import t
from screens.app import DeskApp
from screens.help import help_lines
from screens.keybar import KeyBar
from tests.conftest import signed_in
from tests.reports.conftest import at
from tests.reports.test_dashboard import open_view, shown
from tests.screens.test_counter import settle
from tests.screens.test_header import english


def key_bar(app: DeskApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


def esc_in_help(app: DeskApp) -> str:
    """F1's word for Esc on the screen shown."""
    [word] = [description for keys, description, _ in help_lines(app.screen, []) if keys == "Esc"]
    return word


async def test_esc_in_a_drilled_down_table_goes_back_up_one_level(month: Runtime) -> None:
    """Esc under the fields goes back up as Backspace does, and its key says "Quay
    lại" there; only at the top does it quit, and say so."""
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_view(app, pilot, "3")
        assert "Esc Thoát" in key_bar(app)
        await pilot.press("enter", "enter")  # a field, then a procedure: its dossiers
        await settle(app, pilot)
        assert len(screen.drill) == 2
        assert "Esc Quay lại" in key_bar(app) and "Thoát" not in key_bar(app)
        assert esc_in_help(app) == "Quay lại"
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running and app.screen is screen
        assert len(screen.drill) == 1
        assert "› thủ tục (Enter: xem hồ sơ" in shown(screen, "#fields-path")
        assert "Esc Quay lại" in key_bar(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.is_running and screen.drill == []
        assert "Esc Thoát" in key_bar(app) and esc_in_help(app) == "Thoát"
        await pilot.press("escape")
        await settle(app, pilot)
    assert app.return_code == 0 and not app.is_running


async def test_esc_outside_the_fields_quits_even_with_a_level_open(month: Runtime) -> None:
    """The drill-down kept while view 1 is shown: Esc there leaves, as its key says."""
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_view(app, pilot, "3")
        await pilot.press("enter")
        await settle(app, pilot)
        assert len(screen.drill) == 1 and "Esc Quay lại" in key_bar(app)
        await pilot.press("1")
        await settle(app, pilot)
        assert "Esc Thoát" in key_bar(app)
        await pilot.press("escape")
        await settle(app, pilot)
    assert app.return_code == 0 and not app.is_running


async def test_esc_in_a_drilled_down_table_from_the_demo(month: Runtime) -> None:
    """From the demo's launcher Esc goes up a level first, then back to the launcher."""
    at(2026, 11, 20, 10, 0)
    demo = DeskApp(month, role="launcher", officer=signed_in(month))
    async with demo.run_test(size=(120, 40)) as pilot:
        await settle(demo, pilot)
        await pilot.press("a")
        screen = await open_view(demo, pilot, "3")
        await pilot.press("enter")
        await settle(demo, pilot)
        await pilot.press("escape")
        await settle(demo, pilot)
        assert demo.screen is screen and screen.drill == []
        assert "Esc Quay lại" in key_bar(demo)
        await pilot.press("escape")
        await settle(demo, pilot)
        assert demo.screen is not screen and demo.is_running


async def satisfaction_header(month: Runtime, size: tuple[int, int]) -> list[str]:
    """The satisfaction view's counter table as it shows: its header's lines (up to
    the first counter's row)."""
    at(2026, 11, 20, 10, 0)
    app = DeskApp(month, role="admin", officer=signed_in(month))
    async with app.run_test(size=size) as pilot:
        screen = await open_view(app, pilot, "5")
        width = screen.query_one("#satisfaction-table", Static).size.width
        lines = shown(screen, "#satisfaction-table", width=width).splitlines()
    first = next(i for i, line in enumerate(lines) if line.startswith("Quầy 1"))
    start = next(i for i, line in enumerate(lines) if "Đã phục vụ" in line)
    while start and lines[start - 1].strip() and not lines[start - 1].startswith("tỷ lệ"):
        start -= 1  # a header broken over two rows starts above "Đã phục vụ"
    return lines[start:first]


async def test_the_satisfaction_headers_take_one_row_at_80_columns(month: Runtime) -> None:
    """At 80 columns the bars give way, not the headers: "Hiệu suất quầy" and "Tỷ lệ
    hài lòng" each on one row, the whole header on one line."""
    [header] = await satisfaction_header(month, (80, 24))
    assert " ".join(header.split()) == "Quầy Đã phục vụ Hiệu suất quầy Lượt đánh giá Tỷ lệ hài lòng"
    assert "Hiệu suất quầy" in header and "Tỷ lệ hài lòng" in header


async def test_narrower_the_satisfaction_headers_are_shortened(month: Runtime) -> None:
    [header] = await satisfaction_header(month, (72, 24))
    assert " ".join(header.split()) == "Quầy Đã phục vụ Hiệu suất Lượt đánh giá Hài lòng"


LONG_USERNAME = "nguyen.thi.thanh.huong.q7"
"""An officer's account named as some centers name them (25 letters)."""

LONG_NAME = "Tôn Nữ Thị Thanh Hương Quỳnh"
"""Her full name, as the tables show her (28 letters): beside it the officers' full
headers need more than 80 columns in either language."""


def served_by(runtime: Runtime, username: str) -> None:
    """One ticket of 3 November served at counter 2 by a new officer ``username``,
    rated satisfied."""
    from desk.center.accounts import add_officer
    from desk.queue.engine import Queue
    from desk.queue.ratings import last_unrated, rate

    officer = add_officer(
        runtime.engine,
        signed_in(runtime, "admin"),
        username,
        LONG_NAME,
        "officer",
        "matkhau-dai-123",
    )
    q = Queue(runtime)
    at(2026, 11, 3, 9, 0)
    q.issue("A")
    q.call_next(2, officer.id)
    q.start(2)
    at(2026, 11, 3, 9, 10)
    q.finish(2)
    ticket = last_unrated(runtime.engine, runtime.ids.counters[2])
    assert ticket is not None
    rate(runtime.engine, ticket.ticket_id, 2)


@pytest.mark.parametrize(
    "language,size,headers",
    [
        ("vi", (80, 24), "Cán bộ Đã phục vụ TB (phút) Lượt đánh giá Hài lòng"),
        ("en", (80, 24), "Officer Served Mean (min) Ratings Satisfied"),
        ("vi", (120, 40), "Cán bộ Đã phục vụ Phục vụ TB (phút) Lượt đánh giá Tỷ lệ hài lòng"),
        ("en", (120, 40), "Officer Served Mean service (min) Ratings Satisfied share"),
    ],
)
async def test_the_officers_headers_take_one_row_as_the_counters_do(
    month: Runtime, language: str, size: tuple[int, int], headers: str
) -> None:
    """Beside a long account name the officers' table takes its short headers at 80
    columns (as the counters' table does) instead of breaking "Phục vụ TB (phút)" and
    "Tỷ lệ hài lòng" over two rows; at 120 the full ones. Each officer on one row."""
    from desk import i18n

    rt = english(month) if language == "en" else month
    i18n.set_language(language)
    try:
        served_by(rt, LONG_USERNAME)
        at(2026, 11, 20, 10, 0)
        app = DeskApp(rt, role="admin", officer=signed_in(rt))
        async with app.run_test(size=size) as pilot:
            screen = await open_view(app, pilot, "5")
            width = screen.query_one("#satisfaction-table", Static).content_region.width
            lines = shown(screen, "#satisfaction-table", width=width).splitlines()
        officer = t("reports.col.officer")
        start = next(i for i, line in enumerate(lines) if line.startswith(officer + " "))
        header, *rows = lines[start:]
        assert " ".join(header.split()) == headers, lines[start - 1 :]
        share = "100,0 %" if language == "vi" else "100.0 %"
        # by her name, as the director knows her (it showed the account's name)
        assert f"{LONG_NAME} 1 10{'.,'[language == 'vi']}0 1 {share}" in [
            " ".join(row.split()) for row in rows
        ], lines[start - 1 :]
    finally:
        i18n.set_language("vi")


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
def test_officers_headers_snapshots(
    month: Runtime, snap_compare: Callable[..., bool], size: tuple[int, int]
) -> None:
    """View 5 with an officer of a long account name: short headers at 80 columns
    in both tables, the full ones at 120."""
    from tests.reports.test_dashboard_finish import snapshot

    served_by(month, LONG_USERNAME)
    snapshot(month, snap_compare, "5", "vi", size)
