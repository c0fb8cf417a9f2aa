"""The printed ticket carries the kiosk screen's estimated wait too.

Walking the kiosk, the screen said "Thời gian chờ dự kiến: khoảng 16 phút" under the
people ahead, and the paper the citizen keeps said nothing of it; the paper is what
they read while they wait."""

from __future__ import annotations

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from screens.app import DeskApp
from tests.screens.test_counter import settle, text_of
from tests.screens.test_header import english
from tests.screens.test_ticket_paper import on_codepage_paper, printed_lines


@pytest.mark.parametrize(
    ("language", "words"), [("vi", "Thời gian chờ dự kiến"), ("en", "Estimated wait")]
)
async def test_the_paper_says_the_estimated_wait_the_screen_says(
    runtime: Runtime, open_hours: None, language: str, words: str
) -> None:
    rt = on_codepage_paper(english(runtime) if language == "en" else runtime)
    i18n.set_language(language)
    kiosk = DeskApp(rt, role="kiosk")
    shown, ahead = [], []
    async with kiosk.run_test(size=(80, 24)) as pilot:
        for keys in (("1",), ("escape", "1")):
            await settle(kiosk, pilot)
            await pilot.press(*keys)
            await settle(kiosk, pilot)
            shown.append(text_of(kiosk, "#ticket-wait"))
            ahead.append(text_of(kiosk, "#ticket-ahead"))
    first, second = printed_lines(rt)
    # nobody ahead: the screen says so in its own words, the paper adds no estimate
    assert not any(words in line for line in first)
    assert words in shown[1]
    assert shown[1] in second  # word for word, on its own line
    assert second[second.index(shown[1]) - 1] == ahead[1]  # under the people ahead
