"""Counter workstation of one officer."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from desk.i18n import t
from screens.base import DeskScreen


class CounterScreen(DeskScreen):
    BINDINGS = [Binding("escape", "leave", "keys.back")]

    def __init__(self, number: int) -> None:
        super().__init__(classes="counter")
        self.number = number

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(t("counter.title", number=self.number), id="counter-title")
        yield Footer()

    def action_leave(self) -> None:
        self.desk.leave_screen()
