"""Text that breaks between its phrases, never inside one.

Textual wraps a line at any space, so at 80 columns the counter's counts read
"… · đang" / "chờ 7" and its state line "(Enter on" / "arrival)". A :class:`PhraseLine`
is laid out for the width it is given, again when that width changes: a line takes as many
whole phrases as fit, and the next phrase starts the next line. Phrases are parted
by " · " and " — " (the separator is dropped where the line breaks), by the space
before "(" (an aside goes to the next line whole) and by the space after the end of
a sentence or a clause (:data:`SEPARATOR`). A single phrase wider than the width
still wraps at its spaces, as any text would.
"""

from __future__ import annotations

import re

from rich.cells import cell_len
from textual.events import Resize
from textual.widgets import Static

SEPARATOR = re.compile(r" [·—] | (?=\()|(?<=\w\w[.,;:]) |(?<=\)[.,;:]) ")
"""Where one phrase ends and the next begins (a break may go there): " · " and " — "
(dropped at a break), the space before "(" and the space after a sentence's or a
clause's end (". ", ", ", "; ", ": " after a word of two letters or more, or after
")"); not after "e.g." or "A." (an abbreviation goes on with what follows)."""


def pieces(paragraph: str) -> list[tuple[str, str]]:
    """``paragraph``'s phrases, each with the separator before it ("" for the first)."""
    out: list[tuple[str, str]] = []
    before, start = "", 0
    for match in SEPARATOR.finditer(paragraph):
        out.append((before, paragraph[start : match.start()]))
        before, start = match.group(), match.end()
    out.append((before, paragraph[start:]))
    return out


def pack(text: str, width: int) -> list[str]:
    """``text``'s lines at ``width`` cells, each broken between phrases only."""
    lines: list[str] = []
    for paragraph in text.split("\n"):
        line = ""
        for before, phrase in pieces(paragraph):
            joined = line + before + phrase
            if line and cell_len(joined) > width:
                lines.append(line)
                line = phrase
            else:
                line = joined if line else phrase
        lines.append(line)
    return lines


class PhraseLine(Static):
    """A line of text (or a few) broken between its phrases at the width it has,
    again whenever that width changes. Never markup: what it shows is shown as is."""

    def __init__(
        self, text: str = "", *, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(text, markup=False, id=id, classes=classes)
        self._text = text

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
        # not laid out yet (no width): as given; the first resize breaks it
        shown = "\n".join(pack(self._text, width)) if width > 0 else self._text
        if self.content != shown:
            self.update(shown)
