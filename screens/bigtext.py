"""Large 3×3 glyphs for ticket numbers, for every letter A–Z, 0–9 and ★.

Textual's ``Digits`` draws only 0–9, A–F and a few symbols large; any other letter
falls back to one small character. A center may use any capital letter as a
service or priority prefix (``U`` for priority tickets, ``G`` for a seventh
service), so the kiosk, counter and board draw ticket numbers with this widget.
The digits and A–F match Digits' light style; the other letters use the same
box-drawing vocabulary so a number reads as one word from across the room.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.widget import Widget

# Each glyph: three rows of exactly three cells.
GLYPHS: dict[str, tuple[str, str, str]] = {
    " ": ("   ", "   ", "   "),
    "0": ("╭─╮", "│ │", "╰─╯"),
    "1": ("╶╮ ", " │ ", "╶┴╴"),
    "2": ("╶─╮", "┌─┘", "╰─╴"),
    "3": ("╶─╮", " ─┤", "╶─╯"),
    "4": ("╷ ╷", "╰─┤", "  ╵"),
    "5": ("╭─╴", "╰─╮", "╶─╯"),
    "6": ("╭─╴", "├─╮", "╰─╯"),
    "7": ("╶─┐", "  │", "  ╵"),
    "8": ("╭─╮", "├─┤", "╰─╯"),
    "9": ("╭─╮", "╰─┤", "╶─╯"),
    "A": ("╭─╮", "├─┤", "╵ ╵"),
    "B": ("┌─╮", "├─┤", "└─╯"),
    "C": ("╭─╴", "│  ", "╰─╴"),
    "D": ("┌─╮", "│ │", "└─╯"),
    "E": ("╭─╴", "├─ ", "╰─╴"),
    "F": ("╭─╴", "├─ ", "╵  "),
    "G": ("╭─╴", "│╶╮", "╰─╯"),
    "H": ("╷ ╷", "├─┤", "╵ ╵"),
    "I": ("╶┬╴", " │ ", "╶┴╴"),
    "J": ("╶─┐", "  │", "╰─╯"),
    "K": ("╷ ╱", "├┤ ", "╵ ╲"),
    "L": ("╷  ", "│  ", "╰─╴"),
    "M": ("╭┬╮", "│││", "╵╵╵"),
    "N": ("╭╮╷", "│││", "╵╰╯"),
    "O": ("╭─╮", "│ │", "╰─╯"),
    "P": ("┌─╮", "├─╯", "╵  "),
    "Q": ("╭─╮", "│ │", "╰─╳"),
    "R": ("┌─╮", "├┬╯", "╵╰╴"),
    "S": ("╭─╴", "╰─╮", "╶─╯"),
    "T": ("╶┬╴", " │ ", " ╵ "),
    "U": ("╷ ╷", "│ │", "╰─╯"),
    "V": ("╷ ╷", "│ │", "╰┬╯"),
    "W": ("╷╷╷", "│││", "╰┴╯"),
    "X": ("╲ ╱", " ╳ ", "╱ ╲"),
    "Y": ("╷ ╷", "╰┬╯", " ╵ "),
    "Z": ("╶─╱", " ╱ ", "╱─╴"),
    "★": ("╲│╱", "─┼─", "╱│╲"),
    "-": ("   ", "╶─╴", "   "),
}


def render_big(value: str) -> list[str]:
    """Three text rows drawing ``value``; unknown characters become blanks."""
    rows = ["", "", ""]
    for char in value.upper():
        glyph = GLYPHS.get(char, GLYPHS[" "])
        for i in range(3):
            rows[i] += glyph[i]
    return rows


class BigText(Widget):
    """A ticket number (or counter number) in large glyphs."""

    DEFAULT_CSS = """
    BigText {
        width: auto;
        height: 3;
    }
    """

    def __init__(self, value: str = "", *, id: str | None = None, classes: str | None = None):
        super().__init__(id=id, classes=classes)
        self._value = value

    @property
    def value(self) -> str:
        return self._value

    def update(self, value: str) -> None:
        if value != self._value:
            self._value = value
            self.refresh(layout=True)

    def render(self) -> Text:
        return Text("\n".join(render_big(self._value)), no_wrap=True, end="")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return 3 * len(self._value)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 3
