"""The translation layer: every user-facing string goes through :func:`t`.

Catalogs live in ``desk/locale/<lang>/*.toml`` as nested tables, one file per part
of the app (``core.toml``, ``reports.toml``…), merged into one catalog; a top-level
table may be defined in one file only. A key is the dotted path (``kiosk.title``).
Vietnamese (``vi``) is the default language, English (``en``) is chosen with
``language = "en"`` in the configuration.

A key missing from the active catalog renders as ``⟦key⟧`` so it is visible on
screen and in tests (which fail on that marker), never silently as English.
"""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

LANGUAGES = ("vi", "en")
DEFAULT_LANGUAGE = "vi"
MISSING_OPEN = "⟦"
MISSING_CLOSE = "⟧"

_LOCALE_DIR = Path(__file__).with_name("locale")
_language = DEFAULT_LANGUAGE


def _flatten(prefix: str, table: dict[str, Any], out: dict[str, str]) -> None:
    for key, value in table.items():
        path = f"{prefix}.{key}" if prefix else key
        if isinstance(value, dict):
            _flatten(path, value, out)
        else:
            out[path] = str(value)


@cache
def catalog(language: str) -> dict[str, str]:
    """All messages of one language, keyed by dotted path."""
    out: dict[str, str] = {}
    owner: dict[str, str] = {}
    for path in sorted((_LOCALE_DIR / language).glob("*.toml")):
        with path.open("rb") as fh:
            data = tomllib.load(fh)
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


def t_in(language: str, key: str, /, **params: object) -> str:
    """The message for ``key`` in ``language`` whatever the active one (the printed
    forms are in Vietnamese in an English UI)."""
    template = catalog(language).get(key)
    if template is None:
        return f"{MISSING_OPEN}{key}{MISSING_CLOSE}"
    return template.format(**params) if params else template
