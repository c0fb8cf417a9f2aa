"""F1: every key of the screen below, including those the key bar hides.

Each line is the key as people write it and what it does, in the configured
language; a key that does not apply right now says why. Esc or F1 closes it.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Static

from desk.i18n import catalog, get_language, t
from screens.base import DeskModal
from screens.textual_compat import key_label, own_bindings


def desk_descriptions() -> set[str]:
    """Every key description desk defines, in the configured language."""
    return {t(key) for key in catalog(get_language()) if key.startswith("keys.")}


def help_lines(screen: Screen[object], app_bindings: list[Binding]) -> list[tuple[str, str, str]]:
    """(keys, what they do, why not now) for the screen's keys, then the app's;
    keys with the same description share a line (``1, 2, 3``)."""
    rows: dict[str, tuple[list[str], str]] = {}
    why_not = getattr(screen, "why_not", None)
    ours = desk_descriptions()
    for binding in [*own_bindings(screen), *app_bindings]:
        if binding.system or binding.description not in ours:
            continue  # Textual's own keys (focus, copy) are not desk's to explain
        description = binding.description
        action = binding.action.split("(")[0]
        reason = ""
        if screen.check_action(action, ()) is False:
            reason = t("everyday.help.not_now")
        elif why_not is not None:
            reason = why_not(action) or ""
        label = key_label(binding)
        if description in rows:
            rows[description][0].append(label)
        else:
            rows[description] = ([label], reason)
    return [(", ".join(keys), description, reason) for description, (keys, reason) in rows.items()]


class HelpScreen(DeskModal[None]):
    BINDINGS = [
        Binding("escape", "close", "keys.close"),
        Binding("f1", "close", "keys.close", show=False),
    ]

    def __init__(self, below: Screen[object]) -> None:
        super().__init__(classes="dialog help")
        self.below = below

    def compose(self) -> ComposeResult:
        from screens.textual_compat import own_bindings as bindings_of

        lines = help_lines(self.below, bindings_of(self.app))
        width = max((cell_len(keys) for keys, _d, _r in lines), default=4) + 2
        text = Text()
        for keys, description, reason in lines:
            if text:
                text.append("\n")
            text.append(keys.ljust(width), style="bold")
            text.append(description)
            if reason:
                text.append(f"\n{' ' * width}{reason}", style="dim")
        with Vertical(classes="dialog-box", id="help-box"):
            yield Static(t("everyday.help.title"), classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield Static(text, id="help-keys")
            yield Static(t("everyday.help.close"), id="help-hint")

    def action_close(self) -> None:
        self.dismiss(None)
