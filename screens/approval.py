"""A supervisor approves at the officer's counter (e.g. a second supplement request
for one dossier): their user name and password, checked like a login (failures
count toward the lock), without signing the officer out."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from desk.i18n import t
from screens.base import DeskModal


class ApprovalDialog(DeskModal[tuple[str, str] | None]):
    """Returns (user name, password), or None on Esc."""

    AUTO_FOCUS = "#approver"
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, why: str) -> None:
        super().__init__(classes="dialog")
        self.why = why

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(t("lifecycle.approval_title"), classes="dialog-title")
            yield Static(self.why, markup=False)
            yield Static(t("lifecycle.approval_user"))
            yield Input(id="approver", max_length=64)
            yield Static(t("lifecycle.approval_password"))
            yield Input(id="approver-password", password=True, max_length=128)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "approver":
            self.query_one("#approver-password", Input).focus()
            return
        user = self.query_one("#approver", Input).value.strip()
        self.dismiss((user, event.value) if user else None)

    def action_cancel(self) -> None:
        self.dismiss(None)
