"""F8 finds a dossier by part of its code: the last digits printed big on the
receipt, or the code without its agency prefix (issue: an officer typing ``0012``
or ``261123-0012`` found nothing, the second read as a phone number)."""

from __future__ import annotations

from desk.center.runtime import Runtime
from desk.dossiers.lifecycle import find_dossiers
from tests.dossiers.test_intake import AGENCY, at, form, rt, save

__all__ = ["rt"]


def codes(rt: Runtime, query: str) -> list[str]:
    return [d.code for d in find_dossiers(rt.engine, query)]


def test_a_partial_code_finds_the_dossier(rt: Runtime) -> None:
    at(2026, 11, 23, 9, 0)
    first, second = (save(rt, form())[0] for _ in range(2))
    at(2026, 11, 24, 9, 0)
    [next_day] = save(rt, form())
    assert (first.code, second.code) == (f"{AGENCY}-261123-0001", f"{AGENCY}-261123-0002")
    # the code without its prefix, with or without its dash; it is a phone number too
    assert codes(rt, "261123-0002") == [second.code]
    assert codes(rt, "2611230002") == [second.code]
    assert codes(rt, "H31-261123-0001") == [first.code]
    assert codes(rt, "h31-261123-0001") == [first.code]
    # the day's number: each day has its own 0001, the latest first
    assert codes(rt, "0002") == [second.code]
    assert codes(rt, "-0002") == [second.code]
    assert codes(rt, "2") == [second.code]
    assert codes(rt, "0001") == [next_day.code, first.code]
    assert codes(rt, "1") == [next_day.code, first.code]
    # a middle part (the day) still finds every dossier of that day
    assert codes(rt, "261123") == [second.code, first.code]
    assert codes(rt, "0003") == []
    assert codes(rt, "261125-0001") == []
    # the phone and the CCCD still find their dossiers
    assert len(codes(rt, "0912 345 678")) == 3
    assert len(codes(rt, "031301012345")) == 3
