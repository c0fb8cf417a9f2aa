"""A day at the center, driven by keyboard through the kiosk, two counters and the board."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static
from textual.worker import WorkerCancelled

from desk import clock
from desk.center.runtime import Runtime
from desk.queue.engine import Queue
from screens.app import DeskApp
from screens.bigtext import BigText
from screens.board import BoardScreen
from screens.counter import CounterScreen
from screens.kiosk import KioskScreen
from tests.conftest import signed_in
from tests.screens.person import press_as_a_person


def text_of(app: DeskApp, selector: str) -> str:
    return str(app.screen.query_one(selector, Static).render())


async def settle(app: DeskApp, pilot: object) -> None:
    """Wait until the workers started by a key (and the refreshes they start) are done.

    The counter's refresh worker is exclusive, so a newer refresh cancels an older
    one; waiting on a cancelled worker raises, and we simply wait again."""
    for _ in range(3):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()  # type: ignore[attr-defined]


async def until(app: DeskApp, pilot: object, shown: Callable[[], bool]) -> None:
    """Wait until a screen's own timer (a poll, a refresh) has made ``shown`` true,
    for at most ten seconds."""
    deadline = time.monotonic() + 10
    while not shown():
        assert time.monotonic() < deadline, "the screen did not update within 10 s"
        await pilot.pause(0.05)  # type: ignore[attr-defined]
        await settle(app, pilot)


@pytest.mark.early
async def test_a_day_at_the_center(runtime: Runtime, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    now = [datetime(2026, 11, 23, 7, 30)]
    clock.set_clock(lambda: now[0])
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))

    # --- kiosk: three civil-status tickets, one priority ticket --------------
    kiosk = DeskApp(runtime, role="kiosk")
    async with kiosk.run_test(size=(80, 24)) as pilot:
        screen = kiosk.screen
        assert isinstance(screen, KioskScreen)
        for _ in range(3):
            await pilot.press("1")
            await settle(kiosk, pilot)
            now[0] += timedelta(minutes=1)
        assert str(screen.query_one("#ticket-number", BigText).value) == "A003"
        assert text_of(kiosk, "#ticket-ahead") == "Có 2 người đang chờ trước bạn"
        await pilot.press("escape")
        await press_as_a_person(pilot, "0", "2")  # priority menu, elderly
        await pilot.pause()
        assert "Người cao tuổi" in text_of(kiosk, "#kiosk-mode")
        await pilot.press("2")  # certification
        await settle(kiosk, pilot)
        assert str(screen.query_one("#ticket-number", BigText).value) == "★B001"
        assert "Số ưu tiên" in text_of(kiosk, "#ticket-mark")
        previews = list((tmp_path / "desk" / "preview").glob("ticket-*.txt"))
        assert len(previews) == 4
        assert "B001" in (tmp_path / "desk" / "preview" / "ticket-20261123-B001.txt").read_text()

    # --- counter 1: call, recall twice, absent, next, transfer to service B -----
    counter = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with counter.run_test(size=(100, 30)) as pilot:
        await settle(counter, pilot)
        screen = counter.screen
        assert isinstance(screen, CounterScreen)
        rows = screen.query_one("#waiting", DataTable)
        assert rows.row_count == 3  # A001-A003; B001 is not counter 1's service
        await pilot.press("f2")
        await settle(counter, pilot)
        assert str(screen.query_one("#current-number", BigText).value) == "A001"
        assert text_of(counter, "#counter-message") == "Đã gọi số A001."
        await pilot.press("f4")  # too soon: needs two recalls
        await settle(counter, pilot)
        assert "Cần gọi lại số A001 2 lần" in text_of(counter, "#counter-message")
        await pilot.press("f3", "f3")
        await settle(counter, pilot)
        assert text_of(counter, "#counter-message") == "Số A001: gọi lại lần 2."
        await pilot.press("f4")
        await settle(counter, pilot)
        assert text_of(counter, "#counter-message") == "Số A001 vắng mặt."
        await pilot.press("f2")
        await settle(counter, pilot)
        await pilot.press("enter")  # the citizen arrives
        await settle(counter, pilot)
        assert text_of(counter, "#current-state") == "Đang phục vụ"
        await pilot.press("f5")
        await pilot.pause()
        await pilot.press("down", "enter")  # second option: service B
        await settle(counter, pilot)
        assert text_of(counter, "#counter-message") == "Đã chuyển số A002 đến lĩnh vực Chứng thực."
        await pilot.press("f10")
        await settle(counter, pilot)
        assert "TẠM DỪNG" not in text_of(counter, "#counter-counts")  # said once, above
        assert text_of(counter, "#current-state") == "ĐANG TẠM DỪNG — bấm F10 để tiếp tục"
        await pilot.press("f2")  # paused: nothing happens, and the counter says why
        await settle(counter, pilot)
        assert text_of(counter, "#current-state") == "ĐANG TẠM DỪNG — bấm F10 để tiếp tục"
        assert text_of(counter, "#counter-message") == (
            "Quầy đang tạm dừng. Bấm F10 để tiếp tục rồi gọi số."
        )
        await pilot.press("f10", "f2")
        await settle(counter, pilot)
        assert str(screen.query_one("#current-number", BigText).value) == "A003"
        await pilot.press("enter", "f9")
        await settle(counter, pilot)
        assert text_of(counter, "#counter-message") == "Đã kết thúc số A003."
        assert "đã phục vụ 1 · vắng mặt 1" in text_of(counter, "#counter-counts")

    # --- counter 7, the priority counter: the elderly citizen first ----------------
    now[0] += timedelta(minutes=2)
    priority = DeskApp(runtime, role="counter", counter=7, officer=signed_in(runtime))
    async with priority.run_test(size=(100, 30)) as pilot:
        await settle(priority, pilot)
        await pilot.press("f2")
        await settle(priority, pilot)
        assert str(priority.screen.query_one("#current-number", BigText).value) == "★B001"
        assert "Người cao tuổi" in text_of(priority, "#current-detail")
        await pilot.press("enter", "f9")
        await settle(priority, pilot)

    # --- the board shows each call, newest first ------------------------------------
    board = DeskApp(runtime, role="board")
    async with board.run_test(size=(100, 30)) as pilot:
        await settle(board, pilot)
        screen = board.screen
        assert isinstance(screen, BoardScreen)
        assert str(screen.query_one("#board-number", BigText).value) == "★B001"
        assert str(screen.query_one("#board-counter", BigText).value) == "7"
        previous = text_of(board, "#board-previous")
        assert "A003  →  Quầy 1" in previous
        assert "A001  →  Quầy 1  (vắng mặt)" in previous
        # a call made elsewhere appears without a key press, highlighted
        Queue(runtime).call_next(3)  # A002, transferred to certification, keeps its place
        await until(
            board, pilot, lambda: str(screen.query_one("#board-number", BigText).value) != "★B001"
        )
        assert str(screen.query_one("#board-number", BigText).value) == "A002"
        assert screen.query_one("#board-latest").has_class("-new")
        # its counter finishes and closes (the officer has gone): no one is invited
        # there any more, and the call stays in the list (the board kept inviting
        # citizens to closed counters; walk, 2 Dec)
        queue = Queue(runtime)
        queue.start(3)
        queue.finish(3)
        queue.set_state(3, "closed")
        await until(
            board, pilot, lambda: screen.query_one("#board-number", BigText).value != "A002"
        )
        assert str(screen.query_one("#board-number", BigText).value) == "★B001"
        queue.set_state(7, "closed")
        queue.set_state(1, "closed")  # the last one open today
        await until(board, pilot, lambda: screen.query_one("#board-number", BigText).value == "")
        assert str(screen.query_one("#board-counter", BigText).value) == ""
        # and its title says no counter is working, where it invited to one
        assert text_of(board, "#board-title") == (
            "Hiện không có quầy nào làm việc. Số của công dân vẫn giữ chỗ trong hàng chờ."
        )
        queue.set_state(2, "open")
        await until(board, pilot, lambda: text_of(board, "#board-title") == "Mời công dân đến quầy")
        previous = text_of(board, "#board-previous")
        assert "A002  →  Quầy 3" in previous and "★B001  →  Quầy 7" in previous


async def test_a_locked_database_shows_a_message_and_r_retries(
    runtime: Runtime, db_url: str
) -> None:
    """Another process holds the write lock past the busy timeout: the officer reads
    why nothing happened, R is offered, and after the lock is gone R makes the call."""
    import dataclasses
    import sqlite3

    from db.engine import make_engine

    Queue(runtime).issue("A")
    impatient = dataclasses.replace(runtime, engine=make_engine(db_url, busy_timeout_ms=150))
    app = DeskApp(impatient, role="counter", counter=1, officer=signed_in(impatient))
    holder = sqlite3.connect(db_url.removeprefix("sqlite:///"), isolation_level=None)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        assert screen.check_action("retry", ()) is False  # nothing to retry yet
        holder.execute("BEGIN IMMEDIATE")
        await pilot.press("f2")
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == (
            "Cơ sở dữ liệu đang bận, chưa có gì thay đổi. Bấm R để thử lại."
        )
        assert screen.query_one("#counter-message").has_class("-error")
        assert screen.check_action("retry", ()) is True
        assert screen.query_one("#current-number", BigText).value == ""
        holder.execute("ROLLBACK")
        await pilot.press("r")
        await settle(app, pilot)
        assert screen.query_one("#current-number", BigText).value == "A001"
        assert text_of(app, "#counter-message") == "Đã gọi số A001."
        assert screen.check_action("retry", ()) is False
    holder.close()
    # the failed attempt left nothing half-done: one call event for A001
    from desk.queue.check import check_invariants

    assert check_invariants(runtime.engine) == []


async def test_the_counter_asks_for_a_rating_that_never_blocks(runtime: Runtime) -> None:
    from sqlmodel import select

    from db.engine import read_session
    from db.models import Rating

    q = Queue(runtime)
    q.issue("A")
    q.issue("A")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, CounterScreen)
        assert screen.check_action("rate", (3,)) is False  # nothing to rate yet
        await pilot.press("f2", "enter", "f9")
        await settle(app, pilot)
        prompt = text_of(app, "#rating-prompt")
        assert prompt.startswith("Mời công dân số A001 đánh giá: 1 Rất hài lòng")
        await pilot.press("1")
        await settle(app, pilot)
        assert text_of(app, "#counter-message") == "Cảm ơn ý kiến đánh giá của công dân."
        assert not screen.query_one("#rating-prompt").display
        await pilot.press("f2", "enter", "f9")  # A002 finished: prompt again …
        await settle(app, pilot)
        assert "A002" in text_of(app, "#rating-prompt")
        q.issue("A")
        await until(app, pilot, lambda: screen.query_one("#waiting", DataTable).row_count == 1)
        await pilot.press("f2")  # … and the next citizen simply comes first
        await settle(app, pilot)
        assert not screen.query_one("#rating-prompt").display
    with read_session(runtime.engine) as s:
        ratings = s.exec(select(Rating)).all()
    assert [(r.score, r.source) for r in ratings] == [(3, "counter")]


async def test_the_rating_terminal_beside_a_counter(runtime: Runtime) -> None:
    from sqlmodel import select

    from db.engine import read_session
    from db.models import Rating
    from screens.rate import RateScreen

    q = Queue(runtime)
    q.issue("B")
    app = DeskApp(runtime, role="rate", counter=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, RateScreen)
        assert text_of(app, "#rate-message") == "Cảm ơn ông/bà đã đến Trung tâm."
        assert text_of(app, "#rate-options") == ""  # no choices while nobody is to rate
        await pilot.press("2")  # nothing to rate: says so
        await pilot.pause()
        assert text_of(app, "#rate-message").startswith("Chưa có lượt phục vụ nào cần đánh giá")
        q.call_next(3)
        q.start(3)
        q.finish(3)
        await until(app, pilot, lambda: text_of(app, "#rate-ticket") != "")
        assert text_of(app, "#rate-ticket") == "Số B001 vừa được phục vụ"
        await pilot.press("3")  # unsatisfied
        await settle(app, pilot)
        assert text_of(app, "#rate-message") == "Cảm ơn ý kiến đánh giá của công dân."
        assert text_of(app, "#rate-ticket") == ""
        await pilot.press("escape", "ctrl+c")  # no way out but the PIN
        assert isinstance(app.screen, RateScreen)
    with read_session(runtime.engine) as s:
        assert [(r.score, r.source) for r in s.exec(select(Rating))] == [(1, "terminal")]


def dimmed(bar: Static, label: str) -> bool:
    """Whether the key bar shows ``label`` dimmed."""
    from textual.content import Content

    text = bar.render()
    assert isinstance(text, Content)
    start = text.plain.index(label)
    return any("dim" in str(span.style) and span.start <= start < span.end for span in text.spans)


async def test_every_counter_key_stays_visible_at_80_and_100_columns(runtime: Runtime) -> None:
    """The key bar wraps between keys instead of cutting the last ones off; keys that
    do nothing now are dimmed, and light up when they apply."""
    from screens.keybar import KeyBar

    for width, height in ((80, 24), (100, 30)):
        Queue(runtime).issue("A")
        app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
        async with app.run_test(size=(width, height)) as pilot:
            await settle(app, pilot)
            bar = app.screen.query_one(KeyBar)
            shown = str(bar.render())
            lines = shown.splitlines()
            for label in ("F2 Gọi số", "F3 Gọi lại", "F10 Tạm dừng", "Ctrl+R Số quay lại"):
                assert label in shown, (width, label, shown)
            assert shown.rstrip().endswith("Esc Đóng quầy")
            assert all(len(line) <= width - 2 for line in lines)
            assert bar.region.bottom == height  # docked at the bottom, on screen
            assert len(lines) == (2 if width <= 100 else 1)

            assert dimmed(bar, "F3 Gọi lại") and not dimmed(bar, "F2 Gọi số")
            await pilot.press("f2")
            await settle(app, pilot)
            assert not dimmed(bar, "F3 Gọi lại")  # a ticket is called: recall applies now
            await pilot.press("f4")  # not yet allowed (no recall yet): nothing breaks
            await settle(app, pilot)
            await pilot.press("enter")
            await settle(app, pilot)
            await pilot.press("f9")
            await settle(app, pilot)
