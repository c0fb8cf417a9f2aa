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


RIGHTWARD = set("─┌└├┬┴┼╭╰╶")
"""Strokes that reach the right edge of their cell."""
LEFTWARD = set("─┐┘┤┬┴┼╮╯╴")
"""Strokes that reach the left edge of their cell."""
DOWN = set("│╭╮├┤┌┐╷┬┼")


def _widen(glyph: tuple[str, str, str], scale: int) -> list[str]:
    """The glyph ``2·scale+1`` cells wide: a stroke joining two cells is drawn longer."""
    rows = []
    for row in glyph:
        left, mid, right = row[0], row[1], row[2]
        before = "─" if left in RIGHTWARD and mid in LEFTWARD else " "
        after = "─" if mid in RIGHTWARD and right in LEFTWARD else " "
        rows.append(left + before * (scale - 1) + mid + after * (scale - 1) + right)
    return rows


def render_big(value: str, scale: int = 1) -> list[str]:
    """Text rows drawing ``value``; unknown characters become blanks. ``scale`` 2
    or 3 draws each glyph taller and wider (``2·scale+1`` cells each way) with the
    same strokes."""
    rows = ["", "", ""]
    for char in value.upper():
        glyph = _widen(GLYPHS.get(char, GLYPHS[" "]), scale)
        for i in range(3):
            rows[i] += glyph[i]
    if scale == 1:
        return rows
    tall: list[str] = []
    for i, row in enumerate(rows):
        tall.append(row)
        if i < 2:
            between = "".join("│" if c in DOWN else " " for c in row)
            tall.extend([between] * (scale - 1))
    return tall


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
        self._scale = 1

    @property
    def scale(self) -> int:
        return self._scale

    @scale.setter
    def scale(self, scale: int) -> None:
        if scale != self._scale:
            self._scale = scale
            self.styles.height = 2 * scale + 1
            self.refresh(layout=True)

    @property
    def value(self) -> str:
        return self._value

    def update(self, value: str) -> None:
        if value != self._value:
            self._value = value
            self.refresh(layout=True)

    def render(self) -> Text:
        return Text("\n".join(render_big(self._value, self._scale)), no_wrap=True, end="")

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return (2 * self._scale + 1) * len(self._value)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return 2 * self._scale + 1


def board_scale(width: int, height: int) -> int:
    """How large the board draws its numbers on a screen of this size (the whole
    screen is used): the board and its first frame agree."""
    return 3 if height >= 45 and width >= 120 else 2 if height >= 30 and width >= 90 else 1
