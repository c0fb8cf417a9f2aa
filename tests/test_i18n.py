"""Translation: both catalogs complete, every key used in code exists."""

from __future__ import annotations

import re
import string
import subprocess
import sys
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


# Which locale files a fresh process parses while it looks messages up.
PARSED = r"""
import sys, tomllib
parsed = []
_load = tomllib.load
def load(fh, **kw):
    parsed.append(fh.name.rsplit("/", 1)[-1])
    return _load(fh, **kw)
tomllib.load = load
from desk.i18n import t
for key in sys.argv[1:]:
    print(t(key), sorted(set(parsed)), sep="\t")
"""


def test_a_message_parses_only_the_file_of_its_table() -> None:
    """A role's first frame (its welcome, the board's title, the login box) parses
    core.toml alone; a key of another file parses that file; a key found nowhere,
    the whole catalog, and still shows as missing."""
    keys = ["kiosk.welcome", "board.title", "account.title", "keys.help"]
    keys += ["walkthrough.serve.start", "no.such.key"]
    out = subprocess.run(
        [sys.executable, "-c", PARSED, *keys], cwd=ROOT, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    lines = [line.split("\t") for line in out.stdout.splitlines()]
    assert [text for text, _ in lines] == [t(key) for key in keys]
    assert {files for _, files in lines[:4]} == {"['core.toml']"}
    assert lines[4][1] == "['core.toml', 'walkthrough.toml']"
    every = sorted(path.name for path in (ROOT / "desk" / "locale" / "vi").glob("*.toml"))
    assert lines[5] == ["⟦no.such.key⟧", str(every)]
