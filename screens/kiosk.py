"""Kiosk: citizens press a service key (or the priority key) and get a ticket.

No quit key and no command palette: Ctrl+Q asks for the kiosk PIN. Issuing runs in a
thread worker; the ticket is shown on screen even when printing fails.

Outside the opening hours (``[hours]``, see desk.queue.opening) a press gives no
ticket: the citizen reads that the center is closed, today's hours and the next
opening. One press is served at a time: presses while a ticket is being taken give no
extra ticket; the citizen reads "đang lấy số" at once and "xin chờ" when the
database stays busy. An error no rule foresaw (a full disk, a broken database)
never closes the kiosk: it shows a calm "máy tạm dừng", keeps its lock-down, and
tries the database every few seconds, going back to the tiles once it answers.
"""

from __future__ import annotations

import contextlib
from datetime import date
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Grid, Vertical
from textual.timer import Timer
from textual.widgets import Static

from desk import clock
from desk.dossiers.forms import expected_wait, people_ahead
from desk.errors import is_busy
from desk.i18n import t
from desk.printing.preview import issued_ticket, write_ticket_preview
from desk.printing.render import PrinterSetupError
from desk.queue.engine import Queue
from desk.queue.views import IssuedTicket, QueueBusy, QueueError, ticket_label
from screens.appointment import KioskCheckIn
from screens.base import DeskModal, DeskScreen
from screens.bigtext import BigText
from screens.first import KioskTile
from screens.pin import PinPrompt
from screens.scan import KioskScanner

if TYPE_CHECKING:
    from desk.dossiers.due_dates import WorkCalendar
    from desk.queue.opening import Closed


class PriorityMenu(DeskModal[str | None]):
    """The citizen picks a priority category by its key. (A scanned code that begins
    with the priority key never opens it: the kiosk holds that key to see whether a
    scan follows, :class:`screens.scan.KioskScanner`.)"""

    BINDINGS = [
        Binding("escape", "cancel", "keys.cancel"),
        *[Binding(str(n), f"choose('{n}')", "keys.kiosk", show=False) for n in range(10)],
    ]

    def __init__(self, categories: list[tuple[str, str, str]]) -> None:
        super().__init__(classes="priority-menu")
        self.categories = categories  # (key, code, name)

    def compose(self) -> ComposeResult:
        with Vertical(id="priority-box"):
            yield Static(t("kiosk.priority_title"), id="priority-title")
            for key, _code, name in self.categories:
                yield Static(f"[{key}]  {name}", markup=False, classes="priority-option")
            yield Static(t("kiosk.priority_cancel"), id="priority-hint")

    def action_choose(self, key: str) -> None:
        for k, code, _name in self.categories:
            if key == k:
                self.dismiss(code)
                return

    def action_cancel(self) -> None:
        self.dismiss(None)


SLOW_SECONDS = 2.0
"""After this long without a ticket the citizen reads "xin chờ"."""
PROBE_SECONDS = 3.0
"""How often a paused kiosk tries the database again."""


class KioskScreen(KioskScanner, KioskCheckIn, DeskScreen, inherit_bindings=False):
    BINDINGS = [
        Binding("ctrl+q", "leave", "keys.leave", show=False),
        Binding("escape", "home", "keys.back", show=False),
        *[Binding(str(n), f"press('{n}')", "keys.kiosk", show=False) for n in range(10)],
        # the dossier status look-up; the citizen then scans the receipt's QR
        Binding("asterisk", "status('')", "keys.kiosk", show=False),
    ]

    def __init__(self) -> None:
        super().__init__(classes="kiosk")
        self.priority: str | None = None
        self._home_timer: Timer | None = None
        self.last_issued: IssuedTicket | None = None
        self.taking = False
        """A press is being served: further presses give no ticket."""
        self.paused = False
        """The database failed unexpectedly: the kiosk waits for it."""
        self._slow_timer: Timer | None = None
        self._calendar: tuple[date, WorkCalendar] | None = None
        """The working calendar and the day it was read (opening hours)."""

    @property
    def queue(self) -> Queue:
        return self.desk.queue

    def compose(self) -> ComposeResult:
        config = self.runtime.config
        name = config.center_name()
        yield Static(name, id="kiosk-center", markup=False)
        with Container(id="kiosk-home"):
            yield Static(t("kiosk.welcome"), id="kiosk-welcome")
            yield Static("", id="kiosk-mode", markup=False)
            with Grid(id="kiosk-tiles"):
                for svc in config.services:
                    label = svc.name_en if config.ui.language == "en" else svc.name_vi
                    yield KioskTile(f"{svc.key}  {label}", id=f"tile-{svc.prefix}")
                yield KioskTile(
                    f"{config.priority.key}  ★ {t('kiosk.priority')}",
                    id="tile-priority",
                    classes="tile priority",
                )
                yield KioskTile(f"*  {t('kiosk_status.tile')}", id="tile-status")
                if config.appointments.kiosk_key:
                    yield KioskTile(
                        f"{config.appointments.kiosk_key}  {t('booking.key')}", id="tile-booking"
                    )
        with Vertical(id="kiosk-ticket"):
            yield Static(t("kiosk.your_number"), id="ticket-label")
            yield BigText("", id="ticket-number")
            yield Static("", id="ticket-mark", markup=False)
            yield Static("", id="ticket-service", markup=False)
            yield Static("", id="ticket-ahead", markup=False)
            yield Static("", id="ticket-wait", markup=False)
            yield Static("", id="ticket-print", markup=False)
        yield Static(t("everyday.kiosk.paused"), id="kiosk-paused")
        yield Static("", id="kiosk-message", markup=False)

    def on_mount(self) -> None:
        self.query_one("#kiosk-ticket").display = False
        self.query_one("#kiosk-mode").display = False
        self.query_one("#kiosk-paused").display = False
        self.set_interval(PROBE_SECONDS, self._probe_if_paused)
        self.read_calendar()

    @work(thread=True, group="calendar", exit_on_error=False)
    def read_calendar(self) -> None:
        """Today's calendar, read ahead: the priority key then says at once that the
        center is closed, before its category menu."""
        try:
            self._closed_now()
        except Exception as exc:
            if not is_busy(exc):  # a locked database: the first press reads it
                raise

    # --- keys ------------------------------------------------------------------

    def action_press(self, key: str) -> None:
        if self.paused:
            return
        if self.taking:  # one press at a time: no extra ticket
            self._show_taking()
            return
        config = self.runtime.config
        if key == config.appointments.kiosk_key:
            self.open_check_in()
            return
        if key == config.priority.key and self.priority is None:
            closed = self._closed_now(read=False)
            if closed is not None:
                self._show_error(closed.message())
                return
            menu = [
                (c.key, c.code, c.name_en if config.ui.language == "en" else c.name_vi)
                for c in config.priority.categories
            ]
            self.app.push_screen(PriorityMenu(menu), self._priority_chosen)
            return
        for svc in config.services:
            if svc.key == key:
                self.taking = True
                self._show_taking()
                if self._slow_timer is not None:
                    self._slow_timer.stop()
                self._slow_timer = self.set_timer(SLOW_SECONDS, self._show_slow)
                self.issue(svc.prefix, self.priority)
                return

    def action_status(self, typed: str, look_up: bool = False) -> None:
        """Open the dossier status view (desk.dossiers.public); ``look_up``: with
        ``typed`` looked up at once (a scanned code)."""
        from screens.kiosk_status import KioskStatus

        self.app.push_screen(KioskStatus(typed, look_up=look_up))

    def _show_taking(self) -> None:
        self.query_one("#kiosk-message", Static).update(t("everyday.kiosk.taking"))

    def _show_slow(self) -> None:
        if self.taking:
            self.query_one("#kiosk-message", Static).update(t("everyday.kiosk.slow"))

    def _taken(self) -> None:
        self.taking = False
        if self._slow_timer is not None:
            self._slow_timer.stop()
            self._slow_timer = None

    def _priority_chosen(self, code: str | None) -> None:
        self.priority = code
        if code is None:
            self.person_key = None  # a scanned citizen's key lasts until their ticket
        mode = self.query_one("#kiosk-mode", Static)
        mode.display = code is not None
        if code is None:
            mode.update("")
        else:
            mode.update(t("kiosk.priority_mode", category=self.desk.queue.category_name(code)))
        self.set_class(code is not None, "-priority")

    def action_home(self) -> None:
        if self.paused:
            return
        if self._home_timer is not None:  # an older ticket's timer must not reset the next citizen
            self._home_timer.stop()
            self._home_timer = None
        self._priority_chosen(None)
        self.query_one("#kiosk-ticket").display = False
        self.query_one("#kiosk-home").display = True
        self.query_one("#kiosk-message", Static).update("")

    def action_leave(self) -> None:
        def done(ok: bool | None) -> None:
            if ok:
                self.desk.leave_screen()

        self.app.push_screen(PinPrompt(self.runtime.config.ui.kiosk_pin), done)

    # --- issuing ---------------------------------------------------------------

    @work(thread=True, group="issue", exit_on_error=False)
    def issue(self, prefix: str, category: str | None) -> None:
        queue = self.queue
        try:
            closed = self._closed_now()
            if closed is not None:
                self.app.call_from_thread(self._show_error, closed.message())
                return
            issued = queue.issue(prefix, category, person_key=self.person_key)
        except QueueBusy:
            self.app.call_from_thread(self._show_error, t("everyday.kiosk.busy"))
            return
        except QueueError as exc:
            self.app.call_from_thread(self._show_error, str(exc))
            return
        except Exception as exc:
            if is_busy(exc):
                self.app.call_from_thread(self._show_error, t("everyday.kiosk.busy"))
                return
            self.app.call_from_thread(self._taken)
            raise  # the screens' failed-worker handler pauses the kiosk
        service = queue.service_name(prefix)
        self.app.call_from_thread(self._show_ticket, issued, service, t("kiosk.printing"))
        self.print_ticket(issued, service)

    def _closed_now(self, read: bool = True) -> Closed | None:
        """Outside the opening hours the kiosk issues no ticket (the calendar is read
        once a day, in a worker). With ``read=False`` (the UI thread) a calendar not
        read yet today answers None: the press's worker decides."""
        from desk.dossiers.due_dates import load_calendar
        from desk.queue.opening import kiosk_closed

        hours = self.runtime.config.hours
        if hours.kiosk_any_time:
            return None
        at = clock.now()
        if self._calendar is None or self._calendar[0] != at.date():
            if not read:
                return None
            self._calendar = (at.date(), load_calendar(self.runtime.engine, hours))
        return kiosk_closed(self._calendar[1], hours, at)

    @work(thread=True, group="print", exit_on_error=False)
    def print_ticket(self, issued: IssuedTicket, service: str) -> None:
        """The number is already on screen; the printer never holds the citizen up."""
        from desk.printing.jobs import print_job, queue_document

        config = self.runtime.config
        ticket = issued.ticket
        with contextlib.suppress(OSError, PrinterSetupError):  # the print says what is wrong
            write_ticket_preview(config, issued, service)
        doc = issued_ticket(config, issued, service)
        try:
            job = queue_document(self.runtime.engine, doc, ticket_id=ticket.id)
            result = print_job(self.runtime.engine, config, job)
            ok = result.ok
        except Exception:  # a locked database or a broken printer driver: still no crash
            ok = False
        self.app.call_from_thread(self._printed, ticket.number, ok)

    def _printed(self, number: str, ok: bool) -> None:
        if self.last_issued is None or self.last_issued.ticket.number != number:
            return
        status = self.query_one("#ticket-print", Static)
        status.update(t("kiosk.printed") if ok else t("print.kiosk_failed"))
        status.set_class(not ok, "-fault")

    def _show_error(self, message: str) -> None:
        self._taken()
        self.query_one("#kiosk-message", Static).update(message)

    # --- a database that failed ------------------------------------------------------

    def show_failure(self, message: str) -> None:
        """An unexpected failure (logged by the handler): pause calmly, no details in
        front of the public; the kiosk stays locked down."""
        self.paused = True
        self._taken()
        self.query_one("#kiosk-home").display = False
        self.query_one("#kiosk-ticket").display = False
        self.query_one("#kiosk-paused").display = True
        self.query_one("#kiosk-message", Static).update("")

    def _probe_if_paused(self) -> None:
        if self.paused:
            self.probe()

    @work(thread=True, exclusive=True, group="probe", exit_on_error=False)
    def probe(self) -> None:
        """Is the database answering again? (A failure here keeps the pause.)"""
        self.queue.waiting_counts()
        self.app.call_from_thread(self._recovered)

    def _recovered(self) -> None:
        if not self.paused:
            return
        self.paused = False
        self.query_one("#kiosk-paused").display = False
        self.action_home()

    def _show_ticket(self, issued: IssuedTicket, service: str, printed: str) -> None:
        self.last_issued = issued
        ticket = issued.ticket
        numbering = self.runtime.config.priority.numbering
        label = ticket_label(ticket.number, ticket.is_priority, numbering)
        self.query_one("#ticket-number", BigText).update(label)
        self.query_one("#ticket-mark", Static).update(
            "★ " + t("kiosk.priority_ticket") if ticket.is_priority else ""
        )
        self.query_one("#ticket-service", Static).update(service)
        if issued.ahead is None:  # not counted this time: no guess in front of the public
            wait = t("kiosk.no_estimate")
        else:  # the printed ticket's words too (forms.expected_wait)
            wait = expected_wait(issued.ahead, issued.wait_minutes, issued.counters_open)
            wait = wait or t("kiosk.no_wait")
        # the same sentence as the printed ticket's (one rule: forms.people_ahead)
        self.query_one("#ticket-ahead", Static).update(people_ahead(issued.ahead))
        self.query_one("#ticket-wait", Static).update(wait)
        self.query_one("#ticket-print", Static).update(printed)
        self.query_one("#ticket-print", Static).remove_class("-fault")
        self.query_one("#kiosk-home").display = False
        self.query_one("#kiosk-ticket").display = True
        self.query_one("#kiosk-message", Static).update("")
        self._taken()
        self._priority_chosen(None)
        if self._home_timer is not None:
            self._home_timer.stop()
        self._home_timer = self.set_timer(
            self.runtime.config.queue.kiosk_return_seconds, self.action_home
        )
