"""Shared pieces of every desk screen.

Binding descriptions are translation keys (``keys.call_next``); each screen
translates them when it is created, so the footer speaks the configured language.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Generic, TypeVar

from textual.binding import BindingsMap
from textual.screen import ModalScreen, Screen

from desk.i18n import t

if TYPE_CHECKING:
    from desk.center.runtime import Runtime
    from screens.app import DeskApp

ResultT = TypeVar("ResultT")


def translate_bindings(bindings: BindingsMap) -> BindingsMap:
    return BindingsMap.from_keys(
        {
            key: [
                replace(b, description=t(b.description)) if b.description.startswith("keys.") else b
                for b in group
            ]
            for key, group in bindings.key_to_bindings.items()
        }
    )


class _Translated:
    def _translate_own_bindings(self) -> None:
        node = self
        node._bindings = translate_bindings(node._bindings)  # type: ignore[attr-defined]

    @property
    def desk(self) -> DeskApp:
        from screens.app import DeskApp

        app = self.app  # type: ignore[attr-defined]
        assert isinstance(app, DeskApp)
        return app

    @property
    def runtime(self) -> Runtime:
        return self.desk.runtime


class DeskScreen(_Translated, Screen[None]):
    def __init__(self, classes: str = "") -> None:
        super().__init__(classes=classes)
        self._translate_own_bindings()


class DeskModal(_Translated, ModalScreen[ResultT], Generic[ResultT]):
    def __init__(self, classes: str = "") -> None:
        super().__init__(classes=classes)
        self._translate_own_bindings()
