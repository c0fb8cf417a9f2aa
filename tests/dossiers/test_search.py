"""Catalogue search: by code, old alias code or words, accent-insensitive, forgiving."""

from __future__ import annotations

import unicodedata

import pytest

from desk.center.runtime import DEMO_ALIASES, DEMO_CATALOGUE, Runtime
from desk.dossiers.catalogue import import_aliases, import_catalogue
from desk.dossiers.search import CatalogueIndex


@pytest.fixture
def index(runtime: Runtime) -> CatalogueIndex:
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    import_aliases(runtime.engine, DEMO_ALIASES)
    return CatalogueIndex.load(runtime.engine)


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("khai sinh", "1.001193"),
        ("Khai Sinh", "1.001193"),
        (unicodedata.normalize("NFD", "khái sinh"), "1.001193"),  # decomposed accents
        ("đăng ký khai sinh", "1.001193"),
        ("khia sinh", "1.001193"),  # two letters swapped
        ("chung thuc ban sao", "2.000815"),
        ("chứng thực bản sao", "2.000815"),
        ("1.001193", "1.001193"),
        ("1.001640", "1.001193"),  # the old code of khai sinh
        ("1.0011", "1.001193"),  # a code being typed
        ("ket hon", "1.000894"),
        ("tam tru", "1.004194"),
        ("xac nhan tinh trang hon nhan", "1.004873"),
    ],
)
def test_the_right_entry_comes_first(index: CatalogueIndex, query: str, code: str) -> None:
    hits = index.search(query)
    assert hits, query
    assert hits[0].code == code


def test_an_alias_hit_says_which_old_code_matched(index: CatalogueIndex) -> None:
    [hit] = index.search("1.003306")
    assert (hit.code, hit.matched_alias) == ("1.004194", "1.003306")


def test_repealed_entries_come_after_active_ones(index: CatalogueIndex) -> None:
    codes = [h.code for h in index.search("chung thuc van ban")]
    assert "2.001009" in codes
    assert all(
        index.entries[index.by_code[c]].status == "active" for c in codes[: codes.index("2.001009")]
    )


def test_nothing_matches_nonsense_and_blank(index: CatalogueIndex) -> None:
    assert index.search("zzzz qqqq") == []
    assert index.search("   ") == []
