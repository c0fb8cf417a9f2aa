"""Configuration of one center, read from ``config.toml``.

Who reads what:
- the command line resolves the file (``DESK_CONFIG``, else the user config dir's,
  else ``./config.toml``, else the ``config.toml`` beside the project) and loads it once;
- a role first paints its first frame from the parsed file alone
  (:mod:`desk.center.first_frame`, no pydantic), then receives the validated
  :class:`Config` (kiosk, counter, board, admin);
- the database mirrors the center, services and counters of the config on start
  (``desk.setup.apply_config``), so reports keep names even after the file changes.

The file is parsed with :mod:`tomllib` and validated with pydantic. Every problem is
reported on its own line naming the file, the key path and what is expected, e.g.
``config.toml: counters[2].services: unknown service "X" (known: A, B, C)``.
Structural problems (unknown keys, wrong types) and cross-references (counters naming
unknown services) are all collected in one pass, so one run shows every mistake.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import time
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from desk.center.first_frame import PROJECT_CONFIG as PROJECT_CONFIG
from desk.center.first_frame import read_toml
from desk.center.first_frame import resolve_config_path as resolve_config_path
from desk.errors import ConfigError
from desk.i18n import LANGUAGES, get_language, t_in

AGENCY_CODE_RE = re.compile(r"^(?=[A-Z0-9.]{5,32}$)[A-Z0-9]+(?:\.[A-Z0-9]+)+$")
"""A receiving-agency code: capital letters and digits in parts joined by dots, 5 to
32 characters. Provinces issue several shapes (QCVN 102:2016 ``000.31.27.H31``; since
the two-level reform also e.g. ``H15.50.05.13``), so the characters and the length are
checked, not one pattern."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class CenterConfig(_Strict):
    model_config = ConfigDict(extra="forbid", frozen=True, regex_engine="python-re")
    name: str = Field(min_length=1)
    """Center name as printed on tickets and receipts (Vietnamese)."""
    name_en: str = ""
    """Center name in English (shown when the UI language is English)."""
    agency: str = Field(min_length=1)
    """Receiving body for form headers, e.g. "UBND PHƯỜNG …"."""
    agency_code: str = Field(pattern=AGENCY_CODE_RE.pattern)
    """Receiving-agency code the province assigned (e.g. 000.31.27.H31 or H15.50.05.13),
    first part of dossier codes."""
    place: str = Field(min_length=1)
    """Place name for "[Địa danh], ngày … tháng … năm …"."""
    address: str = ""
    hotline: str = ""


class ServiceConfig(_Strict):
    key: str = Field(pattern=r"^[1-9]$")
    """Kiosk key (1–9) a citizen presses for this service."""
    prefix: str = Field(pattern=r"^[A-Z]$")
    """Ticket prefix, one capital letter; also how counters refer to the service."""
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    fields: list[str] = Field(default_factory=list)
    """Procedure fields (lĩnh vực) whose dossiers this service takes in."""


class CounterConfig(_Strict):
    number: int = Field(ge=1, le=99)
    name: str = ""
    """Display name; defaults to "Quầy N" / "Counter N"."""
    services: list[str] = Field(min_length=1)
    """Prefixes of the services this counter calls."""
    priority: bool = False
    """The priority counter serves priority tickets first."""


class PriorityCategory(_Strict):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    key: str = Field(pattern=r"^[1-9]$")
    """Key pressed on the kiosk's priority menu."""
    tier: int = Field(ge=1, le=9)
    """1 is served first; categories of one tier are first-come-first-served."""
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)


class PriorityConfig(_Strict):
    policy: Literal["dedicated", "everywhere"] = "dedicated"
    """dedicated: only the priority counter serves priority tickets first;
    everywhere: every counter takes a waiting priority ticket of its services first."""
    numbering: Literal["mark", "prefix"] = "mark"
    """mark: priority tickets keep the service prefix and carry a visible mark;
    prefix: priority tickets use their own prefix (``prefix``)."""
    prefix: str = Field(default="U", pattern=r"^[A-Z]$")
    key: str = Field(default="0", pattern=r"^[0-9]$")
    """Kiosk key that opens the priority menu."""
    categories: list[PriorityCategory] = Field(min_length=1)
    regular_every: int = Field(default=0, ge=0, le=50)
    """Fairness guard: after this many priority calls in a row at one counter, that
    counter takes the oldest regular ticket (0: off). Never on the priority counter."""
    max_regular_wait_minutes: int = Field(default=0, ge=0, le=600)
    """Fairness guard: a regular ticket that has waited this long is called before
    priority tickets, oldest first (0: off). Never on the priority counter."""


class AppointmentConfig(_Strict):
    slot_minutes: int = Field(default=30, ge=5, le=240)
    """Length of a booking slot; slots start at the opening of each session."""
    capacity: int = Field(default=2, ge=0, le=100)
    """Bookings per service per slot (0: the service takes no bookings)."""
    capacity_by_service: dict[str, int] = Field(default_factory=dict)
    """Per-service capacity by prefix, e.g. { A = 4 }; the others use ``capacity``."""
    early_minutes: int = Field(default=15, ge=0, le=240)
    """A booking checks in at the kiosk from this long before its slot starts …"""
    late_minutes: int = Field(default=15, ge=0, le=240)
    """… until this long after; an unused booking is released at that moment."""
    kiosk_key: str = Field(default="", pattern=r"^[0-9]?$")
    """Kiosk key of "Có lịch hẹn" (empty: no check-in at the kiosk)."""


class AgeTier(_Strict):
    min_age: int = Field(ge=1, le=130)
    category: str = Field(pattern=r"^[a-z0-9_]+$")
    """Priority category code given to a scanned citizen of at least ``min_age``."""


class IdentityConfig(_Strict):
    kiosk_scan: bool = False
    """Citizens may scan their CCCD at the kiosk instead of choosing a priority category."""
    age_tiers: list[AgeTier] = Field(default_factory=list)
    """Ages that put a scanned citizen in priority automatically, checked highest first."""
    one_ticket_per_service: bool = True
    """A scanned citizen holds at most one live ticket per service per day."""
    scan_gap_ms: int = Field(default=150, ge=20, le=5000)
    """Keys arriving closer than this are one scan; a key alone acts after this pause."""
    secret_file: str = ""
    """The per-center key of the person hash (default: the user data dir); made at first use."""


class QueueConfig(_Strict):
    no_show_after_recalls: int = Field(default=2, ge=0, le=9)
    """Recalls before F4 may mark a ticket no-show (0: at once)."""
    reactivate_position: int = Field(default=2, ge=1, le=50)
    """A reactivated no-show re-enters with this many tickets ahead of it."""
    service_time_window: int = Field(default=20, ge=3, le=500)
    """How many recent services the estimated wait is computed from."""
    default_service_minutes: float = Field(default=8.0, gt=0, le=240)
    """Service time assumed until there is history."""
    kiosk_return_seconds: int = Field(default=8, ge=2, le=120)
    board_history: int = Field(default=8, ge=1, le=30)


class HoursConfig(_Strict):
    morning: tuple[time, time] = (time(7, 0), time(11, 30))
    afternoon: tuple[time, time] = (time(13, 30), time(17, 0))
    saturday_morning: bool = False
    """The center opens on Saturday mornings."""
    saturday_counts: bool = False
    """Saturday counts as a working day for due dates."""
    cutoff: time = time(15, 0)
    """Same-day procedures received at or after this time are due the next working day."""
    cutoff_applies: Literal["same_day", "all"] = "same_day"
    """same_day: the cut-off only moves same-day procedures; all: every dossier received
    after it starts its clock on the next working morning (NĐ 61 Điều 18 k2 hand-over)."""
    kiosk_early_minutes: int = Field(default=30, ge=0, le=240)
    """The kiosk issues tickets from this long before each session opens (citizens
    queue before the doors open); outside the sessions and this margin, on days off
    included, it says the center is closed, gives the opening hours and issues none."""
    kiosk_any_time: bool = False
    """The kiosk issues tickets at any hour (no opening-hours check)."""


class BundleConfig(_Strict):
    code: str = Field(pattern=r"^[a-z0-9_]+$")
    name_vi: str = Field(min_length=1)
    name_en: str = Field(min_length=1)
    procedures: list[str] = Field(min_length=2)
    """Procedure codes of the linked (liên thông) dossiers, the lead one first."""


class IntakeConfig(_Strict):
    due_basis: Literal["local", "legal"] = "local"
    """local: due dates use the locally committed time when the catalogue has one;
    legal: always the legal time. Both are stored with each dossier."""
    bundles: list[BundleConfig] = Field(default_factory=list)
    """Linked procedures that one intake files together."""


class PrinterConfig(_Strict):
    connection: Literal["preview", "usb", "network", "serial", "file", "cups", "none"] = "preview"
    name: str = Field(default="", max_length=60)
    """What the officers call this printer ("Quầy 3"): the screens name it after a print."""
    paper_mm: Literal[58, 80] = 80
    chars_per_line: int | None = Field(default=None, ge=24, le=64)
    vietnamese: Literal["codepage", "image", "ascii"] = "image"
    profile: str = "default"
    host: str = ""
    port: int = Field(default=9100, ge=1, le=65535)
    usb_vendor: int | None = None
    usb_product: int | None = None
    device: str = ""
    cups_printer: str = ""
    preview_dir: str = ""
    """Where preview mode writes raw bytes and PNGs (default: the user data dir)."""
    receipt_copies: int = Field(default=2, ge=1, le=3)
    timeout_seconds: float = Field(default=5.0, gt=0, le=60)
    status_check: bool = True
    """Ask a network printer for its status (DLE EOT) before and after each job."""
    qr_url_template: str = ""
    """Tracking URL for the QR code, with {code}; empty: the QR holds the dossier code."""
    lookup_page: str = ""
    """The look-up page the receipt names for following the dossier; empty: the
    address of ``qr_url_template`` up to its query."""


class UpstreamConfig(_Strict):
    url: str = ""
    """postgresql+psycopg:// URL of the provincial database; empty: sync disabled."""
    batch_size: int = Field(default=500, ge=1, le=10000)
    interval_seconds: float = Field(default=10.0, gt=0, le=3600)


class NotifyConfig(_Strict):
    """Messages to citizens when a result is ready or early (NĐ 61 Điều 20 k4)."""

    channel: Literal["off", "sms", "zalo", "command"] = "off"
    """How notices go out: an SMS gateway's HTTP API, Zalo ZNS, or a command."""
    url: str = ""
    """The gateway's HTTP endpoint (sms, zalo)."""
    token: str = ""
    """Sent as ``Authorization: Bearer …`` (sms) or ``access_token`` (zalo); never logged."""
    sender: str = ""
    """SMS brand name / sender id, when the gateway wants one."""
    zalo_template_id: str = ""
    command: list[str] = Field(default_factory=list)
    """argv of a command run per notice (channel command); ``{phone}`` and ``{text}``
    in an argument are replaced, e.g. ["/usr/local/bin/send-sms", "{phone}", "{text}"]."""
    timeout_seconds: float = Field(default=10.0, gt=0, le=120)
    max_attempts: int = Field(default=8, ge=1, le=50)
    """Attempts before a notice is marked failed (an officer can resend it)."""
    retry_seconds: float = Field(default=30.0, gt=0, le=3600)
    """First retry delay; doubles with each failure, up to an hour, with jitter."""
    interval_seconds: float = Field(default=5.0, gt=0, le=3600)
    """How often ``desk notify --daemon`` looks for notices to send."""

    @model_validator(mode="after")
    def _complete(self) -> NotifyConfig:
        if self.channel in ("sms", "zalo") and not self.url:
            raise ConfigProblem("notify_url", channel=f'"{self.channel}"')
        if self.channel == "zalo" and not self.zalo_template_id:
            raise ConfigProblem("notify_zalo")
        if self.channel == "command" and not self.command:
            raise ConfigProblem("notify_command")
        return self


_Time = time


class BackupConfig(_Strict):
    dir: str = ""
    """Folder for backups, e.g. a USB stick's mount point (it must exist: a missing one
    is reported, never created); empty: "backups" beside the database."""
    keep_daily: int = Field(default=7, ge=1, le=366)
    """Keep the newest copy of each of this many last days."""
    keep_monthly: int = Field(default=12, ge=0, le=120)
    """Keep the first copy of each of this many last months."""
    daily: bool = True
    """Take a backup every day from the running kiosk, counters or sync daemon."""
    time: _Time = _Time(12, 15)
    """Time of day ("HH:MM") of the daily backup; it runs at the first chance after."""


class UIConfig(_Strict):
    language: Literal["vi", "en"] = "vi"
    kiosk_pin: str = Field(default="2468", pattern=r"^\d{4,8}$")
    """PIN that leaves the kiosk (4–8 digits)."""
    idle_lock_minutes: int = Field(default=10, ge=1, le=240)
    speech: bool = False
    """Board calls out tickets aloud (espeak-ng's Vietnamese voice by default)."""
    speech_command: list[str] = Field(
        default_factory=lambda: ["espeak-ng", "-v", "{voice}", "{text}"], min_length=1
    )
    """argv that speaks ``{text}`` in ``{voice}`` (vi or en); run once per call."""
    chime_command: list[str] = Field(default_factory=lambda: ["aplay", "-q", "{chime}"])
    """argv that plays the chime before each call (``{chime}``: a WAV desk makes);
    an empty list: no chime."""
    board_theme: Literal["standard", "high_contrast"] = "standard"
    """The board's colours; ``high_contrast`` (white on black, no tints) for a TV."""


class ReportsConfig(_Strict):
    timeliness: Literal["day", "appointment"] = "day"
    """How resolved dossiers are judged early / on time / late: day (TT 01/2018
    Điều 13: time used against the time allowed, by the due day) or appointment
    (the provincial rule: before or after the appointment on the receipt)."""


class Config(_Strict):
    center: CenterConfig
    services: list[ServiceConfig] = Field(min_length=1)
    counters: list[CounterConfig] = Field(min_length=1)
    priority: PriorityConfig
    queue: QueueConfig = QueueConfig()
    hours: HoursConfig = HoursConfig()
    intake: IntakeConfig = IntakeConfig()
    printer: PrinterConfig = PrinterConfig()
    upstream: UpstreamConfig = UpstreamConfig()
    notify: NotifyConfig = NotifyConfig()
    backup: BackupConfig = BackupConfig()
    ui: UIConfig = UIConfig()
    reports: ReportsConfig = ReportsConfig()
    appointments: AppointmentConfig = AppointmentConfig()
    identity: IdentityConfig = IdentityConfig()

    def center_name(self) -> str:
        """The center's name in the UI language."""
        english = self.ui.language == "en" and self.center.name_en
        return self.center.name_en if english else self.center.name

    def service(self, prefix: str) -> ServiceConfig:
        for svc in self.services:
            if svc.prefix == prefix:
                return svc
        raise KeyError(prefix)

    def bundle(self, code: str) -> BundleConfig:
        for bundle in self.intake.bundles:
            if bundle.code == code:
                return bundle
        raise KeyError(code)

    def counter(self, number: int) -> CounterConfig:
        for ctr in self.counters:
            if ctr.number == number:
                return ctr
        raise KeyError(number)


# --- error formatting ------------------------------------------------------------
# Problems are said in the file's own language (its ``[ui] language``, else the active
# one: Vietnamese by default); key names stay as the file writes them.

Say = Callable[..., str]


class ConfigProblem(ValueError):
    """A model validator's problem: its message key (``config_check.<key>``) and values."""

    def __init__(self, key: str, **params: object) -> None:
        super().__init__(t_in("en", f"config_check.{key}", **params))
        self.key = key
        self.params = params


def sayer(raw: dict[str, Any] | None = None) -> Say:
    """``say(key, **params)``: a ``config_check`` message in the language ``raw`` asks
    for, or the active one."""
    ui = raw.get("ui") if isinstance(raw, dict) else None
    wanted = ui.get("language") if isinstance(ui, dict) else None
    language = wanted if wanted in LANGUAGES else get_language()

    def say(key: str, /, **params: object) -> str:
        return t_in(language, f"config_check.{key}", **params)

    return say


_EXPECTED = {
    "int_type": "whole_number",
    "int_parsing": "whole_number",
    "int_from_float": "whole_number",
    "float_type": "number",
    "float_parsing": "number",
    "bool_type": "true_false",
    "bool_parsing": "true_false",
    "string_type": "quoted_text",
    "list_type": "list",
    "tuple_type": "two_times",
    "model_type": "table",
    "model_attributes_type": "table",
    "dict_type": "table",
    "time_type": "time",
    "time_parsing": "time",
    "missing": "missing",
}
"""pydantic's error types → the ``config_check`` key of what was expected."""

_BOUNDS = {"ge": "≥", "le": "≤", "gt": ">", "lt": "<"}


TABLE_ARRAYS = ("services", "counters", "categories", "age_tiers", "bundles")
"""Keys written as ``[[…]]`` blocks: a problem in one names the block, counted from 1
as a person counts the blocks in the file."""


def format_path(loc: Sequence[int | str], say: Say | None = None) -> str:
    """``("counters", 5, "number")`` → ``[[counters]] thứ 6 › number``; a value in a
    list, ``("hours", "morning", 1)`` → ``hours.morning, giá trị thứ 2``."""
    say = say or sayer()
    out = ""
    after_block = False
    for i, part in enumerate(loc):
        if isinstance(part, int):
            after_block = bool(i) and loc[i - 1] in TABLE_ARRAYS
            out = say("block" if after_block else "value_n", path=out, n=part + 1)
        else:
            out = f"{out}{' › ' if after_block else '.'}{part}" if out else str(part)
            after_block = False
    return out or say("top_level")


def block_path(say: Say, section: str, index: int, key: str | None = None) -> str:
    """The path of ``key`` in the ``index``-th (from 0) ``[[section]]`` block."""
    return format_path([*section.split("."), index, *([key] if key else [])], say)


def _known_keys(model: type[BaseModel], loc: Sequence[int | str]) -> list[str]:
    """The keys allowed in the table that holds ``loc[-1]``."""
    current: type[BaseModel] = model
    for part in loc[:-1]:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part)
        if field is None:
            return []
        annotation = field.annotation
        args = getattr(annotation, "__args__", ())
        candidate = args[0] if args else annotation
        if not (isinstance(candidate, type) and issubclass(candidate, BaseModel)):
            return []
        current = candidate
    return list(current.model_fields)


def _describe(err: Any, model: type[BaseModel], say: Say) -> str:
    kind = err["type"]
    loc = err["loc"]
    got = err.get("input")
    value = repr(got)
    ctx = err.get("ctx", {})
    if kind == "extra_forbidden":
        known = _known_keys(model, loc)
        return say("unknown_key_known", known=", ".join(known)) if known else say("unknown_key")
    if kind == "missing":
        return say("missing")
    if kind == "value_error" and isinstance(ctx.get("error"), ConfigProblem):
        problem = ctx["error"]
        return say(problem.key, **problem.params)
    if kind == "literal_error":  # ctx: "'vi' or 'en'", "'a', 'b' or 'c'", "58 or 80"
        choices = re.split(r", | or ", str(ctx.get("expected", "")))
        expected = (
            ", ".join(choices[:-1]) + say("or") + choices[-1] if len(choices) > 1 else choices[0]
        )
        return say("one_of", expected=expected, value=value)
    if kind == "string_pattern_mismatch":
        return say("form", value=value, hint=_pattern_hint(loc, say))
    if kind in ("too_short", "string_too_short"):
        least = int(ctx.get("min_length", 1))
        if least > 1 and isinstance(got, list) and got:
            # a bundle of one procedure is not empty: it needs a second one
            return say("at_least", count=least, value=len(got))
        return say("empty")
    if kind in ("greater_than_equal", "less_than_equal", "greater_than", "less_than"):
        bound = ", ".join(f"{_BOUNDS.get(k, k)} {v}" for k, v in ctx.items())
        return say("bound", bound=bound, value=value)
    expected = _EXPECTED.get(kind)
    base = say(expected) if expected else str(err["msg"])
    return say("got", expected=base, value=value) if got is not None else base


def _pattern_hint(loc: Sequence[int | str], say: Say) -> str:
    last = next((p for p in reversed(loc) if isinstance(p, str)), "")
    known = ("agency_code", "key", "prefix", "code", "kiosk_pin")
    return say(f"hint_{last}" if last in known else "hint_other")


def _cross_reference_problems(raw: dict[str, Any]) -> list[tuple[str, str]]:
    """Checks across sections, done on the raw data so they run even when a
    structural error elsewhere stops pydantic from building the model."""
    problems: list[tuple[str, str]] = []
    say = sayer(raw)

    def items(name: str) -> Iterable[tuple[int, dict[str, Any]]]:
        value = raw.get(name)
        if isinstance(value, list):
            for i, item in enumerate(value):
                if isinstance(item, dict):
                    yield i, item

    def unique(section: str, key: str, rows: Iterable[tuple[int, dict[str, Any]]]) -> None:
        seen: dict[Any, int] = {}
        for i, item in rows:
            value = item.get(key)
            if value is None:
                continue
            if value in seen:
                problems.append(
                    (
                        block_path(say, section, i, key),
                        say(
                            "used_by",
                            value=repr(value),
                            other=block_path(say, section, seen[value]),
                        ),
                    )
                )
            else:
                seen[value] = i

    unique("services", "prefix", items("services"))
    unique("services", "key", items("services"))
    unique("counters", "number", items("counters"))
    prefixes = list(
        dict.fromkeys(
            str(s["prefix"]) for _, s in items("services") if isinstance(s.get("prefix"), str)
        )
    )
    known = ", ".join(prefixes)
    for i, ctr in items("counters"):
        refs = ctr.get("services")
        if not isinstance(refs, list):
            continue
        for ref in refs:
            if isinstance(ref, str) and ref not in prefixes:
                problems.append(
                    (
                        block_path(say, "counters", i, "services"),
                        say("unknown_service", service=ref, known=known),
                    )
                )
    priority = raw.get("priority")
    if isinstance(priority, dict):
        cats = priority.get("categories")
        if isinstance(cats, list):
            rows = [(i, c) for i, c in enumerate(cats) if isinstance(c, dict)]
            unique("priority.categories", "code", rows)
            unique("priority.categories", "key", rows)
        if priority.get("numbering") == "prefix" and priority.get("prefix", "U") in prefixes:
            problems.append(
                ("priority.prefix", say("prefix_taken", prefix=priority.get("prefix", "U")))
            )
        policy = priority.get("policy", "dedicated")
        has_priority_counter = any(c.get("priority") is True for _, c in items("counters"))
        if (
            policy == "dedicated"
            and not has_priority_counter
            and isinstance(raw.get("counters"), list)
        ):
            problems.append(("priority.policy", say("dedicated")))
    hours = raw.get("hours")
    if isinstance(hours, dict):
        problems.extend(_hours_problems(hours, say))
    problems.extend(_booking_and_identity_problems(raw, prefixes, items))
    return problems


def _booking_and_identity_problems(
    raw: dict[str, Any],
    prefixes: list[str],
    items: Any,
) -> list[tuple[str, str]]:
    """Appointment capacities name known services, the check-in key is free, and the
    age tiers name known priority categories."""
    problems: list[tuple[str, str]] = []
    say = sayer(raw)
    priority = raw.get("priority") if isinstance(raw.get("priority"), dict) else {}
    assert isinstance(priority, dict)
    cats = priority.get("categories")
    codes = [c.get("code") for c in cats if isinstance(c, dict)] if isinstance(cats, list) else []
    appointments = raw.get("appointments")
    if isinstance(appointments, dict):
        by_service = appointments.get("capacity_by_service")
        if isinstance(by_service, dict):
            for prefix in by_service:
                if prefix not in prefixes:
                    problems.append(
                        (
                            f"appointments.capacity_by_service.{prefix}",
                            say("unknown_service", service=prefix, known=", ".join(prefixes)),
                        )
                    )
        key = appointments.get("kiosk_key")
        used = {str(s.get("key")) for _, s in items("services")} | {str(priority.get("key", "0"))}
        if isinstance(key, str) and key and key in used:
            problems.append(("appointments.kiosk_key", say("key_taken", key=key)))
    identity = raw.get("identity")
    if isinstance(identity, dict) and isinstance(identity.get("age_tiers"), list):
        for i, tier in enumerate(identity["age_tiers"]):
            if isinstance(tier, dict) and tier.get("category") not in codes:
                problems.append(
                    (
                        block_path(say, "identity.age_tiers", i, "category"),
                        say("unknown_category", category=tier.get("category")),
                    )
                )
    return problems


def _parse_hhmm(value: Any) -> time | None:
    if isinstance(value, time):
        return value
    if isinstance(value, str):
        try:
            return time.fromisoformat(value)
        except ValueError:
            return None
    return None


def _hours_problems(hours: dict[str, Any], say: Say) -> list[tuple[str, str]]:
    problems: list[tuple[str, str]] = []
    spans = []
    for name in ("morning", "afternoon"):
        value = hours.get(name)
        if isinstance(value, list) and len(value) == 2:
            start, end = _parse_hhmm(value[0]), _parse_hhmm(value[1])
            if start and end:
                if start >= end:
                    problems.append((f"hours.{name}", say("start_before_end")))
                spans.append((start, end))
    if len(spans) == 2 and spans[0][1] > spans[1][0]:
        problems.append(("hours.afternoon", say("after_morning")))
    return problems


def load_config(path: Path, display: str | None = None) -> Config:
    """Read and validate ``path``; raise :class:`ConfigError` listing every problem."""
    return validate_config(read_toml(path, display), display or str(path))


def validate_config(raw: dict[str, Any], name: str = "config.toml") -> Config:
    problems: list[tuple[tuple[int, ...], str, str]] = []
    say = sayer(raw)
    order = 0
    config: Config | None = None
    try:
        config = Config.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            order += 1
            problems.append(((order,), format_path(err["loc"], say), _describe(err, Config, say)))
    for path, message in _cross_reference_problems(raw):
        order += 1
        problems.append(((order,), path, message))
    if problems:
        raise ConfigError([f"{name}: {path}: {message}" for _, path, message in problems])
    assert config is not None
    return config
