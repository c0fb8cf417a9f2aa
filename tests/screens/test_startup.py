"""A role's start: the first frame comes from the configuration alone, the runtime
opens in a worker behind it, and keys pressed meanwhile are answered, never lost."""

from __future__ import annotations

import gc
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlmodel import func, select
from textual.widget import Widget
from textual.widgets import Input, Static

from db.engine import read_session
from db.models import Ticket
from desk.center.config import Config
from desk.center.first_frame import FirstFrame, first_frame, read_toml
from desk.center.runtime import Runtime, open_runtime
from desk.errors import ConfigError
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.first import BoardFrame, KioskFrame, LoginFrame
from tests.conftest import SAMPLE_CONFIG, signed_in
from tests.screens.test_counter import settle

ROOT = Path(__file__).resolve().parents[2]


def sample_frame() -> FirstFrame:
    frame = first_frame(read_toml(SAMPLE_CONFIG))
    assert frame is not None
    return frame


class Gate:
    """Opens the runtime only when the test lets it (the slow old PC)."""

    def __init__(self, config: Config, db_url: str) -> None:
        self.config, self.db_url = config, db_url
        self.go = threading.Event()
        self.opened: Runtime | None = None

    def __call__(self) -> Runtime:
        assert self.go.wait(30), "the test never let the runtime open"
        self.opened = open_runtime(self.config, self.db_url)
        return self.opened


async def ready(app: DeskApp, pilot: object) -> None:
    """Wait for the start-up worker, the real screen and the held keys."""
    await settle(app, pilot)
    assert app.ready
    await settle(app, pilot)


def tickets(runtime: Runtime | None) -> int:
    assert runtime is not None
    with read_session(runtime.engine) as s:
        return int(s.exec(select(func.count()).select_from(Ticket)).one())


@pytest.mark.usefixtures("open_hours")
async def test_a_kiosk_key_pressed_before_the_database_is_open_is_answered(
    config: Config, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    gate = Gate(config, db_url)
    app = DeskApp(gate, role="kiosk", first_frame=sample_frame())
    async with app.run_test(size=(80, 24)) as pilot:
        assert isinstance(app.screen, KioskFrame)
        tiles = [str(s.render()) for s in app.screen.query(".tile").results(Static)]
        assert tiles[0] == "1  Hộ tịch" and tiles[-1] == "0  ★ Ưu tiên"
        await pilot.press("1")  # a citizen does not wait for the database
        assert not app.ready and gate.opened is None
        gate.go.set()
        await ready(app, pilot)
        assert type(app.screen).__name__ == "KioskScreen"
        assert str(app.screen.query_one("#ticket-number", BigText).value) == "A001"
        await pilot.press("2")  # and the kiosk goes on as usual
        await settle(app, pilot)
        assert str(app.screen.query_one("#ticket-number", BigText).value) == "B001"
    assert tickets(gate.opened) == 2


@pytest.mark.usefixtures("open_hours")
async def test_the_priority_menu_opened_before_the_database_is_open(
    config: Config, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    gate = Gate(config, db_url)
    app = DeskApp(gate, role="kiosk", first_frame=sample_frame())
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("0", "2", "1")  # priority menu, elderly, civil status
        gate.go.set()
        await ready(app, pilot)
        assert str(app.screen.query_one("#ticket-number", BigText).value) == "★A001"
        assert "Số ưu tiên" in str(app.screen.query_one("#ticket-mark", Static).render())


async def test_an_officer_types_the_login_before_the_database_is_open(
    config: Config, db_url: str
) -> None:
    gate = Gate(config, db_url)
    app = DeskApp(gate, role="counter", counter=1, first_frame=sample_frame())
    async with app.run_test(size=(100, 30)) as pilot:
        assert isinstance(app.screen, LoginFrame)
        await pilot.press(*"canbo", "enter", *"canbo123")
        signed_in(open_runtime(config, db_url), "canbo")  # the demo accounts exist
        gate.go.set()
        await ready(app, pilot)
        assert app.screen.query_one("#login-password", Input).value == "canbo123"
        await pilot.press("enter")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CounterScreen"
        assert app.officer is not None and app.officer.username == "canbo"


async def test_a_problem_found_while_opening_ends_the_app_with_its_message(
    db_url: str,
) -> None:
    def broken() -> Runtime:
        raise ConfigError(["config.toml: ui.idle_lock_minutes: expected a number >= 1, got 0"])

    app = DeskApp(broken, role="board", first_frame=sample_frame())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
    assert app.return_code == 1
    assert isinstance(app.startup_error, ConfigError)
    assert "ui.idle_lock_minutes" in str(app.startup_error)


def layout(app: DeskApp) -> list[tuple[str, object, str]]:
    """Every visible widget with an id: where it is and what it shows."""
    out = []
    for widget in app.screen.query("*").results(Widget):
        if widget.id and widget.display and widget.region.area:
            shown = str(widget.render()) if isinstance(widget, Static | BigText) else ""
            out.append((widget.id, widget.region, shown))
    return sorted(out, key=lambda w: w[0])


async def first_and_real(
    runtime: Runtime, role: str, size: tuple[int, int], counter: int | None = None
) -> tuple[list[tuple[str, object, str]], list[tuple[str, object, str]]]:
    gate = threading.Event()

    def opener() -> Runtime:
        assert gate.wait(30)
        return runtime

    app = DeskApp(opener, role=role, counter=counter, first_frame=sample_frame())
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        first = layout(app)
        gate.set()
        await ready(app, pilot)
        real = layout(app)
    return first, real


async def test_the_real_screen_takes_the_first_frames_place_unseen(runtime: Runtime) -> None:
    from desk.center.accounts import ensure_demo_accounts

    # a center with accounts (without any, the login adds how to create the first one)
    ensure_demo_accounts(runtime.engine)
    # and a counter at work: with none, the board's title says so once it has read the
    # counters (tests/screens/test_counter.py), which its first frame cannot know
    from desk.queue.engine import Queue

    Queue(runtime).set_state(1, "open")
    for role, counter, frame_type in (
        ("kiosk", None, KioskFrame),
        ("board", None, BoardFrame),
        ("counter", 1, LoginFrame),
    ):
        for size in ((80, 24), (120, 40)):
            first, real = await first_and_real(runtime, role, size, counter)
            assert first, (role, frame_type)
            # every part of the first frame is where the real screen draws it, and
            # says the same (the board's calls and the kiosk's ticket come later)
            assert [w for w in real if w[0] in {f[0] for f in first}] == first, (role, size)


def test_the_first_frame_needs_no_database_library() -> None:
    code = (
        "import sys\n"
        "from desk.cli.roles import run_ui\n"
        "from desk.center.first_frame import first_frame, read_toml, resolve_config_path\n"
        "from screens.app import DeskApp\n"
        "from screens.first import first_screen\n"
        "frame = first_frame(read_toml(resolve_config_path()[0]))\n"
        "for role in ('kiosk', 'board', 'counter'):\n"
        "    DeskApp(lambda: None, role=role, first_frame=frame)\n"
        "    first_screen(role, frame, login=role == 'counter')\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'pydantic', 'alembic', 'db', 'escpos', 'PIL')\n"
        "print(sorted({m.split('.')[0] for m in sys.modules} & set(heavy)))\n"
        "print('textual.widgets._data_table' in sys.modules)\n"  # about 8 ms
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["[]", "False"]


def test_first_frame_of_a_file_it_cannot_read_is_none() -> None:
    raw = read_toml(SAMPLE_CONFIG)
    assert first_frame(raw) == sample_frame()
    assert first_frame({**raw, "services": "A"}) is None
    assert first_frame({**raw, "center": {"agency": "x"}}) is None
    assert first_frame({**raw, "ui": {"language": "fr"}}) is None
    assert first_frame({**raw, "counters": [{"number": "1"}]}) is None


def read_css(app: DeskApp, path: Path) -> bool:
    """The app has read the style sheet ``path``."""
    return app.stylesheet.has_source(str(path), "")


@pytest.mark.usefixtures("open_hours")
async def test_the_first_frame_waits_only_for_its_own_styles(
    config: Config, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual parses an app's whole style sheet before its first frame: the other
    screens' rules (desk.tcss) are read once the real screen is ready. The frame is
    the app's first screen: no empty screen is laid out before it."""
    from screens.app import FIRST_CSS, ROLES_CSS

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    gate = Gate(config, db_url)
    app = DeskApp(gate, role="kiosk", first_frame=sample_frame())
    async with app.run_test(size=(80, 24)) as pilot:
        assert [type(s) for s in app.screen_stack] == [KioskFrame]
        assert read_css(app, FIRST_CSS) and not read_css(app, ROLES_CSS)
        await pilot.press("1")
        gate.go.set()
        await ready(app, pilot)
        assert read_css(app, ROLES_CSS)
        ticket = app.screen.query_one("#kiosk-ticket")
        assert ticket.display and ticket.styles.align_horizontal == "center"  # desk.tcss


def test_the_first_frames_styles_are_only_theirs() -> None:
    """first.tcss styles the kiosk's home and the board alone, so whether desk.tcss
    is read before or after it changes no node's style."""
    from screens.app import FIRST_CSS

    selectors = re.findall(r"^([^\s/*}][^{]*)\{", FIRST_CSS.read_text(), re.MULTILINE)
    assert selectors
    for group in selectors:
        for selector in group.split(","):
            assert selector.split()[0] in {".kiosk", ".board", ".board.-high-contrast"}, selector


async def test_garbage_collection_is_back_once_the_first_frame_is_painted(
    config: Config, db_url: str
) -> None:
    """`desk kiosk` and the other roles hold Python's garbage collection back until
    their first frame (desk.cli.roles): the app turns it on again then."""
    gate = Gate(config, db_url)
    gc.disable()
    try:
        app = DeskApp(gate, role="board", first_frame=sample_frame())
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, BoardFrame) and gc.isenabled()
            gate.go.set()
            await ready(app, pilot)
    finally:
        gc.enable()
