"""A yes/no question in a dialog: Y answers yes, N or Esc no (the dismissed value)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from screens.base import DeskModal
from screens.phrases import PhraseLine


class Confirm(DeskModal[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "keys.yes"),
        Binding("n", "answer(False)", "keys.no"),
        Binding("escape", "answer(False)", "keys.cancel", show=False),
    ]

    def __init__(self, title: str, hint: str) -> None:
        super().__init__(classes="dialog")
        self.title_text = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield PhraseLine(self.title_text, classes="dialog-title")
            yield PhraseLine(self.hint)

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)
