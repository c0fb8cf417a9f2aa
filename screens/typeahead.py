"""Keys typed while a form opens go to the form's first field, in order.

A USB scanner types like a keyboard, very fast: an officer presses F8 and scans
at once, or the scanner itself sends F8 before the code. The look-up (F8) and the
intake form (F6) take a moment to show (after the counter's running step, then
while the screen is built and focused); the characters, Enter and Backspace typed
meanwhile are caught here, at the app, as they come from the terminal (before any
screen's binding acts on them: Enter, 1, 2, 3 and R are the counter's keys), and
handed to the form's first field once it has the focus, in the order typed; keys
typed after that go to the focused field the ordinary way, behind them. Other
keys (F-keys, Esc) are not caught: the counter says why they do not run.

The catching starts when the app passes F6 or F8 to the counter (the keys a screen
lists in ``TYPE_AHEAD_KEYS``): the screen handles a key after the app has already
passed it the keys that followed, so the counter itself would start too late. The
form (``TAKES_TYPE_AHEAD``) hands over its field (:meth:`TypeAhead.deliver`) when
it shows; a form that
will not open after all (refused, a step before it failed, or its screen could not
be built) drops them (:meth:`TypeAhead.drop`): held, they would keep every key typed
at the counter afterwards.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any

from textual import events

from screens import textual_compat

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from textual.app import App
    from textual.screen import Screen
    from textual.widget import Widget

TYPED = ("enter", "backspace")
"""Keys caught besides the printable characters (a scanner ends its code with Enter)."""


class TypeAhead:
    def __init__(self, app: App[Any]) -> None:
        self.app = app
        self._keys: list[tuple[str, str | None]] | None = None
        self._opener: Screen[Any] | None = None

    @property
    def catching(self) -> bool:
        return self._keys is not None

    def start(self, opener: Screen[Any]) -> None:
        """Catch the typed keys from now on, for the form ``opener`` opens."""
        if self._keys is None:
            self._keys = []
        self._opener = opener

    def take(self, event: events.Key) -> bool:
        """Called by the app for each key as it comes from the terminal, before it
        goes to a screen: keep it for the form (True) when it is typed while one
        opens. A key that opens a form on the screen on top (its ``TYPE_AHEAD_KEYS``)
        starts the catching, and goes on to the screen."""
        if event.is_forwarded:
            return False
        stack = self.app.screen_stack
        screen = stack[-1] if stack else None
        if screen is not None and event.key in getattr(screen, "TYPE_AHEAD_KEYS", ()):
            self.start(screen)
            return False
        if self._keys is None or not (event.is_printable or event.key in TYPED):
            return False
        if screen is not self._opener and not getattr(screen, "TAKES_TYPE_AHEAD", False):
            self.drop()  # something else came on top (a lock): no form takes them now
            return False
        self._keys.append((event.key, event.character))
        return True

    def deliver(self, field: Widget) -> None:
        """The form shows with ``field`` focused: it gets the keys caught, in order
        (the keys typed after this reach it in the ordinary way, after them)."""
        keys, self._keys, self._opener = self._keys or [], None, None
        for key, character in keys:
            textual_compat.forward_key(field, events.Key(key, character))

    def drop(self) -> int:
        """The form will not open: forget the keys caught; how many they were."""
        keys, self._keys, self._opener = self._keys or [], None, None
        return len(keys)


def after_typed_keys(fields: Sequence[Widget], then: Callable[[], object]) -> None:
    """Run ``then`` once each of ``fields`` has taken the keys already sent to it.

    A key the app acts on as it comes (a priority binding: the sign-in's Enter, the
    intake's Ctrl+S) is handled before the keys typed just before it, which still
    wait in the fields' own queues: typed in one burst (a quick officer, a paste,
    one packet over SSH), "8.000" then Ctrl+S saved the fee as "8". ``then`` waits
    behind them, in each field's queue in turn; a field no longer on screen has no
    keys to wait for and is passed by."""
    step: Callable[[], object] = then
    for field in reversed(fields):
        step = partial(_behind, field, step)
    step()


def _behind(field: Widget, then: Callable[[], object]) -> None:
    if not (field.is_attached and field.call_later(then)):
        then()  # gone meanwhile (a component row rebuilt): nothing waits in it
