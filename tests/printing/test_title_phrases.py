"""A form's title is printed double width, 21 characters on the demo's 42-column
paper: broken anywhere, Mẫu 02 read "PHIẾU YÊU CẦU BỔ / SUNG, HOÀN THIỆN HỒ / SƠ"
on the paper and its preview. It breaks between its phrases now."""

from __future__ import annotations

import pytest

from desk.center.config import Config
from desk.dossiers.forms import kept_phrases
from desk.printing.preview import paper_columns
from desk.printing.render import printed_lines, title_lines
from tests.printing.test_printing import documents


def title_of(config: Config, kind: str) -> list[str]:
    """The double-width lines of the first copy of ``kind``, as printed."""
    lines = printed_lines(documents(config)[kind], paper_columns(config))
    start = next(i for i, line in enumerate(lines) if line.size == 2)
    end = next(i for i in range(start, len(lines)) if lines[i].size != 2)
    return [line.text for line in lines[start:end]]


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        ("supplement", ["PHIẾU YÊU CẦU", "BỔ SUNG,", "HOÀN THIỆN HỒ SƠ"]),
        ("refusal", ["PHIẾU TỪ CHỐI", "TIẾP NHẬN GIẢI QUYẾT", "HỒ SƠ"]),
        ("apology", ["PHIẾU XIN LỖI", "VÀ HẸN LẠI NGÀY", "TRẢ KẾT QUẢ"]),
        ("receipt", ["GIẤY TIẾP NHẬN HỒ SƠ", "VÀ HẸN TRẢ KẾT QUẢ"]),
    ],
)
def test_a_forms_title_breaks_between_its_phrases(
    config: Config, kind: str, expected: list[str]
) -> None:
    assert paper_columns(config) == 42
    assert title_of(config, kind) == expected


def test_a_phrase_wider_than_the_line_breaks_between_words() -> None:
    """On a paper too narrow for a phrase, the title still fits, word by word."""
    title = kept_phrases("PHIẾU XIN LỖI", "VÀ HẸN LẠI NGÀY")
    assert title_lines(title, 10) == ["PHIẾU XIN", "LỖI VÀ HẸN", "LẠI NGÀY"]
    assert all("\u00a0" not in line for line in title_lines(title, 21))


def test_a_components_counts_break_between_counts_not_inside_one(config: Config) -> None:
    """Mẫu 01's component counts read "Bản chính: 1 · Bản chứng thực: 0 · Bản" /
    "photo: 0" at 42 columns: each "Bản photo: 0" stays on one line now."""
    lines = [line.text for line in printed_lines(documents(config)["receipt"], 42)]
    counts = [text.strip() for text in lines if "Bản chính:" in text or "Bản photo:" in text]
    assert counts, lines
    for text in lines:
        assert not text.rstrip().endswith(" Bản"), text
        assert not text.strip().startswith(("photo:", "chứng thực:", "chính:")), text
    assert "Bản photo: 0" in counts
