"""Frozen views built from rows: the fields a view shares with a row (an ORM object,
a named tuple, a namespace) are copied by name, the others are given."""

from __future__ import annotations

import dataclasses
from typing import Any, TypeVar

V = TypeVar("V")


_NAMES: dict[type, tuple[str, ...]] = {}


def _names(view: type) -> tuple[str, ...]:
    names = _NAMES.get(view)
    if names is None:
        names = _NAMES[view] = tuple(f.name for f in dataclasses.fields(view))
    return names


def view_of(view: type[V], row: Any, **given: Any) -> V:
    """A ``view`` dataclass with every field not ``given`` read from ``row``'s
    attribute of the same name."""
    values = {name: getattr(row, name) for name in _names(view) if name not in given}
    return view(**values, **given)
