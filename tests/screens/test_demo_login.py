"""The login box names the demo's accounts on the demo's database, whichever way a
screen was opened on it (the launcher, or ``desk counter 1`` after ``eval "$(desk
demo --env)"``), and never on a center's own database, not even one ``desk demo``
was once pointed at."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Static

from desk.center.accounts import add_officer
from desk.center.config import Config
from desk.center.runtime import Runtime, open_runtime, prepare_demo
from screens.app import DeskApp
from screens.login import LoginScreen
from tests.screens.test_counter import settle
from tests.screens.test_snapshots import SIZES, keys

HINT = "Tài khoản mẫu: canbo / canbo123 · giamdoc / giamdoc123 · admin / admin123"


async def shown_on_the_login(runtime: Runtime) -> list[str]:
    """The lines the login box of counter 1 shows at 80 columns (hidden ones left
    out); the demo's accounts, when shown, take one line."""
    app = DeskApp(runtime, role="counter", counter=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, LoginScreen)
        hint = app.screen.query_one("#login-demo", Static)
        assert not hint.display or hint.size.height == 1
        return [str(w.render()) for w in app.screen.query(Static) if w.display]


async def test_the_demo_database_names_its_accounts(config: Config) -> None:
    demo = prepare_demo(config)  # `desk demo --env`: the demo's own file
    try:
        assert HINT in await shown_on_the_login(demo)
    finally:
        demo.close()


async def test_a_demo_database_elsewhere_names_them_too(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("DESK_DB", f"sqlite:///{tmp_path / 'try.db'}")
    demo = prepare_demo(config)  # `DESK_DB=… desk demo`: its accounts made there
    try:
        assert HINT in await shown_on_the_login(demo)
    finally:
        demo.close()


async def test_a_centers_database_never_names_them(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'desk.db'}"
    center = open_runtime(config, url)
    try:  # `desk officer add admin --role admin`: the center's first account
        add_officer(center.engine, None, "admin", "Nguyễn Văn Quản", "admin", "a-long-secret")
        assert not any("canbo" in line for line in await shown_on_the_login(center))
    finally:
        center.close()
    monkeypatch.setenv("DESK_DB", url)
    pointed = prepare_demo(config)  # `desk demo` run on it by mistake: it has accounts
    try:
        assert not any("canbo" in line for line in await shown_on_the_login(pointed))
    finally:
        pointed.close()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_demo_login(snap_compare: Any, config: Config, size: tuple[int, int]) -> None:
    demo = prepare_demo(config)
    try:
        app = DeskApp(demo, role="counter", counter=1)
        assert snap_compare(app, terminal_size=size, run_before=keys())
    finally:
        demo.close()
