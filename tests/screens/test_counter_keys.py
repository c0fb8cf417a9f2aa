"""What a first-time officer met at the counter: a question's key bar showed the
counter's keys, F1 said R and 1 2 3 did not apply without saying why, a letter typed
at the counter did nothing and said nothing, F4's message was still there after a
dossier, and in English a priority category broke inside a phrase at 80 columns."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.confirm import Confirm
from screens.counter import CounterScreen
from screens.help import HelpScreen
from screens.phrases import PhraseLine
from tests.conftest import signed_in
from tests.screens.test_counter import settle, text_of
from tests.screens.test_counter80 import in_language
from tests.screens.test_snapshots import SIZES, frozen, keys
from tests.screens.test_walk import screen_lines

__all__ = ["frozen"]


def counter_message(app: DeskApp) -> str:
    """The counter's message as written (on screen it breaks between phrases)."""
    counter = next(s for s in app.screen_stack if isinstance(s, CounterScreen))
    return counter.query_one("#counter-message", PhraseLine).text


def with_scan_gap(runtime: Runtime, ms: int) -> Runtime:
    identity = runtime.config.identity.model_copy(update={"scan_gap_ms": ms})
    config = runtime.config.model_copy(update={"identity": identity})
    return dataclasses.replace(runtime, config=config)


async def test_a_question_shows_its_own_keys_in_the_key_bar(runtime: Runtime) -> None:
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert "F2 Gọi số" in screen_lines(app)[-2]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        bottom = screen_lines(app)[-3:]  # the counter's bar took the last two lines
        assert bottom[-1].strip() == "Y Có  N Không  Esc Hủy"
        assert not any("F2" in line or "Esc Đóng quầy" in line for line in bottom)
        await pilot.press("n")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        bottom = screen_lines(app)[-2:]
        assert "F2 Gọi số" in bottom[0] and "Esc Đóng quầy" in bottom[1]
        assert "Y Có" not in " ".join(bottom)


async def test_f1_says_why_r_and_the_ratings_do_not_apply(runtime: Runtime) -> None:
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        shown = " ".join(text_of(app, "#help-keys").split())
        assert "(chưa dùng được lúc này)" not in shown
        assert (
            "R Thử lại Chỉ dùng sau khi một bước không chạy được vì cơ sở dữ liệu bận: "
            "R chạy lại bước đó."
        ) in shown
        rate_when = "Chỉ dùng khi dòng mời công dân đánh giá số vừa kết thúc (sau F9) đang hiện."
        assert f"1 Rất hài lòng {rate_when}" in shown
        # the same reason under the next keys: said once
        assert "2 Hài lòng (như trên) 3 Không hài lòng (như trên)" in shown
        assert shown.count(rate_when) == 1


async def test_a_letter_typed_at_the_counter_says_it_does_nothing(runtime: Runtime) -> None:
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("a")
        await settle(app, pilot)
        assert counter_message(app) == (
            "Phím A không dùng ở màn hình quầy. Bấm F1 để xem các phím."
        )
        assert "Phím A không dùng ở màn hình quầy." in "\n".join(screen_lines(app))
        await pilot.press("f2")
        await settle(app, pilot)
        assert counter_message(app) == "Đã gọi số A001."
        await pilot.press("r")  # R only after a busy database
        await settle(app, pilot)
        assert counter_message(app) == (
            "Phím R chưa dùng được lúc này. Chỉ dùng sau khi một bước không chạy được "
            "vì cơ sở dữ liệu bận: R chạy lại bước đó. Bấm F1 để xem các phím."
        )
        await pilot.press("enter", "2")  # no rating asked: nobody was finished
        await settle(app, pilot)
        assert counter_message(app).startswith("Phím 2 chưa dùng được lúc này. Chỉ dùng khi")
        assert Queue(runtime).counter_status(1).current is not None  # nothing else ran


async def test_a_scanners_burst_at_the_counter_says_nothing(runtime: Runtime) -> None:
    # a scanner types a key every few ms; the wide gap keeps a loaded test machine
    # from splitting the burst
    rt = with_scan_gap(runtime, 2000)
    Queue(rt).issue("A")
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        assert counter_message(app) == "Đã gọi số A001."
        await pilot.press(*"XY0123")
        await settle(app, pilot)
        assert counter_message(app) == "Đã gọi số A001."  # as before the burst
        await pilot.press("f3", "q")  # a key alone again, after another key
        await settle(app, pilot)
        assert counter_message(app).startswith("Phím Q không dùng ở màn hình quầy.")


async def test_f8_still_takes_what_is_typed_after_it(runtime: Runtime) -> None:
    """The characters typed after F8 go to the look-up, not to the counter's message."""
    from textual.widgets import Input

    from screens.lookup import LookupScreen

    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8", *"abc")
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)
        assert app.screen.query_one("#lookup-query", Input).value == "abc"
        assert counter_message(app) == ""


async def test_the_counters_message_goes_when_f6_opens(runtime: Runtime) -> None:
    from screens.intake import IntakeScreen

    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2", "f4")  # absent too soon: it says what to do first
        await settle(app, pilot)
        assert counter_message(app).startswith("Cần gọi lại số A001")
        await pilot.press("f6")
        await settle(app, pilot)
        assert isinstance(app.screen, IntakeScreen)
        assert counter_message(app) == ""
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        assert "Cần gọi lại" not in "\n".join(screen_lines(app))


async def test_the_counters_message_goes_when_f8_opens(runtime: Runtime) -> None:
    from screens.lookup import LookupScreen

    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f4")
        await settle(app, pilot)
        assert counter_message(app) == "Không có số nào ở quầy. Bấm F2 để gọi số."
        await pilot.press("f8")
        await settle(app, pilot)
        assert isinstance(app.screen, LookupScreen)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        assert counter_message(app) == ""


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_a_priority_ticket_called_in_english(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int]
) -> None:
    rt = in_language(frozen, "en")
    try:
        Queue(rt).issue("A", "elderly80_child6_severe")
        app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
        assert snap_compare(app, terminal_size=size, run_before=keys("f2"))
    finally:
        from desk import i18n

        i18n.set_language("vi")


async def test_f9_on_a_ticket_called_but_not_come_says_so_and_counts_nobody(
    runtime: Runtime,
) -> None:
    """F9 right after F2 finished the called ticket and counted a citizen who never
    came as served (walk, 2 Dec); it now says what F2 says in that state."""
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("f9")
        await settle(app, pilot)
        assert counter_message(app) == (
            "Số A001 vừa gọi chưa được phục vụ: bấm Enter khi công dân đến, F4 nếu vắng mặt "
            "hoặc F5 để chuyển."
        )
        status = Queue(runtime).counter_status(1)
        assert status.served_today == 0
        assert status.current is not None and status.current.status == "called"
        await pilot.press("enter", "f9")  # the citizen came: served, then finished
        await settle(app, pilot)
        status = Queue(runtime).counter_status(1)
        assert status.served_today == 1 and status.current is None
