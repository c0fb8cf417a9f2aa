"""The kiosk's PIN prompt: a few wrong PINs, then a pause that grows."""

from __future__ import annotations

from textual.widgets import Static

from desk.center.runtime import Runtime
from screens.app import DeskApp
from screens.pin import PinGuard, PinPrompt


async def test_wrong_pins_earn_a_growing_pause(runtime: Runtime) -> None:
    now = [1000.0]
    app = DeskApp(runtime, role="kiosk")
    app.pin_guard = PinGuard(clock=lambda: now[0])  # type: ignore[attr-defined]

    def message() -> str:
        return str(app.screen.query_one("#pin-error", Static).render())

    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q")
        for _ in range(2):
            await pilot.press(*"1111", "enter")
            assert message() == "Sai mã PIN, vui lòng thử lại."
        await pilot.press(*"1111", "enter")
        assert message() == "Sai mã PIN quá nhiều lần: thử lại sau 30 giây."
        # closing and reopening the prompt does not start the count again
        await pilot.press("escape", "ctrl+q")
        assert isinstance(app.screen, PinPrompt)
        now[0] += 20
        await pilot.press(*"2468", "enter")  # the right PIN, but still paused
        assert isinstance(app.screen, PinPrompt)
        assert message() == "Sai mã PIN quá nhiều lần: thử lại sau 10 giây."
        now[0] += 10
        await pilot.press(*"1111", "enter")
        assert message() == "Sai mã PIN quá nhiều lần: thử lại sau 60 giây."  # it grows
        now[0] += 60
        await pilot.press(*"2468", "enter")
        await pilot.pause()
    assert not app.is_running  # the right PIN after the pause: the kiosk is left


async def test_the_right_pin_resets_the_count(runtime: Runtime) -> None:
    now = [0.0]
    app = DeskApp(runtime, role="rate", counter=1)
    guard = PinGuard(clock=lambda: now[0])
    app.pin_guard = guard  # type: ignore[attr-defined]
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("ctrl+q", *"1111", "enter", *"1111", "enter")
        assert guard.failures == 2
        await pilot.press(*"2468", "enter")
        await pilot.pause()
        assert (guard.failures, guard.wait()) == (0, 0)
        assert not isinstance(app.screen, PinPrompt)
