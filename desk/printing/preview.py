"""Plain-text previews of tickets (the printer's stand-in)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from desk.center.config import Config
from desk.dossiers.forms import Document, ticket_document
from desk.printing.transport import write_private

if TYPE_CHECKING:
    from desk.printing.render import Line


class _Ticket(Protocol):
    @property
    def number(self) -> str: ...
    @property
    def is_priority(self) -> bool: ...
    @property
    def issued_at(self) -> datetime: ...


class IssuedTicket(Protocol):
    """What a printed ticket shows; the queue's ``IssuedTicket`` has this shape
    (printing does not import the queue)."""

    @property
    def ticket(self) -> _Ticket: ...
    @property
    def ahead(self) -> int | None: ...
    @property
    def wait_minutes(self) -> int | None: ...
    @property
    def counters_open(self) -> int | None: ...


def preview_dir(config: Config) -> Path:
    if config.printer.preview_dir:
        return Path(config.printer.preview_dir)
    from platformdirs import user_data_path

    return user_data_path("desk") / "preview"


def paper_columns(config: Config) -> int:
    """Characters per line of the configured paper (``printer.chars_per_line``, else
    the profile's and the paper's): the printer lays out at this width, and so does
    every preview."""
    from desk.printing.render import paper_of

    return paper_of(config.printer).columns


def printed_text(config: Config, document: Document) -> str:
    """A ticket or a form as the printer prints it (every copy, laid out at the
    paper's columns by :func:`desk.printing.render.printed_lines`), as plain text."""
    return paper_text(document, paper_columns(config))


def paper_rows(document: Document, width: int) -> list[PaperRow]:
    """The rows of text a ticket or a form prints, every copy, ``width`` columns wide:
    :func:`desk.printing.render.printed_lines` (what the printer prints) as the
    preview files and the receipt on screen show it (:func:`text_rows`)."""
    from desk.printing.render import printed_lines

    return text_rows(printed_lines(document, width), width)


def paper_text(document: Document, width: int) -> str:
    """:func:`paper_rows` as plain text, one row a line."""
    return "\n".join(row.text for row in paper_rows(document, width)) + "\n"


def ticket_text(config: Config, issued: IssuedTicket, service_name: str) -> str:
    """The ticket as the printer prints it (:func:`ticket_document` laid out at the
    paper's columns), as plain text."""
    return printed_text(config, issued_ticket(config, issued, service_name))


def issued_ticket(config: Config, issued: IssuedTicket, service_name: str) -> Document:
    """The printed ticket of ``issued`` (the kiosk prints it, its preview shows it)."""
    ticket = issued.ticket
    return ticket_document(
        config,
        ticket.number,
        service_name,
        ticket.issued_at,
        issued.ahead,
        ticket.is_priority,
        issued.wait_minutes,  # the estimate the kiosk's screen shows with it
        issued.counters_open,
    )


@dataclass(frozen=True)
class PaperRow:
    """One row of a printed document as text: what the row says, and whether the
    paper prints it bold (headings, titles, the signature captions)."""

    text: str
    bold: bool = False


def text_rows(lines: list[Line], width: int) -> list[PaperRow]:
    """Printed lines as rows of text ``width`` columns wide; a cut between two copies
    is an empty row, the printed QR code "[QR]" over its content in rows of ``width``
    (:func:`qr_text`; a QR code is an image on paper: text can only name it and what
    it holds)."""
    out: list[PaperRow] = []
    for i, line in enumerate(lines):
        if line.kind == "text":
            shown = line.text.center(width).rstrip() if line.align == "center" else line.text
            out.append(PaperRow(shown, line.bold))
        elif line.kind == "qr":
            out += [
                PaperRow(part.center(width).rstrip())
                for part in ["[QR]", *qr_text(line.text, width)]
            ]
        elif line.kind == "feed" or (line.kind == "cut" and i < len(lines) - 1):
            out.append(PaperRow(""))
    return out


def qr_text(content: str, width: int) -> list[str]:
    """What a QR code holds as rows of ``width``: a web address goes on on the next
    row where it may break (:func:`desk.printing.render.wrap`: at a dot, a slash, …;
    it was cut at the width, "…gov." / "vn/tra-cuu…"); only a run with no such place
    longer than a row is cut. The rows joined are the content (one with no spaces)."""
    from desk.printing.render import wrap

    rows = []
    for row in wrap(content, width) if content else []:
        rows += [row[at : at + width] for at in range(0, len(row), width)]
    return rows


def write_ticket_preview(config: Config, issued: IssuedTicket, service_name: str) -> Path:
    folder = preview_dir(config)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    stamp = issued.ticket.issued_at.strftime("%Y%m%d")
    path = folder / f"ticket-{stamp}-{issued.ticket.number}.txt"
    write_private(path, ticket_text(config, issued, service_name))
    return path


def write_document_preview(config: Config, document: Document) -> Path:
    """A form (receipt, supplement request, …) as text, one file per document: the
    lines the paper shows, at the paper's width."""
    folder = preview_dir(config)
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        # A dossier's second supplement slip is its own paper (<code>/HDHS-2): its own file.
        name = document.field("Số").replace("/", "-")
    except KeyError:
        name = document.code
    path = folder / f"{document.kind}-{name}.txt"
    write_private(path, printed_text(config, document))
    return path
