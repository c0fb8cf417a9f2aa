"""F1 at 80×24: a key's description reads on one line, not broken mid-phrase.

The help box took 80% of the terminal, 64 columns at 80, and the admin's and the
intake form's longer lines broke between words that belong together: "(bấm" over
"3).", "chuyển" over "ô"."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from desk import i18n
from desk.center.runtime import Runtime
from screens.app import DeskApp
from screens.help import HelpKeys, HelpScreen
from tests.conftest import signed_in
from tests.screens.test_counter import settle


def help_lines(app: DeskApp) -> list[str]:
    keys = app.screen.query_one("#help-keys", HelpKeys)
    return [line.strip() for line in str(keys.render()).splitlines()]


@pytest.mark.parametrize(
    ("language", "whole"),
    [
        ("vi", "Backspace quay lên trong xem 3 Lĩnh vực (bấm 3)."),
        ("en", "Backspace goes up in view 3 Fields (press 3)."),
    ],
)
async def test_the_dashboards_help_keeps_each_reason_on_one_line(
    runtime: Runtime, language: str, whole: str
) -> None:
    i18n.set_language(language)
    app = DeskApp(runtime, role="admin", officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        lines = help_lines(app)
        assert any(line.endswith(whole) for line in lines), lines
        assert app.screen.query_one("#help-hint", Static).region.width <= 80


async def test_the_intake_forms_help_keeps_each_line_whole(runtime: Runtime) -> None:
    i18n.set_language("vi")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        lines = help_lines(app)
        assert any(
            line.endswith("Chọn thủ tục; bảng giấy tờ: cùng cột; ô khác: chuyển ô")
            for line in lines
        ), lines


async def test_every_key_of_the_counter_says_what_it_does(runtime: Runtime) -> None:
    """F1 at the counter explains each of its keys under its name; Esc (close the
    counter) had its name only, at the end of a list an officer scrolls (walk, 2 Dec)."""
    from screens.help import explained
    from screens.textual_compat import own_bindings

    i18n.set_language("vi")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        counter = app.screen
        await pilot.press("f1")
        await settle(app, pilot)
        # the box scrolls to the last of them (it held the lines of the width before
        # the scroll bar came, three short: Esc's end and F1 could not be read; walk)
        keys = app.screen.query_one("#help-keys", HelpKeys)
        assert keys.size.height == len(keys.laid_out(keys.size.width).plain.splitlines())
        lines = " ".join(" ".join(help_lines(app)).split())
        assert "Esc Đóng quầy — Hết ca hoặc rời quầy: đóng quầy (hỏi lại trước)" in lines
        unexplained = [
            b.key
            for b in own_bindings(counter)
            # R says when it applies in its place (after a step the busy database
            # refused), and "Thử lại" is all it does then
            if b.show and not b.system and b.id != "counter.retry" and " — " not in explained(b)
        ]
        assert unexplained == []
