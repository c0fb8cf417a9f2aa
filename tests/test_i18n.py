"""Translation: both catalogs complete, every key used in code exists."""

from __future__ import annotations

import re
import string
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from desk import i18n
from desk.i18n import catalog, t

ROOT = Path(__file__).resolve().parent.parent
KEY_USE = re.compile(r"""\bt\(\s*["']([a-z0-9_.]+)["']""")
BINDING_KEY = re.compile(r"""["'](keys\.[a-z0-9_]+)["']""")


def used_keys() -> set[str]:
    keys: set[str] = set()
    for folder in ("desk", "screens"):
        for path in (ROOT / folder).rglob("*.py"):
            source = path.read_text(encoding="utf-8")
            keys.update(KEY_USE.findall(source))
            keys.update(BINDING_KEY.findall(source))
    return keys


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_catalogs_have_the_same_keys_and_placeholders() -> None:
    vi, en = catalog("vi"), catalog("en")
    assert sorted(set(vi) ^ set(en)) == []
    for key in vi:
        assert fields(vi[key]) == fields(en[key]), key


def test_every_key_used_in_code_is_translated() -> None:
    keys = used_keys()
    assert "launcher.heading" in keys
    missing = sorted(k for k in keys if k not in catalog("vi"))
    assert missing == []


def test_missing_key_is_visible_not_silent() -> None:
    assert t("no.such.key") == "⟦no.such.key⟧"


def test_language_switch() -> None:
    assert t("keys.quit") == "Thoát"
    i18n.set_language("en")
    assert t("keys.quit") == "Quit"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        i18n.set_language("fr")


# Which top-level tables of the locale files a fresh process parses while it looks
# messages up.
PARSED = r"""
import sys, tomllib
parsed = set()
_load, _loads = tomllib.load, tomllib.loads
def load(fh, **kw):
    data = _load(fh, **kw)
    parsed.update(data)
    return data
def loads(text, **kw):
    data = _loads(text, **kw)
    parsed.update(data)
    return data
tomllib.load, tomllib.loads = load, loads
from desk.i18n import t
for key in sys.argv[1:]:
    print(t(key), " ".join(sorted(parsed)), sep="\t")
"""


def test_a_message_parses_only_its_table() -> None:
    """A role's first frame (its welcome, the board's title, the login box, its
    keys) parses the tables it shows, not the whole catalog; a key of another file
    parses its own table; a key found nowhere, the whole catalog, and still shows as
    missing."""
    keys = ["kiosk.welcome", "board.title", "account.title", "keys.help"]
    keys += ["walkthrough.serve.start", "no.such.key"]
    out = subprocess.run(
        [sys.executable, "-c", PARSED, *keys], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    lines = [line.split("\t") for line in out.stdout.splitlines()]
    assert [text for text, _ in lines] == [t(key) for key in keys]
    assert [tables for _, tables in lines[:5]] == [
        "kiosk",
        "board kiosk",
        "account board kiosk",
        "account board keys kiosk",
        "account board keys kiosk walkthrough",
    ]
    every = {
        table
        for path in (ROOT / "desk" / "locale" / "vi").glob("*.toml")
        for table in tomllib.loads(path.read_text(encoding="utf-8"))
    }
    assert lines[5][0] == "⟦no.such.key⟧" and set(lines[5][1].split()) == every


def test_a_file_with_multi_line_strings_is_not_cut_at_header_like_lines(
    tmp_path: Path,
) -> None:
    plain = tmp_path / "plain.toml"
    plain.write_text('[a]\nx = "1"\n[b.c]\ny = "2"\n[a.d]\nz = "3"\n', encoding="utf-8")
    assert {k: tomllib.loads(v) for k, v in i18n._sections(plain).items()} == {
        "a": {"a": {"x": "1", "d": {"z": "3"}}},
        "b": {"b": {"c": {"y": "2"}}},
    }
    multi = tmp_path / "multi.toml"
    multi.write_text('[a]\nx = """\n[b]\n"""\n', encoding="utf-8")
    assert i18n._sections(multi) == {}  # looked up in the whole catalog instead


def test_days_and_moments_are_written_as_the_papers_write_them_in_both_languages() -> None:
    from datetime import date, datetime

    for language in ("vi", "en"):
        i18n.set_language(language)
        try:
            assert i18n.day_text(date(2026, 3, 5)) == "05/03/2026"
            assert i18n.moment_text(datetime(2026, 3, 5, 7, 4)) == "07:04 05/03/2026"
            assert i18n.sheet_moment_text(datetime(2026, 3, 5, 7, 4)) == "05/03/2026 07:04"
        finally:
            i18n.set_language("vi")
    # the one place that writes them: no module spells the format itself
    root = Path(__file__).resolve().parent.parent
    spelled = [
        str(p.relative_to(root))
        for folder in ("desk", "screens", "db")
        for p in (root / folder).rglob("*.py")
        if "%d/%m/%Y" in p.read_text(encoding="utf-8") and p.name != "i18n.py"
    ]
    assert spelled == []
