"""The ticket queue: issue, call next, recall, no-show, transfer, start, finish.

Rules:
- A ticket number is the service prefix + 3 digits (``A012``), unique per prefix per
  local day and never reused that day. Priority tickets keep the service prefix and
  carry a mark (``numbering = "mark"``) or take the configured priority prefix
  (``numbering = "prefix"``). Numbers come from ``daily_sequence`` rows incremented
  inside the transaction that inserts the ticket.
- Call next, for a counter: first tickets transferred to that very counter; then, on
  the priority counter (policy ``dedicated``) or on every counter (policy
  ``everywhere``), waiting priority tickets of its services by tier, then queue time;
  then every waiting ticket of its services, first come first served.
- Each operation is one transaction. On SQLite it starts with ``BEGIN IMMEDIATE``,
  so the read that picks a ticket and the update that claims it cannot interleave with
  another process; on PostgreSQL the pick locks its row with ``FOR UPDATE SKIP
  LOCKED``. The update also re-checks ``status = 'waiting'``: a ticket is never
  called by two counters.
- Every step is kept in ``ticket_event`` (issued, called, recalled, started,
  finished, no_show, reactivated, transferred) with counter and officer, for reports.
- Every step holds the write lock as briefly as it can: it writes through
  :class:`db.journal.Journal` (statements compiled once and run on the driver,
  :mod:`db.prepared`; the same outbox and audit rows as the ORM's session events),
  on a connection the queue keeps (:class:`db.engine.KeptConnection`); the kiosk's
  people-ahead and wait estimate are read after the commit, and a call that would
  find nobody is answered from one plain read.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any, Concatenate, ParamSpec, TypeVar

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.exc import OperationalError
from sqlmodel import col

from db.journal import Journal
from db.models import Counter, CounterService, Ticket, TicketEvent
from db.prepared import Conn
from desk import clock, logs
from desk.i18n import t
from desk.queue.reads import QueueReads
from desk.queue.views import (
    ACTIVE,
    OUTCOMES,
    RECENT_DAYS,
    AlreadyHolding,
    IssuedTicket,
    QueueBusy,
    QueueError,
    TicketView,
    ticket_number,
)
from desk.sequence import next_number

log = logs.get("queue")
P = ParamSpec("P")
R = TypeVar("R")


def no_show_too_soon(label: str, recalls: int, needed: int) -> str | None:
    """Why a called ticket (``label``, recalled ``recalls`` times) may not be marked absent
    yet: it needs ``needed`` recalls first (``queue.no_show_after_recalls``); None once
    it has them. The queue refuses F4 with it, and the counter's F1 shows it."""
    if recalls >= needed:
        return None
    return t("queue.no_show_too_soon", number=label, needed=needed, done=recalls)


class Queue(QueueReads):
    """Queue operations of one center; every method is one short transaction."""

    def _run(self, fn: Callable[Concatenate[Conn, P], R], *args: P.args, **kwargs: P.kwargs) -> R:
        """Run one unit of work on a connection holding the write lock; a database
        locked past the timeout becomes QueueBusy."""
        with self._busy(), self._writer.transaction() as conn:
            return fn(conn, *args, **kwargs)

    def _run_first(
        self, fn: Callable[Concatenate[Conn, P], R], *args: P.args, **kwargs: P.kwargs
    ) -> R:
        """:meth:`_run` for a citizen at the kiosk: counters waiting for the write lock
        step back while it waits (db.engine.Turn)."""
        with self._busy(), self._writer.transaction(urgent=True) as conn:
            return fn(conn, *args, **kwargs)

    @staticmethod
    @contextmanager
    def _busy() -> Iterator[None]:
        try:
            yield
        except OperationalError as exc:
            if "locked" in str(exc).lower() or "busy" in str(exc).lower():
                raise QueueBusy(t("queue.busy")) from None
            raise

    @staticmethod
    def _log(
        journal: Journal,
        ticket_id: int,
        kind: str,
        counter_id: int | None = None,
        officer_id: int | None = None,
        detail: str = "",
        at: datetime | None = None,
    ) -> None:
        """The ticket_event of a step written through the journal (at the journal's
        time unless ``at`` is given)."""
        journal.insert(
            TicketEvent,
            {
                "ticket_id": ticket_id,
                "kind": kind,
                "at": at or journal.at,
                "counter_id": counter_id,
                "officer_id": officer_id,
                "detail": detail,
            },
        )

    def _next_seq(self, conn: Conn, prefix: str, day: date) -> int:
        return next_number(conn, f"ticket:{self.center_id}:{prefix}", day)

    # --- issue -----------------------------------------------------------------

    def issue(
        self,
        service: str,
        priority_category: str | None = None,
        *,
        person_key: str | None = None,
    ) -> IssuedTicket:
        """Issue a ticket for ``service`` (a prefix), optionally with a priority category.

        ``person_key``: the keyed hash of a citizen's scanned CCCD
        (:func:`desk.dossiers.cccd.person_key`); with ``identity.one_ticket_per_service``
        a second live ticket of the same service that day raises
        :class:`~desk.queue.views.AlreadyHolding` naming the number held.

        The ticket is written in one short transaction; the people ahead and the
        estimated wait are read right after it commits, outside the write lock."""
        service_id = self._service_id(service)
        tier = self._tier(priority_category)
        extra = {"person_key": person_key} if person_key else None
        row = self._run_first(self._issue, service, service_id, priority_category, tier, extra)
        return self._issued(row)

    def _tier(self, category: str | None) -> int | None:
        if category is None:
            return None
        if category not in self._tiers:
            raise QueueError(t("queue.unknown_category", category=category))
        return self._tiers[category]

    def _issued(self, row: Any) -> IssuedTicket:
        """The issued ticket with the people ahead and the wait, read after the commit."""
        service_id = row.service_id
        try:
            with self._reader.transaction() as conn:
                ahead = self._ahead(conn, row)
                dedicated = self.config.priority.policy == "dedicated"
                at_priority = dedicated and row.priority_tier is not None
                counters = self._waited_for(conn, service_id) if at_priority else ()
                wait, opened = self._estimate(conn, service_id, ahead, counters)
        except OperationalError:
            # the ticket is committed: the citizen gets it, without a count that
            # would be wrong ("nobody ahead")
            log.warning("no wait estimate for ticket %s: database busy", row.number)
            return IssuedTicket(ticket=self._view(row), ahead=None, wait_minutes=None)
        return IssuedTicket(
            ticket=self._view(row), ahead=ahead, wait_minutes=wait, counters_open=opened
        )

    def _issue(
        self,
        conn: Conn,
        service: str,
        service_id: int,
        category: str | None,
        tier: int | None,
        extra: dict[str, Any] | None = None,
    ) -> SimpleNamespace:
        """Insert a waiting ticket; ``extra``: more columns (``appointment_id``,
        ``person_key``), a person key checked against the per-person limit first."""
        at = clock.now()
        day = at.date()
        person = (extra or {}).get("person_key")
        if person and self.config.identity.one_ticket_per_service:
            held = self._held(conn, day, service_id, person)
            if held is not None:
                raise AlreadyHolding(t("scan.already_holding", number=held), held)
        pr = self.config.priority
        prefix = pr.prefix if category is not None and pr.numbering == "prefix" else service
        seq = self._next_seq(conn, prefix, day)
        journal = Journal(conn, at)
        row = journal.insert(
            Ticket,
            {
                "center_id": self.center_id,
                "service_id": service_id,
                "day": day,
                "prefix": prefix,
                "seq": seq,
                "number": f"{prefix}{seq:03d}",
                "priority_category": category,
                "priority_tier": tier,
                "status": "waiting",
                "issued_at": at,
                "queued_at": at,
                "recall_count": 0,
                "issue_hour": at.hour,
                "issue_weekday": at.isoweekday() % 7,
                "version": 1,
                "updated_at": at,
                **(extra or {}),
            },
        )
        self._log(journal, row["id"], "issued")
        journal.close()
        return SimpleNamespace(**row)

    def _held(self, conn: Conn, day: date, service_id: int, person: str) -> str | None:
        """The number of a live ticket this person holds for the service today."""
        return self._prep(  # type: ignore[no-any-return]
            ("held",),
            lambda: (
                select(col(Ticket.number))
                .where(
                    col(Ticket.day) == bindparam("day"),
                    col(Ticket.person_key) == bindparam("person"),
                    col(Ticket.center_id) == self.center_id,
                    col(Ticket.service_id) == bindparam("service_id"),
                    col(Ticket.status).in_(("waiting", *ACTIVE)),
                )
                .limit(1)
            ),
        ).scalar(conn, {"day": day, "person": person, "service_id": service_id})

    def _priority_counters(self, service_id: int) -> tuple[int, ...]:
        """The priority counters (their ids) that serve ``service_id``."""
        return tuple(
            self.counter_ids[c.number]
            for c in self.config.counters
            if c.priority and service_id in self._services_of[self.counter_ids[c.number]]
        )

    def _waited_for(self, conn: Conn, service_id: int) -> tuple[int, ...]:
        """The priority counters (ids) a priority ticket of ``service_id`` waits for under
        ``dedicated``: those of them open now, since the open counters that are not for
        priority call it in its turn; before any counter serving the service has opened,
        every priority counter serving it (the first walk: counter 7 closed, counter 1
        open, and the kiosk told ★A003 "nobody ahead" while counter 1 called it third)."""
        counters = self._priority_counters(service_id)
        if not counters:
            return ()
        opened = {
            row.id
            for row in self._prep(
                ("open_serving",),
                lambda: (
                    select(col(Counter.id))
                    .join(CounterService, col(CounterService.counter_id) == col(Counter.id))
                    .where(
                        col(CounterService.service_id) == bindparam("service_id"),
                        col(Counter.state) == "open",
                    )
                ),
            ).all(conn, {"service_id": service_id})
        }
        if not opened:
            return counters
        return tuple(c for c in counters if c in opened)

    def _ahead(self, conn: Conn, ticket: Any) -> int:
        """Waiting tickets that will be called before this one, by the order in which
        counters call (``_build_candidates``) under the configured policy:

        - a regular ticket: the tickets of its service queued before it;
        - a priority ticket, policy ``everywhere``: the priority tickets of its service
          of a tier before its own, or of its tier queued before it;
        - a priority ticket, policy ``dedicated``: its place at the priority counter,
          which calls the tickets transferred to it, then the priority tickets of all
          its services by tier and queue time (counting only those of its own service
          said 0 to a citizen with priority tickets of other services before them);
          with no priority counter for its service it waits for (:meth:`_waited_for`:
          none configured, or none open while others are), it is called as a regular one.
        """
        priority = ticket.priority_tier is not None
        dedicated = self.config.priority.policy == "dedicated"
        counters = self._waited_for(conn, ticket.service_id) if priority and dedicated else ()
        if priority and dedicated and not counters:
            priority = False
        services = tuple(sorted({s for c in counters for s in self._services_of[c]}))

        def build() -> Any:
            before = or_(
                col(Ticket.priority_tier) < bindparam("tier"),
                and_(
                    col(Ticket.priority_tier) == bindparam("tier"),
                    col(Ticket.queued_at) <= bindparam("queued_at"),
                ),
            )
            if counters:  # the priority counter's queue
                where: list[Any] = [
                    or_(
                        col(Ticket.target_counter_id).in_(counters),
                        and_(
                            col(Ticket.target_counter_id).is_(None),
                            col(Ticket.service_id).in_(services),
                            col(Ticket.priority_tier).is_not(None),
                            before,
                        ),
                    )
                ]
            elif priority:
                where = [
                    col(Ticket.service_id) == bindparam("service_id"),
                    col(Ticket.priority_tier).is_not(None),
                    before,
                ]
            else:
                where = [
                    col(Ticket.service_id) == bindparam("service_id"),
                    col(Ticket.queued_at) <= bindparam("queued_at"),
                ]
            return select(func.count()).where(
                col(Ticket.center_id) == self.center_id,
                col(Ticket.day) == bindparam("day"),
                col(Ticket.status) == "waiting",
                col(Ticket.id) != bindparam("id"),
                *where,
            )

        params = {
            "day": ticket.day,
            "service_id": ticket.service_id,
            "id": ticket.id,
            "queued_at": ticket.queued_at,
        }
        if priority:
            params["tier"] = ticket.priority_tier
        key = ("ahead", priority, counters)
        return int(self._prep(key, build).scalar(conn, params))

    def _estimate(
        self, conn: Conn, service_id: int, ahead: int, counters: tuple[int, ...] = ()
    ) -> tuple[int, int]:
        """Minutes: median recent service time × people ahead ÷ open counters serving it
        (``counters``: only those, the priority counters a priority ticket waits for);
        and how many of those counters are open.

        "Recent" is the service's last ``service_time_window`` finished tickets within
        the last RECENT_DAYS days, read from the report index alone."""
        durations = (
            self._prep(
                ("durations",),
                lambda: (
                    select(col(Ticket.service_seconds))
                    .where(
                        col(Ticket.day) >= bindparam("since"),
                        col(Ticket.service_id) == bindparam("service_id"),
                        col(Ticket.status) == "done",
                        col(Ticket.service_seconds).is_not(None),
                    )
                    .order_by(col(Ticket.day).desc())
                    .limit(self.config.queue.service_time_window)
                ),
            )
        ).all(
            conn, {"since": clock.today() - timedelta(days=RECENT_DAYS), "service_id": service_id}
        )
        minutes = [row.service_seconds / 60 for row in durations]
        per_ticket = (
            statistics.median(minutes)
            if len(minutes) >= 3
            else self.config.queue.default_service_minutes
        )
        open_counters = self._prep(
            ("open_counters", counters),
            lambda: (
                select(func.count())
                .select_from(Counter)
                .join(CounterService, col(CounterService.counter_id) == col(Counter.id))
                .where(
                    col(CounterService.service_id) == bindparam("service_id"),
                    col(Counter.state) == "open",
                    *([col(Counter.id).in_(counters)] if counters else []),
                )
            ),
        ).scalar(conn, {"service_id": service_id})
        opened = int(open_counters)
        return round(per_ticket * ahead / max(1, opened)), opened

    # --- counter operations ----------------------------------------------------
    def _step(
        self,
        conn: Conn,
        ticket: Any,
        kind: str,
        at: datetime,
        values: dict[str, Any],
        counter_id: int | None,
        officer_id: int | None,
        detail: str = "",
    ) -> TicketView:
        """Write one step of ``ticket``: its new values (version bumped) and its event."""
        journal = Journal(conn, at, officer_id)
        row = journal.update(Ticket, ticket.id, {**values, "updated_at": at}, before=ticket)
        assert row is not None  # the row is locked by this transaction
        self._log(journal, ticket.id, kind, counter_id, officer_id, detail)
        journal.close()
        return self._view(SimpleNamespace(**row))

    def call_next(self, number: int, officer_id: int | None = None) -> TicketView | None:
        """Call the next ticket to counter ``number``; None when nobody waits.

        A ticket still being served there is finished first ("done"); one that was
        called but not started must be started, marked no-show or transferred first.

        An open counter with nothing current and nobody waiting is answered from a
        plain read, without taking the write lock the kiosk and other counters need.
        That read is skipped when this process last left a ticket at the counter
        (the usual F2 after serving someone): the call has work to do anyway.
        """
        counter_id = self._counter_id(number)
        with self._writer.giving_way():  # to a kiosk issuing a ticket (db.engine.Turn)
            if counter_id not in self._holding and self._idle(counter_id):
                return None
            called: TicketView | None = self._run(self._call_next, counter_id, officer_id)
        self._hold(counter_id, called is not None)
        return called

    def _hold(self, counter_id: int, holding: bool) -> None:
        """Remember whether this process left a ticket at the counter (only a hint
        for skipping the idle read; the write path decides from the database)."""
        if holding:
            self._holding.add(counter_id)
        else:
            self._holding.discard(counter_id)

    def _counter_row(self, conn: Conn, counter_id: int) -> Any:
        row = self._prep(
            ("counter",),
            lambda: select(
                col(Counter.state),
                col(Counter.priority),
                col(Counter.officer_id),
                col(Counter.priority_streak),
            ).where(col(Counter.id) == bindparam("counter_id")),
        ).one_or_none(conn, {"counter_id": counter_id})
        assert row is not None  # counters are never deleted, only made inactive
        return row

    def _idle(self, counter_id: int) -> bool:
        """True when a call now would change nothing: the counter is open, serves
        nobody and nobody it may call is waiting (one statement)."""
        services = self._services_of[counter_id]

        def build() -> Any:
            def waiting(*where: Any) -> Any:
                return (
                    select(col(Ticket.id))
                    .where(
                        col(Ticket.center_id) == self.center_id,
                        col(Ticket.day) == bindparam("day"),
                        col(Ticket.status) == "waiting",
                        *where,
                    )
                    .exists()
                )

            # the candidates of _build_candidates, as two searches of an index each
            transferred = waiting(col(Ticket.target_counter_id) == counter_id)
            queued = waiting(
                col(Ticket.service_id).in_(services), col(Ticket.target_counter_id).is_(None)
            )
            current = (
                select(col(Ticket.id))
                .where(
                    col(Ticket.center_id) == self.center_id,
                    col(Ticket.counter_id) == counter_id,
                    col(Ticket.status).in_(ACTIVE),
                )
                .exists()
            )
            return select(
                and_(col(Counter.state) == "open", ~current, ~transferred, ~queued)
            ).where(col(Counter.id) == counter_id)

        with self._reader.transaction() as conn:
            return bool(
                self._prep(("idle", counter_id), build).scalar(conn, {"day": clock.today()})
            )

    def _call_next(self, conn: Conn, counter_id: int, officer_id: int | None) -> TicketView | None:
        counter = self._counter_row(conn, counter_id)
        if counter.state == "paused":
            raise QueueError(t("queue.paused"))
        journal = Journal(conn, clock.now(), officer_id)
        current = self._current_row(conn, counter_id)
        if current is not None:
            if current.status == "called":
                raise QueueError(t("queue.still_called", number=self._named(current)))
            self._finish_row(journal, current, "done", counter_id, officer_id)
        services = self._services_of[counter_id]
        every = self.config.priority.regular_every if self._guarded(counter.priority) else 0
        regular_turn = bool(every) and counter.priority_streak >= every
        if not regular_turn and self._guarded(counter.priority):
            regular_turn = self._regular_at_risk(conn, services, journal.at)
        pick = self._first_waiting(
            conn, counter_id, counter.priority, services, regular_turn, journal.at
        )
        changes: dict[str, Any] = {}
        if counter.state != "open":
            changes["state"] = "open"
        if every and pick is not None:
            # priority calls in a row here, for the regular_every guard
            streak = counter.priority_streak + 1 if pick.priority_tier is not None else 0
            if streak != counter.priority_streak:
                changes["priority_streak"] = streak
        row = None
        if pick is not None:
            # On PostgreSQL a ticket committed after this unit began is visible to the
            # pick; never record its call before its issue (also guards clock skew).
            at = max(journal.at, pick.issued_at)
            row = journal.update(
                Ticket,
                pick.id,
                {
                    "status": "called",
                    "counter_id": counter_id,
                    "officer_id": officer_id,
                    "called_at": at,
                    "last_called_at": at,
                    "wait_seconds": int((at - pick.issued_at).total_seconds()),
                    "recall_count": 0,
                    "target_counter_id": None,
                    "updated_at": at,
                },
                if_status="waiting",
                before=pick,
            )
            if row is None:  # pragma: no cover - prevented by the lock above
                raise QueueBusy(t("queue.busy"))
            self._log(journal, pick.id, "called", counter_id, officer_id, at=at)
            if counter.officer_id != officer_id:
                changes["officer_id"] = officer_id
        if changes:
            journal.update(Counter, counter_id, {**changes, "updated_at": journal.at})
        journal.close()
        return self._view(SimpleNamespace(**row)) if row is not None else None

    def _regular_at_risk(self, conn: Conn, services: list[int], at: datetime) -> bool:
        """The ``max_regular_wait_minutes`` guard, acting before the cap is passed: True
        when a waiting regular ticket of these services will reach the cap before its
        turn. Its turn is estimated as one service time (``default_service_minutes``)
        per regular ticket of its service ahead of it, itself included, shared by the
        ordinary counters that serve that service (a counter of n services counting
        1/n: it gives each a share of its time). Acting only once a ticket has
        reached the cap lets the regular tickets queued close behind it pass the cap
        by more than a service time on a busy morning (``bench/fairness_sim.py``)."""
        cap = self.config.priority.max_regular_wait_minutes
        if not cap:
            return False
        per_ticket = self.config.queue.default_service_minutes
        rows = self._prep(
            ("regular_queue", tuple(services)),
            lambda: (
                select(col(Ticket.service_id), col(Ticket.queued_at))
                .where(
                    col(Ticket.center_id) == self.center_id,
                    col(Ticket.day) == bindparam("day"),
                    col(Ticket.status) == "waiting",
                    col(Ticket.priority_tier).is_(None),
                    col(Ticket.target_counter_id).is_(None),
                    col(Ticket.service_id).in_(services),
                )
                # per service in queue order, straight from ix_ticket_tier (no sort)
                .order_by(col(Ticket.service_id), col(Ticket.queued_at), col(Ticket.id))
            ),
        ).all(conn, {"day": at.date()})
        rank: dict[int, int] = {}
        for service_id, queued_at in rows:
            rank[service_id] = rank.get(service_id, 0) + 1
            turn = rank[service_id] * per_ticket / self._ordinary_counters[service_id]
            if (at - queued_at).total_seconds() / 60 + turn >= cap:
                return True
        return False

    def recall(self, number: int, officer_id: int | None = None) -> TicketView:
        return self._run(self._recall, number, officer_id)

    def _recall(self, conn: Conn, number: int, officer_id: int | None) -> TicketView:
        ticket = self._require_current(conn, number)
        if ticket.status != "called":
            raise QueueError(t("queue.recall_serving", number=self._named(ticket)))
        at = clock.now()
        values = {"recall_count": ticket.recall_count + 1, "last_called_at": at}
        return self._step(conn, ticket, "recalled", at, values, ticket.counter_id, officer_id)

    def start(self, number: int, officer_id: int | None = None) -> TicketView:
        started: TicketView = self._run(self._start, number, officer_id)
        self._hold(self._counter_id(number), True)
        return started

    def _start(self, conn: Conn, number: int, officer_id: int | None) -> TicketView:
        ticket = self._require_current(conn, number)
        if ticket.status == "serving":
            return self._view(ticket)
        at = clock.now()
        values = {"status": "serving", "started_at": at}
        return self._step(conn, ticket, "started", at, values, ticket.counter_id, officer_id)

    def no_show(self, number: int, officer_id: int | None = None) -> TicketView:
        self._hold(self._counter_id(number), False)
        return self._run(self._no_show, number, officer_id)

    def _no_show(self, conn: Conn, number: int, officer_id: int | None) -> TicketView:
        ticket = self._require_current(conn, number)
        needed = self.config.queue.no_show_after_recalls
        if ticket.status != "called":
            raise QueueError(t("queue.no_show_serving", number=self._named(ticket)))
        too_soon = no_show_too_soon(self._named(ticket), ticket.recall_count, needed)
        if too_soon is not None:
            raise QueueError(too_soon)
        at = clock.now()
        values = {"status": "no_show", "finished_at": at, "outcome": "no_show"}
        return self._step(conn, ticket, "no_show", at, values, ticket.counter_id, officer_id)

    def reassign(
        self, ticket_number: str, counter: int, officer_id: int | None = None
    ) -> TicketView:
        """A supervisor sends a waiting ticket to a named counter (it keeps its place)."""
        return self._run(
            self._reassign, _as_written(ticket_number), self._counter_id(counter), officer_id
        )

    def _today(self, conn: Conn, number: str, at: datetime) -> Any:
        """Today's ticket with this number (a row), or QueueError naming it."""
        ticket = self._prep(
            ("today",),
            lambda: select(Ticket).where(
                col(Ticket.center_id) == self.center_id,
                col(Ticket.day) == bindparam("day"),
                col(Ticket.number) == bindparam("number"),
            ),
        ).one_or_none(conn, {"day": at.date(), "number": number})
        if ticket is None:
            raise QueueError(t("queue.ticket_not_found", number=number))
        return ticket

    def _reassign(
        self, conn: Conn, number: str, counter_id: int, officer_id: int | None
    ) -> TicketView:
        at = clock.now()
        ticket = self._today(conn, number, at)
        if ticket.status != "waiting":
            raise QueueError(t("queue.not_waiting", number=self._named(ticket)))
        detail = str(self.number_of.get(counter_id, ""))
        values = {"target_counter_id": counter_id}
        return self._step(conn, ticket, "reassigned", at, values, counter_id, officer_id, detail)

    def reactivate(self, ticket_number: str, officer_id: int | None = None) -> TicketView:
        """A no-show citizen came back: the ticket re-enters near the front."""
        return self._run(self._reactivate, _as_written(ticket_number), officer_id)

    def _reactivate(self, conn: Conn, number: str, officer_id: int | None) -> TicketView:
        at = clock.now()
        ticket = self._today(conn, number, at)
        if ticket.status != "no_show":
            raise QueueError(t("queue.not_no_show", number=self._named(ticket)))
        ahead = [
            row.queued_at
            for row in self._prep(
                ("front",),
                lambda: (
                    select(col(Ticket.queued_at))
                    .where(
                        col(Ticket.center_id) == self.center_id,
                        col(Ticket.day) == bindparam("day"),
                        col(Ticket.service_id) == bindparam("service_id"),
                        col(Ticket.status) == "waiting",
                    )
                    .order_by(col(Ticket.queued_at))
                    .limit(self.config.queue.reactivate_position)
                ),
            ).all(conn, {"day": at.date(), "service_id": ticket.service_id})
        ]
        position = self.config.queue.reactivate_position
        queued = ahead[position - 1] + timedelta(microseconds=1) if len(ahead) >= position else at
        values = {
            "status": "waiting",
            "queued_at": min(queued, at),
            "counter_id": None,
            "finished_at": None,
            "outcome": None,
            "called_at": None,
            "recall_count": 0,
        }
        return self._step(conn, ticket, "reactivated", at, values, None, officer_id)

    def transfer(
        self,
        number: int,
        *,
        to_service: str | None = None,
        to_counter: int | None = None,
        officer_id: int | None = None,
    ) -> TicketView:
        """Send the current ticket to another service or a named counter; it keeps its
        place in the queue (its original queue time)."""
        if (to_service is None) == (to_counter is None):
            raise QueueError(t("queue.transfer_target"))
        target_service = self._service_id(to_service) if to_service else None
        target_counter = self._counter_id(to_counter) if to_counter is not None else None
        self._hold(self._counter_id(number), False)
        return self._run(self._transfer, number, target_service, target_counter, officer_id)

    def _transfer(
        self,
        conn: Conn,
        number: int,
        service_id: int | None,
        target_counter: int | None,
        officer_id: int | None,
    ) -> TicketView:
        ticket = self._require_current(conn, number)
        at = clock.now()
        from_counter = ticket.counter_id
        if target_counter == from_counter:
            raise QueueError(t("queue.transfer_same"))
        if target_counter is not None and ticket.service_id not in self._services_of.get(
            target_counter, []
        ):
            prefix = self.prefix_of.get(ticket.service_id, "?")
            raise QueueError(
                t(
                    "everyday.queue.transfer_not_served",
                    number=self._named(ticket),
                    counter=self.number_of[target_counter],
                    service=self.service_name(prefix),
                )
            )
        values: dict[str, Any] = {
            "status": "waiting",
            "counter_id": None,
            "called_at": None,
            "started_at": None,
            "recall_count": 0,
        }
        if service_id is not None:
            values["transferred_from_service_id"] = ticket.service_id
            values["service_id"] = service_id
            detail = f"service:{self.prefix_of[service_id]}"
        else:
            assert target_counter is not None
            values["target_counter_id"] = target_counter
            detail = f"counter:{self.number_of[target_counter]}"
        return self._step(conn, ticket, "transferred", at, values, from_counter, officer_id, detail)

    def finish(
        self, number: int, outcome: str = "done", officer_id: int | None = None
    ) -> TicketView:
        if outcome not in OUTCOMES:
            raise QueueError(t("queue.bad_outcome", outcome=outcome))
        self._hold(self._counter_id(number), False)
        return self._run(self._finish, number, outcome, officer_id)

    def _finish(self, conn: Conn, number: int, outcome: str, officer_id: int | None) -> TicketView:
        ticket = self._require_current(conn, number)
        if ticket.status == "called":
            # as call-next says: nobody was served yet, and a finish would count the
            # citizen who never came as served, with a service time of 0
            raise QueueError(t("queue.still_called", number=self._named(ticket)))
        journal = Journal(conn, clock.now(), officer_id)
        row = self._finish_row(journal, ticket, outcome, ticket.counter_id, officer_id)
        journal.close()
        return self._view(row)

    def _finish_row(
        self,
        journal: Journal,
        ticket: Any,
        outcome: str,
        counter_id: int | None,
        officer_id: int | None,
    ) -> SimpleNamespace:
        at = journal.at
        started = ticket.started_at or at
        values: dict[str, Any] = {
            "status": "done",
            "finished_at": at,
            "outcome": outcome,
            "service_seconds": int((at - started).total_seconds()),
            "updated_at": at,
        }
        if ticket.started_at is None:
            values["started_at"] = at
        row = journal.update(Ticket, ticket.id, values, before=ticket)
        assert row is not None
        self._log(journal, ticket.id, "finished", counter_id, officer_id, outcome)
        return SimpleNamespace(**row)

    def set_state(self, number: int, state: str) -> str:
        """Open, pause or close a counter; a paused counter calls nobody. Closing it
        sends the tickets transferred to it back to their service's queue, in their
        places (event ``released``): nobody would call them there."""
        if state not in ("open", "paused", "closed"):
            raise QueueError(t("queue.bad_state", state=state))
        return self._run(self._set_state, self._counter_id(number), state)

    def _set_state(self, conn: Conn, counter_id: int, state: str) -> str:
        journal = Journal(conn, clock.now())
        journal.update(Counter, counter_id, {"state": state, "updated_at": journal.at})
        if state == "closed":
            sent_here = self._prep(
                ("sent_here",),
                lambda: select(Ticket).where(
                    col(Ticket.center_id) == self.center_id,
                    col(Ticket.day) == bindparam("day"),
                    col(Ticket.status) == "waiting",
                    col(Ticket.target_counter_id) == bindparam("counter_id"),
                ),
            ).all(conn, {"day": journal.at.date(), "counter_id": counter_id})
            for ticket in sent_here:
                values = {"target_counter_id": None, "updated_at": journal.at}
                journal.update(Ticket, ticket.id, values, before=ticket)
                self._log(journal, ticket.id, "released", counter_id)
        journal.close()
        return state


def _as_written(typed: str) -> str:
    """A ticket number as typed by a person (``a1``) as the queue wrote it (``A001``);
    what has no number's shape stays as typed, for the refusal to name."""
    return ticket_number(typed) or typed.strip().upper()
