"""``desk report`` and ``desk export`` from the command line, on the hand-built November."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desk.center.accounts import Actor
from desk.center.runtime import Runtime
from tests.center.test_config import desk
from tests.conftest import SUPERVISOR, SUPERVISOR_ENV, desk_here

ROOT = Path(__file__).resolve().parents[2]


def desk_on_december_2(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    """``desk`` run on 2/12/2026: November's report is made once the month is over
    (a stage still open counts up to now in a period that has not ended)."""
    return desk_here(*args, env=env, now=lambda: datetime(2026, 12, 2, 9, 0))


NOVEMBER_ARGS = ("report", *SUPERVISOR, "--from", "2026-11-01", "--to", "2026-11-30")


def english_appointment_config(tmp_path: Path) -> Path:
    text = (ROOT / "config.toml").read_text(encoding="utf-8")
    text = text.replace('language = "vi"', 'language = "en"')
    assert 'timeliness = "day"' in text
    text = text.replace('timeliness = "day"', 'timeliness = "appointment"')
    path = tmp_path / "config-en.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_report_command_in_every_format(month: Runtime, db_url: str, tmp_path, staff) -> None:  # type: ignore[no-untyped-def]
    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}
    args = NOVEMBER_ARGS
    data = json.loads(desk_here(*args, "--format", "json", env=env).stdout)
    assert data["period"] == {"from": "2026-11-01", "to": "2026-11-30"}
    assert data["dossiers"]["resolved_on_time"] == 3 and data["queue"]["tickets"] == 4
    rows = list(csv.reader(io.StringIO(desk_here(*args, "--format", "csv", env=env).stdout)))
    assert ["Giải quyết quá hạn", "1"] in rows and ["[Theo dịch vụ]"] in rows
    assert [
        "Cách tính đúng hạn",
        "theo thời hạn giải quyết (TT 01/2018 Điều 13: thời gian thực hiện so với thời gian quy định)",
    ] in rows
    service_header = rows[rows.index(["[Theo dịch vụ]"]) + 1]
    assert service_header[:3] == ["Dịch vụ", "Lượt lấy số", "Đã phục vụ"]
    assert ["Hộ tịch", "3", "2", "0.3333", "20.0", "25.0", "10.0", "15.0"] in rows
    table = desk_here(*args, env=env).stdout
    assert "Tiếp nhận mới" in table and "01/11/2026 – 30/11/2026" in table
    assert "received_new" not in table
    # a CSV file starts with a byte order mark: Excel then reads its Vietnamese as UTF-8
    csv_out = tmp_path / "november.csv"
    assert desk_here(*args, "--format", "csv", "--output", str(csv_out), env=env).returncode == 0
    assert csv_out.read_bytes().startswith(b"\xef\xbb\xbf")
    assert list(csv.reader(io.StringIO(csv_out.read_text(encoding="utf-8-sig")))) == rows
    out = tmp_path / "november.xlsx"
    done = desk_here(*args, "--format", "xlsx", "--output", str(out), env=env)
    assert done.returncode == 0, done.stderr
    book = load_workbook(out)
    sheet = book["Hồ sơ"]
    assert [c.value for c in sheet[1]] == ["Chỉ tiêu", "Giá trị"]
    values = {r[0].value: r[1].value for r in sheet.iter_rows(min_row=2)}
    assert values["Từ chối"] == 1 and values["Kỳ trước chuyển sang"] == 1
    assert values["Tỷ lệ thanh toán trực tuyến"] == 0.5
    about = {r[0].value: r[1].value for r in book.worksheets[0].iter_rows()}
    assert about["Kỳ báo cáo"] == "01/11/2026 – 30/11/2026"
    assert about["Cách tính đúng hạn"].startswith("theo thời hạn giải quyết")
    bad = desk_here("report", *SUPERVISOR, "--from", "2026-11-30", "--to", "2026-11-01", env=env)
    assert bad.returncode == 2 and "--to: cần một ngày bằng hoặc sau --from" in bad.stderr
    assert desk_here(*args, "--format", "xlsx", env=env).returncode == 1


def test_the_table_reads_at_80_columns(month: Runtime, db_url: str, staff) -> None:  # type: ignore[no-untyped-def]
    env = {"DESK_DB": db_url, "COLUMNS": "80", **SUPERVISOR_ENV}
    table = desk_here(*NOVEMBER_ARGS, env=env).stdout
    lines = table.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert lines[:2] == [
        "Trung tâm: Trung tâm Phục vụ hành chính công phường Lê Chân",
        "Kỳ báo cáo: 01/11/2026 – 30/11/2026",
    ]
    assert lines[2].startswith("Cách tính đúng hạn: theo thời hạn giải quyết (TT 01/2018 Điều 13")
    # every procedure code whole, on the same line as its figures
    # (where people get stuck: 1 refusal and 1 request of the 7 dossiers it handled)
    [row] = [line for line in lines if line.startswith("1.004873") and "14,3 %" in line]
    assert row.split()[-7:] == ["7", "1", "0,14", "14,3", "%", "28,6", "%"]
    # the procedures' table is cut in two at 80 columns, each part beginning with the code:
    # 7 handled (October's one carried over, resolved late) = 4 + 1 + 0 + 1 + 0 + 1
    rows = [line for line in lines if line.startswith("1.004873") and "14,3 %" not in line]
    assert len(rows) == 2
    figures = [w for row in rows for w in row.split() if w.isdigit()]
    assert figures == ["7", "4", "1", "0", "1", "0", "1", "1"]
    for label in ("Hồ sơ", "Theo thủ tục", "Theo dịch vụ", "Thủ tục hay vướng", "Hộ tịch"):
        assert label in table
    [service] = [line for line in lines if line.startswith("Hộ tịch") and "%" in line]
    assert service.split() == ["Hộ", "tịch", "3", "2", "33,3", "%", "20,0", "25,0", "10,0", "15,0"]


def test_english_labels_and_the_appointment_rule(
    month: Runtime, db_url: str, tmp_path: Path, staff: dict[str, Actor]
) -> None:
    env = {
        "DESK_DB": db_url,
        "DESK_CONFIG": str(english_appointment_config(tmp_path)),
        **SUPERVISOR_ENV,
    }
    done = desk_here(*NOVEMBER_ARGS, env=env)
    assert done.returncode == 0, done.stderr
    table = done.stdout
    assert "Timeliness rule: by the appointment on the receipt" in table
    assert "Newly received" in table and "By procedure" in table and "Civil status" in table
    data = json.loads(desk_here(*NOVEMBER_ARGS, "--format", "json", env=env).stdout)
    assert data["timeliness"] == "appointment"
    # by the appointment: d1 resolved at 16:00 against 09:00 on 5/11 is late (with d0);
    # d4 at 15:00 against its extended 17:00 is early (with d2); d3 at exactly its
    # restarted 08:00 is on time
    d = data["dossiers"]
    assert (d["resolved_early"], d["resolved_on_time"], d["resolved_late"]) == (2, 1, 2)
    rows = list(
        csv.reader(io.StringIO(desk_here(*NOVEMBER_ARGS, "--format", "csv", env=env).stdout))
    )
    assert ["Timeliness rule", "by the appointment on the receipt (the provincial rule)"] in rows
    assert ["Resolved late", "2"] in rows


def test_json_on_a_hand_built_month(month: Runtime, db_url: str, staff) -> None:  # type: ignore[no-untyped-def]
    """Every figure of ``desk report --format json`` for the November of conftest.py,
    computed by hand from the dates there."""
    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}
    data = json.loads(desk_on_december_2(*NOVEMBER_ARGS, "--format", "json", env=env).stdout)
    assert data["timeliness"] == "day"
    assert data["dossiers"] == {
        "received_total": 8,  # d0 carried over from October + seven new
        "carried_over": 1,
        "received_new": 7,
        "received_direct": 6,
        "received_online": 1,
        "received_postal": 0,
        "resolved_early": 1,  # d2 on 3/11, due 5/11
        "resolved_on_time": 3,  # d1 5/11 16:00, d4 on its extended day, d3 on its restarted day
        "resolved_late": 1,  # d0, due 30/10, resolved 3/11
        "processing_within_time": 1,  # the 5-day dossier of 27/11, due in December
        "processing_past_due": 1,  # the online dossier of 16/11, due 19/11
        "awaiting_supplement": 0,  # d3 came back on 9/11
        "supplement_requests": 1,
        "refused": 1,
        "returned": 0,
        "extended": 1,
        "online_share": 0.1429,  # 1 / 7
        "online_payment_share": 0.5,  # 1 of the 2 with a fee
        "digitised_share": 0.1429,
    }
    assert data["queue"] == {
        "tickets": 4,
        "served": 3,
        "no_show": 1,
        "no_show_rate": 0.25,
        "wait_median_min": 22.5,  # waits 10, 20, 25, 30
        "wait_p90_min": 30.0,
        "service_median_min": 10.0,  # services 5, 15, 10
        "service_p90_min": 15.0,
        "ratings": 2,
        "very_satisfied": 1,
        "satisfied": 0,
        "unsatisfied": 1,
        "satisfied_share": 0.5,
    }
    a, b = data["by_service"]
    assert (a["service"], a["name_vi"], a["tickets"], a["served"], a["no_show"]) == (
        "A",
        "Hộ tịch",
        3,
        2,
        1,
    )
    # A: waits 10, 20, 25; services 5, 15 (the median of two is their mean)
    assert (a["wait_median_min"], a["wait_p90_min"]) == (20.0, 25.0)
    assert (a["service_median_min"], a["service_p90_min"]) == (10.0, 15.0)
    assert (b["service"], b["tickets"], b["wait_median_min"], b["service_median_min"]) == (
        "B",
        1,
        30.0,
        10.0,
    )
    assert data["index_766"] == {
        "tien_do_giai_quyet_20": 12.5,  # (1 within + 1 early + 3 on time) / 8 × 20
        "dich_vu_cong_truc_tuyen_12": 2.45,  # 0.1429 / 0.7 × 12
        "thanh_toan_truc_tuyen_10": 5.0,
        "muc_do_hai_long_18": 9.0,
        "so_hoa_ho_so_22": 3.14,  # 0.1429 × 22
        "cong_khai_minh_bach_18": None,
    }
    assert data["stages"] == [  # the center's stages first, then the citizen's
        # 79 + 23 + 23 + 197 (d4, one stage despite its extension) + 1 + 351 + 81 h, / 7
        {"status": "received", "dossiers": 7, "avg_hours": 107.9, "max_hours": 351.0},
        {"status": "processing", "dossiers": 1, "avg_hours": 72.0, "max_hours": 72.0},
        # d2 663 h, d1 608 h, d4 489 h, d3 448 h from resolution to 1/12 00:00
        {"status": "resolved", "dossiers": 4, "avg_hours": 552.0, "max_hours": 663.0},
        {"status": "supplement_requested", "dossiers": 1, "avg_hours": 143.0, "max_hours": 143.0},
    ]
    [proc] = [p for p in data["by_procedure"] if p["code"] == "1.004873"]
    assert (proc["received"], proc["resolved_in_time"], proc["past_due"], proc["refused"]) == (
        6,
        4,
        1,
        1,
    )
    assert data["by_field"][0]["field"] == "Hộ tịch" and data["by_field"][0]["received"] == 7


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_output_into_a_missing_folder_is_one_line(
    month: Runtime,
    db_url: str,
    tmp_path: Path,
    staff: dict[str, Actor],
    fmt: str,
) -> None:
    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}
    target = tmp_path / "no-such-folder" / f"report.{fmt}"
    done = desk_here(*NOVEMBER_ARGS, "--format", fmt, "--output", str(target), env=env)
    assert done.returncode == 1
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        f"--output: thư mục {target.parent} không tồn tại (hãy tạo thư mục trước)"
    ]
    assert not target.parent.exists()


def test_output_chooses_the_format_by_its_suffix(
    month: Runtime, db_url: str, tmp_path: Path, staff: dict[str, Actor]
) -> None:
    """``--output x.xlsx`` without ``--format`` printed the table and wrote nothing;
    ``--format csv --output m.xlsx`` wrote a CSV under a workbook's name."""
    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}
    for name in ("november.xlsx", "november.csv", "november.json"):
        target = tmp_path / name
        done = desk_here(*NOVEMBER_ARGS, "--output", str(target), env=env)
        assert done.returncode == 0, done.stderr
        assert "Tiếp nhận mới" not in done.stdout  # no table on the screen
        assert target.is_file()
    assert load_workbook(tmp_path / "november.xlsx")["Hồ sơ"] is not None
    assert (tmp_path / "november.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert "received_new" in json.loads((tmp_path / "november.json").read_text("utf-8"))["dossiers"]

    def refused(*args: str) -> str:
        done = desk_here(*NOVEMBER_ARGS, *args, env=env)
        assert done.returncode == 2, done.stderr
        assert done.stdout == "" and len(done.stderr.strip().splitlines()) == 1
        return done.stderr.strip()

    wrong = tmp_path / "m.xlsx"
    assert refused("--format", "csv", "--output", str(wrong)) == (
        "desk report: --output: tên tệp m.xlsx không khớp với --format csv (cần tên có đuôi .csv, "
        "hoặc bỏ --format) (try 'desk report --help')"
    )
    assert refused("--output", str(tmp_path / "m.txt")) == (
        "desk report: --output: tên tệp m.txt cần đuôi .csv hoặc .xlsx hoặc .json "
        "(try 'desk report --help')"
    )
    assert refused("--format", "table", "--output", str(tmp_path / "m.csv")).startswith(
        "desk report: --output: --format table chỉ hiện trên màn hình, không ghi vào m.csv;"
    )
    assert not wrong.exists() and not (tmp_path / "m.txt").exists()


def test_export_into_a_missing_folder_is_one_line(
    month: Runtime, db_url: str, tmp_path: Path, staff: dict[str, Actor]
) -> None:
    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}
    target = tmp_path / "missing" / "dossiers.csv"
    done = desk(  # a process of its own: one line, no traceback
        "export", *SUPERVISOR, "--from", "2026-11-01", "--to", "2026-11-30",
        "--output", str(target), env=env,
    )  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "missing" in done.stderr


@pytest.mark.parametrize("fmt", ["table", "csv", "json", "xlsx"])
def test_a_refused_login_shows_and_writes_none_of_the_report(
    month: Runtime,
    db_url: str,
    tmp_path: Path,
    staff: dict[str, Actor],
    fmt: str,
) -> None:
    """The password is checked while the report is built (desk.cli.report): a wrong
    one, or an officer whose role may not see reports, gets the login's message and
    exit 1, and not a line of the report, on screen or in the file."""
    target = tmp_path / f"report.{fmt}"
    output = () if fmt == "table" else ("--output", str(target))
    args = ("--from", "2026-11-01", "--to", "2026-11-30", "--format", fmt, *output)
    wrong = desk_here(
        "report", *SUPERVISOR, *args, env={"DESK_DB": db_url, "DESK_PASSWORD": "giamdoc124"}
    )
    assert (wrong.returncode, wrong.stdout) == (1, "")
    assert wrong.stderr.splitlines() == ["Sai tên đăng nhập hoặc mật khẩu."]
    assert not target.exists()
    officer = desk_here(
        "report", "--as", "canbo", *args, env={"DESK_DB": db_url, "DESK_PASSWORD": "canbo123"}
    )
    assert (officer.returncode, officer.stdout) == (1, "")
    assert "canbo" in officer.stderr and "Traceback" not in officer.stderr
    assert not target.exists()
    right = desk_here("report", *SUPERVISOR, *args, env={"DESK_DB": db_url, **SUPERVISOR_ENV})
    assert right.returncode == 0, right.stderr
    assert target.exists() if output else "Tiếp nhận mới" in right.stdout


def test_export_is_a_file_a_spreadsheet_reads(
    month: Runtime, db_url: str, tmp_path: Path, staff: dict[str, Actor]
) -> None:
    """``desk export`` for Excel: the center's own dossiers, Vietnamese headers,
    statuses and times as the center's papers write them, and text that would begin a
    formula kept as text. A CSV is UTF-8 with a byte order mark (else Vietnamese shows
    as mojibake); a .xlsx is text cells (a CCCD keeps its leading 0)."""
    from desk import clock
    from desk.center.runtime import DEMO_CATALOGUE
    from desk.dossiers.catalogue import import_catalogue
    from tests.dossiers.test_intake import form, save
    from tests.reports.test_centers import other_center

    clock.set_clock(lambda: datetime(2026, 11, 27, 14, 5))
    crafted = '=HYPERLINK("http://x.example","Bấm")'
    [saved] = save(month, form(procedure_code="1.004873", applicant_name=crafted, fee=""))
    other = other_center(month.config, db_url)
    import_catalogue(other.engine, DEMO_CATALOGUE)
    [theirs] = save(other, form(procedure_code="1.004873", fee=""))
    env = {"DESK_DB": db_url, **SUPERVISOR_ENV}

    def export(name: str) -> tuple[Path, subprocess.CompletedProcess[str]]:
        target = tmp_path / name
        done = desk_here(
            "export", *SUPERVISOR, "--from", "2026-11-01", "--to", "2026-11-30",
            "--output", str(target), env=env,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr
        return target, done

    target, done = export("dossiers.csv")
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the byte order mark
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:6] == [
        "Mã hồ sơ", "Mã thủ tục", "Tên thủ tục", "Trạng thái", "Ngày tiếp nhận", "Ngày hẹn trả",
    ]  # fmt: skip
    [row] = [r for r in rows if r[0] == saved.code]
    assert row[3] == "Đã tiếp nhận" and row[4] == "27/11/2026 14:05"  # day first: it sorts
    assert row[6:8] == ["", ""]  # no result yet, not returned
    assert row[8] == "'" + crafted  # text, not a formula
    assert row[9] == "031301012345" and row[10] == "0912 345 678"
    assert theirs.code not in raw.decode("utf-8-sig")  # another center's citizen
    assert len(rows) - 1 == int(done.stdout.split(": ")[1].split()[0])  # "N hồ sơ"
    assert "hồ sơ (lần xuất này đã ghi vào nhật ký kiểm tra)" in done.stdout

    book, _ = export("dossiers.xlsx")
    sheet = load_workbook(book).active
    assert sheet is not None
    cells = {str(r[0].value): r for r in sheet.iter_rows(min_row=2)}
    assert [c.value for c in sheet[1]][:2] == ["Mã hồ sơ", "Mã thủ tục"]
    mine = cells[saved.code]
    assert (mine[8].value, mine[8].data_type) == (crafted, "s")  # text, not a formula
    assert (mine[9].value, mine[9].data_type) == ("031301012345", "s")  # its leading 0
    assert sheet.column_dimensions["E"].width >= len("27/11/2026 14:05")  # no #####
    assert (mine[1].value, mine[1].data_type) == ("1.004873", "s")  # a code, not 1.004873
    assert theirs.code not in cells
    assert mine[4].value == datetime(2026, 11, 27, 14, 5)  # a time the sheet sorts
    assert mine[4].number_format == "dd/mm/yyyy hh:mm"
    backwards = desk_here(
        "export", *SUPERVISOR, "--from", "2026-11-30", "--to", "2026-11-01",
        "--output", str(tmp_path / "none.csv"), env=env,
    )  # fmt: skip
    assert backwards.returncode == 2
    xls = desk_here(
        "export", *SUPERVISOR, "--from", "2026-11-01", "--to", "2026-11-30",
        "--output", str(tmp_path / "old.xls"), env=env,
    )  # fmt: skip
    assert xls.returncode == 2 and not (tmp_path / "old.xls").exists()
    assert "--output: tên tệp old.xls cần đuôi .csv hoặc .xlsx" in xls.stderr
    assert "--to: cần một ngày bằng hoặc sau --from" in backwards.stderr
