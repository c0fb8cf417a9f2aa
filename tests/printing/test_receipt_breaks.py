"""Where the printed receipt's lines break: "Quyển số: 2026" and "Số thứ tự: 01"
each on one line (it read "… Số / thứ tự: 01")."""

from __future__ import annotations

import pytest

from desk.center.config import Config
from desk.printing.preview import paper_text
from tests.printing.test_printing import documents

WIDTHS = [32, 42, 48]
"""58 mm paper, 80 mm paper, 80 mm with a smaller font (printer.chars_per_line)."""


def first_copy(config: Config, width: int) -> list[str]:
    """The receipt's first copy as the paper prints it, a row a line, unindented."""
    rows = paper_text(documents(config)["receipt"], width).split("\n\n\n")[0].splitlines()
    return [row.strip() for row in rows]


@pytest.mark.parametrize("width", WIDTHS)
def test_the_register_entry_breaks_between_its_phrases_only(config: Config, width: int) -> None:
    rows = first_copy(config, width)
    assert any("Quyển số: 2026" in row for row in rows), rows
    assert any("Số thứ tự: 01" in row for row in rows), rows
