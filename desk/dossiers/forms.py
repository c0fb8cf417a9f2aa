"""The one-stop forms as structured documents that printing renders.

A :class:`Document` is a title plus blocks (fields, text, a component table, a QR
payload, signature captions). It holds plain text only, already cleaned of control
characters; the printer layer decides fonts, wrapping and code pages, and a
document serialised to JSON (``PrintJob.document``) is enough to reprint it.

Forms (TT 01/2018/TT-VPCP, numbering as in its annex):
- Mẫu 01 Giấy tiếp nhận hồ sơ và hẹn trả kết quả (receipt), two copies by default;
- Mẫu 02 Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (supplement request);
- Mẫu 03 Phiếu từ chối tiếp nhận giải quyết hồ sơ (refusal);
- Mẫu 04 Phiếu xin lỗi và hẹn lại ngày trả kết quả (apology and new date).
Forms are legal Vietnamese documents, so their wording stays Vietnamese whatever
the UI language.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from desk.dossiers.identity import display_phone
from desk.i18n import decimal, get_language, moment_text, t_in
from desk.text import clean

if TYPE_CHECKING:
    from desk.center.config import Config

CHANNEL_NAMES = {"direct": "Trực tiếp", "online": "Trực tuyến", "postal": "Bưu chính công ích"}
DELIVERY_NAMES = {
    "desk": "Bộ phận tiếp nhận và trả kết quả",
    "post": "Qua dịch vụ bưu chính công ích (tại địa chỉ của người nộp)",
}
SIGN_HINT = "(Ký và ghi rõ họ tên)"
"""Under each signature caption, on paper and in previews."""
PAYMENT_NAMES = {
    "cash": "Tiền mặt",
    "transfer": "Chuyển khoản",
    "postal": "Qua bưu chính",
    "online": "Trực tuyến",
    "none": "Không thu",
}


@dataclass
class Block:
    kind: str
    """field | text | heading | table | qr | signatures | copy"""
    label: str = ""
    value: str = ""
    rows: list[list[str]] = field(default_factory=list)


NO_BREAK = "\u00a0"
"""Joins words the paper never breaks between (a no-break space): the words of one
phrase of a printed title or field ("Số thứ tự: 01"), a phone number's groups of
digits, a count and its name, "tại" and the look-up page it names;
``desk.printing.render.wrap`` prints it as a space."""


def kept_phrases(*phrases: str) -> str:
    """``phrases`` in a row, each of which the paper never breaks between lines: the
    words of each phrase joined by :data:`NO_BREAK`, the phrases by spaces (where a
    line may break). A form's title is one such row: printed double width, 21
    characters on a 42-column paper, and broken anywhere it read "PHIẾU YÊU CẦU BỔ /
    SUNG, HOÀN THIỆN HỒ / SƠ" (``desk.printing.render.title_lines``)."""
    return " ".join(phrase.replace(" ", NO_BREAK) for phrase in phrases)


@dataclass
class Document:
    kind: str
    """receipt | supplement | refusal | apology"""
    form: str
    title: str
    code: str
    header_left: list[str]
    header_right: list[str]
    blocks: list[Block]
    copies: int = 1
    copy_labels: list[str] = field(default_factory=list)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> Document:
        data: dict[str, Any] = json.loads(text)
        data["blocks"] = [Block(**b) for b in data["blocks"]]
        return cls(**data)

    def field(self, label: str) -> str:
        for block in self.blocks:
            if block.kind == "field" and block.label == label:
                return block.value
        raise KeyError(label)


def money_text(vnd: int) -> str:
    """An amount of đồng as it is written and typed here, thousands by dots: 20.000."""
    return f"{vnd:,}".replace(",", ".")


def _when(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return (
        f"{moment.hour:02d} giờ {moment.minute:02d} phút, ngày {moment.day:02d} "
        f"tháng {moment.month:02d} năm {moment.year}"
    )


def days_text(days: float | None, day_type: str, language: str | None = None) -> str:
    """A procedure's processing time in words: on screen in the UI's language, on the
    printed forms in Vietnamese (``language="vi"``): ``Trong ngày``, ``1 ngày làm
    việc``, ``1,5 ngày làm việc``, ``15 ngày``."""
    if days is None:
        return ""
    language = language or get_language()
    if days == 0:
        return t_in(language, "intake.days_same")
    kind = "working" if day_type == "working" else "calendar"
    if days == 1:
        return t_in(language, f"intake.days_{kind}_one")
    return t_in(language, f"intake.days_{kind}", days=decimal(days, language=language))


def _headers(config: Config, at: datetime) -> tuple[list[str], list[str]]:
    left = [clean(config.center.agency), "BỘ PHẬN TIẾP NHẬN VÀ TRẢ KẾT QUẢ"]
    right = [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        f"{clean(config.center.place)}, ngày {at.day:02d} tháng {at.month:02d} năm {at.year}",
    ]
    return left, right


def received_from(config: Config, applicant: str, whose: str = "hồ sơ của") -> str:
    """The forms' first line, the template's "[Bộ phận tiếp nhận và trả kết quả …]:
    Tiếp nhận hồ sơ của: …" with the receiving body named: the center (its name as
    configured), not the template's placeholder words."""
    return f"{clean(config.center.name)}: Tiếp nhận {whose}: {clean(applicant)}"


def mask_id(number: str, keep: int = 3) -> str:
    """``031301012345`` → ``*********345``: paper shows only the last digits."""
    digits = clean(number)
    return "*" * max(0, len(digits) - keep) + digits[-keep:]


def qr_payload(config: Config, code: str) -> str:
    template = config.printer.qr_url_template
    return template.replace("{code}", code) if template else code


def lookup_page(config: Config) -> str:
    """The page a citizen follows a dossier on: ``printer.lookup_page``, else the
    QR URL up to its query (``https://dvc.example.gov.vn/tra-cuu?ma={code}`` →
    ``dvc.example.gov.vn/tra-cuu``); empty when neither is set."""
    if config.printer.lookup_page:
        return clean(config.printer.lookup_page)
    template = config.printer.qr_url_template
    if not template:
        return ""
    page = template.split("{code}")[0].split("?")[0].split("#")[0]
    page = page.split("://", 1)[-1].rstrip("/")
    return clean(page)


def follow_up_line(config: Config) -> str:
    """The receipt's line on how to follow the dossier (look-up page, hotline)."""
    page = lookup_page(config)
    hotline = clean(config.center.hotline)
    parts = []
    if page:
        # "tại" goes with the page's first letters: it stood alone on a line, the
        # page's address too long to follow it (render.wrap breaks an address)
        parts.append(f"quét mã QR hoặc tra cứu tại{NO_BREAK}{page} bằng mã hồ sơ")
    else:
        parts.append("quét mã QR hoặc đọc mã hồ sơ tại Bộ phận tiếp nhận và trả kết quả")
    if hotline:
        parts.append(f"đường dây nóng {hotline}")
    return "Theo dõi hồ sơ: " + "; ".join(parts) + "."


@dataclass(frozen=True)
class DossierFacts:
    """What the forms need from a dossier (kept free of database types)."""

    code: str
    procedure_code: str
    procedure_name: str
    applicant_name: str
    applicant_id_number: str
    applicant_address: str
    applicant_phone: str
    applicant_email: str
    submitter_name: str
    channel: str
    sets: int
    legal_days: float | None
    local_days: float | None
    day_type: str
    received_at: datetime
    due_at: datetime | None
    fee_vnd: int
    payment_method: str
    result_delivery: str
    register_year: int
    register_no: int
    components: list[tuple[str, int, int, int]]
    """(name, originals, certified copies, photocopies)"""
    notes: str = ""
    officer_name: str = ""


def _contact_blocks(d: DossierFacts) -> list[Block]:
    return [
        Block("field", "Địa chỉ", clean(d.applicant_address)),
        Block("field", "Số điện thoại", display_phone(d.applicant_phone)),
        Block("field", "Email", clean(d.applicant_email)),
        Block("field", "Nội dung yêu cầu giải quyết", f"{d.procedure_name} ({d.procedure_code})"),
    ]


def _component_table(components: list[tuple[str, int, int, int]]) -> Block:
    rows = [["TT", "Thành phần hồ sơ", "Bản chính", "Bản chứng thực", "Bản photo"]]
    for i, (name, orig, cert, photo) in enumerate(components, 1):
        rows.append([str(i), clean(name), str(orig), str(cert), str(photo)])
    return Block("table", rows=rows)


def receipt(config: Config, d: DossierFacts) -> Document:
    """Mẫu 01: Giấy tiếp nhận hồ sơ và hẹn trả kết quả."""
    left, right = _headers(config, d.received_at)
    blocks = [Block("text", "", received_from(config, d.applicant_name))]
    if d.applicant_id_number:
        blocks.append(Block("field", "Số định danh cá nhân", mask_id(d.applicant_id_number)))
    if d.submitter_name:
        blocks.append(Block("field", "Người nộp hồ sơ (được ủy quyền)", clean(d.submitter_name)))
    blocks += _contact_blocks(d)
    blocks += [
        Block("heading", value="1. Thành phần hồ sơ nộp gồm:"),
        _component_table(d.components),
        Block("field", "2. Số lượng hồ sơ", f"{d.sets:02d} (bộ)"),
        Block(
            "field",
            "3. Thời gian giải quyết hồ sơ theo quy định",
            days_text(d.legal_days, d.day_type, "vi")
            + (
                f" (cam kết: {days_text(d.local_days, d.day_type, 'vi')})"
                if d.local_days is not None and d.local_days != d.legal_days
                else ""
            ),
        ),
        Block("field", "4. Thời gian nhận hồ sơ", _when(d.received_at)),
        Block("field", "5. Thời gian trả kết quả giải quyết hồ sơ", _when(d.due_at)),
        Block("field", "6. Đăng ký nhận kết quả tại", DELIVERY_NAMES.get(d.result_delivery, "")),
        *(
            [
                Block(
                    "field",
                    "Địa chỉ Bộ phận tiếp nhận và trả kết quả",
                    clean(config.center.address),
                )
            ]
            if config.center.address
            else []
        ),
        Block("field", "Hình thức nộp", CHANNEL_NAMES.get(d.channel, d.channel)),
        Block(
            "field",
            "Phí, lệ phí",
            f"{money_text(d.fee_vnd)} đồng"
            + (f" ({PAYMENT_NAMES.get(d.payment_method, '')})" if d.fee_vnd else ""),
        ),
        Block(
            "field",
            "Vào Sổ theo dõi hồ sơ",
            # each phrase on one line: on 42 columns it broke as "Số / thứ tự: 01"
            kept_phrases(f"Quyển số: {d.register_year}", f"Số thứ tự: {d.register_no:02d}"),
        ),
    ]
    if d.notes:
        blocks.append(Block("field", "Ghi chú", clean(d.notes)))
    blocks += [
        Block("qr", value=qr_payload(config, d.code)),
        Block(
            "text",
            value=(
                # by post, nobody comes for it (the slip said to bring it; walk, 2 Dec)
                "Kết quả được gửi qua bưu chính công ích đến địa chỉ của người nộp; "
                "giữ giấy này để tra cứu hồ sơ."
                if d.result_delivery == "post"
                else "Người nộp mang theo giấy này khi đến nhận kết quả."
            ),
        ),
        Block("text", value=follow_up_line(config)),
        Block(
            "signatures",
            "NGƯỜI NỘP HỒ SƠ | NGƯỜI TIẾP NHẬN HỒ SƠ",
            # the person at the desk signs: the authorised submitter when there is one
            f"{clean(d.submitter_name) or clean(d.applicant_name)} | {clean(d.officer_name)}",
        ),
    ]
    copies = config.printer.receipt_copies
    labels = (
        ["Liên 1: Lưu", "Liên 2: Giao khách hàng", "Liên 3"][:copies]
        if copies > 1
        else ["Giao khách hàng"]
    )
    return Document(
        kind="receipt",
        form="01",
        title="GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        code=d.code,
        header_left=left,
        header_right=right,
        blocks=blocks,
        copies=copies,
        copy_labels=labels,
    )


def supplement_number(code: str, sequence: int) -> str:
    """The number of a dossier's ``sequence``-th Mẫu 02: ``<code>/HDHS`` for the first
    (the form's usual number, as every slip was numbered before a dossier could have a
    second), ``<code>/HDHS-2`` for the second, and so on: each slip its own."""
    return f"{code}/HDHS" if sequence <= 1 else f"{code}/HDHS-{sequence}"


def supplement_request(
    config: Config,
    d: DossierFacts,
    at: datetime,
    items: list[str],
    reason: str,
    sequence: int = 1,
) -> Document:
    """Mẫu 02: everything missing, listed at once; ``sequence``: which request of the
    dossier this is (its number, :func:`supplement_number`)."""
    left, right = _headers(config, at)
    blocks = [
        Block("field", "Số", supplement_number(d.code, sequence)),
        Block("text", value=received_from(config, d.applicant_name, "hồ sơ/yêu cầu của Ông/Bà")),
        *_contact_blocks(d),
        Block("heading", value="Yêu cầu Ông/Bà hoàn thiện hồ sơ gồm những nội dung như sau:"),
        Block("table", rows=[[str(i), clean(item)] for i, item in enumerate(items, 1)]),
        Block("field", "Lý do", clean(reason)),
        Block(
            "text",
            value="Trong quá trình hoàn thiện hồ sơ nếu có vướng mắc, Ông/Bà liên hệ "
            + (f"số điện thoại {clean(config.center.hotline)} " if config.center.hotline else "")
            + "để được hướng dẫn./.",
        ),
        Block("signatures", "NGƯỜI HƯỚNG DẪN", clean(d.officer_name)),
    ]
    return Document(
        "supplement",
        "02",
        kept_phrases("PHIẾU YÊU CẦU", "BỔ SUNG,", "HOÀN THIỆN HỒ SƠ"),
        d.code,
        left,
        right,
        blocks,
    )


def refusal(config: Config, d: DossierFacts, at: datetime, reason: str) -> Document:
    """Mẫu 03: the refusal states its reason."""
    left, right = _headers(config, at)
    blocks = [
        Block("text", value=received_from(config, d.applicant_name)),
        *_contact_blocks(d),
        Block(
            "text",
            value="Qua xem xét, Bộ phận tiếp nhận hồ sơ thông báo không tiếp nhận, giải quyết "
            "hồ sơ này với lý do cụ thể như sau: " + clean(reason),
        ),
        Block("text", value="Xin thông báo cho Ông/Bà được biết và thực hiện./."),
        Block(
            "signatures",
            "NGƯỜI NỘP HỒ SƠ | NGƯỜI TIẾP NHẬN HỒ SƠ",
            f"{clean(d.applicant_name)} | {clean(d.officer_name)}",
        ),
    ]
    title = kept_phrases("PHIẾU TỪ CHỐI", "TIẾP NHẬN", "GIẢI QUYẾT", "HỒ SƠ")
    return Document("refusal", "03", title, d.code, left, right, blocks)


def apology(
    config: Config,
    d: DossierFacts,
    at: datetime,
    old_due: datetime | None,
    new_due: datetime,
    reason: str,
) -> Document:
    """Mẫu 04: apology and the new appointment (once only)."""
    left, right = _headers(config, at)
    received = d.received_at
    blocks = [
        Block("field", "Số", f"{d.code}/PXL"),
        Block("field", "Kính gửi", clean(d.applicant_name)),
        *_contact_blocks(d)[:2],
        Block(
            "text",
            value=f"Ngày {received.day:02d}/{received.month:02d}/{received.year}, "
            f"{clean(config.center.agency)} tiếp nhận hồ sơ {d.procedure_name} của Ông/Bà.",
        ),
        Block("field", "Mã hồ sơ", d.code),
        Block("field", "Thời gian hẹn trả kết quả ban đầu", _when(old_due)),
        Block(
            "text",
            value="Hồ sơ của Ông/Bà chưa trả kết quả đúng thời hạn quy định ghi trên "
            "Giấy tiếp nhận hồ sơ và hẹn trả kết quả.",
        ),
        Block("field", "Lý do", clean(reason)),
        Block("text", value="Chúng tôi thành thật xin lỗi Ông/Bà vì sự chậm trễ này."),
        Block("field", "Thời gian hẹn trả kết quả lại", _when(new_due)),
        Block("signatures", "THỦ TRƯỞNG CƠ QUAN", ""),
    ]
    title = kept_phrases("PHIẾU XIN LỖI", "VÀ HẸN LẠI NGÀY", "TRẢ KẾT QUẢ")
    return Document("apology", "04", title, d.code, left, right, blocks)


def people_ahead(ahead: int | None) -> str:
    """The people waiting before a new ticket, as the kiosk's screen and the printed
    ticket both say it: nobody for 0, one person for 1 (English says "1 person is",
    not "1 people are"), else the count; "" when they could not be counted (no guess
    in front of the public, none on paper)."""
    from desk.i18n import t

    if ahead is None:
        return ""
    if ahead == 0:
        return t("walk2.kiosk.nobody_ahead")
    if ahead == 1:
        return t("walk2.kiosk.one_ahead")
    return t("kiosk.ahead", ahead=ahead)


def expected_wait(
    ahead: int | None, wait_minutes: int | None, counters_open: int | None = None
) -> str:
    """The estimated wait of a new ticket with people ahead of it, as the kiosk's
    screen and the printed ticket both say it; with no counter open that will call
    it (``counters_open`` 0: before the counters open, or theirs closed) that it is
    called once one opens, not a time nor "right away"; "" when nobody is ahead or
    nothing could be counted."""
    from desk.i18n import t

    if ahead is None:
        return ""
    if counters_open == 0:
        return t("kiosk.no_counter_open")
    if not ahead or wait_minutes is None:
        return ""
    return t("kiosk.wait", minutes=wait_minutes)


def ticket_document(
    config: Config,
    number: str,
    service_name: str,
    issued_at: datetime,
    ahead: int | None,
    priority: bool,
    wait_minutes: int | None = None,
    counters_open: int | None = None,
) -> Document:
    """A queue ticket in the UI language; ``code`` is the ticket number."""
    from desk.i18n import t

    blocks = [
        Block("field", "service", clean(service_name)),
        Block("field", "priority", t("ticket.priority_mark") if priority else ""),
        Block("field", "issued", t("ticket.issued", at=moment_text(issued_at))),
        Block("field", "ahead", people_ahead(ahead)),
        Block("field", "wait", expected_wait(ahead, wait_minutes, counters_open)),
        Block("field", "guidance", t("ticket.guidance")),
    ]
    return Document(
        kind="ticket",
        form="",
        title="",
        code=number,
        header_left=[clean(config.center_name())],
        header_right=[],
        blocks=blocks,
    )
