"""Small defects a second tmux walk found on the kiosk, the counter and its look-up."""

from __future__ import annotations

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from tests.screens.test_counter import settle, text_of
from tests.screens.test_header import english

# --- kiosk: nobody ahead -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "nobody", "one"),
    [
        ("vi", "Không có ai đang chờ trước bạn", "Có 1 người đang chờ trước bạn"),
        ("en", "Nobody is waiting before you", "1 person is waiting before you"),
    ],
)
async def test_the_first_ticket_says_nobody_is_ahead_and_the_next_one_counts(
    runtime: Runtime, open_hours: None, language: str, nobody: str, one: str
) -> None:
    rt = english(runtime) if language == "en" else runtime
    i18n.set_language(language)
    kiosk = DeskApp(rt, role="kiosk")
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(kiosk, pilot)
        await pilot.press("1")
        await settle(kiosk, pilot)
        assert text_of(kiosk, "#ticket-ahead") == nobody
        assert "0" not in text_of(kiosk, "#ticket-ahead")
        await pilot.press("escape", "1")
        await settle(kiosk, pilot)
        assert text_of(kiosk, "#ticket-ahead") == one
    assert Queue(rt).waiting_counts()["A"] == 2
