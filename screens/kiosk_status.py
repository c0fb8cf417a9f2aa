"""The kiosk's dossier status view: a citizen scans the receipt's QR (or types the
dossier code) and reads the status and the due date in large type.

Only a code finds a dossier (desk.dossiers.public); the view shows a masked name and
nothing else personal, and goes back to the kiosk's home after a few seconds. The
kiosk's lock-down holds: no quit key, no command palette.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Input, Static

from desk import logs
from desk.dossiers.lifecycle import code_named
from desk.dossiers.public import PublicStatus, public_statuses
from desk.dossiers.statuses import status_name
from desk.i18n import t
from desk.text import typed_back
from screens.base import DeskModal
from screens.bigtext import BigText

log = logs.get("kiosk")


class KioskStatus(DeskModal[None]):
    AUTO_FOCUS = "#status-code"
    BINDINGS = [Binding("escape", "close", "keys.back")]

    def __init__(self, typed: str = "", *, look_up: bool = False) -> None:
        """``typed``: the code to show in the field; ``look_up``: look it up at once
        (a code scanned at the kiosk's home)."""
        super().__init__(classes="kiosk-status")
        self._typed = typed
        self._look_up_now = look_up and bool(typed.strip())
        self._timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="status-box"):
            yield Static(t("kiosk_status.title"), id="status-title")
            yield Static(t("kiosk_status.prompt"), id="status-prompt")
            yield Input(value=self._typed, id="status-code", max_length=200)
            with Vertical(id="status-result"):
                # the status in capitals with its marks, on a band: the glyphs of the
                # due date below have no Vietnamese marks ("DA TRA KET QUA" misread)
                yield Static("", id="status-label", markup=False)
                yield Static("", id="status-due-label", markup=False)
                yield BigText("", id="status-due")
                yield Static("", id="status-details", markup=False)
            yield Static("", id="status-message", markup=False)
            yield Static(t("kiosk_status.hint"), id="status-hint")

    def on_mount(self) -> None:
        self.query_one("#status-result").display = False
        self._restart_timer()
        if self._look_up_now:
            self.query_one("#status-message", Static).update(t("kiosk_status.looking"))
            self.look_up(self._typed)

    def _restart_timer(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        seconds = self.runtime.config.queue.kiosk_return_seconds
        self._timer = self.set_timer(seconds, self.action_close)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._restart_timer()  # someone is typing: stay

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():  # "nothing matches “”" said nothing of what to do
            self._show(None, t("kiosk_status.empty"))
            return
        self.query_one("#status-message", Static).update(t("kiosk_status.looking"))
        self.look_up(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="status")
    def look_up(self, text: str) -> None:
        try:
            found = public_statuses(self.runtime.engine, text)
        except Exception:  # a busy or broken database: say so, stay on the kiosk
            log.exception("kiosk status look-up failed")
            self.app.call_from_thread(self._show, None, t("kiosk_status.unavailable"))
            return
        if len(found) == 1:
            self.app.call_from_thread(self._show, found[0], "")
            return
        # a miss, or a part of a code several dossiers end with: name what was typed
        key = "walk2.kiosk_status.several" if found else "walk2.kiosk_status.not_found"
        self.app.call_from_thread(self._show, None, t(key, query=typed_back(code_named(text))))

    def _show(self, found: PublicStatus | None, problem: str) -> None:
        code = self.query_one("#status-code", Input)
        code.value = ""
        message = self.query_one("#status-message", Static)
        result = self.query_one("#status-result")
        self._restart_timer()
        if found is None:
            result.display = False
            message.update(problem)
            return
        message.update("")
        label = self.query_one("#status-label", Static)
        label.update(status_name(found.status).upper())
        label.set_class(found.status in ("resolved", "returned"), "-done")
        label.set_class(found.status in ("supplement_requested", "refused"), "-attention")
        due = self.query_one("#status-due", BigText)
        due_label = self.query_one("#status-due-label", Static)
        if found.status == "supplement_requested":  # the clock waits for the citizen
            due_label.update(t("kiosk_status.supplement"))
            due.update("")
        elif found.due_at is not None and found.status in ("received", "processing"):
            due_label.update(t("kiosk_status.due", at=found.due_at.strftime("%H:%M")))
            due.update(found.due_at.strftime("%d-%m-%Y"))
        else:
            due_label.update("")
            due.update("")
        self.query_one("#status-details", Static).update(
            t("kiosk_status.details", code=found.code, name=found.masked_name)
            + "\n"
            + found.procedure_name
        )
        result.display = True

    def action_close(self) -> None:
        if self._timer is not None:
            self._timer.stop()
        self.dismiss(None)
