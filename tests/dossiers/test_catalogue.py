"""Catalogue import: idempotent upsert, all-or-nothing on a malformed row."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlmodel import col, func, select

from db.engine import read_session
from db.models import Procedure, ProcedureAlias, ProcedureComponent
from desk.center.runtime import DEMO_ALIASES, DEMO_CATALOGUE, Runtime
from desk.dossiers.catalogue import import_aliases, import_catalogue
from desk.errors import CatalogueError

ROOT = Path(__file__).resolve().parents[2]
HEADER = "code,name,field,legal_days,day_type,same_day_rule,fee_vnd,fee_note,components,status,confidence\n"


def count(runtime: Runtime) -> int:
    with read_session(runtime.engine) as s:
        return int(s.exec(select(func.count()).select_from(Procedure)).one())


def test_demo_catalogue_is_the_shared_sample() -> None:
    shared = ROOT.parent / "shared" / "data" / "procedures.csv"
    if shared.exists():
        assert DEMO_CATALOGUE.read_bytes() == shared.read_bytes()


def test_import_then_reimport_is_idempotent(runtime: Runtime) -> None:
    first = import_catalogue(runtime.engine, DEMO_CATALOGUE)
    assert (first.added, first.updated, first.unchanged) == (53, 0, 0)
    second = import_catalogue(runtime.engine, DEMO_CATALOGUE)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 53)
    assert count(runtime) == 53
    with read_session(runtime.engine) as s:
        ks = s.exec(select(Procedure).where(Procedure.code == "1.001193")).one()
        assert ks.name == "Thủ tục đăng ký khai sinh"
        assert ks.legal_days == 0 and ks.same_day_rule == "after_15h_next_day"
        assert ks.search_text.startswith("1.001193 thu tuc dang ky khai sinh")
        comps = s.exec(
            select(ProcedureComponent.name)
            .where(ProcedureComponent.procedure_id == ks.id)
            .order_by(col(ProcedureComponent.position))
        ).all()
        assert comps[0] == "Tờ khai ĐKKS (hoặc tờ khai điện tử)" and len(comps) == 5
        repealed = s.exec(select(Procedure).where(Procedure.code == "2.001009")).one()
        assert repealed.status == "repealed"


def test_changed_row_is_updated_and_counted(runtime: Runtime, tmp_path: Path) -> None:
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    text = DEMO_CATALOGUE.read_text(encoding="utf-8").replace(
        "1.004837,Thủ tục đăng ký giám hộ,Hộ tịch,3,", "1.004837,Thủ tục đăng ký giám hộ,Hộ tịch,2,"
    )
    path = tmp_path / "v2.csv"
    path.write_text(text, encoding="utf-8")
    result = import_catalogue(runtime.engine, path)
    assert (result.added, result.updated, result.unchanged) == (0, 1, 52)
    with read_session(runtime.engine) as s:
        row = s.exec(select(Procedure).where(Procedure.code == "1.004837")).one()
        assert row.legal_days == 2 and row.version == 2


def test_malformed_row_names_its_line_and_commits_nothing(runtime: Runtime, tmp_path: Path) -> None:
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    rows = [
        '9.000001,"Thủ tục mới, hợp lệ",Hộ tịch,3,working,,,,,active,S\n',
        '9.000002,"Tên có\nhai dòng",Hộ tịch,3,working,,,,,active,S\n',
        "9.000003,Thủ tục sai,Hộ tịch,ba ngày,working,,,,,active,S\n",
        "bad-code,Thủ tục,Hộ tịch,1,weekly,,,,,active,S\n",
    ]
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + "".join(rows), encoding="utf-8")
    with pytest.raises(CatalogueError) as info:
        import_catalogue(runtime.engine, path, "bad.csv")
    assert info.value.problems == [
        'bad.csv: dòng 5: legal_days: cần số ngày ≥ 0 hoặc để trống, nhưng là "ba ngày"',
        'bad.csv: dòng 6: code: cần mã thủ tục dạng 1.001193, nhưng là "bad-code"',
        'bad.csv: dòng 6: day_type: cần một trong working, calendar, nhưng là "weekly"',
    ]
    assert count(runtime) == 53  # the two good rows were not committed either


def test_duplicate_code_and_missing_column(runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "dup.csv"
    path.write_text(
        HEADER + "1.000001,A,X,1,working,,,,,active,S\n1.000001,B,X,1,working,,,,,active,S\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueError, match=r"dup.csv: dòng 3: code: mã 1.000001 đã có ở dòng 2"):
        import_catalogue(runtime.engine, path, "dup.csv")
    path.write_text("code,title\n1.000001,A\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=r"dòng 1: thiếu cột name, field"):
        import_catalogue(runtime.engine, path, "dup.csv")


def test_a_file_saved_by_excel_with_vietnamese_settings_is_read(
    runtime: Runtime, tmp_path: Path
) -> None:
    """Excel with Vietnamese regional settings (the decimal mark a comma) separates a
    CSV's values with ';': it was refused as missing every column but the first."""
    path = tmp_path / "excel.csv"
    rows = [
        HEADER.replace(",", ";"),
        "1.000001;Đăng ký khai sinh, khai tử;Hộ tịch;1,5;working;;50.000;;Tờ khai|CCCD;active;S\n",
        "1.000002;Chứng thực bản sao;Chứng thực;0;working;after_15h_next_day;;;;active;S\n",
    ]
    path.write_bytes("\r\n".join(r.rstrip("\n") for r in rows).encode("utf-8-sig"))
    result = import_catalogue(runtime.engine, path, "excel.csv")
    assert (result.added, result.updated) == (2, 0)
    with read_session(runtime.engine) as s:
        row = s.exec(select(Procedure).where(Procedure.code == "1.000001")).one()
    assert (row.name, row.field, row.legal_days, row.fee_vnd) == (
        "Đăng ký khai sinh, khai tử",
        "Hộ tịch",
        1.5,
        50000,
    )
    # the checks are those of any file: here a stray ';' and a missing column
    path.write_text(HEADER.replace(",", ";") + "1.000003;A;X;1;working;;;;;active;S;;\n", "utf-8")
    with pytest.raises(CatalogueError) as info:
        import_catalogue(runtime.engine, path, "excel.csv")
    assert info.value.problems == [
        "excel.csv: dòng 2: nhiều giá trị hơn số cột (thừa dấu chấm phẩy?)"
    ]
    path.write_text("code;title\n1.000001;A\n", encoding="utf-8")
    with pytest.raises(
        CatalogueError, match=r"dòng 1: thiếu cột name, field \(các cột có: code, title\)"
    ):
        import_catalogue(runtime.engine, path, "excel.csv")


def test_control_characters_in_the_file_are_dropped(runtime: Runtime, tmp_path: Path) -> None:
    path = tmp_path / "ctl.csv"
    path.write_text(
        HEADER + "1.000001,Khai\x1b@ sinh\x1dV,Hộ tịch,1,working,,,,,active,S\n", encoding="utf-8"
    )
    import_catalogue(runtime.engine, path)
    with read_session(runtime.engine) as s:
        assert s.exec(select(Procedure.name)).one() == "Khai@ sinhV"


def test_aliases_point_old_codes_at_current_entries(runtime: Runtime) -> None:
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    assert import_aliases(runtime.engine, DEMO_ALIASES) == 4
    assert import_aliases(runtime.engine, DEMO_ALIASES) == 0
    with read_session(runtime.engine) as s:
        alias = s.exec(select(ProcedureAlias).where(ProcedureAlias.old_code == "1.001640")).one()
        target = s.get(Procedure, alias.procedure_id)
        assert target is not None and target.code == "1.001193"


def test_cli_import_prints_counts_and_fails_cleanly(tmp_path: Path) -> None:
    from desk.center.accounts import ensure_demo_accounts
    from desk.center.config import load_config
    from desk.center.runtime import open_runtime
    from tests.conftest import SUPERVISOR, SUPERVISOR_ENV, desk_here

    url = f"sqlite:///{tmp_path / 'c.db'}"
    ensure_demo_accounts(open_runtime(load_config(ROOT / "config.toml"), url).engine)
    env = {**os.environ, "DESK_DB": url, **SUPERVISOR_ENV}
    args = ["catalogue", "import", *SUPERVISOR, str(DEMO_CATALOGUE)]
    first = desk_here(*args, env=env)
    assert first.returncode == 0, first.stderr
    assert first.stdout.splitlines()[0] == (
        f"{DEMO_CATALOGUE}: thêm 53, cập nhật 0, giữ nguyên 0 thủ tục"  # one language
    )
    again = desk_here(*args, env=env)
    assert again.stdout.splitlines()[0] == (
        f"{DEMO_CATALOGUE}: thêm 0, cập nhật 0, giữ nguyên 53 thủ tục"
    )
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "1.000001,,Hộ tịch,1,working,,,,,active,S\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "desk.cli", *args[:-1], str(bad)]  # a process of its own
    failed = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert failed.returncode == 1
    assert failed.stderr.strip() == f"{bad}: dòng 2: name: không được để trống"


def test_reimporting_without_the_optional_columns_keeps_their_values(
    runtime: Runtime, tmp_path: Path
) -> None:
    full = tmp_path / "full.csv"
    full.write_text(
        HEADER + "1.000001,Khai sinh,Hộ tịch,3,calendar,,50.000,lệ phí,Tờ khai|CCCD,active,S\n"
        "1.000002,Kết hôn,Hộ tịch,5,working,,20000,,Tờ khai,active,S\n",
        encoding="utf-8",
    )
    import_catalogue(runtime.engine, full)
    names_only = tmp_path / "names.csv"  # a list kept by hand: code, name, field
    names_only.write_text(
        "code,name,field\n1.000001,Đăng ký khai sinh,Hộ tịch\n1.000002,Kết hôn,Hộ tịch\n",
        encoding="utf-8",
    )
    result = import_catalogue(runtime.engine, names_only)
    assert (result.updated, result.unchanged) == (1, 1)
    assert result.columns == ("code", "name", "field")
    with read_session(runtime.engine) as s:
        rows = {p.code: p for p in s.exec(select(Procedure))}
        comps = s.exec(
            select(ProcedureComponent.name)
            .where(ProcedureComponent.procedure_id == rows["1.000001"].id)
            .order_by(col(ProcedureComponent.position))
        ).all()
    birth = rows["1.000001"]
    assert birth.name == "Đăng ký khai sinh"
    assert (birth.day_type, birth.legal_days, birth.fee_vnd, birth.fee_note) == (
        "calendar",
        3,
        50000,
        "lệ phí",
    )
    assert comps == ["Tờ khai", "CCCD"]
    # a column that is there with an empty cell does clear the value
    cleared = tmp_path / "cleared.csv"
    cleared.write_text("code,name,field,fee_vnd\n1.000001,Đăng ký khai sinh,Hộ tịch,\n")
    assert import_catalogue(runtime.engine, cleared).updated == 1
    with read_session(runtime.engine) as s:
        birth = s.exec(select(Procedure).where(Procedure.code == "1.000001")).one()
    assert (birth.fee_vnd, birth.legal_days, birth.day_type) == (None, 3, "calendar")


def test_cli_summary_names_the_imported_columns(tmp_path: Path) -> None:
    from desk.center.accounts import ensure_demo_accounts
    from desk.center.config import load_config
    from desk.center.runtime import open_runtime
    from tests.conftest import SUPERVISOR, SUPERVISOR_ENV, desk_here

    url = f"sqlite:///{tmp_path / 'c.db'}"
    ensure_demo_accounts(open_runtime(load_config(ROOT / "config.toml"), url).engine)
    names = tmp_path / "names.csv"
    names.write_text("code,name,field,fee_vnd\n1.000001,Khai sinh,Hộ tịch,\n", encoding="utf-8")
    env = {**os.environ, "DESK_DB": url, **SUPERVISOR_ENV}
    done = desk_here("catalogue", "import", *SUPERVISOR, str(names), env=env)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[1:] == [
        "các cột đã nhập: code, name, field, fee_vnd",
        "các cột không có trong tệp (giữ nguyên giá trị đã lưu): legal_days, local_days, "
        "day_type, same_day_rule, fee_note, components, status, confidence, legal_basis, aliases",
    ]
    # a header crafted to retitle and clear the officer's terminal is quoted escaped
    crafted = tmp_path / "crafted.csv"
    crafted.write_text("code,\x1b]0;pwned\x07\x1b[2J\n1.000001,x\n", encoding="utf-8")
    failed = desk_here("catalogue", "import", *SUPERVISOR, str(crafted), env=env)
    assert failed.returncode == 1
    assert "\x1b" not in failed.stderr and "\x07" not in failed.stderr
    assert failed.stderr.strip().endswith(
        "thiếu cột name, field (các cột có: code, \\x1b]0;pwned\\x07\\x1b[2J)"
    )


@pytest.mark.early
def test_large_import_reports_progress(runtime: Runtime, tmp_path: Path) -> None:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["code", "name", "field", "legal_days"])
    for i in range(2500):
        writer.writerow([f"1.{i:06d}", f"Thủ tục thử {i}", "Hộ tịch", i % 7])
    path = tmp_path / "big.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    seen: list[tuple[int, int]] = []
    result = import_catalogue(runtime.engine, path, progress=lambda d, t: seen.append((d, t)))
    assert result.added == 2500 and seen[-1] == (2500, 2500) and len(seen) == 2500
