"""A yes/no question in a dialog: Y answers yes, N or Esc no (the dismissed value).

Its own key bar names Y, N and Esc while it is open, over the bar of the screen
beneath, whose keys do nothing meanwhile."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical

from screens.base import DeskModal
from screens.keybar import KeyBar
from screens.phrases import PhraseLine


class Confirm(DeskModal[bool]):
    BINDINGS = [
        Binding("y", "answer(True)", "keys.yes"),
        Binding("n", "answer(False)", "keys.no"),
        # C and K, the Vietnamese words' first letters (Có, Không), answer too
        Binding("c", "answer(True)", "keys.yes", show=False),
        Binding("k", "answer(False)", "keys.no", show=False),
        # its own action: the key bar shows one key per action
        Binding("escape", "cancel", "keys.cancel"),
    ]

    def __init__(self, title: str, hint: str) -> None:
        super().__init__(classes="dialog with-keys")
        self.title_text = title
        self.hint = hint

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield PhraseLine(self.title_text, classes="dialog-title")
            yield PhraseLine(self.hint)
        yield KeyBar()

    def action_answer(self, answer: bool) -> None:
        self.dismiss(answer)

    def action_cancel(self) -> None:
        self.dismiss(False)
