"""Ways a notice reaches the citizen, each a small adapter behind one interface.

- :class:`SmsGateway`: an SMS gateway's HTTP API (JSON POST; the unaccented text,
  at most 160 characters, so it fits one GSM-7 message);
- :class:`ZaloGateway`: Zalo Notification Service (ZNS), a template message by phone;
- :class:`CommandGateway`: a configured command (argv, never a shell) for anything else.

Every adapter answers with a :class:`Delivery`: ``sent`` (the gateway took it, or says
it already had this key: a duplicate is a success), ``retry`` (down, slow, 429/5xx:
try later) or ``failed`` (refused for good: 4xx, a bad number; an officer may resend).
The idempotency key goes with every attempt (header ``Idempotency-Key`` and the
message id), so a retry after a lost answer is not sent twice by a gateway that
honours it. Errors never quote the token or the phone.
"""

from __future__ import annotations

import json
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from typing import Literal, Protocol

from desk.center.config import NotifyConfig
from desk.errors import os_reason
from desk.i18n import decimal, t


@dataclass(frozen=True)
class Message:
    text: str
    """The full Vietnamese text (Zalo, command)."""
    sms: str
    """Unaccented, at most 160 characters."""
    params: dict[str, str]
    """The template's fields (Zalo ZNS template_data)."""


@dataclass(frozen=True)
class Delivery:
    outcome: Literal["sent", "retry", "failed"]
    detail: str = ""


class Gateway(Protocol):
    def send(self, key: str, phone: str, message: Message) -> Delivery: ...


def _post(url: str, body: dict[str, object], headers: dict[str, str], timeout: float) -> Delivery:
    """POST JSON; 2xx and 409 (already have this key) are sent, 429/5xx and network
    faults retry, any other 4xx failed. A JSON answer ``{"status": "duplicate"}`` or
    ``{"error": 0}`` is sent too."""
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=data, method="POST", headers={"Content-Type": "application/json", **headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            raw = response.read(4096)
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
        raw = exc.read(512) if exc.fp is not None else b""
        if status == 409:
            return Delivery("sent", "duplicate")
        reason = _short(raw) or exc.reason
        if status == 429 or status >= 500:
            return Delivery("retry", f"HTTP {status} {reason}")
        return Delivery("failed", f"HTTP {status} {reason}")
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        cause: object = exc.reason if isinstance(exc, urllib.error.URLError) else exc
        detail = f"{type(cause).__name__}: {cause}"
        return Delivery("retry", t("walkthrough.notify.unreachable", detail=detail)[:200])
    try:
        answer = json.loads(raw) if raw else {}
    except ValueError:
        answer = {}
    if isinstance(answer, dict):
        if answer.get("status") == "duplicate":
            return Delivery("sent", "duplicate")
        error = answer.get("error")
        if error not in (None, 0, "0"):
            message = _short(str(answer.get("message", "")))
            return Delivery("failed", t("walkthrough.notify.refused", error=error, message=message))
    return Delivery("sent", f"HTTP {status}")


def _short(raw: bytes | str) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    return "".join(c for c in text if c.isprintable())[:120]


class SmsGateway:
    def __init__(self, config: NotifyConfig) -> None:
        self.config = config

    def send(self, key: str, phone: str, message: Message) -> Delivery:
        headers = {"Idempotency-Key": key}
        if self.config.token:
            headers["Authorization"] = f"Bearer {self.config.token}"
        body: dict[str, object] = {"id": key, "to": phone, "text": message.sms}
        if self.config.sender:
            body["sender"] = self.config.sender
        return _post(self.config.url, body, headers, self.config.timeout_seconds)


class ZaloGateway:
    def __init__(self, config: NotifyConfig) -> None:
        self.config = config

    def send(self, key: str, phone: str, message: Message) -> Delivery:
        body: dict[str, object] = {
            "phone": phone.lstrip("+"),
            "template_id": self.config.zalo_template_id,
            "template_data": message.params,
            "tracking_id": key,
        }
        headers = {"Idempotency-Key": key, "access_token": self.config.token}
        return _post(self.config.url, body, headers, self.config.timeout_seconds)


class CommandGateway:
    """Runs ``notify.command`` with ``{phone}`` and ``{text}`` replaced in its
    arguments and the key in ``DESK_NOTICE_KEY``; exit 0 is sent, 75 (EX_TEMPFAIL)
    or a time-out is retry, anything else failed."""

    def __init__(self, config: NotifyConfig) -> None:
        self.config = config

    def send(self, key: str, phone: str, message: Message) -> Delivery:
        import os

        argv = [
            a.replace("{phone}", phone).replace("{text}", message.text) for a in self.config.command
        ]
        try:
            done = subprocess.run(
                argv,
                capture_output=True,
                timeout=self.config.timeout_seconds,
                env={**os.environ, "DESK_NOTICE_KEY": key},
                check=False,
            )
        except subprocess.TimeoutExpired:
            seconds = decimal(self.config.timeout_seconds)
            return Delivery("retry", t("walkthrough.notify.timed_out", seconds=seconds))
        except OSError as exc:
            command = self.config.command[0]
            error = os_reason(exc)
            return Delivery(
                "failed", t("walkthrough.notify.cannot_run", command=command, error=error)
            )
        if done.returncode == 0:
            return Delivery("sent", t("walkthrough.notify.exit_sent"))
        retry = done.returncode == 75
        key = "walkthrough.notify.exit_retry" if retry else "walkthrough.notify.exit_failed"
        detail = t(key, code=done.returncode)
        said = _short(done.stderr)
        return Delivery("retry" if retry else "failed", f"{detail}: {said}" if said else detail)


def gateway_for(config: NotifyConfig) -> Gateway:
    if config.channel == "sms":
        return SmsGateway(config)
    if config.channel == "zalo":
        return ZaloGateway(config)
    if config.channel == "command":
        return CommandGateway(config)
    raise ValueError("notify.channel is off")
