"""The first frame of a role, drawn from the configuration alone.

While the database, SQLAlchemy and pydantic load in a worker (:class:`screens.app.DeskApp`),
the kiosk shows its tiles, the board its frame and a counter or the dashboard its
login box, each with the ids and classes of the real screen, so the style sheet draws
them the same and the real screen takes their place without a visible change. These
frames hold no data and answer no key: keys pressed meanwhile are held by the app and
given to the real screen when it is up.

Only Textual (with Rich, and :mod:`screens.phrases` built on them) and
:mod:`desk.center.first_frame` are imported here.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Container, Grid, Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input, Static

from desk.center.first_frame import FirstFrame
from desk.i18n import t
from screens.bigtext import BigText, board_scale
from screens.phrases import NAME_BREAK, PhraseLine


class KioskTile(PhraseLine):
    """A kiosk tile, the same in the first frame and on the kiosk: its key and
    service, a cell of margin inside its border, broken between the service's
    phrases when it does not fit one line ("4  Kinh doanh – Văn hóa –" then "Giáo
    dục" at 80 columns: after a " – ", never inside a phrase)."""

    def __init__(self, label: str, *, id: str, classes: str = "tile") -> None:
        super().__init__(label, id=id, classes=classes, breaks=NAME_BREAK)


class KioskFrame(Screen[None]):
    """The kiosk's home: the center's name, the welcome and the service tiles."""

    def __init__(self, frame: FirstFrame) -> None:
        super().__init__(classes="kiosk")
        self.frame = frame

    def compose(self) -> ComposeResult:
        yield Static(self.frame.center_name, id="kiosk-center", markup=False)
        with Container(id="kiosk-home"):
            yield Static(t("kiosk.welcome"), id="kiosk-welcome")
            with Grid(id="kiosk-tiles"):
                for tile in self.frame.tiles:
                    yield KioskTile(f"{tile.key}  {tile.label}", id=f"tile-{tile.prefix}")
                yield KioskTile(
                    f"{self.frame.priority_key}  ★ {t('kiosk.priority')}",
                    id="tile-priority",
                    classes="tile priority",
                )
        yield Static("", id="kiosk-message", markup=False)


def compose_board(center_name: str) -> ComposeResult:
    """The board's widgets, the same in its first frame and once it shows calls."""
    yield Static(center_name, id="board-center", markup=False)
    yield Static(t("board.title"), id="board-title")
    with Horizontal(id="board-latest"):
        with Vertical(classes="board-cell"):
            yield Static(t("board.number"), classes="board-caption")
            yield BigText("", id="board-number")
        with Vertical(classes="board-cell"):
            yield Static(t("board.counter"), classes="board-caption")
            yield BigText("", id="board-counter")
    yield Static(t("board.previous"), id="board-previous-title")
    yield Static("", id="board-previous", markup=False)


def fit_board_numbers(screen: Screen[None]) -> None:
    """The big numbers as large as the screen allows: the whole screen is used."""
    scale = board_scale(screen.size.width, screen.size.height)
    for big in screen.query(BigText):
        big.scale = scale


class BoardFrame(Screen[None]):
    """The board's frame, before its first calls are read."""

    def __init__(self, frame: FirstFrame) -> None:
        super().__init__(classes="board")
        self.frame = frame

    def compose(self) -> ComposeResult:
        yield from compose_board(self.frame.center_name)

    def on_resize(self) -> None:
        """The same size of numbers as the board that takes its place."""
        fit_board_numbers(self)


class LoginFrame(Screen[None]):
    """The login box of a counter or the dashboard."""

    AUTO_FOCUS = "#login-user"

    def __init__(self, title: str = "") -> None:
        super().__init__(classes="login")
        self.title_text = title or t("account.title")

    def compose(self) -> ComposeResult:
        with Vertical(id="login-box"):
            yield Static(self.title_text, id="login-title", markup=False)
            yield Static(t("account.username"))
            yield Input(id="login-user", max_length=64)
            yield Static(t("account.password"))
            yield Input(id="login-password", password=True, max_length=128)
            yield Static("", id="login-message", markup=False)
            yield Static(t("account.hint"), id="login-hint")
            # the demo's accounts: named by the login screen once it has read the
            # database (screens.login.LoginScreen.check_accounts)


def counter_title(number: int, name: str) -> str:
    """``Quầy 7 — Quầy ưu tiên``: the counter's number, and its name when it has one."""
    label = t("counter.title", number=number)
    return f"{label} — {name}" if name and name != label else label


def login_title(role: str, counter: str = "") -> str:
    """The login box's title, naming what it opens: ``Đăng nhập — Quầy 1`` (``counter``,
    the counter's label) or ``Đăng nhập — Quản trị``."""
    opens = t("labels.login_admin") if role == "admin" else counter
    return f"{t('account.title')} — {opens}" if opens else t("account.title")


def first_screen(
    role: str, frame: FirstFrame, *, login: bool, counter: int | None = None
) -> Screen[None]:
    """The first frame of ``role``; ``login``: the role starts at a login."""
    if login:
        label = ""
        if counter is not None and counter in frame.counters:
            name = dict(zip(frame.counters, frame.counter_names, strict=False)).get(counter, "")
            label = counter_title(counter, name)
        return LoginFrame(title=login_title(role, label))
    if role == "kiosk":
        return KioskFrame(frame)
    if role == "board":
        return BoardFrame(frame)
    return Screen()
