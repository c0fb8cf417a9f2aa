"""Where the printed receipt's lines break: "Quyển số: 2026" and "Số thứ tự: 01"
each on one line (it read "… Số / thứ tự: 01"); "tại" with the look-up page it
names (it stood alone on a line, the page's address too long to follow it); a web
address going on on the next line at a dot or a slash, on paper and under the QR
code of the preview (it was cut at the paper's width, "…H3" / "1-261123-0001")."""

from __future__ import annotations

import itertools

import pytest

from desk.center.config import Config
from desk.dossiers.forms import receipt
from desk.printing.preview import paper_text
from desk.printing.render import wrap
from tests.printing.test_printing import documents, facts

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


@pytest.mark.parametrize("width", WIDTHS)
def test_tai_goes_with_the_look_up_page_and_no_row_is_wider_than_the_paper(
    config: Config, width: int
) -> None:
    rows = first_copy(config, width)
    assert "tại" not in rows
    assert any("tại dichvucong" in row for row in rows), rows
    printed = paper_text(documents(config)["receipt"], width).splitlines()
    assert [row for row in printed if len(row) > width] == []
    # the page's address is all there, the rows joined where it goes on
    at = next(i for i, row in enumerate(rows) if "tại dichvucong" in row)
    assert "tại dichvucong.haiphong.gov.vn/tra-cuu-ho-so" in "".join(rows[at : at + 2])
    # between its parts, not inside one: "…/tra-cuu-ho" / "-so" was copied without "-"
    assert any("tra-cuu-ho-so" in row for row in rows[at : at + 2]), rows[at : at + 2]


@pytest.mark.parametrize("width", [32, 42])
def test_a_named_look_up_page_keeps_tai_with_its_first_word(config: Config, width: int) -> None:
    named = config.model_copy(
        update={
            "printer": config.printer.model_copy(
                update={"lookup_page": "Cổng dịch vụ công Hải Phòng (dichvucong.haiphong.gov.vn)"}
            )
        }
    )
    rows = [row.strip() for row in paper_text(receipt(named, facts()), width).splitlines()]
    assert "tại" not in rows
    assert any("tại Cổng" in row for row in rows), rows


@pytest.mark.parametrize("width", WIDTHS)
def test_the_qr_codes_address_goes_on_at_a_dot_or_a_slash(config: Config, width: int) -> None:
    doc = documents(config)["receipt"]
    [payload] = [block.value for block in doc.blocks if block.kind == "qr"]
    rows = paper_text(doc, width).splitlines()
    at = rows.index("[QR]".center(width).rstrip()) + 1
    shown: list[str] = []
    while "".join(shown) != payload:
        assert len("".join(shown)) < len(payload), shown
        shown.append(rows[at + len(shown)].strip())
    assert all(len(row) <= width for row in shown), shown
    for before, after in itertools.pairwise(shown):
        # never inside a word of the address ("…H3" / "1-…"), and at a slash or a
        # question mark while the parts between them fit the paper ("…-ho" / "-so")
        assert not (before[-1].isalnum() and after[0].isalnum()), (before, after)
        assert before.endswith("//") or after[0] in "/?", (before, after)


def test_an_e_mail_address_and_a_short_name_with_a_dot_stay_whole() -> None:
    rows = wrap("Email: nguyen.van.an@mail.haiphong.gov.vn, TP.HCM", 20)
    assert "nguyen.van.an@mail.haiphong.gov.vn," in rows
    assert rows[-1] == "TP.HCM"
