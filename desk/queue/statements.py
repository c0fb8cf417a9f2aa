"""The queue's statements, built once per process and reused with bound parameters.

A statement is built on first use and kept (building one costs about five times what
executing a cached one does); those that run while the write lock is held are also
compiled once and run on the driver (:mod:`db.prepared`). Which waiting ticket a
counter calls first is decided here, in :meth:`QueueBase._build_candidates`.
"""

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, bindparam, case, or_, select
from sqlmodel import col

from db.engine import KeptConnection
from db.models import Ticket
from db.prepared import Conn, Prepared
from desk.center.runtime import Runtime
from desk.i18n import t
from desk.queue.views import ACTIVE, PICKED, QueueError, TicketView
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
            raise QueueError(t("queue.unknown_service", service=prefix)) from None

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
            stmt = stmt.with_only_columns(*(col(getattr(Ticket, c)) for c in PICKED)).limit(1)
            return stmt.with_for_update(skip_locked=True) if lock else stmt

        return self._prep(
            ("pick", counter_id, priority, tuple(service_ids), lock, regular_turn), build
        )
