"""A dossier's life after intake, and finding it again.

States and the transitions the rules allow (NĐ 61/2018, TT 01/2018):

    received ──start──▶ processing ──resolve──▶ resolved ──return──▶ returned
       │                  │   ▲
       │                  │   └──resume (clock restarts from zero)──┐
       └──supplement──────┴──▶ supplement_requested ────────────────┘
    received / processing / supplement_requested ──refuse(reason)──▶ refused
    received / processing: extend once, at least one day before the due date

The law asks for everything missing at once (NĐ 61/2018 Điều 15), so a second
supplement request for the same dossier needs a reason and a supervisor's approval
(a supervisor making the request approves it). A refusal reason, like that one,
must be words (two at least), not a stray character.

Every transition is one transaction that writes a ``dossier_status`` row (who,
when, why, the due date after it); a transition the rules forbid raises
:class:`DossierError` with a plain message and changes nothing. Transitions that
hand paper to the citizen return their document (Mẫu 02, 03, 04).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, Engine, func, or_
from sqlmodel import Session, col, select

from db.engine import read_session, write_session
from db.models import Dossier, DossierComponent, DossierStatus
from desk import clock, logs
from desk.center.accounts import Actor
from desk.center.config import Config
from desk.dossiers.due_dates import WorkCalendar, load_calendar
from desk.dossiers.forms import Document, DossierFacts, apology, refusal, supplement_request
from desk.dossiers.identity import normalize_phone
from desk.dossiers.intake import facts_of
from desk.dossiers.received import record_status
from desk.dossiers.statuses import status_name
from desk.errors import DeskError
from desk.i18n import moment_text, t
from desk.notify.notices import queue_ready
from desk.printing.jobs import add_job
from desk.rows import view_of
from desk.text import clean, fold

log = logs.get("dossier")
CODE_IN_TEXT = re.compile(r"(?<![A-Z0-9.])[A-Z0-9]+(?:\.[A-Z0-9]+)+-\d{6}-\d{4}(?!\d)")
"""A dossier code ``<agency code>-YYMMDD-XXXX`` of any agency-code shape the
configuration accepts (``000.31.27.H31``, ``H15.50.05.13``…), alone or inside a
scanned tracking URL."""


ALLOWED: dict[str, tuple[str, ...]] = {
    "start": ("received",),
    "supplement": ("received", "processing"),
    "resume": ("supplement_requested",),
    "resolve": ("received", "processing"),
    "return": ("resolved",),
    "refuse": ("received", "processing", "supplement_requested"),
    "extend": ("received", "processing"),
}
TARGET = {
    "start": "processing",
    "supplement": "supplement_requested",
    "resume": "processing",
    "resolve": "resolved",
    "return": "returned",
    "refuse": "refused",
}


class DossierError(DeskError):
    """A transition the rules forbid, or a dossier that does not exist."""


class TypedRefused(DossierError):
    """A step refused for what the officer typed in its dialog (a reason no citizen
    can read, a new due date not after the old one or on a day off): the dialog can
    take it again; any other refusal (already extended, the dossier moved on) it
    cannot mend."""


def is_worded(reason: str) -> bool:
    """At least two words with letters: a reason a citizen can read."""
    return sum(1 for w in reason.split() if any(ch.isalpha() for ch in w)) >= 2


def reason_problem(reason: str, *, worded: bool = False) -> str | None:
    """Why ``reason`` cannot go on a paper to the citizen: empty, or (``worded``: a
    refusal's) not a reason a citizen can read; None when it can. The officer's
    dialog asks it before the step, the step again as it writes."""
    reason = clean(reason)
    if not reason:
        return t("dossier.reason_required")
    if worded and not is_worded(reason):
        return t("lifecycle.reason_words")
    return None


@dataclass(frozen=True)
class DossierView:
    id: int
    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str
    applicant_phone: str
    applicant_address: str
    status: str
    received_at: datetime
    due_at: datetime | None
    extended: bool
    returned_at: datetime | None
    returned_to: str
    bundle: str | None
    result_delivery: str
    """Where the citizen asked for the result: "desk", or "post" (to the address)."""


def _view(d: Dossier) -> DossierView:
    assert d.id is not None
    return view_of(DossierView, d)


# --- lookup ------------------------------------------------------------------------


PARTIAL_CODE = re.compile(r"[\dA-Z][\dA-Z.\-]*")
"""What may be part of a dossier code: letters, digits, dots and dashes."""

SEQUENCE_DIGITS = 4
"""The digits of a code's last part, its number of the day (``…-0012``)."""


def _code_part(text: str) -> ColumnElement[bool] | None:
    """Dossiers whose code ends with ``text`` (the last digits printed big on the
    receipt, or the code without its agency prefix), dots and dashes aside; a number
    of up to four digits is the day's number (``12`` finds ``…-0012``). None when
    ``text`` cannot be part of a code."""
    upper = text.upper().replace(" ", "").strip(".-")  # "-0012" as printed after the date
    if not PARTIAL_CODE.fullmatch(upper) or not any(ch.isdigit() for ch in upper):
        return None
    bare = re.sub(r"[.\-]", "", upper)
    if bare.isdigit() and len(bare) <= SEQUENCE_DIGITS:
        return col(Dossier.code).endswith("-" + bare.zfill(SEQUENCE_DIGITS), autoescape=True)
    code = func.replace(func.replace(col(Dossier.code), ".", ""), "-", "")
    return code.endswith(bare, autoescape=True)


def bundle_of(engine: Engine, bundle: str) -> list[DossierView]:
    """The dossiers of a linked bundle (named by its first dossier's code), in the
    order they were taken in."""
    with read_session(engine) as session:
        rows = session.exec(
            select(Dossier).where(col(Dossier.bundle) == bundle).order_by(col(Dossier.id))
        ).all()
        return [_view(d) for d in rows]


def find_dossiers(engine: Engine, query: str, limit: int = 20) -> list[DossierView]:
    """By dossier code (typed, or scanned: a scanner types the QR content, which may
    be a tracking URL holding the code), by part of a code (its end: the last digits,
    or the code without its agency prefix; else any part of it), by CCCD, by phone
    or by name. A number that is both a phone and the end of a code finds both."""
    text = query.strip()
    if not text:
        return []
    log.info("dossier lookup (%d characters)", len(text))  # never the query itself
    with read_session(engine) as session:
        found = CODE_IN_TEXT.search(text.upper())
        digits = re.sub(r"[\s.\-]", "", text)
        phone = normalize_phone(text) if re.fullmatch(r"[+\d\s.\-()]{9,}", text) else None
        where: ColumnElement[bool] | None
        if not found and digits.isdigit() and len(digits) == 12:
            where = or_(
                col(Dossier.applicant_id_number) == digits,
                col(Dossier.submitter_id_number) == digits,
            )
        elif not found and phone:
            where = or_(
                col(Dossier.applicant_phone) == phone, col(Dossier.submitter_phone) == phone
            )
            part = _code_part(text)
            if part is not None:  # 261123-0012 reads as a phone number too
                where = or_(where, part)
        else:
            where = code_where(session, text)
            if where is None:  # % and _ are searched for as themselves, never as wildcards
                folded = fold(clean(text))
                where = col(Dossier.applicant_search).contains(folded, autoescape=True)
        return [_view(d) for d in newest(session, where, limit)]


def newest(session: Session, where: ColumnElement[bool], limit: int) -> list[Dossier]:
    """The dossiers ``where`` holds, newest first, at most ``limit`` (F8's list and the
    kiosk's look-up order them alike)."""
    return list(
        session.execute(
            select(Dossier)
            .where(where)
            .order_by(col(Dossier.received_at).desc(), col(Dossier.code).desc())
            .limit(limit)
        ).scalars()
    )


def code_where(session: Session, text: str) -> ColumnElement[bool] | None:
    """Dossiers found by their code alone: the code in ``text`` (typed, or inside a
    scanned URL), else the codes ending with ``text`` (:func:`_code_part`), else, when
    none ends so, those holding it (a middle part: the day, the agency). None when
    ``text`` cannot be part of a code. The counter's F8 and the kiosk's look-up."""
    code = _code_in(text)
    if code is not None:
        return col(Dossier.code) == code
    part = _code_part(text.strip())
    if part is None or _exists(session, part):
        return part
    return col(Dossier.code).contains(text.strip().upper(), autoescape=True)


def code_named(text: str) -> str:
    """What a message quotes of a search: the dossier code in ``text`` (a scanned
    receipt's address quoted whole read as a web page, not a code), else ``text``."""
    return _code_in(text) or text.strip()


def _code_in(text: str) -> str | None:
    """The whole dossier code in ``text`` (typed, or inside a scanned address)."""
    found = CODE_IN_TEXT.search(text.strip().upper())
    return found.group(0) if found else None


def _exists(session: Session, where: ColumnElement[bool]) -> bool:
    return session.execute(select(Dossier.id).where(where).limit(1)).first() is not None


def get_dossier(engine: Engine, code: str) -> DossierView:
    with read_session(engine) as session:
        d = session.execute(select(Dossier).where(col(Dossier.code) == code)).scalar_one_or_none()
        if d is None:
            raise DossierError(t("dossier.not_found", code=code))
        return _view(d)


def history(engine: Engine, code: str) -> list[DossierStatus]:
    with read_session(engine) as session:
        d = session.execute(select(Dossier).where(col(Dossier.code) == code)).scalar_one_or_none()
        if d is None:
            raise DossierError(t("dossier.not_found", code=code))
        return list(
            session.execute(
                select(DossierStatus)
                .where(col(DossierStatus.dossier_id) == d.id)
                .order_by(col(DossierStatus.id))
            ).scalars()
        )


# --- transitions -------------------------------------------------------------------


def extend_refusal(extended: bool, due_at: datetime | None, at: datetime) -> str | None:
    """Why a dossier cannot be given a new due date (Mẫu 04) at ``at``, or None: once
    only, sent at least one day before the due date (NĐ 61 Điều 19 k9). Asked before
    the officer types the new date and the reason, and again when it is written."""
    if extended:
        return t("dossier.extended_once")
    if due_at is None or at.date() > due_at.date() - timedelta(days=1):
        return t("dossier.extend_too_late")
    return None


def supplement_requests(engine: Engine, code: str) -> int:
    """How many supplement requests the dossier ``code`` has had (0 if unknown)."""
    with read_session(engine) as session:
        d = session.execute(select(Dossier).where(col(Dossier.code) == code)).scalar_one_or_none()
        return _supplements(session, d) if d is not None else 0


def _supplements(session: Session, d: Dossier) -> int:
    """How many supplement requests the dossier already had."""
    return len(
        session.execute(
            select(col(DossierStatus.id)).where(
                col(DossierStatus.dossier_id) == d.id,
                col(DossierStatus.to_status) == "supplement_requested",
            )
        ).all()
    )


def apply_outside_status(
    session: Session,
    config: Config | None,
    d: Dossier,
    to_status: str,
    at: datetime,
    reason: str,
    source: str,
    refusal_reason: str | None = None,
) -> None:
    """A status change made outside the center (the province's back office, the
    portal): the moment it sets (resolved, returned, refused) and its status row
    (``reason``; a refusal's own reason is ``refusal_reason``, else the same); a
    result that becomes ready queues the citizen's notice (with ``config``)."""
    if to_status == "resolved":
        d.resolved_at = at
    if to_status == "returned":
        d.returned_at = at
    if to_status == "refused":
        d.refused_at = at
        d.refusal_reason = reason if refusal_reason is None else refusal_reason
    record_status(session, d, to_status, at, reason=reason, source=source)
    if to_status == "resolved" and config is not None:
        queue_ready(session, config, d, at)


class Lifecycle:
    def __init__(self, engine: Engine, config: Config, calendar: WorkCalendar | None = None):
        self.engine = engine
        self.config = config
        self.calendar = calendar or load_calendar(engine, config.hours)
        self.queued: list[int] = []
        """The print jobs of the documents made by the last call (a slip to print)."""

    def _load(self, session: Session, code: str, action: str) -> Dossier:
        d: Dossier | None = session.execute(
            select(Dossier).where(col(Dossier.code) == code)
        ).scalar_one_or_none()
        if d is None:
            raise DossierError(t("dossier.not_found", code=code))
        if d.status not in ALLOWED[action]:
            raise DossierError(
                t(
                    "dossier.forbidden",
                    action=t(f"dossier.action_{action}"),
                    status=status_name(d.status),
                )
            )
        return d

    def _record(
        self,
        session: Session,
        d: Dossier,
        to_status: str,
        at: datetime,
        officer_id: int | None,
        reason: str = "",
    ) -> None:
        record_status(session, d, to_status, at, officer_id=officer_id, reason=reason)

    def _document(self, session: Session, d: Dossier, kind: str, doc: Document) -> None:
        job = add_job(session, doc, dossier_id=d.id)
        session.flush()
        assert job.id is not None
        self.queued = [job.id]

    def _facts(self, session: Session, d: Dossier, officer_name: str) -> DossierFacts:
        comps = list(
            session.execute(
                select(DossierComponent)
                .where(col(DossierComponent.dossier_id) == d.id)
                .order_by(col(DossierComponent.position))
            ).scalars()
        )
        return facts_of(d, comps, officer_name)

    def _simple(
        self, code: str, action: str, officer_id: int | None, reason: str = ""
    ) -> DossierView:
        with write_session(self.engine) as session:
            d = self._load(session, code, action)
            at = clock.now()
            if action == "resolve":
                d.resolved_at = at
            self._record(session, d, TARGET[action], at, officer_id, reason)
            if action == "resolve":
                queue_ready(session, self.config, d, at)
            return _view(d)

    def start(self, code: str, officer_id: int | None = None) -> DossierView:
        return self._simple(code, "start", officer_id)

    def resolve(self, code: str, officer_id: int | None = None) -> DossierView:
        return self._simple(code, "resolve", officer_id)

    def request_supplement(
        self,
        code: str,
        items: list[str],
        reason: str,
        officer_id: int | None = None,
        officer_name: str = "",
        approved_by: Actor | None = None,
    ) -> tuple[DossierView, Document]:
        """Mẫu 02; everything missing must be listed at once, so a second request
        for the same dossier needs a worded reason and ``approved_by`` a supervisor."""
        items = [clean(i) for i in items if clean(i)]
        if not items:
            raise DossierError(t("dossier.items_required"))
        reason = clean(reason)
        with write_session(self.engine) as session:
            d = self._load(session, code, "supplement")
            earlier = _supplements(session, d)
            note = "; ".join(items)
            if earlier:
                if not is_worded(reason):
                    raise DossierError(t("lifecycle.again_reason", count=earlier + 1))
                if approved_by is None or not approved_by.can("supervisor"):
                    raise DossierError(t("lifecycle.again_approval", count=earlier + 1))
                note = t(
                    "lifecycle.again_note",
                    items=note,
                    count=earlier + 1,
                    reason=reason,
                    approver=approved_by.full_name or approved_by.username,
                )
            at = clock.now()
            self._record(session, d, "supplement_requested", at, officer_id, note)
            facts = self._facts(session, d, officer_name)
            doc = supplement_request(self.config, facts, at, items, reason, earlier + 1)
            self._document(session, d, "supplement", doc)
            return _view(d), doc

    def resume(self, code: str, officer_id: int | None = None) -> DossierView:
        """The dossier is complete again: the processing time restarts from zero."""
        with write_session(self.engine) as session:
            d = self._load(session, code, "resume")
            at = clock.now()
            d.clock_started_at = at
            days = d.local_days if self.config.intake.due_basis == "local" else None
            days = days if days is not None else d.legal_days
            cutoff = self.config.hours.cutoff_applies
            if days is not None:
                d.due_at = self.calendar.due_at(at, days, d.day_type, cutoff)
            if d.legal_days is not None:
                d.legal_due_at = self.calendar.due_at(at, d.legal_days, d.day_type, cutoff)
            self._record(session, d, "processing", at, officer_id)
            return _view(d)

    def refuse(
        self, code: str, reason: str, officer_id: int | None = None, officer_name: str = ""
    ) -> tuple[DossierView, Document]:
        problem = reason_problem(reason, worded=True)
        if problem is not None:
            raise TypedRefused(problem)
        reason = clean(reason)
        with write_session(self.engine) as session:
            d = self._load(session, code, "refuse")
            at = clock.now()
            d.refusal_reason = reason
            d.refused_at = at
            self._record(session, d, "refused", at, officer_id, reason)
            doc = refusal(self.config, self._facts(session, d, officer_name), at, reason)
            self._document(session, d, "refusal", doc)
            return _view(d), doc

    def extend(
        self,
        code: str,
        new_due: datetime | date,
        reason: str,
        officer_id: int | None = None,
        officer_name: str = "",
    ) -> tuple[DossierView, Document]:
        """Mẫu 04: once only, sent at least one day before the due date. A day with
        no time is due at the center's closing time that day, as a receipt's is (the
        look-up put 17:00 whatever the hours)."""
        problem = reason_problem(reason)
        if problem is not None:
            raise TypedRefused(problem)
        reason = clean(reason)
        with write_session(self.engine) as session:
            d = self._load(session, code, "extend")
            at = clock.now()
            refused = extend_refusal(d.extended, d.due_at, at)
            if refused is not None:
                raise DossierError(refused)
            assert d.due_at is not None
            day = new_due.date() if isinstance(new_due, datetime) else new_due
            if not self.calendar.is_working_day(day):
                raise TypedRefused(t("dossier.extend_day_off"))
            if not isinstance(new_due, datetime):
                new_due = self.calendar.closing(day)
            if new_due <= d.due_at:
                raise TypedRefused(t("dossier.extend_not_later", old=moment_text(d.due_at)))
            old_due = d.due_at
            d.extended = True
            d.due_at = new_due
            self._record(session, d, d.status, at, officer_id, reason)
            doc = apology(
                self.config, self._facts(session, d, officer_name), at, old_due, new_due, reason
            )
            self._document(session, d, "apology", doc)
            return _view(d), doc

    def return_result(
        self, code: str, received_by: str, officer_id: int | None = None
    ) -> DossierView:
        """The citizen (or the person they sent) collects the result."""
        who = clean(received_by)
        if not who:
            raise DossierError(t("dossier.receiver_required"))
        with write_session(self.engine) as session:
            d = self._load(session, code, "return")
            at = clock.now()
            d.returned_at = at
            d.returned_to = who
            self._record(session, d, "returned", at, officer_id, who)
            return _view(d)
