"""A supervisor approves at the officer's counter (e.g. a second supplement request
for one dossier): their user name and password, checked like a login (failures
count toward the lock), without signing the officer out.

The check runs in the dialog itself (off the UI thread): a wrong password or an
account without the role keeps the dialog open, says what is expected under the
field refused, and keeps the user name typed; whoever opened the dialog keeps
what the officer typed before it."""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from desk.center.accounts import AccountError, Actor, login
from desk.i18n import t
from screens.base import DeskModal


class ApprovalDialog(DeskModal[Actor | None]):
    """Returns the approving account (checked, with ``role``), or None on Esc."""

    AUTO_FOCUS = "#approver"
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, why: str, role: str = "supervisor", refused: str = "") -> None:
        super().__init__(classes="dialog")
        self.why = why
        self.role = role
        self.refused_text = refused or t("lifecycle.approval_role")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(t("lifecycle.approval_title"), classes="dialog-title")
            yield Static(self.why, markup=False)
            yield Static(t("lifecycle.approval_user"))
            yield Input(id="approver", max_length=64)
            yield Static("", id="approver-error", classes="field-error", markup=False)
            yield Static(t("lifecycle.approval_password"))
            yield Input(id="approver-password", password=True, max_length=128)
            yield Static("", id="approver-password-error", classes="field-error", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        user = self.query_one("#approver", Input).value.strip()
        password = self.query_one("#approver-password", Input).value
        if event.input.id == "approver" and user:
            self.query_one("#approver-password", Input).focus()
            return
        if not user:
            self._refuse("approver", t("lifecycle.approval_user_required"))
            return
        self._show("approver", "")
        self._show("approver-password", t("lifecycle.approval_checking"))
        self.check(user, password)

    @work(thread=True, exclusive=True, group="approval", exit_on_error=False)
    def check(self, user: str, password: str) -> None:
        try:
            actor = login(self.runtime.engine, user, password)
        except AccountError as exc:
            self.app.call_from_thread(self._refuse, "approver-password", str(exc))
            return
        if not actor.can(self.role):
            self.app.call_from_thread(self._refuse, "approver", self.refused_text)
            return
        self.app.call_from_thread(self.dismiss, actor)

    def _show(self, field: str, message: str) -> None:
        self.query_one(f"#{field}-error", Static).update(message)

    def _refuse(self, field: str, message: str) -> None:
        """Name the refused field and what it expects; the user name stays typed,
        the password (of the account refused) is typed again."""
        self._show("approver", "")
        self._show("approver-password", "")
        self._show(field, message)
        self.query_one("#approver-password", Input).value = ""
        self.query_one(f"#{field}", Input).focus()

    def show_failure(self, message: str) -> None:
        self._refuse("approver-password", message)

    def action_cancel(self) -> None:
        self.dismiss(None)
