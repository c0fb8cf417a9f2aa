"""Counter workstation: the current ticket, the waiting list, today's counts.

Keys: F2 call next, Enter start serving, F3 recall, F4 no-show, F5 transfer,
F6 intake (linked to the current ticket, or standalone), F8 return a result,
F9 finish, F10 pause/resume, Ctrl+R bring back an absent ticket, R retry after a
busy database (r, R with Caps Lock and Shift+R alike). The screen polls every
second, so tickets issued at the kiosk or called elsewhere appear without a key
press; it reads the queue again only when the database changed (or the minute did:
:mod:`desk.queue.watch`), redraws the minutes waited from what it holds, and
updates only the widgets and cells that changed (:mod:`screens.redraw`).

The queue keys are steps, and steps run one at a time in the order pressed: a key
pressed while a step runs waits its turn ("đang xử lý" shows meanwhile). Whether a
step applies is decided in its worker from the counter's state read just before it
runs, that is after the step before it, never from the display's last poll; one
that does not apply says why; its result shows as soon as it is done. A step that
fails drops the keys queued behind it, since they were pressed for a state that did
not come. Esc waits for the last step.

F6 and F8 open their screen when the steps pressed before them are done (F6's form
then shows the ticket as it is after them). The characters, Enter and Backspace
typed from F6 or F8 until the screen shows go to its first field, in order (a
scanner types fast, and may send F8 itself before the code: screens.typeahead).
While one waits, the other keys pressed after it do not run (they would act
beneath the screen, or change the ticket the form was opened for): each says so
and is to be pressed again after the screen is closed. A step that fails before
it drops it too, with what was typed for it; so does a screen that cannot be
built, which says why.

A letter or digit typed at the counter that no key takes (a person's key, not a
scanner's burst: keys closer than ``identity.scan_gap_ms`` are one, and a burst says
nothing) names itself on the message line and points to F1; R, 1, 2 and 3 say why
they do not apply now (as F1 does).

At 80×24 the waiting list fits its pane (short headers, a long service name cut
after a word), and the status lines break between phrases (:mod:`screens.phrases`).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING

from rich.console import JustifyMethod
from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.events import Key, Resize
from textual.reactive import var
from textual.widgets import DataTable, Input, OptionList, Static
from textual.widgets.option_list import Option

from desk import clock
from desk.center.config import Config
from desk.errors import is_busy
from desk.i18n import t
from desk.queue.appointments import Appointments
from desk.queue.engine import Queue, no_show_too_soon
from desk.queue.views import (
    CounterStatus,
    QueueBusy,
    QueueError,
    TicketView,
    ticket_label,
    ticket_number,
)
from desk.queue.watch import Mark
from screens import textual_compat
from screens.base import DeskModal, DeskScreen
from screens.bigtext import BigText
from screens.header import DeskHeader
from screens.keybar import KeyBar
from screens.phrases import LIST_BREAK, PhraseLine
from screens.redraw import set_rows
from screens.syncbadge import SyncBadge

if TYPE_CHECKING:
    from textual.screen import Screen

    from screens.intake import IntakeScreen


class TransferDialog(DeskModal[tuple[str, str] | None]):
    """Choose a service (``("service", "B")``) or a counter (``("counter", "3")``).
    Its key bar names ↑↓, Enter and Esc, over the counter's (whose keys do nothing
    while it is open)."""

    AUTO_FOCUS = "#transfer-targets"
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, options: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog with-keys")
        self.options = options  # (option id, label)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield PhraseLine(t("counter.transfer_title"), classes="dialog-title")
            # above the list, which may fill the box and scroll at 80×24
            yield PhraseLine(t("counterui.hint_transfer"), classes="dialog-hint")
            yield OptionList(
                *[Option(label, id=oid) for oid, label in self.options],
                id="transfer-targets",
                markup=False,
            )
        yield KeyBar()

    def widget_keys(self) -> list[tuple[str, str]]:
        """The list's own keys, named on the key bar."""
        return [("↑↓", t("keys.choose")), ("Enter", t("keys.transfer"))]

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        self.dismiss((kind, value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReactivateDialog(DeskModal[str | None]):
    """The number of an absent ticket whose citizen came back; Enter puts it back in
    the queue. Its key bar names Enter and Esc, over the counter's."""

    AUTO_FOCUS = "#reactivate-number"
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, typed: str = "", refused: str = "") -> None:
        super().__init__(classes="dialog with-keys")
        self.typed = typed
        self.refusal = refused
        """Why the queue refused ``typed`` (the dialog opened again)."""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            # "(e.g." / "A012)" in English: the example goes to its own line whole
            yield PhraseLine(t("counter.reactivate_title"), classes="dialog-title")
            yield Input(self.typed, placeholder="A012", id="reactivate-number", max_length=8)
            yield Static(self.refusal, id="reactivate-message", classes="field-error", markup=False)
            yield PhraseLine(t("counterui.hint_reactivate"), classes="dialog-hint")
        yield KeyBar()

    def on_mount(self) -> None:
        # no blank line till needed
        self.query_one("#reactivate-message").display = bool(self.refusal)

    def widget_keys(self) -> list[tuple[str, str]]:
        """The field's own key, named on the key bar."""
        return [("Enter", t("keys.back_in_queue"))]

    def on_input_submitted(self, event: Input.Submitted) -> None:
        """A ticket's number goes to the queue; nothing, or what is no number, is
        said here and the dialog stays (it closed on both, the one silently, the
        other with its refusal on the counter's line: Ctrl+R again)."""
        typed = "".join(event.value.replace("★", "").split())
        number = ticket_number(typed)
        message = self.query_one("#reactivate-message", Static)
        if not typed:
            message.update(t("counterui.reactivate_empty"))
        elif number is None:
            message.update(t("counterui.reactivate_not_a_number", typed=typed))
        else:
            self.dismiss(number)  # "a1", as citizens say it, is A001
            return
        message.display = True
        event.input.focus()

    def action_cancel(self) -> None:
        self.dismiss(None)


RATING_PROMPT_SECONDS = 90


def counter_label(config: Config, number: int) -> str:
    """``Quầy 7 — Quầy ưu tiên``: the counter's number, and its name when it has one."""
    from screens.first import counter_title

    return counter_title(number, config.counter(number).name)


def named(ticket: TicketView, numbering: str) -> str:
    """A ticket as a message names it: ★A012 for a priority ticket (``ticket_label``)."""
    return ticket_label(ticket.number, ticket.is_priority, numbering)


def why_not_step(action: str, status: CounterStatus, config: Config) -> str | None:
    """Why a queue key does not apply to a counter in ``status``; None when it does
    (F4 on a called ticket: the recalls it still needs, as the queue refuses it)."""
    current = status.current
    numbering = config.priority.numbering
    if action == "call_next":
        if status.state == "paused":
            return t("queue.paused")
        if current is not None and current.status == "called":
            return t("queue.still_called", number=named(current, numbering))
        if current is None and not status.waiting_total:
            return t("counter.nobody")
    elif action in ("recall", "no_show", "start"):
        if current is None:
            return t("counter.no_current")
        if current.status != "called":
            # each key says why it is not for a ticket already being served
            key = {
                "recall": "queue.recall_serving",
                "no_show": "queue.no_show_serving",
                "start": "walk4.counter.start_serving",
            }[action]
            return t(key, number=named(current, numbering))
        if action == "no_show":
            needed = config.queue.no_show_after_recalls
            return no_show_too_soon(named(current, numbering), current.recall_count, needed)
    elif action in ("transfer", "finish") and current is None:
        return t("counter.no_current")
    elif action in ("leave", "close") and current is not None:
        # the citizen standing at the counter is never left behind by the officer
        return t("walkthrough.counter.leave_current", number=named(current, numbering))
    return None


NUMBER_WIDTH = 5
"""A waiting ticket's number: ★A012 (the ★ of a priority ticket with numbering "mark")."""
MARK_WIDTH = 3
"""The priority column's cell: ★, and → for a ticket sent to this counter."""
WAITED_WIDTH = 3
"""Minutes waited: up to 999."""
SERVICE_MIN = 12
"""The service's least width with the full headers: below it the short ones are used."""
SERVICE_MAX = 32
"""The service's widest column, however long its name."""


@dataclass(frozen=True)
class WaitingColumns:
    """The waiting list's headers and widths for the room it has."""

    headers: tuple[str, str, str, str]
    widths: tuple[int, int, int, int]

    @property
    def service(self) -> int:
        return self.widths[1]


def waiting_columns(room: int, names: list[str]) -> WaitingColumns:
    """The waiting list's columns in ``room`` cells (each column is padded by one
    cell on either side): the number, the priority mark and the minutes waited are
    never cut; the service takes what they leave, its name cut with "…" when it is
    longer (:func:`fit_name`). The full headers ("Ưu tiên", "Chờ (phút)") when they
    leave the service ``SERVICE_MIN`` cells, else the short ones ("★", "Phút"): at
    80×24 the full ones pushed the last two columns off the pane."""
    full = (
        t("counter.col_number"),
        t("counter.col_service"),
        t("counter.col_priority"),
        t("counter.col_waited"),
    )
    short = tuple(t(f"counter80.col_{c}") for c in ("number", "service", "priority", "waited"))
    longest = max([len(n) for n in names], default=0)
    for headers in (full, short):
        number, service, mark, waited = (len(h) for h in headers)
        fixed = [max(number, NUMBER_WIDTH), max(mark, MARK_WIDTH), max(waited, WAITED_WIDTH)]
        left = room - sum(w + 2 for w in fixed) - 2
        width = min(max(service, longest), SERVICE_MAX, max(left, service))
        if left >= SERVICE_MIN or headers is short:
            return WaitingColumns(
                (headers[0], headers[1], headers[2], headers[3]),
                (fixed[0], width, fixed[1], fixed[2]),
            )
    raise AssertionError("unreachable: the short headers always return")


def fit_name(name: str, width: int) -> str:
    """``name`` in ``width`` cells: whole, or cut after a word and ended with "…"
    ("Đất đai…" rather than "Đất đai – X")."""
    if len(name) <= width:
        return name
    cut = name[: width - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" –-,·") + "…"


class WaitingTable(DataTable[Text]):
    """The counter's waiting list: its columns are laid out for its width, again
    whenever that changes (:meth:`CounterScreen.fit_waiting`). Its headers and cells
    are given as :class:`~rich.text.Text`, which DataTable shows as they are: a string
    would be parsed as Rich markup (a service named with brackets would lose them)
    and looked up for emoji codes, a table of 0.75 MB kept all day."""

    def on_resize(self, _event: Resize) -> None:
        screen = self.screen
        if isinstance(screen, CounterScreen):
            screen.fit_waiting()


@dataclass(frozen=True)
class Step:
    """One queue key: ``action`` names it (and decides whether it applies)."""

    action: str
    run: Callable[[Queue], object]
    quiet: bool = False
    requeue: bool = False
    """A transfer to the ticket's own service: it goes back to its queue."""
    again: Callable[[str], object] | None = None
    """Asks again, given the queue's refusal (a dialog opened again with what was
    typed), where the counter's line would say it."""


@dataclass(frozen=True)
class Outcome:
    message: str
    error: bool = False
    status: CounterStatus | None = None
    finished: TicketView | None = None
    retry: Step | None = None
    again: Callable[[str], object] | None = None


class CounterScreen(DeskScreen):
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("f2", "call_next", "keys.call_next", id="counter.call_next"),
        Binding("enter", "start", "keys.start", id="counter.start"),
        Binding("f3", "recall", "keys.recall", id="counter.recall"),
        Binding("f4", "no_show", "keys.no_show", id="counter.no_show"),
        Binding("f5", "transfer", "keys.transfer", id="counter.transfer"),
        Binding("f6", "intake", "keys.intake", id="counter.intake"),
        Binding("f8", "lookup", "keys.return_result", id="counter.lookup"),
        Binding("f9", "finish", "keys.finish", id="counter.finish"),
        Binding("f10", "pause", "keys.pause", id="counter.pause"),
        Binding("ctrl+r", "reactivate", "keys.reactivate", id="counter.reactivate"),
        # not on the key bar (it is full at 80 columns); README lists it
        Binding("ctrl+b", "book", "keys.book", id="counter.book", show=False),
        # R as Caps Lock types it ("R") and as Shift+R (a terminal that reports it so):
        # one key for people, named R
        Binding("r,R,shift+r", "retry", "keys.retry", id="counter.retry", key_display="R"),
        Binding("1", "rate(3)", "keys.rate_3", id="counter.rate_3", show=False),
        Binding("2", "rate(2)", "keys.rate_2", id="counter.rate_2", show=False),
        Binding("3", "rate(1)", "keys.rate_1", id="counter.rate_1", show=False),
        # Esc closes the counter (after asking), from the demo's launcher too: it does
        # not just go back, so its label says so
        Binding("escape", "leave", "keys.close_counter", id="counter.leave"),
    ]

    TYPE_AHEAD_KEYS = ("f6", "f8")
    """Keys that open a form: what is typed after them goes to it (screens.typeahead)."""

    status: var[CounterStatus | None] = var(None, bindings=True)
    busy: var[bool] = var(False, bindings=True)
    """A step is running."""
    rating: var[tuple[int, str] | None] = var(None, bindings=True)
    """(ticket id, number) waiting for the citizen's rating."""
    retry_step: var[Step | None] = var(None, bindings=True)
    """The step R runs again after a busy database."""
    leaving: var[bool] = var(False, bindings=True)
    """Esc was pressed: the counter closes after its last step."""

    def __init__(self, number: int) -> None:
        super().__init__(classes="counter")
        self.number = number
        self._steps: deque[Step] = deque()
        self._after_steps: str | None = None
        self._leave_after_steps = False
        """Esc pressed while a step ran: asked once the steps are done (from the
        state they leave)."""
        """F6 or F8 pressed while a step ran: opened when the steps are done."""
        self._held_note = ""
        """Why a key pressed after that F6 or F8 did not run; shown with the step's result."""
        self._waited = False
        """F6's or F8's screen opens after steps: the message line holds what they said."""
        self._generation = 0
        """Counts finished steps: a poll read before the last one is stale."""
        self.last_dossier = ""
        self._last_dossier_for: str | None = None
        """The ticket at the counter when the last dossier was taken in: the line that
        names the dossier goes once another ticket is there."""
        self._intake: IntakeScreen | None = None
        """The intake form on screen (F6), read when the counter shows again."""
        self._form: IntakeScreen | None = None
        """The intake form built once per counter session and reset for each dossier."""
        self._bookings: Appointments | None = None
        self._columns: WaitingColumns | None = None
        """The waiting list's columns as laid out for its width (none before it has one)."""
        self._typed_at: float | None = None
        """When the last character was typed at the counter (None after another key)."""
        self._typed_note: tuple[str, str, bool] | None = None
        """What a typed key said, and the message line before it (taken back when
        the key turns out to start a scanner's burst)."""

    @property
    def queue(self) -> Queue:
        return self.desk.queue

    @property
    def bookings(self) -> Appointments:
        if self._bookings is None:
            self._bookings = Appointments(self.queue)
        return self._bookings

    @property
    def officer_id(self) -> int | None:
        officer = self.desk.officer
        return officer.id if officer is not None else None

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        yield SyncBadge()
        with Horizontal(id="counter-body"):
            with Vertical(id="counter-left"):
                title = counter_label(self.runtime.config, self.number)
                officer = self.desk.officer
                if officer is not None:  # who is signed in here (no screen said; walk)
                    title = t("counterui.title_officer", counter=title, name=officer.full_name)
                yield PhraseLine(title, id="counter-title")
                yield PhraseLine(id="current-state")
                yield BigText("", id="current-number")
                # a priority category is a list: "Aged 80+, child under 6, …"
                yield PhraseLine(id="current-detail", breaks=LIST_BREAK)
                yield PhraseLine(id="counter-counts")
                yield Static("", id="counter-last-dossier", markup=False)
            with Vertical(id="counter-right"):
                yield Static(t("counter.waiting_title"), id="waiting-title")
                table = WaitingTable(id="waiting", cursor_type="none", zebra_stripes=True)
                table.can_focus = False  # keys belong to the counter, not the list
                textual_compat.lean_table(table)
                yield table
                # under the headers while nobody waits (shown once the first status is read)
                yield Static(t("walk2.counter.nobody_waiting"), id="waiting-empty")
        # two lines at 80 columns: broken between the options, never inside one
        yield PhraseLine(id="rating-prompt")
        yield PhraseLine(id="counter-message")
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#rating-prompt").display = False
        self.query_one("#waiting-empty").display = False
        self.query_one("#counter-last-dossier").display = False
        self._changes = self.runtime.changes.follower()
        self.step("open", lambda q: q.set_state(self.number, "open"), quiet=True)
        self.set_interval(1.0, self.refresh_status)
        # after the first frame, while the officer reads it: F6 then only shows the form
        self.call_after_refresh(self._intake_form)

    def _intake_form(self) -> IntakeScreen:
        """The counter's intake form, built (composed off screen) on first need."""
        from screens.intake import IntakeScreen

        if self._form is None:
            self._form = IntakeScreen(counter=self.number)
            self.app.install_screen(self._form, f"intake-{self.number}-{id(self)}")
            textual_compat.compose_offscreen(self.app, self._form)
        return self._form

    @property
    def intake_ready(self) -> bool:
        """The intake form is built: F6 only resets and shows it."""
        return self._form is not None and self._form.ready

    def on_unmount(self) -> None:
        form, self._form = self._form, None
        if form is not None and form not in self.app.screen_stack:
            self.app.uninstall_screen(form)
            form.remove()

    # --- reading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def refresh_status(self) -> None:
        """One poll: read the counter's status if the database changed since the
        last one shown, else redraw what moves with the clock."""
        generation = self._generation
        mark = self._changes.due()
        if mark is None:
            self.app.call_from_thread(self._tick)
            return
        try:
            # bookings whose check-in window has just closed unused are released here:
            # windows end on a minute and a new minute makes this poll due, so within a
            # second of the end of their window (a plain read when none is due)
            self.bookings.release_due()
            status = self.queue.counter_status(self.number)
        except Exception as exc:
            if is_busy(exc):  # a locked database: keep the last view, try again in 1 s
                return
            raise
        self.app.call_from_thread(self._polled, status, generation, mark)

    def _polled(self, status: CounterStatus, generation: int, mark: Mark) -> None:
        # read before the last step finished, or while one runs: the step shows its own
        # result, and this read is not counted as shown (the next poll reads again)
        if generation == self._generation and not self.busy:
            self._changes.shown(mark)
            self._show(status)

    def _tick(self) -> None:
        if self.status is not None and not self.busy:
            self._show(self.status)

    def _show(self, status: CounterStatus) -> None:
        self.status = status
        now = clock.now()
        current = status.current
        last = self.query_one("#counter-last-dossier", Static)
        if last.display and current is not None and current.number != self._last_dossier_for:
            last.display = False  # it read as the next citizen's dossier (walk, 2 Dec)
        paused = status.state == "paused"
        if paused != self.has_class("-paused"):  # F10's words (key bar, F1): pause, or resume
            textual_compat.relabel(self, "pause", t("keys.resume" if paused else "keys.pause"))
            self.refresh_bindings()
        self.set_class(paused, "-paused")
        state = self.query_one("#current-state", PhraseLine)
        number = self.query_one("#current-number", BigText)
        detail = self.query_one("#current-detail", PhraseLine)
        if current is None:
            state.show(t("everyday.counter.paused_state" if paused else "counter.no_current"))
            number.update("")
            detail.show("")
        else:
            key = "counter.serving" if current.status == "serving" else "counter.called"
            state.show(t(key))
            number.update(self._label(current))
            lines = [self.queue.service_name(current.service)]
            if current.priority_category:
                lines.append("★ " + self.queue.category_name(current.priority_category))
            lines.append(
                t("counter.waited", minutes=_minutes(current.issued_at, current.called_at or now))
            )
            if current.recall_count:
                lines.append(t("counter.recalls", count=current.recall_count))
            detail.show("\n".join(lines))
        self.query_one("#counter-counts", PhraseLine).show(
            t(
                "counter.counts",
                served=status.served_today,
                absent=status.no_show_today,
                waiting=status.waiting_total,
            )
            # paused with nobody at the counter: the state line above says it already
            + ("\n" + t("counter.paused") if paused and current is not None else ""),
        )
        self._show_waiting(status, now)

    def _show_waiting(self, status: CounterStatus, now: datetime) -> None:
        columns = self._columns
        if columns is None:
            return  # not laid out yet: fit_waiting shows the rows once it is
        rows: list[tuple[str, tuple[Text, ...]]] = []
        for ticket in status.waiting:
            mark = "★" if ticket.is_priority else ""
            if ticket.target_counter == self.number:
                mark += " →"
            # numbers and minutes right-aligned: A003 stands under the A002 of
            # ★A002, and 9 under the 0 of 10 (left-aligned, both were a cell off)
            cells = (
                Text(self._label(ticket), justify="right"),
                Text(fit_name(self.queue.service_name(ticket.service), columns.service)),
                Text(mark),
                Text(str(_minutes(ticket.queued_at, now)), justify="right"),
            )
            rows.append((str(ticket.id), cells))
        set_rows(self.query_one("#waiting", DataTable), rows)
        self.query_one("#waiting-empty").display = not rows

    def fit_waiting(self) -> None:
        """Lay the waiting list's columns out for the width it has (at its first
        layout, and when the terminal is resized): widths from the configuration's
        service names, not from the rows, so the columns never jump when rows come
        and go. The vertical scroll bar's cells are always kept free: a list that
        grows past the pane's height does not push the minutes off its right edge."""
        table = self.query_one("#waiting", DataTable)
        room = table.content_size.width - table.styles.scrollbar_size_vertical
        if room <= 0:
            return
        config = self.runtime.config
        english = config.ui.language == "en"
        names = [s.name_en if english else s.name_vi for s in config.services]
        columns = waiting_columns(room, names)
        if columns == self._columns:
            return
        self._columns = columns
        table.clear(columns=True)
        # the headers over their cells
        aligned: tuple[JustifyMethod, ...] = ("right", "left", "left", "right")
        for header, width, side in zip(columns.headers, columns.widths, aligned, strict=True):
            table.add_column(Text(header, justify=side), width=width)
        if self.status is not None:
            self._show_waiting(self.status, clock.now())

    def _label(self, ticket: TicketView) -> str:
        return named(ticket, self.runtime.config.priority.numbering)

    # --- which keys apply now ----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "retry":
            return self.retry_step is not None and not self.busy
        if action == "rate":
            return self.rating is not None
        return True

    def why_not(self, action: str) -> str | None:
        if self.leaving:
            return t("everyday.counter.leaving")
        if action == "retry" and self.retry_step is None:
            return t("counterkeys.retry_when")
        if action == "rate" and self.rating is None:
            return t("counterkeys.rate_when")
        if self.status is None or self.busy:
            return None  # decided when the step runs, from the state then
        return why_not_step(action, self.status, self.runtime.config)

    # --- keys typed at the counter that no key takes ----------------------------------

    def on_key(self, event: Key) -> None:
        """A letter or digit pressed at the counter that no key of it takes says so
        (it did nothing and said nothing); keys typed faster than a person types
        are a scanner's, and say nothing (the first one's words are taken back)."""
        char = event.character if event.is_printable else None
        if not char:
            self._typed_at = None  # F2, Enter, Esc: what follows is typed afresh
            return
        gap = self.runtime.config.identity.scan_gap_ms / 1000
        burst = self._typed_at is not None and event.time - self._typed_at < gap
        self._typed_at = event.time
        if burst:
            self._take_back_typed()
            return
        self._typed_note = None
        if not char.isalnum() or event.key in self.active_bindings:
            return  # its key runs (R, with Caps Lock too, 1, 2, 3 when they apply)
        bound = next((b for b in textual_compat.own_bindings(self) if b.key == char.lower()), None)
        if bound is None:
            message = t("counterkeys.no_key", key=char.upper())
        else:
            reason = self.why_not(bound.action.split("(")[0])
            if reason is None:
                return  # R while a step runs (R is off until it ends): says nothing
            message = t("counterkeys.not_now", key=textual_compat.key_label(bound), reason=reason)
        line = self.query_one("#counter-message", PhraseLine)
        self._typed_note = (message, line.text, line.has_class("-error"))
        self._note(message, False)

    def _take_back_typed(self) -> None:
        note, self._typed_note = self._typed_note, None
        if note is None:
            return
        message, before, error = note
        if self.query_one("#counter-message", PhraseLine).text == message:
            self._note(before, error)

    # --- steps, one at a time ------------------------------------------------------

    def step(
        self,
        action: str,
        run: Callable[[Queue], object],
        quiet: bool = False,
        requeue: bool = False,
        again: Callable[[str], object] | None = None,
    ) -> None:
        """Run a queue key after the ones before it."""
        if self.leaving:
            return
        self._steps.append(Step(action, run, quiet, requeue, again))
        if self.busy:
            self._note(t("everyday.counter.working"), False)
        else:
            self._next_step()

    def _next_step(self) -> None:
        if not self._steps:
            self.busy = False
            if self.leaving:
                self.desk.leave_screen(sign_out=True)
            elif self._after_steps is not None:  # F6 or F8 pressed while a step ran
                action, self._after_steps = self._after_steps, None
                (self.action_intake if action == "intake" else self.action_lookup)()
                self._waited = False
            elif self._leave_after_steps:
                self._leave_after_steps = False
                self.action_leave()
            return
        self.busy = True
        self.run_step(self._steps.popleft())

    @work(thread=True, group="steps", exit_on_error=False)
    def run_step(self, step: Step) -> None:
        outcome: Outcome | None = None
        try:
            outcome = self._execute(step)
        finally:  # an unexpected error shows through the screens' failed-worker handler
            self.app.call_from_thread(self._step_done, outcome)

    def _execute(self, step: Step) -> Outcome:
        """In the worker: decide from the state now whether the step applies, run it."""
        queue = self.queue
        try:
            status = queue.counter_status(self.number)
            reason = why_not_step(step.action, status, self.runtime.config)
            if reason is not None:
                return Outcome(reason, error=True, status=status)
            result = step.run(queue)
            status = queue.counter_status(self.number)
        except QueueBusy as exc:
            return Outcome(str(exc), error=True, retry=step)
        except QueueError as exc:
            return Outcome(str(exc), error=True, again=step.again)
        except Exception as exc:
            if is_busy(exc):
                return Outcome(t("queue.busy"), error=True, retry=step)
            raise
        finished = result if isinstance(result, TicketView) and result.status == "done" else None
        return Outcome(self._message(step, result, status), status=status, finished=finished)

    def _message(self, step: Step, result: object, status: CounterStatus) -> str:
        """What the counter's line says of a step done (``status``: read after it)."""
        if step.action == "call_next" and result is None:
            return t("counter.nobody")
        if step.action == "pause":  # paused: the counter's left side says so, once
            return "" if result == "paused" else t("everyday.counter.resumed")
        if not isinstance(result, TicketView) or step.quiet:
            return ""
        number = self._label(result)
        if step.action == "recall":
            return t("everyday.counter.recalled", number=number, count=result.recall_count)
        if step.action == "transfer" and not step.requeue:  # back in its queue: done_waiting
            if result.target_counter is not None:
                where = counter_label(self.runtime.config, result.target_counter)
                said = t("everyday.counter.transferred", number=number, target=where)
                # a counter not open calls nobody until it opens, and the citizen
                # would wait for it unaware (walk, 2 Dec)
                if result.target_counter not in status.counters_open:
                    said += " " + t("counterui.target_not_open", counter=result.target_counter)
                return said
            name = self.queue.service_name(result.service)
            where = t("everyday.counter.to_service", name=name)
            return t("everyday.counter.transferred", number=number, target=where)
        return t(f"counter.done_{result.status}", number=number)

    def _step_done(self, outcome: Outcome | None) -> None:
        self._generation += 1
        if outcome is None or outcome.error:
            dropped = len(self._steps) + (self._after_steps is not None)
            if self._after_steps is not None:
                self.desk.type_ahead.drop()  # typed for a screen that will not open
            self._steps.clear()  # pressed for a state that did not come
            self._after_steps = None
            self._waited = False
            self._leave_after_steps = False
            self.leaving = False  # Esc among them: the officer stays and reads why
        if outcome is not None:
            if outcome.status is not None:
                self._show(outcome.status)
            if outcome.finished is not None:
                self._ask_rating(outcome.finished)
            elif not outcome.error and outcome.message and self.rating is not None:
                self._ask_rating(None)  # the next citizen comes first
            self.retry_step = outcome.retry
            message = outcome.message
            if outcome.error and dropped:
                message += " " + t("everyday.counter.dropped", count=dropped)
            if self._held_note and not (outcome.error and dropped):
                message = f"{message} {self._held_note}".strip()
            if outcome.again is not None:
                outcome.again(message)  # said where it was typed, which stays
            elif message or not outcome.error:
                self._note(message, outcome.error)
        if not self._steps:
            self._held_note = ""
        self._next_step()

    def _note(self, message: str, error: bool) -> None:
        msg = self.query_one("#counter-message", PhraseLine)
        msg.show(message)
        msg.set_class(error, "-error")

    def show_failure(self, message: str) -> None:
        self._note(message, True)

    # --- actions -----------------------------------------------------------------

    def action_call_next(self) -> None:
        if self.held("call_next"):
            return
        self._ask_rating(None)  # a rating is optional: the next citizen comes first
        self.step("call_next", lambda q: q.call_next(self.number, self.officer_id))

    def _ask_rating(self, ticket: TicketView | None) -> None:
        prompt = self.query_one("#rating-prompt", PhraseLine)
        if ticket is None or ticket.status != "done" or ticket.outcome != "done":
            self.rating = None
            prompt.show("")
            prompt.display = False
        else:
            self.rating = (ticket.id, ticket.number)
            prompt.show(t("rating.prompt", number=self._label(ticket)))
            prompt.display = True
            asked = ticket.id
            # unanswered, the prompt goes away by itself
            self.set_timer(
                RATING_PROMPT_SECONDS,
                lambda: self._ask_rating(None) if self.rating and self.rating[0] == asked else None,
            )

    def action_rate(self, score: int) -> None:
        if self.rating is None:
            return
        ticket_id, _number = self.rating
        self._ask_rating(None)
        self.save_rating(ticket_id, score)

    @work(thread=True, group="rating", exit_on_error=False)
    def save_rating(self, ticket_id: int, score: int) -> None:
        """A rating never blocks the officer's work; a failure to save it is shown."""
        from desk.queue.ratings import rate

        rate(self.runtime.engine, ticket_id, score, "counter")
        self.app.call_from_thread(self._note, t("rating.thanks"), False)

    def action_start(self) -> None:
        if self.held("start"):
            return
        self.step("start", lambda q: q.start(self.number, self.officer_id))

    def action_recall(self) -> None:
        if self.held("recall"):
            return
        self.step("recall", lambda q: q.recall(self.number, self.officer_id))

    def action_no_show(self) -> None:
        if self.held("no_show"):
            return
        self.step("no_show", lambda q: q.no_show(self.number, officer_id=self.officer_id))

    def action_finish(self) -> None:
        if self.held("finish"):
            return
        self.step("finish", lambda q: q.finish(self.number, officer_id=self.officer_id))

    def action_pause(self) -> None:
        if self.held("pause"):
            return

        def toggle(q: Queue) -> str:
            paused = q.counter_status(self.number).state == "paused"
            return q.set_state(self.number, "open" if paused else "paused")

        self.step("pause", toggle)

    def action_transfer(self) -> None:
        if self.held("transfer") or self.refused("transfer"):
            return
        config = self.runtime.config
        current = self.status.current if self.status is not None else None
        own = current.service if current is not None else None
        opened = self.status.counters_open if self.status is not None else None
        options = [
            (
                f"service:{s.prefix}",
                t(
                    "counter.back_to_queue" if s.prefix == own else "counter.to_service",
                    prefix=s.prefix,
                    name=self.queue.service_name(s.prefix),
                ),
            )
            for s in config.services
        ] + [
            (f"counter:{c.number}", self._target_label(c.number, opened))
            for c in config.counters
            # only the counters that serve its service: the others were listed, and
            # refused after Enter ("Quầy 3 không phục vụ lĩnh vực Hộ tịch"; walk, 2 Dec)
            if c.number != self.number and (own is None or own in c.services)
        ]

        def chosen(target: tuple[str, str] | None) -> None:
            if target is None:
                return
            kind, value = target
            if kind == "service":
                # its own service: back in its queue, keeping its place (said so)
                self.step(
                    "transfer",
                    lambda q: q.transfer(self.number, to_service=value),
                    requeue=value == own,
                )
            else:
                self.step("transfer", lambda q: q.transfer(self.number, to_counter=int(value)))

        self.app.push_screen(TransferDialog(options), chosen)

    def _target_label(self, number: int, opened: frozenset[int] | None) -> str:
        """A counter in F5's list, marked when it is not open (as last read): a ticket
        sent there waits until it opens (walk, 2 Dec)."""
        label = counter_label(self.runtime.config, number)
        if opened is not None and number not in opened:
            label = t("counterui.target_closed", counter=label)
        return label

    def _wait_for_steps(self, action: str) -> bool:
        """F6 and F8 open their screen after the steps pressed before them (the
        form shows the ticket as it is then); True when it had to wait."""
        if not self.busy:
            return False
        self._after_steps = action
        self._waited = True
        self._note(t("everyday.counter.working"), False)
        return True

    def held(self, action: str) -> bool:
        """True (and says why) when F6 or F8 waits to open its screen: a key pressed
        after it does not run, beneath the screen or on the ticket it opens for."""
        waiting = self._after_steps
        if waiting is None:
            return False
        opener = next(b for b in self.BINDINGS if isinstance(b, Binding) and b.action == waiting)
        pressed = next(b for b in self.BINDINGS if isinstance(b, Binding) and b.action == action)
        self._held_note = t(
            "counterfix.held",
            key=textual_compat.key_label(pressed),
            screen=t(f"counterfix.screen_{waiting}"),
            opener=textual_compat.key_label(opener),
            what=t(f"counterfix.what_{waiting}"),
        )
        self._note(self._held_note, True)
        return True

    def _opening_refused(self, action: str) -> bool:
        """F6 or F8 does not apply: what was typed for its screen goes too."""
        if not self.refused(action):
            return False
        self.desk.type_ahead.drop()
        return True

    def action_intake(self) -> None:
        if self.held("intake") or self._opening_refused("intake"):
            return
        if self._wait_for_steps("intake"):
            return
        current = self.status.current if self.status else None

        def form() -> IntakeScreen:
            self._intake = self._intake_form()
            self._intake.reset(current)
            return self._intake

        self._open("intake", form)

    def on_screen_resume(self) -> None:
        """Back from an intake: the counter names the dossier just taken in, and
        the form forgets the citizen at once (it is reset again on the next F6)."""
        intake, self._intake = self._intake, None
        if intake is None:
            return
        saved = intake.saved
        intake.reset(None)
        if not saved:
            return
        # a bundle's further dossiers by their number of the day (same agency, same
        # day): its three full codes took four lines at 80 columns, and the rating
        # prompt after F9 pushed the last one off the screen (walk, 2 Dec)
        first, *more = (d.code for d in saved)
        code = ", ".join([first, *(f"-{c.rsplit('-', 1)[-1]}" for c in more)])
        self.last_dossier = code
        current = self.status.current if self.status is not None else None
        self._last_dossier_for = current.number if current is not None else None
        line = self.query_one("#counter-last-dossier", Static)
        line.update(t("everyday.counter.last_dossier", code=code))
        line.display = True

    def action_lookup(self) -> None:
        if self.held("lookup") or self._opening_refused("lookup"):
            return
        if self._wait_for_steps("lookup"):
            return

        def lookup() -> Screen[None]:
            from screens.lookup import LookupScreen

            return LookupScreen()

        self._open("lookup", lookup)

    def _open(self, action: str, build: Callable[[], Screen[None]]) -> None:
        """Show F6's or F8's screen. One that cannot be built (or shown) says why, as
        a failed step does, and what was typed for it is dropped: held for a screen
        that will not come, it kept every character, Enter and Backspace typed at the
        counter afterwards (Enter did not start serving, 1 2 3 did not rate).

        The counter's message goes as the screen opens: F4's "absent" read on the
        officer's return from a dossier no longer applied. Not what the steps the
        screen waited for said (the officer has not read it yet; a key pressed
        meanwhile is to be pressed again once the screen is closed)."""
        if not self._waited:
            self._note("", False)
        try:
            self.app.push_screen(build())
        except Exception as exc:
            self._intake = None
            dropped = self.desk.type_ahead.drop()
            message = self.report_failure(f"opening {action}", exc)
            if dropped:
                self._note(f"{message} {t('everyday.counter.dropped', count=dropped)}", True)

    def action_book(self) -> None:
        from screens.appointment import BookingDialog

        if self.held("book"):
            return
        self.app.push_screen(BookingDialog())

    def action_reactivate(self) -> None:
        if self.held("reactivate"):
            return

        def chosen(number: str | None) -> None:
            if number:
                self.step(
                    "reactivate",
                    lambda q: q.reactivate(number, self.officer_id),
                    again=partial(ask, number),
                )

        def ask(typed: str = "", refused: str = "") -> None:
            """The dialog, again with the number and why the queue refused it (not
            absent, not today's): it closed, and the number had to be typed again."""
            self.app.push_screen(ReactivateDialog(typed, refused), chosen)

        ask()

    def action_retry(self) -> None:
        retry, self.retry_step = self.retry_step, None
        if retry is not None:
            self.step(retry.action, retry.run, retry.quiet)

    def action_leave(self) -> None:
        """Esc: close the counter after the last step, then leave (the program, or
        the demo's launcher), once the officer said yes: an Esc meant for a dialog
        that had already closed used to end the counter's program at once.

        Not while a ticket is called or served here: the officer finishes, transfers
        or marks it absent first (decided again from the state when the step runs)."""
        if self.leaving or self.held("leave"):
            return
        if self.busy:  # asked from the state the steps pressed before it leave
            self._leave_after_steps = True
            return
        if self.refused("leave"):
            return
        from screens.confirm import Confirm

        counter = counter_label(self.runtime.config, self.number)
        title = "leave.title_back" if self.desk.role == "launcher" else "leave.title_exit"
        hint = t("leave.hint")
        # that the waiting keep their places, only when someone waits (or not yet read)
        if self.status is None or self.status.waiting_total:
            hint = f"{hint} {t('leave.waiting_kept')}"
        self.app.push_screen(Confirm(t(title, counter=counter), hint), self._leave)

    def _leave(self, close: bool | None) -> None:
        if not close or self.leaving or self.refused("leave"):
            return
        self.step("close", lambda q: q.set_state(self.number, "closed"), quiet=True)
        self.leaving = True


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))
