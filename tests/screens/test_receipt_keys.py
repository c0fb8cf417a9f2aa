"""The receipt's preview names Esc one way: its key bar said "Esc Quay lại" while
the hint under the paper said "Esc: đóng"; both say "đóng" ("close") now."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

import pytest
from textual.widgets import Static

from desk import i18n
from desk.center.runtime import Runtime
from screens.intake import ReceiptView
from tests.screens.test_counter import settle
from tests.screens.test_counter80 import in_language
from tests.screens.test_intake import rt
from tests.screens.test_lookup_forms import taken_in
from tests.screens.test_lookup_slip_print import keys_shown

__all__ = ["rt"]


@pytest.fixture
def language(request: pytest.FixtureRequest) -> Iterator[str]:
    yield request.param
    i18n.set_language("vi")


@pytest.mark.parametrize(
    ("language", "key", "hint"),
    [("vi", "Esc Đóng", "Esc: đóng"), ("en", "Esc Close", "Esc: close")],
    indirect=["language"],
)
async def test_the_key_bar_and_the_hint_name_esc_alike(
    rt: Runtime, language: str, key: str, hint: str
) -> None:
    saved, app = taken_in(in_language(rt, language), [datetime(2026, 11, 23, 9, 0)])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        app.push_screen(ReceiptView([saved.receipt], [saved.print_job]))
        await settle(app, pilot)
        bar = keys_shown(app)
        status = str(app.screen.query_one("#receipt-status", Static).render())
        assert key in bar, bar
        assert hint in status, status
        other = "Quay lại" if language == "vi" else "Back"
        assert other not in bar, bar
