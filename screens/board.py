"""Display board: the latest call in large glyphs, the last several below.

Polls twice a second (the kiosk and counters are other processes) and reads the
calls again only when the database changed (:mod:`desk.queue.watch`); a read that
brings nothing new redraws nothing. A new call is highlighted for a few seconds
and, when enabled in config and espeak-ng is installed, announced aloud in
Vietnamese; every call made between two polls is spoken, once, oldest first. A
ticket marked no-show leaves "now serving"; each ticket shows once, with how many
times it was recalled.
``ui.board_theme = "high_contrast"`` gives a TV plain white on black.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from desk.errors import is_busy
from desk.i18n import t
from desk.queue.views import CallView, ticket_label
from desk.queue.watch import Mark
from screens.base import DeskScreen
from screens.bigtext import BigText
from screens.redraw import set_text

if TYPE_CHECKING:
    from desk.notify.announce import Announcer


class BoardScreen(DeskScreen, inherit_bindings=False):
    BINDINGS = [Binding("escape", "leave", "keys.back", show=False)]

    def __init__(self) -> None:
        super().__init__(classes="board")
        self.calls: list[CallView] = []
        self._events: list[CallView] | None = None
        """The calls read at the last poll shown."""
        self._latest: tuple[str, int, datetime] | None = None
        self._shown: set[tuple[str, int, datetime]] = set()
        """Calls already in front: one coming back there is not announced again."""
        self._seen: set[tuple[str, int, datetime]] = set()
        """The calls on the board at the last poll (those since are spoken)."""
        self._announcer: Announcer | None = None

    def compose(self) -> ComposeResult:
        from screens.first import compose_board

        yield from compose_board(self.runtime.config.center_name())

    def on_resize(self) -> None:
        from screens.first import fit_board_numbers

        fit_board_numbers(self)

    def on_mount(self) -> None:
        self.set_class(self.runtime.config.ui.board_theme == "high_contrast", "-high-contrast")
        self._changes = self.runtime.changes.follower()
        self.poll()
        self.set_interval(0.5, self.poll)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def poll(self) -> None:
        """Read the recent calls if the database changed since the last read shown."""
        mark = self._changes.due()
        if mark is None:
            return
        # each ticket shows once: read enough events for the recalls among them
        limit = 4 * (self.runtime.config.queue.board_history + 1)
        try:
            calls = self.desk.queue.recent_calls(limit)
            working = self.desk.queue.counters_working()
        except Exception as exc:
            if is_busy(exc):  # a locked database: show the last calls, try again soon
                return
            raise
        self.app.call_from_thread(self._polled, calls, working, mark)

    def _polled(self, events: list[CallView], working: int, mark: Mark) -> None:
        self._changes.shown(mark)
        # with every counter closed, the title says so over the empty invitation (it
        # read "Mời công dân đến quầy" after the last counter closed; walk, 2 Dec)
        title = t("board.title") if working else t("board.all_closed")
        set_text(self.query_one("#board-title", Static), title)
        if events != self._events:
            self._events = events
            self._show(events)

    def _show(self, events: list[CallView]) -> None:
        # a ticket waiting again (transferred to another counter, or put back in the
        # line) is at no counter: it left the board until it is called again (it
        # read "A002 → Quầy 1" after A002 was sent to counter 2)
        called = [c for c in latest_per_ticket(events) if c.status != "waiting"]
        calls = called[: self.runtime.config.queue.board_history + 1]
        self.calls = calls
        # the big invitation is for a ticket someone can still go to: not one marked
        # absent, nor one whose counter has closed since (after the last counter
        # closed, "Mời số C001 — Quầy 7" stayed up in large type; walk, 2 Dec)
        serving = [c for c in calls if c.status != "no_show" and not c.counter_closed]
        if not serving:
            self.query_one("#board-number", BigText).update("")
            self.query_one("#board-counter", BigText).update("")
            self._latest = None
        if not calls:
            set_text(self.query_one("#board-previous", Static), "")
            return
        latest = serving[0] if serving else calls[0]
        key = (latest.number, latest.counter, latest.at)
        if serving and key != self._latest:
            # a newer call is announced; an older one back in front (the newer was
            # marked no-show) is only shown
            newer = bool(self._shown) and key not in self._shown
            self._shown.add(key)
            self._latest = key
            self.query_one("#board-number", BigText).update(self._label(latest))
            self.query_one("#board-counter", BigText).update(str(latest.counter))
            if newer:
                latest_box = self.query_one("#board-latest")
                latest_box.add_class("-new")
                self.set_timer(4, lambda: latest_box.remove_class("-new"))
                # every call since the last poll is spoken, oldest first
                for call in reversed(self._since(serving)):
                    self.announce(call)
        self._seen = {(c.number, c.counter, c.at) for c in calls}
        rows = [c for c in calls if not serving or c is not latest]
        lines = [
            t("board.line", number=number, counter=c.counter)
            # absent says it all (its recalls came first): one bracket, not two
            + (
                "  " + t("everyday.board.no_show")
                if c.status == "no_show"
                else ("  " + t("everyday.board.recalls", count=c.recalls) if c.recalls else "")
            )
            for c, number in zip(rows, aligned([self._label(c) for c in rows]), strict=True)
        ]
        set_text(self.query_one("#board-previous", Static), "\n".join(lines))

    def _label(self, call: CallView) -> str:
        return ticket_label(call.number, call.priority, self.runtime.config.priority.numbering)

    def _since(self, calls: list[CallView]) -> list[CallView]:
        """The calls (newest first) not on the board at the last poll."""
        return [c for c in calls if (c.number, c.counter, c.at) not in self._seen]

    def announce(self, call: CallView) -> None:
        """Queue the spoken call (desk.notify.announce: in order, after a chime)."""
        ui = self.runtime.config.ui
        if not ui.speech:
            return
        if self._announcer is None:
            from platformdirs import user_data_path

            from desk.notify.announce import Announcer, write_chime

            self._announcer = Announcer(
                ui.speech_command,
                ui.chime_command,
                "vi" if ui.language == "vi" else "en",
                write_chime(user_data_path("desk") / "chime.wav"),
                lambda why: self.app.call_from_thread(
                    self.notify, t("speech.unavailable", why=why), severity="warning"
                ),
            )
        self._announcer.say(t("board.speech", number=" ".join(call.number), counter=call.counter))

    def on_unmount(self) -> None:
        if self._announcer is not None:
            self._announcer.close()

    def action_leave(self) -> None:
        self.desk.leave_screen()


def aligned(labels: list[str]) -> list[str]:
    """Ticket labels padded on the left to the widest one's cells, so that the "→"
    after them stands in one column whether or not a label carries a ★ (the digits
    line up too; the ★ stands out to their left)."""
    from rich.cells import cell_len

    width = max((cell_len(label) for label in labels), default=0)
    return [" " * (width - cell_len(label)) + label for label in labels]


def latest_per_ticket(events: list[CallView]) -> list[CallView]:
    """The newest call of each ticket, newest first."""
    seen: set[str] = set()
    out: list[CallView] = []
    for call in events:
        if call.number not in seen:
            seen.add(call.number)
            out.append(call)
    return out
