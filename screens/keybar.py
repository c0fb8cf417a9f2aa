"""The keys of the current screen, at the bottom, on as many lines as they need.

Textual's Footer is one line that scrolls sideways: on an 80- or 100-column counter
PC the last keys (Ctrl+R, R, Esc) fell off the edge. The key bar wraps between keys
(never inside one), so every key stays visible; keys that do nothing right now are
dimmed, as in the Footer, and say why when pressed (screens.base).

A dialog with its own key bar (a yes/no question) covers the bar of the screen
beneath it: its bar is at least as tall as that one, so none of the keys that do
nothing while the dialog is open show under it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.binding import Binding
from textual.events import Resize
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from screens.textual_compat import key_label, on_bindings_updated

GAP = 2


class KeyBar(Static):
    DEFAULT_CSS = """
    KeyBar {
        dock: bottom;
        width: 100%;
        height: auto;
        max-height: 4;
        padding: 0 1;
        color: $footer-foreground;
        background: $footer-background;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False, id="keybar")

    def on_mount(self) -> None:
        on_bindings_updated(self, self._bindings_changed)
        self.call_after_refresh(self.render_keys)

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen is self.screen:
            self.render_keys()

    def on_resize(self, _event: Resize) -> None:
        self.render_keys()

    def keys(self) -> list[tuple[Binding, bool]]:
        """The shown bindings of the screen and its focused widgets, with whether
        each applies now (a key whose screen says why it does not is dimmed); one
        per action."""
        seen: set[str] = set()
        shown: list[tuple[Binding, bool]] = []
        why_not = getattr(self.screen, "why_not", None)
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                if enabled and why_not is not None:
                    enabled = why_not(binding.action.split("(")[0]) is None
                shown.append((binding, enabled))
        return shown

    def item(self, binding: Binding, enabled: bool) -> Text:
        text = Text.assemble((key_label(binding), "bold reverse"), " ", binding.description)
        if not enabled:
            text.stylize("dim")
        return text

    def lines(self, width: int) -> list[Text]:
        """The keys in lines of at most ``width`` cells, broken between keys."""
        lines: list[Text] = [Text()]
        for binding, enabled in self.keys():
            item = self.item(binding, enabled)
            line = lines[-1]
            needed = cell_len(item.plain) + (GAP if line.plain else 0)
            if line.plain and cell_len(line.plain) + needed > width:
                line = Text()
                lines.append(line)
            if line.plain:
                line.append(" " * GAP)
            line.append_text(item)
        return lines

    def below(self) -> KeyBar | None:
        """The key bar of the screen beneath this one, when this is a dialog's."""
        stack = self.app.screen_stack
        if not isinstance(self.screen, ModalScreen) or self.screen not in stack:
            return None
        index = stack.index(self.screen)
        if index == 0:
            return None
        bars = stack[index - 1].query(KeyBar)
        return bars.first() if bars else None

    def render_keys(self) -> None:
        width = max(20, self.content_region.width or self.app.size.width - 2)
        lines = self.lines(width)
        below = self.below()
        if below is not None:  # covers it whole: blank lines over the rest
            lines[:0] = [Text() for _ in range(len(below.lines(width)) - len(lines))]
        self.update(Text("\n").join(lines))
