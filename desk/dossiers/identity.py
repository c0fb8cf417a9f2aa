"""Checks of what people type about themselves: CCCD numbers, phones, e-mail, names.

CCCD (thẻ căn cước / số định danh cá nhân), 12 digits ``PPP G YY RRRRRR``:
``PPP`` the province of birth registration (pre-2025 codes; other codes are
used for people born abroad, so an unknown one only warns), ``G`` the century and
sex digit (even male, odd female; 0/1 1900s, 2/3 2000s, …), ``YY`` the last two
digits of the birth year, six random digits. There is no check digit.

Phones are accepted as people write them (``0912 345 678``, ``912.345.678``,
``+84 912 345 678``, ``84912345678``) and stored in E.164 (``+84912345678``).

Each check returns a :class:`Problem` naming the field, with a message in the UI
language; ``warning`` problems are shown but do not block saving.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from desk import clock
from desk.i18n import t

# Administrative codes of the 63 provinces before the 2025 merger, as used in CCCD.
PROVINCE_CODES = frozenset(
    [
        "001",
        "002",
        "004",
        "006",
        "008",
        "010",
        "011",
        "012",
        "014",
        "015",
        "017",
        "019",
        "020",
        "022",
        "024",
        "025",
        "026",
        "027",
        "030",
        "031",
        "033",
        "034",
        "035",
        "036",
        "037",
        "038",
        "040",
        "042",
        "044",
        "045",
        "046",
        "048",
        "049",
        "051",
        "052",
        "054",
        "056",
        "058",
        "060",
        "062",
        "064",
        "066",
        "067",
        "068",
        "070",
        "072",
        "074",
        "075",
        "077",
        "079",
        "080",
        "082",
        "083",
        "084",
        "086",
        "087",
        "089",
        "091",
        "092",
        "093",
        "094",
        "095",
        "096",
    ]
)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class Problem:
    field: str
    message: str
    warning: bool = False


@dataclass(frozen=True)
class CccdInfo:
    number: str
    province: str
    male: bool
    birth_year: int


def _digits(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value)


def check_cccd(
    value: str, birth_year: int | None = None, field: str = "id_number"
) -> tuple[CccdInfo | None, list[Problem]]:
    """Check a CCCD number against its structure and, when given, the birth year."""
    number = _digits(value)
    if not number:
        return None, []
    if not number.isdigit():
        return None, [Problem(field, t("check.cccd_not_digits"))]
    if len(number) != 12:
        return None, [Problem(field, t("check.cccd_digits", count=len(number)))]
    province, g, yy = number[:3], int(number[3]), int(number[4:6])
    century = 1900 + 100 * (g // 2)
    year = century + yy
    problems: list[Problem] = []
    if year > clock.today().year:
        problems.append(Problem(field, t("check.cccd_future", digit=g, year=year)))
    elif birth_year is not None and birth_year != year:
        problems.append(
            Problem(
                field,
                t("check.cccd_birth_year", digit=g, yy=number[4:6], year=year, given=birth_year),
            )
        )
    if province not in PROVINCE_CODES:
        problems.append(Problem(field, t("check.cccd_province", code=province), warning=True))
    info = CccdInfo(number=number, province=province, male=g % 2 == 0, birth_year=year)
    return info, problems


def check_birth_year(value: str, field: str = "birth_year") -> tuple[int | None, list[Problem]]:
    value = value.strip()
    if not value:
        return None, []
    this_year = clock.today().year
    if not value.isdigit() or not 1900 <= int(value) <= this_year:
        return None, [Problem(field, t("check.birth_year", last=this_year))]
    return int(value), []


def preload() -> None:
    """Load the phone-number library and its Vietnamese data ahead (about half a
    second on first use), off the UI thread: the first check of a form then waits
    for nothing."""
    normalize_phone("0912345678")


def normalize_phone(value: str) -> str | None:
    """E.164 form of a Vietnamese (or +country) phone number, None if not a valid one."""
    import phonenumbers

    raw = re.sub(r"[\s.\-()]", "", value)
    if not raw:
        return None
    if raw.startswith("00"):
        raw = "+" + raw[2:]
    elif raw.startswith("84") and len(raw) in (11, 12):
        raw = "+" + raw
    try:
        parsed = phonenumbers.parse(raw, "VN")
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def check_phone(value: str, field: str = "phone") -> tuple[str, list[Problem]]:
    if not value.strip():
        return "", []
    e164 = normalize_phone(value)
    if e164 is None:
        return "", [Problem(field, t("check.phone"))]
    return e164, []


def display_phone(e164: str) -> str:
    """``+84912345678`` → ``0912 345 678`` for screens and paper."""
    if not e164:
        return ""
    import phonenumbers

    try:
        parsed = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    if parsed.country_code == 84:
        return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


def check_email(value: str, field: str = "email") -> tuple[str, list[Problem]]:
    value = value.strip()
    if not value:
        return "", []
    if not EMAIL_RE.match(value) or len(value) > 254:
        return "", [Problem(field, t("check.email"))]
    return value, []


def check_name(value: str, field: str = "name", required: bool = True) -> tuple[str, list[Problem]]:
    from desk.text import clean

    name = clean(value)
    if not name:
        return "", [Problem(field, t("check.name_required"))] if required else []
    if len(name) > 100:
        return "", [Problem(field, t("check.name_long"))]
    if any(ch.isdigit() for ch in name):
        return "", [Problem(field, t("check.name_digits"))]
    return name, []
