"""Counter workstation: the current ticket, the waiting list, today's counts.

Keys: F2 call next, Enter start serving, F3 recall, F4 no-show, F5 transfer,
F6 intake (linked to the current ticket, or standalone), F8 return a result,
F9 finish, F10 pause/resume, Ctrl+R bring back an absent ticket, R retry after a
busy database. The footer shows only the keys that apply now. The screen re-reads
the queue every second, so tickets issued at the kiosk or called elsewhere appear
without a key press. Database work runs in thread workers.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import DataTable, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from desk import clock
from desk.i18n import t
from desk.queue.engine import Queue
from desk.queue.views import CounterStatus, QueueBusy, QueueError, TicketView
from screens.base import DeskModal, DeskScreen
from screens.bigtext import BigText
from screens.keybar import KeyBar
from screens.syncbadge import SyncBadge


class TransferDialog(DeskModal[tuple[str, str] | None]):
    """Choose a service (``("service", "B")``) or a counter (``("counter", "3")``)."""

    AUTO_FOCUS = "#transfer-targets"
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self, options: list[tuple[str, str]]) -> None:
        super().__init__(classes="dialog")
        self.options = options  # (option id, label)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(t("counter.transfer_title"), classes="dialog-title")
            yield OptionList(
                *[Option(label, id=oid) for oid, label in self.options],
                id="transfer-targets",
                markup=False,
            )

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        kind, _, value = (event.option.id or "").partition(":")
        self.dismiss((kind, value))

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReactivateDialog(DeskModal[str | None]):
    AUTO_FOCUS = "#reactivate-number"
    BINDINGS = [Binding("escape", "cancel", "keys.cancel")]

    def __init__(self) -> None:
        super().__init__(classes="dialog")

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(t("counter.reactivate_title"), classes="dialog-title")
            yield Input(placeholder="A012", id="reactivate-number", max_length=8)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


RATING_PROMPT_SECONDS = 90


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
        Binding("r", "retry", "keys.retry", id="counter.retry"),
        Binding("1", "rate(3)", "keys.rate_3", id="counter.rate_3", show=False),
        Binding("2", "rate(2)", "keys.rate_2", id="counter.rate_2", show=False),
        Binding("3", "rate(1)", "keys.rate_1", id="counter.rate_1", show=False),
        Binding("escape", "leave", "keys.back", id="counter.leave"),
    ]

    def __init__(self, number: int) -> None:
        super().__init__(classes="counter")
        self.number = number
        self.status: CounterStatus | None = None
        self._retry: Callable[[], None] | None = None
        self.rating: tuple[int, str] | None = None
        """(ticket id, number) waiting for the citizen's rating."""

    @property
    def queue(self) -> Queue:
        return self.desk.queue

    @property
    def officer_id(self) -> int | None:
        officer = self.desk.officer
        return officer.id if officer is not None else None

    def compose(self) -> ComposeResult:
        ctr = self.runtime.config.counter(self.number)
        yield Header()
        yield SyncBadge()
        with Horizontal(id="counter-body"):
            with Vertical(id="counter-left"):
                title = ctr.name or t("counter.title", number=self.number)
                yield Static(title, id="counter-title", markup=False)
                yield Static("", id="current-state", markup=False)
                yield BigText("", id="current-number")
                yield Static("", id="current-detail", markup=False)
                yield Static("", id="counter-counts", markup=False)
            with Vertical(id="counter-right"):
                yield Static(t("counter.waiting_title"), id="waiting-title")
                table: DataTable[str] = DataTable(
                    id="waiting", cursor_type="none", zebra_stripes=True
                )
                table.can_focus = False  # keys belong to the counter, not the list
                yield table
        yield Static("", id="rating-prompt", markup=False)
        yield Static("", id="counter-message", markup=False)
        yield KeyBar()

    def on_mount(self) -> None:
        self.query_one("#rating-prompt").display = False
        table = self.query_one("#waiting", DataTable)
        table.add_columns(
            t("counter.col_number"),
            t("counter.col_service"),
            t("counter.col_priority"),
            t("counter.col_waited"),
        )
        self.perform(lambda q: q.set_state(self.number, "open"), quiet=True)
        self.set_interval(1.0, self.refresh_status)

    # --- reading ---------------------------------------------------------------

    @work(thread=True, exclusive=True, group="refresh", exit_on_error=False)
    def refresh_status(self) -> None:
        try:
            status = self.queue.counter_status(self.number)
        except Exception:  # a locked database: keep the last view, try again in 1 s
            return
        self.app.call_from_thread(self._show, status)

    def _show(self, status: CounterStatus) -> None:
        self.status = status
        now = clock.now()
        current = status.current
        state = self.query_one("#current-state", Static)
        number = self.query_one("#current-number", BigText)
        detail = self.query_one("#current-detail", Static)
        if current is None:
            state.update(t("counter.no_current"))
            number.update("")
            detail.update("")
        else:
            key = "counter.serving" if current.status == "serving" else "counter.called"
            state.update(t(key))
            number.update(current.number)
            lines = [self.queue.service_name(current.service)]
            if current.priority_category:
                lines.append("★ " + self.queue.category_name(current.priority_category))
            lines.append(
                t("counter.waited", minutes=_minutes(current.issued_at, current.called_at or now))
            )
            if current.recall_count:
                lines.append(t("counter.recalls", count=current.recall_count))
            detail.update("\n".join(lines))
        self.query_one("#counter-counts", Static).update(
            t(
                "counter.counts",
                served=status.served_today,
                absent=status.no_show_today,
                waiting=status.waiting_total,
            )
            + ("\n" + t("counter.paused") if status.state == "paused" else "")
        )
        table = self.query_one("#waiting", DataTable)
        table.clear()
        for ticket in status.waiting:
            mark = "★" if ticket.is_priority else ""
            if ticket.target_counter == self.number:
                mark += " →"
            table.add_row(ticket.number, ticket.service, mark, str(_minutes(ticket.queued_at, now)))
        self.refresh_bindings()

    # --- which keys apply now ----------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        status = self.status
        current = status.current if status else None
        if action == "retry":
            return self._retry is not None
        if action == "rate":
            return self.rating is not None
        if status is None:
            return True
        if action == "call_next":
            if status.state == "paused" or (current is not None and current.status == "called"):
                return None
            return True if status.waiting_total or current else None
        if action in ("recall", "no_show", "start"):
            return True if current is not None and current.status == "called" else None
        if action in ("transfer", "finish"):
            return True if current is not None else None
        return True

    # --- actions -----------------------------------------------------------------

    def action_call_next(self) -> None:
        self._ask_rating(None)  # a rating is optional: the next citizen comes first
        self.perform(lambda q: q.call_next(self.number, self.officer_id), nobody=True)

    def _ask_rating(self, ticket: TicketView | None) -> None:
        prompt = self.query_one("#rating-prompt", Static)
        if ticket is None or ticket.status != "done" or ticket.outcome != "done":
            self.rating = None
            prompt.update("")
            prompt.display = False
        else:
            self.rating = (ticket.id, ticket.number)
            prompt.update(t("rating.prompt", number=ticket.number))
            prompt.display = True
            asked = ticket.id
            # unanswered, the prompt goes away by itself
            self.set_timer(
                RATING_PROMPT_SECONDS,
                lambda: self._ask_rating(None) if self.rating and self.rating[0] == asked else None,
            )
        self.refresh_bindings()

    def action_rate(self, score: int) -> None:
        if self.rating is None:
            return
        ticket_id, _number = self.rating
        self._ask_rating(None)
        self.save_rating(ticket_id, score)

    @work(thread=True, group="rating", exit_on_error=False)
    def save_rating(self, ticket_id: int, score: int) -> None:
        from desk.queue.ratings import rate

        try:
            rate(self.runtime.engine, ticket_id, score, "counter")
        except Exception:  # a rating never blocks or breaks the officer's work
            return
        self.app.call_from_thread(self._succeeded, t("rating.thanks"))

    def action_start(self) -> None:
        self.perform(lambda q: q.start(self.number, self.officer_id))

    def action_recall(self) -> None:
        self.perform(lambda q: q.recall(self.number, self.officer_id))

    def action_no_show(self) -> None:
        self.perform(lambda q: q.no_show(self.number, officer_id=self.officer_id))

    def action_finish(self) -> None:
        self.perform(lambda q: q.finish(self.number, officer_id=self.officer_id))

    def action_pause(self) -> None:
        paused = self.status is not None and self.status.state == "paused"
        self.perform(lambda q: q.set_state(self.number, "open" if paused else "paused"))

    def action_transfer(self) -> None:
        config = self.runtime.config
        options = [
            (
                f"service:{s.prefix}",
                t("counter.to_service", prefix=s.prefix, name=self.queue.service_name(s.prefix)),
            )
            for s in config.services
        ] + [
            (f"counter:{c.number}", t("counter.to_counter", number=c.number))
            for c in config.counters
            if c.number != self.number
        ]

        def chosen(target: tuple[str, str] | None) -> None:
            if target is None:
                return
            kind, value = target
            if kind == "service":
                self.perform(lambda q: q.transfer(self.number, to_service=value))
            else:
                self.perform(lambda q: q.transfer(self.number, to_counter=int(value)))

        self.app.push_screen(TransferDialog(options), chosen)

    def action_intake(self) -> None:
        from screens.intake import IntakeScreen

        current = self.status.current if self.status else None
        self.app.push_screen(IntakeScreen(ticket=current, counter=self.number))

    def action_lookup(self) -> None:
        from screens.lookup import LookupScreen

        self.app.push_screen(LookupScreen())

    def action_reactivate(self) -> None:
        def chosen(number: str | None) -> None:
            if number:
                self.perform(lambda q: q.reactivate(number, self.officer_id))

        self.app.push_screen(ReactivateDialog(), chosen)

    def action_retry(self) -> None:
        retry, self._retry = self._retry, None
        if retry is not None:
            retry()

    def action_leave(self) -> None:
        self.perform(lambda q: q.set_state(self.number, "closed"), quiet=True)
        self.desk.leave_screen()

    @work(thread=True, group="action", exit_on_error=False)
    def perform(
        self, fn: Callable[[Queue], object], nobody: bool = False, quiet: bool = False
    ) -> None:
        try:
            result = fn(self.queue)
        except QueueBusy as exc:
            self.app.call_from_thread(
                self._failed, str(exc), lambda: self.perform(fn, nobody, quiet)
            )
            return
        except QueueError as exc:
            self.app.call_from_thread(self._failed, str(exc), None)
            return
        message = ""
        if isinstance(result, TicketView) and result.status == "done":
            self.app.call_from_thread(self._ask_rating, result)
        if nobody and result is None:
            message = t("counter.nobody")
        elif isinstance(result, TicketView) and not quiet:
            message = t(f"counter.done_{result.status}", number=result.number)
        self.app.call_from_thread(self._succeeded, message)

    def _failed(self, message: str, retry: Callable[[], None] | None) -> None:
        self._retry = retry
        msg = self.query_one("#counter-message", Static)
        msg.update(message)
        msg.add_class("-error")
        self.refresh_bindings()

    def _succeeded(self, message: str) -> None:
        self._retry = None
        msg = self.query_one("#counter-message", Static)
        msg.update(message)
        msg.remove_class("-error")
        self.refresh_status()


def _minutes(start: datetime, end: datetime) -> int:
    return max(0, int((end - start).total_seconds() // 60))
