"""A chosen procedure that cannot be read (a database error) takes away the rows of
the procedure chosen before and says so under the field: the old rows stayed, and
Ctrl+S would have filed the new procedure with the old one's papers."""

from __future__ import annotations

from sqlalchemy import text
from textual.widgets import Input, Static

from db.engine import write_session
from desk.center.runtime import Runtime
from screens.app import DeskApp
from screens.intake import IntakeScreen
from tests.conftest import signed_in
from tests.screens.test_counter import settle
from tests.screens.test_intake import rt, type_in

__all__ = ["rt"]


def shown(screen: IntakeScreen, selector: str) -> str:
    return str(screen.query_one(selector, Static).render())


async def test_a_failed_procedure_read_clears_the_old_rows(rt: Runtime) -> None:
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, IntakeScreen)
        await type_in(pilot, "khai sinh")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert screen.query(".component"), "the first procedure's papers are listed"
        assert shown(screen, "#procedure-chosen") != ""
        # the catalogue's papers can no longer be read
        with write_session(rt.engine) as session:
            session.execute(text("ALTER TABLE procedure_component RENAME TO gone"))
        field = screen.query_one("#procedure", Input)
        field.value = ""
        field.focus()
        await type_in(pilot, "hon nhan")
        await settle(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        assert not screen.query(".component")
        assert shown(screen, "#procedure-chosen") == ""
        assert shown(screen, "#err-procedure") == (
            "Có lỗi khi xử lý (OperationalError). Đã ghi vào nhật ký; bấm lại hoặc báo quản trị."
        )
        assert shown(screen, "#intake-message") != ""
        assert not screen.procedures and not screen.choosing
