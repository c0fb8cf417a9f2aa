"""What a new officer and a new director read on their first day: the counter's Esc
is labelled by what it does (it closes the counter, after asking), and the admin's
login names what it opens, as the counter's names its counter."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from desk import i18n
from desk.center.accounts import add_officer
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.confirm import Confirm
from screens.counter import CounterScreen
from screens.first import LoginFrame, first_screen
from screens.help import HelpScreen
from screens.keybar import KeyBar
from screens.launcher import LauncherScreen
from screens.login import LoginScreen
from tests.conftest import signed_in
from tests.screens.test_everyday import settle, text_of
from tests.screens.test_snapshots import SIZES, frozen, keys
from tests.screens.test_startup import sample_frame

__all__ = ["frozen"]

README = Path(__file__).resolve().parents[2] / "README.md"


def key_bar(app: DeskApp) -> str:
    return str(app.screen.query_one(KeyBar).render())


async def esc_at_the_counter(app: DeskApp, pilot: Any, counter: int) -> tuple[str, str, str]:
    """(the key bar's last key, F1's line for Esc, the question Esc asks) on the
    counter on screen; the question is left open."""
    assert isinstance(app.screen, CounterScreen) and app.screen.number == counter
    last = key_bar(app).rstrip().split("  ")[-1]
    await pilot.press("f1")
    await pilot.pause()
    assert isinstance(app.screen, HelpScreen)
    help_line = next(
        line for line in text_of(app, "#help-keys").splitlines() if line.startswith("Esc ")
    )
    await pilot.press("escape")
    await pilot.pause()
    await pilot.press("escape")
    await settle(app, pilot)
    assert isinstance(app.screen, Confirm)
    return last, " ".join(help_line.split()), f"{app.screen.title_text} {app.screen.hint}"


async def test_the_counters_esc_says_it_closes_the_counter(runtime: Runtime) -> None:
    """`desk counter 1`: Esc closes the counter and quits; the key bar said "Quay lại"."""
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "Quay lại" not in key_bar(app)
        last, help_line, question = await esc_at_the_counter(app, pilot, 1)
        assert last == "Esc Đóng quầy"
        assert help_line.startswith("Esc Đóng quầy — Hết ca hoặc rời quầy")
        assert question.startswith("Đóng Quầy 1 và thoát chương trình?")
        assert "Y: đóng quầy" in question  # the label's words, as the question says them
        await pilot.press("y")
        await settle(app, pilot)
    assert Queue(runtime).counter_status(1).state == "closed"
    assert app.return_code == 0


async def test_in_english_too(runtime: Runtime) -> None:
    i18n.set_language("en")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        bar = key_bar(app)
        last, help_line, question = await esc_at_the_counter(app, pilot, 1)
        assert last == "Esc Close" and help_line.startswith("Esc Close — End of shift")
        assert question.startswith("Close Counter 1 and quit the program?")
        assert "Y: close the counter" in question
        # the label is short enough that the key bar keeps its two lines at 80 columns
        assert len(bar.splitlines()) == 2 and "Back" not in bar


async def test_from_the_demos_launcher_esc_closes_the_counter_as_well(runtime: Runtime) -> None:
    """Opened from the launcher, Esc does not just go back: it closes the counter
    (the board shows it closed) and signs the officer out, so the label is the same."""
    app = DeskApp(runtime, role="launcher", officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("1")
        await settle(app, pilot)
        last, help_line, question = await esc_at_the_counter(app, pilot, 1)
        assert last == "Esc Đóng quầy" and help_line.startswith("Esc Đóng quầy — Hết ca")
        assert question.startswith("Đóng Quầy 1 và đăng xuất?")
        await pilot.press("y")
        await settle(app, pilot)
        assert isinstance(app.screen, LauncherScreen) and app.officer is None
    assert Queue(runtime).counter_status(1).state == "closed"


def test_the_readme_lists_esc_with_the_counters_keys() -> None:
    text = README.read_text(encoding="utf-8")
    start = text.index("Keys of `desk counter N`:")
    keys_paragraph = text[start : text.index("\n\n", start)]
    i18n.set_language("en")
    label = i18n.t("keys.close_counter").lower()
    assert re.search(rf"\bEsc {label}\b", keys_paragraph), keys_paragraph


# --- the admin's login --------------------------------------------------------------


async def login_title(runtime: Runtime, role: str, counter: int | None = None) -> str:
    app = DeskApp(runtime, role=role, counter=counter)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen)
        return text_of(app, "#login-title")


async def test_the_admins_login_names_what_it_opens(runtime: Runtime) -> None:
    assert await login_title(runtime, "admin") == "Đăng nhập — Quản trị"
    assert await login_title(runtime, "counter", 1) == "Đăng nhập — Quầy 1"
    i18n.set_language("en")
    assert await login_title(runtime, "admin") == "Log in — Administration"


def test_the_first_frame_has_the_same_title() -> None:
    """The login box drawn before the database is open shows the title the real one
    shows, so nothing changes under the officer's eyes."""
    screen = first_screen("admin", sample_frame(), login=True)
    assert isinstance(screen, LoginFrame)
    assert screen.title_text == "Đăng nhập — Quản trị"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_admin_login(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    """A center's own database, with its first administrator."""
    add_officer(frozen.engine, None, "admin", "Nguyễn Văn Quản", "admin", "a-long-secret")
    app = DeskApp(frozen, role="admin")
    assert snap_compare(app, terminal_size=size, run_before=keys())


# --- Esc where it ends the program and where it goes back ---------------------------


async def test_the_dashboards_esc_says_it_quits_when_it_does(runtime: Runtime) -> None:
    """`desk admin`: Esc ends the program at once, so its key says "Thoát" / "Quit";
    from the demo's launcher it goes back, and says so."""
    app = DeskApp(runtime, role="admin", officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "Esc Thoát" in key_bar(app) and "Quay lại" not in key_bar(app)
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.return_code == 0 and not app.is_running  # the program ended
    demo = DeskApp(runtime, role="launcher", officer=signed_in(runtime))
    async with demo.run_test(size=(80, 24)) as pilot:
        await settle(demo, pilot)
        await pilot.press("a")
        await settle(demo, pilot)
        assert "Esc Quay lại" in key_bar(demo)
        await pilot.press("escape")
        await settle(demo, pilot)
        assert isinstance(demo.screen, LauncherScreen)


async def login_hint(app: DeskApp) -> str:
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        if isinstance(app.screen, LauncherScreen):
            await pilot.press("a")  # the admin, whose login opens first
            await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen)
        return text_of(app, "#login-hint")


async def test_the_logins_hint_says_where_esc_goes(runtime: Runtime) -> None:
    assert (await login_hint(DeskApp(runtime, role="admin"))).endswith("Esc để thoát")
    assert (await login_hint(DeskApp(runtime, role="launcher"))).endswith("Esc để quay lại")
