"""Shared pieces of every desk screen.

Binding descriptions are translation keys (``keys.call_next``); each screen
translates them when it is created, so the footer speaks the configured language
(screens.textual_compat holds the Textual internals this needs).

A key that does not apply now still runs its action, which says why on screen:
``why_not(action)`` gives the reason (None when the key applies) and the key bar
dims the key. Every worker that fails lands in one handler,
``on_worker_state_changed``: the error is logged and shown with ``show_failure``
(the screen's message line; a notification by default).
"""

from __future__ import annotations

import logging
import traceback
from typing import TYPE_CHECKING, Generic, TypeVar

from textual.screen import ModalScreen, Screen
from textual.worker import Worker, WorkerState

from desk.errors import DeskError
from desk.i18n import t
from screens import textual_compat

if TYPE_CHECKING:
    from desk.center.runtime import Runtime
    from screens.app import DeskApp

ResultT = TypeVar("ResultT")
log = logging.getLogger("desk.screens")


def failure_message(error: BaseException | None) -> str:
    """What a person reads when background work failed: a desk error's own message,
    otherwise a short line naming the kind of fault (details are in the log)."""
    if isinstance(error, DeskError):
        return str(error)
    return t("everyday.failed", error=type(error).__name__ if error else "?")


class _Translated:
    _last_failure: str = ""

    def _translate_own_bindings(self) -> None:
        textual_compat.translate_own_bindings(self)  # type: ignore[arg-type]

    @property
    def desk(self) -> DeskApp:
        from screens.app import DeskApp

        app = self.app  # type: ignore[attr-defined]
        assert isinstance(app, DeskApp)
        return app

    @property
    def runtime(self) -> Runtime:
        return self.desk.runtime

    def why_not(self, action: str) -> str | None:
        """Why the key bound to ``action`` does not apply now; None when it does."""
        return None

    def refused(self, action: str) -> bool:
        """Show why ``action`` does not apply, if it does not; True when refused."""
        reason = self.why_not(action)
        if reason is not None:
            self.show_failure(reason)
        return reason is not None

    def show_failure(self, message: str) -> None:
        self.notify(message, severity="error", markup=False)  # type: ignore[attr-defined]

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """The one handler for background work that failed (harlequin's pattern)."""
        if event.state != WorkerState.ERROR:
            return
        self.report_failure(f"worker {event.worker.name}", event.worker.error)

    def report_failure(self, where: str, error: BaseException | None) -> str:
        """Log a failure (its frames) and show it; returns the message shown."""
        message = failure_message(error)
        if message != self._last_failure:  # a poller failing each second logs once
            # the frames, not the message: a database error's message may carry
            # the statement's parameters, personal data among them
            frames = "" if error is None else "".join(traceback.format_tb(error.__traceback__))
            log.error(
                "%s: %s failed: %s\n%s",
                type(self).__name__,
                where,
                type(error).__name__,
                frames,
            )
        self._last_failure = message
        self.show_failure(message)
        return message


class DeskScreen(_Translated, Screen[None]):
    def __init__(self, classes: str = "") -> None:
        super().__init__(classes=classes)
        self._translate_own_bindings()


class DeskModal(_Translated, ModalScreen[ResultT], Generic[ResultT]):
    def __init__(self, classes: str = "") -> None:
        super().__init__(classes=classes)
        self._translate_own_bindings()
