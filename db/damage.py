"""What SQLite says of a damaged file, in a module free of SQLAlchemy: the engine's
error messages (:func:`db.engine.driver_problem`) and the restore's probe of the file
it replaces (:mod:`desk.backup.restore`, which opens it with ``sqlite3`` alone) read
it by the same words."""

from __future__ import annotations

import sqlite3

DAMAGED = ("is not a database", "database disk image is malformed")
"""What SQLite says of a file whose pages are not (all) a database's ("file is not a
database"; older versions said "file is encrypted or is not a database")."""


def damage_said(exc: BaseException) -> str | None:
    """SQLite's words when ``exc`` (the driver's error, or SQLAlchemy's wrapping it)
    says the database file is damaged; None for any other error."""
    orig = getattr(exc, "orig", None) or exc
    if not isinstance(orig, sqlite3.DatabaseError):
        return None
    text = str(orig)
    return text if any(words in text for words in DAMAGED) else None
