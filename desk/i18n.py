"""The translation layer: every user-facing string goes through :func:`t`.

Catalogs live in ``desk/locale/<lang>/*.toml`` as nested tables, one file per part
of the app (``core.toml``, ``reports.toml``…), merged into one catalog; a top-level
table may be defined in one file only. A key is the dotted path (``kiosk.title``).
Vietnamese (``vi``) is the default language, English (``en``) is chosen with
``language = "en"`` in the configuration.

Numbers with a fraction are written as the language writes them (:func:`decimal`):
``1,5`` in Vietnamese, ``1.5`` in English. Days and moments are written one way in
every language, as the center's papers write them (:func:`day_text`, :func:`moment_text`):
``23/11/2026``, ``14:05 23/11/2026``.

A key missing from the active catalog renders as ``⟦key⟧`` so it is visible on
screen and in tests (which fail on that marker), never silently as English.

:func:`t` parses only the key's table: the file that holds it and the table's
text in it are found by the table headers, read without parsing, so a role's first
frame parses the few tables it shows (``kiosk``, ``keys``…), not every file (a file
with multi-line strings, where a line may look like a header, is not cut so). A key
found in no table so named is looked up in the whole catalog (:func:`catalog`,
which also checks that no table is in two files). A role loads the whole catalog in
its start-up worker, behind its first frame.
"""

from __future__ import annotations

import re
import tomllib
from contextlib import suppress
from datetime import date, datetime
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
MISSING_OPEN = "⟦"
MISSING_CLOSE = "⟧"

DECIMAL_COMMA = frozenset({"vi"})
"""Languages that write a decimal comma (``1,5 ngày``, ``25,0 %``)."""

_LOCALE_DIR = Path(__file__).with_name("locale")
_language = DEFAULT_LANGUAGE
_TABLE_HEADER = re.compile(r"^\[\[?[ \t]*([A-Za-z0-9_-]+)[ \t]*[.\]]", re.MULTILINE)
_catalogs: dict[str, dict[str, str]] = {}
"""The whole catalog of each language loaded so far (:func:`catalog`)."""


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(path, value, out)
        else:
            out[path] = str(value)


@cache
def _files(language: str) -> list[Path]:
    return sorted((_LOCALE_DIR / language).glob("*.toml"))


def _parse(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@cache
def _sections(path: Path) -> dict[str, str]:
    """The text of each top-level table of ``path`` (its headers and their keys),
    or nothing for a file with multi-line strings."""
    text = path.read_text(encoding="utf-8")
    if '"""' in text or "'''" in text:
        return {}
    headers = list(_TABLE_HEADER.finditer(text))
    out: dict[str, str] = {}
    for header, following in zip(headers, [*headers[1:], None], strict=True):
        end = following.start() if following is not None else len(text)
        table = header.group(1)
        out[table] = out.get(table, "") + text[header.start() : end]
    return out


@cache
def _table(language: str, table: str) -> dict[str, str]:
    """The messages of one top-level table, from the first file that has it."""
    out: dict[str, str] = {}
    for path in _files(language):
        section = _sections(path).get(table)
        if section is not None:
            with suppress(tomllib.TOMLDecodeError):  # the whole catalog says where
                _flatten("", tomllib.loads(section), out)
            break
    return out


def _message(language: str, key: str) -> str | None:
    """The template of ``key``: from its table, else the whole catalog."""
    whole = _catalogs.get(language)
    if whole is None:
        template = _table(language, key.partition(".")[0]).get(key)
        if template is not None:
            return template
        whole = catalog(language)
    return whole.get(key)


def catalog(language: str) -> dict[str, str]:
    """All messages of one language, keyed by dotted path (read once)."""
    whole = _catalogs.get(language)
    if whole is None:
        whole = _catalogs[language] = _read_catalog(language)
    return whole


def _read_catalog(language: str) -> dict[str, str]:
    out: dict[str, str] = {}
    owner: dict[str, str] = {}
    for path in _files(language):
        data = _parse(path)
        for table in data:
            if table in owner:
                raise ValueError(
                    f"locale {language}: [{table}] is in both {owner[table]} and {path.name}"
                )
            owner[table] = path.name
        _flatten("", data, out)
    return out


def set_language(language: str) -> None:
    """Switch the active language (``vi`` or ``en``)."""
    global _language
    if language not in LANGUAGES:
        raise ValueError(f"unknown language {language!r} (known: {', '.join(LANGUAGES)})")
    _language = language


def get_language() -> str:
    return _language


def t(key: str, /, **params: object) -> str:
    """The message for ``key`` in the active language, formatted with ``params``."""
    return t_in(_language, key, **params)


def t_optional(key: str, /, **params: object) -> str | None:
    """:func:`t` for a message that may not exist (a key's optional explanation):
    None where the active catalog has no ``key``."""
    template = _message(_language, key)
    if template is None:
        return None
    return template.format(**params) if params else template


def t_in(language: str, key: str, /, **params: object) -> str:
    """The message for ``key`` in ``language`` whatever the active one (the printed
    forms are in Vietnamese in an English UI)."""
    template = _message(language, key)
    if template is None:
        return f"{MISSING_OPEN}{key}{MISSING_CLOSE}"
    return template.format(**params) if params else template


def decimal(value: float, places: int | None = None, language: str | None = None) -> str:
    """``value`` as a person reads it in ``language`` (the active one by default):
    with ``places`` decimals, or as few as it needs (``None``: 1.5, 2), and the
    decimal comma in Vietnamese (``1,5``), the point in English (``1.5``). Never a
    thousands separator: the figures people read here are small."""
    text = f"{value:g}" if places is None else f"{value:.{places}f}"
    if (language or _language) in DECIMAL_COMMA:
        text = text.replace(".", ",")
    return text


def day_text(day: date) -> str:
    """A day as the center's papers write it: ``23/11/2026``."""
    return f"{day:%d/%m/%Y}"


def moment_text(at: datetime) -> str:
    """A moment as the center's papers write it, time first: ``14:05 23/11/2026``."""
    return f"{at:%H:%M} {day_text(at)}"


def sheet_moment_text(at: datetime) -> str:
    """A moment in a file for a spreadsheet, the day first (``23/11/2026 14:05``), which
    a spreadsheet reads, sorts and filters as a time."""
    return f"{day_text(at)} {at:%H:%M}"
