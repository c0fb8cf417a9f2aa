"""Online / offline and the number of changes waiting to go upstream, for the
header of every officer screen, and a failed daily backup until one succeeds.
Reads the state the sync daemon and the backup leave in the database (a thread
worker; the UI never waits on it), polling every few seconds but reading only when
the database changed (:mod:`desk.queue.watch`); between reads "stalled" is judged
again from the state held, against the clock. Without an upstream configured
it says only that changes stay at the center: a growing "waiting" count would alarm
for nothing."""

from __future__ import annotations

from textual import work
from textual.widgets import Static
from textual.worker import Worker

from desk import clock
from desk.backup.schedule import state as backup_state
from desk.errors import is_busy
from desk.i18n import t
from desk.queue.watch import Follower, Mark
from desk.upstream.sync import SyncStatus, describe, status


class SyncBadge(Static):
    DEFAULT_CSS = """
    SyncBadge {
        width: 100%;
        height: 1;
        text-align: right;
        padding: 0 1;
        color: $text-muted;
    }
    SyncBadge.-offline, SyncBadge.-stalled, SyncBadge.-backup-failed {
        color: $warning;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False, id="sync-badge")
        self.state = ""
        self.pending = 0
        self.backup_error = ""
        self._status: SyncStatus | None = None
        self._changes: Follower | None = None

    def on_mount(self) -> None:
        self.poll()
        self.set_interval(3.0, self._poll_if_shown)

    def _poll_if_shown(self) -> None:
        # a screen built ahead and not shown (the counter's intake form) reads nothing
        if self.screen in self.app.screen_stack:
            self.poll()

    @work(thread=True, exclusive=True, group="sync-badge", exit_on_error=False)
    def poll(self) -> None:
        from screens.app import DeskApp

        app = self.app
        assert isinstance(app, DeskApp)
        if self._changes is None:
            self._changes = app.runtime.changes.follower()
        mark = self._changes.due()
        if mark is None:
            app.call_from_thread(self._tick)
            return
        config = app.runtime.config
        try:
            st = status(app.runtime.engine, enabled=bool(config.upstream.url))
            backup_error = backup_state(app.runtime.engine).last_error
        except Exception as exc:
            if is_busy(exc):  # a locked database: keep the last state
                return
            raise
        app.call_from_thread(self._polled, st, backup_error, mark)

    def _polled(self, st: SyncStatus, backup_error: str, mark: Mark) -> None:
        if self._changes is not None:
            self._changes.shown(mark)
        self._status = st
        self.backup_error = backup_error
        self._tick()

    def _tick(self) -> None:
        """Show the state held, judged against the clock now."""
        from screens.app import DeskApp

        app = self.app
        assert isinstance(app, DeskApp)
        if self._status is None:
            return
        interval = app.runtime.config.upstream.interval_seconds
        state = describe(self._status, clock.now(), interval)
        self.show(state, self._status.pending, self.backup_error)

    def show(self, state: str, pending: int, backup_error: str = "") -> None:
        self.state, self.pending, self.backup_error = state, pending, backup_error
        for name in ("online", "offline", "stalled", "off"):
            self.set_class(state == name, f"-{name}")
        self.set_class(bool(backup_error), "-backup-failed")
        text = t("everyday.sync.off") if state == "off" else t(f"sync.{state}", pending=pending)
        if backup_error:
            text = t("backup.badge_failed", error=backup_error) + " · " + text
        if self.content != text:
            self.update(text)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A failed read shows through the screen's one handler."""
        handler = getattr(self.screen, "on_worker_state_changed", None)
        if handler is not None:
            handler(event)
