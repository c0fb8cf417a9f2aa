"""SQLModel tables of desk.

Conventions:
- Datetimes are naive local wall time of the center (Vietnam, UTC+7, no DST); a
  ``day`` column is the local date used for daily numbering and reports.
- Status and kind columns are short strings; the allowed values are listed in the
  ``*_STATUSES`` tuples below and enforced by the domain code in ``desk/``.
- Rows that sync upstream carry ``version`` (bumped on every local change) so a
  stale copy never overwrites a newer one.
- Money is whole VND.
"""

from __future__ import annotations

from datetime import date

from pydantic import NaiveDatetime
from sqlalchemy import Column, Index, LargeBinary, MetaData, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Stable constraint names, so Alembic batch migrations on SQLite can find them.
SQLModel.metadata.naming_convention = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata: MetaData = SQLModel.metadata

TICKET_STATUSES = ("waiting", "called", "serving", "done", "no_show", "cancelled")
COUNTER_STATES = ("closed", "open", "paused")
DOSSIER_STATUSES = (
    "received",
    "processing",
    "supplement_requested",
    "resolved",
    "returned",
    "refused",
)
CHANNELS = ("direct", "online", "postal")
APPOINTMENT_STATUSES = ("booked", "checked_in", "released", "cancelled")
ROLES = ("officer", "supervisor", "admin")


class Center(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    agency_code: str = Field(unique=True, max_length=32)
    name: str
    name_en: str = ""
    agency: str = ""
    place: str = ""
    address: str = ""
    hotline: str = ""
    updated_at: NaiveDatetime


class Service(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("center_id", "prefix"),)

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="center.id", index=True)
    prefix: str = Field(max_length=4)
    kiosk_key: str = Field(max_length=2)
    name_vi: str
    name_en: str
    fields: str = Field(default="", sa_column_kwargs={"server_default": ""})
    """Procedure fields, one per line."""
    active: bool = True


class Counter(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("center_id", "number"),)

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="center.id", index=True)
    number: int
    name: str = ""
    priority: bool = False
    state: str = Field(default="closed", max_length=16)
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    active: bool = True
    updated_at: NaiveDatetime | None = None
    priority_streak: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    """Priority tickets called in a row here (the ``regular_every`` fairness guard)."""


class CounterService(SQLModel, table=True):
    __tablename__ = "counter_service"

    counter_id: int = Field(foreign_key="counter.id", primary_key=True)
    service_id: int = Field(foreign_key="service.id", primary_key=True)


class Officer(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(unique=True, max_length=64)
    full_name: str
    role: str = Field(default="officer", max_length=16)
    password_hash: str = ""
    active: bool = True
    failed_logins: int = 0
    locked_until: NaiveDatetime | None = None
    created_at: NaiveDatetime
    version: int = Field(default=1, sa_column_kwargs={"server_default": "1"})
    """Bumped on every change, so upstream keeps the newest (accounts are pushed)."""


class DailySequence(SQLModel, table=True):
    """Last number handed out per scope and day (ticket prefixes, dossier codes).

    Incremented with a single ``UPDATE … SET last = last + 1`` inside the same
    transaction that uses the number, so two processes never get the same one.
    """

    __tablename__ = "daily_sequence"

    scope: str = Field(primary_key=True, max_length=64)
    day: date = Field(primary_key=True)
    last: int = 0


class Ticket(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("center_id", "day", "prefix", "seq"),
        Index("ix_ticket_queue", "center_id", "status", "service_id", "queued_at"),
        # the day's waiting tickets: call next, the idle check and the people ahead read
        # only these, however many tickets the day has had (migration 0006)
        Index("ix_ticket_waiting", "center_id", "day", "status", "service_id", "queued_at"),
        # a counter's call reads the head of each group of waiting walk-ins straight
        # from an index in its order (no sort), and the few tickets transferred to a
        # counter or checked in from a booking whole (desk.queue.statements, 0013)
        Index(
            "ix_ticket_tier",
            "center_id",
            "day",
            "status",
            "service_id",
            "priority_tier",
            "queued_at",
        ),
        Index(
            "ix_ticket_routed", "center_id", "day", "status", "target_counter_id", "appointment_id"
        ),
        # covers the report's scans: a quarter is read from the index alone
        Index("ix_ticket_person", "day", "person_key"),
        Index(
            "ix_ticket_report",
            "day",
            "service_id",
            "status",
            "counter_id",
            "officer_id",
            "wait_seconds",
            "service_seconds",
            "issue_weekday",
            "issue_hour",
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="center.id")
    service_id: int = Field(foreign_key="service.id")
    day: date = Field(index=True)
    prefix: str = Field(max_length=4)
    seq: int
    number: str = Field(max_length=16)
    """What the citizen sees: prefix + 3 digits, e.g. A012."""
    priority_category: str | None = Field(default=None, max_length=64)
    priority_tier: int | None = None
    status: str = Field(default="waiting", max_length=16)
    issued_at: NaiveDatetime
    queued_at: NaiveDatetime
    """Position in the queue: the issue time, kept on transfer, moved up on reactivation."""
    target_counter_id: int | None = Field(default=None, foreign_key="counter.id")
    """Set by a transfer to a named counter: only that counter calls it."""
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    called_at: NaiveDatetime | None = None
    recall_count: int = 0
    last_called_at: NaiveDatetime | None = None
    started_at: NaiveDatetime | None = None
    finished_at: NaiveDatetime | None = None
    outcome: str | None = Field(default=None, max_length=32)
    transferred_from_service_id: int | None = Field(default=None, foreign_key="service.id")
    wait_seconds: int | None = None
    """called_at − issued_at, kept so reports sum integers instead of parsing times."""
    service_seconds: int | None = None
    """finished_at − started_at of a served ticket."""
    issue_hour: int | None = None
    issue_weekday: int | None = None
    """0 Sunday … 6 Saturday, as SQL's strftime('%w') and EXTRACT(DOW)."""
    appointment_id: int | None = Field(default=None, foreign_key="appointment.id")
    """The booking this ticket was checked in from: called before walk-ins."""
    person_key: str | None = Field(default=None, max_length=64)
    """Keyed hash of the CCCD scanned at the kiosk (never the number itself)."""
    version: int = 1
    updated_at: NaiveDatetime


class Appointment(SQLModel, table=True):
    """A booked slot (service, day, time window): from the province's portal (pulled
    by sync) or booked at the center. Used once: its check-in issues a ticket."""

    __table_args__ = (
        UniqueConstraint("center_id", "code"),
        Index("ix_appointment_slot", "center_id", "service_id", "slot_start", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="center.id")
    code: str = Field(max_length=32)
    """The booking code the citizen types or scans at the kiosk."""
    service_id: int = Field(foreign_key="service.id")
    day: date
    slot_start: NaiveDatetime
    slot_end: NaiveDatetime
    name: str = ""
    source: str = Field(default="desk", max_length=16)
    """desk (booked at the center) or portal (pulled from upstream)."""
    upstream_id: int | None = Field(default=None, unique=True)
    status: str = Field(default="booked", max_length=16)
    ticket_id: int | None = None
    """The ticket its check-in issued (no foreign key: the ticket points back)."""
    checked_in_at: NaiveDatetime | None = None
    created_at: NaiveDatetime
    version: int = 1
    updated_at: NaiveDatetime


class TicketEvent(SQLModel, table=True):
    """Every step of a ticket (issued, called, recalled, started, finished, …)."""

    __tablename__ = "ticket_event"

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", index=True)
    kind: str = Field(max_length=16)
    at: NaiveDatetime = Field(index=True)
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    detail: str = ""


class Procedure(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=64)
    name: str
    field: str = Field(default="", index=True)
    legal_days: float | None = None
    """Legal processing time; 0 means the same day, None unknown."""
    local_days: float | None = None
    """Locally committed processing time, when shorter than the legal one."""
    day_type: str = Field(default="working", max_length=16)
    same_day_rule: str = Field(default="", max_length=32)
    fee_vnd: int | None = None
    fee_note: str = ""
    status: str = Field(default="active", max_length=16)
    confidence: str = Field(default="", max_length=16)
    legal_basis: str = ""
    search_text: str = Field(default="", sa_column_kwargs={"server_default": ""})
    """Lower-case, accent-free code + name + field, for forgiving search."""
    version: int = 1
    updated_at: NaiveDatetime


class ProcedureAlias(SQLModel, table=True):
    """An old or replaced procedure code that still finds the current entry."""

    __tablename__ = "procedure_alias"

    id: int | None = Field(default=None, primary_key=True)
    old_code: str = Field(unique=True, max_length=64)
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    note: str = ""


class ProcedureComponent(SQLModel, table=True):
    __tablename__ = "procedure_component"

    id: int | None = Field(default=None, primary_key=True)
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    position: int
    name: str
    originals: int = 0
    copies: int = 0
    mandatory: bool = True


class Dossier(SQLModel, table=True):
    __table_args__ = (
        UniqueConstraint("center_id", "register_year", "register_no"),
        Index("ix_dossier_status_due", "status", "due_at"),
        # covers the report's scan of a period's dossiers (read from the index alone)
        Index(
            "ix_dossier_report",
            "received_at",
            "procedure_code",
            "channel",
            "resolved_at",
            "refused_at",
            "due_at",
            "fee_vnd",
            "payment_method",
            "extended",
        ),
        # dossiers still open at a period's start, found by when they were resolved
        Index(
            "ix_dossier_open",
            "resolved_at",
            "received_at",
            "procedure_code",
            "channel",
            "refused_at",
            "due_at",
            "fee_vnd",
            "payment_method",
            "extended",
        ),
        Index("ix_dossier_returned_at", "returned_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    center_id: int = Field(foreign_key="center.id")
    code: str = Field(unique=True, max_length=48)
    """<agency code>-YYMMDD-XXXX"""
    register_year: int
    register_no: int
    """Entry number in the yearly register (Sổ theo dõi hồ sơ), from 1 each year."""
    procedure_id: int = Field(foreign_key="procedure.id", index=True)
    procedure_code: str = Field(max_length=64)
    procedure_name: str
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    bundle: str | None = Field(default=None, max_length=48, index=True)
    """Shared by the dossiers one linked (liên thông) intake created."""
    applicant_name: str
    applicant_search: str = Field(default="", index=True, sa_column_kwargs={"server_default": ""})
    """Folded (lower-case, accent-free) applicant name, for lookup by name."""
    applicant_id_number: str = Field(default="", max_length=12, index=True)
    applicant_birth_year: int | None = None
    applicant_phone: str = Field(default="", max_length=16, index=True)
    """E.164, e.g. +84912345678."""
    applicant_address: str = ""
    applicant_email: str = ""
    submitter_name: str = ""
    submitter_id_number: str = Field(default="", max_length=12)
    submitter_phone: str = Field(default="", max_length=16)
    channel: str = Field(default="direct", max_length=16)
    sets: int = 1
    fee_vnd: int = 0
    payment_method: str = Field(default="cash", max_length=16)
    result_delivery: str = Field(default="desk", max_length=16)
    notes: str = ""
    legal_days: float | None = None
    local_days: float | None = None
    """Locally committed processing time, when the catalogue has one."""
    day_type: str = Field(default="working", max_length=16)
    received_at: NaiveDatetime
    due_at: NaiveDatetime | None = None
    """The due date promised on the receipt (by the configured basis, local or legal)."""
    legal_due_at: NaiveDatetime | None = None
    """The due date by the legal processing time, for reports."""
    clock_started_at: NaiveDatetime
    """Start of the processing clock: receipt, or when a supplement made it complete."""
    extended: bool = False
    status: str = Field(default="received", max_length=24)
    resolved_at: NaiveDatetime | None = None
    returned_at: NaiveDatetime | None = None
    returned_to: str = ""
    refused_at: NaiveDatetime | None = None
    refusal_reason: str = ""
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    version: int = 1
    updated_at: NaiveDatetime


class DossierComponent(SQLModel, table=True):
    __tablename__ = "dossier_component"

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    position: int
    name: str
    originals: int = 0
    certified_copies: int = 0
    photocopies: int = 0
    scanned: bool = False


class DossierStatus(SQLModel, table=True):
    """Status history: every transition with who, when and why."""

    __tablename__ = "dossier_status"
    __table_args__ = (Index("ix_dossier_status_to_at", "to_status", "at"),)

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    from_status: str | None = Field(default=None, max_length=24)
    to_status: str = Field(max_length=24)
    at: NaiveDatetime
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    reason: str = ""
    due_at: NaiveDatetime | None = None
    source: str = Field(default="local", max_length=16)


class Holiday(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    day: date = Field(unique=True)
    kind: str = Field(default="holiday", max_length=16)
    """holiday: no work; workday: a make-up working day on a weekend."""
    name: str = ""
    source: str = Field(default="manual", max_length=16)
    name_vi: str | None = None
    """A package day's name in Vietnamese, stored when the year is seeded so that
    listing it never imports the ``holidays`` package; None on other sources and on
    rows seeded before migration 0017 (the next seeding fills them)."""
    name_en: str | None = None
    """The same in English."""


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained trail of every state change."""

    __tablename__ = "audit_event"

    id: int | None = Field(default=None, primary_key=True)
    at: NaiveDatetime = Field(index=True)
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    action: str = Field(max_length=64)
    entity: str = Field(max_length=32)
    entity_id: str = Field(default="", max_length=64)
    detail: str = ""
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)


class Outbox(SQLModel, table=True):
    """Changes waiting to be pushed upstream, written in the same transaction."""

    id: int | None = Field(default=None, primary_key=True)
    created_at: NaiveDatetime
    entity: str = Field(max_length=32)
    entity_id: int
    version: int
    payload: str
    sent_at: NaiveDatetime | None = Field(default=None, index=True)
    attempts: int = 0
    last_error: str = ""


class PrintJob(SQLModel, table=True):
    __tablename__ = "print_job"

    id: int | None = Field(default=None, primary_key=True)
    created_at: NaiveDatetime
    kind: str = Field(max_length=24)
    """ticket, receipt, supplement, refusal, apology, test."""
    ticket_id: int | None = Field(default=None, foreign_key="ticket.id")
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id")
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    status: str = Field(default="pending", max_length=16, index=True)
    attempts: int = 0
    last_error: str = ""
    printed_at: NaiveDatetime | None = None
    document: str = ""
    """The structured document (JSON) the printer renders; enough to reprint."""
    data: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))


class Rating(SQLModel, table=True):
    __table_args__ = (Index("ix_rating_report", "at", "counter_id", "officer_id", "score"),)

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id", unique=True)
    counter_id: int | None = Field(default=None, foreign_key="counter.id")
    officer_id: int | None = Field(default=None, foreign_key="officer.id")
    dossier_id: int | None = Field(default=None, foreign_key="dossier.id")
    score: int
    """3 very satisfied, 2 satisfied, 1 unsatisfied."""
    at: NaiveDatetime
    source: str = Field(default="counter", max_length=16)


class Setting(SQLModel, table=True):
    """Small key/value state (sync cursors, last success, …)."""

    key: str = Field(primary_key=True, max_length=64)
    value: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))


class Notice(SQLModel, table=True):
    """A message to a citizen about their dossier (result ready, result early), queued
    in the transaction that made it due and delivered by the notifier (desk.notify).

    ``key`` is the idempotency key (dossier code, event and send number): the notifier
    sends it with every attempt, so a gateway that already took it does not send it
    again, and the unique index keeps one row per key. The phone is read from the
    dossier when sending and never stored here."""

    id: int | None = Field(default=None, primary_key=True)
    dossier_id: int = Field(foreign_key="dossier.id", index=True)
    event: str = Field(max_length=16)
    """ready (the result can be collected) or early (ready before the appointment)."""
    key: str = Field(unique=True, index=True, max_length=96)
    channel: str = Field(max_length=16)
    """sms, zalo or command: the configured channel when it was queued."""
    state: str = Field(default="queued", max_length=16, index=True)
    """queued, sending (an attempt under way), sent or failed (given up; why in last_error)."""
    attempts: int = 0
    next_attempt_at: NaiveDatetime
    created_at: NaiveDatetime
    sent_at: NaiveDatetime | None = None
    last_error: str = ""
