"""What the queue hands to the screens and the command line: frozen views of tickets,
calls and counters, and the errors its rules raise. Plain data, no database."""

import re
from dataclasses import dataclass
from datetime import datetime

from desk.errors import DeskError

ACTIVE = ("called", "serving")
# what a call reads of the ticket it picks: its id, its issue time and what it sets
PICKED = (
    "id",
    "issued_at",
    "status",
    "counter_id",
    "officer_id",
    "called_at",
    "last_called_at",
    "wait_seconds",
    "recall_count",
    "target_counter_id",
    "priority_tier",
)
# what the pick reads of the waiting tickets it compares: PICKED and the order's terms
PROBED = (*PICKED, "appointment_id", "queued_at")
RECENT_DAYS = 30
"""How far back the wait estimate looks for service times."""
OUTCOMES = ("done", "intake", "advice", "referred", "cancelled")


class QueueError(DeskError):
    """An operation the queue rules refuse; the message says why and what to do."""


class AlreadyHolding(QueueError):
    """The citizen already holds a live ticket of this service today."""

    def __init__(self, message: str, number: str) -> None:
        super().__init__(message)
        self.number = number


class QueueBusy(QueueError):
    """The database stayed locked past the busy timeout; nothing was changed."""

    busy = True


@dataclass(frozen=True)
class TicketView:
    id: int
    number: str
    service: str
    """Service prefix."""
    priority_category: str | None
    priority_tier: int | None
    status: str
    issued_at: datetime
    queued_at: datetime
    called_at: datetime | None
    started_at: datetime | None
    finished_at: datetime | None
    counter: int | None
    """Counter number serving or last serving it."""
    target_counter: int | None
    recall_count: int
    outcome: str | None

    @property
    def is_priority(self) -> bool:
        return self.priority_category is not None


TICKET_NUMBER = re.compile(r"([A-Z])0*([0-9]{1,})")
"""A ticket number as people say and type it: its prefix's letter, then its digits
(``A12``, ``a 012``, ``U1004``)."""


def ticket_number(text: str) -> str | None:
    """``text`` (spaces, case and leading zeros aside) as the queue writes the number,
    its prefix's letter then at least three digits (``a1`` → ``A001``;
    :meth:`desk.queue.engine.Queue._issue`); None when it has no number's shape."""
    found = TICKET_NUMBER.fullmatch("".join(text.split()).upper())
    return None if found is None else f"{found[1]}{int(found[2]):03d}"


def ticket_label(number: str, priority: bool, numbering: str) -> str:
    """A ticket number as every screen draws it (the kiosk's ticket, the counter's
    current ticket and waiting list, the board): with ``numbering = "mark"`` a
    priority ticket keeps its service prefix and carries a ★ (``★A012``); with
    ``"prefix"`` its own prefix marks it already."""
    return f"★{number}" if priority and numbering == "mark" else number


@dataclass(frozen=True)
class IssuedTicket:
    ticket: TicketView
    ahead: int | None
    """People ahead; None when they could not be counted (the ticket is valid)."""
    wait_minutes: int | None
    counters_open: int | None = None
    """The open counters that will call it; None when not counted."""


@dataclass(frozen=True)
class CallView:
    number: str
    counter: int
    at: datetime
    recall: bool
    priority: bool
    status: str = ""
    """The ticket's status now (a called ticket may since be no-show or done)."""
    recalls: int = 0
    """How many times the ticket has been recalled so far."""
    counter_closed: bool = False
    """The counter it was called to is closed now (its officer has gone)."""


@dataclass(frozen=True)
class CounterStatus:
    number: int
    state: str
    current: TicketView | None
    waiting: list[TicketView]
    served_today: int
    no_show_today: int
    waiting_total: int
    counters_open: frozenset[int] = frozenset()
    """The center's counters open now (their numbers): F5 marks the others."""
