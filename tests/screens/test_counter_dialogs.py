"""The counter's dialogs as a first-time officer met them: F1's help, F5's transfer,
Ctrl+B's booking and Ctrl+R's returned ticket showed the counter's key bar (F2, F3 ...,
keys that do nothing while a dialog is open) instead of their own keys; R with Caps
Lock (or Shift) did not retry; an impossible booking day was called a wrong format;
the close question said waiting tickets keep their places when nobody waited."""

from __future__ import annotations

import dataclasses
import sqlite3
from typing import Any

import pytest

from db.engine import make_engine
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.appointment import BookingDialog
from screens.confirm import Confirm
from screens.counter import CounterScreen, ReactivateDialog, TransferDialog
from screens.help import HelpScreen
from tests.conftest import signed_in
from tests.screens.test_counter import settle, text_of
from tests.screens.test_counter_keys import counter_message, with_scan_gap
from tests.screens.test_snapshots import SIZES, frozen, keys
from tests.screens.test_walk import screen_lines

__all__ = ["frozen"]


def bottom(app: DeskApp, lines: int) -> list[str]:
    return [line.strip() for line in screen_lines(app)[-lines:]]


@pytest.mark.parametrize(
    "pressed,dialog,bar",
    [
        (("f1",), HelpScreen, "↑↓ PgUp PgDn Cuộn  Esc Đóng"),
        (("f2", "f5"), TransferDialog, "↑↓ Chọn  Enter Chuyển  Esc Hủy"),
        (("ctrl+r",), ReactivateDialog, "Enter Đưa lại hàng chờ  Esc Hủy"),
        (("ctrl+b",), BookingDialog, "Enter Ô tiếp theo  Esc Quay lại"),
    ],
    ids=["help", "transfer", "returned", "booking"],
)
async def test_each_dialog_shows_its_own_keys(
    runtime: Runtime, pressed: tuple[str, ...], dialog: type, bar: str
) -> None:
    Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press(*pressed)
        await settle(app, pilot)
        assert isinstance(app.screen, dialog)
        shown = bottom(app, 2)  # the counter's bar takes the last two lines
        assert shown == ["", bar]
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)
        shown = bottom(app, 2)
        assert "F2 Gọi số" in shown[0] and shown[1].endswith("Esc Đóng quầy")


async def test_enter_on_the_booking_is_named_for_the_field_typed(runtime: Runtime) -> None:
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+b", "a", "enter", "enter", "enter")  # to the name
        await settle(app, pilot)
        assert bottom(app, 1) == ["Enter Đặt lịch  Esc Quay lại"]
        await pilot.press("shift+tab")  # back to the time
        await settle(app, pilot)
        assert bottom(app, 1) == ["Enter Ô tiếp theo  Esc Quay lại"]


async def test_a_help_that_fits_names_no_scroll_keys(runtime: Runtime) -> None:
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(120, 60)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert bottom(app, 1) == ["Esc Đóng"]


def busy_counter(runtime: Runtime, db_url: str) -> tuple[DeskApp, sqlite3.Connection]:
    """A counter whose database another process can lock (a short busy timeout)."""
    Queue(runtime).issue("A")
    impatient = dataclasses.replace(runtime, engine=make_engine(db_url, busy_timeout_ms=150))
    impatient = with_scan_gap(impatient, 0)  # each key a person's, however fast
    app = DeskApp(impatient, role="counter", counter=1, officer=signed_in(impatient))
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    return app, holder


async def test_the_counters_bar_growing_under_a_dialog_stays_covered(
    runtime: Runtime, db_url: str
) -> None:
    """F2 refused by a busy database while F1's help opens: R comes on the counter's
    bar, which grows to three lines under the help; none of them shows."""
    app, holder = busy_counter(runtime, db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        counter = app.screen
        assert isinstance(counter, CounterScreen)
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("f2", "f1")
        await settle(app, pilot)
        assert isinstance(app.screen, HelpScreen)
        assert counter.retry_step is not None  # R applies: the counter's bar has grown
        shown = bottom(app, 3)
        assert shown == ["", "", "↑↓ PgUp PgDn Cuộn  Esc Đóng"], shown
        holder.execute("ROLLBACK")
        await pilot.press("escape")
        await settle(app, pilot)
        shown = bottom(app, 3)
        assert "R Thử lại" in shown[1] and shown[2] == "Esc Đóng quầy"
    holder.close()


@pytest.mark.parametrize("key", ["R", "shift+r"], ids=["caps-lock", "shift"])
async def test_r_with_caps_lock_or_shift_retries(runtime: Runtime, db_url: str, key: str) -> None:
    app, holder = busy_counter(runtime, db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("f2")
        await settle(app, pilot)
        assert counter_message(app).endswith("Bấm R để thử lại.")
        holder.execute("ROLLBACK")
        await pilot.press(key)
        await settle(app, pilot)
        assert counter_message(app) == "Đã gọi số A001."
        current = Queue(runtime).counter_status(1).current
        assert current is not None and current.number == "A001"
        # with nothing to retry, R says why, as r does (not "no such key")
        await pilot.press("R")
        await settle(app, pilot)
        assert counter_message(app) == (
            "Phím R chưa dùng được lúc này. Chỉ dùng sau khi một bước không chạy được "
            "vì cơ sở dữ liệu bận: R chạy lại bước đó. Bấm F1 để xem các phím."
        )
    holder.close()


async def test_help_lists_r_once(runtime: Runtime) -> None:
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(app, pilot)
        await pilot.press("f1")
        await settle(app, pilot)
        shown = text_of(app, "#help-keys").splitlines()
        assert [line.split()[:3] for line in shown if line.startswith("R")] == [["R", "Thử", "lại"]]


async def test_a_dialogs_box_keeps_its_last_line_over_the_taller_bar(
    runtime: Runtime, db_url: str
) -> None:
    """With R on the counter's bar (three lines at 80×24), Ctrl+B's box has the room
    the bar leaves: a message of two lines under the fields shows whole."""
    app, holder = busy_counter(runtime, db_url)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("f2")
        await settle(app, pilot)
        holder.execute("ROLLBACK")
        await pilot.press("ctrl+b", "a", "enter", *"32/13/2026", "enter", *"09:00", "enter")
        await pilot.press("enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BookingDialog)
        box = [line.split("█")[1].strip() for line in screen_lines(app) if line.count("█") == 2]
        assert box[-4:-1] == [
            "Ô Ngày: không có ngày 32/13/2026 trên lịch; kiểm tra",
            "lại ngày và tháng.",
            "",  # the box's padding, above its bottom border
        ], box
        assert set(box[-1]) == {"▄"}
        assert bottom(app, 3) == ["", "", "Enter Ô tiếp theo  Esc Quay lại"]
    holder.close()


@pytest.mark.parametrize(
    "day,hour,said,field",
    [
        (
            "32/13/2026",
            "09:00",
            "Ô Ngày: không có ngày 32/13/2026 trên lịch; kiểm tra lại ngày và tháng.",
            "book-day",
        ),
        (
            "31/02/2026",
            "09:00",
            "Ô Ngày: không có ngày 31/02/2026 trên lịch; kiểm tra lại ngày và tháng.",
            "book-day",
        ),
        ("2026-12-01", "09:00", "Ngày cần dạng dd/mm/yyyy.", "book-day"),
        (
            "24/11/2026",
            "25:00",
            "Ô Giờ: không có giờ 25:00; giờ từ 00:00 đến 23:59.",
            "book-time",
        ),
        ("24/11/2026", "9:75", "Ô Giờ: không có giờ 9:75; giờ từ 00:00 đến 23:59.", "book-time"),
        ("24/11/2026", "chín", "Giờ cần dạng HH:MM, ví dụ 09:30 hoặc 9h30.", "book-time"),
    ],
    ids=["day-32-month-13", "31-february", "wrong-format", "hour-25", "minute-75", "no-time"],
)
async def test_an_impossible_booking_day_or_time_is_said_to_not_exist(
    runtime: Runtime, day: str, hour: str, said: str, field: str
) -> None:
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("ctrl+b", "a", "enter", *day, "enter", *hour, "enter", "enter")
        await settle(app, pilot)
        assert isinstance(app.screen, BookingDialog)
        assert text_of(app, "#booking-result") == said
        assert app.screen.focused is not None and app.screen.focused.id == field


@pytest.mark.parametrize("waiting", [0, 2])
async def test_the_close_question_says_the_waiting_keep_their_places_only_if_any(
    runtime: Runtime, waiting: int
) -> None:
    for _ in range(waiting):
        Queue(runtime).issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("escape")
        await settle(app, pilot)
        assert isinstance(app.screen, Confirm)
        screen = "\n".join(screen_lines(app))
        assert "Y: đóng quầy · N hoặc Esc: ở lại." in screen
        assert ("Các số đang chờ vẫn giữ chỗ trong hàng." in screen) == bool(waiting)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_close_question_with_nobody_waiting(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int]
) -> None:
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    assert snap_compare(app, terminal_size=size, run_before=keys("escape"))
