"""The few Textual internals desk relies on, in one place.

Textual has no public way to replace a node's bindings after it is created (desk
translates each binding's description into the configured language), to be told
when a screen's active bindings change (the key bar and the F1 help redraw then),
nor to compose a screen before it is shown (the counter builds its intake form
while idle, so F6 only shows it), nor to show again a screen whose styles are
current without re-applying the whole stylesheet to it, nor to size a table's
render caches, nor to free a removed Input while its screen lives on, nor to
hand a widget a key typed earlier (screens.typeahead). These use internals:
``DOMNode._bindings``, ``Widget._forward_event``, ``Screen.bindings_updated_signal``,
``App._register``, the CSS update counts of ``App`` and ``Screen``, the render
caches of ``DataTable``, a screen's ``Signal`` attributes and
``DOMNode._query_one_cache``. Textual's Select menu names its Esc key "Dismiss menu"
in English whatever the language: :class:`DeskSelect` composes its own menu
(``SelectOverlay`` and ``SelectCurrent`` of the private ``textual.widgets._select``)
whose key is translated. ``tests/screens/test_textual_compat.py`` checks them
against the installed Textual and fails loudly when an upgrade moves them; change
only this module then.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual import events, on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.content import Content
from textual.dom import DOMNode
from textual.keys import key_to_character
from textual.screen import Screen
from textual.signal import Signal
from textual.style import Style as VisualStyle
from textual.widget import Widget
from textual.widgets import Checkbox, Select
from textual.widgets._select import SelectCurrent, SelectOverlay, SelectType

from desk.i18n import t

if TYPE_CHECKING:  # DataTable costs a role's first frame about 8 ms to import
    from rich.segment import Segment
    from textual.await_remove import AwaitRemove
    from textual.widgets import DataTable

TESTED_TEXTUAL = "8.2.8"
"""The Textual version these internals were checked against."""

NAMES = {
    "escape": "Esc",
    "enter": "Enter",
    "tab": "Tab",
    "space": "Space",
    "delete": "Del",
    "backspace": "Backspace",
    "up": "↑",
    "down": "↓",
    "left": "←",
    "right": "→",
    "pageup": "PgUp",
    "pagedown": "PgDn",
    "ctrl": "Ctrl",
    "shift": "Shift",
    "alt": "Alt",
}


def key_label(binding: Binding) -> str:
    """The key as people write it: F2, Enter, Esc, Ctrl+R, [ and ] (never a raw
    key name such as ``left_square_bracket``)."""
    if binding.key_display:
        return binding.key_display
    parts = binding.key.split(",")[0].split("+")
    out = []
    for part in parts:
        if part in NAMES:
            out.append(NAMES[part])
        elif len(part) > 1 and not (part[0] == "f" and part[1:].isdigit()):
            char = key_to_character(part)
            out.append(char if char is not None else part.capitalize())
        else:
            out.append(part.capitalize())
    return "+".join(out)


def _each_binding(bindings: BindingsMap, change: Callable[[Binding], Binding]) -> BindingsMap:
    """``bindings`` with ``change`` applied to each, keys and order kept."""
    return BindingsMap.from_keys(
        {key: [change(b) for b in group] for key, group in bindings.key_to_bindings.items()}
    )


def translate(bindings: BindingsMap) -> BindingsMap:
    """``bindings`` with each ``keys.*`` description translated."""
    return _each_binding(
        bindings,
        lambda b: (
            replace(b, description=t(b.description)) if b.description.startswith("keys.") else b
        ),
    )


def translate_own_bindings(node: DOMNode) -> None:
    """Replace ``node``'s bindings by their translation (internal: ``_bindings``)."""
    node._bindings = translate(node._bindings)


def relabel(node: DOMNode, action: str, description: str) -> None:
    """Describe ``node``'s own bindings of ``action`` as ``description`` (already
    translated): a key whose effect depends on how the role was started (internal:
    ``_bindings``)."""
    node._bindings = _each_binding(
        node._bindings,
        lambda b: replace(b, description=description) if b.action == action else b,
    )


def own_bindings(node: DOMNode) -> list[Binding]:
    """The bindings ``node`` itself defines, one per key, in declaration order."""
    seen: list[Binding] = []
    for group in node._bindings.key_to_bindings.values():
        seen.extend(group)
    return seen


def on_bindings_updated(
    widget: Widget,
    callback: Callable[[Screen[object]], None],
    screen: Screen[object] | None = None,
) -> None:
    """Call ``callback(screen)`` whenever ``screen`` (the widget's own by default)
    refreshes its bindings (internal: ``bindings_updated_signal``); the widget's
    subscription ends when it is removed."""
    (screen or widget.screen).bindings_updated_signal.subscribe(widget, callback)


def remove_children(container: Widget) -> AwaitRemove:
    """Remove ``container``'s children so that they can be freed while its screen
    lives on. Textual's ``Input`` subscribes to its screen's
    ``text_selection_started_signal`` with a callback that holds the Input, in a
    ``WeakKeyDictionary`` keyed by the Input: the value keeps the key alive, and the
    entry goes only when the signal is next published (a mouse text selection, which
    a keyboard-only desk never makes). A removed Input, its styles and renderings
    then lived as long as the screen: for the intake form, built once, each
    dossier's component rows, all day. Likewise each node keeps the results of its
    ``query_one`` calls, up to 1,024, each under the count of DOM changes below it
    when it was asked: old entries are never asked again but hold the widgets they
    found until they age out. Here every child leaves the screen's signals, and the
    container and its ancestors forget their ``query_one`` results, before the
    children are removed (internal: the screens' ``Signal`` attributes,
    ``DOMNode._query_one_cache``)."""
    screen = container.screen
    signals = [value for value in vars(screen).values() if isinstance(value, Signal)]
    for node in container.walk_children(with_self=False):
        for signal in signals:
            signal.unsubscribe(node)
    for ancestor in container.ancestors_with_self:
        ancestor._query_one_cache.clear()
    return container.remove_children()


def compose_offscreen(app: App[Any], screen: Screen[Any]) -> None:
    """Start ``screen`` (compose and mount its widgets) without showing it; a later
    ``push_screen`` shows it as it is (internal: ``App._register``, what
    ``push_screen`` itself calls for a screen that is not running yet). Install the
    screen first so that popping it keeps it for the next time."""
    if not screen.is_running:
        app._register(app, screen)


def forward_key(widget: Widget, key: events.Key) -> None:
    """Hand ``key`` to ``widget`` as the app hands a key to the focused widget
    (internal: ``_forward_event``): the widget handles it, and what it leaves bubbles
    up to the bindings, Enter to the field's submit among them."""
    key.set_sender(widget.app)
    widget._forward_event(key)


class KeepStylesOnResume:
    """Mixin for a screen shown again and again (before ``Screen`` in the bases):
    Textual re-applies the whole stylesheet to a screen each time it is shown (a
    third of the intake form's F6); this skips that while the app's CSS (theme,
    variables) has not changed since the screen last took it. Class changes made
    meanwhile restyle their own nodes as they happen."""

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        screen: Any = self
        current = screen.app._css_update_count
        if screen._css_update_count == current:
            event.refresh_styles = False
        else:
            screen._css_update_count = current  # the resume below restyles it


class _SelectMenu(SelectOverlay):
    """Select's open menu, its Esc key described in the configured language."""

    BINDINGS = [Binding("escape", "dismiss", "keys.close")]

    def __init__(self, type_to_search: bool = True) -> None:
        super().__init__(type_to_search=type_to_search)
        translate_own_bindings(self)


class DeskSelect(Select[SelectType], inherit_bindings=False):
    """A Select whose open menu shows its key in desk's language (Textual's own says
    "Esc Dismiss menu" in English). Composed as ``Select.compose`` does, with the
    translated menu (internal: ``SelectCurrent``, ``SelectOverlay``).

    As a form field: Enter or Space opens its list, Enter there chooses and goes on
    to the next field, ↑ and ↓ on it go to the field above or below, as in the form's
    other fields (Textual's opened the list on ↑ and ↓ too, and the focus came back to
    it after the choice: Enter opened it again, and only Tab got out; walk, 2 Dec)."""

    BINDINGS = [Binding("enter,space", "show_overlay", show=False)]

    def compose(self) -> ComposeResult:
        yield SelectCurrent(self.prompt)
        yield _SelectMenu(type_to_search=self._type_to_search).data_bind(compact=Select.compact)

    @on(SelectOverlay.UpdateSelection)
    def _chosen(self) -> None:
        # after Select's own handler has put the focus back here
        self.call_after_refresh(self.screen.focus_next)


STRIP_CACHES = {
    "_divide_cache": 4,
    "_crop_cache": 16,
    "_style_cache": 16,
    "_filter_cache": 4,
    "_line_length_cache": 4,
    "_crop_extend_cache": 4,
    "_offsets_cache": 4,
}
"""A ``Strip``'s caches and their sizes, as ``Strip.__init__`` makes them."""


def lean_strips() -> None:
    """Make each of a ``Strip``'s seven caches when it is first used, as Textual's
    ``Content`` does its own, not all seven with every line drawn: nearly all of them stay
    empty, and at the end of a counter's day they held 3 MB of its heap (README,
    "Resident memory"). Each slot is read through a property that makes the cache on
    first use; the same caches, the same sizes. Once per process; a ``Strip`` made before
    keeps the caches it has."""
    from textual.cache import FIFOCache
    from textual.strip import Strip

    if Strip.__dict__.get("_desk_lean"):
        return

    def lazy(name: str, size: int) -> property:
        slot = Strip.__dict__[name]  # the slot's own descriptor, kept for the property

        def get(strip: Strip) -> FIFOCache[Any, Any]:
            try:
                cache: FIFOCache[Any, Any] = slot.__get__(strip, Strip)
            except AttributeError:  # not made yet
                cache = FIFOCache(size)
                slot.__set__(strip, cache)
            return cache

        return property(get)

    def __init__(self: Strip, segments: Iterable[Segment], cell_length: int | None = None) -> None:
        self._segments = list(segments)
        self._cell_length = cell_length
        self._render_cache = None
        self._link_ids = None
        self._cell_count = None

    for name, size in STRIP_CACHES.items():
        setattr(Strip, name, lazy(name, size))
    Strip.__init__ = __init__  # type: ignore[method-assign]
    Strip._desk_lean = True  # type: ignore[attr-defined]


TABLE_CACHED_ROWS = 60
"""Rows (and their lines) a table keeps rendered: more than a tall terminal shows
(a refresh draws each shown row once; the cache serves the next refresh while the
rows are unchanged). 200 kept 2 MB of a counter's dead renderings at the end of a day
(README, "Resident memory")."""


def lean_table(table: DataTable[Any]) -> None:
    """Keep ``table``'s renderings to what it can show. A DataTable keys every cached
    cell, row and line by its update count, so each update (a polled list's waiting
    minutes, a ticket called) leaves the old renderings dead in caches of 10,000
    cells and 1,000 rows and lines: about 5 MB of a counter's waiting list by the
    end of a day (README, "Resident memory")."""
    columns = max(8, len(table.columns))
    table._cell_render_cache.maxsize = TABLE_CACHED_ROWS * columns
    for cache in (table._row_render_cache, table._row_renderable_cache, table._line_cache):
        cache.maxsize = TABLE_CACHED_ROWS


class MarkBox(Checkbox):
    """A checkbox whose mark shows only when it is ticked. Textual draws its ``X`` in
    both states, told apart by colour alone, and in a terminal's own colours a walk
    could not tell a ticked "Đã scan" from an empty one (2 Dec). Draws the box as
    Textual's private ``ToggleButton._button`` does, with a blank when unticked."""

    @property
    def _button(self) -> Content:
        button_style = self.get_visual_style("toggle--button")
        side_style = VisualStyle(
            foreground=button_style.background, background=self.background_colors[1]
        )
        return Content.assemble(
            (self.BUTTON_LEFT, side_style),
            (self.BUTTON_INNER if self.value else " ", button_style),
            (self.BUTTON_RIGHT, side_style),
        )
