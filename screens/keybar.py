"""The keys of the current screen, at the bottom, on as many lines as they need.

Textual's Footer is one line that scrolls sideways: on an 80- or 100-column counter
PC the last keys (Ctrl+R, R, Esc) fell off the edge. The key bar wraps between keys
(never inside one), so every key stays visible; keys that do nothing right now are
dimmed, as in the Footer, and say why when pressed (screens.base).

A dialog with its own key bar (a yes/no question, F1's help, F5's transfer)
covers the bars of the screens beneath it: its bar is at least as tall as theirs,
so none of the keys that do nothing while the dialog is open show under it, also
after a bar beneath grows (R comes when a busy database refused a step): the bar
is laid out again whenever the bindings of its screen or of one beneath change.

Keys that a dialog's field or list takes itself (Enter in a field, ↑↓ in a list:
Textual's own, not shown on its bar) are named first when the screen says which
(``widget_keys()``: key and what it does, as shown).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
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
        for screen in self._screens():  # its own, and those beneath a dialog's
            on_bindings_updated(self, self._bindings_changed, screen)
        self.call_after_refresh(self.render_keys)

    def _screens(self) -> list[Screen[object]]:
        """Its screen and, when that is a dialog, the screens that show beneath it
        (down to the first that is not a dialog), nearest first."""
        stack = self.app.screen_stack
        if not isinstance(self.screen, ModalScreen) or self.screen not in stack:
            return [self.screen]
        screens: list[Screen[object]] = []
        for screen in reversed(stack[: stack.index(self.screen) + 1]):
            screens.append(screen)
            if not isinstance(screen, ModalScreen):
                break
        return screens

    def _bindings_changed(self, screen: Screen[object]) -> None:
        if self.is_attached and screen in self._screens():
            self.render_keys()

    def on_resize(self, _event: Resize) -> None:
        self.render_keys()

    def keys(self) -> list[tuple[str, str, bool]]:
        """(key, what it does, whether it applies now): the keys the screen's field
        or list takes (``widget_keys()``), then the shown bindings of the screen and
        its focused widgets (a key whose screen says why it does not apply is
        dimmed), one per action."""
        widget_keys = getattr(self.screen, "widget_keys", None)
        shown = [(key, what, True) for key, what in (widget_keys() if widget_keys else [])]
        seen: set[str] = set()
        why_not = getattr(self.screen, "why_not", None)
        for _node, binding, enabled, _tooltip in self.screen.active_bindings.values():
            if binding.show and binding.action not in seen:
                seen.add(binding.action)
                if enabled and why_not is not None:
                    enabled = why_not(binding.action.split("(")[0]) is None
                shown.append((key_label(binding), binding.description, enabled))
        return shown

    def item(self, key: str, description: str, enabled: bool) -> Text:
        text = Text.assemble((key, "bold reverse"), " ", description)
        if not enabled:
            text.stylize("dim")
        return text

    def lines(self, width: int) -> list[Text]:
        """The keys in lines of at most ``width`` cells, broken between keys."""
        lines: list[Text] = [Text()]
        for key, description, enabled in self.keys():
            item = self.item(key, description, enabled)
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
        """The nearest key bar beneath this one, when this is a dialog's (a dialog
        without a bar shows the one beneath it)."""
        for screen in self._screens()[1:]:
            bars = screen.query(KeyBar)
            if bars:
                return bars.first()
        return None

    def height_for(self, width: int) -> int:
        """The lines this bar takes at ``width``: its keys', or as many as the
        tallest bar beneath it (a dialog's over a dialog's over the counter's)."""
        below = self.below()
        own = len(self.lines(width))
        return max(own, below.height_for(width)) if below is not None else own

    def render_keys(self) -> None:
        width = max(20, self.content_region.width or self.app.size.width - 2)
        lines = self.lines(width)
        below = self.below()
        if below is not None:  # covers the bars beneath whole: blank lines over the rest
            lines[:0] = [Text() for _ in range(below.height_for(width) - len(lines))]
        self.update(Text("\n").join(lines))
