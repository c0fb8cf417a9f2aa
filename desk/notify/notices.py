"""Queueing notices and reading their state (the counter's F8 shows them)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func
from sqlmodel import Session, col, select

from db.engine import read_session, write_session
from db.models import Dossier, Notice
from desk import clock, logs
from desk.center.config import Config
from desk.errors import DeskError
from desk.i18n import t

log = logs.get("notify")
EVENTS = ("ready", "early")


@dataclass(frozen=True)
class NoticeView:
    id: int
    event: str
    channel: str
    state: str
    attempts: int
    created_at: datetime
    sent_at: datetime | None
    next_attempt_at: datetime
    last_error: str


def event_for(dossier: Dossier, at: datetime) -> str:
    """``early`` when the result is ready before the day of the appointment printed on
    the receipt (NĐ 61 Điều 20 k4 asks to tell the citizen), else ``ready``."""
    if dossier.due_at is not None and at.date() < dossier.due_at.date():
        return "early"
    return "ready"


def will_notify(config: Config, phone: str) -> bool:
    """Whether a dossier with this phone gets its notices: a channel is set up."""
    return config.notify.channel != "off" and bool(phone)


def queue_ready(session: Session, config: Config, dossier: Dossier, at: datetime) -> Notice | None:
    """Queue the result-ready (or early-result) notice of ``dossier`` in the caller's
    transaction; None when no channel is configured, the dossier has no phone, or
    this event was already queued for it."""
    if not will_notify(config, dossier.applicant_phone):
        return None
    assert dossier.id is not None
    event = event_for(dossier, at)
    key = f"{dossier.code}:{event}:1"
    exists = session.execute(select(Notice.id).where(col(Notice.key) == key)).first()
    if exists is not None:
        return None
    notice = Notice(
        dossier_id=dossier.id,
        event=event,
        key=key,
        channel=config.notify.channel,
        next_attempt_at=at,
        created_at=at,
    )
    session.add(notice)
    log.info("notice queued for dossier %s (%s)", dossier.code, event)
    return notice


def notices_of(engine: Engine, dossier_id: int) -> list[NoticeView]:
    """The notices of one dossier, oldest first."""
    with read_session(engine) as session:
        rows = session.execute(
            select(Notice).where(col(Notice.dossier_id) == dossier_id).order_by(col(Notice.id))
        ).scalars()
        return [_view(n) for n in rows]


def resend(engine: Engine, config: Config, notice_id: int) -> NoticeView:
    """An officer's resend: a new notice for the same dossier and event with the next
    send number (so its key differs and the gateway sends it again)."""
    if config.notify.channel == "off":
        raise DeskError(t("notify.off"))
    with write_session(engine) as session:
        old = session.get(Notice, notice_id)
        if old is None:
            raise DeskError(t("notify.not_found", id=notice_id))
        if old.state in ("queued", "sending"):
            raise DeskError(t("notify.still_pending"))
        dossier = session.get(Dossier, old.dossier_id)
        if dossier is None or not dossier.applicant_phone:
            raise DeskError(t("notify.no_phone"))
        sends = session.execute(
            select(func.count())
            .select_from(Notice)
            .where(col(Notice.dossier_id) == old.dossier_id, col(Notice.event) == old.event)
        ).scalar_one()
        now = clock.now()
        notice = Notice(
            dossier_id=old.dossier_id,
            event=old.event,
            key=f"{dossier.code}:{old.event}:{int(sends) + 1}",
            channel=config.notify.channel,
            next_attempt_at=now,
            created_at=now,
        )
        session.add(notice)
        session.flush()
        log.info("notice %s queued again as %s", old.id, notice.id)
        return _view(notice)


def _view(n: Notice) -> NoticeView:
    assert n.id is not None
    return NoticeView(
        id=n.id,
        event=n.event,
        channel=n.channel,
        state=n.state,
        attempts=n.attempts,
        created_at=n.created_at,
        sent_at=n.sent_at,
        next_attempt_at=n.next_attempt_at,
        last_error=n.last_error,
    )
