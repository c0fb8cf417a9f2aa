"""Snapshots of the counter's dialogs whose lines now break between phrases, at
80×24 and 120×40 (the counter itself: tests/screens/test_snapshots.py).

Update after an intended change with ``--snapshot-update`` and look at the SVGs."""

from __future__ import annotations

import dataclasses
import sys
from typing import Any

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.screens.test_snapshots import SIZES, frozen, keys, queue_of

__all__ = ["frozen"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_returned_ticket_dialog_in_english(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int]
) -> None:
    ui = frozen.config.ui.model_copy(update={"language": "en"})
    rt = dataclasses.replace(frozen, config=frozen.config.model_copy(update={"ui": ui}))
    queue_of(rt)
    i18n.set_language("en")
    try:
        app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
        assert snap_compare(app, terminal_size=size, run_before=keys("ctrl+r"))
    finally:
        i18n.set_language("vi")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_rating_prompt_in_english(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int]
) -> None:
    """F9 finished ★A001: the counter asks the officer to have it rated, in a
    sentence broken between its options."""
    ui = frozen.config.ui.model_copy(update={"language": "en"})
    rt = dataclasses.replace(frozen, config=frozen.config.model_copy(update={"ui": ui}))
    queue_of(rt)
    i18n.set_language("en")
    try:
        app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
        assert snap_compare(app, terminal_size=size, run_before=keys("f2", "enter", "f9"))
    finally:
        i18n.set_language("vi")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_counter_after_a_lookup_that_could_not_be_built(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """F2, then F8 and a scanned number with its Enter in one go while the look-up
    cannot be loaded: the counter says why and that the five keys were skipped."""
    from tests.screens.test_counter_typeahead import burst

    queue_of(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    called = keys("f2")

    async def run(pilot: Any) -> None:
        await called(pilot)
        monkeypatch.setitem(sys.modules, "screens.lookup", None)  # cannot be imported
        await burst(app, pilot, "f8", *"0912", "enter")
        await keys()(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)
