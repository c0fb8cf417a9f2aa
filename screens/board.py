"""Display board: which ticket goes to which counter."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from desk.i18n import t
from screens.base import DeskScreen


class BoardScreen(DeskScreen, inherit_bindings=False):
    BINDINGS = [Binding("escape", "leave", "keys.back", show=False)]

    def __init__(self) -> None:
        super().__init__(classes="board")

    def compose(self) -> ComposeResult:
        yield Static(t("board.title"), id="board-title")

    def action_leave(self) -> None:
        self.desk.leave_screen()
