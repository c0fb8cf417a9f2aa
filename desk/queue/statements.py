"""The queue's statements, built once per process and reused with bound parameters.

A statement is built on first use and kept (building one costs about five times what
executing a cached one does); those that run while the write lock is held are also
compiled once and run on the driver (:mod:`db.prepared`). Which waiting ticket a
counter calls first is decided here: one order, written twice — as SQL in
:meth:`QueueBase._build_candidates` (the counter's waiting list, and the pick on
PostgreSQL) and as a Python key in :meth:`QueueBase._rank` (the pick on SQLite, from
the few index-ordered heads :meth:`QueueBase._probes` reads); a property test keeps
them equal.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, bindparam, case, or_, select, union_all
from sqlmodel import col

from db.engine import KeptConnection
from db.models import Ticket
from db.prepared import Conn, Prepared
from desk.center.runtime import Runtime
from desk.i18n import t
from desk.queue.views import ACTIVE, PROBED, QueueError, TicketView, ticket_label
from desk.rows import view_of


class QueueBase:
    """The state a Queue keeps (ids, kept connections, statements built once) and
    the statements its steps and reads share."""

    def __init__(self, runtime: Runtime, *, driver: bool = True) -> None:
        """``driver``: the steps run on db.prepared's driver layer (the default) or,
        False, as plain SQLAlchemy Core (the benchmark measures both)."""
        self.engine: Engine = runtime.engine
        self.config = runtime.config
        self.center_id = runtime.ids.center
        self.service_ids = runtime.ids.services
        self.counter_ids = runtime.ids.counters
        self.prefix_of = {v: k for k, v in self.service_ids.items()}
        self.number_of = {v: k for k, v in self.counter_ids.items()}
        self._tiers = {c.code: c.tier for c in self.config.priority.categories}
        self._statements: dict[tuple[Any, ...], Any] = {}
        # the steps' transactions and the quick reads around them (see KeptConnection)
        self._writer = KeptConnection(self.engine, immediate=True, driver=driver)
        self._reader = KeptConnection(self.engine, immediate=False, driver=driver)
        self._holding: set[int] = set()
        # The database mirrors the config's counters on start (desk.center.mirror), so the
        # services a counter calls are known without a query on every call.
        self._services_of = {
            self.counter_ids[c.number]: [self.service_ids[p] for p in c.services]
            for c in self.config.counters
        }
        # per service, how many ordinary counters serve it (the fairness guards act
        # there, not on the priority counter): a counter of two services gives each
        # half of its time (see Queue._regular_at_risk)
        self._ordinary_counters = {
            sid: sum(
                1 / len(c.services)
                for c in self.config.counters
                if p in c.services and not c.priority
            )
            or 1.0
            for p, sid in self.service_ids.items()
        }

    # --- helpers ---------------------------------------------------------------

    def _view(self, row: Any) -> TicketView:
        """A ticket as the screens see it (``row``: a Ticket or a row namespace)."""
        assert row.id is not None
        return view_of(
            TicketView,
            row,
            service=self.prefix_of.get(row.service_id, "?"),
            counter=self.number_of.get(row.counter_id) if row.counter_id else None,
            target_counter=(
                self.number_of.get(row.target_counter_id) if row.target_counter_id else None
            ),
        )

    def _counter_id(self, number: int) -> int:
        try:
            return self.counter_ids[number]
        except KeyError:
            raise QueueError(t("queue.unknown_counter", number=number)) from None

    def _service_id(self, prefix: str) -> int:
        try:
            return self.service_ids[prefix]
        except KeyError:
            known = ", ".join(self.service_ids)
            raise QueueError(t("queue.unknown_service", service=prefix, known=known)) from None

    def _memo(self, key: tuple[Any, ...], build: Any) -> Any:
        """A statement built once per key and reused with bound parameters (building
        one costs about five times what executing a cached one does)."""
        stmt = self._statements.get(key)
        if stmt is None:
            stmt = self._statements[key] = build()
        return stmt

    def _prep(self, key: tuple[Any, ...], build: Any) -> Prepared:
        """The statement ``build()`` compiled once and run on the driver: the steps'
        statements, which run while the write lock is held (see db.prepared)."""
        return self._memo(  # type: ignore[no-any-return]
            ("prepared", *key), lambda: Prepared(build(), self.engine.dialect)
        )

    def _current_stmt(self) -> Any:
        """The counter's (``:counter_id``) ticket being called or served."""
        return self._memo(
            ("current",),
            lambda: (
                select(Ticket)
                .where(
                    col(Ticket.center_id) == self.center_id,
                    col(Ticket.counter_id) == bindparam("counter_id"),
                    col(Ticket.status).in_(ACTIVE),
                )
                .order_by(col(Ticket.called_at).desc())
                .limit(1)
            ),
        )

    def _current_row(self, conn: Conn, counter_id: int) -> Any:
        """The counter's current ticket as a row, or None."""
        return self._prep(("current",), self._current_stmt).one_or_none(
            conn, {"counter_id": counter_id}
        )

    def _named(self, ticket: Any) -> str:
        """A ticket row's number as its messages name it: ★A012 for a priority one."""
        numbering = self.config.priority.numbering
        return ticket_label(ticket.number, ticket.priority_category is not None, numbering)

    def _require_current(self, conn: Conn, number: int) -> Any:
        ticket = self._current_row(conn, self._counter_id(number))
        if ticket is None:
            raise QueueError(t("queue.no_current"))
        return ticket

    def _guarded(self, priority_counter: bool) -> bool:
        """The fairness guards apply where priority goes first on an ordinary counter;
        the priority counter keeps serving priority tickets first."""
        return self.config.priority.policy == "everywhere" and not priority_counter

    def _candidate_params(self, at: datetime) -> dict[str, Any]:
        """The values the candidates select binds: the day, and the queue time before
        which a regular ticket is overdue (the ``max_regular_wait_minutes`` guard)."""
        minutes = self.config.priority.max_regular_wait_minutes or 0
        return {"day": at.date(), "overdue_before": at - timedelta(minutes=minutes)}

    def _candidates(
        self, counter_id: int, priority: bool, service_ids: list[int], regular_turn: bool = False
    ) -> Any:
        """Select of the waiting tickets this counter may call on ``:day``, best first
        (``regular_turn``: the ``regular_every`` guard gives regular tickets the turn)."""
        return self._memo(
            ("candidates", counter_id, priority, tuple(service_ids), regular_turn),
            lambda: self._build_candidates(counter_id, priority, service_ids, regular_turn),
        )

    def _build_candidates(
        self, counter_id: int, priority: bool, service_ids: list[int], regular_turn: bool = False
    ) -> Any:
        priority_first = self.config.priority.policy == "everywhere" or priority
        order: list[Any] = [
            case((col(Ticket.target_counter_id) == counter_id, 0), else_=1),
        ]
        # a checked-in booking goes before the walk-ins of its service (on the priority
        # counter, after the priority tickets)
        booked = case((col(Ticket.appointment_id).is_not(None), 0), else_=1)
        if not priority:
            order.append(booked)
        if regular_turn:
            order.append(case((col(Ticket.priority_tier).is_(None), 0), else_=1))
        elif priority_first:
            if self._guarded(priority) and self.config.priority.max_regular_wait_minutes:
                overdue = and_(
                    col(Ticket.priority_tier).is_(None),
                    col(Ticket.queued_at) <= bindparam("overdue_before"),
                )
                order.append(case((overdue, 0), else_=1))
            order.append(
                case((col(Ticket.priority_tier).is_(None), 99), else_=Ticket.priority_tier)
            )
        if priority:
            order.append(booked)
        order += [col(Ticket.queued_at), col(Ticket.id)]
        return (
            select(Ticket)
            .where(
                col(Ticket.center_id) == self.center_id,
                col(Ticket.day) == bindparam("day"),
                col(Ticket.status) == "waiting",
                or_(
                    col(Ticket.target_counter_id) == counter_id,
                    and_(
                        col(Ticket.target_counter_id).is_(None),
                        col(Ticket.service_id).in_(service_ids),
                    ),
                ),
            )
            .order_by(*order)
        )

    def _pick(
        self,
        counter_id: int,
        priority: bool,
        service_ids: list[int],
        lock: bool,
        regular_turn: bool = False,
    ) -> Prepared:
        """The first candidate: its id, issue time and the fields a call sets; with
        ``lock`` (a call on PostgreSQL) its row is locked and rows other counters hold
        are skipped."""

        def build() -> Any:
            stmt = self._candidates(counter_id, priority, service_ids, regular_turn)
            stmt = stmt.with_only_columns(*(col(getattr(Ticket, c)) for c in PROBED)).limit(1)
            return stmt.with_for_update(skip_locked=True) if lock else stmt

        return self._prep(
            ("pick", counter_id, priority, tuple(service_ids), lock, regular_turn), build
        )

    def _rank(
        self, counter_id: int, priority: bool, regular_turn: bool, overdue_before: datetime
    ) -> Any:
        """The order of :meth:`_build_candidates` as a sort key of a row (with the
        :data:`PROBED` columns): the same rule, term by term."""
        priority_first = self.config.priority.policy == "everywhere" or priority
        overdue_guard = self._guarded(priority) and bool(
            self.config.priority.max_regular_wait_minutes
        )

        def key(row: Any) -> tuple[Any, ...]:
            booked = 0 if row.appointment_id is not None else 1
            regular = row.priority_tier is None
            terms: list[Any] = [0 if row.target_counter_id == counter_id else 1]
            if not priority:
                terms.append(booked)
            if regular_turn:
                terms.append(0 if regular else 1)
            elif priority_first:
                if overdue_guard:
                    terms.append(0 if regular and row.queued_at <= overdue_before else 1)
                terms.append(99 if regular else row.priority_tier)
            if priority:
                terms.append(booked)
            terms += [row.queued_at, row.id]
            return tuple(terms)

        return key

    def _probes(
        self, counter_id: int, priority: bool, service_ids: list[int], regular_turn: bool
    ) -> Prepared:
        """One statement reading the few waiting tickets that can be this counter's
        next (SQLite): whichever order the counter follows, its first ticket is one of

        - the tickets transferred to this very counter, and the checked-in bookings
          of its services (few at any time: read whole, through ix_ticket_routed);
        - per service, the first walk-in of each group the order keeps together, each
          read from an index already in that order (``LIMIT 1``, no sort): by queue
          time (ix_ticket_waiting) where tiers do not matter, else the oldest regular
          ticket and the best priority ticket by tier then queue time
          (ix_ticket_tier); with the ``regular_every`` turn, the oldest regular
          ticket and the oldest of all.

        :meth:`_rank` then picks the first of these by the counter's order."""

        def build() -> Any:
            columns = [col(getattr(Ticket, c)) for c in PROBED]
            waiting = (
                col(Ticket.center_id) == self.center_id,
                col(Ticket.day) == bindparam("day"),
                col(Ticket.status) == "waiting",
            )
            arms: list[Any] = [
                select(*columns).where(*waiting, col(Ticket.target_counter_id) == counter_id),
                select(*columns).where(
                    *waiting,
                    col(Ticket.target_counter_id).is_(None),
                    col(Ticket.appointment_id).is_not(None),
                    col(Ticket.service_id).in_(service_ids),
                ),
            ]
            priority_first = self.config.priority.policy == "everywhere" or priority
            tier = col(Ticket.priority_tier)
            for service_id in service_ids:
                walk_in = (
                    *waiting,
                    col(Ticket.service_id) == service_id,
                    col(Ticket.target_counter_id).is_(None),
                    col(Ticket.appointment_id).is_(None),
                )
                heads: list[tuple[tuple[Any, ...], tuple[Any, ...]]] = []
                if regular_turn or priority_first:
                    heads.append(((tier.is_(None),), (col(Ticket.queued_at),)))
                if regular_turn or not priority_first:
                    heads.append(((), (col(Ticket.queued_at),)))
                else:
                    heads.append(((tier.is_not(None),), (tier, col(Ticket.queued_at))))
                for where, order in heads:
                    head = (
                        select(*columns)
                        .where(*walk_in, *where)
                        .order_by(*order, col(Ticket.id))
                        .limit(1)
                        .subquery()
                    )
                    arms.append(select(*head.c))
            return union_all(*arms)

        return self._prep(("probes", counter_id, priority, tuple(service_ids), regular_turn), build)

    def _first_waiting(
        self,
        conn: Conn,
        counter_id: int,
        priority: bool,
        service_ids: list[int],
        regular_turn: bool,
        at: datetime,
    ) -> Any:
        """The waiting ticket this counter calls next (its :data:`PROBED` columns), or
        None: on SQLite the first of :meth:`_probes` by :meth:`_rank`; on PostgreSQL
        the first row of :meth:`_pick`, locked."""
        params = self._candidate_params(at)
        if conn.dialect.name == "postgresql":
            return self._pick(counter_id, priority, service_ids, True, regular_turn).one_or_none(
                conn, params
            )
        rows = self._probes(counter_id, priority, service_ids, regular_turn).all(conn, params)
        if not rows:
            return None
        return min(
            rows, key=self._rank(counter_id, priority, regular_turn, params["overdue_before"])
        )
