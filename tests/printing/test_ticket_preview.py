"""The kiosk's ticket preview (``ticket-*.txt``) is the printed ticket, line for line:
the same lines wrapped at the paper's columns, the same priority line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import pytest

from desk.center.config import Config
from desk.dossiers.forms import ticket_document
from desk.printing.preview import ticket_text, write_ticket_preview
from desk.printing.render import decode_cp1258, paper_of, render_document
from tests.escpos_decode import decode


@dataclass(frozen=True)
class Ticket:
    number: str
    is_priority: bool
    issued_at: datetime


@dataclass(frozen=True)
class Issued:
    ticket: Ticket
    ahead: int | None
    wait_minutes: int | None = None
    counters_open: int | None = None


AT = datetime(2026, 11, 23, 9, 5)


def on_paper(config: Config, profile: str, paper_mm: int) -> Config:
    printer = config.printer.model_copy(
        update={"profile": profile, "paper_mm": paper_mm, "vietnamese": "codepage"}
    )
    return config.model_copy(update={"printer": printer})


@pytest.mark.parametrize(("profile", "paper_mm"), [("POS-5890", 58), ("TM-T88V", 80)])
@pytest.mark.parametrize("priority", [True, False], ids=["priority", "ordinary"])
def test_the_preview_reads_as_the_printed_ticket(
    config: Config, profile: str, paper_mm: int, priority: bool
) -> None:
    long_name = "Trung tâm Phục vụ hành chính công phường Lê Chân, thành phố Hải Phòng"
    config = on_paper(config, profile, paper_mm)
    config = config.model_copy(
        update={"center": config.center.model_copy(update={"name": long_name})}
    )
    issued = Issued(Ticket("A012", priority, AT), 3)
    preview = ticket_text(config, issued, "Hộ tịch")
    doc = ticket_document(config, "A012", "Hộ tịch", AT, 3, priority)
    printed = decode_cp1258(decode(render_document(doc, config.printer)).text)
    assert [ln.strip() for ln in preview.splitlines()] == [
        ln.strip() for ln in printed.rstrip("\n").splitlines()
    ]
    width = paper_of(config.printer).columns
    lines = preview.splitlines()
    assert all(len(ln) <= width for ln in lines)
    # the center's name wraps at the paper's columns, on word boundaries
    name_lines = lines[: lines.index("-" * width)]
    assert len(name_lines) >= 2 and " ".join(ln.strip() for ln in name_lines) == long_name
    assert ("*** ƯU TIÊN ***" in preview) is priority
    assert "★" not in preview


def test_the_kiosk_preview_file_is_the_ticket_text(config: Config, tmp_path: Path) -> None:
    printer = config.printer.model_copy(update={"preview_dir": str(tmp_path)})
    config = config.model_copy(update={"printer": printer})
    issued = Issued(Ticket("B001", True, AT), 0)
    path = write_ticket_preview(config, issued, "Chứng thực")
    assert path == tmp_path / "ticket-20261123-B001.txt"
    assert path.read_text(encoding="utf-8") == ticket_text(config, issued, "Chứng thực")
    assert "*** ƯU TIÊN ***" in path.read_text(encoding="utf-8")
