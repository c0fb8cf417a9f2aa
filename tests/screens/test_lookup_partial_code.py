"""F8 finds a dossier by part of its code (desk.dossiers.lifecycle.find_dossiers)."""

from __future__ import annotations

from textual.widgets import Input

from desk.center.runtime import Runtime
from tests.screens.test_counter import settle, text_of
from tests.screens.test_counter_typeahead import NOW, shown_code
from tests.screens.test_intake import rt
from tests.screens.test_lookup_forms import taken_in

__all__ = ["rt"]


async def test_f8_finds_a_dossier_by_part_of_its_code(rt: Runtime) -> None:
    """The last digits, or the code without its prefix: one match opens at once;
    several are listed; none names what was typed, as typed (never as markup)."""
    from tests.dossiers.test_intake import form, save

    saved, app = taken_in(rt, [NOW])
    [other] = save(rt, form(procedure_code="1.004873", fee=""))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8", *"261123-0001", "enter")
        await settle(app, pilot)
        assert shown_code(app) == saved.code
        query = app.screen.query_one("#lookup-query", Input)
        query.value = ""
        await pilot.press(*"2", "enter")
        await settle(app, pilot)
        assert shown_code(app) == other.code
        query.value = ""
        await pilot.press(*"261123", "enter")
        await settle(app, pilot)
        assert text_of(app, "#lookup-message") == (
            "Có 2 hồ sơ khớp với “261123”: chọn bằng ↑↓ và Enter."
        )
        # a dossier's key before one is chosen asks for the choice ("no dossier yet:
        # scan or type a code" said the officer had found nothing)
        await pilot.press("f9")
        await settle(app, pilot)
        assert text_of(app, "#lookup-message") == (
            "Chọn một hồ sơ trong danh sách (↑↓ rồi Enter) trước."
        )
        await pilot.press("down", "enter")
        await settle(app, pilot)
        assert shown_code(app) == saved.code
        assert text_of(app, "#lookup-message") == ""  # the choice is made: its words go
        query.value = ""
        await pilot.press(*"[b]0099", "enter")
        await settle(app, pilot)
        assert text_of(app, "#lookup-message") == "Không tìm thấy hồ sơ nào khớp với “[b]0099”."
        assert text_of(app, "#lookup-detail") == ""


async def test_a_second_scan_replaces_the_first_and_an_empty_search_says_what_to_type(
    rt: Runtime,
) -> None:
    """F8, a search, then a scan: the scan was added to what was looked up before
    ("0001000.31.…") and found nothing (walk, 2 Dec); Enter on nothing said "nothing
    matches “”"."""
    from tests.dossiers.test_intake import form, save

    saved, app = taken_in(rt, [NOW])
    [other] = save(rt, form(procedure_code="1.004873", fee=""))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8", *"261123-0001", "enter")
        await settle(app, pilot)
        assert shown_code(app) == saved.code
        query = app.screen.query_one("#lookup-query", Input)
        assert query.value == "261123-0001"  # still in sight
        await pilot.press(*other.code, "enter")
        await settle(app, pilot)
        assert shown_code(app) == other.code and query.value == other.code
        query.value = ""
        await pilot.press("enter")
        await settle(app, pilot)
        assert text_of(app, "#lookup-message").startswith("Ô tra cứu đang trống: quét mã")
        assert text_of(app, "#lookup-detail") == ""
