"""Core statements built once, run either through SQLAlchemy or on the driver.

A :class:`Prepared` statement runs on whatever connection its caller holds:

- on a SQLAlchemy ``Connection`` (a session's, a pooled one, the ORM adapter of
  :mod:`db.changes`, every PostgreSQL transaction, and the queue when its driver
  layer is off) it is plain SQLAlchemy Core: ``conn.execute(stmt, params)`` with the
  compiled cache, typed rows, events and echo;
- on a :class:`DriverTransaction` — the queue's kept SQLite connections
  (:class:`db.engine.KeptConnection`), which begin and end their transactions on
  the driver — it runs SQLAlchemy's SQL, compiled once for the dialect, with the
  driver's own ``execute``.

Why the driver layer exists: the queue's steps run ten or so statements while they
hold SQLite's write lock, where every microsecond is one the kiosk and the other
counters wait. ``bench/queue_bench.py`` runs the same workload through both in one
run; the README ("The driver layer") has the figures and the decision. What the
layer keeps of SQLAlchemy:

- the SQL is SQLAlchemy's, compiled once (IN lists of constants expanded once,
  constants bound once);
- parameters and results go through the column types' own bind and result
  processors, so dates and times are stored and read exactly as SQLAlchemy does;
- the engine's ``before_cursor_execute`` / ``after_cursor_execute`` events are
  dispatched around every statement, and ``echo`` logs it, as SQLAlchemy does;
- a driver error comes out as SQLAlchemy's wrapped exception (``OperationalError``
  "database is locked", ``IntegrityError`` …), like one from ``Connection.execute``.

A statement runs only inside a begun transaction.
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
    """A transaction begun on the driver's connection under ``connection`` (by
    db.engine.KeptConnection); the SQLAlchemy connection is kept for its engine's
    events and echo."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.driver: Any = connection.connection.dbapi_connection
        self.dialect: Dialect = connection.dialect


Conn = Connection | DriverTransaction


class Prepared:
    """``stmt`` compiled for ``dialect``; run with :meth:`all`, :meth:`one_or_none`,
    :meth:`scalar`, :meth:`run` or :meth:`many` on a SQLAlchemy ``Connection`` that is
    inside a transaction, or on a :class:`DriverTransaction`."""

    def __init__(self, stmt: Any, dialect: Dialect) -> None:
        self.stmt = stmt
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
        if not isinstance(conn, DriverTransaction):
            raise TypeError("a driver statement runs inside a DriverTransaction")
        raw, sa = conn.driver, conn.connection
        cursor = raw.cursor()
        sql = self.sql
        try:
            if sa._has_events or sa.engine._has_events:
                for fn in sa.dispatch.before_cursor_execute:
                    sql, params = fn(sa, cursor, sql, params, None, many)
            if sa.engine.echo:
                sa.engine.logger.info("%s\n[driver] %r", sql, params)
            if many:
                cursor.executemany(sql, params)
                rows: list[Any] = []
            else:
                cursor.execute(sql, params)
                rows = list(cursor.fetchall()) if self.returns_rows else []
            if sa._has_events or sa.engine._has_events:
                sa.dispatch.after_cursor_execute(sa, cursor, sql, params, None, many)
            return rows
        except self.dialect.loaded_dbapi.Error as exc:
            raise DBAPIError.instance(
                sql,
                params,
                exc,
                self.dialect.loaded_dbapi.Error,
                connection_invalidated=self.dialect.is_disconnect(exc, raw, cursor),
                dialect=self.dialect,
            ) from exc
        finally:
            cursor.close()

    def _core(self, conn: Connection, values: Mapping[str, Any] | None) -> Any:
        """Plain SQLAlchemy Core: the statement with the values it binds."""
        if not conn.in_transaction():
            raise RuntimeError("a prepared statement runs only inside a begun transaction")
        params = {name: (values or {}).get(name) for name, _ in self._required}
        missing = [name for name, _ in self._required if name not in (values or {})]
        if missing:
            raise KeyError(f"{self.sql!r}: a value is required for {missing[0]!r}")
        return conn.execute(self.stmt, params)

    # --- running ---------------------------------------------------------------

    def all(self, conn: Conn, values: Mapping[str, Any] | None = None) -> list[Any]:
        """Every row (named fields, by attribute or ``_asdict()``)."""
        if isinstance(conn, Connection):
            return list(self._core(conn, values).all())
        return [self._row(r) for r in self._execute(conn, self._params(values))]

    def one_or_none(self, conn: Conn, values: Mapping[str, Any] | None = None) -> Any:
        """The first row, or None."""
        if isinstance(conn, Connection):
            return self._core(conn, values).first()
        rows = self._execute(conn, self._params(values))
        return self._row(rows[0]) if rows else None

    def scalar(self, conn: Conn, values: Mapping[str, Any] | None = None) -> Any:
        """The first column of the first row, or None."""
        row = self.one_or_none(conn, values)
        return None if row is None else row[0]

    def run(self, conn: Conn, values: Mapping[str, Any] | None = None) -> None:
        """Execute, discarding any rows."""
        if isinstance(conn, Connection):
            self._core(conn, values)
            return
        self._execute(conn, self._params(values))

    def many(self, conn: Conn, rows: Iterable[Mapping[str, Any]]) -> None:
        """Execute once per parameter set (no rows returned)."""
        if isinstance(conn, Connection):
            names = [name for name, _ in self._required]
            conn.execute(self.stmt, [{name: r[name] for name in names} for r in rows])
            return
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
