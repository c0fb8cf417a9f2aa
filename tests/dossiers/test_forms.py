"""Mẫu 01 and the agency code from issue 16: who signs, the signature hint, the
center's address, how the citizen follows the dossier; agency codes of the shapes
provinces issue, and F8 finding a scanned code of any of them."""

from __future__ import annotations

from pathlib import Path

import pytest

from desk.center.config import Config, load_config
from desk.center.runtime import Runtime, open_runtime
from desk.dossiers.catalogue import import_catalogue
from desk.dossiers.forms import NO_BREAK, Document, receipt
from desk.dossiers.lifecycle import find_dossiers
from desk.errors import ConfigError
from desk.printing.preview import paper_text
from tests.center.test_config import SAMPLE, write
from tests.dossiers.test_intake import at, form, save
from tests.printing.test_printing import facts


def _signatures(doc: Document) -> list[str]:
    """The signature rows of the receipt's first copy, as the paper prints them."""
    rows = [row.strip() for row in paper_text(doc, 42).splitlines()]
    start = rows.index("NGƯỜI NỘP HỒ SƠ")
    end = rows.index(rows[0], start)  # the second copy opens as the first did
    return [row for row in rows[start:end] if row]


def test_the_authorised_person_signs_as_submitter(config: Config) -> None:
    f = facts("Nguyễn Thị Ánh Nguyệt")
    own = receipt(config, f)
    assert _signatures(own) == [
        "NGƯỜI NỘP HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Nguyễn Thị Ánh Nguyệt",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Lê Văn Cường",
    ]
    from dataclasses import replace

    sent = receipt(config, replace(f, submitter_name="Trần Văn Bình"))
    assert sent.field("Người nộp hồ sơ (được ủy quyền)") == "Trần Văn Bình"
    assert _signatures(sent)[:3] == [
        "NGƯỜI NỘP HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Trần Văn Bình",
    ]


def test_the_receipt_prints_the_center_address_and_how_to_follow_the_dossier(
    config: Config,
) -> None:
    doc = receipt(config, facts("Nguyễn Thị Ánh Nguyệt"))
    assert doc.field("Địa chỉ Bộ phận tiếp nhận và trả kết quả") == (
        "Số 1 đường Hai Bà Trưng, phường Lê Chân, thành phố Hải Phòng"
    )
    qr = next(b for b in doc.blocks if b.kind == "qr").value
    assert qr == "https://dichvucong.haiphong.gov.vn/tra-cuu-ho-so?ma=000.31.27.H31-261123-0001"
    texts = [b.value for b in doc.blocks if b.kind == "text"]
    assert (
        # "tại" and the page are held together (NO_BREAK): "tại" stood alone on paper
        f"Theo dõi hồ sơ: quét mã QR hoặc tra cứu tại{NO_BREAK}dichvucong.haiphong.gov.vn/tra-cuu-ho-so"
        " bằng mã hồ sơ; đường dây nóng 0225 3 846 123."
    ) in texts
    named = config.model_copy(
        update={
            "printer": config.printer.model_copy(
                update={"lookup_page": "Cổng dịch vụ công Hải Phòng (dichvucong.haiphong.gov.vn)"}
            )
        }
    )
    texts = [b.value for b in receipt(named, facts("A")).blocks if b.kind == "text"]
    assert any(f"tra cứu tại{NO_BREAK}Cổng dịch vụ công Hải Phòng (dichvucong" in x for x in texts)


@pytest.mark.parametrize("code", ["H15.50.05.13", "000.31.27.H31", "000.00.10.H12", "X01.27"])
def test_agency_codes_of_the_shapes_provinces_issue(tmp_path: Path, code: str) -> None:
    text = SAMPLE.replace('agency_code = "000.31.27.H31"', f'agency_code = "{code}"')
    assert load_config(write(tmp_path, text)).center.agency_code == code


@pytest.mark.parametrize(
    "code", ["H15", "h15.50.05.13", "H15..50", "H15.50-05", "H15.50.05.13 ", "A1." + "2" * 30]
)
def test_agency_codes_with_other_characters_or_lengths_are_refused(
    tmp_path: Path, code: str
) -> None:
    text = SAMPLE.replace('agency_code = "000.31.27.H31"', f'agency_code = "{code}"')
    with pytest.raises(ConfigError) as info:
        load_config(write(tmp_path, text))
    assert "center.agency_code" in str(info.value)
    assert "5 đến 32 ký tự" in str(info.value)


def test_f8_finds_a_scanned_code_of_a_new_shape(tmp_path: Path) -> None:
    from desk.center.runtime import DEMO_CATALOGUE

    text = SAMPLE.replace('agency_code = "000.31.27.H31"', 'agency_code = "H15.50.05.13"')
    cfg = load_config(write(tmp_path, text))
    rt2: Runtime = open_runtime(cfg, f"sqlite:///{tmp_path / 'h15.db'}")
    import_catalogue(rt2.engine, DEMO_CATALOGUE)
    at(2026, 11, 23, 9, 15)
    [d] = save(rt2, form())
    assert d.code == "H15.50.05.13-261123-0001"
    for scanned in (
        d.code,
        d.code.lower(),
        f"https://dichvucong.haiphong.gov.vn/tra-cuu-ho-so?ma={d.code}",
    ):
        assert [v.code for v in find_dossiers(rt2.engine, scanned)] == [d.code], scanned
