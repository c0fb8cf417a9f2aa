"""The login typed in one burst: an officer who types fast, keys that come in one
packet over SSH, a password manager. Every key must land in the field the officer
meant: a password in the name field is shown in plain sight."""

from __future__ import annotations

import pytest
from textual.widgets import Input

from desk.center.accounts import ensure_demo_accounts
from desk.center.runtime import Runtime
from screens.app import DeskApp
from screens.counter import CounterScreen
from screens.login import LoginScreen
from tests.screens.test_counter_typeahead import burst
from tests.screens.test_everyday import settle


@pytest.mark.parametrize("between", ["tab", "enter", "ctrl+j"])
async def test_a_login_typed_in_one_burst_signs_in(runtime: Runtime, between: str) -> None:
    ensure_demo_accounts(runtime.engine)
    app = DeskApp(runtime, role="counter", counter=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        user = screen.query_one("#login-user", Input)
        password = screen.query_one("#login-password", Input)
        await burst(app, pilot, *"canbo", between, *"canbo123", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen), (user.value, password.value)
        assert app.officer is not None and app.officer.username == "canbo"


async def test_shift_tab_in_a_burst_goes_back_to_the_name(runtime: Runtime) -> None:
    """Name, Tab, password, Shift+Tab typed at once: each key lands in its field."""
    app = DeskApp(runtime, role="counter", counter=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await burst(app, pilot, *"can", "tab", "x", "shift+tab")
        assert screen.query_one("#login-user", Input).value == "can"
        assert screen.query_one("#login-password", Input).value == "x"
        assert app.focused is screen.query_one("#login-user", Input)


@pytest.mark.parametrize(
    "keys,typed",
    [
        (["c", "a", "n", "b", "x", "backspace", "o"], "canbo"),
        (["c", "a", "n", "o", "left", "b"], "canbo"),
        (["a", "n", "b", "o", "home", "c"], "canbo"),
        (["c", "a", "n", "b", "o", "x", "left", "delete"], "canbo"),
    ],
    ids=["backspace", "left", "home", "delete"],
)
async def test_an_editing_key_in_a_burst_acts_before_the_next_key(
    runtime: Runtime, keys: list[str], typed: str
) -> None:
    """A correction typed quickly (one packet over SSH, tmux's send-keys): Backspace
    then a letter left the name as it was, the letter typed and then deleted, since the
    field acted on Backspace only once it had gone round the app."""
    app = DeskApp(runtime, role="counter", counter=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await burst(app, pilot, *keys)
        assert screen.query_one("#login-user", Input).value == typed


@pytest.mark.parametrize(
    "keys,message,field",
    [
        (["enter", "enter"], "Chưa nhập tên đăng nhập", "#login-user"),
        ([*"canbo", "enter", "enter"], "Chưa nhập mật khẩu", "#login-password"),
        ([" ", "tab", *"canbo123", "enter"], "Chưa nhập tên đăng nhập", "#login-user"),
    ],
    ids=["nothing", "no-password", "blank-name"],
)
async def test_an_empty_field_is_named_not_taken_for_a_wrong_password(
    runtime: Runtime, keys: list[str], message: str, field: str
) -> None:
    ensure_demo_accounts(runtime.engine)
    app = DeskApp(runtime, role="counter", counter=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await pilot.press(*keys)
        await settle(app, pilot)
        shown = str(screen.query_one("#login-message").render())
        assert message in shown and "Sai" not in shown
        assert app.focused is screen.query_one(field, Input)
        assert isinstance(app.screen, LoginScreen) and app.officer is None
