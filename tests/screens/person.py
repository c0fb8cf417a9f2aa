"""Keys pressed by a person, not a scanner (screens.scan, screens.kiosk.PriorityMenu)."""

from __future__ import annotations

from typing import Any


async def press_as_a_person(pilot: Any, *keys: str) -> None:
    """Each key once the one before has been answered and after a person's pause:
    longer than ``identity.scan_gap_ms``, under which the kiosk takes keys that come
    one after another for a scanner's (a person reads the priority menu first)."""
    from tests.screens.test_counter import settle  # which imports this module

    gap = pilot.app.runtime.config.identity.scan_gap_ms / 1000
    for n, key in enumerate(keys):
        if n:
            await pilot.pause(gap * 1.5)
        await pilot.press(key)
        await settle(pilot.app, pilot)
