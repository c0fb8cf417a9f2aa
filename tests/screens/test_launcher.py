"""The demo launcher reaches every screen by keyboard alone, in both languages."""

from __future__ import annotations

import pytest
from textual.widgets import Static

from desk import i18n
from desk.center.runtime import Runtime, prepare_demo
from screens.admin import AdminScreen
from screens.app import DeskApp
from screens.board import BoardScreen
from screens.counter import CounterScreen
from screens.kiosk import KioskScreen
from screens.launcher import LauncherScreen


def screen_text(app: DeskApp) -> str:
    parts = []
    for widget in app.screen.query(Static):
        parts.append(str(widget.render()))
    return "\n".join(parts)


@pytest.mark.early
async def test_launcher_opens_every_screen_and_comes_back(runtime: Runtime) -> None:
    from desk.center.accounts import ensure_demo_accounts
    from screens.login import LoginScreen

    ensure_demo_accounts(runtime.engine)
    app = DeskApp(runtime, role="launcher")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
        assert "⟦" not in screen_text(app)

        await pilot.press("k")
        assert isinstance(app.screen, KioskScreen)
        await pilot.press("escape", "q")  # the kiosk ignores ordinary keys
        assert isinstance(app.screen, KioskScreen)
        await pilot.press("ctrl+q")
        await pilot.press("1", "1", "1", "1", "enter")  # wrong PIN
        await pilot.pause()
        assert "Sai mã PIN" in screen_text(app)
        await pilot.press(*"2468", "enter")
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)

        await pilot.press("1")  # a counter starts at a login
        assert isinstance(app.screen, LoginScreen)
        assert "canbo / canbo123" in screen_text(app)  # the demo's accounts are shown
        await pilot.press(*"canbo", "enter", *"wrong-pw", "enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Sai tên đăng nhập hoặc mật khẩu." in screen_text(app)
        await pilot.press("enter", *"canbo123", "enter")  # the username stayed
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CounterScreen) and app.screen.number == 1
        await pilot.press("escape", "y")  # leaving waits for the counter's last step …
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, LauncherScreen)
        assert app.officer is None  # … and signs the officer out
        for number in range(2, 8):  # every counter opens, each after its own login
            await pilot.press(str(number))
            assert isinstance(app.screen, LoginScreen)
            await pilot.press(*"canbo", "enter", *"canbo123", "enter")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, CounterScreen) and app.screen.number == number
            assert "⟦" not in screen_text(app)
            await pilot.press("escape", "y")
            await app.workers.wait_for_complete()
            await pilot.pause()
            assert isinstance(app.screen, LauncherScreen)

        await pilot.press("8")  # no counter 8 in the sample center
        assert isinstance(app.screen, LauncherScreen)

        await pilot.press("b")
        assert isinstance(app.screen, BoardScreen)
        await pilot.press("escape")
        await pilot.press("a")  # the dashboard needs a supervisor: canbo is not one
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*"canbo", "enter", *"canbo123", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "cần quyền giám sát" in screen_text(app)
        await pilot.press(*"giamdoc", "enter", *"giamdoc123", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, AdminScreen)
        assert "⟦" not in screen_text(app)
        await pilot.press("escape")
        await pilot.pause()
        # leaving the dashboard signs the director out: the next role asks who it is
        # (counter 2 opened signed in as the director; walk, 2 Dec)
        assert isinstance(app.screen, LauncherScreen) and app.officer is None

        # arrows and Enter work too: the third entry is counter 2
        await pilot.press("down", "down", "enter")
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*"canbo", "enter", *"canbo123", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CounterScreen) and app.screen.number == 2
        await pilot.press("escape", "n")  # close counter 2? no: it stays
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert isinstance(app.screen, CounterScreen) and app.screen.number == 2
        await pilot.press("escape", "y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_launcher_in_english(runtime: Runtime) -> None:
    i18n.set_language("en")
    app = DeskApp(runtime, role="launcher")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        text = screen_text(app)
        assert "desk demo: choose a screen" in text and "⟦" not in text
        await pilot.press("1")
        text = screen_text(app)
        assert "Log in" in text and "User name" in text and "⟦" not in text


async def test_demo_database_has_the_sample_catalogue(config, tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("DESK_DB", f"sqlite:///{tmp_path / 'demo.db'}")
    runtime = prepare_demo(config)
    again = prepare_demo(config)  # reused, not duplicated
    from sqlmodel import func, select

    from db.engine import read_session
    from db.models import Procedure, ProcedureAlias

    with read_session(again.engine) as s:
        # the 53 sample procedures and the 3 local placeholders of the linked bundles
        assert s.exec(select(func.count()).select_from(Procedure)).one() == 53 + 3
        assert s.exec(select(func.count()).select_from(ProcedureAlias)).one() == 4
    assert runtime.url == again.url


async def test_kiosk_role_alone_cannot_be_left_without_the_pin(runtime: Runtime) -> None:
    app = DeskApp(runtime, role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+c", "escape", "ctrl+q")
        await pilot.press("escape")  # cancels the PIN prompt
        await pilot.pause()
        assert isinstance(app.screen, KioskScreen) and app.is_running
        await pilot.press("ctrl+q", *"2468", "enter")
        await pilot.pause()
    assert not app.is_running
