"""Typed text that tries to do more than it says: wildcards, overlong names,
control characters in an officer's name."""

from __future__ import annotations

from sqlmodel import select

from db.engine import read_session
from db.models import Officer
from desk.center.accounts import Actor, add_officer
from desk.center.runtime import Runtime
from desk.dossiers.intake import ComponentInput
from desk.dossiers.lifecycle import find_dossiers
from tests.dossiers.test_intake import at, form, problems_of, rt, save

__all__ = ["rt"]  # the fixture, imported for the tests below


def test_a_search_for_percent_or_underscore_finds_those_characters(rt: Runtime) -> None:
    at(2026, 11, 23, 9, 0)
    save(rt, form())
    save(rt, form(applicant_name="Phạm Văn Dũng"))
    assert len(find_dossiers(rt.engine, "Binh")) == 1
    assert find_dossiers(rt.engine, "%") == []
    assert find_dossiers(rt.engine, "_") == []
    assert find_dossiers(rt.engine, "B_nh") == []
    assert find_dossiers(rt.engine, "1%") == []  # the code search as well


def test_a_component_name_has_a_length_limit(rt: Runtime) -> None:
    long = ComponentInput(name="Giấy tờ " * 50, originals="1")
    assert len(long.name.strip()) > 300
    errors = problems_of(rt, form(components=[long]))
    assert errors == {"component_0": "Quá dài (tối đa 300 ký tự)."}


def test_an_officer_name_is_cleaned_of_control_characters(
    runtime: Runtime, staff: dict[str, Actor]
) -> None:
    made = add_officer(
        runtime.engine,
        staff["admin"],
        "moi",
        "Nguyễn\x1b[2J Văn\x07 Mới\u202e",
        "officer",
        "mk123456",
    )
    assert made.full_name == "Nguyễn[2J Văn Mới"
    with read_session(runtime.engine) as s:
        stored = s.exec(select(Officer.full_name).where(Officer.username == "moi")).one()
    assert stored == "Nguyễn[2J Văn Mới"
