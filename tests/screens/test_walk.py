"""What a new officer and a new director ran into, walking through desk in a terminal:
each test presses the keys they pressed and checks what the screen shows."""

from __future__ import annotations

from desk.center.runtime import Runtime
from screens.app import DeskApp
from tests.conftest import signed_in
from tests.screens.test_counter_typeahead import NOW
from tests.screens.test_everyday import settle, text_of
from tests.screens.test_intake import rt
from tests.screens.test_snapshots import frozen, queue_of

__all__ = ["frozen", "rt"]


def screen_lines(app: DeskApp) -> list[str]:
    """The terminal's lines as the person sees them (what is clipped is not there)."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


async def test_transfer_list_shows_its_last_counter_at_80x24(frozen: Runtime) -> None:
    """F5 at 80×24: the list of services and counters was cut at the box's bottom, so
    the last counter (the priority counter) and the highlight on it were hidden."""
    queue_of(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f2")
        await settle(app, pilot)
        await pilot.press("f5")
        await settle(app, pilot)
        await pilot.press("end")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Quầy 7 — Quầy ưu tiên" in shown
        await pilot.press("home")
        await pilot.pause()
        shown = "\n".join(screen_lines(app))
        assert "Lĩnh vực A — Hộ tịch" in shown


async def test_a_login_typed_before_the_app_started_signs_in(runtime: Runtime) -> None:
    """``desk counter 3`` and the name, Enter, the password, Enter typed at once: the
    terminal's line mode delivered each Enter as a newline (Ctrl+J), which the login
    ignored, so the password went on in the username field, in plain sight."""
    from textual.widgets import Input

    from desk.center.accounts import ensure_demo_accounts
    from screens.counter import CounterScreen
    from screens.login import LoginScreen

    ensure_demo_accounts(runtime.engine)
    app = DeskApp(runtime, role="counter", counter=3)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        screen = app.screen
        assert isinstance(screen, LoginScreen)
        await pilot.press(*"canbo", "ctrl+j")
        assert screen.query_one("#login-user", Input).value == "canbo"
        assert app.focused is screen.query_one("#login-password", Input)
        await pilot.press(*"canbo123", "ctrl+j")
        await settle(app, pilot)
        assert isinstance(app.screen, CounterScreen)


async def test_f1_on_the_intake_form_names_how_to_move_and_choose(frozen: Runtime) -> None:
    """F1 in the intake form listed Ctrl+S, Esc and F1 alone: nothing on moving
    between its many fields or choosing the procedure found."""
    from screens.help import HelpScreen
    from screens.intake import IntakeScreen
    from tests.screens.test_everyday import text_of

    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f6")
        await settle(app, pilot)
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = text_of(app, "#help-keys")
        for words in ("Tab", "Ô tiếp theo", "Shift+Tab", "Ô trước", "↓, ↑", "Chọn thủ tục"):
            assert words in shown, (words, shown)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, IntakeScreen)
        await pilot.press(*"khai sinh")
        await settle(app, pilot)
        await pilot.press("tab")  # still moves on from the procedure
        await pilot.pause()
        assert app.focused is not None and app.focused.id != "procedure"


async def test_a_long_procedure_name_in_the_f8_list_is_shown_whole_under_the_name(
    rt: Runtime,
) -> None:
    """Several dossiers found: a long procedure name was cut at 40 characters with no
    mark ("… bản chính giấy tờ,  (Returned)"), as if the name ended there; at 80
    columns a row then wrapped its status under the code. Each row is now the code,
    then the applicant and the status, then the whole procedure name (without its
    leading "Thủ tục"), each further line under the applicant's name."""
    from tests.dossiers.test_intake import form, save
    from tests.screens.test_lookup_forms import taken_in

    _saved, app = taken_in(rt, [NOW])
    save(rt, form())  # 2.000815: Chứng thực bản sao từ bản chính giấy tờ, văn bản …
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8", *"261123", "enter")
        await settle(app, pilot)
        shown = [line.strip("▊▎ ") for line in screen_lines(app)]
        row = shown.index("000.31.27.H31-261123-0002  Trần Thị Bình (Đã tiếp nhận)")
        assert shown[row + 1 : row + 4] == [
            "Chứng thực bản sao từ bản chính giấy tờ,",
            "văn bản do cơ quan, tổ chức có thẩm quyền",
            "của VN / nước ngoài … cấp hoặc chứng nhận",
        ]
        # under the applicant's name, not under the code
        lines = screen_lines(app)
        name_at = next(line for line in lines if "261123-0002" in line).index("Trần Thị Bình")
        assert next(line for line in lines if "Chứng thực bản" in line).index("C") == name_at
        first = shown.index("000.31.27.H31-261123-0001  Trần Thị Bình (Đã tiếp nhận)")
        assert shown[first + 1] == "Cấp Giấy xác nhận tình trạng hôn nhân"


async def test_esc_on_the_list_found_goes_back_to_the_query(rt: Runtime) -> None:
    """Esc on F8's list of dossiers found left the look-up, the query lost (walk,
    2 Dec): it goes back to the query, as typed; a second Esc leaves."""
    from textual.widgets import Input, OptionList

    from tests.dossiers.test_intake import form, save
    from tests.screens.test_lookup_forms import taken_in

    _saved, app = taken_in(rt, [NOW])
    save(rt, form())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8", *"261123", "enter")
        await settle(app, pilot)
        screen = app.screen
        results = screen.query_one("#lookup-results", OptionList)
        assert results.display and app.focused is results
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen and not results.display
        query = screen.query_one("#lookup-query", Input)
        assert app.focused is query and query.value == "261123"
        # a dossier chosen in the list: Esc goes back to the list, on that dossier
        await pilot.press("enter")
        await settle(app, pilot)
        await pilot.press("down", "enter")
        await settle(app, pilot)
        shown = text_of(app, "#lookup-detail").split("\n")[0]
        await pilot.press("escape")
        await settle(app, pilot)
        assert app.screen is screen and results.display and app.focused is results
        assert results.highlighted == 1
        assert results.get_option_at_index(1).id == shown
        # a letter or digit typed on the list starts a new query, Enter searches it
        await pilot.press(*"0001", "enter")
        await settle(app, pilot)
        assert query.value == "0001" and not results.display
        assert text_of(app, "#lookup-detail").startswith("000.31.27.H31-261123-0001")
        await pilot.press("escape")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "CounterScreen"


async def test_more_dossiers_found_than_listed_are_said_to_be_more(rt: Runtime) -> None:
    """400 dossiers matched and the look-up said "Có 20 hồ sơ khớp", under the list,
    off the screen at 80×24 (walk, 2 Dec): it says there are more than 20, these
    the newest, right under the query."""
    from tests.dossiers.test_intake import form, save
    from tests.screens.test_lookup_forms import taken_in

    _saved, app = taken_in(rt, [NOW])
    for _ in range(21):
        save(rt, form())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(app, pilot)
        await pilot.press("f8", *"tran thi", "enter")
        await settle(app, pilot)
        said = text_of(app, "#lookup-message")
        assert said.startswith("Có hơn 20 hồ sơ khớp với “tran thi”; đây là 20 hồ sơ mới nhất")
        lines = screen_lines(app)
        assert any(line.strip().startswith("Có hơn 20 hồ sơ") for line in lines)
        assert lines[-1].split()[-2:] == ["Quay", "lại"]  # the key bar whole, no scrolling
