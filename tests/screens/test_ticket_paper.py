"""The printed ticket says what the kiosk's screen says: the people ahead in the
same sentence, and a priority ticket unmistakably marked on paper too (read back
from the python-escpos bytes the printer receives)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import col, select

from db.engine import read_session
from db.models import PrintJob
from desk import i18n
from desk.center.runtime import Runtime
from desk.dossiers.forms import Document
from desk.printing.render import decode_cp1258, encode_cp1258, render_document
from screens.app import DeskApp
from screens.bigtext import BigText
from tests.escpos_decode import decode
from tests.screens.person import press_as_a_person
from tests.screens.test_counter import settle, text_of
from tests.screens.test_header import english


def on_codepage_paper(runtime: Runtime) -> Runtime:
    """A printer with its own Vietnamese code page (CP1258): the text is bytes."""
    printer = runtime.config.printer.model_copy(
        update={"profile": "TM-T88V", "paper_mm": 80, "vietnamese": "codepage"}
    )
    config = runtime.config.model_copy(update={"printer": printer})
    return dataclasses.replace(runtime, config=config)


def printed_lines(runtime: Runtime) -> list[list[str]]:
    """Each ticket the kiosk sent to the printer, as the text lines on its paper."""
    with read_session(runtime.engine) as session:
        documents = session.exec(
            select(PrintJob.document)
            .where(col(PrintJob.kind) == "ticket")
            .order_by(col(PrintJob.id))
        ).all()
    out = []
    for document in documents:
        data = render_document(Document.from_json(document), runtime.config.printer)
        text = decode_cp1258(decode(data).text)
        out.append([line.strip() for line in text.splitlines() if line.strip()])
    return out


@pytest.mark.parametrize(
    ("language", "nobody", "one", "two"),
    [
        (
            "vi",
            "Không có ai đang chờ trước bạn",
            "Có 1 người đang chờ trước bạn",
            "Có 2 người đang chờ trước bạn",
        ),
        (
            "en",
            "Nobody is waiting before you",
            "1 person is waiting before you",
            "2 people are waiting before you",
        ),
    ],
)
async def test_the_paper_says_the_people_ahead_as_the_screen_does(
    runtime: Runtime, open_hours: None, language: str, nobody: str, one: str, two: str
) -> None:
    rt = on_codepage_paper(english(runtime) if language == "en" else runtime)
    i18n.set_language(language)
    kiosk = DeskApp(rt, role="kiosk")
    shown = []
    async with kiosk.run_test(size=(80, 24)) as pilot:
        for keys in (("1",), ("escape", "1"), ("escape", "1")):
            await settle(kiosk, pilot)
            await pilot.press(*keys)
            await settle(kiosk, pilot)
            shown.append(text_of(kiosk, "#ticket-ahead"))
    assert shown == [nobody, one, two]
    papers = printed_lines(rt)
    assert len(papers) == 3
    for said, paper in zip(shown, papers, strict=True):
        assert said in paper  # the screen's sentence, word for word, on its own line
        assert not any(": 0" in line for line in paper)
    assert all("Số người chờ trước" not in line for paper in papers for line in paper)


@pytest.mark.parametrize(
    ("mode", "mark"), [("codepage", "*** ƯU TIÊN ***"), ("ascii", "*** UU TIEN ***")]
)
async def test_a_priority_ticket_is_unmistakable_on_paper(
    runtime: Runtime, open_hours: None, mode: str, mark: str
) -> None:
    """The screen shows ★A001; no code page of the printer has ★ (it would print
    "?A001"), so the paper prints the number the board shows without its ★ and the
    priority line right under it, bold, in every text mode."""
    rt = on_codepage_paper(runtime)
    kiosk = DeskApp(rt, role="kiosk")
    async with kiosk.run_test(size=(80, 24)) as pilot:
        await settle(kiosk, pilot)
        await press_as_a_person(pilot, "0", "1", "1")  # priority, the first category, Hộ tịch
        await settle(kiosk, pilot)
        assert kiosk.screen.query_one("#ticket-number", BigText).value == "★A001"
    printer = rt.config.printer.model_copy(update={"vietnamese": mode})
    rt = dataclasses.replace(rt, config=rt.config.model_copy(update={"printer": printer}))
    [paper] = printed_lines(rt)
    number = paper.index("A001")  # the number alone on its line, no "?" for the ★
    assert paper[number + 1] == mark
    assert not any("?" in line for line in paper)
    with read_session(rt.engine) as session:
        document = session.exec(select(PrintJob.document)).one()
    data = render_document(Document.from_json(document), rt.config.printer)
    big, bold = b"\x1d!\x77", b"\x1bE\x01"  # 8 x 8 characters; emphasis on
    encoded = mark.encode("ascii") if mode == "ascii" else encode_cp1258(mark)
    before, after = data.split(b"A001\n", 1)
    assert big in before[before.rindex(b"\n") :]  # the number's own line is the largest
    assert bold in after[: after.index(encoded + b"\n")]  # the next line: the mark, bold
