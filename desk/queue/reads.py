"""The queue's reads for the screens: a counter's status, waiting counts, the board's
recent calls. Plain reads in their own short session; they never take the write lock."""

from datetime import datetime

from sqlalchemy import func, select
from sqlmodel import col

from db.engine import read_session
from db.models import Counter, Ticket, TicketEvent
from desk import clock
from desk.i18n import t
from desk.queue.statements import QueueBase
from desk.queue.views import (
    CallView,
    CounterStatus,
    QueueError,
    TicketView,
)


class QueueReads(QueueBase):
    """Reads of the queue's state."""

    def counter_status(self, number: int, limit: int = 50) -> CounterStatus:
        counter_id = self._counter_id(number)
        day = clock.today()
        with read_session(self.engine) as session:
            # every counter in one read: this one's state, and which are open (F5)
            counters = {
                row.id: row
                for row in session.execute(
                    select(col(Counter.id), col(Counter.state), col(Counter.priority)).where(
                        col(Counter.center_id) == self.center_id
                    )
                )
            }
            counter = counters[counter_id]
            current = self._current_row(session.connection(), counter_id)
            services = self._services_of[counter_id]
            stmt = self._candidates(counter_id, counter.priority, services)
            params = self._candidate_params(clock.now())
            waiting_total = session.execute(
                select(func.count()).select_from(stmt.order_by(None).subquery()), params
            ).scalar_one()
            waiting = [self._view(r) for r in session.execute(stmt.limit(limit), params).scalars()]
            opened = frozenset(  # the counters of the configuration (not those left inactive)
                self.number_of[cid]
                for cid, row in counters.items()
                if row.state == "open" and cid in self.number_of
            )
            counts: dict[str, int] = dict(
                session.execute(
                    select(col(Ticket.status), func.count())
                    .where(
                        col(Ticket.day) == day,
                        col(Ticket.counter_id) == counter_id,
                        col(Ticket.status).in_(("done", "no_show")),
                    )
                    .group_by(col(Ticket.status))
                ).all()
            )
        return CounterStatus(
            number=number,
            state=counter.state,
            current=self._view(current) if current else None,
            waiting=waiting,
            served_today=int(counts.get("done", 0)),
            no_show_today=int(counts.get("no_show", 0)),
            waiting_total=int(waiting_total),
            counters_open=opened,
        )

    def counters_working(self) -> int:
        """The counters of the configuration not closed now (open or paused)."""
        with read_session(self.engine) as session:
            ids = session.execute(
                select(col(Counter.id)).where(
                    col(Counter.center_id) == self.center_id, col(Counter.state) != "closed"
                )
            ).scalars()
            return sum(1 for cid in ids if cid in self.number_of)

    def waiting_counts(self) -> dict[str, int]:
        """Waiting tickets per service prefix today."""
        with read_session(self.engine) as session:
            rows = session.execute(
                select(col(Ticket.service_id), func.count())
                .where(
                    col(Ticket.center_id) == self.center_id,
                    col(Ticket.day) == clock.today(),
                    col(Ticket.status) == "waiting",
                )
                .group_by(col(Ticket.service_id))
            ).all()
        counts = {prefix: 0 for prefix in self.service_ids}
        for service_id, n in rows:
            counts[self.prefix_of.get(service_id, "?")] = int(n)
        return counts

    def recent_calls(self, limit: int = 8) -> list[CallView]:
        """Latest calls and recalls today, newest first, for the board."""
        with read_session(self.engine) as session:
            rows = session.execute(
                select(
                    col(Ticket.number),
                    col(TicketEvent.counter_id),
                    col(TicketEvent.at),
                    col(TicketEvent.kind),
                    col(Ticket.priority_category),
                    col(Ticket.status),
                    col(Ticket.recall_count),
                    col(Counter.state),
                )
                .join(Ticket, col(Ticket.id) == col(TicketEvent.ticket_id))
                .outerjoin(Counter, col(Counter.id) == col(TicketEvent.counter_id))
                .where(
                    col(Ticket.center_id) == self.center_id,
                    col(TicketEvent.kind).in_(("called", "recalled")),
                    col(TicketEvent.at) >= datetime.combine(clock.today(), datetime.min.time()),
                )
                .order_by(col(TicketEvent.id).desc())
                .limit(limit)
            ).all()
        return [
            CallView(
                number=num,
                counter=self.number_of.get(cid, 0) if cid else 0,
                at=at,
                recall=kind == "recalled",
                priority=cat is not None,
                status=status,
                recalls=int(recalls or 0),
                counter_closed=state == "closed",
            )
            for num, cid, at, kind, cat, status, recalls, state in rows
        ]

    def ticket(self, ticket_id: int) -> TicketView:
        with read_session(self.engine) as session:
            row = session.get(Ticket, ticket_id)
            if row is None:
                raise QueueError(t("queue.ticket_not_found", number=ticket_id))
            return self._view(row)

    def service_name(self, prefix: str) -> str:
        svc = self.config.service(prefix)
        return svc.name_en if self.config.ui.language == "en" else svc.name_vi

    def category_name(self, code: str) -> str:
        for cat in self.config.priority.categories:
            if cat.code == code:
                return cat.name_en if self.config.ui.language == "en" else cat.name_vi
        return code
