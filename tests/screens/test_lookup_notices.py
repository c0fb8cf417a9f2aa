"""F8 shows the notices sent to the citizen about a dossier, and Ctrl+N resends one."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from textual.pilot import Pilot

from desk import clock
from desk.center.config import NotifyConfig
from desk.center.runtime import Runtime
from desk.dossiers.lifecycle import Lifecycle
from desk.notify.notifier import Notifier
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.dossiers import test_intake
from tests.dossiers.test_intake import form, save
from tests.fake_gateway import FakeGateway
from tests.screens.test_counter import settle
from tests.screens.test_intake import text, type_in

rt = test_intake.rt  # the runtime with the demo catalogue (a fixture)


async def test_f8_shows_each_notice_and_an_officer_resends_a_failed_one(rt: Runtime) -> None:
    gateway = FakeGateway().start()
    try:
        notify = NotifyConfig(channel="sms", url=gateway.url, timeout_seconds=0.5)
        config = rt.config.model_copy(update={"notify": notify})
        live = dataclasses.replace(rt, config=config)
        clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
        [saved] = save(live, form())
        Lifecycle(rt.engine, config).resolve(saved.code)
        gateway.mode = "refuse"
        Notifier(rt.engine, config).run_once()
        app = DeskApp(live, role="counter", counter=1, officer=signed_in(live))
        async with app.run_test(size=(110, 45)) as pilot:
            await settle(app, pilot)
            await pilot.press("f8")
            await settle(app, pilot)
            await type_in(pilot, saved.code)
            await pilot.press("enter")
            await settle(app, pilot)
            shown = text(app, "#lookup-notices")
            assert "Tin nhắn cho công dân" in shown
            assert "Đã có kết quả · sms · gửi không được: HTTP 400" in shown
            gateway.mode = "ok"
            await pilot.press("ctrl+n")
            await settle(app, pilot)
            assert text(app, "#lookup-message") == "Đã xếp tin nhắn để gửi lại."
            assert "chờ gửi" in text(app, "#lookup-notices")
            Notifier(rt.engine, config).run_once()
            await pilot.press("enter")  # look it up again
            await settle(app, pilot)
            assert "đã gửi lúc 09:00 07/12/2026" in text(app, "#lookup-notices")
        assert list(gateway.delivered) == [f"{saved.code}:ready:2"]
    finally:
        gateway.stop()


async def test_f7_asks_first_and_says_the_citizen_will_be_told(rt: Runtime) -> None:
    """F7 marks a result ready only after Y: by mistake, it would send the citizen a
    message to come for nothing; the question says a message will go."""
    from screens.confirm import Confirm

    notify = NotifyConfig(channel="sms", url="http://127.0.0.1:9/sms", timeout_seconds=0.5)
    live = dataclasses.replace(rt, config=rt.config.model_copy(update={"notify": notify}))
    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
    [saved] = save(live, form())
    app = DeskApp(live, role="counter", counter=1, officer=signed_in(live))
    async with app.run_test(size=(110, 45)) as pilot:
        await f7_on(app, pilot, saved.code)
        dialog = app.screen
        assert isinstance(dialog, Confirm)
        assert dialog.hint.startswith("Công dân sẽ được nhắn tin báo đến nhận kết quả.")
        await pilot.press("escape")  # not now: nothing changes, nothing is sent
        await settle(app, pilot)
        assert "Đã tiếp nhận" in text(app, "#lookup-detail")
        assert "chờ gửi" not in text(app, "#lookup-notices")
        await pilot.press("f7", "y")
        await settle(app, pilot)
        assert "Đã có kết quả" in text(app, "#lookup-detail")
        assert "chờ gửi" in text(app, "#lookup-notices")


async def test_f7_without_a_channel_says_nothing_of_a_message(rt: Runtime) -> None:
    """With no notice channel set up, F7's question does not promise a message."""
    from screens.confirm import Confirm

    clock.set_clock(lambda: datetime(2026, 12, 7, 9, 0))
    [saved] = save(rt, form())
    assert rt.config.notify.channel == "off"
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await f7_on(app, pilot, saved.code)
        assert isinstance(app.screen, Confirm)
        assert app.screen.hint == "Y: ghi nhận đã có kết quả · N hoặc Esc: thôi."


async def f7_on(app: DeskApp, pilot: Pilot[None], code: str) -> None:
    """F8, the dossier's code and Enter, then F7."""
    await settle(app, pilot)
    await pilot.press("f8")
    await settle(app, pilot)
    await type_in(pilot, code)
    await pilot.press("enter", "f7")
    await settle(app, pilot)
