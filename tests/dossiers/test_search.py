"""Catalogue search: by code, old alias code or words, accent-insensitive, forgiving."""

from __future__ import annotations

import unicodedata

import pytest

from desk.center.runtime import DEMO_ALIASES, DEMO_CATALOGUE, Runtime
from desk.dossiers.catalogue import import_aliases, import_catalogue
from desk.dossiers.search import CatalogueIndex
from tests.conftest import built


@pytest.fixture
def index(runtime: Runtime, request: pytest.FixtureRequest) -> CatalogueIndex:
    def build(rt: Runtime) -> None:
        import_catalogue(rt.engine, DEMO_CATALOGUE)
        import_aliases(rt.engine, DEMO_ALIASES)

    return CatalogueIndex.load(built(runtime, request, "catalogue-aliases", build).engine)


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


# --- issue 16: short typos, spelling variants, initials, ranking, bundles --------------


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("khai snh", "1.001193"),  # one letter missing in a short syllable
        ("ket hn", "1.000894"),
        ("dang ki khai sinh", "1.001193"),  # ki = ky
        ("đăng kí khai sinh", "1.001193"),  # kí = ký
        ("dkks", "1.001193"),  # initials
        ("dkkh", "1.000894"),
        ("xac nhan tinh trang hon nhn", "1.004873"),
    ],
)
def test_typos_variants_and_initials_find_the_procedure(
    index: CatalogueIndex, query: str, code: str
) -> None:
    hits = index.search(query)
    assert hits, query
    assert hits[0].code == code


def test_spelling_variants_are_one_word() -> None:
    from desk.dossiers.search import words_of

    assert words_of("kí ký ki ky") == ["ki"] * 4
    assert words_of("lí lý") == words_of("li ly") == ["li", "li"]
    assert words_of("qui quy quý") == ["qui"] * 3
    assert words_of("mĩ mỹ") == ["mi", "mi"]
    assert words_of("thuỷ huy") == ["thuy", "huy"]  # only whole syllables change


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("chung thuc", "2.000815"),  # chứng thực bản sao, the bulk of a ward's intake
        ("khai tu", "1.000656"),  # not "Đăng ký lại khai tử" and never the "Thủ tục" prefix
        ("ho kinh doanh", "1.001612"),  # đăng ký thành lập
    ],
)
def test_a_new_center_ranks_by_the_shipped_prior(
    index: CatalogueIndex, query: str, code: str
) -> None:
    assert index.search(query)[0].code == code


def test_the_centers_own_intake_of_the_last_90_days_decides_the_order(
    runtime: Runtime,
) -> None:
    from datetime import datetime

    from desk import clock
    from tests.dossiers.test_intake import form, save

    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    cessation = "1.001266"  # chấm dứt hoạt động hộ kinh doanh
    moment = datetime(2026, 6, 1, 9, 0)
    clock.set_clock(lambda: moment)
    for _ in range(5):  # too old to count by 10/09/2026
        save(runtime, form(procedure_code="1.001612", fee="0", components=[]))
    moment = datetime(2026, 8, 3, 9, 0)
    for _ in range(6):
        save(runtime, form(procedure_code=cessation, fee="0", components=[], processing_days="3"))
    moment = datetime(2026, 9, 10, 9, 0)
    index = CatalogueIndex.load(runtime.engine)
    assert index.search("ho kinh doanh")[0].code == cessation
    moment = datetime(2026, 11, 10, 9, 0)  # the six are more than 90 days old now
    assert CatalogueIndex.load(runtime.engine).search("ho kinh doanh")[0].code == "1.001612"


@pytest.mark.parametrize(
    ("query", "bundle"),
    [
        ("khai sinh", "birth_u6"),
        ("dang ky khai sinh", "birth_u6"),
        ("khai tu", "death"),
        ("khai sinh thuong tru", "birth_u6"),
        ("khai tu mai tang", "death"),
    ],
)
def test_linked_bundles_come_with_their_main_procedure_or_two_of_their_parts(
    runtime: Runtime, index: CatalogueIndex, query: str, bundle: str
) -> None:
    from desk.dossiers.search import matching_bundles

    bundles = runtime.config.intake.bundles
    found = matching_bundles(index, query, bundles, index.search(query, limit=8))
    assert [b.code for b in found] == [bundle]


def test_no_bundle_for_an_unrelated_search(runtime: Runtime, index: CatalogueIndex) -> None:
    from desk.dossiers.search import matching_bundles

    for query in ("chung thuc", "thuong tru", "ket hon"):
        hits = index.search(query, limit=8)
        assert matching_bundles(index, query, runtime.config.intake.bundles, hits) == []
