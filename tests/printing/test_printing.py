"""Printing: exact bytes per document, Vietnamese read back in each mode, word
wrapping, control codes from people's text, and printer faults with the job kept."""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops

import desk.printing
from desk.center.config import Config, PrinterConfig
from desk.center.runtime import Runtime
from desk.dossiers.forms import (
    Document,
    DossierFacts,
    apology,
    receipt,
    refusal,
    supplement_request,
    ticket_document,
)
from desk.printing.jobs import print_job, queue_document, reprint, unprinted
from desk.printing.render import (
    _line_image_rows,
    decode_cp1258,
    document_lines,
    paper_of,
    render_document,
    render_test_page,
    wrap,
)
from tests.escpos_decode import decode
from tests.fake_printer import FakePrinter, closed_port

GOLDEN = Path(__file__).resolve().parents[1] / "golden"
NAME = "Nguyễn Thị Ánh Nguyệt"
LONG_PROCEDURE = (
    "Chứng thực bản sao từ bản chính giấy tờ, văn bản do cơ quan, tổ chức có thẩm quyền "
    "của Việt Nam cấp hoặc chứng nhận"
)


def facts(name: str = NAME) -> DossierFacts:
    return DossierFacts(
        code="000.31.27.H31-261123-0001",
        procedure_code="2.000815",
        procedure_name=LONG_PROCEDURE,
        applicant_name=name,
        applicant_id_number="031301012345",
        applicant_address="Số 5 Lạch Tray, phường Lê Chân, thành phố Hải Phòng",
        applicant_phone="+84912345678",
        applicant_email="",
        submitter_name="",
        channel="direct",
        sets=1,
        legal_days=0,
        local_days=None,
        day_type="working",
        received_at=datetime(2026, 11, 23, 9, 15),
        due_at=datetime(2026, 11, 23, 17, 0),
        fee_vnd=6000,
        payment_method="cash",
        result_delivery="desk",
        register_year=2026,
        register_no=1,
        components=[("Bản chính giấy tờ", 1, 0, 0), ("Bản sao cần chứng thực", 0, 0, 3)],
        officer_name="Lê Văn Cường",
    )


def documents(config: Config, name: str = NAME) -> dict[str, Document]:
    at = datetime(2026, 11, 24, 10, 0)
    f = facts(name)
    return {
        "ticket": ticket_document(config, "A012", "Hộ tịch", at, 3, True),
        "receipt": receipt(config, f),
        "supplement": supplement_request(config, f, at, ["Bản sao giấy khai sinh"], "Thiếu"),
        "refusal": refusal(config, f, at, "Không thuộc thẩm quyền"),
        "apology": apology(config, f, at, f.due_at, datetime(2026, 11, 27, 17, 0), "Chờ xác minh"),
    }


def printer(config: Config, **changes: object) -> PrinterConfig:
    return config.printer.model_copy(update={"profile": "TM-T88V", **changes})


@pytest.mark.parametrize("kind", ["ticket", "receipt", "supplement", "refusal", "apology", "test"])
def test_golden_bytes_for_each_document(config: Config, kind: str) -> None:
    """TM-T88V, 80 mm, the Vietnamese code page: the exact bytes, byte for byte."""
    settings = printer(config, vietnamese="codepage")
    if kind == "test":
        data = render_test_page(settings)
    else:
        data = render_document(documents(config)[kind], settings)
    golden = GOLDEN / f"{kind}-TM-T88V-codepage.bin"
    if os.environ.get("DESK_UPDATE_GOLDEN"):
        golden.write_bytes(data)
    assert golden.exists(), f"{golden} missing: run with DESK_UPDATE_GOLDEN=1 and review it"
    assert data == golden.read_bytes()


def test_codepage_text_reads_back_in_vietnamese(config: Config) -> None:
    data = render_document(documents(config)["receipt"], printer(config, vietnamese="codepage"))
    assert data.startswith(b"\x1b@\x1bt\x34")  # init, then ESC t 52: CP1258 on this profile
    text = decode_cp1258(decode(data).text)
    assert NAME in text
    flat = " ".join(text.split())
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in flat  # double width: two lines
    assert "Mã hồ sơ: 000.31.27.H31-261123-0001" in text
    assert "(Liên 1: Lưu)" in text and "(Liên 2: Giao khách hàng)" in text
    assert "031301012345" not in text  # the ID number is never printed
    decoded = decode(data)
    url = b"https://dichvucong.haiphong.gov.vn/tra-cuu-ho-so?ma=000.31.27.H31-261123-0001"
    assert decoded.qr == [url] * 2  # native QR on each copy: the look-up URL
    assert decoded.cuts == 2


@pytest.mark.parametrize(
    ("kind", "whose"),
    [
        ("receipt", "hồ sơ của"),
        ("supplement", "hồ sơ/yêu cầu của Ông/Bà"),
        ("refusal", "hồ sơ của"),
    ],
)
def test_the_form_names_the_body_that_received_it(config: Config, kind: str, whose: str) -> None:
    """Mẫu 01–03 open with "[Bộ phận tiếp nhận và trả kết quả …]: Tiếp nhận hồ sơ của:",
    the body's name in the brackets: the center, as configured (the forms printed the
    template's placeholder words instead)."""
    data = render_document(documents(config)[kind], printer(config, vietnamese="codepage"))
    flat = " ".join(decode_cp1258(decode(data).text).split())
    assert f"{config.center.name}: Tiếp nhận {whose}: {NAME}" in flat
    assert "Bộ phận tiếp nhận và trả kết quả: Tiếp nhận" not in flat


def test_the_supplement_request_prints_every_missing_item(config: Config) -> None:
    """Mẫu 02 lists everything the citizen must bring, numbered from 1: its list has no
    row of column names, and its first item was taken for one and never printed."""
    items = ["Bản sao giấy khai sinh", "Tờ khai có chữ ký", "Sổ hộ khẩu"]
    doc = supplement_request(config, facts(), datetime(2026, 11, 24, 10, 0), items, "Thiếu")
    data = render_document(doc, printer(config, vietnamese="codepage"))
    printed = [line.strip() for line in decode_cp1258(decode(data).text).splitlines()]
    at = printed.index("nội dung như sau:")  # "… hoàn thiện hồ sơ gồm những nội dung như sau:"
    assert printed[at + 1 : at + 4] == [
        "1. Bản sao giấy khai sinh",
        "2. Tờ khai có chữ ký",
        "3. Sổ hộ khẩu",
    ]
    # the receipt's component table still reads its first row as the columns' names
    data = render_document(documents(config)["receipt"], printer(config, vietnamese="codepage"))
    receipt_rows = [line.strip() for line in decode_cp1258(decode(data).text).splitlines()]
    assert "(1) Bản chính giấy tờ" in receipt_rows
    assert not any(row.startswith("TT") for row in receipt_rows)


def test_ascii_text_reads_back_without_accents(config: Config) -> None:
    data = render_document(documents(config)["receipt"], printer(config, vietnamese="ascii"))
    text = decode(data).text.decode("ascii")
    assert "Nguyen Thi Anh Nguyet" in text
    assert "GIAY TIEP NHAN HO SO VA HEN TRA KET QUA" in text.replace("\n", " ")


def test_image_mode_carries_the_drawn_text(config: Config) -> None:
    settings = printer(config, vietnamese="image")
    doc = documents(config)["receipt"]
    decoded = decode(render_document(doc, settings))
    assert decoded.text.strip(b"\n") == b""  # no text bytes at all: everything is raster
    width, height, bits = decoded.images[0]
    printed = Image.frombytes("1", (width, height), bits, "raw", "1;I")
    paper = paper_of(settings)
    lines = document_lines(doc, paper.columns, doc.copy_labels[0])
    head = [ln for ln in lines[: lines.index(next(ln for ln in lines if ln.kind == "qr"))]]
    expected = _line_image_rows(head, paper)
    assert printed.size[0] == paper.pixels
    top = printed.crop((0, 0, expected.size[0], min(expected.size[1], height)))
    want = expected.crop((0, 0, expected.size[0], min(expected.size[1], height)))
    assert ImageChops.difference(top.convert("L"), want.convert("L")).getbbox() is None
    # the accents are drawn: the same receipt without them prints other pixels
    plain = decode(render_document(documents(config, "Nguyen Thi Anh Nguyet")["receipt"], settings))
    assert plain.images[0][2] != bits


def test_long_names_wrap_on_word_boundaries_on_58mm(config: Config) -> None:
    settings = printer(config, vietnamese="codepage", paper_mm=58, profile="POS-5890")
    doc = documents(config)["receipt"]
    lines = document_lines(doc, paper_of(settings).columns)
    assert paper_of(settings).columns == 32
    texts = [ln.text for ln in lines if ln.kind == "text"]
    assert all(len(t) <= 32 for t in texts if " " in t.strip())
    words = set(" ".join(texts).split())
    for word in LONG_PROCEDURE.split():
        assert word in words, word  # never cut inside a word
    data = render_document(doc, settings)
    decoded = decode(data)
    assert decoded.qr == [] and len(decoded.images) == 2  # no native QR here: an image


@pytest.mark.parametrize(("profile", "paper_mm"), [("TM-T88V", 80), ("POS-5890", 58)])
def test_the_hotline_is_never_broken_across_two_lines(
    config: Config, profile: str, paper_mm: int
) -> None:
    """The receipt's follow-up line ends with the center's hotline; on 80 mm paper the
    sample's ``0225 3 846 123`` fell at the line's end and printed as ``0225 3 846``
    over ``123.``, which nobody can dial. Phone numbers stay whole on one line."""
    settings = printer(config, vietnamese="codepage", paper_mm=paper_mm, profile=profile)
    hotline = config.center.hotline
    assert hotline == "0225 3 846 123"
    doc = documents(config)["receipt"]
    lines = [ln.text for ln in document_lines(doc, paper_of(settings).columns)]
    assert any(hotline in line for line in lines), [ln for ln in lines if "0225" in ln]
    assert all(len(line) <= paper_of(settings).columns for line in lines if " " in line.strip())
    # the applicant's phone (``0912 345 678``) too
    assert any("0912 345 678" in line for line in lines)


def test_a_long_run_of_numbers_still_wraps_at_the_papers_width() -> None:
    """Only phone-sized runs are kept together: a longer run of numbers wraps as words."""
    numbers = " ".join(str(n) for n in range(100, 130))
    assert all(len(line) <= 42 for line in wrap(numbers, 42))
    assert wrap("Gọi 0225 3 846 123.", 12) == ["Gọi", "0225 3 846 123."]


@pytest.mark.parametrize(
    ("paper_mm", "profile", "number", "width"),
    [
        (80, "TM-T88V", "A012", 8),
        (80, "TM-T88V", "A1000", 8),
        (58, "POS-5890", "A012", 8),
        (58, "POS-5890", "A1000", 6),  # 8 wide would be 40 columns of 32: two lines
    ],
)
def test_the_ticket_number_fits_one_line_of_the_paper(
    config: Config, paper_mm: int, profile: str, number: str, width: int
) -> None:
    """A busy day's thousandth ticket of a service still prints on one line, as
    large as the paper allows (ESC/POS's GS ! sets the character's width)."""
    settings = printer(config, vietnamese="codepage", paper_mm=paper_mm, profile=profile)
    doc = ticket_document(config, number, "Hộ tịch", datetime(2026, 11, 24, 10, 0), 3, False)
    data = render_document(doc, settings)
    at = data.index(number.encode() + b"\n")
    size = data[data.rindex(b"\x1d!", 0, at) + 2]
    assert (size >> 4) + 1 == width and (size & 0x0F) + 1 == 8
    assert width * len(number) <= paper_of(settings).columns


def test_control_codes_in_names_never_reach_the_printer(config: Config) -> None:
    settings = printer(config, vietnamese="codepage")
    evil = "Nguyễn\x1b@\x1bp\x00\x19 Văn\x1dV\x00 An\x10\x04\x01"
    clean_name = "Nguyễn@p VănV An"  # what is left once the control bytes are gone
    for kind in ("receipt", "refusal"):
        dirty = render_document(documents(config, evil)[kind], settings)
        tidy = render_document(documents(config, clean_name)[kind], settings)
        assert dirty == tidy
        decode(dirty)  # parses: no stray command


def test_the_test_page_shows_all_three_modes(config: Config) -> None:
    data = render_test_page(printer(config))
    decoded = decode(data)
    assert decoded.cuts == 3
    assert len(decoded.images) == 1  # the image section
    text = decode_cp1258(decoded.text)
    assert "1. printer.vietnamese = codepage" in text and "Nguyễn Thị Ánh Nguyệt" in text
    assert "3. printer.vietnamese = ascii" in text and "Nguyen Thi Anh Nguyet" in text
    no_cp = decode(render_test_page(printer(config, profile="TM-T88IV-SA")))
    assert "has no Vietnamese code page" in no_cp.text.decode("ascii")


# --- faults against a fake network printer ------------------------------------------------


def network(runtime: Runtime, port: int, **changes: object) -> Config:
    options: dict[str, object] = {
        "connection": "network",
        "host": "127.0.0.1",
        "port": port,
        "timeout_seconds": 0.5,
        "vietnamese": "codepage",
    }
    settings = printer(runtime.config, **{**options, **changes})
    return runtime.config.model_copy(update={"printer": settings})


@pytest.mark.parametrize("in_child", [False, True], ids=["here", "in a child"])
def test_a_job_prints_and_is_marked_done(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, in_child: bool
) -> None:
    """Drawn in this process (commands) or in a child (the kiosk's and counters' way,
    desk.printing.child): the printer gets the same bytes."""
    monkeypatch.setattr(desk.printing, "_in_children", in_child)
    fake = FakePrinter("ok")
    try:
        config = network(runtime, fake.port, vietnamese="image" if in_child else "codepage")
        doc = documents(config)["receipt"]
        job = queue_document(runtime.engine, doc)
        result = print_job(runtime.engine, config, job)
        assert result.ok, result.message
        assert fake.payload() == render_document(doc, config.printer)
        assert unprinted(runtime.engine) == []
    finally:
        fake.close()


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("refuse", "Không kết nối được máy in 127.0.0.1"),
        ("silent", "Máy in không trả lời (quá thời gian chờ)."),
        ("drop", "Mất kết nối với máy in giữa chừng."),
        ("paper_out", "Máy in hết giấy."),
        ("offline", "Máy in đang ngoại tuyến (mở nắp hoặc lỗi)."),
    ],
)
def test_a_fault_keeps_the_job_and_a_retry_prints_it(
    runtime: Runtime, mode: str, message: str
) -> None:
    fake = FakePrinter(mode, drop_after=1000) if mode != "refuse" else None
    port = fake.port if fake else closed_port()
    try:
        config = network(runtime, port, vietnamese="image")  # big enough to drop mid-job
        job = queue_document(runtime.engine, documents(config)["receipt"])
        result = print_job(runtime.engine, config, job)
        assert not result.ok and result.message.startswith(message)
        [kept] = unprinted(runtime.engine)
        assert (kept.id, kept.status, kept.attempts) == (job, "failed", 1)
        assert kept.last_error == result.message
    finally:
        if fake:
            fake.close()
    healthy = FakePrinter("ok")
    try:
        config = network(runtime, healthy.port, vietnamese="image")
        assert print_job(runtime.engine, config, job).ok
        assert unprinted(runtime.engine) == []
        again = reprint(runtime.engine, config, job)  # any past document, once more
        assert again.ok and again.job_id != job
        assert healthy.jobs == 2
    finally:
        healthy.close()


# --- where the officer and the citizen meet the printer ----------------------------------


@pytest.mark.usefixtures("open_hours")
async def test_the_kiosk_shows_the_number_when_the_printer_fails(runtime: Runtime) -> None:
    import dataclasses

    from textual.widgets import Static

    from screens.app import DeskApp
    from screens.bigtext import BigText
    from tests.screens.test_counter import settle

    broken = dataclasses.replace(runtime, config=network(runtime, closed_port()))
    app = DeskApp(broken, role="kiosk")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("1")
        await settle(app, pilot)
        await settle(app, pilot)
        assert app.screen.query_one("#ticket-number", BigText).value == "A001"
        status = app.screen.query_one("#ticket-print", Static)
        assert str(status.render()) == (
            "Máy in đang lỗi, phiếu chưa in được: xin ghi nhớ số trên màn hình."
        )
        assert status.has_class("-fault")
    [job] = unprinted(runtime.engine)
    assert (job.kind, job.code, job.status) == ("ticket", "A001", "failed")


def test_print_queue_lists_and_retries_failed_jobs(
    runtime: Runtime, db_url: str, tmp_path: Path, staff: dict[str, object]
) -> None:
    from tests.center.test_config import desk
    from tests.conftest import SUPERVISOR, SUPERVISOR_ENV, desk_here

    text = (Path(__file__).resolve().parents[2] / "config.toml").read_text(encoding="utf-8")
    fake = FakePrinter("ok")
    port = closed_port()
    try:

        def with_port(p: int) -> dict[str, str]:
            cfg = tmp_path / f"config-{p}.toml"
            cfg.write_text(
                text.replace('connection = "preview"', 'connection = "network"').replace(
                    "[printer]",
                    f'[printer]\nhost = "127.0.0.1"\nport = {p}\ntimeout_seconds = 0.5',
                ),
                encoding="utf-8",
            )
            return {"DESK_DB": db_url, "DESK_CONFIG": str(cfg), **SUPERVISOR_ENV}

        config = network(runtime, port)
        job = queue_document(runtime.engine, documents(config)["receipt"])
        assert not print_job(runtime.engine, config, job).ok
        listed = desk_here("print", "queue", env=with_port(port))
        assert listed.returncode == 0, listed.stderr
        # the command line speaks the configured language, like the screens
        assert f"Lệnh in {job}  Giấy tiếp nhận (Mẫu 01)" in listed.stdout
        assert "  lỗi  1 lần thử  " in listed.stdout
        assert "Không kết nối được máy in 127.0.0.1" in listed.stdout
        assert "1 lệnh in chưa in" in listed.stdout
        still = desk_here("print", "queue", "--retry", *SUPERVISOR, env=with_port(port))
        assert still.returncode == 1 and "Không kết nối được máy in" in still.stdout
        fixed = desk_here("print", "queue", "--retry", *SUPERVISOR, env=with_port(fake.port))
        assert fixed.returncode == 0, fixed.stdout + fixed.stderr
        assert f"Lệnh in {job}: đã in" in fixed.stdout
        assert unprinted(runtime.engine) == []
        page = desk("print", "test", env=with_port(fake.port))  # a process of its own
        assert page.returncode == 0, page.stderr
        assert b"printer.vietnamese = ascii" in fake.payload()
    finally:
        fake.close()


def test_form_previews_with_personal_data_are_owner_only(tmp_path: Path) -> None:
    """A preview of a receipt holds the applicant's name, address and phone."""
    import stat

    from desk.center.config import load_config
    from desk.dossiers.forms import Document
    from desk.printing.preview import write_document_preview

    config = load_config(Path(__file__).resolve().parents[2] / "config.toml")
    config = config.model_copy(
        update={"printer": config.printer.model_copy(update={"preview_dir": str(tmp_path / "p")})}
    )
    doc = Document("receipt", "01", "T", "X-1", [], [], [])
    path = write_document_preview(config, doc)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700


def test_the_printers_bytes_kept_as_a_preview_are_owner_only(tmp_path: Path) -> None:
    """With no real printer a job's ESC/POS bytes go to a .bin file beside the text
    preview: the same personal data, the same owner-only mode (it was 0644), a file
    left wider by an earlier version too."""
    import stat

    from desk.center.config import load_config
    from desk.printing.transport import send

    config = load_config(Path(__file__).resolve().parents[2] / "config.toml")
    printer = config.printer.model_copy(update={"connection": "preview"})
    path = tmp_path / "p" / "receipt-X-1.bin"
    send(printer, b"\x1b@Tr\xe1\xba\xa7n Th\xe1\xbb\x8b B\xc3\xacnh", path)
    assert path.read_bytes().startswith(b"\x1b@Tr")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    path.chmod(0o644)
    send(printer, b"\x1b@", path)
    assert path.read_bytes() == b"\x1b@" and stat.S_IMODE(path.stat().st_mode) == 0o600


def test_each_supplement_slip_has_its_own_preview_file(tmp_path: Path) -> None:
    """A dossier's second supplement slip (<code>/HDHS-2) does not overwrite the first's."""
    from desk.center.config import load_config
    from desk.dossiers.forms import Block, Document, supplement_number
    from desk.printing.preview import write_document_preview

    config = load_config(Path(__file__).resolve().parents[2] / "config.toml")
    config = config.model_copy(
        update={"printer": config.printer.model_copy(update={"preview_dir": str(tmp_path / "p")})}
    )
    paths = [
        write_document_preview(
            config,
            Document(
                "supplement",
                "02",
                "T",
                "X-1",
                [],
                [],
                [Block("field", "Số", supplement_number("X-1", n))],
            ),
        )
        for n in (1, 2)
    ]
    assert paths[0] != paths[1]
    assert "X-1/HDHS-2" in paths[1].read_text(encoding="utf-8")
    assert "X-1/HDHS-2" not in paths[0].read_text(encoding="utf-8")


def test_a_reprint_prints_a_waiting_twin_of_a_document_with_no_dossier(runtime: Runtime) -> None:
    """A document about no dossier or ticket (their ids NULL) printed once and queued
    once more: the reprint prints the waiting copy rather than a third job, so the queue
    holds nothing to print twice."""
    healthy = FakePrinter("ok")
    try:
        config = network(runtime, healthy.port, vietnamese="image")
        document = documents(config)["receipt"]
        first = queue_document(runtime.engine, document)
        twin = queue_document(runtime.engine, document)
        assert print_job(runtime.engine, config, first).ok
        again = reprint(runtime.engine, config, first)
        assert again.ok and again.job_id == twin
        assert unprinted(runtime.engine) == []
        assert healthy.jobs == 2
    finally:
        healthy.close()
