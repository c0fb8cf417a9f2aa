"""Snapshots of the kiosk's "Có lịch hẹn" tile and check-in prompt, and the counter's
booking dialog, at 80×24 and 120×40."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from desk import clock
from desk.center.config import Config
from desk.center.runtime import open_runtime
from screens.app import DeskApp
from tests.conftest import signed_in

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def booking_runtime(
    config: Config, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Any:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path))
    clock.set_clock(lambda: datetime(2026, 11, 23, 8, 50))
    appt = config.appointments.model_copy(update={"kiosk_key": "8"})
    return open_runtime(config.model_copy(update={"appointments": appt}), db_url)


@pytest.mark.parametrize("size", SIZES)
def test_kiosk_with_the_appointment_key(booking_runtime: Any, snap_compare: Any, size: Any) -> None:
    assert snap_compare(DeskApp(booking_runtime, role="kiosk"), terminal_size=size)


@pytest.mark.parametrize("size", SIZES)
def test_kiosk_check_in_prompt(booking_runtime: Any, snap_compare: Any, size: Any) -> None:
    assert snap_compare(
        DeskApp(booking_runtime, role="kiosk"), press=["8", *"123456"], terminal_size=size
    )


@pytest.mark.parametrize("size", SIZES)
def test_counter_booking_dialog(booking_runtime: Any, snap_compare: Any, size: Any) -> None:
    from tests.screens.test_counter import settle

    app = DeskApp(booking_runtime, role="counter", counter=1, officer=signed_in(booking_runtime))

    async def ready(pilot: Any) -> None:  # the counter's refresh and sync badge are done
        await settle(app, pilot)

    assert snap_compare(app, press=["ctrl+b", "a", "enter"], terminal_size=size, run_before=ready)
