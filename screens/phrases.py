"""Text that wraps where a reader expects it to.

:class:`Phrases` lays out phrases joined by " · " ("Tickets: 4 · served: 3 ·
no-shows: 25.0 %"): a line breaks between two phrases, never inside one that fits a
line. A phrase wider than a whole line wraps between its words, and a number keeps
its unit ("100.0 %", "30 min" never end one line and start the next).

:class:`PhraseLine` is a Static that does the same for a line of running text (the
counter's state, counts, messages and dialogs: at 80 columns Textual broke them at
any space, "… · đang" / "chờ 7", "(Enter on" / "arrival)"). It finds the phrases
itself (:func:`pieces`: " · " and " — ", the space before "(", the space after the
end of a sentence or a clause) and lays them out again whenever its width changes;
what it shows stays plain text, never markup.

:func:`hanging` lays a line out under its head: a code, then a name whose further
lines start under the name's first letter, never back under the code (a hanging
indent: F6's search list and its components' names). :class:`Hanging` is the same
for a Rich renderable (an option list's entry), :class:`PhraseLine` with a ``head``
for a widget.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from rich.cells import cell_len
from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.text import Text
from textual.events import Resize
from textual.widgets import Static

SEPARATOR = " · "
UNITS = frozenset({"%", "min", "phút", "h", "giờ"})
"""Words that stay on the line of the number before them."""
_WORD = re.compile(r"\S+")
KEY_ASIDE = re.compile(r"\((?:F\d{1,2}|Esc|Enter|Tab|Ctrl\+\S+?|Alt\+\S+?)[,;)]")
"""An aside that names a key ("(F4)", "(F5, …"): it stays with the words before it,
which say what the key does; a line never starts with it."""


def split_phrases(text: str, separator: str = SEPARATOR) -> list[str]:
    """``text`` cut at each ``separator`` outside parentheses: "a (b · c) · d" is
    the two phrases "a (b · c)" and "d"."""
    out: list[str] = []
    depth = start = i = 0
    while i < len(text):
        char = text[i]
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and text.startswith(separator, i):
            out.append(text[start:i])
            i = start = i + len(separator)
            continue
        i += 1
    out.append(text[start:])
    return out


def _words(plain: str) -> list[tuple[int, int]]:
    """The (start, end) of each piece a line may not break inside: a word, a number
    and its unit, or a word and the key after it in parentheses ("vắng mặt (F4)")."""
    words: list[tuple[int, int]] = []
    for match in _WORD.finditer(plain):
        start, end = match.span()
        unit = match.group() in UNITS and plain[words[-1][1] - 1].isdigit() if words else False
        if words and (unit or KEY_ASIDE.match(match.group())):
            words[-1] = (words[-1][0], end)
        else:
            words.append((start, end))
    return words


def _cut(plain: str, start: int, end: int, width: int) -> Iterable[tuple[int, int]]:
    """A piece wider than the line, cut into pieces of at most ``width`` cells."""
    piece = start
    for i in range(start, end):
        if i > piece and cell_len(plain[piece : i + 1]) > width:
            yield piece, i
            piece = i
    yield piece, end


def wrap_phrase(phrase: Text, width: int) -> list[Text]:
    """``phrase`` in lines of at most ``width`` cells, broken between its words."""
    width = max(1, width)
    plain = phrase.plain
    if cell_len(plain) <= width:
        return [phrase.copy()]
    lines: list[Text] = []
    first: int | None = None
    last = 0
    for word in _words(plain):
        for start, end in _cut(plain, *word, width):
            if first is None:
                first, last = start, end
            elif cell_len(plain[first:end]) <= width:
                last = end
            else:
                lines.append(phrase[first:last])
                first, last = start, end
    if first is not None:
        lines.append(phrase[first:last])
    return lines or [Text()]


class Phrases:
    """Phrases on as few lines as the width allows, broken only between phrases
    (see the module's docstring)."""

    def __init__(
        self, phrases: Sequence[Text | str], separator: str = SEPARATOR, style: str = ""
    ) -> None:
        self.phrases = [Text(p) if isinstance(p, str) else p for p in phrases]
        self.separator = separator
        self.style = style

    def __str__(self) -> str:
        return self.separator.join(p.plain for p in self.phrases)

    def lines(self, width: int) -> list[Text]:
        width = max(1, width)
        out: list[Text] = []
        line: Text | None = None
        for phrase in self.phrases:
            if line is not None:
                if cell_len(line.plain + self.separator + phrase.plain) <= width:
                    line.append(self.separator)
                    line.append_text(phrase)
                    continue
                out.append(line)
            *full, line = wrap_phrase(phrase, width)
            out.extend(full)
        if line is not None:
            out.append(line)
        return out

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        plains = [p.plain for p in self.phrases]
        longest = max(
            (cell_len(p[s:e]) for p in plains for s, e in _words(p)),
            default=1,
        )
        return Measurement(longest, max(longest, cell_len(self.separator.join(plains))))

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = Text("\n", style=self.style).join(self.lines(options.max_width))
        text.no_wrap = True
        yield text


BREAK = re.compile(r" [·—] | (?=\()(?!" + KEY_ASIDE.pattern + r")|(?<=\w\w[.,;:]) |(?<=\)[.,;:]) ")
"""Where one phrase of running text ends and the next begins: " · " and " — "
(dropped at a break), the space before "(" (not before a key's aside,
:data:`KEY_ASIDE`: "đánh dấu vắng mặt (F4)" stays whole) and the space after a sentence's or a
clause's end (". ", ", ", "; ", ": " after a word of two letters or more, or after
")"); not after "e.g." or "A." (an abbreviation goes on with what follows), and
never inside parentheses (as :func:`split_phrases`)."""


LEGEND_BREAK = re.compile(r" [·—] |(?<=\w\w[.;]) |(?<=\)[.;]) ")
"""Where a legend's items part: " · " and " — ", and the space after a sentence's
or a clause's end (". ", "; "); never after the ": " between a term and its meaning
("Trễ: giải quyết trễ hạn" stays whole), nor after a ", " inside either."""


NAME_BREAK = re.compile(BREAK.pattern + r"|(?<= [/–]) (?=[^\s/–]+ [^\s/–])")
"""Where a name (a document's, a procedure's) parts, besides :data:`BREAK`: after
the " / " between alternatives and the " – " between parts, which stay at the end
of their line ("biên bản trẻ bị bỏ rơi /" then "văn bản mang thai hộ (nếu có)"),
when what follows is two words or more: "cha / mẹ / con" stays whole."""


LIST_BREAK = re.compile(BREAK.pattern + r"|(?<=,) |(?<= or) |(?<= hoặc) ")
"""Where the items of a list part, besides :data:`BREAK`: after every ", ", where
BREAK wants two letters before it (a clause's end): "★ Aged 80+, child under 6,"
then "severely disabled", not "… under 6, severely" then "disabled"; and after the
"or" ("hoặc") between two items, which stays at the end of its line: "★ Pregnant
woman or" then "parent with a small child", not "… with a small" then "child"."""


def pieces(paragraph: str, breaks: re.Pattern[str] = BREAK) -> list[tuple[str, str]]:
    """``paragraph``'s phrases, each with the separator before it ("" for the first)."""
    out: list[tuple[str, str]] = []
    before, start = "", 0
    for match in breaks.finditer(paragraph):
        head = paragraph[: match.start()]
        if head.count("(") > head.count(")"):
            continue  # inside an aside
        out.append((before, paragraph[start : match.start()]))
        before, start = match.group(), match.end()
    out.append((before, paragraph[start:]))
    return out


def pack(
    text: str, width: int, breaks: re.Pattern[str] = BREAK, balanced: bool = False
) -> list[str]:
    """``text``'s lines at ``width`` cells: each line as many whole phrases as fit,
    a phrase wider than a line broken between its words (:func:`wrap_words`, with
    ``balanced``)."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line: str | None = None
        for before, phrase in pieces(paragraph, breaks):
            if line is not None:
                if cell_len(line + before + phrase) <= width:
                    line += before + phrase
                    continue
                lines.append(line)
            *full, last = wrap_words(phrase, width, balanced)
            lines.extend(full)
            line = last
        lines.append(line or "")
    return lines


def longest_word(text: str) -> int:
    """The cells of ``text``'s widest word: no line breaking between words is narrower."""
    return max((cell_len(text[s:e]) for s, e in _words(text)), default=0)


def wrap_words(text: str, width: int, balanced: bool = False) -> list[str]:
    """``text`` broken between its words (:func:`wrap_phrase`). ``balanced``: on as
    many lines, but as even as they can be, so no word is left alone on the last
    ("… cấp hoặc chứng" then "nhận"): the narrowest width that needs no more lines
    (the fewest lines a greedy wrap needs only grows as the width shrinks)."""
    lines = [part.plain for part in wrap_phrase(Text(text), width)]
    narrowest = longest_word(text)
    if not balanced or len(lines) < 2 or narrowest > width:
        return lines
    low, high = narrowest, width  # ``high`` always needs no more lines
    while low < high:
        middle = (low + high) // 2
        if len(wrap_phrase(Text(text), middle)) <= len(lines):
            high = middle
        else:
            low = middle + 1
    return [part.plain for part in wrap_phrase(Text(text), high)]


MIN_HANGING = 12
"""Fewer cells than this right of the head: the lines start at the left edge again
(a name in a column a few letters wide reads worse than one under its code)."""


def hanging(
    head: str,
    body: str,
    width: int,
    breaks: re.Pattern[str] | None = BREAK,
    balanced: bool = False,
) -> list[str]:
    """``head`` then ``body`` in lines of at most ``width`` cells, ``body``'s further
    lines under its first character. ``body`` breaks between its phrases
    (:func:`pack` with ``breaks``), or with ``breaks=None`` simply between its words
    (as few lines as possible, for a list of a few rows); ``balanced``: see
    :func:`wrap_words`."""
    width = max(1, width)
    indent = cell_len(head)
    room = width - indent
    if room < MIN_HANGING:
        return wrap(head + body, width, breaks, balanced)
    first, *rest = wrap(body, room, breaks, balanced)
    return [head + first, *(" " * indent + line for line in rest)]


def wrap(
    text: str, width: int, breaks: re.Pattern[str] | None = BREAK, balanced: bool = False
) -> list[str]:
    """``text`` at ``width`` cells: between phrases (:func:`pack`), or only between
    words with ``breaks=None``."""
    if breaks is not None:
        return pack(text, width, breaks, balanced)
    return wrap_words(text, width, balanced)


PROCEDURE_WORD = re.compile(r"^thủ tục\s+", re.IGNORECASE)
"""The word most procedure names of the catalogue begin with."""


def short_procedure(name: str) -> str:
    """A procedure's name without the word most names begin with ("Thủ tục đăng ký
    khai sinh" → "Đăng ký khai sinh"): where names are cut or listed, it only takes
    the room of the words that tell them apart."""
    short = PROCEDURE_WORD.sub("", name, count=1)
    return short[:1].upper() + short[1:]


class Hanging:
    """A head and a body laid out by :func:`hanging` at the width the renderable is
    given (an option list's entry: a procedure's code and its name): the body broken
    between its phrases (:data:`BREAK`) when that takes no more lines than breaking
    it between words, since a list shows few rows; either way balanced
    (:func:`wrap_words`: no word alone on the last line). Each further ``parts``
    starts a line of its own, under the body (F8's list: the applicant and the
    status, then the procedure)."""

    def __init__(self, head: str, body: str, *parts: str) -> None:
        self.head = head
        self.body = body
        self.parts = parts

    def __str__(self) -> str:
        return " ".join((self.head + self.body, *self.parts))

    def lines(self, width: int) -> list[str]:
        lines: list[str] = []
        for n, body in enumerate((self.body, *self.parts)):
            head = self.head if n == 0 else " " * cell_len(self.head)
            by_word = hanging(head, body, width, None, balanced=True)
            by_phrase = hanging(head, body, width, BREAK, balanced=True)
            lines += by_phrase if len(by_phrase) <= len(by_word) else by_word
        return lines

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        bodies = (self.body, *self.parts)
        indent = cell_len(self.head)
        return Measurement(
            indent + max(longest_word(b) for b in bodies),
            indent + max(cell_len(b) for b in bodies),
        )

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        text = Text("\n".join(self.lines(options.max_width)))
        text.no_wrap = True
        yield text


class PhraseLine(Static):
    """Running text broken between its phrases at the width it has, again whenever
    that width changes. Never markup: what it shows is shown as is.

    With a ``head`` (a code before a name), the text's further lines start under its
    first character, not under the head (:func:`hanging`); ``balanced``: a phrase
    wider than a line is broken into even lines (:func:`wrap_words`)."""

    def __init__(
        self,
        text: str = "",
        *,
        id: str | None = None,
        classes: str | None = None,
        breaks: re.Pattern[str] = BREAK,
        head: str = "",
        balanced: bool = False,
    ) -> None:
        super().__init__(head + text, markup=False, id=id, classes=classes)
        self._text = text
        self._breaks = breaks
        self._head = head
        self._balanced = balanced

    @property
    def text(self) -> str:
        """The text shown, as given (without the breaks laid out for the width)."""
        return self._text

    def show(self, text: str) -> None:
        """Show ``text``, broken between phrases (nothing is redrawn when unchanged)."""
        self._text = text
        self._lay_out()

    def on_mount(self) -> None:
        self._lay_out()

    def on_resize(self, _event: Resize) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.content_size.width
        head, text = self._head, self._text
        # not laid out yet (no width): as given; the first resize breaks it
        shown = (
            "\n".join(hanging(head, text, width, self._breaks, self._balanced))
            if width > 0
            else head + text
        )
        if self.content != shown:
            self.update(shown)
