"""The translation layer: every user-facing string goes through :func:`t`.

Catalogs live in ``desk/locale/<lang>/*.toml`` as nested tables, one file per part
of the app (``core.toml``, ``reports.toml``…), merged into one catalog; a top-level
table may be defined in one file only. A key is the dotted path (``kiosk.title``).
Vietnamese (``vi``) is the default language, English (``en``) is chosen with
``language = "en"`` in the configuration.

A key missing from the active catalog renders as ``⟦key⟧`` so it is visible on
screen and in tests (which fail on that marker), never silently as English.

:func:`t` parses only the file that holds the key's table (found by the table
headers, read without parsing), so a role's first frame parses ``core.toml`` alone;
a key found in no file so named, or missing from it, is looked up in the whole
catalog (:func:`catalog`, which also checks that no table is in two files). A role
loads the whole catalog in its start-up worker, behind its first frame.
"""

from __future__ import annotations

import re
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


def _files(language: str) -> list[Path]:
    return sorted((_LOCALE_DIR / language).glob("*.toml"))


def _parse(path: Path) -> dict[str, Any]:
    with path.open("rb") as fh:
        return tomllib.load(fh)


@cache
def _table_files(language: str) -> dict[str, Path]:
    """Which file holds each top-level table, by the table headers alone."""
    owner: dict[str, Path] = {}
    for path in _files(language):
        for table in _TABLE_HEADER.findall(path.read_text(encoding="utf-8")):
            owner.setdefault(table, path)
    return owner


@cache
def _file_messages(path: Path) -> dict[str, str]:
    out: dict[str, str] = {}
    _flatten("", _parse(path), out)
    return out


def _message(language: str, key: str) -> str | None:
    """The template of ``key``: from the file of its table, else the whole catalog."""
    whole = _catalogs.get(language)
    if whole is None:
        path = _table_files(language).get(key.partition(".")[0])
        template = _file_messages(path).get(key) if path is not None else None
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
    template = _message(_language, key)
    if template is None:
        return f"{MISSING_OPEN}{key}{MISSING_CLOSE}"
    return template.format(**params) if params else template
