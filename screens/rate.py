"""Rating terminal beside a counter (``desk rate N``): a keypad for the citizen.

When counter N finishes serving a ticket, the terminal asks that citizen to rate
with one key (1 very satisfied, 2 satisfied, 3 unsatisfied); it thanks them and
goes back to waiting. The choices show only while there is a citizen to rate; a
key pressed with nobody to rate says so. A rating that could not be saved says so
and may be given again. Nothing else is reachable; like the kiosk it is left only
with Ctrl+Q and the kiosk PIN.

It polls every second but reads the database only when it changed (or the minute
did: :mod:`desk.queue.watch`); a ticket whose rating window closes between reads
goes away from the data held.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.timer import Timer
from textual.widgets import Static

from desk import clock
from desk.errors import is_busy
from desk.i18n import t
from desk.queue.ratings import Rateable, last_unrated, rate
from desk.queue.views import ticket_label
from desk.queue.watch import Mark
from screens.base import DeskScreen
from screens.pin import PinPrompt


class RateScreen(DeskScreen, inherit_bindings=False):
    BINDINGS = [
        Binding("ctrl+q", "leave", "keys.leave", show=False),
        Binding("1", "rate(3)", "keys.rate_3", show=False),
        Binding("2", "rate(2)", "keys.rate_2", show=False),
        Binding("3", "rate(1)", "keys.rate_1", show=False),
    ]

    def __init__(self, counter: int) -> None:
        super().__init__(classes="rate")
        self.counter = counter
        self.pending: Rateable | None = None
        self.thanked: set[int] = set()
        self._back_timer: Timer | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="rate-box"):
            yield Static(t("rating.title", number=self.counter), id="rate-title")
            yield Static("", id="rate-ticket", markup=False)
            yield Static("", id="rate-options")
            yield Static(t("rating.waiting"), id="rate-message")

    def on_mount(self) -> None:
        self._changes = self.runtime.changes.follower()
        self.poll()
        self.set_interval(1.0, self.poll)

    @work(thread=True, exclusive=True, group="poll", exit_on_error=False)
    def poll(self) -> None:
        """Read the ticket to rate if the database changed since the last read shown."""
        mark = self._changes.due()
        if mark is None:
            self.app.call_from_thread(self._tick)
            return
        counter_id = self.runtime.ids.counters[self.counter]
        try:
            pending = last_unrated(self.runtime.engine, counter_id)
        except Exception as exc:
            if is_busy(exc):  # a locked database: ask again in a second
                return
            raise
        self.app.call_from_thread(self._polled, pending, mark)

    def _polled(self, pending: Rateable | None, mark: Mark) -> None:
        self._changes.shown(mark)
        self._show(pending)

    def _tick(self) -> None:
        if self.pending is not None and self.pending.expired(clock.now()):
            self._show(None)

    def _show(self, pending: Rateable | None) -> None:
        if pending is not None and pending.ticket_id in self.thanked:
            pending = None
        changed = (pending and pending.ticket_id) != (self.pending and self.pending.ticket_id)
        self.pending = pending
        if not changed:
            return
        ticket = self.query_one("#rate-ticket", Static)
        options = self.query_one("#rate-options", Static)
        if pending is None:
            ticket.update("")
            options.update("")
        else:
            numbering = self.runtime.config.priority.numbering
            number = ticket_label(pending.number, pending.priority, numbering)
            ticket.update(t("rating.ticket", number=number))
            options.update(t("rating.options"))
            self.query_one("#rate-message", Static).update("")

    def action_rate(self, score: int) -> None:
        pending = self.pending
        if pending is None:
            self._say(t("everyday.rating.nobody"))
            return
        self.thanked.add(pending.ticket_id)
        self._show(None)
        self._say(t("rating.thanks"))
        self.save(pending, score)

    def _say(self, message: str) -> None:
        """A line for the citizen, back to the welcome after a few seconds."""
        box = self.query_one("#rate-message", Static)
        box.update(message)
        if self._back_timer is not None:
            self._back_timer.stop()
        self._back_timer = self.set_timer(4, lambda: box.update(t("rating.waiting")))

    @work(thread=True, group="save", exit_on_error=False)
    def save(self, pending: Rateable, score: int) -> None:
        try:
            rate(self.runtime.engine, pending.ticket_id, score, "terminal")
        except Exception:
            self.app.call_from_thread(self._not_saved, pending)
            raise  # logged by the screens' failed-worker handler

    def _not_saved(self, pending: Rateable) -> None:
        """Ask again: the rating was not written."""
        self.thanked.discard(pending.ticket_id)
        self._show(pending)

    def show_failure(self, message: str) -> None:
        self._say(t("everyday.rating.not_saved"))

    def action_leave(self) -> None:
        def done(ok: bool | None) -> None:
            if ok:
                self.desk.leave_screen()

        self.app.push_screen(PinPrompt(self.runtime.config.ui.kiosk_pin), done)
