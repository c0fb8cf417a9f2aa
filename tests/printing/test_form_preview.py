"""A form's ``.txt`` preview is the printed form, line for line, at the paper's own
width: 42 columns on 80 mm (TM-T88V), 32 on 58 mm, not a width of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.center.config import Config
from desk.printing.preview import paper_columns, write_document_preview
from desk.printing.render import decode_cp1258, render_document
from tests.escpos_decode import decode
from tests.printing.test_printing import documents


def on_paper(config: Config, profile: str, paper_mm: int, folder: Path) -> Config:
    printer = config.printer.model_copy(
        update={
            "profile": profile,
            "paper_mm": paper_mm,
            "vietnamese": "codepage",
            "preview_dir": str(folder),
        }
    )
    return config.model_copy(update={"printer": printer})


@pytest.mark.parametrize(
    ("profile", "paper_mm", "columns"), [("TM-T88V", 80, 42), ("POS-5890", 58, 32)]
)
@pytest.mark.parametrize("kind", ["receipt", "supplement", "refusal", "apology"])
def test_the_form_preview_is_laid_out_at_the_papers_width(
    config: Config, tmp_path: Path, profile: str, paper_mm: int, columns: int, kind: str
) -> None:
    config = on_paper(config, profile, paper_mm, tmp_path)
    assert paper_columns(config) == columns
    doc = documents(config)[kind]
    preview = write_document_preview(config, doc).read_text(encoding="utf-8").splitlines()
    decoded = decode(render_document(doc, config.printer))
    printed = [ln for ln in decode_cp1258(decoded.text).splitlines() if ln.strip()]
    # the printed QR codes are images: the preview shows "[QR]" over their content,
    # broken at the paper's width (a URL has no spaces)
    shown = [ln for ln in preview if ln.strip()]
    [payload] = {block.value for block in doc.blocks if block.kind == "qr"} or {""}
    while "[QR]".center(columns).rstrip() in shown:
        at = shown.index("[QR]".center(columns).rstrip())
        end, content = at + 1, ""
        while content != payload:
            content += shown[end].strip()
            end += 1
        del shown[at:end]
    assert [ln.strip() for ln in shown] == [ln.strip() for ln in printed]
    # the longest line is the printed layout's longest (a word longer than the paper,
    # such as a URL, stays whole on both)
    assert max(len(ln) for ln in shown) == max(len(ln.rstrip()) for ln in printed), (
        max(shown, key=len),
        max(printed, key=lambda ln: len(ln.rstrip())),
    )
