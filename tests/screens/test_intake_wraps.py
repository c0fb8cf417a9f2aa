"""F6 at 80 columns: a long procedure name in the search list goes on under the name,
not back under the code column, and a component's name breaks between its phrases
with its further lines under the name, the count fields still in one column."""

from __future__ import annotations

import re
from itertools import pairwise
from typing import Any

import pytest
from textual.screen import Screen
from textual.widgets import Input, OptionList

from desk.center.runtime import Runtime
from screens.app import DeskApp
from screens.phrases import NAME_BREAK, hanging, pack, wrap_words
from tests.conftest import load_demo_catalogue, signed_in
from tests.screens.test_everyday import settle
from tests.screens.test_intake import rt
from tests.screens.test_snapshots import SIZES, frozen, steady
from tests.screens.test_walk import screen_lines

__all__ = ["frozen", "rt"]

CODE = re.compile(r"\d\.\d{6}  ")
"""A search hit's first line: its code, two spaces, its name."""


def list_lines(app: DeskApp) -> list[str]:
    """The search list's lines inside its frame (▊ … ▎), without the frame."""
    inside = []
    for line in screen_lines(app):
        start, end = line.find("▊ "), line.rfind("▎")
        if start >= 0 and end > start and line[start + 1] not in "▔▁":
            inside.append(line[start + 2 : end].rstrip(" ▁▂▃▄▅▆▇█"))
    return inside


async def searched(app: DeskApp, pilot: Any, query: str) -> None:
    await settle(app, pilot)
    await pilot.press("f6")
    await settle(app, pilot)
    await pilot.press(*query)
    await settle(app, pilot)


def hanging_ok(lines: list[str]) -> None:
    """Every line that is not a hit's first goes on under the name above it: ten
    cells in under a code, two under a linked bundle's ⇶."""
    for before, line in pairwise(lines):
        if CODE.match(line) or line.startswith("⇶ "):
            continue  # the next hit
        indent = 10 if CODE.match(before) or before.startswith(" " * 10) else 2
        assert line[:indent] == " " * indent and line[indent] != " ", lines


@pytest.mark.parametrize(
    ("query", "wrapped"),
    [
        (
            "chung thuc",
            [
                "2.000815  Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan,",
                "          tổ chức có thẩm quyền của VN /",
                "          nước ngoài … cấp hoặc chứng nhận",
            ],
        ),
        (
            "dang ky khai sinh",
            [
                "1.004772  Thủ tục đăng ký khai sinh cho người đã có hồ sơ,",
                "          giấy tờ cá nhân",
            ],
        ),
    ],
)
async def test_a_long_name_in_the_search_list_goes_on_under_the_name(
    rt: Runtime, query: str, wrapped: list[str]
) -> None:
    """At 80×24 a procedure's name too long for its line wrapped back under the code
    ("tổ chức có thẩm quyền …" where the codes run down): the codes' column read
    as broken. Its further lines now start under its first letter, at the top of
    the list and at its end; the name breaks after a ", " where that costs no line,
    and leaves no word alone ("… cấp hoặc chứng" then "nhận" was the greedy way)."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await searched(app, pilot, query)
        top = list_lines(app)
        assert top and CODE.match(top[0]), top
        hanging_ok(top)
        results = app.screen.query_one("#procedure-results", OptionList)
        results.scroll_end(animate=False, immediate=True)
        await pilot.pause()
        end = list_lines(app)
        hanging_ok(end)
        n = len(wrapped)
        assert any(
            lines[i : i + n] == wrapped for lines in (top, end) for i in range(len(lines))
        ), (top, end)


async def components_shown(app: DeskApp, pilot: Any) -> list[str]:
    """The components' lines on screen, from the first row's line down (their box
    scrolled to the top of the form)."""
    screen = app.screen
    # the focus on the first count, without the animated scroll focusing starts
    screen.set_focus(screen.query_one("#c0-orig", Input), scroll_visible=False)
    box = screen.query_one("#components")
    form = screen.query_one("#intake-form")
    seen = None
    for _ in range(20):  # until the rows laid out for their width stop moving
        box.scroll_visible(top=True, animate=False, immediate=True)
        await pilot.pause()
        now = (box.region, form.scroll_y, form.virtual_size)
        if now == seen:
            break
        seen = now
    region = box.region
    return [line.rstrip() for line in screen_lines(app)[region.y : region.bottom]]


def rows_of(lines: list[str]) -> list[tuple[list[str], int]]:
    """Each component's name lines (as shown, from the row's left edge) and the
    column its first count field starts at."""
    rows: list[tuple[list[str], int]] = []
    for line in lines:
        if re.search("▐[ X]▌", line):  # the row's "scanned" box, ticked or not
            count = re.search(r" +(0) +0 +0 +▐[ X]▌", line)
            assert count is not None, line
            rows.append(([line[1 : count.start()]], count.start(1)))
        elif rows and line.strip() and "─" not in line:
            rows[-1][0].append(line[1:].rstrip(" ▁▂▃▄▅▆▇█"))  # the form's scroll bar aside
    return rows


async def test_a_component_name_breaks_between_its_phrases(rt: Runtime) -> None:
    """At 80×24 "biên bản trẻ bị bỏ rơi / văn bản mang thai hộ (nếu có)" broke as
    "… / văn bản mang" and "thai hộ (nếu có)": it now breaks after the " / " between
    the two papers, and "Giấy chứng sinh (nếu không có: …)" before its aside; the
    count fields stay one column."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await searched(app, pilot, "dang ky khai sinh")
        await pilot.press("enter")
        await settle(app, pilot)
        rows = rows_of(await components_shown(app, pilot))
        names = [lines for lines, _ in rows]
        assert names[:4] == [
            ["Tờ khai ĐKKS (hoặc tờ khai điện tử)"],
            [
                "Giấy chứng sinh",
                "(nếu không có: văn bản của người",
                "làm chứng hoặc giấy cam đoan)",
            ],
            ["biên bản trẻ bị bỏ rơi /", "văn bản mang thai hộ (nếu có)"],
            ["văn bản ủy quyền (nếu có)"],
        ]
        assert len({column for _, column in rows}) == 1, rows


async def test_a_linked_component_goes_on_under_its_name_not_its_code(rt: Runtime) -> None:
    """A linked bundle names each component's procedure before it ("1.001193: …"):
    the name's further lines started under the code; now under the name."""
    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await searched(app, pilot, "lien thong birth")  # the bundle is the only hit
        await pilot.press("enter")
        await settle(app, pilot)
        rows = rows_of(await components_shown(app, pilot))
        assert [lines for lines, _ in rows[:2]] == [
            ["1.001193: Tờ khai ĐKKS", "          (hoặc tờ khai điện tử)"],
            [
                "1.001193: Giấy chứng sinh",
                "          (nếu không có: văn bản",
                "          của người làm chứng",
                "          hoặc giấy cam đoan)",
            ],
        ]
        assert len({column for _, column in rows}) == 1, rows


def test_hanging_lines_start_under_the_body() -> None:
    """The layout itself: the body's further lines under its first letter; with too
    little room beside the head, from the left edge (a name a few letters wide reads
    worse than one under its code)."""
    body = "Tờ khai liên thông (khai tử – xóa thường trú – mai táng)"
    assert hanging("0.000002: ", body, 40, NAME_BREAK) == [
        "0.000002: Tờ khai liên thông",
        "          (khai tử – xóa thường trú –",
        "          mai táng)",
    ]
    assert hanging("2.000815  ", "Chứng thực bản sao từ bản chính", 26, None) == [
        "2.000815  Chứng thực bản",
        "          sao từ bản chính",
    ]
    assert hanging("2.000815  ", "Chứng thực bản sao", 20, None) == [
        "2.000815  Chứng thực",
        "bản sao",
    ]


def test_a_balanced_name_leaves_no_word_alone_and_keeps_short_alternatives() -> None:
    """Balanced: as many lines, but even ("… cấp hoặc chứng" then "nhận" alone was
    the greedy way); " / " parts a name only before two words or more."""
    name = "tổ chức có thẩm quyền của VN / nước ngoài … cấp hoặc chứng nhận"
    assert wrap_words(name, 60) == [
        "tổ chức có thẩm quyền của VN / nước ngoài … cấp hoặc chứng",
        "nhận",
    ]
    assert wrap_words(name, 60, balanced=True) == [
        "tổ chức có thẩm quyền của VN /",
        "nước ngoài … cấp hoặc chứng nhận",
    ]
    assert pack("chứng cứ quan hệ cha / mẹ / con", 30, NAME_BREAK, balanced=True) == [
        "chứng cứ quan hệ",
        "cha / mẹ / con",
    ]
    assert pack("biên bản trẻ bị bỏ rơi / văn bản mang thai hộ (nếu có)", 40, NAME_BREAK) == [
        "biên bản trẻ bị bỏ rơi /",
        "văn bản mang thai hộ (nếu có)",
    ]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_search_list_snapshot(snap_compare: Any, frozen: Runtime, size: tuple[int, int]) -> None:
    load_demo_catalogue(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))

    async def run(pilot: Any) -> None:
        await searched(app, pilot, "chung thuc")
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_linked_components_snapshot(
    snap_compare: Any, frozen: Runtime, size: tuple[int, int]
) -> None:
    load_demo_catalogue(frozen)
    app = DeskApp(frozen, role="counter", counter=1, officer=signed_in(frozen))

    async def run(pilot: Any) -> None:
        await searched(app, pilot, "lien thong birth")
        await pilot.press("enter")
        await settle(app, pilot)
        await components_shown(app, pilot)
        await steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run)


def fill_applicant(screen: Screen[object]) -> None:
    """The applicant's fields filled as a form that can be saved needs them."""
    for name, value in (
        ("applicant_name", "Trần Thị Bình"),
        ("applicant_id_number", "031301012345"),
        ("applicant_birth_year", "2001"),
        ("applicant_address", "Số 5 Lạch Tray"),
    ):
        screen.query_one(f"#{name}", Input).value = value


def count_every_paper(screen: Screen[object]) -> None:
    """One original of every paper listed."""
    for row in screen.query(".component").results():
        row.query(Input).first().value = "1"


async def test_each_dossier_of_a_linked_bundle_has_its_own_fee_field(rt: Runtime) -> None:
    """A bundle had one fee field, saved on its first dossier, and said the first
    dossier's processing time only (walk, 2 Dec): each of its dossiers now has its
    fee field, named by its procedure, after the first's, each dossier keeps what was
    typed in its own, and each one's time is said."""
    from sqlmodel import col, select
    from textual.widgets import Static

    from db.engine import read_session
    from db.models import Dossier

    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await searched(app, pilot, "lien thong birth")
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        labels = [
            str(screen.query_one(f"#label-{name}", Static).render())
            for name in ("fee", "fee_1", "fee_2")
        ]
        assert labels == [
            "1.001193: Phí, lệ phí (đồng)",
            "1.004222: Phí, lệ phí (đồng)",
            "0.000001: Phí, lệ phí (đồng)",
        ]
        # and each its own processing time (the first's alone was said)
        times = str(screen.query_one("#days-known", Static).render())
        assert times.startswith("Thời gian giải quyết: 1.001193: Trong ngày")
        assert times.endswith("; 1.004222: 7 ngày làm việc; 0.000001: 3 ngày làm việc")
        fill_applicant(screen)
        count_every_paper(screen)
        # Tab goes from the first fee to the bundle's next ones
        screen.query_one("#fee", Input).focus()
        await pilot.pause()
        await pilot.press("tab")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "fee_1"
        await pilot.press(*"2x.000")  # a letter: named under its own field at Ctrl+S
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert str(screen.query_one("#err-fee_1", Static).render()) == (
            "Phí, lệ phí là số tiền bằng đồng, ví dụ 8.000."
        )
        screen.query_one("#fee_1", Input).value = "20.000"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert type(app.screen).__name__ == "ReceiptView"
        await pilot.press("escape")
        await settle(app, pilot)
        # the counter names the three dossiers in two lines at most (four at 80 columns,
        # the last pushed off by the rating prompt after F9)
        last = str(app.screen.query_one("#counter-last-dossier", Static).render())
        assert re.fullmatch(r"Hồ sơ vừa tiếp nhận: \S+-(\d{4}), -(\d{4}), -(\d{4})", last), last
    with read_session(rt.engine) as s:
        fees = s.execute(
            select(Dossier.procedure_code, Dossier.fee_vnd).order_by(col(Dossier.id))
        ).all()
    assert [tuple(f) for f in fees] == [("1.001193", 0), ("1.004222", 20000), ("0.000001", 0)]


async def test_choosing_again_refills_the_fee_and_forgets_a_gone_fields_problem(
    rt: Runtime,
) -> None:
    """Choosing another procedure kept the fee filled for the one before (now
    labelled with the new one's code) and the problem of a bundle's fee field gone
    with the bundle ("Còn 1 chỗ cần sửa" with nothing red; diff review)."""
    from textual.widgets import Static

    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(110, 45)) as pilot:
        await searched(app, pilot, "2.000884")  # 10.000 đồng in the catalogue
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        assert screen.query_one("#fee", Input).value == "10.000"
        screen.query_one("#procedure", Input).value = ""
        screen.query_one("#procedure", Input).focus()
        await pilot.pause()
        await pilot.press(*"lien thong birth", "enter")
        await settle(app, pilot)
        assert screen.query_one("#fee", Input).value == ""  # the birth's: none
        fill_applicant(screen)
        count_every_paper(screen)
        screen.query_one("#fee_1", Input).value = "2x"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        assert str(screen.query_one("#err-fee_1", Static).render()) != ""
        said = str(screen.query_one("#intake-message", Static).render())
        assert said.startswith("Còn 1 chỗ cần sửa"), said
        # a single procedure chosen instead: no further fee, and no word of one
        screen.query_one("#procedure", Input).value = ""
        screen.query_one("#procedure", Input).focus()
        await pilot.pause()
        await pilot.press(*"2.000884", "enter")
        await settle(app, pilot)
        assert not screen.query("#fee_1")
        said = str(screen.query_one("#intake-message", Static).render())
        assert "chỗ cần sửa" not in said, said
        assert screen.query_one("#fee", Input).value == "10.000"
        # what the officer typed over the catalogue's stays
        screen.query_one("#fee", Input).value = "15.000"
        screen.query_one("#procedure", Input).value = ""
        screen.query_one("#procedure", Input).focus()
        await pilot.pause()
        await pilot.press(*"2.001016", "enter")
        await settle(app, pilot)
        assert screen.query_one("#fee", Input).value == "15.000"


async def test_a_bundle_missing_papers_puts_the_focus_on_the_first_dossier_lacking_them(
    rt: Runtime,
) -> None:
    """Ctrl+S on a bundle with papers for its first dossier only put the focus on
    the first dossier's first paper, rows above the message (off the screen at
    80×24; walk, 2 Dec): it goes to the first paper of the residence dossier."""
    from textual.widgets import Static

    app = DeskApp(rt, role="counter", counter=1, officer=signed_in(rt))
    async with app.run_test(size=(80, 24)) as pilot:
        await searched(app, pilot, "lien thong birth")
        await pilot.press("enter")
        await settle(app, pilot)
        screen = app.screen
        fill_applicant(screen)
        rows = list(screen.query(".component").results())
        for row in rows:
            if (row.name or "").startswith("1.001193|"):
                row.query(Input).first().value = "1"
        await pilot.press("ctrl+s")
        await settle(app, pilot)
        residence = next(n for n, r in enumerate(rows) if (r.name or "").startswith("1.004222|"))
        assert app.focused is not None and app.focused.id == f"c{residence}-orig"
        said = str(screen.query_one("#err-components", Static).render())
        assert said.startswith("Hồ sơ liên thông chưa có giấy tờ nào cho: 1.004222")
