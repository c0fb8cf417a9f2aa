"""A database a person can mend (damaged, read-only, of a kind desk does not run on,
unreachable) is named in one line on stderr, exit 1, never a traceback; a restore
over a damaged database is what mends it."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.center.test_config import ROOT
from tests.conftest import desk_here

ADMIN = {"DESK_OFFICER_PASSWORD": "admin123", "DESK_PASSWORD": "admin123"}


def one_line(done: subprocess.CompletedProcess[str]) -> str:
    """The command failed as a person should see it: exit 1, one line on stderr."""
    assert done.returncode == 1, (done.stdout, done.stderr)
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    return lines[0]


def center(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A center's database with its first account, and the environment naming it."""
    db = tmp_path / "center" / "desk.db"
    db.parent.mkdir()
    env = {"DESK_DB": str(db), **ADMIN}
    made = desk_here("officer", "add", "admin", "--role", "admin", env=env)
    assert made.returncode == 0, made.stderr
    return db, env


@contextmanager
def unwritable(path: Path) -> Iterator[None]:
    """``path`` (a file, or a folder: nothing can be made in it) cannot be written by
    this process: by its mode for a user, immutable for root, whom modes do not stop
    (``chattr +i``; skipped where the file system has no such flag)."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("root, and no chattr to make a file read-only")
    if subprocess.run(["chattr", "+i", str(path)], capture_output=True).returncode != 0:
        pytest.skip("root, and this file system cannot make a file immutable")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


DAMAGE = pytest.mark.parametrize(
    ("offset", "said"), [(0, "file is not a database"), (100, "database disk image is malformed")]
)


def damage(db: Path, offset: int) -> bytes:
    """Junk written over the file's bytes from ``offset``; the damaged file's bytes."""
    with db.open("r+b") as file:
        file.seek(offset)
        file.write(b"JUNK" * 64)
    return db.read_bytes()


@DAMAGE
def test_a_damaged_database_is_named_with_what_mends_it(
    tmp_path: Path, offset: int, said: str
) -> None:
    db, env = center(tmp_path)
    damage(db, offset)
    for args in (("audit", "verify"), ("officer", "list", "--as", "admin")):
        assert one_line(desk_here(*args, env=env)) == (
            f"{db}: tệp cơ sở dữ liệu bị hỏng ({said}); khôi phục bản sao lưu mới nhất đè lên "
            "bằng desk restore TỆP (tệp hỏng được giữ lại bên cạnh)"
        ), args


@DAMAGE
def test_a_restore_over_a_damaged_database_keeps_it_aside_and_goes_on(
    tmp_path: Path, offset: int, said: str
) -> None:
    """README's "When the PC dies" sends people to restore over a damaged database:
    the restore's probe for other programs using it crashed on it."""
    db, env = center(tmp_path)
    stick = tmp_path / "usb"
    stick.mkdir()
    assert desk_here("backup", "--to", str(stick), env=env).returncode == 0
    (copy,) = stick.iterdir()
    damaged = damage(db, offset)
    restored = desk_here("restore", str(copy), env=env)
    assert restored.returncode == 0, restored.stderr
    (aside,) = db.parent.glob("desk.db.before-restore-*")
    assert restored.stdout.splitlines()[0] == (
        f"Cơ sở dữ liệu cũ bị hỏng ({said}); tệp hỏng được giữ lại tại: {aside}"
    )
    assert aside.read_bytes() == damaged
    assert "Nhật ký kiểm tra nguyên vẹn" in restored.stdout
    assert desk_here("audit", "verify", env=env).returncode == 0


def test_a_read_only_database_file_is_named_by_the_commands_that_write(tmp_path: Path) -> None:
    """desk backup wrote its copy, then crashed recording it; officer list crashed
    writing the login's audit entry."""
    db, env = center(tmp_path)
    expected = (
        f"{db}: không ghi được vào cơ sở dữ liệu (tệp hoặc thư mục chứa nó chỉ cho đọc); "
        "desk cần quyền ghi cả tệp lẫn thư mục: kiểm tra chủ sở hữu và quyền của chúng"
    )
    with unwritable(db):
        assert one_line(desk_here("backup", "--to", str(tmp_path), env=env)) == expected
        assert one_line(desk_here("officer", "list", "--as", "admin", env=env)) == expected


def test_a_wal_database_in_a_read_only_folder_is_named_by_the_commands_that_read(
    tmp_path: Path,
) -> None:
    """SQLite cannot read a database in WAL mode without making its -shm file beside
    it: sync status, audit verify and report crashed at the first pragma."""
    db, env = center(tmp_path)
    assert not db.with_name("desk.db-shm").exists()  # every desk process has ended
    with unwritable(db.parent):
        for args in (
            ("sync", "status"),
            ("audit", "verify"),
            ("report", "--from", "2026-11-01", "--to", "2026-11-30", "--as", "admin"),
        ):
            assert one_line(desk_here(*args, env=env)) == (
                f"{db}: không đọc được ở đây: cơ sở dữ liệu ở chế độ WAL nên SQLite phải ghi "
                f"tệp {db}-shm bên cạnh, nhưng thư mục chỉ cho đọc; cho phép ghi vào thư mục, "
                "hoặc đọc bản sao do desk backup tạo"
            ), args


@pytest.mark.parametrize(
    "args", [("sync", "status"), ("audit", "verify"), ("officer", "list"), ("backup",)]
)
def test_a_database_url_of_another_kind_is_refused_by_name(args: tuple[str, ...]) -> None:
    done = desk_here(*args, env={"DESK_DB": "mysql://x@y/z"})  # was: no module MySQLdb
    assert one_line(done) == (
        "DESK_DB=mysql://x@y/z: không hỗ trợ cơ sở dữ liệu loại mysql; cần sqlite:///TỆP "
        "(hoặc đường dẫn tệp) hoặc postgresql+psycopg://NGƯỜI_DÙNG@MÁY/TÊN_CSDL"
    )


@pytest.mark.parametrize("args", [("sync", "status"), ("audit", "verify"), ("officer", "list")])
def test_an_unreachable_postgresql_is_named_with_its_password_hidden(
    args: tuple[str, ...],
) -> None:
    url = "postgresql+psycopg://desk:secret@127.0.0.1:1/desk"  # nothing listens on port 1
    line = one_line(desk_here(*args, env={"DESK_DB": url}))
    assert line.startswith(
        "postgresql+psycopg://desk:***@127.0.0.1:1/desk: không mở được cơ sở dữ liệu "
        "(connection failed: "
    ), line
    assert "secret" not in line


def test_no_password_at_the_prompt_is_said(tmp_path: Path) -> None:
    """Ctrl+D at the prompt, or no terminal and nothing on stdin: EOFError's
    traceback. A process of its own, without a terminal."""
    _db, env = center(tmp_path)
    for name in ADMIN:
        env.pop(name)
    environ = {k: v for k, v in os.environ.items() if k not in ADMIN}
    done = subprocess.run(
        [sys.executable, "-m", "desk.cli", "officer", "list", "--as", "admin"],
        cwd=ROOT,
        env={**environ, **env},
        stdin=subprocess.DEVNULL,
        start_new_session=True,  # no controlling terminal: getpass reads stdin
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert done.stderr.splitlines()[-1] == (
        "Chưa nhập mật khẩu (đầu vào đã hết ở lời nhắc): hãy nhập tại cửa sổ dòng lệnh, "
        "hoặc đặt biến DESK_PASSWORD."
    )
