"""The chip CCCD's QR code, as a keyboard-wedge scanner types it, and the keyed hash
that stands for a citizen on a ticket.

The QR holds one line of fields separated by ``|`` (domain.md §5.1a, and every public
reader seen agrees on the order)::

    id number|old id|full name|ddmmyyyy birth|sex|address|ddmmyyyy issue

``old id`` (the CMND) is empty, 9 or 12 digits; some newer cards leave it out
altogether (six fields). Any field after the name may be empty. The line is parsed
defensively and refused as a whole when the CCCD number fails the structure check of
:func:`desk.dossiers.identity.check_cccd`: a foreign or garbled scan changes nothing.

The number itself is never stored for the kiosk's rules: :func:`person_key` is an
HMAC-SHA256 of it under a per-center secret kept in a file outside the database
(mode 0600, made at first use).
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from desk import clock
from desk.dossiers.identity import check_cccd
from desk.errors import DeskError
from desk.i18n import t
from desk.text import clean

SEPARATOR = "|"


class ScanError(DeskError):
    """The scanned line is not a CCCD's QR code (or a broken one)."""


@dataclass(frozen=True)
class CccdScan:
    number: str
    old_id: str
    name: str
    birth: date | None
    male: bool | None
    """From the sex field (Nam / Nữ); None when it is missing or unreadable."""
    address: str
    issued: date | None

    @property
    def birth_year(self) -> int | None:
        return self.birth.year if self.birth else None

    def age(self, on: date) -> int | None:
        if self.birth is None:
            return None
        before_birthday = (on.month, on.day) < (self.birth.month, self.birth.day)
        return on.year - self.birth.year - before_birthday


def looks_like_scan(text: str) -> bool:
    """A line typed into a field that was meant as a scan (it has the separator)."""
    return SEPARATOR in text


def _date(value: str, field: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    if len(value) != 8 or not value.isdigit():
        raise ScanError(t("cccd.bad_date", field=t(f"cccd.field_{field}")))
    try:
        return date(int(value[4:]), int(value[2:4]), int(value[:2]))
    except ValueError:
        raise ScanError(t("cccd.bad_date", field=t(f"cccd.field_{field}"))) from None


def _sex(value: str) -> bool | None:
    folded = value.strip().lower()
    if folded in ("nam", "male", "m"):
        return True
    if folded in ("nữ", "nu", "nư", "female", "f"):
        return False
    return None


def parse_scan(line: str) -> CccdScan:
    """The fields of a scanned CCCD line, or :class:`ScanError` saying what is wrong."""
    parts = [p.strip() for p in line.strip().split(SEPARATOR)]
    if len(parts) == 6 and not (parts[1].isdigit() or parts[1] == ""):
        parts.insert(1, "")  # a card whose QR leaves the old id out
    if len(parts) < 3 or len(parts) > 8:
        raise ScanError(t("cccd.not_a_card"))
    parts += [""] * (7 - len(parts))
    number, old_id, name, birth, sex, address, issued = parts[:7]
    if not (number.isdigit() and len(number) == 12):
        raise ScanError(t("cccd.not_a_card"))
    if old_id and not (old_id.isdigit() and len(old_id) in (9, 12)):
        raise ScanError(t("cccd.bad_old_id"))
    born = _date(birth, "birth")
    info, problems = check_cccd(number, born.year if born else None)
    errors = [p for p in problems if not p.warning]
    if info is None or errors:
        raise ScanError(t("cccd.bad_number", detail=errors[0].message if errors else ""))
    full_name = clean(name)
    if not full_name or any(ch.isdigit() for ch in full_name):
        raise ScanError(t("cccd.bad_name"))
    issued_on = _date(issued, "issued")
    today = clock.today()
    if (born and born > today) or (issued_on and issued_on > today):
        raise ScanError(t("cccd.future_date"))
    male = _sex(sex)
    if male is None and not sex:
        male = info.male  # the century-and-sex digit says it
    return CccdScan(
        number=number,
        old_id=old_id,
        name=full_name,
        birth=born,
        male=male,
        address=clean(address),
        issued=issued_on,
    )


# --- the keyed hash ------------------------------------------------------------------


def secret_path(configured: str, agency_code: str) -> Path:
    """Where the center's secret lives: the configured file, else the user data dir."""
    if configured:
        return Path(configured).expanduser()
    from platformdirs import user_data_path

    return user_data_path("desk") / f"person-key-{agency_code}"


def load_secret(path: Path) -> bytes:
    """The center's secret, created (32 random bytes, mode 0600) on first use."""
    try:
        return path.read_bytes()
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first: use theirs
        return path.read_bytes()
    with os.fdopen(fd, "wb") as fh:
        fh.write(key)
    return key


def person_key(number: str, secret: bytes) -> str:
    """The keyed hash that stands for a CCCD number on a ticket (hex, 64 chars)."""
    return hmac.new(secret, number.encode("ascii"), hashlib.sha256).hexdigest()
