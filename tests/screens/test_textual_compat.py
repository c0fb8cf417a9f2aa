"""The Textual internals behind translated key labels (screens.textual_compat).

These fail loudly when a Textual upgrade moves ``_bindings`` or
``bindings_updated_signal``: re-check screens/textual_compat.py, then TESTED_TEXTUAL."""

from __future__ import annotations

import textual
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingsMap
from textual.cache import LRUCache
from textual.screen import Screen
from textual.widgets import DataTable

from desk import i18n
from desk.center.runtime import Runtime
from screens import textual_compat
from screens.app import DeskApp


def test_textual_is_the_version_the_internals_were_checked_against() -> None:
    assert textual.__version__ == textual_compat.TESTED_TEXTUAL, (
        f"Textual {textual.__version__} is installed; screens/textual_compat.py was checked "
        f"against {textual_compat.TESTED_TEXTUAL}: re-check _bindings and "
        "bindings_updated_signal there, then update TESTED_TEXTUAL"
    )


def test_the_internals_exist_where_the_module_expects_them() -> None:
    screen = Screen[None]()
    assert isinstance(screen._bindings, BindingsMap)
    assert hasattr(screen, "bindings_updated_signal")
    assert hasattr(screen.bindings_updated_signal, "subscribe")
    # the intake form built off screen and shown again without a full restyle
    assert callable(App._register)
    assert isinstance(App()._css_update_count, int)
    assert isinstance(screen._css_update_count, int)
    assert events.ScreenResume().refresh_styles is True
    assert "_on_screen_resume" in vars(Screen)
    # removed rows freed while their screen lives on (remove_children)
    from textual.signal import Signal

    assert isinstance(screen.text_selection_started_signal, Signal)
    assert screen.text_selection_started_signal in vars(screen).values()
    assert isinstance(screen._query_one_cache, LRUCache)
    # a key typed while a form opened, handed to its field (screens.typeahead)
    assert callable(screen._forward_event)
    # the render caches a lean table sizes
    table = DataTable[str]()
    for cache in (
        "_cell_render_cache",
        "_row_render_cache",
        "_row_renderable_cache",
        "_line_cache",
    ):
        assert isinstance(getattr(table, cache), LRUCache), cache
    # a line's caches, made on first use (lean_strips): every cache slot of a Strip is
    # one the lean constructor leaves to be made (a new one would stay unset)
    from textual.strip import Strip

    cache_slots = {n for n in Strip.__slots__ if n.endswith("_cache") and n != "_render_cache"}
    assert cache_slots == set(textual_compat.STRIP_CACHES)


def test_key_labels_read_as_people_write_them() -> None:
    label = textual_compat.key_label
    assert label(Binding("left_square_bracket", "x")) == "["
    assert label(Binding("right_square_bracket", "x")) == "]"
    assert label(Binding("ctrl+r", "x")) == "Ctrl+R"
    assert label(Binding("f10", "x")) == "F10"
    assert label(Binding("escape", "x")) == "Esc"
    assert label(Binding("enter,f2", "x")) == "Enter"
    assert label(Binding("shift+tab", "x")) == "Shift+Tab"
    assert label(Binding("backspace", "x")) == "Backspace"


async def test_translated_labels_reach_the_key_bar(runtime: Runtime) -> None:
    """The translation replaces the screen's bindings and the key bar hears of it."""
    from screens.keybar import KeyBar
    from tests.conftest import signed_in

    i18n.set_language("en")
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(100, 30)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        shown = str(app.screen.query_one(KeyBar).render())
        assert "F2 Call next" in shown and "keys." not in shown
        descriptions = {b.description for b in textual_compat.own_bindings(app.screen)}
        assert "Call next" in descriptions


async def test_a_select_menu_names_its_key_in_the_configured_language(runtime: Runtime) -> None:
    """Textual's Select menu binds Esc as "Dismiss menu" in English; the intake form's
    menus show it in desk's language, in Vietnamese and in English."""
    from textual.widgets import Select

    from screens.keybar import KeyBar
    from tests.conftest import signed_in
    from tests.screens.test_counter import settle

    for language, close in (("vi", "Esc Đóng"), ("en", "Esc Close")):
        i18n.set_language(language)
        app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
        async with app.run_test(size=(110, 45)) as pilot:
            await settle(app, pilot)
            await pilot.press("f6")
            await settle(app, pilot)
            channel = app.screen.query_one("#channel", Select)
            channel.focus()
            await pilot.press("enter")  # the menu opens
            await pilot.pause()
            assert channel.expanded
            shown = str(app.screen.query_one(KeyBar).render())
            assert close in shown and "Dismiss" not in shown, shown
            await pilot.press("escape")  # and closes with the key it names
            await pilot.pause()
            assert not channel.expanded


async def test_a_lean_table_keeps_only_what_it_can_show() -> None:
    """A polled list updated all day: the plain table keeps every update's dead
    renderings, the lean one a few screens' worth, and both show the same."""

    class Tables(App[None]):
        def compose(self) -> ComposeResult:
            yield DataTable[str](id="plain")
            yield DataTable[str](id="lean")

    app = Tables()
    async with app.run_test(size=(80, 60)) as pilot:
        plain = app.query_one("#plain", DataTable)
        lean = app.query_one("#lean", DataTable)
        textual_compat.lean_table(lean)
        for table in (plain, lean):
            table.styles.height = 25
            table.add_columns("number", "service", "mark", "waited")
            for n in range(20):
                table.add_row(f"A{n:03}", "Hộ tịch", "", "0", key=str(n))
        for minute in range(1, 40):
            for table in (plain, lean):
                for n in range(20):
                    table.update_cell(str(n), table.ordered_columns[3].key, str(minute))
            await pilot.pause()
            assert [str(s.text) for s in lean.render_lines(lean.region.reset_offset)] == [
                str(s.text) for s in plain.render_lines(plain.region.reset_offset)
            ]
        assert len(plain._cell_render_cache) > 3000
        assert len(lean._cell_render_cache) <= textual_compat.TABLE_CACHED_ROWS * 8
        assert len(plain._line_cache) > textual_compat.TABLE_CACHED_ROWS
        assert len(lean._line_cache) <= textual_compat.TABLE_CACHED_ROWS


def test_a_line_makes_its_caches_when_first_used() -> None:
    """A line Textual draws (``Strip``) made seven caches at once, nearly all left empty
    all day; lean, it makes each when first used, and caches as before."""
    import gc

    from rich.segment import Segment
    from textual.cache import FIFOCache
    from textual.strip import Strip

    def caches(strip: Strip) -> list[FIFOCache[object, object]]:
        return [r for r in gc.get_referents(strip) if isinstance(r, FIFOCache)]

    textual_compat.lean_strips()
    textual_compat.lean_strips()  # once per process: a second call changes nothing
    line = Strip([Segment("Hồ sơ đã tiếp nhận")])
    assert caches(line) == []
    cropped = line.crop(0, 5)
    assert cropped.text == "Hồ sơ"
    assert line.crop(0, 5) is cropped  # served from the cache made by the first crop
    assert len(caches(line)) == 1
    assert line.divide([3, 6])[1].text == "sơ "
    assert len(caches(line)) == 2


async def test_a_mark_box_shows_its_mark_only_when_ticked() -> None:
    """The intake's "Đã scan" drew an X ticked or not, told apart by colour alone."""
    from textual.widgets._toggle_button import ToggleButton

    assert isinstance(vars(ToggleButton)["_button"], property)  # what MarkBox replaces

    class One(App[None]):
        def compose(self) -> ComposeResult:
            yield textual_compat.MarkBox("Đã scan", compact=True)

    app = One()
    async with app.run_test(size=(40, 3)) as pilot:
        box = app.query_one(textual_compat.MarkBox)
        assert box._button.plain == f"{box.BUTTON_LEFT} {box.BUTTON_RIGHT}"
        box.value = True
        await pilot.pause()
        assert box._button.plain == f"{box.BUTTON_LEFT}X{box.BUTTON_RIGHT}"
