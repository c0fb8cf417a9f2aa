"""PIN prompt that guards leaving the kiosk.

Like the officer login, wrong PINs slow down: after :data:`FREE_TRIES` wrong PINs
in a row each further one starts a pause (30 s, then doubling up to 15 minutes)
during which no PIN is checked. The count belongs to the app, so closing and
reopening the prompt does not reset it; the right PIN does.
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

    def compose(self) -> ComposeResult:
        with Vertical(id="pin-box"):
            yield Label(t("pin.title"))
            yield Input(password=True, id="pin", max_length=8, restrict=r"\d*")
            yield Static("", id="pin-error", markup=False)

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
        error.update(
            t("pin_guard.paused", seconds=guard.wait()) if guard.wait() else t("pin.wrong")
        )

    def action_cancel(self) -> None:
        self.dismiss(False)
