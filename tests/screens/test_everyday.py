"""The everyday path: keys run in the order pressed, failures show, keys say why.

The database is slowed or made to fail on purpose at the queue's edge (a Queue
whose one method waits or raises before doing the real work)."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time

import pytest
from textual.widgets import DataTable, OptionList, Static

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from desk.queue.views import TicketView
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.counter import CounterScreen
from tests.conftest import signed_in


def text_of(app: DeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def settle(app: DeskApp, pilot: object) -> None:
    """Until no worker runs and no queued step waits (steps start one another)."""
    from textual.worker import WorkerCancelled, WorkerFailed

    for _ in range(50):
        try:
            await app.workers.wait_for_complete()
        except (WorkerCancelled, WorkerFailed):  # a failure is what some tests look at
            await pilot.pause()  # type: ignore[attr-defined]
            continue
        await pilot.pause()  # type: ignore[attr-defined]
        screen = app.screen
        busy = getattr(screen, "busy", False) or getattr(screen, "_steps", None)
        if not busy and not any(w.is_running for w in app.workers):
            return


class SlowFinish(Queue):
    """A database slow to finish a ticket (the first step of F9 then F2)."""

    def finish(
        self, number: int, outcome: str = "done", officer_id: int | None = None
    ) -> TicketView:
        time.sleep(0.4)
        return super().finish(number, outcome, officer_id)


async def test_f9_then_f2_run_in_the_order_pressed(runtime: Runtime) -> None:
    """F9 (finish A001) then F2 at once: A001 is finished and A002 is called. When the
    keys raced, F2 finished A001 and called A002, and the late F9 finished A002."""
    q = Queue(runtime)
    for _ in range(3):
        q.issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    app.queue = SlowFinish(runtime)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "enter")
        await settle(app, pilot)
        assert str(app.screen.query_one("#current-number", BigText).value) == "A001"
        await pilot.press("f9", "f2")
        await pilot.pause()
        assert text_of(app, "#counter-message") == "Đang xử lý phím trước, xin chờ…"
        await settle(app, pilot)
        assert str(app.screen.query_one("#current-number", BigText).value) == "A002"
        assert text_of(app, "#current-state").startswith("Đã gọi")
        assert text_of(app, "#counter-message") == "Đã gọi số A002."
        status = Queue(runtime).counter_status(1)
        assert status.current is not None and status.current.number == "A002"
        assert status.current.status == "called"
        assert status.served_today == 1


async def test_esc_waits_for_the_last_step(runtime: Runtime) -> None:
    """Esc right after F9: the finish is written before the counter closes."""
    q = Queue(runtime)
    q.issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    app.queue = SlowFinish(runtime)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "enter")
        await settle(app, pilot)
        await pilot.press("f9", "escape")
        await app.workers.wait_for_complete()
        await pilot.pause()
        # asked once the finish is written: close the counter? yes
        from screens.confirm import Confirm

        assert isinstance(app.screen, Confirm)
        assert app.screen.title_text.startswith("Đóng Quầy 1")
        await pilot.press("y")
        await app.workers.wait_for_complete()
        await pilot.pause()
        await app.workers.wait_for_complete()
    status = Queue(runtime).counter_status(1)
    assert status.current is None and status.served_today == 1
    assert status.state == "closed"


class SlowCall(Queue):
    """A database slow to call the next ticket."""

    def call_next(self, number: int, officer_id: int | None = None) -> TicketView | None:
        time.sleep(0.4)
        return super().call_next(number, officer_id)


async def test_f6_pressed_while_a_step_runs_opens_the_form_after_it(runtime: Runtime) -> None:
    """F2 then F6 at once: the intake form opens when the call is done, for the ticket
    just called (it was refused before, and at start-up F6 met the counter's own
    opening step and was lost)."""
    from screens.intake import IntakeScreen

    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    app.queue = SlowCall(runtime)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "f6")
        await pilot.pause()
        assert text_of(app, "#counter-message") == "Đang xử lý phím trước, xin chờ…"
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.ticket is not None and screen.ticket.number == "A001"
        assert app.focused is not None and app.focused.id == "procedure"


class BrokenDisk(Queue):
    """A database that fails in a way no retry fixes (a full disk)."""

    def recall(self, number: int, officer_id: int | None = None) -> TicketView:
        raise sqlite3.OperationalError("database or disk is full")


async def test_a_step_that_raises_is_shown_and_logged(runtime: Runtime, caplog) -> None:  # type: ignore[no-untyped-def]
    """A failure no rule foresaw: the officer reads that something went wrong, the
    log has it, and the next key still works."""
    q = Queue(runtime)
    q.issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    app.queue = BrokenDisk(runtime)
    caplog.set_level(logging.ERROR, logger="desk.screens")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("f3")
        await settle(app, pilot)
        message = text_of(app, "#counter-message")
        assert message.startswith("Có lỗi khi xử lý (OperationalError)")
        assert app.screen.query_one("#counter-message").has_class("-error")
        assert "OperationalError" in caplog.text
        await pilot.press("enter")  # the counter is not stuck
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == "Đang phục vụ số A001."


class BrokenReads(Queue):
    def counter_status(self, number: int, limit: int = 50):  # type: ignore[no-untyped-def]
        if self.broken.is_set():
            raise sqlite3.DatabaseError("database disk image is malformed")
        return super().counter_status(number, limit)

    broken = threading.Event()


async def test_the_poller_lets_a_real_error_surface(runtime: Runtime) -> None:
    """The once-a-second refresh hides only a busy database; a corrupt one shows."""
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    queue = BrokenReads(runtime)
    queue.broken = threading.Event()
    app.queue = queue
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        queue.broken.set()
        Queue(runtime).issue("A")  # the kiosk: the counter reads at its next poll
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        screen.refresh_status()
        await settle(app, pilot)
        assert text_of(app, "#counter-message").startswith("Có lỗi khi xử lý (DatabaseError)")


async def test_keys_that_do_not_apply_say_why(runtime: Runtime) -> None:
    q = Queue(runtime)
    q.issue("A")
    q.issue("B")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f3")  # nothing called yet
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == "Không có số nào ở quầy. Bấm F2 để gọi số."
        await pilot.press("f9")
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == "Không có số nào ở quầy. Bấm F2 để gọi số."
        await pilot.press("f2", "enter", "f5")
        await settle(app, pilot)
        # counter 3 serves certification only: A001 (civil status) cannot go there, and
        # is not offered (the engine's refusal: tests/queue/test_engine.py)
        targets = app.screen.query_one("#transfer-targets", OptionList)
        labels = [str(targets.get_option_at_index(i).prompt) for i in range(targets.option_count)]
        assert "Quầy 3" not in labels and "Quầy 2 (đang không mở)" in labels
        await pilot.press("escape")
        await settle(app, pilot)
        await pilot.press("f5", *["down"] * 6, "enter")  # counter 2 serves A
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == (
            "Đã chuyển số A001 đến Quầy 2. Quầy 2 đang không mở: số chỉ được gọi khi"
            " quầy mở, hãy báo công dân."
        )
        Queue(runtime).set_state(2, "open")  # an open counter: nothing to tell
        Queue(runtime).issue("A")
        await pilot.press("f2", "enter", "f5", *["down"] * 6, "enter")
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == "Đã chuyển số A002 đến Quầy 2."


async def test_the_counter_names_itself_and_its_services(runtime: Runtime) -> None:
    q = Queue(runtime)
    q.issue("B")
    app = DeskApp(runtime, role="counter", counter=7, officer=signed_in(runtime))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        # and who is signed in there (the tests' officer is the demo's director)
        assert text_of(app, "#counter-title") == "Quầy 7 — Quầy ưu tiên · Giám đốc Trung tâm"
        table = app.screen.query_one("#waiting", DataTable)
        assert [str(cell) for cell in table.get_row_at(0)[:2]] == ["B001", "Chứng thực"]


# --- the kiosk ----------------------------------------------------------------------


def ticket_count(db_url: str) -> int:
    with sqlite3.connect(db_url.removeprefix("sqlite:///")) as conn:
        return int(conn.execute("SELECT count(*) FROM ticket").fetchone()[0])


@pytest.mark.usefixtures("open_hours")
async def test_kiosk_presses_while_the_database_is_locked_give_one_ticket(
    runtime: Runtime, db_url: str
) -> None:
    """Five presses while another process holds the write lock: the citizen reads
    "đang lấy số" at once, and gets one ticket when the lock goes, not five."""
    from screens.kiosk import KioskScreen

    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    app = DeskApp(runtime, role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, KioskScreen)
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("1", "1", "1", "1", "1")
        await pilot.pause()
        # "đang lấy số" at once; on a machine so loaded that this pause took over two
        # seconds the kiosk has moved on to "xin chờ", and past the busy timeout it
        # says so and asks for one more press: never a ticket per press
        busy = "Hệ thống đang bận. Xin chờ giây lát rồi bấm lại."
        shown = text_of(app, "#kiosk-message")
        assert shown in ("Đang lấy số…", "Xin chờ trong giây lát…", busy)
        holder.execute("ROLLBACK")
        await settle(app, pilot)
        if text_of(app, "#kiosk-message") == busy or shown == busy:
            await pilot.press("1")
            await settle(app, pilot)
        assert str(app.screen.query_one("#ticket-number", BigText).value) == "A001"
    holder.close()
    assert ticket_count(db_url) == 1


@pytest.mark.usefixtures("open_hours")
async def test_the_kiosk_pauses_on_a_broken_database_and_recovers(
    runtime: Runtime, db_url: str
) -> None:
    """The tickets table disappears (a broken database) and comes back: the kiosk
    never closes, shows a calm pause, ignores presses, and serves again by itself."""
    from screens.kiosk import KioskScreen

    other = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    app = DeskApp(runtime, role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, KioskScreen)
        other.execute("ALTER TABLE ticket RENAME TO ticket_gone")
        await pilot.press("1")
        await settle(app, pilot)
        assert app.is_running and app.screen is screen
        assert screen.query_one("#kiosk-paused").display
        assert "Máy tạm dừng" in text_of(app, "#kiosk-paused")
        assert not screen.query_one("#kiosk-home").display
        await pilot.press("1", "escape", "ctrl+c")  # still locked down, still paused
        await settle(app, pilot)
        assert app.screen is screen and screen.query_one("#kiosk-paused").display
        screen.probe()  # the kiosk's own retry, without waiting for its timer
        await settle(app, pilot)
        assert screen.query_one("#kiosk-paused").display  # not back yet
        other.execute("ALTER TABLE ticket_gone RENAME TO ticket")
        screen.probe()
        await settle(app, pilot)
        assert not screen.query_one("#kiosk-paused").display
        assert screen.query_one("#kiosk-home").display
        await pilot.press("1")
        await settle(app, pilot)
        assert str(screen.query_one("#ticket-number", BigText).value) == "A001"
    other.close()
    assert ticket_count(db_url) == 1


# --- login and first run -------------------------------------------------------------


async def test_login_tab_moves_and_a_failed_try_keeps_the_username(runtime: Runtime) -> None:
    from textual.widgets import Input

    from desk.center.accounts import ensure_demo_accounts
    from screens.login import LoginScreen

    ensure_demo_accounts(runtime.engine)
    app = DeskApp(runtime, role="counter", counter=7)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        assert "Quầy 7 — Quầy ưu tiên" in text_of(app, "#login-title")
        user = screen.query_one("#login-user", Input)
        password = screen.query_one("#login-password", Input)
        assert app.focused is user
        await pilot.press(*"canbo", "tab")
        assert app.focused is password
        await pilot.press("shift+tab")
        assert app.focused is user
        await pilot.press("tab", *"wrong-pw", "enter")
        await settle(app, pilot)
        assert "Sai tên đăng nhập hoặc mật khẩu." in text_of(app, "#login-message")
        assert user.value == "canbo" and password.value == ""
        # the password is asked again: typed at once, it goes where it is hidden
        assert app.focused is password
        await pilot.press(*"canbo12")
        assert user.value == "canbo" and password.value == "canbo12"
        await pilot.press("enter")
        await settle(app, pilot)
        assert app.focused is password and password.value == ""
        # a mistyped name: Shift+Tab goes back to it
        await pilot.press("shift+tab")
        assert app.focused is user
        await pilot.press("enter", *"canbo123", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_a_database_with_no_accounts_says_how_to_create_the_first(
    runtime: Runtime,
) -> None:
    app = DeskApp(runtime, role="admin")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        message = text_of(app, "#login-message")
        assert message.startswith("Cơ sở dữ liệu này chưa có tài khoản nào.")
        assert "uv run desk officer add admin --role admin" in message


# --- F1 --------------------------------------------------------------------------------


async def test_f1_shows_every_key_of_every_screen(runtime: Runtime) -> None:
    from desk import i18n
    from screens.help import HelpScreen

    officer = signed_in(runtime)
    expected = {
        ("counter", 1): ["F2", "Gọi số", "1", "Rất hài lòng", "R", "Thử lại", "Ctrl+R"],
        ("admin", None): ["[", "Kỳ trước", "]", "Kỳ sau", "Tổng quan", "Vướng mắc"],
        ("kiosk", None): ["Ctrl+Q", "Rời máy"],
        ("board", None): ["Esc", "Quay lại"],
        ("rate", 1): ["1", "Rất hài lòng", "3", "Không hài lòng"],
        ("launcher", None): ["K", "Máy lấy số", "Q", "Thoát"],
    }
    for (role, counter), words in expected.items():
        app = DeskApp(runtime, role=role, counter=counter, officer=officer)
        async with app.run_test(size=(100, 40)) as pilot:
            await settle(app, pilot)
            below = app.screen
            await pilot.press("f1")
            await pilot.pause()
            assert isinstance(app.screen, HelpScreen), role
            shown = text_of(app, "#help-keys")
            for word in words:
                assert word in shown, (role, word, shown)
            assert "keys." not in shown and "left_square_bracket" not in shown
            await pilot.press("escape")
            await pilot.pause()
            assert app.screen is below
    i18n.set_language("en")
    app = DeskApp(runtime, role="counter", counter=1, officer=officer)
    async with app.run_test(size=(100, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await pilot.pause()
        shown = text_of(app, "#help-keys")
        assert "Call next" in shown and "Very satisfied" in shown
        assert "Retry" in shown


# --- the board -----------------------------------------------------------------------


async def test_the_board_drops_a_no_show_from_now_serving(runtime: Runtime) -> None:
    from screens.board import BoardScreen

    q = Queue(runtime)
    q.issue("A")
    q.issue("A")
    q.call_next(1)
    q.call_next(2)
    app = DeskApp(runtime, role="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        assert str(screen.query_one("#board-number", BigText).value) == "A002"
        q.recall(2)
        q.recall(2)
        screen.poll()
        await settle(app, pilot)
        assert "A002" not in text_of(app, "#board-previous")  # once, in front
        q.no_show(2)
        screen.poll()
        await settle(app, pilot)
        assert str(screen.query_one("#board-number", BigText).value) == "A001"
        assert str(screen.query_one("#board-counter", BigText).value) == "1"
        previous = text_of(app, "#board-previous")
        assert "A002  →  Quầy 2  (vắng mặt)" in previous  # one bracket: absent says it all
        assert "gọi lại" not in previous


async def test_a_transferred_ticket_leaves_the_board_until_it_is_called_again(
    runtime: Runtime,
) -> None:
    """Transferred to counter 2, A002 still read "→ Quầy 1" on the board, in front,
    until counter 2 called it (walk, 2 Dec): the citizen was sent back to counter 1."""
    from screens.board import BoardScreen

    q = Queue(runtime)
    for _ in range(2):
        q.issue("A")
    q.call_next(1)
    q.start(1)
    q.finish(1)
    q.call_next(1)  # A001 done, A002 at counter 1
    app = DeskApp(runtime, role="board")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, BoardScreen)
        assert str(screen.query_one("#board-number", BigText).value) == "A002"
        q.transfer(1, to_counter=2)
        screen.poll()
        await settle(app, pilot)
        assert str(screen.query_one("#board-number", BigText).value) == "A001"
        assert "A002" not in text_of(app, "#board-previous")
        q.call_next(2)
        screen.poll()
        await settle(app, pilot)
        assert str(screen.query_one("#board-number", BigText).value) == "A002"
        assert str(screen.query_one("#board-counter", BigText).value) == "2"
