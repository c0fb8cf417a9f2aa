"""Translation: both catalogs complete, every key used in code exists."""

from __future__ import annotations

import re
import string
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
