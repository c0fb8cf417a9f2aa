"""The demo launcher: every screen one key away."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from desk.i18n import t
from screens.base import DeskScreen
from screens.header import DeskHeader
from screens.keybar import KeyBar


class LauncherScreen(DeskScreen):
    AUTO_FOCUS = "#roles"
    BINDINGS = [
        Binding("k", "open('kiosk')", "keys.kiosk", id="launcher.kiosk"),
        Binding("b", "open('board')", "keys.board", id="launcher.board"),
        Binding("a", "open('admin')", "keys.admin", id="launcher.admin"),
        *[
            Binding(str(n), f"open('counter-{n}')", "keys.counter", show=False)
            for n in range(1, 10)
        ],
        Binding("q", "quit_demo", "keys.quit", id="launcher.quit"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="launcher")

    def _entries(self) -> list[tuple[str, str, str]]:
        """(option id, key, label) for every screen."""
        config = self.runtime.config
        entries = [("kiosk", "k", t("launcher.kiosk"))]
        for ctr in config.counters:
            label = t("launcher.counter", number=ctr.number)
            if ctr.priority:
                label += " — " + t("launcher.priority")
            entries.append((f"counter-{ctr.number}", str(ctr.number), label))
        entries.append(("board", "b", t("launcher.board")))
        entries.append(("admin", "a", t("launcher.admin")))
        return entries

    def compose(self) -> ComposeResult:
        yield DeskHeader()
        with Vertical(id="launcher-body"):
            yield Static(t("launcher.heading"), id="launcher-heading")
            yield Static(
                t("launcher.hint", pin=self.runtime.config.ui.kiosk_pin),
                id="launcher-hint",
                markup=False,
            )
            yield OptionList(
                *[Option(f"[{key}]  {label}", id=oid) for oid, key, label in self._entries()],
                id="roles",
                markup=False,
            )
        yield KeyBar()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "open" and parameters:
            return any(oid == parameters[0] for oid, _, _ in self._entries())
        return True

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.action_open(event.option.id)

    def action_open(self, option_id: str) -> None:
        if option_id.startswith("counter-"):
            self.desk.open_role("counter", int(option_id.removeprefix("counter-")))
        else:
            self.desk.open_role(option_id)

    def action_quit_demo(self) -> None:
        self.app.exit()
