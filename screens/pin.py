"""PIN prompt that guards leaving the kiosk.

Like the officer login, wrong PINs slow down: after :data:`FREE_TRIES` wrong PINs
in a row each further one starts a pause (30 s, then doubling up to 15 minutes)
during which no PIN is checked. The count belongs to the app, so closing and
reopening the prompt does not reset it; the right PIN does. The pause's remaining
seconds count down on the prompt.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from desk.i18n import t
from screens.base import DeskModal

FREE_TRIES = 3
FIRST_PAUSE_SECONDS = 30.0
LONGEST_PAUSE_SECONDS = 15 * 60.0


class PinGuard:
    """Wrong PINs in a row and the pause they earned (on a monotonic ``clock``)."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self.failures = 0
        self.until = 0.0

    def wait(self) -> int:
        """Whole seconds left of the pause (0: a PIN may be tried)."""
        return max(0, math.ceil(self.until - self.clock()))

    def failed(self) -> None:
        self.failures += 1
        if self.failures >= FREE_TRIES:
            extra = self.failures - FREE_TRIES
            pause = min(LONGEST_PAUSE_SECONDS, FIRST_PAUSE_SECONDS * 2 ** min(extra, 16))
            self.until = self.clock() + pause

    def passed(self) -> None:
        self.failures, self.until = 0, 0.0


def guard_of(app: App[object]) -> PinGuard:
    """The app's PIN guard (one per kiosk or rating keypad process)."""
    guard = getattr(app, "pin_guard", None)
    if not isinstance(guard, PinGuard):
        guard = PinGuard()
        app.pin_guard = guard  # type: ignore[attr-defined]
    return guard


class PinPrompt(DeskModal[bool]):
    """Dismisses with True when the configured PIN was typed."""

    AUTO_FOCUS = "#pin"
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, pin: str) -> None:
        super().__init__(classes="pin-prompt")
        self._pin = pin
        self._counting = False
        """The pause's countdown is on screen."""

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-box"):
            yield Label(t("pin.title"))
            yield Input(password=True, id="pin", max_length=8, restrict=r"\d*")
            yield Static("", id="pin-error", markup=False)

    def on_mount(self) -> None:
        self._tick()
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        """The pause's remaining seconds count down on screen, each second; when it
        ends the prompt says a PIN may be typed again."""
        left = guard_of(self.app).wait()
        error = self.query_one("#pin-error", Static)
        if left:
            error.update(t("pin_guard.paused", seconds=left))
            self._counting = True
        elif self._counting:
            error.update(t("walkthrough.pin.ready"))
            self._counting = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        guard = guard_of(self.app)
        event.input.value = ""
        error = self.query_one("#pin-error", Static)
        if guard.wait():  # paused: the PIN is not even compared
            error.update(t("pin_guard.paused", seconds=guard.wait()))
            return
        if event.value == self._pin:
            guard.passed()
            self.dismiss(True)
            return
        guard.failed()
        self._counting = bool(guard.wait())
        error.update(
            t("pin_guard.paused", seconds=guard.wait()) if guard.wait() else t("pin.wrong")
        )

    def action_cancel(self) -> None:
        self.dismiss(False)
