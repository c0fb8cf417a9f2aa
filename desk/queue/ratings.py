"""Citizen ratings: one key after a ticket is served.

Three levels, as one-stop centers collect them (domain.md §8): 3 very satisfied,
2 satisfied, 1 unsatisfied. One rating per ticket, kept with the counter, the
officer and (when the visit took in a dossier) the dossier. A rating is always
optional: the counter's prompt disappears when the officer calls the next ticket,
and the rating terminal beside a counter (``desk rate N``) offers the counter's
last served ticket for a few minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select

from db.engine import read_session, write_session
from db.models import Dossier, Rating, Ticket
from desk import clock

SCORES = (3, 2, 1)
RATING_WINDOW = timedelta(minutes=5)


def window_start(now: datetime) -> datetime:
    """The earliest finish time of a ticket that may still be rated at ``now``."""
    return now - RATING_WINDOW


@dataclass(frozen=True)
class Rateable:
    ticket_id: int
    number: str
    finished_at: datetime
    priority: bool = False
    """A priority ticket (the terminal names it ★A012, desk.queue.views.ticket_label)."""

    def expired(self, now: datetime) -> bool:
        """The window to rate this ticket has closed."""
        return self.finished_at < window_start(now)


def last_unrated(engine: Engine, counter_id: int, now: datetime | None = None) -> Rateable | None:
    """The counter's most recent served ticket, if it finished within the window
    and has no rating yet."""
    now = now or clock.now()
    with read_session(engine) as session:
        ticket = session.execute(
            select(Ticket)
            .where(
                col(Ticket.counter_id) == counter_id,
                col(Ticket.status) == "done",
                col(Ticket.finished_at) >= window_start(now),
            )
            .order_by(col(Ticket.finished_at).desc())
            .limit(1)
        ).scalar_one_or_none()
        if ticket is None or ticket.id is None or ticket.finished_at is None:
            return None
        rated = session.execute(select(Rating.id).where(col(Rating.ticket_id) == ticket.id)).first()
        if rated is not None:
            return None
        priority = ticket.priority_category is not None
        return Rateable(ticket.id, ticket.number, ticket.finished_at, priority)


def rate(engine: Engine, ticket_id: int, score: int, source: str = "counter") -> bool:
    """Store a rating; False when the ticket was already rated (the first one counts)."""
    if score not in SCORES:
        raise ValueError(f"score: expected 1, 2 or 3, got {score}")
    try:
        with write_session(engine) as session:
            ticket = session.get(Ticket, ticket_id)
            if ticket is None:
                return False
            dossier_id = session.execute(
                select(Dossier.id).where(col(Dossier.ticket_id) == ticket_id).limit(1)
            ).scalar_one_or_none()
            session.add(
                Rating(
                    ticket_id=ticket_id,
                    counter_id=ticket.counter_id,
                    officer_id=ticket.officer_id,
                    dossier_id=dossier_id,
                    score=score,
                    at=clock.now(),
                    source=source,
                )
            )
    except IntegrityError:
        return False
    return True
