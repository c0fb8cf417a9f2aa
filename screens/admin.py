"""Director's dashboard (reports arrive with the reporting work)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from desk.i18n import t
from screens.base import DeskScreen
from screens.syncbadge import SyncBadge


class AdminScreen(DeskScreen):
    BINDINGS = [Binding("escape", "leave", "keys.back")]

    def __init__(self) -> None:
        super().__init__(classes="admin")

    def compose(self) -> ComposeResult:
        yield Header()
        yield SyncBadge()
        yield Static(t("admin.title"), id="admin-title")
        yield Static(t("admin.empty"), id="admin-empty")
        yield Footer()

    def action_leave(self) -> None:
        self.desk.leave_screen()
