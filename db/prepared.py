"""Core statements compiled once and run on the driver's own connection.

Executing a cached Core statement through SQLAlchemy's ``Connection`` costs about
15 µs (parameter processing, events, result metadata); the driver's own execute of
a queue-sized statement takes 2–3 µs. The queue's steps run ten or so statements
while they hold SQLite's write lock, where every microsecond is one the kiosk and
the other counters wait, so they run them as :class:`Prepared` statements:

- the SQL is SQLAlchemy's, compiled once for the engine's dialect (IN lists of
  constants expanded once, constants bound once);
- parameters and results go through the column types' own bind and result
  processors, so dates and times are stored and read exactly as SQLAlchemy does;
- a statement runs only inside a transaction: one SQLAlchemy began on the same
  connection, or a :class:`DriverTransaction` (db.engine.KeptConnection on SQLite
  begins and ends its transactions on the driver too);
- a driver error comes out as SQLAlchemy's wrapped exception (``OperationalError``
  "database is locked", ``IntegrityError`` …), like one from ``Connection.execute``.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable, Hashable, Iterable, Mapping
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Dialect, bindparam, insert
from sqlalchemy.exc import DBAPIError

Processor = Callable[[Any], Any] | None


class DriverTransaction:
    """A transaction begun on the driver's connection ``driver`` (by
    db.engine.KeptConnection), for statements of ``dialect``."""

    def __init__(self, driver: Any, dialect: Dialect) -> None:
        self.driver = driver
        self.dialect = dialect


Conn = Connection | DriverTransaction


class Prepared:
    """``stmt`` compiled for ``dialect``; run with :meth:`all`, :meth:`one_or_none`,
    :meth:`scalar`, :meth:`run` or :meth:`many` on a SQLAlchemy ``Connection`` that is
    inside a transaction, or on a :class:`DriverTransaction`."""

    def __init__(self, stmt: Any, dialect: Dialect) -> None:
        compiled = stmt.compile(dialect=dialect)
        required = {name for name, bind in compiled.binds.items() if bind.required}
        state = compiled.construct_expanded_state(dict.fromkeys(required))
        self.sql: str = state.statement
        self.dialect = dialect

        def processor(name: str) -> Processor:
            if name in state.processors:
                return state.processors[name]  # type: ignore[no-any-return]
            bind = compiled.binds.get(name)
            return None if bind is None else bind.type.dialect_impl(dialect).bind_processor(dialect)

        procs = {name: processor(name) for name in state.parameters}
        self._constants = {
            name: value if procs[name] is None else procs[name](value)  # type: ignore[misc]
            for name, value in state.parameters.items()
            if name not in required
        }
        self._required = [(name, procs[name]) for name in sorted(required)]
        self._order: list[str] | None = (
            list(state.positiontup) if state.positiontup is not None else None
        )
        columns = list(stmt.exported_columns)
        self.returns_rows = bool(columns)
        self._results: list[Processor] = [
            c.type.dialect_impl(dialect).result_processor(dialect, None) for c in columns
        ]
        self._convert = any(p is not None for p in self._results)
        self.Row: Any = namedtuple("Row", [c.key for c in columns], rename=True)  # type: ignore[misc]

    # --- parameters and rows ---------------------------------------------------

    def _params(self, values: Mapping[str, Any] | None) -> Any:
        bound = dict(self._constants)
        for name, proc in self._required:
            try:
                value = values[name]  # type: ignore[index]
            except (KeyError, TypeError):
                raise KeyError(f"{self.sql!r}: a value is required for {name!r}") from None
            bound[name] = value if proc is None else proc(value)
        if self._order is None:
            return bound
        return tuple(bound[name] for name in self._order)

    def _row(self, raw: tuple[Any, ...]) -> Any:
        if self._convert:
            raw = tuple(v if p is None else p(v) for p, v in zip(self._results, raw, strict=True))
        return self.Row._make(raw)

    def _execute(self, conn: Conn, params: Any, many: bool = False) -> list[Any]:
        if isinstance(conn, DriverTransaction):
            raw = conn.driver
        elif conn.in_transaction():
            raw = conn.connection.dbapi_connection
        else:
            raise RuntimeError("a prepared statement runs only inside a begun transaction")
        assert raw is not None
        cursor = raw.cursor()
        try:
            if many:
                cursor.executemany(self.sql, params)
                return []
            cursor.execute(self.sql, params)
            return list(cursor.fetchall()) if self.returns_rows else []
        except self.dialect.loaded_dbapi.Error as exc:
            invalidated = self.dialect.is_disconnect(exc, raw, cursor)
            if invalidated and isinstance(conn, Connection):
                conn.invalidate(exc)
            raise DBAPIError.instance(
                self.sql,
                params,
                exc,
                self.dialect.loaded_dbapi.Error,
                connection_invalidated=invalidated,
                dialect=self.dialect,
            ) from exc
        finally:
            cursor.close()

    # --- running ---------------------------------------------------------------

    def all(self, conn: Conn, values: Mapping[str, Any] | None = None) -> list[Any]:
        """Every row, as named tuples."""
        return [self._row(r) for r in self._execute(conn, self._params(values))]

    def one_or_none(self, conn: Conn, values: Mapping[str, Any] | None = None) -> Any:
        """The first row (a named tuple), or None."""
        rows = self._execute(conn, self._params(values))
        return self._row(rows[0]) if rows else None

    def scalar(self, conn: Conn, values: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        row = self.one_or_none(conn, values)
        return None if row is None else row[0]

    def run(self, conn: Conn, values: Mapping[str, Any] | None = None) -> None:
        """Execute, discarding any rows."""
        self._execute(conn, self._params(values))

    def many(self, conn: Conn, rows: Iterable[Mapping[str, Any]]) -> None:
        """Execute once per parameter set (no rows returned)."""
        self._execute(conn, [self._params(r) for r in rows], many=True)


def insert_of(table: Any, keys: Iterable[str], returning: Iterable[Any] | None = None) -> Any:
    """``INSERT`` into ``table`` binding ``keys``, returning the ``returning`` columns
    (default: all of them; empty: none). An omitted column's scalar default is bound
    as a constant, as SQLAlchemy would bind it at execution."""
    keys = list(keys)
    values: dict[str, Any] = {k: bindparam(k, type_=table.c[k].type) for k in keys}
    for column in table.c:
        if column.name in values or column.default is None:
            continue
        if not column.default.is_scalar:
            raise ValueError(f"{table.name}.{column.name}: only scalar defaults can be prepared")
        values[column.name] = column.default.arg
    stmt = insert(table).values(values)
    columns = list(table.c if returning is None else returning)
    return stmt.returning(*columns) if columns else stmt


_CACHE: WeakKeyDictionary[Dialect, dict[Hashable, Prepared]] = WeakKeyDictionary()


def prepared(dialect: Dialect, key: Hashable, build: Callable[[], Any]) -> Prepared:
    """The statement ``build()`` prepared for ``dialect``, built once per key."""
    cache = _CACHE.setdefault(dialect, {})
    found = cache.get(key)
    if found is None:
        found = cache[key] = Prepared(build(), dialect)
    return found
