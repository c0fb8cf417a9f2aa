"""Dossier intake: check what the officer typed and save the dossier in one transaction.

:func:`check_intake` turns an :class:`IntakeInput` (text exactly as typed) into an
:class:`IntakeData` or a list of :class:`~desk.identity.Problem` naming each field.
:func:`save_intake` then writes, in a single transaction, the dossier (or every
dossier of a linked bundle), its components, its first status row and its
receipt document; killed at any point, the database holds all of it or none.

Dossier codes are ``<agency code>-YYMMDD-NNNN`` with NNNN the day's sequence of
that agency code, and each dossier gets the next entry number of the year's
register (Sổ theo dõi hồ sơ); both come from ``daily_sequence`` rows incremented
inside the same transaction, so counters saving at once never share a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlmodel import Session, col, select

from db.engine import write_session
from db.models import (
    CHANNELS,
    Dossier,
    DossierComponent,
    Procedure,
    ProcedureComponent,
)
from desk import clock, logs
from desk.center.config import Config
from desk.dossiers.due_dates import WorkCalendar, load_calendar
from desk.dossiers.forms import Document, DossierFacts, receipt
from desk.dossiers.identity import (
    Problem,
    check_birth_year,
    check_cccd,
    check_email,
    check_name,
    check_phone,
)
from desk.dossiers.received import Component, add_received
from desk.errors import DeskError
from desk.i18n import t
from desk.printing.jobs import add_job
from desk.sequence import next_number
from desk.text import clean

PAYMENT_METHODS = ("cash", "transfer", "postal", "online")
log = logs.get("intake")
DELIVERIES = ("desk", "post")


class IntakeError(DeskError):
    """The intake could not be saved; nothing was written."""


@dataclass
class ComponentInput:
    name: str
    procedure_code: str = ""
    originals: str = "0"
    certified: str = "0"
    photocopies: str = "0"
    scanned: bool = False


@dataclass
class IntakeInput:
    procedure_code: str = ""
    bundle: str = ""
    """A bundle code from config ``[[intake.bundles]]`` instead of one procedure."""
    applicant_name: str = ""
    applicant_id_number: str = ""
    applicant_birth_year: str = ""
    applicant_phone: str = ""
    applicant_address: str = ""
    applicant_email: str = ""
    submitter_name: str = ""
    submitter_id_number: str = ""
    submitter_phone: str = ""
    channel: str = "direct"
    components: list[ComponentInput] = field(default_factory=list)
    sets: str = "1"
    processing_days: str = ""
    """Only used when the catalogue has no processing time for the procedure."""
    fee: str = ""
    """The fee of the dossier (of a linked bundle: of its first procedure's)."""
    fees: list[str] = field(default_factory=list)
    """A linked bundle's fees of its further dossiers, in its procedures' order after
    the first (each dossier is paid and reported for itself); a missing one is 0."""
    payment_method: str = "cash"
    result_delivery: str = "desk"
    notes: str = ""


@dataclass(frozen=True)
class ProcedureInfo:
    id: int
    code: str
    name: str
    field: str
    legal_days: float | None
    local_days: float | None
    day_type: str
    fee_vnd: int | None
    status: str
    components: tuple[tuple[str, int, int], ...]
    """(name, originals, copies) from the catalogue."""
    fee_note: str = ""
    """The catalogue's words on the fee (exemptions, per-copy fees, tiers)."""


@dataclass
class IntakeData:
    procedures: list[ProcedureInfo]
    applicant_name: str
    applicant_id_number: str
    applicant_birth_year: int | None
    applicant_phone: str
    applicant_address: str
    applicant_email: str
    submitter_name: str
    submitter_id_number: str
    submitter_phone: str
    channel: str
    components: list[tuple[str, str, int, int, int, bool]]
    """(procedure code, name, originals, certified, photocopies, scanned)"""
    sets: int
    days_override: float | None
    fees_vnd: list[int]
    """Each procedure's fee, in the order of ``procedures``."""
    payment_method: str
    result_delivery: str
    notes: str
    warnings: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class SavedDossier:
    id: int
    code: str
    procedure_code: str
    due_at: datetime | None
    register_no: int
    receipt: Document
    print_job: int
    """The pending print job of the receipt, written in the same transaction."""


# --- the catalogue side ------------------------------------------------------------


def procedure_info(engine: Engine, code: str) -> ProcedureInfo | None:
    from db.engine import read_session

    with read_session(engine) as session:
        proc = session.execute(
            select(Procedure).where(col(Procedure.code) == code)
        ).scalar_one_or_none()
        if proc is None or proc.id is None:
            return None
        comps = session.execute(
            select(ProcedureComponent)
            .where(col(ProcedureComponent.procedure_id) == proc.id)
            .order_by(col(ProcedureComponent.position))
        ).scalars()
        return ProcedureInfo(
            id=proc.id,
            code=proc.code,
            name=proc.name,
            field=proc.field,
            legal_days=proc.legal_days,
            local_days=proc.local_days,
            day_type=proc.day_type,
            fee_vnd=proc.fee_vnd,
            status=proc.status,
            components=tuple((c.name, c.originals, c.copies) for c in comps),
            fee_note=proc.fee_note,
        )


def procedures_for(engine: Engine, config: Config, form: IntakeInput) -> list[ProcedureInfo]:
    """The procedures one intake files: the chosen one, or every one of a bundle.
    Raises IntakeError naming the code the catalogue lacks."""
    codes = [form.procedure_code]
    if form.bundle:
        try:
            codes = list(config.bundle(form.bundle).procedures)
        except KeyError:
            raise IntakeError(t("intake.unknown_bundle", bundle=form.bundle)) from None
    out = []
    for code in codes:
        info = procedure_info(engine, code)
        if info is None:
            raise IntakeError(t("intake.unknown_procedure", code=code))
        out.append(info)
    return out


def planned_days(config: Config, proc: ProcedureInfo) -> float | None:
    """The processing time the receipt promises, by the configured basis."""
    if config.intake.due_basis == "local" and proc.local_days is not None:
        return proc.local_days
    return proc.legal_days


# --- checking ----------------------------------------------------------------------


COMPONENT_NAME_LIMIT = 300
"""Like the address: the longest component name in the national catalogue is
well under this."""


def _count(value: str, field_name: str, problems: list[Problem], low: int, high: int) -> int:
    value = value.strip() or "0"
    if not value.isdigit() or not low <= int(value) <= high:
        problems.append(Problem(field_name, t("check.count", low=low, high=high)))
        return 0
    return int(value)


MONEY = re.compile(r"\d{1,3}(?:([.,\s])\d{3}(?:\1\d{3})*)?|\d+")
"""An amount of whole đồng: digits, or thousands grouped by one of ``.``, ``,`` or a
space (8.000, 1,250,000, 8 000). A group of other than three digits is a decimal
part or a slip (20,5, 1.5, 20.00): no amount of đồng has one."""

MONEY_DIGITS = 10
"""The most digits a fee may have (9.999.999.999 đồng)."""


def _money_digits(value: str) -> str | None:
    """The digits of an amount written as :data:`MONEY` allows (a unit after it left
    out: đồng, đ, VND), "" for nothing; None if it is not so written."""
    raw = re.sub(r"\s*(đồng|đ|vnđ|vnd)$", "", value.strip().lower()).strip()
    if not raw:
        return ""
    return re.sub(r"\D", "", raw) if MONEY.fullmatch(raw) else None


def parse_money(value: str) -> int | None:
    """``8.000`` / ``8,000`` / ``8 000`` / ``8000`` / ``8.000 đ`` (đồng, VND) → 8000,
    empty → 0; None if it is not an amount of whole đồng, or longer than
    :data:`MONEY_DIGITS` digits (:func:`money_too_large`)."""
    digits = _money_digits(value)
    if digits is None or len(digits) > MONEY_DIGITS:
        return None
    return int(digits) if digits else 0


def money_too_large(value: str) -> bool:
    """An amount of whole đồng written right, but longer than :data:`MONEY_DIGITS`."""
    digits = _money_digits(value)
    return digits is not None and len(digits) > MONEY_DIGITS


def check_intake(
    config: Config, form: IntakeInput, procedures: list[ProcedureInfo]
) -> tuple[IntakeData | None, list[Problem]]:
    problems: list[Problem] = []
    if not procedures:
        problems.append(Problem("procedure", t("check.procedure_required")))
    for proc in procedures:
        if proc.status != "active":
            problems.append(Problem("procedure", t("check.procedure_repealed", code=proc.code)))
    name, p = check_name(form.applicant_name, "applicant_name")
    problems += p
    birth_year, p = check_birth_year(form.applicant_birth_year, "applicant_birth_year")
    problems += p
    cccd, p = check_cccd(form.applicant_id_number, birth_year, "applicant_id_number")
    problems += p
    phone, p = check_phone(form.applicant_phone, "applicant_phone")
    problems += p
    email, p = check_email(form.applicant_email, "applicant_email")
    problems += p
    address = clean(form.applicant_address)
    if len(address) > 300:
        problems.append(Problem("applicant_address", t("check.too_long", limit=300)))
    sub_given = any(
        x.strip() for x in (form.submitter_name, form.submitter_id_number, form.submitter_phone)
    )
    sub_name, p = check_name(form.submitter_name, "submitter_name", required=sub_given)
    problems += p
    sub_cccd, p = check_cccd(form.submitter_id_number, None, "submitter_id_number")
    problems += p
    sub_phone, p = check_phone(form.submitter_phone, "submitter_phone")
    problems += p
    if form.channel not in CHANNELS:
        problems.append(Problem("channel", t("check.choice", choices=", ".join(CHANNELS))))
    components: list[tuple[str, str, int, int, int, bool]] = []
    for i, comp in enumerate(form.components):
        fname = f"component_{i}"
        before = len(problems)
        orig = _count(comp.originals, fname, problems, 0, 99)
        cert = _count(comp.certified, fname, problems, 0, 99)
        photo = _count(comp.photocopies, fname, problems, 0, 99)
        comp_name = clean(comp.name)
        if len(comp_name) > COMPONENT_NAME_LIMIT:
            problems.append(Problem(fname, t("check.too_long", limit=COMPONENT_NAME_LIMIT)))
        if len(problems) == before and (orig or cert or photo or comp.scanned):
            components.append((comp.procedure_code, comp_name, orig, cert, photo, comp.scanned))
    if form.components and not any(p.field.startswith("component_") for p in problems):
        if not components:
            problems.append(Problem("components", t("check.components_none")))
        else:
            # a linked bundle: each of its dossiers goes to its own office with its own
            # papers (the residence and the insurance dossiers were saved with none)
            listed = {c.procedure_code for c in form.components if c.procedure_code}
            counted = {c[0] for c in components}
            empty = [p for p in procedures if p.code in listed and p.code not in counted]
            if len(procedures) > 1 and empty:
                names = "; ".join(f"{p.code} {p.name}" for p in empty)
                problems.append(Problem("components", t("check.components_none_for", names=names)))
    sets = _count(form.sets, "sets", problems, 1, 99)
    days_override: float | None = None
    missing_days = [p for p in procedures if planned_days(config, p) is None]
    raw_days = form.processing_days.strip().replace(",", ".")
    if raw_days:
        try:
            days_override = float(raw_days)
            if not 0 <= days_override <= 365:
                raise ValueError
        except ValueError:
            days_override = None
            problems.append(Problem("processing_days", t("check.days")))
    elif missing_days:
        problems.append(
            Problem("processing_days", t("check.days_required", code=missing_days[0].code))
        )
    fees: list[int] = []
    further = form.fees[: max(len(procedures) - 1, 0)]
    for fee_field, typed in [("fee", form.fee), *fee_fields(further)]:
        fee = parse_money(typed)
        if fee is None:
            said = t("check.fee_too_large") if money_too_large(typed) else t("check.fee")
            problems.append(Problem(fee_field, said))
            fee = 0
        fees.append(fee)
    fees += [0] * (len(procedures) - len(fees))
    payment = form.payment_method if any(fees) else "none"
    if any(fees) and form.payment_method not in PAYMENT_METHODS:
        problems.append(
            Problem("payment_method", t("check.choice", choices=", ".join(PAYMENT_METHODS)))
        )
    if form.result_delivery not in DELIVERIES:
        problems.append(
            Problem("result_delivery", t("check.choice", choices=", ".join(DELIVERIES)))
        )
    elif form.result_delivery == "post" and not address:
        problems.append(Problem("applicant_address", t("check.address_for_post")))
    notes = clean(form.notes)
    if len(notes) > 500:
        problems.append(Problem("notes", t("check.too_long", limit=500)))
    errors = [p for p in problems if not p.warning]
    if errors:
        return None, problems
    data = IntakeData(
        procedures=procedures,
        applicant_name=name,
        applicant_id_number=cccd.number if cccd else "",
        applicant_birth_year=birth_year,
        applicant_phone=phone,
        applicant_address=address,
        applicant_email=email,
        submitter_name=sub_name,
        submitter_id_number=sub_cccd.number if sub_cccd else "",
        submitter_phone=sub_phone,
        channel=form.channel,
        components=components,
        sets=sets,
        days_override=days_override,
        fees_vnd=fees,
        payment_method=payment,
        result_delivery=form.result_delivery,
        notes=notes,
        warnings=[p for p in problems if p.warning],
    )
    return data, problems


CHECK_READS: dict[str, tuple[str, ...]] = {
    "applicant_id_number": ("applicant_birth_year",),  # the CCCD's birth-year digits
    "submitter_name": ("submitter_id_number", "submitter_phone"),  # needed once either is
    "payment_method": ("fee",),  # asked only when there is a fee (a bundle's fee_N too)
    "applicant_address": ("result_delivery",),  # needed for a result by post
    "processing_days": ("procedure",),  # needed when the procedure has no time of its own
}
"""The other fields each field's check in :func:`check_intake` reads: an edit of one
of them can change what is said about the field."""


def checked_field(field: str) -> str:
    """The field a problem of ``field`` belongs to: a component row's problem is the
    components list's (one check reads every row: "no component yet" goes as soon
    as any row has a count)."""
    return "components" if field.startswith("component_") else field


def fee_field(n: int) -> str:
    """The field of a linked bundle's ``n``-th further fee: ``fee_1`` is the second
    procedure's fee (``fee`` the first's)."""
    return f"fee_{n}"


def fee_fields(fees: list[str]) -> list[tuple[str, str]]:
    """A linked bundle's further fees with their fields' names (:func:`fee_field`)."""
    return [(fee_field(n), typed) for n, typed in enumerate(fees, start=1)]


def is_bundle_fee(field: str) -> bool:
    """Whether ``field`` is one of a linked bundle's further fees (:func:`fee_fields`)."""
    return re.fullmatch(r"fee_\d+", field) is not None


def affected_by(edited: str) -> set[str]:
    """The fields (as :func:`checked_field` names them) whose problems an edit of
    ``edited`` can change: itself and every field whose check reads it."""
    edited = checked_field(edited)
    read_as = "fee" if is_bundle_fee(edited) else edited  # a bundle's further fee
    return {edited} | {name for name, reads in CHECK_READS.items() if read_as in reads}


def recheck_intake(
    config: Config,
    form: IntakeInput,
    procedures: list[ProcedureInfo],
    shown: list[Problem],
    fields: set[str],
) -> list[Problem]:
    """The problems ``shown`` with those of ``fields`` (:func:`checked_field` names)
    as :func:`check_intake` finds them in ``form`` now: the others stay as shown."""
    _, fresh = check_intake(config, form, procedures)
    kept = [p for p in shown if checked_field(p.field) not in fields]
    return kept + [p for p in fresh if checked_field(p.field) in fields]


# --- saving ------------------------------------------------------------------------


def dossier_code(agency_code: str, day: date, seq: int) -> str:
    return f"{agency_code}-{day:%y%m%d}-{seq:04d}"


def facts_of(
    dossier: Dossier, components: list[DossierComponent], officer: str = ""
) -> DossierFacts:
    return DossierFacts(
        code=dossier.code,
        procedure_code=dossier.procedure_code,
        procedure_name=dossier.procedure_name,
        applicant_name=dossier.applicant_name,
        applicant_id_number=dossier.applicant_id_number,
        applicant_address=dossier.applicant_address,
        applicant_phone=dossier.applicant_phone,
        applicant_email=dossier.applicant_email,
        submitter_name=dossier.submitter_name,
        channel=dossier.channel,
        sets=dossier.sets,
        legal_days=dossier.legal_days,
        local_days=dossier.local_days,
        day_type=dossier.day_type,
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        fee_vnd=dossier.fee_vnd,
        payment_method=dossier.payment_method,
        result_delivery=dossier.result_delivery,
        register_year=dossier.register_year,
        register_no=dossier.register_no,
        components=[(c.name, c.originals, c.certified_copies, c.photocopies) for c in components],
        notes=dossier.notes,
        officer_name=officer,
    )


def save_intake(
    engine: Engine,
    config: Config,
    data: IntakeData,
    *,
    center_id: int,
    ticket_id: int | None = None,
    counter_id: int | None = None,
    officer_id: int | None = None,
    officer_name: str = "",
    calendar: WorkCalendar | None = None,
) -> list[SavedDossier]:
    """Write the dossier(s) of one intake in one transaction; returns them with their
    receipts. A locked database raises IntakeError and writes nothing."""
    cal = calendar or load_calendar(engine, config.hours)
    try:
        with write_session(engine) as session:
            saved = _save(
                session,
                config,
                data,
                cal,
                center_id,
                ticket_id,
                counter_id,
                officer_id,
                officer_name,
            )
    except OperationalError as exc:
        if "locked" in str(exc).lower() or "busy" in str(exc).lower():
            log.warning("intake not saved: database busy")
            raise IntakeError(t("intake.busy")) from None
        raise
    for d in saved:
        log.info("dossier %s received (%s), due %s", d.code, d.procedure_code, d.due_at)
    return saved


def _save(
    session: Session,
    config: Config,
    data: IntakeData,
    cal: WorkCalendar,
    center_id: int,
    ticket_id: int | None,
    counter_id: int | None,
    officer_id: int | None,
    officer_name: str,
) -> list[SavedDossier]:
    at = clock.now()
    day = at.date()
    agency = config.center.agency_code
    bundle_id: str | None = None
    saved: list[SavedDossier] = []
    conn = session.connection()
    for index, proc in enumerate(data.procedures):
        seq = next_number(conn, f"dossier:{agency}", day)
        register_no = next_number(conn, f"register:{agency}", date(day.year, 1, 1))
        code = dossier_code(agency, day, seq)
        if len(data.procedures) > 1 and bundle_id is None:
            bundle_id = code
        days = planned_days(config, proc)
        if days is None:
            days = data.days_override
        legal = proc.legal_days if proc.legal_days is not None else days
        cutoff = config.hours.cutoff_applies
        due = cal.due_at(at, days, proc.day_type, cutoff) if days is not None else None
        legal_due = cal.due_at(at, legal, proc.day_type, cutoff) if legal is not None else None
        mine = [c for c in data.components if c[0] in ("", proc.code)]
        dossier, comps = add_received(
            session,
            received_at=at,
            applicant_name=data.applicant_name,
            components=[
                Component(name, orig, cert, photo, scanned)
                for _pc, name, orig, cert, photo, scanned in mine
            ],
            center_id=center_id,
            code=code,
            register_no=register_no,
            procedure_id=proc.id,
            procedure_code=proc.code,
            procedure_name=proc.name,
            ticket_id=ticket_id,
            bundle=bundle_id,
            applicant_id_number=data.applicant_id_number,
            applicant_birth_year=data.applicant_birth_year,
            applicant_phone=data.applicant_phone,
            applicant_address=data.applicant_address,
            applicant_email=data.applicant_email,
            submitter_name=data.submitter_name,
            submitter_id_number=data.submitter_id_number,
            submitter_phone=data.submitter_phone,
            channel=data.channel,
            sets=data.sets,
            fee_vnd=data.fees_vnd[index],
            payment_method=data.payment_method if data.fees_vnd[index] else "none",
            result_delivery=data.result_delivery,
            notes=data.notes,
            legal_days=proc.legal_days if proc.legal_days is not None else days,
            local_days=proc.local_days,
            day_type=proc.day_type,
            due_at=due,
            legal_due_at=legal_due,
            officer_id=officer_id,
            counter_id=counter_id,
        )
        assert dossier.id is not None
        doc = receipt(config, facts_of(dossier, comps, officer_name))
        job = add_job(
            session, doc, ticket_id=ticket_id, dossier_id=dossier.id, counter_id=counter_id
        )
        session.flush()
        assert job.id is not None
        saved.append(SavedDossier(dossier.id, code, proc.code, due, register_no, doc, job.id))
    return saved
