"""Appointments: a booked slot (service, day, time window) and its check-in.

- Slots start at the opening of each working session and last
  ``appointments.slot_minutes``; each service takes ``capacity`` bookings per slot
  (``capacity_by_service`` per prefix). A full slot is refused naming the next free one.
- Bookings come from the province's portal (pulled by sync, :func:`add_pulled`) or are
  made at the center (:meth:`Appointments.book`: the counter's dialog and
  ``desk appointment add``); both are the same ``appointment`` row.
- Check-in (the kiosk's "Có lịch hẹn" key) takes the booking code. From
  ``early_minutes`` before the slot to ``late_minutes`` after it, the ticket it issues
  carries the booking and is called before the walk-ins of its service
  (:meth:`desk.queue.statements.QueueBase._build_candidates`). Early, the citizen gets an
  ordinary ticket and the booking counts as used; late, an ordinary ticket and the
  booking stays released. A booking is used once.
- A booking nobody checked in is released when its window closes: every open counter
  screen runs :meth:`Appointments.release_due` with its one-second poll, so within a
  second of the end of the window its place is free and the reports count it as a
  no-show, with nobody looking at it (and at every booking and check-in, and by
  ``desk appointment release``, which release the same way).

Every write is one short transaction on the queue's kept connection, through the
journal (outbox rows for sync), like the queue's own steps.
"""

from __future__ import annotations

import secrets
from collections import Counter as Tally
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import SimpleNamespace
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlmodel import Session, col

from db.journal import Journal
from db.models import Appointment, Ticket
from db.prepared import Conn
from desk import clock, logs
from desk.center.config import Config
from desk.dossiers.due_dates import WorkCalendar, load_calendar
from desk.i18n import day_text, moment_text, t
from desk.queue.engine import Queue
from desk.queue.views import IssuedTicket, QueueError

log = logs.get("appointments")
TAKEN = ("booked", "checked_in")
"""Statuses that hold a place in a slot."""
SEARCH_DAYS = 31
"""How far ahead a full slot looks for the next free one."""


class BookingRefused(QueueError):
    """A booking refused for what one of its fields holds: ``field`` is "service",
    "day" or "time", so a form can put the cursor where the fix goes."""

    def __init__(self, message: str, field: str) -> None:
        super().__init__(message)
        self.field = field


class SlotFull(BookingRefused):
    """The slot has no room left; the message names the next free one."""

    def __init__(self, message: str, next_free: datetime | None) -> None:
        super().__init__(message, "time")
        self.next_free = next_free


@dataclass(frozen=True)
class Booking:
    code: str
    service: str
    """Service prefix."""
    slot_start: datetime
    slot_end: datetime
    name: str
    status: str
    source: str
    service_name: str = ""
    """The service's name (Hộ tịch), as the citizen knows it."""


def booked_message(booking: Booking) -> str:
    """What the officer reads (and says to the citizen) once a booking is made, at the
    counter's dialog and by ``desk appointment add`` alike."""
    service = (
        f"{booking.service} — {booking.service_name}" if booking.service_name else booking.service
    )
    return t(
        "booking.booked",
        code=booking.code,
        service=service,
        at=moment_text(booking.slot_start),
    )


@dataclass(frozen=True)
class CheckIn:
    issued: IssuedTicket
    booked: bool
    """The ticket carries the booking (called before walk-ins)."""
    note: str
    """A kind word when the citizen came outside the window (empty inside it)."""


def capacity(config: Config, prefix: str) -> int:
    appt = config.appointments
    return appt.capacity_by_service.get(prefix, appt.capacity)


def slot_starts(config: Config, day: date, calendar: WorkCalendar | None = None) -> list[datetime]:
    """The slots of a day the center opens to the public, as the kiosk does
    (``WorkCalendar.open_sessions``: none on a Sunday or a holiday, Saturday morning
    if it opens, a make-up working day's whole day). ``calendar``: the center's (its
    holidays); without it, the weeks' days only."""
    cal = calendar if calendar is not None else WorkCalendar(hours=config.hours)
    step = timedelta(minutes=config.appointments.slot_minutes)
    out: list[datetime] = []
    for opens, closes in cal.open_sessions(day):
        at, end = datetime.combine(day, opens), datetime.combine(day, closes)
        while at + step <= end:
            out.append(at)
            at += step
    return out


def window(config: Config, slot_start: datetime) -> tuple[datetime, datetime]:
    """When a booking of this slot checks in: from early before to late after."""
    appt = config.appointments
    return (
        slot_start - timedelta(minutes=appt.early_minutes),
        slot_start + timedelta(minutes=appt.late_minutes),
    )


class Appointments:
    """Bookings and check-ins of one center, on the queue's connections."""

    def __init__(self, queue: Queue, calendar: WorkCalendar | None = None) -> None:
        self.queue = queue
        self.config = queue.config
        self._calendar = calendar

    @property
    def calendar(self) -> WorkCalendar:
        """The center's calendar (its holidays), read when a booking first needs it."""
        if self._calendar is None:
            self._calendar = load_calendar(self.queue.engine, self.config.hours)
        return self._calendar

    # --- booking -----------------------------------------------------------------

    def book(self, service: str, start: datetime, name: str = "") -> Booking:
        """Book ``start``'s slot of ``service``; SlotFull (naming the next free slot)
        when it has no room, BookingRefused (naming its field) when the service takes
        no booking or ``start`` is not a slot still open."""
        from desk.text import clean

        prefix = service.strip().upper()
        try:
            service_id = self.queue._service_id(prefix)
        except QueueError as exc:
            raise BookingRefused(str(exc), "service") from None
        if capacity(self.config, prefix) == 0:
            raise BookingRefused(t("booking.no_bookings", service=prefix), "service")
        slots = slot_starts(self.config, start.date(), self.calendar)
        if not slots:
            raise BookingRefused(t("booking.day_off", day=day_text(start)), "day")
        if start not in slots:
            message = t("booking.not_a_slot", at=_when(start), slots=self._slot_hint())
            raise BookingRefused(message, "time")
        if window(self.config, start)[1] <= clock.now():
            past = "time" if start.date() == clock.today() else "day"
            raise BookingRefused(t("booking.past", at=_when(start)), past)
        row = self.queue._run(self._book, prefix, service_id, start, clean(name))
        return self._booking(row)

    def _slot_hint(self) -> str:
        hours = self.config.hours
        return t(
            "booking.slot_hint",
            hours=f"{hours.morning[0]:%H:%M}–{hours.morning[1]:%H:%M}, "
            f"{hours.afternoon[0]:%H:%M}–{hours.afternoon[1]:%H:%M}",
            minutes=self.config.appointments.slot_minutes,
        )

    def _book(
        self, conn: Conn, prefix: str, service_id: int, start: datetime, name: str
    ) -> SimpleNamespace:
        at = clock.now()
        journal = Journal(conn, at)
        self._release(conn, journal)
        cap = capacity(self.config, prefix)
        counts = self._counts(conn, service_id, start, start + timedelta(days=SEARCH_DAYS))
        if counts[start] >= cap:
            free = self._next_free(counts, cap, start, at)
            journal.close()
            message = (
                t("booking.full_next", at=_when(start), next=_when(free))
                if free
                else t("booking.full_none", at=_when(start), days=SEARCH_DAYS)
            )
            raise SlotFull(message, free)
        row = journal.insert(
            Appointment,
            {
                "center_id": self.queue.center_id,
                "code": self._new_code(conn),
                "service_id": service_id,
                "day": start.date(),
                "slot_start": start,
                "slot_end": start + timedelta(minutes=self.config.appointments.slot_minutes),
                "name": name,
                "source": "desk",
                "status": "booked",
                "created_at": at,
                "version": 1,
                "updated_at": at,
            },
        )
        journal.close()
        return SimpleNamespace(**row)

    def _counts(self, conn: Conn, service_id: int, start: datetime, end: datetime) -> Tally[Any]:
        rows = self.queue._prep(
            ("appt_counts",),
            lambda: (
                select(col(Appointment.slot_start), func.count())
                .where(
                    col(Appointment.center_id) == self.queue.center_id,
                    col(Appointment.service_id) == bindparam("service_id"),
                    col(Appointment.slot_start) >= bindparam("start"),
                    col(Appointment.slot_start) < bindparam("end"),
                    col(Appointment.status).in_(TAKEN),
                )
                .group_by(col(Appointment.slot_start))
            ),
        ).all(conn, {"service_id": service_id, "start": start, "end": end})
        return Tally({r[0]: r[1] for r in rows})

    def _next_free(
        self, counts: Tally[Any], cap: int, start: datetime, now: datetime
    ) -> datetime | None:
        for offset in range(SEARCH_DAYS):
            day = start.date() + timedelta(days=offset)
            for slot in slot_starts(self.config, day, self.calendar):
                if slot > start and window(self.config, slot)[1] > now and counts[slot] < cap:
                    return slot
        return None

    def _new_code(self, conn: Conn) -> str:
        """Six digits (a kiosk keypad types them), unused at this center."""
        exists = self.queue._prep(
            ("appt_code",),
            lambda: select(col(Appointment.id)).where(
                col(Appointment.center_id) == self.queue.center_id,
                col(Appointment.code) == bindparam("code"),
            ),
        )
        while True:
            code = f"{secrets.randbelow(1_000_000):06d}"
            if exists.scalar(conn, {"code": code}) is None:
                return code

    # --- check-in ----------------------------------------------------------------

    def check_in(self, code: str) -> CheckIn:
        """Check a booking in by its code and issue its ticket (see the module doc)."""
        code = "".join(code.split()).upper()
        if not code:
            raise QueueError(t("booking.code_empty"))
        row, booked, note = self.queue._run(self._check_in, code)
        return CheckIn(issued=self.queue._issued(row), booked=booked, note=note)

    def _check_in(self, conn: Conn, code: str) -> tuple[SimpleNamespace, bool, str]:
        queue = self.queue
        at = clock.now()
        journal = Journal(conn, at)
        self._release(conn, journal)
        journal.close()
        appt = queue._prep(
            ("appt_by_code",),
            lambda: select(Appointment).where(
                col(Appointment.center_id) == queue.center_id,
                col(Appointment.code) == bindparam("code"),
            ),
        ).one_or_none(conn, {"code": code})
        if appt is None or appt.status == "cancelled":
            raise QueueError(t("booking.not_found", code=code))
        if appt.status == "checked_in":
            number = queue._prep(
                ("ticket_number",),
                lambda: select(col(Ticket.number)).where(col(Ticket.id) == bindparam("id")),
            ).scalar(conn, {"id": appt.ticket_id})
            raise QueueError(t("booking.used", code=code, number=number or "?"))
        prefix = queue.prefix_of[appt.service_id]
        opens, closes = window(self.config, appt.slot_start)
        inside = opens <= at < closes and appt.status == "booked"
        extra = {"appointment_id": appt.id} if inside else None
        row = queue._issue(conn, prefix, appt.service_id, None, None, extra)
        journal = Journal(conn, at)
        if at < opens:
            note = t("booking.early", at=_when(appt.slot_start))
        elif not inside:
            note = t("booking.late", at=_when(appt.slot_start), late=_minutes(closes, appt))
        else:
            note = ""
        if appt.status == "booked" and at < closes:  # used: inside the window, or early
            journal.update(
                Appointment,
                appt.id,
                {
                    "status": "checked_in",
                    "ticket_id": row.id,
                    "checked_in_at": at,
                    "updated_at": at,
                },
                if_status="booked",
                before=appt,
            )
        journal.close()
        return row, inside, note

    # --- release -----------------------------------------------------------------

    def release_expired(self) -> int:
        """Release every booking whose check-in window has closed; how many."""

        def run(conn: Conn) -> int:
            journal = Journal(conn, clock.now())
            released = self._release(conn, journal)
            journal.close()
            return released

        return int(self.queue._run(run))

    def release_due(self) -> int:
        """Release the bookings whose check-in window has closed without a check-in,
        at the end of their window (the counter screens' poll runs this every second);
        how many. When nothing is due, as almost always, one plain read answers it,
        without the write lock the kiosk and the counters need."""
        late = timedelta(minutes=self.config.appointments.late_minutes)
        with self.queue._reader.transaction() as conn:
            due = self.queue._prep(
                ("appt_due",),
                lambda: (
                    select(col(Appointment.id))
                    .where(
                        col(Appointment.center_id) == self.queue.center_id,
                        col(Appointment.status) == "booked",
                        col(Appointment.slot_start) <= bindparam("before"),
                    )
                    .limit(1)
                ),
            ).scalar(conn, {"before": clock.now() - late})
        return self.release_expired() if due is not None else 0

    def _release(self, conn: Conn, journal: Journal) -> int:
        late = timedelta(minutes=self.config.appointments.late_minutes)
        expired = self.queue._prep(
            ("appt_expired",),
            lambda: select(col(Appointment.id), col(Appointment.status)).where(
                col(Appointment.center_id) == self.queue.center_id,
                col(Appointment.status) == "booked",
                col(Appointment.slot_start) <= bindparam("before"),
            ),
        ).all(conn, {"before": journal.at - late})
        for appt in expired:
            journal.update(
                Appointment,
                appt.id,
                {"status": "released", "updated_at": journal.at},
                if_status="booked",
            )
        if expired:
            log.info("released %s unused booking(s)", len(expired))
        return len(expired)

    # --- reads -------------------------------------------------------------------

    def _booking(self, row: Any) -> Booking:
        prefix = self.queue.prefix_of.get(row.service_id, "?")
        return Booking(
            code=row.code,
            service=prefix,
            slot_start=row.slot_start,
            slot_end=row.slot_end,
            name=row.name,
            status=row.status,
            source=row.source,
            service_name=self.queue.service_name(prefix) if prefix != "?" else "",
        )

    def on_day(self, day: date) -> list[Booking]:
        """The day's bookings, by slot."""
        from db.engine import read_session

        with read_session(self.queue.engine) as session:
            rows = session.execute(
                select(Appointment)
                .where(
                    col(Appointment.center_id) == self.queue.center_id,
                    col(Appointment.day) == day,
                )
                .order_by(col(Appointment.slot_start), col(Appointment.id))
            ).scalars()
            return [self._booking(r) for r in rows]


def add_pulled(session: Session, center_id: int, upstream_id: int, payload: dict[str, Any]) -> bool:
    """Keep one booking pulled from the portal for the center ``center_id`` (once: by
    its upstream id) in the session's transaction; False when it names a service this
    center does not have (skipped and logged, never retried)."""
    from sqlmodel import select as sm_select

    from db.models import Service
    from desk.text import clean

    existing = session.exec(
        sm_select(Appointment).where(Appointment.upstream_id == upstream_id)
    ).first()
    if existing is not None:
        return True
    service = session.exec(
        sm_select(Service).where(
            Service.center_id == center_id, Service.prefix == str(payload.get("service", ""))
        )
    ).first()
    if service is None or service.id is None:
        log.warning("portal booking %s: unknown service, skipped", upstream_id)
        return False
    start = datetime.fromisoformat(str(payload["slot_start"]))
    end = datetime.fromisoformat(str(payload["slot_end"]))
    now = clock.now()
    session.add(
        Appointment(
            center_id=center_id,
            code="".join(str(payload["code"]).split()).upper(),
            service_id=service.id,
            day=start.date(),
            slot_start=start,
            slot_end=end,
            name=clean(str(payload.get("name", ""))),
            source="portal",
            upstream_id=upstream_id,
            status="booked",
            created_at=now,
            updated_at=now,
        )
    )
    return True


def _when(at: datetime | None) -> str:
    return moment_text(at) if at else ""


def _minutes(closes: datetime, appt: Any) -> int:
    return int((closes - appt.slot_start).total_seconds() // 60)
