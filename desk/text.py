"""Text helpers shared by search, printing and the screens."""

from __future__ import annotations

import unicodedata
from typing import Any

_CONTROL_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def unaccent(value: str) -> str:
    """Vietnamese without its marks, case kept: ``Nguyễn Văn Đức`` → ``Nguyen Van Duc``
    (the one accent-folding rule: search keys and printers without the code page)."""
    value = value.replace("đ", "d").replace("Đ", "D")
    value = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in value if not unicodedata.combining(ch))


def fold(value: str) -> str:
    """Lower-case, accent-free, single-spaced: ``Đăng ký Khai sinh`` → ``dang ky khai sinh``."""
    return " ".join(unaccent(value).lower().split())


def clean(value: str) -> str:
    """Text typed by people with control and format characters removed (so it can
    never carry printer or terminal commands) and white space collapsed."""
    kept = "".join(
        " " if ch in "\t\n\r" else ch
        for ch in value
        if ch in "\t\n\r" or unicodedata.category(ch) not in _CONTROL_CATEGORIES
    )
    return " ".join(kept.split())


def shown(value: str) -> str:
    """Text read from a file, safe to quote in a message: every control or format
    character is written as an escape (``\\x1b``, ``\\u202e``), so a crafted file
    cannot retitle, clear or recolour the terminal that shows the message."""
    return "".join(
        ch.encode("unicode_escape").decode("ascii")
        if unicodedata.category(ch) in _CONTROL_CATEGORIES
        else ch
        for ch in value
    )


TYPED_SHOWN = 40
"""Characters of a query named back in a message (a scanned URL can be long)."""


def typed_back(query: str) -> str:
    """What was typed, as one plain line to name it in a message."""
    text = clean(query)
    return text if len(text) <= TYPED_SHOWN else text[: TYPED_SHOWN - 1] + "…"


SPREADSHEET_FORMULA = ("=", "+", "-", "@", "\t", "\r")
"""First characters a spreadsheet reads as the start of a formula."""


def keep_as_text(cell: Any) -> None:
    """An openpyxl cell holding a string stays text in the workbook: openpyxl stores a
    string that begins with ``=`` as a formula."""
    if isinstance(cell.value, str):
        cell.data_type = "s"


def spreadsheet_text(value: str) -> str:
    """A cell of a CSV meant for a spreadsheet: text that would begin a formula
    (``=HYPERLINK(…)`` typed as a name) is kept as text with a leading ``'``."""
    return f"'{value}" if value.startswith(SPREADSHEET_FORMULA) else value
