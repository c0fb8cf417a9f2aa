"""Login before the counter and admin screens, and the idle lock.

The kiosk, board and rating terminals need no login and reach nothing else. A
counter or the dashboard starts here: the officer's account opens the screen its
role allows (the dashboard needs the supervisor role). After
``ui.idle_lock_minutes`` without a key the screen locks and asks the same
officer's password; repeated failures lock the account (desk.center.accounts).

Tab and Shift+Tab move between the fields; after a failed try the username stays
and the password is asked again (Shift+Tab goes back to a mistyped name). A
database with no account at all says so and shows how to create the first
administrator, instead of refusing every password.
"""

from __future__ import annotations

from collections.abc import Callable

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import Input, Static

from desk.center.accounts import (
    AccountError,
    Actor,
    PermissionDenied,
    count_officers,
    has_demo_accounts,
    login,
    require,
    verify_password,
)
from desk.i18n import t
from screens import textual_compat
from screens.base import DeskModal, DeskScreen
from screens.first import login_title
from screens.typeahead import after_typed_keys


class LoginScreen(DeskScreen, inherit_bindings=False):
    AUTO_FOCUS = "#login-user"
    BINDINGS = [
        Binding("escape", "leave", "keys.back"),
        # the keys that move between the fields act when the app reads them (priority),
        # before it hands the keys typed after them to the focused field: typed in one
        # burst (a fast typist, one packet over SSH), the password otherwise went on
        # in the username field, in plain sight
        Binding("tab", "app.focus_next", "keys.next_field", show=False, priority=True),
        Binding(
            "shift+tab", "app.focus_previous", "keys.previous_field", show=False, priority=True
        ),
        Binding("enter", "submit_field", "", show=False, priority=True),
        # Enter typed before the app owns the terminal arrives as a newline (the
        # terminal's line mode turns CR into LF), which Textual reads as Ctrl+J
        Binding("ctrl+j", "submit_field", "", show=False, priority=True),
    ]

    def __init__(
        self,
        action: str,
        then: Callable[[Actor], None],
        counter: int | None = None,
        *,
        role: str,
    ) -> None:
        super().__init__(classes="login")
        self.action = action
        self.then = then
        self.counter = counter
        self.role = role
        """The role the login opens (``counter``, ``admin``), named in its title."""
        if self.desk.leaving_quits:  # a role started on its own: Esc ends the program
            textual_compat.relabel(self, "leave", t("keys.quit"))

    def compose(self) -> ComposeResult:
        label = ""
        if self.counter is not None:
            from screens.counter import counter_label

            label = counter_label(self.runtime.config, self.counter)
        title = login_title(self.role, label)
        with Vertical(id="login-box"):
            yield Static(title, id="login-title", markup=False)
            yield Static(t("account.username"))
            yield Input(id="login-user", max_length=64)
            yield Static(t("account.password"))
            yield Input(id="login-password", password=True, max_length=128)
            yield Static("", id="login-message", markup=False)
            # Esc ends the program, or goes back to the demo's launcher
            hint = "account.hint" if self.desk.leaving_quits else "labels.login_hint_back"
            yield Static(t(hint), id="login-hint")
            # the demo's accounts, named only on the demo's database (check_accounts)
            demo = Static(t("account.demo_hint"), id="login-demo")
            demo.display = False
            yield demo

    def on_mount(self) -> None:
        self.check_accounts()

    @work(thread=True, exclusive=True, group="accounts", exit_on_error=False)
    def check_accounts(self) -> None:
        engine = self.runtime.engine
        if count_officers(engine) == 0:
            self.app.call_from_thread(self._no_accounts)
        elif has_demo_accounts(engine):
            self.app.call_from_thread(self._demo_accounts)

    def _demo_accounts(self) -> None:
        self.query_one("#login-demo", Static).display = True

    def _no_accounts(self) -> None:
        message = self.query_one("#login-message", Static)
        message.update(t("everyday.login.no_accounts"))
        message.add_class("-error")

    def show_failure(self, message: str) -> None:
        self.query_one("#login-message", Static).update(message)

    def action_submit_field(self) -> None:
        """Enter (or Ctrl+J, a newline): from the name to the password at once (see
        BINDINGS), from the password the sign-in, once each field has taken the keys
        typed before this Enter (:func:`screens.typeahead.after_typed_keys`)."""
        user = self.query_one("#login-user", Input)
        password = self.query_one("#login-password", Input)
        if self.focused is password:
            after_typed_keys([password, user], self._sign_in)
        else:
            self.set_focus(password)

    def _sign_in(self) -> None:
        user = self.query_one("#login-user", Input)
        password = self.query_one("#login-password", Input)
        # an empty field is named, not counted as a wrong password
        for field, key, empty in (
            (user, "empty_user", not user.value.strip()),
            (password, "empty_password", not password.value),
        ):
            if empty:
                self.query_one("#login-message", Static).update(t(f"everyday.login.{key}"))
                field.focus()
                return
        self.attempt(user.value, password.value)

    @work(thread=True, exclusive=True, group="login", exit_on_error=False)
    def attempt(self, user: str, password: str) -> None:
        try:
            actor = login(self.runtime.engine, user, password)
            require(actor, self.action)
        except AccountError as exc:
            self.app.call_from_thread(self._refused, str(exc), False)
            return
        except PermissionDenied as exc:  # another account is needed: start over
            self.app.call_from_thread(self._refused, str(exc), True)
            return
        self.app.call_from_thread(self._accepted, actor)

    def _refused(self, message: str, other_account: bool) -> None:
        self.query_one("#login-message", Static).update(message)
        password = self.query_one("#login-password", Input)
        password.value = ""
        user = self.query_one("#login-user", Input)
        if other_account:
            user.value = ""
            user.focus()
            return
        # the username stays and the password is asked again: typed straight away it
        # goes where it is hidden, never into the username in plain sight (the focus
        # went back to the name once, and a retyped password showed there)
        password.focus()

    def _accepted(self, actor: Actor) -> None:
        self.desk.sign_in(actor)
        self.then(actor)

    def action_leave(self) -> None:
        self.desk.leave_screen()


class LockScreen(DeskModal[None]):
    """The idle lock: only the signed-in officer's password opens it again."""

    AUTO_FOCUS = "#unlock-password"

    def __init__(self, actor: Actor, minutes: int) -> None:
        super().__init__(classes="dialog lock")
        self.actor = actor
        self.minutes = minutes

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box"):
            yield Static(
                t("account.locked_screen", minutes=self.minutes, name=self.actor.full_name),
                classes="dialog-title",
                markup=False,
            )
            yield Input(id="unlock-password", password=True, max_length=128)
            yield Static("", id="unlock-message", markup=False)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.check(event.value)

    @work(thread=True, exclusive=True, group="unlock", exit_on_error=False)
    def check(self, password: str) -> None:
        ok = verify_password(self.desk.runtime.engine, self.actor, password)
        self.app.call_from_thread(self._checked, ok)

    def _checked(self, ok: bool) -> None:
        if ok:
            self.desk.touch()
            self.dismiss(None)
            return
        self.query_one("#unlock-message", Static).update(t("account.wrong_password"))
        self.query_one("#unlock-password", Input).value = ""
