"""The notifier: delivers queued notices, outside the counters' and the kiosk's path.

One round (:meth:`Notifier.run_once`):
1. claim the notices that are due (``queued``, next attempt reached) in one short write
   transaction: each becomes ``sending`` with one more attempt counted;
2. send each through the configured gateway, with no transaction open;
3. record each outcome in its own short transaction: ``sent``; ``queued`` again with
   the next attempt after an exponential, jittered delay; or ``failed`` after
   ``notify.max_attempts`` (or at once when the gateway refuses it for good).

A notifier killed between 1 and 3 leaves ``sending`` rows; the next notifier to start
puts them back in the queue (:meth:`Notifier.recover`) and sends them with the same
idempotency key, so a gateway that already took one reports a duplicate, which counts
as sent. Run one notifier per center (``desk notify --daemon``).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, update
from sqlmodel import col, select

from db.engine import write_session
from db.models import Dossier, Notice
from desk import clock, logs
from desk.center.config import Config
from desk.i18n import catalog, day_text
from desk.notify.gateways import Delivery, Gateway, Message, gateway_for

log = logs.get("notify")
MAX_DELAY = 3600.0
SMS_LIMIT = 160


@dataclass
class Round:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    details: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Claimed:
    id: int
    key: str
    attempts: int
    phone: str
    message: Message


def message_for(config: Config, dossier: Dossier, event: str) -> Message:
    """The notice's text, always in Vietnamese (it goes to a citizen, whatever the
    screens' language): no ID number, no name; the code, the procedure, the center."""
    from desk.text import unaccent

    vi = catalog("vi")
    due = day_text(dossier.due_at) if dossier.due_at else ""
    params = {
        "code": dossier.code,
        "procedure": dossier.procedure_name,
        "center": config.center.name,
        "hotline": config.center.hotline,
        "due": due,
    }
    text = vi[f"notify.message_{event}"].format(**params)
    sms = unaccent(vi[f"notify.sms_{event}"].format(**{**params, "procedure": ""}))
    sms = " ".join(sms.split())
    if len(sms) > SMS_LIMIT:
        sms = sms[: SMS_LIMIT - 1].rstrip() + "."
    return Message(text=text, sms=sms, params=params)


class Notifier:
    """Delivers one center's notices. ``hook(point)`` runs at named points (tests kill
    the process at ``after_send``, between the gateway's answer and the record)."""

    def __init__(
        self,
        engine: Engine,
        config: Config,
        gateway: Gateway | None = None,
        hook: Callable[[str], None] | None = None,
        batch: int = 50,
    ) -> None:
        self.engine = engine
        self.config = config
        self.gateway = gateway or gateway_for(config.notify)
        self.hook = hook or (lambda _point: None)
        self.batch = batch

    def recover(self) -> int:
        """Put notices left ``sending`` by a notifier that died back in the queue."""
        with write_session(self.engine) as session:
            result = session.execute(
                update(Notice)
                .where(col(Notice.state) == "sending")
                .values(state="queued", next_attempt_at=clock.now()),
                execution_options={"synchronize_session": False},
            )
            count = int(getattr(result, "rowcount", 0) or 0)
        if count:
            log.warning("%s notice(s) left mid-send by a stopped notifier: sending again", count)
        return count

    def _claim(self, now: datetime) -> list[_Claimed]:
        claimed: list[_Claimed] = []
        with write_session(self.engine) as session:
            rows = session.execute(
                select(Notice, Dossier)
                .join(Dossier, col(Dossier.id) == col(Notice.dossier_id))
                .where(col(Notice.state) == "queued", col(Notice.next_attempt_at) <= now)
                .order_by(col(Notice.next_attempt_at), col(Notice.id))
                .limit(self.batch)
            ).all()
            for notice, dossier in rows:
                assert notice.id is not None
                notice.state = "sending"
                notice.attempts += 1
                session.add(notice)
                claimed.append(
                    _Claimed(
                        id=notice.id,
                        key=notice.key,
                        attempts=notice.attempts,
                        phone=dossier.applicant_phone,
                        message=message_for(self.config, dossier, notice.event),
                    )
                )
        return claimed

    def _delay(self, attempts: int) -> float:
        base: float = self.config.notify.retry_seconds * 2.0 ** max(0, attempts - 1)
        return min(MAX_DELAY, base) * random.uniform(0.8, 1.2)

    def _record(self, item: _Claimed, delivery: Delivery, result: Round) -> None:
        now = clock.now()
        detail = delivery.detail.replace(item.phone, "***") if item.phone else delivery.detail
        with write_session(self.engine) as session:
            notice = session.get(Notice, item.id)
            assert notice is not None
            if delivery.outcome == "sent":
                notice.state, notice.sent_at, notice.last_error = "sent", now, ""
                result.sent += 1
            elif delivery.outcome == "retry" and item.attempts < self.config.notify.max_attempts:
                notice.state = "queued"
                notice.next_attempt_at = now + timedelta(seconds=self._delay(item.attempts))
                notice.last_error = detail
                result.retried += 1
            else:
                notice.state, notice.last_error = "failed", detail
                result.failed += 1
            session.add(notice)
        log.info("notice %s: %s %s", item.id, notice.state, detail)
        result.details.append(f"{item.id}: {notice.state} {detail}")

    def run_once(self) -> Round:
        """Claim what is due, send it, record each outcome."""
        result = Round()
        for item in self._claim(clock.now()):
            self.hook("before_send")
            try:
                delivery = self.gateway.send(item.key, item.phone, item.message)
            except Exception as exc:  # an adapter bug must not lose the notice
                log.exception("notice %s: the gateway adapter failed", item.id)
                delivery = Delivery("retry", f"{type(exc).__name__}")
            self.hook("after_send")
            self._record(item, delivery, result)
        return result

    def run_forever(
        self,
        interval: float,
        stop: Callable[[], bool] = lambda: False,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.recover()
        while not stop():
            self.run_once()
            sleep(interval)
