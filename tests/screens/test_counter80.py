"""The counter at 80×24: the waiting list's columns all on screen (the priority mark
and the minutes waited were cut off its right edge), and the status lines broken
between their phrases ("… · đang" / "chờ 7" and "(Enter on" / "arrival)")."""

from __future__ import annotations

import dataclasses

import pytest
from textual.widgets import DataTable

from desk import i18n
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.counter import fit_name, waiting_columns
from screens.phrases import PhraseLine, pack, pieces
from tests.conftest import signed_in
from tests.screens.test_everyday import settle
from tests.screens.test_snapshots import frozen
from tests.screens.test_walk import screen_lines

__all__ = ["frozen"]

HEADERS = {
    "vi": {80: ("Số", "Lĩnh vực", "★", "Phút"), 120: ("Số", "Lĩnh vực", "Ưu tiên", "Chờ (phút)")},
    "en": {80: ("No.", "Service", "★", "Min"), 120: ("No.", "Service", "Priority", "Waited (min)")},
}


SCROLL_BAR = " ▁▂▃▄▅▆▇█▔▉▊▋▌▍▎▏"


def in_language(runtime: Runtime, language: str) -> Runtime:
    i18n.set_language(language)
    ui = runtime.config.ui.model_copy(update={"language": language})
    return dataclasses.replace(runtime, config=runtime.config.model_copy(update={"ui": ui}))


def waiting_rows(app: DeskApp) -> list[str]:
    """The waiting list's lines as the officer sees them (the right pane), without
    its scroll bar."""
    return [line.split("│", 1)[1].rstrip(SCROLL_BAR) for line in screen_lines(app) if "│" in line]


@pytest.fixture
def language(request: pytest.FixtureRequest) -> object:
    yield request.param
    i18n.set_language("vi")


@pytest.mark.parametrize("language", ["vi", "en"], indirect=True)
@pytest.mark.parametrize("width,height", [(80, 24), (120, 40)])
async def test_every_waiting_column_is_on_screen(
    frozen: Runtime, language: str, width: int, height: int
) -> None:
    """More tickets than the pane has lines (its scroll bar shows): the number, the
    service, the priority mark and the minutes of each row are on screen, under
    headers that are whole, and nothing lies beyond the pane's right edge."""
    rt = in_language(frozen, language)
    q = Queue(rt)
    for service in "ACDEABFA" * 6:
        q.issue(service)
    # a priority ticket: first in line at the priority counter
    elderly = "★" + q.issue("A", "elderly").ticket.number
    app = DeskApp(rt, role="counter", counter=7, officer=signed_in(rt))
    async with app.run_test(size=(width, height)) as pilot:
        await settle(app, pilot)
        table = app.screen.query_one("#waiting", DataTable)
        assert table.max_scroll_y > 0  # the list is longer than the pane
        assert table.max_scroll_x == 0  # and no wider
        rows = waiting_rows(app)
        header = next(row for row in rows if HEADERS[language][width][0] in row)
        assert header.split() == " ".join(HEADERS[language][width]).split()
        first = rows[rows.index(header) + 1].split()
        civil = "Hộ tịch" if language == "vi" else "Civil status"
        assert first == [elderly, *civil.split(), "★", "0"]
        services = [s.name_en if language == "en" else s.name_vi for s in rt.config.services]
        for row in rows[rows.index(header) + 2 : rows.index(header) + 8]:
            number, *words, minutes = row.split()
            assert number[0] in "ACDEBF" and minutes == "0", row
            name = " ".join(words)
            # whole, or cut after a word with "…", never in the middle of a word
            assert name in services or any(
                full.startswith(name[:-1]) and full[len(name) - 1] in " ," for full in services
            ), name


def test_service_names_are_cut_after_a_word() -> None:
    assert fit_name("Đất đai – Xây dựng", 12) == "Đất đai…"
    assert fit_name("Kinh doanh – Văn hóa – Giáo dục", 26) == "Kinh doanh – Văn hóa…"
    assert fit_name("Business, culture and education", 12) == "Business…"
    assert fit_name("Hộ tịch", 12) == "Hộ tịch"


def test_the_short_headers_only_when_the_full_ones_leave_too_little_room() -> None:
    names = ["Hộ tịch", "Kinh doanh – Văn hóa – Giáo dục"]
    narrow, wide = waiting_columns(32, names), waiting_columns(56, names)
    assert narrow.headers == ("Số", "Lĩnh vực", "★", "Phút")
    assert sum(w + 2 for w in narrow.widths) <= 32
    assert wide.headers == ("Số", "Lĩnh vực", "Ưu tiên", "Chờ (phút)")
    assert sum(w + 2 for w in wide.widths) <= 56


def test_text_breaks_between_phrases() -> None:
    counts = "Hôm nay: đã phục vụ 0 · vắng mặt 0 · đang chờ 7"
    assert pack(counts, 42) == ["Hôm nay: đã phục vụ 0 · vắng mặt 0", "đang chờ 7"]
    assert pack(counts, 60) == [counts]
    called = "Called, waiting for the citizen (Enter on arrival)"
    assert pack(called, 42) == ["Called, waiting for the citizen", "(Enter on arrival)"]
    assert pack("a · b\nc — d", 3) == ["a", "b", "c", "d"]
    failed = "Có lỗi (X). Đã ghi vào nhật ký; bấm lại hoặc báo quản trị."
    assert pack(failed, 40) == ["Có lỗi (X). Đã ghi vào nhật ký;", "bấm lại hoặc báo quản trị."]
    example = "An absent citizen came back: type the ticket (e.g. A012)"
    assert pack(example, 54) == ["An absent citizen came back: type the ticket", "(e.g. A012)"]
    assert [phrase for _sep, phrase in pieces("(e.g. A012)")] == ["(e.g. A012)"]
    assert pack("a (b · c) · d", 10) == ["a (b · c)", "d"]  # an aside stays whole
    # a phrase wider than the line breaks between words, a number with its unit
    assert pack("Chờ 12 phút · Thủ tục đăng ký kết hôn", 10) == [
        "Chờ",
        "12 phút",
        "Thủ tục",
        "đăng ký",
        "kết hôn",
    ]


@pytest.mark.parametrize("language", ["vi", "en"], indirect=True)
async def test_no_status_line_breaks_mid_phrase_at_80x24(frozen: Runtime, language: str) -> None:
    """The counts, the state line and the called ticket's details at 80×24: every
    phrase whole on one line of the screen (F2 calls the elderly citizen's ticket)."""
    rt = in_language(frozen, language)
    q = Queue(rt)
    for _ in range(12):
        q.issue("A")
    q.issue("A", "elderly")
    app = DeskApp(rt, role="counter", counter=7, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        left = [line.split("│", 1)[0].strip() for line in screen_lines(app) if "│" in line]
        texts = [
            app.screen.query_one(selector).text  # type: ignore[attr-defined]
            for selector in ("#current-state", "#current-detail", "#counter-counts")
        ]
        assert "12" in texts[2] and "(" in texts[0]
        for text in texts:
            for paragraph in text.split("\n"):
                for _before, phrase in pieces(paragraph):
                    assert any(phrase in line for line in left), (phrase, left)


async def test_the_returned_ticket_dialog_keeps_its_example_whole(frozen: Runtime) -> None:
    """Ctrl+R in English: the title's example "(e.g. A012)" was cut in two lines,
    "(e.g." and "A012)"; it goes to the next line whole. The dialog has the same
    width at 80 and 120 columns."""
    rt = in_language(frozen, "en")
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("ctrl+r")
            await settle(app, pilot)
            # inside the dialog's box
            lines = [line.split("█")[1].strip() for line in screen_lines(app) if "█" in line]
            assert "An absent citizen came back: type the ticket" in lines
            assert "(e.g. A012)" in lines
            assert "Enter: back in the queue · Esc: close" in lines
    finally:
        i18n.set_language("vi")


@pytest.mark.parametrize("language", ["vi", "en"], indirect=True)
async def test_the_message_line_breaks_between_phrases_at_80x24(
    frozen: Runtime, language: str
) -> None:
    """F2 twice: the second says the ticket called is not served yet and what to
    press, longer than a line; it breaks after a clause ("F4 nếu vắng" / "mặt"
    read as two phrases)."""
    rt = in_language(frozen, language)
    Queue(rt).issue("A")
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "f2")
        await settle(app, pilot)
        message = app.screen.query_one("#counter-message", PhraseLine).text
        assert "A001" in message and len(message) > 78
        lines = [line.strip() for line in screen_lines(app)]
        for _before, phrase in pieces(message):
            assert any(phrase in line for line in lines), (phrase, lines)
