"""Documents to ESC/POS bytes with python-escpos, in three ways of printing Vietnamese.

- ``codepage``: the printer's own Vietnamese code page (CP1258 where the profile
  has one). CP1258 holds a few precomposed vowels and writes the other tones as
  combining marks after the letter, so text is decomposed and recomposed to fit.
- ``image``: every text line drawn with DejaVu Sans (shipped in ``fonts/``, every
  Vietnamese glyph) into a raster image; works on any printer that prints images.
- ``ascii``: the accents dropped (``Nguyễn`` → ``Nguyen``); the last resort.

Layout follows the paper: characters per line come from ``printer.chars_per_line``,
else 32 on 58 mm paper, else the profile's Font A columns; text wraps on word
boundaries only, and a web address also at its dots and slashes. The dossier code
is also a QR code, native where the profile supports it, an image otherwise. Text
typed by people is cleaned of control characters here again, so it can never reach
the printer as a command.
"""

from __future__ import annotations

import copy
import re
import textwrap
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from desk.dossiers.forms import NO_BREAK, SIGN_HINT, Block, Document
from desk.text import clean, unaccent

if TYPE_CHECKING:
    from PIL.ImageFont import FreeTypeFont

FONTS = Path(__file__).with_name("fonts")
VIETNAMESE_CODEPAGES = ("CP1258",)
MODES = ("codepage", "image", "ascii")
ESC = b"\x1b"


class PrinterSettings(Protocol):
    """What drawing needs of a printer's settings (``[printer]``,
    :class:`desk.center.config.PrinterConfig`): a print child gets only these."""

    @property
    def profile(self) -> str: ...
    @property
    def paper_mm(self) -> int: ...
    @property
    def chars_per_line(self) -> int | None: ...
    @property
    def vietnamese(self) -> str: ...


class PrinterSetupError(Exception):
    """The configured profile cannot print the chosen way (e.g. no Vietnamese code page)."""


@dataclass(frozen=True)
class Paper:
    profile: str
    columns: int
    pixels: int
    codepage: int | None
    """ESC t number of CP1258 in the profile, if any."""
    native_qr: bool


@lru_cache(maxsize=16)
def paper_for(profile: str, paper_mm: int, chars_per_line: int | None) -> Paper:
    from desk.printing.capabilities import profile_data

    try:
        data = profile_data(profile)
    except KeyError:
        raise PrinterSetupError(
            f"printer.profile: python-escpos has no printer profile {profile!r}"
        ) from None
    fonts = data.get("fonts", {})
    font_a = fonts.get("0", {}).get("columns") if isinstance(fonts, dict) else None
    columns = chars_per_line or (32 if paper_mm == 58 else int(font_a or 42))
    width = data.get("media", {}).get("width", {}).get("pixels")
    pixels = width if isinstance(width, int) else (384 if paper_mm == 58 else 576)
    if paper_mm == 58:
        pixels = min(pixels, 384)
    codepage = None
    for number, name in data.get("codePages", {}).items():
        if name in VIETNAMESE_CODEPAGES:
            codepage = int(number)
            break
    native_qr = bool(data.get("features", {}).get("qrCode", False))
    return Paper(profile, columns, pixels, codepage, native_qr)


def paper_of(config: PrinterSettings) -> Paper:
    return paper_for(config.profile, config.paper_mm, config.chars_per_line)


# --- text encodings -----------------------------------------------------------------


def encode_cp1258(text: str) -> bytes:
    """Vietnamese text in Windows-1258: precomposed where the code page has the
    letter, else base letter + combining tone mark; unknown symbols become ``?``."""
    out = bytearray()
    for char in unicodedata.normalize("NFC", text):
        try:
            out += char.encode("cp1258")
            continue
        except UnicodeEncodeError:
            pass
        parts = unicodedata.normalize("NFD", char)
        base, marks = parts[0], parts[1:]
        # keep the vowel's own mark (â ê ô ơ ư ă) precomposed when cp1258 has it
        for i, mark in enumerate(marks):
            candidate = unicodedata.normalize("NFC", base + mark)
            if len(candidate) != 1:
                continue
            try:
                candidate.encode("cp1258")
            except UnicodeEncodeError:
                continue
            base, marks = candidate, marks[:i] + marks[i + 1 :]
            break
        try:
            out += base.encode("cp1258")
            out += marks.encode("cp1258")
        except UnicodeEncodeError:
            out += b"?"
    return bytes(out)


def decode_cp1258(data: bytes) -> str:
    return unicodedata.normalize("NFC", data.decode("cp1258"))


# --- layout -------------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    text: str
    align: str = "left"
    bold: bool = False
    size: int = 1
    """1 normal, 2 double height and width (titles), 6 the ticket number."""
    kind: str = "text"
    """text | qr | cut | feed"""


NUMBER_GROUPS = re.compile(r"\d+(?: \d+)+")
"""Digits in groups (``0225 3 846 123``, ``0912 345 678``): a phone number that
must not be broken across two lines of the paper."""

KEPT_NUMBER = 16
"""A run of digit groups up to this long stays on one line; a longer run is not a
phone number and wraps as words do."""


def _keep_numbers(text: str) -> str:
    return NUMBER_GROUPS.sub(
        lambda m: (
            m.group(0).replace(" ", NO_BREAK) if len(m.group(0)) <= KEPT_NUMBER else m.group(0)
        ),
        text,
    )


ADDRESS = re.compile(
    r"(?:[a-z][a-z\d+.-]*://|www\.)\S+|(?:[\w-]+\.)+[a-z]{2,}(?:/\S*|\b)", re.IGNORECASE
)
"""A web address in a word (``https://…``, ``www.…``, ``dvc.example.gov.vn/tra-cuu``)."""

ADDRESS_BREAKS = (
    re.compile(r"(?<=//)(?=[^/])|(?<![:/])(?=[/?#&])"),
    re.compile(r"(?<![:/])(?=\.)"),
    re.compile(r"(?<![:/])(?=[=_~%-])"),
)
"""Where a web address may go on on the next line, the first that gives pieces no
wider than the line: after ``//`` and before ``/``, ``?``, ``#`` or ``&``; then
before a ``.`` too; then before ``=``, ``_``, ``~``, ``%`` or ``-``. The next line
opening with one of them reads as the address going on, not as a new word, and
the address breaks between its parts before it breaks inside one (it broke at
"…/tra-cuu-ho" / "-so", which a citizen copied without the dash)."""


def _address_parts(address: str, width: int, lead: int, tail: int) -> list[str]:
    """``address`` in parts no wider than ``width`` where it can be, its first part
    after ``lead`` characters glued to it ("tại "), its last before ``tail``."""

    def room(i: int, parts: list[str]) -> int:
        return width - (lead if i == 0 else 0) - (tail if i == len(parts) - 1 else 0)

    parts = [address]
    for places in ADDRESS_BREAKS:
        if all(len(part) <= room(i, parts) for i, part in enumerate(parts)):
            break
        parts = [
            piece
            for i, part in enumerate(parts)
            for piece in ([part] if len(part) <= room(i, parts) else places.split(part))
            if piece
        ]
    return parts


def _address_pieces(word: str, width: int) -> list[str]:
    """A word (no breakable space in it) in the pieces a line may break between:
    the word itself, or, in a web address with a path or at least two dots (not
    an e-mail address), at its :data:`ADDRESS_BREAKS` places for a line of
    ``width``; what is joined to the address by a no-break space ("tại" + address)
    or punctuation stays with its first or last piece."""
    pieces = [""]
    at = 0
    for found in ADDRESS.finditer(word):
        address = found.group(0)
        e_mail = word[: found.start()].endswith("@") or word[found.end() :].startswith("@")
        if e_mail or ("/" not in address and address.count(".") < 2):
            continue  # "TP.HCM", "gmail.com", an e-mail address: not broken
        lead = len(pieces[-1]) + found.start() - at  # what its first part is glued to
        parts = _address_parts(address, width, lead, len(word) - found.end())
        pieces[-1] += word[at : found.start()] + parts[0]
        pieces += parts[1:]
        at = found.end()
    pieces[-1] += word[at:]
    return [p for p in pieces if p]


class _Wrapper(textwrap.TextWrapper):
    """textwrap's wrapping, with web addresses broken (:func:`_address_pieces`)."""

    def _split(self, text: str) -> list[str]:
        pieces = super()._split(text)
        return [piece for chunk in pieces for piece in _address_pieces(chunk, self.width)]


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """Word-boundary wrapping; a word longer than a line stays whole on its own line,
    but a web address goes on on the next line (it was kept whole, and the words
    before it stood alone on a line of their own), and a phone number written in
    groups of digits is never broken between lines."""
    wrapper = _Wrapper(
        width,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )
    # textwrap breaks at ASCII white space only: never at a NO_BREAK
    lines = wrapper.wrap(_keep_numbers(text)) or [""]
    return [line.replace(NO_BREAK, " ") for line in lines]


def clean_kept(text: str) -> str:
    """:func:`desk.text.clean`, which makes every white space a space, keeping the
    no-break spaces that hold a phrase together on paper (``forms.kept_phrases``)."""
    return NO_BREAK.join(clean(part) for part in text.split(NO_BREAK))


def _block_lines(block: Block, width: int) -> list[Line]:
    lines: list[Line] = []
    if block.kind == "heading":
        lines += [Line(t, bold=True) for t in wrap(clean(block.value), width)]
    elif block.kind == "field":
        text = f"{clean(block.label)}: {clean_kept(block.value)}"
        lines += [Line(t) for t in wrap(text, width, "  ")]
    elif block.kind == "text":
        lines += [Line(t) for t in wrap(clean_kept(block.value), width)]
    elif block.kind == "table":
        # Mẫu 01's component table opens with its columns' names (TT, Thành phần hồ
        # sơ, …); Mẫu 02's list of missing items has none: each of its rows, numbered
        # from 1, is an item (its first was taken for a header and never printed).
        rows = block.rows
        header = rows[0] if rows and rows[0] and not rows[0][0].isdigit() else []
        for row in rows[1:] if header else rows:
            cells = [clean(c) for c in row]
            if len(cells) == len(header) and len(cells) >= 5:
                lines += [Line(t) for t in wrap(f"({cells[0]}) {cells[1]}", width, "    ")]
                # each "Bản photo: 0" stays on one line: the line breaks at the "·"
                counts = " · ".join(
                    f"{clean(h)}: {c}".replace(" ", NO_BREAK)
                    for h, c in zip(header[2:], cells[2:], strict=False)
                )
                lines += [Line(t) for t in wrap("   " + counts, width, "   ")]
            else:
                lines += [Line(t) for t in wrap(". ".join(cells), width, "   ")]
    elif block.kind == "qr":
        lines.append(Line(clean(block.value), align="center", kind="qr"))
    elif block.kind == "signatures":
        captions = [clean(c) for c in block.label.split("|")]
        names = [clean(n) for n in block.value.split("|")] + [""] * len(captions)
        for caption, name in zip(captions, names, strict=False):
            lines.append(Line("", kind="feed"))
            lines += [Line(t, align="center", bold=True) for t in wrap(caption, width)]
            lines.append(Line(SIGN_HINT, align="center"))
            lines += [Line("", kind="feed")] * 3
            if name:
                lines += [Line(t, align="center") for t in wrap(name, width)]
    return lines


def title_lines(title: str, width: int) -> list[str]:
    """A form's title in lines of ``width``, broken between its phrases only (the
    words of a phrase are joined by no-break spaces, ``forms.kept_phrases``), or
    between any words when one phrase alone is wider than the line."""
    bound = clean_kept(title)
    if any(len(phrase) > width for phrase in bound.split(" ")):
        bound = bound.replace(NO_BREAK, " ")
    return wrap(bound, width)


def document_lines(doc: Document, width: int, copy_label: str = "") -> list[Line]:
    lines: list[Line] = []
    for text in doc.header_left:
        lines += [Line(t, align="center", bold=True) for t in wrap(clean(text), width)]
    lines.append(Line("-" * min(width, 16), align="center"))
    for i, text in enumerate(doc.header_right):
        lines += [Line(t, align="center", bold=i < 2) for t in wrap(clean(text), width)]
    lines.append(Line("", kind="feed"))
    lines += [
        Line(t, align="center", bold=True, size=2) for t in title_lines(doc.title, width // 2)
    ]
    code_line = f"Mã hồ sơ: {clean(doc.code)}"
    lines += [Line(t, align="center", bold=True) for t in wrap(code_line, width)]
    if copy_label:
        lines.append(Line(f"({clean(copy_label)})", align="center"))
    lines.append(Line("", kind="feed"))
    for block in doc.blocks:
        lines += _block_lines(block, width)
    lines.append(Line("", kind="cut"))
    return lines


def ticket_lines(doc: Document, width: int) -> list[Line]:
    """A queue ticket: a Document of kind "ticket" whose code is the number."""
    fields = {b.label: b.value for b in doc.blocks if b.kind == "field"}
    lines = [Line(t, align="center", bold=True) for t in wrap(clean(doc.header_left[0]), width)]
    lines.append(Line("-" * width, align="center"))
    lines += [Line(t, align="center") for t in wrap(clean(fields.get("service", "")), width)]
    # The screens name a priority ticket ★A012 (desk.queue.views.ticket_label); paper
    # cannot: CP1258, the Vietnamese code page of the profiles, has no ★ (nor has any
    # of their code pages but the Japanese CP932), so the code page and the ascii modes
    # would print "?A012", a number that is not on the board. Only the image mode could
    # draw it; a ticket reads the same whichever mode a center chose (and its preview
    # with it). So the number is printed as the board's digits, and the priority line,
    # bold and framed, stands right under it, unwrapped, in every mode.
    lines.append(Line(clean(doc.code), align="center", bold=True, size=6))
    if fields.get("priority"):
        lines.append(Line(f"*** {clean(fields['priority'])} ***", align="center", bold=True))
    for key in ("issued", "ahead", "wait", "guidance"):
        if fields.get(key):
            lines += [Line(t, align="center") for t in wrap(clean(fields[key]), width)]
    lines.append(Line("", kind="cut"))
    return lines


# --- rendering ----------------------------------------------------------------------


@lru_cache(maxsize=32)
def _font(size: int, bold: bool) -> FreeTypeFont:
    from PIL import ImageFont

    name = "DejaVuSans-Bold.ttf" if bold else "DejaVuSans.ttf"
    return ImageFont.truetype(str(FONTS / name), size)


def _line_image_rows(lines: list[Line], paper: Paper) -> Any:
    """Draw consecutive text lines into one 1-bit image the width of the paper."""
    from PIL import Image, ImageDraw

    base = max(16, paper.pixels // paper.columns * 2 - 2)  # a character cell ≈ width/columns
    heights = []
    for line in lines:
        if line.size >= 6:  # the ticket number, as wide as the paper allows
            size = max(base * 4, int(paper.pixels * 0.9 / max(1, len(line.text)) / 0.65))
        else:
            size = base * (2 if line.size == 2 else 1)
        font_size = size if line.size == 1 else int(size * 0.8)
        heights.append((size, int(font_size * 1.3)))
    total = sum(h for _, h in heights) or 1
    image = Image.new("1", (paper.pixels, total), 1)
    draw = ImageDraw.Draw(image)
    y = 0
    for line, (size, height) in zip(lines, heights, strict=True):
        if line.text:
            font = _font(size if line.size == 1 else int(size * 0.8), line.bold)
            width = draw.textlength(line.text, font=font)
            while width > paper.pixels and font.size > 8:
                font = _font(int(font.size * 0.9), line.bold)
                width = draw.textlength(line.text, font=font)
            if line.align == "center":
                x = max(0, (paper.pixels - width) / 2)
            elif line.align == "right":
                x = max(0, paper.pixels - width)
            else:
                x = 0
            draw.text((x, y), line.text, font=font, fill=0)
        y += height
    return image


def number_width(text: str, columns: int) -> int:
    """How many times wider than a character the ticket number prints: ESC/POS's
    largest (8), or what keeps the whole number on one line of ``columns``
    characters (``A1000`` on 58 mm paper, 32 columns: 6)."""
    return max(1, min(8, columns // max(1, len(text))))


def _escpos_text(printer: Any, line: Line, mode: str, columns: int) -> None:
    size = line.size
    if size >= 6:  # the ticket number: 8 characters tall, as wide as the line allows
        width = number_width(line.text, columns)
        printer.set(align=line.align, bold=True, custom_size=True, width=width, height=8)
    elif size == 2:
        printer.set(align=line.align, bold=line.bold, double_height=True, double_width=True)
    else:
        printer.set(align=line.align, bold=line.bold, normal_textsize=True)
    text = line.text
    if mode == "ascii":
        printer._raw(unaccent(text).encode("ascii", "replace") + b"\n")
    else:
        printer._raw(encode_cp1258(text) + b"\n")


def render_lines(lines: list[Line], paper: Paper, mode: str) -> bytes:
    from desk.printing.capabilities import prepare

    prepare()
    from escpos.printer import Dummy

    if mode not in MODES:
        raise PrinterSetupError(f"printer.vietnamese: expected one of {', '.join(MODES)}")
    if mode == "codepage" and paper.codepage is None:
        raise PrinterSetupError(
            f"printer.vietnamese = codepage, but profile {paper.profile!r} has no Vietnamese "
            "code page (CP1258); use image or ascii, or a profile that has one"
        )
    printer = Dummy(profile=paper.profile)
    # python-escpos prints a warning to stdout (it would corrupt the terminal UI) when
    # the profile does not know its width: give this printer's copy the paper's width.
    data = copy.deepcopy(printer.profile.profile_data)
    data.setdefault("media", {}).setdefault("width", {})["pixels"] = paper.pixels
    printer.profile.profile_data = data
    printer.hw("INIT")
    if mode == "codepage":
        assert paper.codepage is not None
        printer._raw(ESC + b"t" + bytes([paper.codepage]))
    pending: list[Line] = []

    def flush_images() -> None:
        if pending:
            printer.set(align="left", normal_textsize=True)
            printer.image(_line_image_rows(pending, paper), impl="bitImageRaster", center=False)
            pending.clear()

    for line in lines:
        if line.kind == "qr":
            flush_images()
            printer.set(align="center", normal_textsize=True)
            printer.qr(
                line.text,
                size=6 if paper.pixels >= 500 else 4,
                native=paper.native_qr,
                image_arguments=None
                if paper.native_qr
                else {"impl": "bitImageRaster", "center": True},
            )
            printer.set(align="left")
        elif line.kind == "cut":
            flush_images()
            printer.set(normal_textsize=True, align="left", bold=False)
            printer._raw(b"\n\n\n")
            printer.cut()
        elif line.kind == "feed":
            if mode == "image":
                pending.append(Line(""))
            else:
                printer._raw(b"\n")
        elif mode == "image":
            pending.append(line)
        else:
            _escpos_text(printer, line, mode, paper.columns)
    flush_images()
    return bytes(printer.output)


def render_document(doc: Document, config: PrinterSettings, mode: str | None = None) -> bytes:
    """The bytes of a document (every copy of a receipt, each cut off) or a ticket."""
    paper = paper_of(config)
    mode = mode or config.vietnamese
    return render_lines(printed_lines(doc, paper.columns), paper, mode)


def printed_lines(doc: Document, columns: int) -> list[Line]:
    """The lines of a ticket, or of every copy of a form (each ending in its cut),
    ``columns`` wide: what the printer prints and what a preview shows."""
    if doc.kind == "ticket":
        return ticket_lines(doc, columns)
    labels = doc.copy_labels or [""]
    lines: list[Line] = []
    for label in labels[: max(1, doc.copies)]:
        lines += document_lines(doc, columns, label)
    return lines


SAMPLE_LINES = (
    "Trung tâm Phục vụ hành chính công",
    "Giấy tiếp nhận hồ sơ và hẹn trả kết quả",
    "Nguyễn Thị Ánh Nguyệt, Đặng Hữu Phước",
    "ă â đ ê ô ơ ư · à á ả ã ạ · ề ế ể ễ ệ · ừ ứ ử ữ ự",
    "Ă Â Đ Ê Ô Ơ Ư · Ỳ Ý Ỷ Ỹ Ỵ · 0123456789",
)


def render_test_page(config: PrinterSettings) -> bytes:
    """One page per Vietnamese mode, each titled with the mode's name, so a center
    can see which one its printer gets right (``desk print test``)."""
    paper = paper_of(config)
    out = b""
    for mode in MODES:
        title = f"{MODES.index(mode) + 1}. printer.vietnamese = {mode}"
        lines = [Line(title, bold=True)]
        if mode == "codepage" and paper.codepage is None:
            lines.append(Line(f"(profile {paper.profile} has no Vietnamese code page)"))
            lines.append(Line("", kind="cut"))
            out += render_lines(lines, paper, "ascii")
            continue
        lines += [Line(t) for text in SAMPLE_LINES for t in wrap(text, paper.columns)]
        lines.append(Line("", kind="cut"))
        out += render_lines(lines, paper, mode)
    return out
