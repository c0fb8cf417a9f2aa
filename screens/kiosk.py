"""Kiosk: citizens take a numbered ticket."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from desk.i18n import t
from screens.base import DeskScreen
from screens.pin import PinPrompt


class KioskScreen(DeskScreen, inherit_bindings=False):
    BINDINGS = [Binding("ctrl+q", "leave", "keys.leave", show=False)]

    def __init__(self) -> None:
        super().__init__(classes="kiosk")

    def compose(self) -> ComposeResult:
        yield Static(self.runtime.config.center.name, id="kiosk-center", markup=False)
        yield Static(t("kiosk.welcome"), id="kiosk-welcome")

    def action_leave(self) -> None:
        def done(ok: bool | None) -> None:
            if ok:
                self.desk.leave_screen()

        self.app.push_screen(PinPrompt(self.runtime.config.ui.kiosk_pin), done)
