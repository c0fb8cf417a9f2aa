"""Appointments on screen: the kiosk's "Có lịch hẹn" check-in and the counter's
booking dialog (phone bookings and bookings made at the desk).

- :class:`CheckInPrompt`: the citizen types (or scans) the booking code and presses
  Enter; :class:`KioskCheckIn` (a mixin of the kiosk screen) checks it in and shows
  the ticket, with a kind word when the citizen came outside the window.
- :class:`BookingDialog`: service, day, time, name; Enter moves on and, on the last
  field, books; a full slot names the next free one. Its key bar names Enter (what
  it does in the field being typed) and Esc, over the counter's.
"""

from __future__ import annotations

from datetime import date, datetime, time
from typing import Any

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from desk.i18n import t
from desk.queue.appointments import Appointments, CheckIn, booked_message
from desk.queue.views import QueueError
from screens.base import DeskModal
from screens.keybar import KeyBar
from screens.typed_time import NoSuchTime, read_clock, read_day


class CheckInPrompt(DeskModal[str | None]):
    """The booking code, typed or scanned; Enter gives it, Esc goes back."""

    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="checkin-box"):
            yield Static(t("booking.title"), classes="dialog-title")
            yield Static(t("booking.prompt"))
            yield Input(id="checkin-code", max_length=32, compact=True)

    def on_mount(self) -> None:
        self.query_one("#checkin-code", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class KioskCheckIn:
    """Mixin for the kiosk screen: the "Có lịch hẹn" key and its ticket."""

    def open_check_in(self) -> None:
        screen: Any = self
        screen.app.push_screen(CheckInPrompt(), self._code_given)

    def _code_given(self, code: str | None) -> None:
        if code and code.strip():
            self.check_in(code)

    @work(thread=True, exclusive=True, group="issue")
    def check_in(self, code: str) -> None:
        screen: Any = self
        queue = screen.queue
        try:
            checked: CheckIn = Appointments(queue).check_in(code)
        except QueueError as exc:
            screen.app.call_from_thread(screen._show_error, str(exc))
            return
        service = queue.service_name(checked.issued.ticket.service)
        screen.app.call_from_thread(self._checked_in, checked, service)
        screen.print_ticket(checked.issued, service)

    def _checked_in(self, checked: CheckIn, service: str) -> None:
        screen: Any = self
        screen._show_ticket(checked.issued, service, t("kiosk.printing"))
        if checked.booked:
            screen.query_one("#ticket-mark", Static).update(t("booking.booked_ticket"))
        screen.query_one("#kiosk-message", Static).update(checked.note)


class BookingDialog(DeskModal[None]):
    """Book a slot for a citizen at the counter (or on the phone)."""

    BINDINGS = [Binding("escape", "close", "keys.back")]
    FIELDS = ("book-service", "book-day", "book-time", "book-name")

    def __init__(self, service: str = "") -> None:
        super().__init__(classes="dialog with-keys")
        self.service = service

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box", id="booking-box"):
            yield Static(t("booking.dialog_title"), classes="dialog-title")
            yield Static(t("booking.service"), classes="label")
            yield Input(value=self.service, id="book-service", max_length=1, compact=True)
            yield Static(t("booking.day"), classes="label")
            yield Input(id="book-day", max_length=10, compact=True)
            yield Static(t("booking.time"), classes="label")
            yield Input(id="book-time", max_length=5, compact=True)
            yield Static(t("booking.name"), classes="label")
            yield Input(id="book-name", max_length=100, compact=True)
            yield Static(t("booking.dialog_hint"))
            yield Static("", id="booking-result", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#book-service", Input).focus()

    def widget_keys(self) -> list[tuple[str, str]]:
        """Enter as the field being typed takes it: the next field, or the booking."""
        last = self.focused is not None and self.focused.id == self.FIELDS[-1]
        return [("Enter", t("keys.book" if last else "keys.next_field"))]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.FIELDS.index(event.input.id or "")
        if index < len(self.FIELDS) - 1:
            self.query_one(f"#{self.FIELDS[index + 1]}", Input).focus()
            return
        self._submit()

    def _value(self, field: str) -> str:
        return self.query_one(f"#{field}", Input).value.strip()

    def _submit(self) -> None:
        result = self.query_one("#booking-result", Static)
        typed = self._value("book-day")
        try:
            day = read_day(typed)
        except ValueError as exc:
            # dd/mm/yyyy as asked, but no such day (32/13/2026, 31/02/2026): said so
            no_such = isinstance(exc, NoSuchTime)
            result.update(t("booking.no_such_day", day=typed) if no_such else t("booking.bad_day"))
            self.query_one("#book-day", Input).focus()
            return
        typed = self._value("book-time")
        try:
            at = read_clock(typed)
        except ValueError as exc:
            no_such = isinstance(exc, NoSuchTime)
            said = t("booking.no_such_time", time=typed) if no_such else t("booking.bad_time")
            result.update(said)
            self.query_one("#book-time", Input).focus()
            return
        self.book(self._value("book-service").upper(), day, at, self._value("book-name"))

    @work(thread=True, exclusive=True, group="book")
    def book(self, service: str, day: date, at: time, name: str) -> None:
        try:
            booking = Appointments(self.desk.queue).book(service, datetime.combine(day, at), name)
        except QueueError as exc:
            self.app.call_from_thread(self._result, str(exc), getattr(exc, "field", None))
            return
        self.app.call_from_thread(self._booked, booked_message(booking))

    def _booked(self, text: str) -> None:
        """The booking is made: the fields empty for the next one, the code stays on
        screen (a second Enter on the same fields booked the same slot again)."""
        for field in self.FIELDS:
            self.query_one(f"#{field}", Input).value = ""
        self._result(text, "service")

    def _result(self, text: str, field: str | None = None) -> None:
        """The booking, or why not; the cursor goes to the field to fix (it stayed
        in the name, selected, and the fix typed there replaced the name)."""
        self.query_one("#booking-result", Static).update(text)
        if field is not None:
            self.query_one(f"#book-{field}", Input).focus()

    def action_close(self) -> None:
        self.dismiss(None)
