"""The look-up's reprint list (Ctrl+P) tells a dossier's two supplement slips apart
by their own numbers."""

from __future__ import annotations

from textual.widgets import OptionList

from desk.center.accounts import Actor
from desk.center.runtime import Runtime
from desk.dossiers.lifecycle import Lifecycle
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.dossiers.test_intake import at, form, rt, save
from tests.screens.test_everyday import settle
from tests.screens.test_lookup_forms import look_up
from tests.screens.test_walk import screen_lines

__all__ = ["rt"]


async def test_the_reprint_list_names_each_supplement_slip(
    rt: Runtime, staff: dict[str, Actor]
) -> None:
    at(2026, 11, 23, 9, 0)
    [d] = save(rt, form(procedure_code="1.001193", fee="0", components=[]))
    life = Lifecycle(rt.engine, rt.config)
    boss = staff["giamdoc"]
    life.request_supplement(d.code, ["Giấy chứng sinh"], "", boss.id)
    life.resume(d.code, boss.id)
    life.request_supplement(d.code, ["Sổ hộ khẩu"], "Giấy tờ bị tẩy xóa", boss.id, approved_by=boss)
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await look_up(app, pilot, "0912345678")
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        choices = app.screen.query_one("#choices", OptionList)
        labels = [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]
        assert [label.split("  ")[:2] for label in labels] == [
            ["Yêu cầu bổ sung (Mẫu 02)", "…/HDHS-2"],
            ["Yêu cầu bổ sung (Mẫu 02)", "…/HDHS"],
            ["Giấy tiếp nhận (Mẫu 01)", "09:00 23/11/2026"],
        ]
        # at 80 columns an entry breaks between its parts: "(chờ" / "in)" split before
        shown = screen_lines(app)
        assert any("Mẫu 02)" in line for line in shown)
        for line in shown:
            assert line.count("(") == line.count(")"), line
