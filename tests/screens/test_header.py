"""The header fits: in English at 80 columns "One-stop desk — Le Chan Ward Public
Administrative Service Center" was cut ("…Service Ce…"); the center's name alone
shows then, both where there is room."""

from __future__ import annotations

import dataclasses

from textual.widgets import Static

from desk import i18n
from desk.center.runtime import Runtime
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.screens.test_counter import settle


def english(runtime: Runtime) -> Runtime:
    ui = runtime.config.ui.model_copy(update={"language": "en"})
    return dataclasses.replace(runtime, config=runtime.config.model_copy(update={"ui": ui}))


def header(app: DeskApp) -> str:
    title = app.screen.query_one("HeaderTitle", Static)
    shown = str(title.render())
    assert len(shown) <= title.content_region.width, "the title is cut"
    return shown


async def test_the_english_header_fits_at_80_columns(runtime: Runtime) -> None:
    rt = english(runtime)
    i18n.set_language("en")
    try:
        app = DeskApp(rt, role="counter", counter=7, officer=signed_in(rt))
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(app, pilot)
            assert header(app) == "Le Chan Ward Public Administrative Service Center"
            await pilot.resize_terminal(120, 40)
            await settle(app, pilot)
            assert header(app) == (
                "One-stop desk — Le Chan Ward Public Administrative Service Center"
            )
    finally:
        i18n.set_language("vi")
    app = DeskApp(runtime, role="counter", counter=7, officer=signed_in(runtime))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        assert header(app) == "Một cửa — Trung tâm Phục vụ hành chính công phường Lê Chân"
