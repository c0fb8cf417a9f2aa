"""Words at the counter that a first-time walk found wrong: F1 showed F4 with no
reason right after F2 (F4 was refused then), in English at 80 columns a priority
category broke inside a phrase, and the message when Esc is refused parted a key
from its action ("… vắng mặt" / "(F4) trước khi rời quầy."), as F1 parted
"cơ sở dữ liệu" / "bận:"."""

from __future__ import annotations

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.help import HelpScreen
from screens.phrases import BREAK, LIST_BREAK, pack
from tests.conftest import signed_in
from tests.screens.test_counter import settle, text_of
from tests.screens.test_counter80 import in_language
from tests.screens.test_walk import screen_lines


def test_a_key_in_parentheses_stays_with_its_words() -> None:
    text = "Finish it (F9), transfer it (F5, back to its queue) or mark it absent (F4) now."
    for width in range(20, 60):
        lines = pack(text, width)
        assert not any(line.startswith("(F") for line in lines), (width, lines)
        assert " ".join(lines) == text
    # an aside that is not a key still parts from what comes before it
    assert pack("Called, waiting for the citizen (Enter on arrival)", 41) == [
        "Called, waiting for the citizen",
        "(Enter on arrival)",
    ]
    assert pack("Waited 12 min (after F9) today", 20, BREAK) == [
        "Waited 12 min",
        "(after F9) today",
    ]


def test_a_list_parts_after_its_or() -> None:
    name = "★ Pregnant woman or parent with a small child"
    assert pack(name, 41, LIST_BREAK) == ["★ Pregnant woman or", "parent with a small child"]
    assert pack(name, 60, LIST_BREAK) == [name]
    assert pack("★ Phụ nữ mang thai hoặc người có con nhỏ", 30, LIST_BREAK) == [
        "★ Phụ nữ mang thai hoặc",
        "người có con nhỏ",
    ]


async def test_f1_says_why_f4_does_not_apply_right_after_f2(runtime: Runtime) -> None:
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(text_of(app, "#help-keys").split())
        assert (
            "F4 Vắng mặt — Công dân không đến sau khi đã gọi lại đủ số lần: đánh dấu vắng mặt."
            " Cần gọi lại số A001 2 lần trước khi đánh dấu vắng mặt (đã gọi lại 0 lần)."
        ) in shown
        await pilot.press("escape")
        await settle(app, pilot)
        # recalled twice, F4 applies: F1 gives it no reason
        for _ in range(2):
            await pilot.press("f3")
            await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        shown = " ".join(text_of(app, "#help-keys").split())
        assert "trước khi đánh dấu vắng mặt" not in shown


@pytest.mark.parametrize(
    "category,first,second",
    [
        ("elderly80_child6_severe", "★ Aged 80+, child under 6,", "severely disabled"),
        ("pregnant_infant", "★ Pregnant woman or", "parent with a small child"),
    ],
)
async def test_a_priority_category_breaks_between_its_items_in_english(
    runtime: Runtime, category: str, first: str, second: str
) -> None:
    """At 80 columns the called ticket's category breaks after a list's comma or 'or',
    never inside one of its items (the first walks: '… severely / disabled', '… with a
    small / child')."""
    rt = in_language(runtime, "en")
    try:
        Queue(rt).issue("A", category)
        app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("f2")
            await settle(app, pilot)
            left = [line.split("│")[0].strip() for line in screen_lines(app)]
            at = left.index(first)
            assert left[at + 1] == second
    finally:
        i18n.set_language("vi")


@pytest.mark.parametrize(
    "language,ends",
    [
        ("vi", ["hoặc đánh dấu vắng mặt (F4)", "trước khi rời quầy."]),
        ("en", ["absent (F4) before leaving the counter."]),
    ],
)
async def test_esc_refused_keeps_each_key_with_its_words(
    runtime: Runtime, language: str, ends: list[str]
) -> None:
    rt = in_language(runtime, language)
    try:
        Queue(rt).issue("A")
        app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("f2")
            await settle(app, pilot)
            await pilot.press("escape")
            await settle(app, pilot)
            lines = [line.strip() for line in screen_lines(app)[-5:-2]]
            assert not any(line.startswith("(F") for line in lines), lines
            assert lines[-len(ends) :][0].endswith(ends[0]) and lines[-1].endswith(ends[-1])
    finally:
        i18n.set_language("vi")


async def test_f1_keeps_the_busy_database_in_one_phrase_at_80_columns(runtime: Runtime) -> None:
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        lines = [line.strip(" █") for line in text_of(app, "#help-keys").split("\n")]
        retry = [line for line in lines if "bận:" in line]
        assert retry and "cơ sở dữ liệu bận:" in retry[0], lines


@pytest.mark.parametrize(
    "language,shown",
    [
        (
            "vi",
            [
                "Mời công dân số ★A001 đánh giá: 1 Rất hài lòng · 2 Hài lòng · 3 Không hài lòng",
                "(không bắt buộc)",
            ],
        ),
        (
            "en",
            [
                "Ask the citizen with ticket ★A001 to rate the service: 1 very satisfied",
                "2 satisfied · 3 unsatisfied (optional)",
            ],
        ),
    ],
)
async def test_the_rating_prompt_reads_whole_options_at_80_columns(
    runtime: Runtime, language: str, shown: list[str]
) -> None:
    """After F9 the counter asks for a rating in a sentence (the first walk read "Ask
    ticket ★A001 to rate") on the two lines it has at 80 columns, broken between
    the options, never between a digit and what it stands for ("· 2" / "satisfied")."""
    rt = in_language(runtime, language)
    try:
        Queue(rt).issue("A", "elderly")
        app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            await pilot.press("f2", "enter", "f9")
            await settle(app, pilot)
            prompt = app.screen.query_one("#rating-prompt").region
            lines = screen_lines(app)[prompt.y : prompt.bottom]
            assert [line.strip() for line in lines] == shown
    finally:
        i18n.set_language("vi")
