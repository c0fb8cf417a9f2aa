"""The desk App: one role per process (kiosk, counter N, board, admin) or the demo
launcher, from which every role's screen opens and returns."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from desk.center.runtime import Runtime
from desk.i18n import t
from desk.queue.engine import Queue

if TYPE_CHECKING:
    from desk.center.accounts import Actor

SIGNED_IN_ROLES = {"counter": "counter", "admin": "dashboard"}
"""Roles whose screen starts at a login, and the action the account must be allowed."""


class DeskApp(App[None], inherit_bindings=False):
    """No global quit key: each screen decides how it is left (the kiosk needs the PIN)."""

    CSS_PATH = Path(__file__).with_name("styles") / "desk.tcss"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+c", "noop", show=False, system=True),
        Binding("f1", "help", "keys.help", id="app.help", show=False),
    ]

    def __init__(
        self,
        runtime: Runtime,
        role: str,
        counter: int | None = None,
        officer: Actor | None = None,
    ) -> None:
        """``officer`` skips the login (tests that are not about logging in)."""
        super().__init__()
        from screens.textual_compat import translate_own_bindings

        translate_own_bindings(self)
        self.runtime = runtime
        self.role = role
        self.queue = Queue(runtime)
        self.counter_number = counter
        self.officer: Actor | None = None
        self.idle_clock = time.monotonic
        self.last_activity = self.idle_clock()
        self.locked = False
        if officer is not None:
            self.sign_in(officer)

    def sign_in(self, actor: Actor) -> None:
        from desk.center.accounts import act_as

        self.officer = actor
        act_as(actor.id)
        self.touch()

    def touch(self) -> None:
        self.last_activity = self.idle_clock()
        self.locked = False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            self.last_activity = self.idle_clock()
        await super().on_event(event)

    def check_idle_lock(self) -> None:
        """Lock an officer's screen after the configured idle time."""
        if self.officer is None or self.locked:
            return
        if not any(
            type(s).__name__ in ("CounterScreen", "AdminScreen", "IntakeScreen", "LookupScreen")
            for s in self.screen_stack
        ):
            return
        minutes = self.runtime.config.ui.idle_lock_minutes
        if self.idle_clock() - self.last_activity >= minutes * 60:
            from screens.login import LockScreen

            self.locked = True
            self.push_screen(LockScreen(self.officer, minutes))

    def on_mount(self) -> None:
        config = self.runtime.config
        self.title = t("app.title")
        self.sub_title = config.center_name()
        self.set_interval(5.0, self.check_idle_lock)
        self.push_screen(self.screen_for(self.role, self.counter_number))

    def screen_for(self, role: str, counter: int | None = None) -> Screen[None]:
        if role in SIGNED_IN_ROLES:
            return self._signed_in(role, counter)
        return self._role_screen(role, counter)

    def _role_screen(self, role: str, counter: int | None = None) -> Screen[None]:
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

    def _signed_in(self, role: str, counter: int | None) -> Screen[None]:
        """The role's screen, behind a login unless an allowed officer is signed in."""
        from desk.center.accounts import PermissionDenied, require

        action = SIGNED_IN_ROLES[role]
        if self.officer is not None:
            try:
                require(self.officer, action)
                return self._role_screen(role, counter)
            except PermissionDenied:
                pass
        from screens.login import LoginScreen

        def then(_actor: Actor) -> None:
            self.switch_screen(self._role_screen(role, counter))

        return LoginScreen(action, then, demo=self.role == "launcher", counter=counter)

    def leave_screen(self, sign_out: bool = False) -> None:
        """Back to the launcher in the demo (``sign_out``: the officer who leaves a
        counter is signed out, so the next one logs in); otherwise end the program."""
        if self.role == "launcher" and len(self.screen_stack) > 2:
            if sign_out:
                from desk.center.accounts import act_as

                self.officer = None
                act_as(None)
            self.pop_screen()
        else:
            self.exit()

    def action_help(self) -> None:
        """F1: every key of the screen below, in the configured language."""
        from screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.screen))

    def action_noop(self) -> None:
        """Ctrl+C does nothing: roles are left by their own keys."""
