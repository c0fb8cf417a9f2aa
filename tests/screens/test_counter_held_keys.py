"""F6 or F8 pressed while a step runs opens its screen when the steps before it are
done; the keys pressed after it are skipped with a message saying why, and it is
itself skipped when a step before it fails (it was pressed for a state that did
not come)."""

from __future__ import annotations

import threading
from typing import Any

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from desk.queue.views import TicketView
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.counter import CounterScreen
from screens.phrases import PhraseLine
from tests.conftest import signed_in
from tests.screens.test_everyday import settle


class Held(Queue):
    """A database whose slow step (finish, or call next) runs only when the test lets
    it: the step is surely still running while the keys pressed after it are read,
    however busy the machine."""

    slow = "finish"

    def __init__(self, runtime: Runtime) -> None:
        super().__init__(runtime)
        self.go = threading.Event()
        self.go.set()

    def _wait(self, step: str) -> None:
        if step == self.slow:
            assert self.go.wait(60), "the test never let the step finish"

    def finish(
        self, number: int, outcome: str = "done", officer_id: int | None = None
    ) -> TicketView:
        self._wait("finish")
        return super().finish(number, outcome, officer_id)

    def call_next(self, number: int, officer_id: int | None = None) -> TicketView | None:
        self._wait("call_next")
        return super().call_next(number, officer_id)


class HeldCall(Held):
    slow = "call_next"


async def press_while_held(app: DeskApp, pilot: Any, held: Held, *keys: str) -> None:
    """``keys`` pressed while the first one's step is held, then the step let go."""
    held.go.clear()
    await pilot.press(*keys)
    await pilot.pause()
    held.go.set()
    await settle(app, pilot)


def counter_message(app: DeskApp) -> str:
    """The counter's message as written (on screen it breaks between phrases)."""
    counter = next(s for s in app.screen_stack if isinstance(s, CounterScreen))
    return counter.query_one("#counter-message", PhraseLine).text


async def test_a_step_key_pressed_after_f6_is_skipped_and_says_why(runtime: Runtime) -> None:
    """F9 (slow), F6, F2: A001 is finished, the form opens with no ticket, and F2
    does not call A002 beneath the form (it did, and the form opened for A002)."""
    from screens.intake import IntakeScreen

    q = Queue(runtime)
    q.issue("A")
    q.issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    held = Held(runtime)
    app.queue = held
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "enter")
        await settle(app, pilot)
        held.go.clear()
        await pilot.press("f9", "f6", "f2")
        await pilot.pause()
        assert counter_message(app) == (
            "Phím F2 không chạy: biểu mẫu tiếp nhận (F6) sẽ mở khi xong phím trước, "
            "phím bấm sau F6 không chạy dưới biểu mẫu. Bấm lại F2 sau khi đóng biểu mẫu."
        )
        held.go.set()
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        assert screen.ticket is None  # A001 is finished, nothing else was called
        assert counter_message(app).startswith("Đã kết thúc số A001.")
        assert "Phím F2 không chạy" in counter_message(app)
        status = Queue(runtime).counter_status(1)
        assert status.current is None and status.served_today == 1
        assert [t.number for t in status.waiting] == ["A002"]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        await pilot.press("f2")  # pressed again, it applies
        await settle(app, pilot)
        assert app.screen.query_one("#current-number", BigText).value == "A002"


async def test_a_dialog_key_after_f8_is_skipped(runtime: Runtime) -> None:
    """F2 (slow), F8, F5: the look-up opens after the call; the transfer dialog does
    not open beneath it."""
    from screens.lookup import LookupScreen

    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    held = HeldCall(runtime)
    app.queue = held
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press_while_held(app, pilot, held, "f2", "f8", "f5")
        assert isinstance(app.screen, LookupScreen)
        assert [type(s).__name__ for s in app.screen_stack][-2:] == [
            "CounterScreen",
            "LookupScreen",
        ]
        assert "Phím F5 không chạy" in counter_message(app)
        assert "màn hình trả kết quả (F8)" in counter_message(app)


async def test_f6_behind_a_step_that_fails_is_skipped(runtime: Runtime) -> None:
    """F2 (slow, calls A001), F2 (refused: A001 is still called), F6: the form was
    pressed for a state that did not come and does not open."""
    Queue(runtime).issue("A")
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    held = HeldCall(runtime)
    app.queue = held
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        await press_while_held(app, pilot, held, "f2", "f2", "f6")
        assert isinstance(app.screen, CounterScreen)
        assert counter_message(app) == (
            "Số A001 vừa gọi chưa được phục vụ: bấm Enter khi công dân đến, F4 nếu vắng "
            "mặt hoặc F5 để chuyển. Bỏ qua 1 phím bấm sau đó."
        )
