"""The desk App: one role per process (kiosk, counter N, board, admin) or the demo
launcher, from which every role's screen opens and returns."""

from __future__ import annotations

from pathlib import Path

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from desk.i18n import t
from desk.queue import Queue
from desk.runtime import Runtime


class DeskApp(App[None], inherit_bindings=False):
    """No global quit key: each screen decides how it is left (the kiosk needs the PIN)."""

    CSS_PATH = Path(__file__).with_name("styles") / "desk.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [Binding("ctrl+c", "noop", show=False, system=True)]

    def __init__(self, runtime: Runtime, role: str, counter: int | None = None) -> None:
        super().__init__()
        self.runtime = runtime
        self.role = role
        self.queue = Queue(runtime)
        self.counter_number = counter

    def on_mount(self) -> None:
        config = self.runtime.config
        self.title = t("app.title")
        self.sub_title = config.center_name()
        self.push_screen(self.screen_for(self.role, self.counter_number))

    def screen_for(self, role: str, counter: int | None = None) -> Screen[None]:
        if role == "launcher":
            from screens.launcher import LauncherScreen

            return LauncherScreen()
        if role == "kiosk":
            from screens.kiosk import KioskScreen

            return KioskScreen()
        if role == "counter":
            from screens.counter import CounterScreen

            assert counter is not None
            return CounterScreen(counter)
        if role == "board":
            from screens.board import BoardScreen

            return BoardScreen()
        if role == "rate":
            from screens.rate import RateScreen

            assert counter is not None
            return RateScreen(counter)
        if role == "admin":
            from screens.admin import AdminScreen

            return AdminScreen()
        raise ValueError(role)

    def open_role(self, role: str, counter: int | None = None) -> None:
        self.push_screen(self.screen_for(role, counter))

    def leave_screen(self) -> None:
        """Back to the launcher in the demo; otherwise end the program."""
        if self.role == "launcher" and len(self.screen_stack) > 2:
            self.pop_screen()
        else:
            self.exit()

    def action_noop(self) -> None:
        """Ctrl+C does nothing: roles are left by their own keys."""
