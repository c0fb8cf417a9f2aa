"""PIN prompt that guards leaving the kiosk."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Label, Static

from desk.i18n import t
from screens.base import DeskModal


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
        if event.value == self._pin:
            self.dismiss(True)
        else:
            event.input.value = ""
            self.query_one("#pin-error", Static).update(t("pin.wrong"))

    def action_cancel(self) -> None:
        self.dismiss(False)
