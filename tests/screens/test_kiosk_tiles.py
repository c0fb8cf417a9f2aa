"""The kiosk's tiles at 80 columns: each label keeps a cell of margin inside its
border ("4 Kinh doanh – Văn hóa – Giáo dục" touched both), broken between its
phrases when it needs two lines."""

from __future__ import annotations

import pytest
from textual.geometry import Region
from textual.widget import Widget

from desk.center.runtime import Runtime
from screens.app import DeskApp
from screens.kiosk import KioskScreen
from tests.screens.test_counter import settle


def tile_rows(tile: Widget) -> list[str]:
    """The tile as drawn, border included, one string a row."""
    width, height = tile.outer_size
    return [strip.text for strip in tile.render_lines(Region(0, 0, width, height))]


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=["80x24", "120x40"])
async def test_every_tile_keeps_a_margin_inside_its_border(
    runtime: Runtime, size: tuple[int, int]
) -> None:
    app = DeskApp(runtime, role="kiosk")
    async with app.run_test(size=size) as pilot:
        await settle(app, pilot)
        assert isinstance(app.screen, KioskScreen)
        tiles = list(app.screen.query(".tile"))
        assert len(tiles) >= 8
        for tile in tiles:
            rows = tile_rows(tile)
            inside = [row[1:-1] for row in rows[1:-1]]
            words = " ".join(" ".join(inside).split())
            assert words.startswith(str(tile.render()).split()[0]), rows
            for row in inside:
                if row.strip():
                    assert row[0] == " " and row[-1] == " ", rows
        [business] = [t for t in tiles if "Kinh doanh" in str(tile_rows(t))]
        lines = [row[1:-1].strip() for row in tile_rows(business)[1:-1] if row[1:-1].strip()]
        joined = " ".join(lines)
        assert " ".join(joined.split()) == "4 Kinh doanh – Văn hóa – Giáo dục"
        # broken, if at all, after a " – ": a phrase never split between its words
        for line in lines[:-1]:
            assert line.endswith("–"), lines
