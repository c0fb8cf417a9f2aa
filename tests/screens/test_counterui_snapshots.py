"""Snapshots of what the counter's rough edges changed, at 80×24 and 120×40: the
dialogs' key hints (F5 at the counter, F3 in the look-up), the counter in English
(its header fits) and the counter's panes sharing a wide terminal.

Update after an intended change with ``--snapshot-update`` and look at the SVGs."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from desk import i18n
from desk.center.runtime import Runtime
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.screens.test_snapshots import SIZES, frozen, keys, queue_of, two_supplement_slips

__all__ = ["frozen"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_transfer_dialog(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    queue_of(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    assert snap_compare(app, terminal_size=size, run_before=keys("f2", "f5"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_supplement_dialog(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    two_supplement_slips(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    typed = ("f8", *"0912345678", "enter", "f6", "y", "f3")
    assert snap_compare(app, terminal_size=size, run_before=keys(*typed))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_counter_in_english(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    ui = frozen.config.ui.model_copy(update={"language": "en"})
    rt = dataclasses.replace(frozen, config=frozen.config.model_copy(update={"ui": ui}))
    queue_of(rt)
    i18n.set_language("en")
    try:
        app = DeskApp(rt, role="counter", counter=7, officer=signed_in(rt))
        assert snap_compare(app, terminal_size=size, run_before=keys("f2"))
    finally:
        i18n.set_language("vi")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_hand_back_of_a_result_asked_for_by_post(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int]
) -> None:
    """F9 on a result the citizen asked for by post: the warning above the name."""
    from desk.dossiers.lifecycle import Lifecycle
    from tests.conftest import load_demo_catalogue
    from tests.dossiers.test_intake import form, save

    load_demo_catalogue(frozen)
    [d] = save(frozen, form(procedure_code="1.001193", fee="0", result_delivery="post"))
    Lifecycle(frozen.engine, frozen.config).resolve(d.code)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    typed = ("f8", *"0912345678", "enter", "f9")
    assert snap_compare(app, terminal_size=size, run_before=keys(*typed))
