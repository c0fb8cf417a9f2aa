"""Phrases break between phrases, never inside one that fits a line; a number keeps
its unit."""

from __future__ import annotations

from rich.text import Text

from screens.phrases import LIST_BREAK, Phrases, pack, split_phrases, wrap_phrase


def plain(phrases: Phrases, width: int) -> list[str]:
    return [line.plain for line in phrases.lines(width)]


def test_split_phrases_keeps_parentheses_whole() -> None:
    assert split_phrases("Ratings: 2 (very 1 · ok 0 · bad 1) · satisfied: 50.0 %") == [
        "Ratings: 2 (very 1 · ok 0 · bad 1)",
        "satisfied: 50.0 %",
    ]
    assert split_phrases("one") == ["one"]


def test_lines_break_between_phrases_only() -> None:
    phrases = Phrases(["served: 3", "no-shows: 25.0 %", "median / p90 wait: 22.5 / 30 min"])
    assert plain(phrases, 80) == ["served: 3 · no-shows: 25.0 % · median / p90 wait: 22.5 / 30 min"]
    assert plain(phrases, 40) == [
        "served: 3 · no-shows: 25.0 %",
        "median / p90 wait: 22.5 / 30 min",
    ]
    assert plain(Phrases([]), 10) == []


def test_a_phrase_wider_than_the_line_keeps_each_number_with_its_unit() -> None:
    lines = [t.plain for t in wrap_phrase(Text("satisfied share: 100.0 %"), 21)]
    assert lines == ["satisfied share:", "100.0 %"]
    lines = [t.plain for t in wrap_phrase(Text("waited 30 min at 8 h"), 9)]
    assert lines == ["waited", "30 min at", "8 h"]
    assert [t.plain for t in wrap_phrase(Text("abcdefghij"), 4)] == ["abcd", "efgh", "ij"]


def test_styles_survive_the_layout() -> None:
    phrase = Text.assemble(("██ red", "red"), ": long wait")
    [line] = Phrases([Text("Colours:"), phrase]).lines(80)
    assert line.plain == "Colours: · ██ red: long wait"
    assert [(line.plain[s.start : s.end], str(s.style)) for s in line.spans] == [("██ red", "red")]


def test_a_list_breaks_after_each_comma() -> None:
    """A priority category: "80+," and "6," end an item though no two letters come
    before the comma (the plain phrases keep "under 6, severely" together)."""
    name = "★ Aged 80+, child under 6, severely disabled"
    assert pack(name, 40) == ["★ Aged 80+, child under 6, severely", "disabled"]
    assert pack(name, 40, LIST_BREAK) == ["★ Aged 80+, child under 6,", "severely disabled"]
    assert pack("Waited 12 min", 40, LIST_BREAK) == ["Waited 12 min"]
