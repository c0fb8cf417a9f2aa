"""The receipt on screen after Ctrl+S is the paper the citizen gets: the rows of the
printed receipt at the configured paper's width, every copy, exactly as its
``.txt`` preview has them (one layout, desk.printing.preview.paper_rows), and it
scrolls at 80×24 to its last row."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from pathlib import Path

import pytest
from textual.geometry import Region
from textual.widgets import Static

from desk import clock
from desk.center.runtime import Runtime
from desk.printing.preview import paper_columns, preview_dir
from screens.app import DeskApp
from screens.intake import ReceiptView
from tests.conftest import signed_in
from tests.printing.test_receipt_printer import take_in
from tests.screens.test_intake import rt
from tests.screens.test_walk import screen_lines

__all__ = ["rt"]


def on_paper(runtime: Runtime, profile: str, paper_mm: int, columns: int) -> Runtime:
    """The runtime printing on ``paper_mm`` paper with ``profile``; ``columns`` wider
    than the profile's own are set as ``printer.chars_per_line``."""
    own = {"TM-T88V": 42, "POS-5890": 32}[profile]
    update = {"profile": profile, "paper_mm": paper_mm}
    if columns != own:
        update["chars_per_line"] = columns
    printer = runtime.config.printer.model_copy(update=update)
    return dataclasses.replace(
        runtime, config=runtime.config.model_copy(update={"printer": printer})
    )


def shown_rows(view: ReceiptView) -> list[str]:
    """The receipt's rows as the screen draws them, the whole document (also what is
    scrolled out of sight), without the spaces after a row's last character."""
    [paper] = view.query(".receipt-text").results(Static)
    width, height = paper.size
    return [strip.text.rstrip() for strip in paper.render_lines(Region(0, 0, width, height))]


@pytest.mark.parametrize(
    ("profile", "paper_mm", "columns"),
    # 90 columns, wider than the 80×24 terminal: the test below
    [("TM-T88V", 80, 42), ("POS-5890", 58, 32)],
)
async def test_the_receipt_on_screen_is_its_preview_row_for_row(
    rt: Runtime, profile: str, paper_mm: int, columns: int
) -> None:
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    runtime = on_paper(rt, profile, paper_mm, columns)
    assert paper_columns(runtime.config) == columns
    app = DeskApp(runtime, role="counter", counter=3, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await take_in(app, pilot)
        view = app.screen
        assert isinstance(view, ReceiptView)
        [preview] = Path(preview_dir(runtime.config)).glob("receipt-*.txt")
        printed = preview.read_text(encoding="utf-8").splitlines()
        assert shown_rows(view) == printed
        # both copies, as printed: the office's, then the citizen's
        assert printed.index("(Liên 1: Lưu)".center(columns).rstrip()) < printed.index(
            "(Liên 2: Giao khách hàng)".center(columns).rstrip()
        )
        # 80×24 shows the top of it; End scrolls to the officer's name, the last row
        first = next(row for row in printed if row)
        last = printed[-1]
        assert last.strip() == signed_in(runtime).full_name
        top = screen_lines(app)
        assert any(first in line for line in top) and not any(last in line for line in top)
        await pilot.press("end")
        await pilot.pause()
        assert any(line.rstrip().endswith(last) for line in screen_lines(app))


async def test_a_paper_wider_than_the_terminal_scrolls_sideways(rt: Runtime) -> None:
    """90 columns of paper at 80×24: the rows stay the paper's, the preview's row for
    row; the first (85 characters) runs past the screen's edge, unbroken; → brings its
    end into view."""
    clock.set_clock(lambda: datetime(2026, 11, 23, 9, 0))
    runtime = on_paper(rt, "TM-T88V", 80, 90)
    app = DeskApp(runtime, role="counter", counter=3, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await take_in(app, pilot)
        row = "Trung tâm Phục vụ hành chính công phường Lê Chân: Tiếp nhận hồ sơ của: Trần Thị Bình"
        view = app.screen
        assert isinstance(view, ReceiptView)
        [preview] = Path(preview_dir(runtime.config)).glob("receipt-*.txt")
        assert shown_rows(view) == preview.read_text(encoding="utf-8").splitlines()
        assert row in shown_rows(view)
        assert not any("Trần Thị Bình" in line for line in screen_lines(app))
        for _ in range(12):
            await pilot.press("right")
        await pilot.pause()
        assert any(line.rstrip().endswith("của: Trần Thị Bình") for line in screen_lines(app))
