"""After "In" on the receipt the officer reads where it went: to the printer, named
from the configuration, or to the print queue with the printer's fault (a fake
ESC/POS printer on 127.0.0.1)."""

from __future__ import annotations

import dataclasses

import pytest
from sqlmodel import select

from db.engine import read_session
from db.models import Dossier
from desk.center.config import PrinterConfig
from desk.center.runtime import Runtime
from desk.printing.jobs import unprinted
from desk.printing.transport import printer_label
from screens.app import DeskApp
from screens.intake import ReceiptView
from tests.conftest import signed_in
from tests.fake_printer import FakePrinter, closed_port
from tests.printing.test_printing import network
from tests.screens.test_counter import settle
from tests.screens.test_intake import rt, text
from tests.screens.test_intake_reuse import fill_in
from tests.screens.test_lookup_forms import look_up

__all__ = ["rt"]


def test_the_printer_is_named_as_configured() -> None:
    lan = PrinterConfig(connection="network", name="Quầy 3", host="192.168.1.50")
    assert printer_label(lan) == "Quầy 3 (192.168.1.50)"
    assert printer_label(lan.model_copy(update={"port": 9101})) == "Quầy 3 (192.168.1.50:9101)"
    assert printer_label(lan.model_copy(update={"name": ""})) == "192.168.1.50"
    usb = PrinterConfig(connection="usb", usb_vendor=0x04B8, usb_product=0x0202)
    assert printer_label(usb) == "USB 04b8:0202"


async def take_in(app: DeskApp, pilot: object) -> None:
    """F6 at the counter, the form filled in, Ctrl+S: the receipt is on screen."""
    await settle(app, pilot)
    await pilot.press("f6")  # type: ignore[attr-defined]
    await settle(app, pilot)
    await fill_in(app, pilot, "Trần Thị Bình")
    await pilot.press("ctrl+s")  # type: ignore[attr-defined]
    await settle(app, pilot)
    assert isinstance(app.screen, ReceiptView)


async def print_a_receipt(runtime: Runtime) -> str:
    """Take in a dossier at the counter, press Enter on its receipt; what it says."""
    app = DeskApp(runtime, role="counter", counter=3, officer=signed_in(runtime))
    async with app.run_test(size=(110, 45)) as pilot:
        await take_in(app, pilot)
        await pilot.press("enter")
        await settle(app, pilot)
        return text(app, "#receipt-status")


async def test_the_receipt_went_to_the_named_printer(rt: Runtime) -> None:
    fake = FakePrinter("ok")
    try:
        config = network(rt, fake.port, name="Quầy 3")
        shown = await print_a_receipt(dataclasses.replace(rt, config=config))
        assert shown == f"Đã gửi giấy tiếp nhận tới máy in Quầy 3 (127.0.0.1:{fake.port})."
        with read_session(rt.engine) as session:
            code = session.execute(select(Dossier.code)).scalar_one()
        assert code.encode() in fake.payload()  # the receipt itself reached the printer
    finally:
        fake.close()
    assert unprinted(rt.engine) == []


@pytest.mark.early
async def test_an_unreachable_printer_leaves_the_receipt_in_the_queue_and_says_why(
    rt: Runtime,
) -> None:
    port = closed_port()
    config = network(rt, port, name="Quầy 3")
    shown = await print_a_receipt(dataclasses.replace(rt, config=config))
    assert shown.startswith(
        f"Chưa in được giấy tiếp nhận trên máy in Quầy 3 (127.0.0.1:{port}): "
        f"Không kết nối được máy in 127.0.0.1:{port}."
    )
    assert "Phiếu đang chờ trong hàng in" in shown
    [job] = unprinted(rt.engine)
    assert (job.kind, job.status, job.attempts) == ("receipt", "failed", 1)


async def reprint_from_the_lookup(runtime: Runtime) -> tuple[str, str]:
    """F8, the dossier found by phone, Ctrl+P, its receipt chosen: the dossier's
    code and what it says."""
    from tests.dossiers.test_intake import form, save

    [saved] = save(runtime, form(procedure_code="1.004873", fee=""))
    app = DeskApp(runtime, role="counter", counter=1, officer=signed_in(runtime))
    async with app.run_test(size=(110, 45)) as pilot:
        await look_up(app, pilot, "0912345678")
        await pilot.press("ctrl+p")
        await settle(app, pilot)
        await pilot.press("enter")  # the receipt, the only document
        await settle(app, pilot)
        return saved.code, text(app, "#lookup-message")


async def test_a_reprint_names_the_printer_that_took_it(rt: Runtime) -> None:
    fake = FakePrinter("ok")
    try:
        config = network(rt, fake.port, name="Quầy 3")
        code, shown = await reprint_from_the_lookup(dataclasses.replace(rt, config=config))
        assert shown == f"Đã gửi phiếu {code} tới máy in Quầy 3 (127.0.0.1:{fake.port})."
    finally:
        fake.close()


async def test_a_reprint_that_fails_says_which_printer_and_why_it_waits(rt: Runtime) -> None:
    port = closed_port()
    config = network(rt, port, name="Quầy 3")
    code, shown = await reprint_from_the_lookup(dataclasses.replace(rt, config=config))
    assert shown == (
        f"Chưa in được phiếu {code} trên máy in Quầy 3 (127.0.0.1:{port}): "
        f"Không kết nối được máy in 127.0.0.1:{port}. Phiếu đang chờ trong hàng in: "
        "bấm Ctrl+P để in lại, hoặc in cả hàng bằng lệnh desk print queue --retry."
    )
    # the receipt still waiting was the job tried: one job in the queue, not two
    assert [(job.kind, job.attempts) for job in unprinted(rt.engine)] == [("receipt", 1)]


async def test_the_print_key_during_a_print_says_it_is_under_way(rt: Runtime) -> None:
    """R (or Enter) while the receipt is still being sent did nothing and said
    nothing (the key was only dimmed); the status line says a print is under way."""
    fake = FakePrinter("silent")  # takes the job and never answers: the print waits
    try:
        config = network(rt, fake.port, name="Quầy 3", timeout_seconds=2.0)
        runtime = dataclasses.replace(rt, config=config)
        app = DeskApp(runtime, role="counter", counter=3, officer=signed_in(runtime))
        async with app.run_test(size=(110, 45)) as pilot:
            await take_in(app, pilot)
            await pilot.press("enter")
            await pilot.pause()
            assert isinstance(app.screen, ReceiptView) and app.screen.printing
            await pilot.press("r")
            assert text(app, "#receipt-status") == "Đang in, xin chờ: in xong sẽ báo tại đây."
            await settle(app, pilot)  # the printer never answered: the print ends, said why
            assert not app.screen.printing
            assert "Quầy 3" in text(app, "#receipt-status")
    finally:
        fake.close()
