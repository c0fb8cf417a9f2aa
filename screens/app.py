"""The desk App: one role per process (kiosk, counter N, board, admin) or the demo
launcher, from which every role's screen opens and returns.

Start-up: a role started from the command line gets a function that opens its
runtime, and the first frame's values of the configuration
(:mod:`desk.center.first_frame`). The app paints that frame first, as its first
screen (:mod:`screens.first`: the kiosk's tiles, the board's frame, the login box),
styled by the first frames' own style sheet; then it opens the runtime and imports
the role's screen in a thread worker (SQLAlchemy, pydantic, the database), reads the
other screens' styles and shows the real screen over the frame. Keys pressed
meanwhile are held and given to the real screen in order, so a citizen's key is
answered, never lost. A problem while opening (a bad configuration, an unusable
database) ends the app and is raised again by :meth:`DeskApp.run_role` for the
command line to report.
"""

from __future__ import annotations

import asyncio
import gc
import importlib
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Input

from desk.i18n import catalog, get_language, t

if TYPE_CHECKING:
    from desk.center.accounts import Actor
    from desk.center.first_frame import FirstFrame
    from desk.center.runtime import Runtime
    from desk.queue.engine import Queue

SIGNED_IN_ROLES = {"counter": "counter", "admin": "dashboard"}
"""Roles whose screen starts at a login, and the action the account must be allowed."""

SCREEN_MODULES = {
    "kiosk": ("screens.kiosk",),
    "board": ("screens.board",),
    "counter": ("screens.login", "screens.counter"),
    "admin": ("screens.login", "screens.admin"),
    "rate": ("screens.rate",),
    "launcher": ("screens.launcher",),
}
"""What each role's first real screen imports (loaded in the start-up worker)."""

STYLES = Path(__file__).with_name("styles")
FIRST_CSS = STYLES / "first.tcss"
"""The first frames' styles (the kiosk's home, the board), parsed at start."""
ROLES_CSS = STYLES / "desk.tcss"
"""Every other screen's styles: parsed once the role's real screen is ready when the
app starts at a first frame (about three quarters of the CSS, which the first frame
would otherwise wait for), else at start."""

RELEASE_SECONDS = 10.0
"""How often an idle app gives the free pages of its heap back to the system."""

FIELD_EDIT_KEYS = {
    "backspace": "delete_left",
    "delete": "delete_right",
    "left": "cursor_left",
    "right": "cursor_right",
    "home": "home",
    "end": "end",
}
"""A text field's editing keys, acted on as the app reads them (see
:meth:`DeskApp.action_edit_field`)."""


class DeskApp(App[None], inherit_bindings=False):
    """No global quit key: each screen decides how it is left (the kiosk needs the PIN)."""

    CSS_PATH = [FIRST_CSS, ROLES_CSS]
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("ctrl+c", "noop", show=False, system=True),
        Binding("f1", "help", "keys.help", id="app.help", show=False),
        *(
            Binding(key, f"edit_field('{action}')", show=False, priority=True)
            for key, action in FIELD_EDIT_KEYS.items()
        ),
    ]

    runtime: Runtime
    queue: Queue

    def __init__(
        self,
        runtime: Runtime | Callable[[], Runtime],
        role: str,
        counter: int | None = None,
        officer: Actor | None = None,
        first_frame: FirstFrame | None = None,
    ) -> None:
        """``runtime``: an open runtime, or a function that opens it (in a worker, after
        the first frame drawn from ``first_frame``). ``officer`` skips the login (tests
        that are not about logging in)."""
        super().__init__(css_path=[FIRST_CSS] if callable(runtime) else None)
        from screens.textual_compat import lean_strips, translate_own_bindings
        from screens.typeahead import TypeAhead

        lean_strips()
        translate_own_bindings(self)
        self.role = role
        self.counter_number = counter
        self.officer: Actor | None = None
        self.idle_clock = time.monotonic
        self.last_activity = self.idle_clock()
        self.locked = False
        self.first_frame = first_frame
        self.startup_error: BaseException | None = None
        self._opener: Callable[[], Runtime] | None = None
        self._held_keys: list[tuple[str, str | None]] | None = None
        self._replaying: events.Key | None = None
        self.bar_read = False
        """A "|" was read (a scanned CCCD's line holds them) since a screen last
        cleared this: the intake's Enter, read before the field has taken the line's
        keys, leaves the scan's Enter to the field (screens.intake.enter_field)."""
        self.type_ahead = TypeAhead(self)
        """Keys typed while the look-up or the intake form opens (screens.typeahead)."""
        self.memory_releases = 0
        """Times the free pages of the heap went back to the system (bench/startup.py)."""
        if callable(runtime):
            self._opener = runtime
            self._held_keys = []
        else:
            self._use(runtime)
        if officer is not None:
            self.sign_in(officer)

    @property
    def ready(self) -> bool:
        """The runtime is open and the role's screen is up (or about to be)."""
        return self._held_keys is None

    def _use(self, runtime: Runtime) -> None:
        from desk.queue.engine import Queue

        self.runtime = runtime
        self.queue = Queue(runtime)

    def run_role(self) -> None:
        """Run the app; a problem met while opening the runtime is raised here, after
        the terminal is restored."""
        self.run()
        if self.startup_error is not None:
            raise self.startup_error

    def sign_in(self, actor: Actor) -> None:
        from desk.center.accounts import act_as

        self.officer = actor
        act_as(actor.id)
        self.touch()

    def is_replayed(self, event: events.Key) -> bool:
        """Whether ``event`` is a key pressed while the role was opening, given to its
        screen now: when it was pressed is lost, so it cannot be told from a scan."""
        return event is self._replaying

    def touch(self) -> None:
        self.last_activity = self.idle_clock()
        self.locked = False

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key):
            held = self._held_keys
            if held is not None and event is not self._replaying and not event.is_forwarded:
                held.append((event.key, event.character))  # for the real screen
                return
            self.last_activity = self.idle_clock()
            if event.character == "|":
                self.bar_read = True
            if self.type_ahead.take(event):
                return
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

    def get_default_screen(self) -> Screen[None]:
        """The first frame, when the app starts at one: Textual's first screen, so no
        empty screen is laid out and styled before it (about 10 ms of the first
        frame). The real screen is pushed over it (:meth:`_show_role`)."""
        if self._opener is None or self.first_frame is None:
            return super().get_default_screen()
        from screens.first import first_screen

        login = self.role in SIGNED_IN_ROLES
        return first_screen(self.role, self.first_frame, login=login, counter=self.counter_number)

    def on_mount(self) -> None:
        self.title = t("app.title")
        self.set_interval(5.0, self.check_idle_lock)
        self.set_interval(RELEASE_SECONDS, self.release_memory)
        if self._opener is None:
            self.sub_title = self.runtime.config.center_name()
            self.push_screen(self.screen_for(self.role, self.counter_number))
            return
        if self.first_frame is not None:
            self.sub_title = self.first_frame.center_name
        # the heavy imports start once the first frame is on the terminal, with the
        # garbage collection the command line held back until then (desk.cli.roles)
        self.call_after_refresh(gc.enable)
        self.call_after_refresh(self._open_runtime, self._opener)

    @work(thread=True, exclusive=True, group="startup", exit_on_error=False)
    def _open_runtime(self, opener: Callable[[], Runtime]) -> None:
        """Open the runtime and import the role's screens, off the UI thread."""
        try:
            runtime = opener()
            self._use(runtime)
            for name in SCREEN_MODULES.get(self.role, ()):
                importlib.import_module(name)
            catalog(get_language())  # the first frame read one file of the messages
        except Exception as exc:
            self.call_from_thread(self._failed_to_start, exc)
            return
        self.call_from_thread(self._show_role)  # type: ignore[arg-type]  # a coroutine function

    def _failed_to_start(self, exc: Exception) -> None:
        """End the app; :meth:`run_role` raises ``exc`` for the command line."""
        from desk.logs import get

        get("app").error("%s could not start: %s", self.role, exc)
        self.startup_error = exc
        self.exit(None, 1)

    async def _show_role(self) -> None:
        """The real screen in the first frame's place, then the held keys."""
        self.sub_title = self.runtime.config.center_name()
        try:
            self._read_roles_css()
            # over the first frame (the app's first screen, see get_default_screen), which
            # it hides as Textual's empty first screen is hidden by any other app's screens
            await self.push_screen(self.screen_for(self.role, self.counter_number))
        except Exception as exc:
            # ended as a problem while opening is: the keys held for the screen go
            # (held, every key typed afterwards was held too, on a frame that never
            # answered), and the command line reports the problem
            self._held_keys = None
            self._failed_to_start(exc)
            return
        held = self._held_keys if self._held_keys is not None else []
        while held:  # a key pressed meanwhile is held too, so the order is kept
            key, character = held.pop(0)
            self._replaying = events.Key(key, character)
            self.post_message(self._replaying)
            await self._settle()
        self._held_keys = None
        # the start-up's garbage (the first frame, the imports, the configuration)
        self.call_after_refresh(self.release_memory, force=True)

    def _read_roles_css(self) -> None:
        """Add the styles of every screen but the first frames (:data:`ROLES_CSS`):
        only that file is parsed (the others' rules are kept), and the nodes on screen
        are restyled, which leaves the first frame as it is."""
        if ROLES_CSS in self.css_path:
            return
        self.css_path.append(ROLES_CSS)
        self.stylesheet.read(ROLES_CSS)
        self.stylesheet.update(self)

    def release_memory(self, force: bool = False) -> None:
        """Give the free pages glibc keeps after a step back to the system (see
        desk.center.memory), when nobody has pressed a key for a second."""
        if not force and self.idle_clock() - self.last_activity < 1.0:
            return  # typing: the next timer does it
        from desk.center.memory import release_free_memory

        if release_free_memory():
            self.memory_releases += 1

    async def _settle(self, rounds: int = 8) -> None:
        """Let the app, the screen and its widgets handle what a key set off (a key
        goes from the app to the focused widget, whose messages bubble up to the
        screen, which may move the focus through the app: one hop per round), so the
        next held key lands where the officer's next key would have."""
        for _ in range(rounds):
            nodes = [self, *self.screen.walk_children(with_self=True)]
            done = [asyncio.Event() for _ in nodes]
            waiting = [ev for node, ev in zip(nodes, done, strict=True) if node.call_later(ev.set)]
            for event in waiting:
                await event.wait()

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

        return LoginScreen(action, then, counter=counter, role=role)

    @property
    def leaving_quits(self) -> bool:
        """A role's screen left with Esc ends the program (the role was started on its
        own), rather than going back to the demo's launcher: its key says which."""
        return self.role != "launcher"

    def leave_screen(self, sign_out: bool = False) -> None:
        """Back to the launcher in the demo (``sign_out``: the officer who leaves a
        counter is signed out, so the next one logs in); otherwise end the program."""
        if not self.leaving_quits and len(self.screen_stack) > 2:
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "edit_field":  # no text field focused: the key goes on as it would
            return isinstance(self.focused, Input)
        return True

    def action_edit_field(self, action: str) -> None:
        """Backspace, Delete, ←, →, Home and End in a text field, in their turn among the
        keys typed. A field acts on them through its bindings, which Textual runs once
        the key has gone from the app to the field and back up to the app, so a letter
        typed in the same burst (a quick correction, one packet over SSH) went in first:
        the letter typed after Backspace was the one deleted, and a corrected password
        failed the sign-in. Here the app puts the edit in the field's queue as it reads
        the key, behind the letters typed before it and ahead of those after."""
        field = self.focused
        if isinstance(field, Input):
            # in the field's own queue: after the keys already sent to it, before the next
            field.call_later(getattr(field, f"action_{action}"))

    def action_noop(self) -> None:
        """Ctrl+C does nothing: roles are left by their own keys."""
