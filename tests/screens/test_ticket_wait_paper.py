"""The printed ticket carries the kiosk screen's estimated wait too.

Walking the kiosk, the screen said "Thời gian chờ dự kiến: khoảng 16 phút" under the
people ahead, and the paper the citizen keeps said nothing of it; the paper is what
they read while they wait."""

from __future__ import annotations

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
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
    Queue(rt).set_state(1, "open")  # a counter that calls service A
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


async def test_with_no_counter_open_for_the_service_nobody_is_promised_a_call(
    runtime: Runtime, open_hours: None
) -> None:
    """ "Không có ai đang chờ trước bạn · Bạn sẽ được gọi ngay" with every counter of the
    service closed (walk, 2 Dec): the screen and the paper say it is called once a
    counter opens; once one is open, "right away" again."""
    rt = on_codepage_paper(runtime)
    kiosk = DeskApp(rt, role="kiosk")
    shown = []
    async with kiosk.run_test(size=(80, 24)) as pilot:
        for keys in (("1",), ("escape", "1")):
            await settle(kiosk, pilot)
            await pilot.press(*keys)
            await settle(kiosk, pilot)
            shown.append(text_of(kiosk, "#ticket-wait"))
            Queue(rt).set_state(1, "open")
            for _ in range(2):  # nobody waits for the second ticket
                if Queue(rt).call_next(1) is not None:
                    Queue(rt).start(1)
                    Queue(rt).finish(1)
    closed = "Quầy phục vụ dịch vụ này chưa mở; bạn sẽ được gọi khi quầy mở."
    assert shown == [closed, "Bạn sẽ được gọi ngay"]
    first, second = printed_lines(rt)
    assert closed in " ".join(first)  # wrapped to the paper's width
    assert not any("gọi ngay" in line for line in second)
