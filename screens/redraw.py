"""Redraw only what changed: the polling screens hand their whole view here at every
poll, and only the widgets (and table cells) whose content differs are updated, so an
unchanged screen costs no layout and a list keeps its rows, scroll and cursor."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, TypeVar

from textual.widgets import Static

if TYPE_CHECKING:  # the board, which has no table, does not keep DataTable's code
    from textual.widgets import DataTable


def set_text(widget: Static, text: str) -> None:
    """Show ``text`` in ``widget`` unless it shows it already."""
    if widget.content != text:
        widget.update(text)


Cell = TypeVar("Cell")


def set_rows(table: DataTable[Cell], rows: Sequence[tuple[str, Sequence[Cell]]]) -> None:
    """Show ``rows`` (a unique key and the cells of each) in ``table``, in order.

    Rows that stay keep their place and get only their changed cells updated; rows
    gone are removed and new rows appended when that gives the order asked for (a
    ticket called, a ticket issued); any other change of order rebuilds the table."""
    old = [str(row.key.value) for row in table.ordered_rows]
    new = [key for key, _cells in rows]
    if old == new and not old:
        return
    old_set, new_set = set(old), set(new)
    kept = [key for key in old if key in new_set]
    if new[: len(kept)] != kept:
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        return
    for key in old:
        if key not in new_set:
            table.remove_row(key)
    columns = list(table.columns)
    for key, cells in rows:
        if key in old_set:
            for column, shown, cell in zip(columns, table.get_row(key), cells, strict=True):
                if shown != cell:
                    table.update_cell(key, column, cell)
        else:
            table.add_row(*cells, key=key)
