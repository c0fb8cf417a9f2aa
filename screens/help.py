"""F1: every key of the screen below, including those the key bar hides.

Each line is the key as people write it and what it does, in the configured
language; a key that does not apply right now says why. Esc or F1 closes it.
When the keys do not fit (an 80×24 terminal), the line under them says that more
lies below and which keys scroll (↑ ↓ PgUp PgDn), and once at the end, that the
rest is above. Its own key bar names the keys that work in it (the scroll keys
while the keys do not fit, and Esc), over the bar of the screen beneath, whose keys
do nothing while it is open. A description or reason too long for its line wraps under its own
text (a hanging indent), never back at the left edge under the keys.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Resize
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from desk.i18n import catalog, get_language, t, t_optional
from screens.base import DeskModal
from screens.keybar import KeyBar
from screens.phrases import BREAK, pack
from screens.textual_compat import key_label, own_bindings


def desk_descriptions() -> set[str]:
    """Every key description desk defines, in the configured language."""
    return {t(key) for key in catalog(get_language()) if key.startswith("keys.")}


def help_lines(screen: Screen[object], app_bindings: list[Binding]) -> list[tuple[str, str, str]]:
    """(keys, what they do, why not now) for the screen's keys, then the app's;
    keys with the same description share a line (``1, 2, 3``)."""
    rows: dict[str, tuple[list[str], str]] = {}
    said: dict[str, str] = {}
    why_not = getattr(screen, "why_not", None)
    ours = desk_descriptions()
    for binding in [*own_bindings(screen), *app_bindings]:
        if binding.system or binding.description not in ours:
            continue  # Textual's own keys (focus, copy) are not desk's to explain
        description = binding.description
        if description not in said:
            said[description] = explained(binding)
        action = binding.action.split("(")[0]
        # a key the screen turned off says why too, when its screen knows
        reason = (why_not(action) if why_not is not None else None) or ""
        if not reason and screen.check_action(action, ()) is False:
            reason = t("everyday.help.not_now")
        label = key_label(binding)
        if description in rows:
            if label not in rows[description][0]:  # d and D: one key for people
                rows[description][0].append(label)
        else:
            rows[description] = ([label], reason)
    return [
        (", ".join(keys), said[description], reason) for description, (keys, reason) in rows.items()
    ]


def explained(binding: Binding) -> str:
    """A key's name and, where the catalog has one (``keyhelp.<binding id>``), what
    it does: "Trả kết quả — Tìm hồ sơ …" (the name alone told a new officer little)."""
    explanation = t_optional(f"keyhelp.{binding.id}") if binding.id else None
    return f"{binding.description} — {explanation}" if explanation else binding.description


def wrapped(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, broken between its phrases as
    the counter's message is (:func:`screens.phrases.pack`: "cơ sở dữ liệu bận:"
    and "vắng mặt (F4)" stay whole), a phrase wider than a line in even lines."""
    return pack(" ".join(text.split()), width, BREAK, balanced=True)


class HelpKeys(Static):
    """The keys, one per line: the keys in bold, then what they do and, dimmed,
    why not now; wrapped lines hang under their own text. Laid out again for each
    width it is given."""

    class LaidOut(Message):
        """The lines were laid out again (their height may have changed)."""

    def __init__(self, lines: list[tuple[str, str, str]], *, id: str) -> None:
        self.lines = lines
        self.keys_width = max((cell_len(keys) for keys, _d, _r in lines), default=4) + 2
        self._width = 0
        """The width the lines were last laid out for."""
        super().__init__(self.laid_out(0), markup=False, id=id)

    def laid_out(self, width: int) -> Text:
        """The lines for ``width`` cells (0: unwrapped, before the first layout)."""
        room = max(width - self.keys_width, 12) if width else 10_000
        text = Text()
        said = ""
        for keys, description, reason in self.lines:
            # the same reason under the key before: said once ("Không có số nào ở
            # quầy…" stood under five keys in a row; walk, 2 Dec)
            shown = t("everyday.help.same_reason") if reason and reason == said else reason
            said = reason
            parts = [(description, "")] + ([(shown, "dim")] if shown else [])
            label = keys
            for part, style in parts:
                for line in wrapped(part, room):
                    if text:
                        text.append("\n")
                    if label:
                        text.append(label.ljust(self.keys_width), style="bold")
                        text.append(line, style=style)
                    else:  # under the keys: blank up to the text
                        text.append(" " * self.keys_width + line, style=style)
                    label = ""
        return text

    def on_resize(self, event: Resize) -> None:
        # after this layout pass: an update made inside it kept the height of the
        # lines laid out for the width before the scroll bar came (42 of 45 lines
        # at 80x24: the end of the counter's list could not be scrolled to; walk)
        self.call_after_refresh(self._lay_out, event.size.width)

    def _lay_out(self, width: int) -> None:
        if width == self._width:
            return  # its height changed with the lines: they stand as they are
        self._width = width
        self.update(self.laid_out(width))
        self.post_message(self.LaidOut())


class HelpScreen(DeskModal[None]):
    BINDINGS = [
        Binding("escape", "close", "keys.close"),
        Binding("f1", "close", "keys.close", show=False),
    ]

    def __init__(self, below: Screen[object]) -> None:
        super().__init__(classes="dialog help with-keys")
        self.below = below
        self._scrolls = False
        """The keys do not fit: ↑ ↓ PgUp PgDn scroll them (named on the key bar)."""

    def compose(self) -> ComposeResult:
        from screens.textual_compat import own_bindings as bindings_of

        lines = help_lines(self.below, bindings_of(self.app))
        with Vertical(classes="dialog-box", id="help-box"):
            yield Static(t("everyday.help.title"), classes="dialog-title")
            with VerticalScroll(id="help-scroll"):
                yield HelpKeys(lines, id="help-keys")
            yield Static(t("everyday.help.close"), id="help-hint", markup=False)
        yield KeyBar()

    def widget_keys(self) -> list[tuple[str, str]]:
        """The scroll keys, while there is more than the box shows."""
        return [("↑↓ PgUp PgDn", t("keys.scroll"))] if self._scrolls else []

    def on_mount(self) -> None:
        scroll = self.query_one("#help-scroll", VerticalScroll)
        scroll.focus()  # the arrows and PgUp/PgDn scroll it
        self.watch(scroll, "scroll_y", self._scrolled, init=False)
        self.call_after_refresh(self._scrolled)

    def on_resize(self, _event: Resize) -> None:
        self.call_after_refresh(self._scrolled)

    def on_help_keys_laid_out(self, _event: HelpKeys.LaidOut) -> None:
        self.call_after_refresh(self._scrolled)

    def _scrolled(self, _value: float | None = None) -> None:
        """Say whether more keys lie below (or above) the visible ones."""
        scroll = self.query_one("#help-scroll", VerticalScroll)
        hint = self.query_one("#help-hint", Static)
        below = scroll.max_scroll_y > 0 and scroll.scroll_y < scroll.max_scroll_y
        if scroll.max_scroll_y <= 0:
            hint.update(t("everyday.help.close"))
        elif below:
            hint.update(t("admin_ui.help_more"))
        else:
            hint.update(t("admin_ui.help_end"))
        hint.set_class(below, "-more")
        if self._scrolls != (scroll.max_scroll_y > 0):
            self._scrolls = scroll.max_scroll_y > 0
            self.query_one(KeyBar).render_keys()

    def action_close(self) -> None:
        self.dismiss(None)
