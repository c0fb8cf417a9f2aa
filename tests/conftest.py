"""Shared fixtures: an isolated environment, throwaway databases, the sample config."""

from __future__ import annotations

import fcntl
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import asdict
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from db.audit_key import key_path
from db.engine import sqlite_path
from desk import clock, i18n
from desk.center.accounts import Actor
from desk.center.config import Config, load_config
from desk.center.runtime import Runtime, open_runtime

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_CONFIG = ROOT / "config.toml"


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """After the whole run (with pytest-xdist: in the controlling process, once every
    worker is done), no log written by the tests holds personal data
    (tests/test_zz_privacy.py); a leak fails the run."""
    if hasattr(session.config, "workerinput"):
        return  # a worker: the controlling process reads every worker's log
    from tests.test_zz_privacy import leaks

    factory = getattr(session.config, "_tmp_path_factory", None)
    if factory is None:
        return
    found = [
        f"{path}: {leak}"
        for path in sorted(factory.getbasetemp().rglob("desk-session.log"))
        for leak in leaks(path.read_text(encoding="utf-8", errors="replace"))
    ]
    if found:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_sep("=", "personal data in the test run's logs", red=True)
            for line in found:
                reporter.write_line(line, red=True)
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def _parse_once() -> None:
    """Each test's app parses the same TCSS again: Textual keeps what it parsed per
    stylesheet, that is per app, and a run starts several hundred apps, 0.05 s of CPU
    each for the counter's. Here its parser's answer for a piece of CSS, with the same
    variables (the theme's colours), is kept for the worker: the same rules, read-only
    once parsed. CSS that fails to parse raises as before and is not kept."""
    from textual.css.model import RuleSet
    from textual.css.stylesheet import Stylesheet

    parse = Stylesheet._parse_rules
    kept: dict[tuple[object, ...], list[RuleSet]] = {}

    def parse_rules(self: Stylesheet, css: str, **how: Any) -> list[RuleSet]:
        key = (css, tuple(sorted(how.items())), tuple(sorted(self._variables.items())))
        if key not in kept:
            kept[key] = parse(self, css, **how)
        return kept[key]

    Stylesheet._parse_rules = parse_rules  # type: ignore[assignment, method-assign]


def pytest_configure(config: pytest.Config) -> None:
    """desk's own modules compiled once before the workers start: with
    PYTHONDONTWRITEBYTECODE set, each worker and each desk subprocess compiled them
    from source again (Python still reads bytecode written here; a changed source
    file is compiled again, its stale bytecode is never used).

    The test modules pytest rewrites for its assertions are kept too: pytest writes its
    rewritten bytecode only where Python may write bytecode, so with that variable set
    every worker rewrote and compiled every test module again, about 3 of the 6 s
    of CPU each worker spent collecting."""
    sys.dont_write_bytecode = False
    _parse_once()
    if hasattr(config, "workerinput"):
        return  # an xdist worker: the controller has compiled them
    import compileall

    root = Path(__file__).resolve().parent.parent
    for folder in ("desk", "db", "screens", "tests"):
        compileall.compile_dir(root / folder, quiet=2, workers=0)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long multi-process tests (marked ``early``) run first, each on the next
    free worker: pytest-xdist hands out tests one by one (``--maxschedchunk 1`` in
    pyproject.toml), so the run no longer ends with one worker on a long test that
    came last in the collection while the others wait. The rest keep their order."""
    items.sort(key=lambda item: item.get_closest_marker("early") is None)


@pytest.fixture(scope="session", autouse=True)
def _session_log(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Every test (and every desk subprocess it starts) logs into one file, which
    tests/test_zz_privacy.py scans for personal data at the end of the run."""
    from desk.logs import setup_logging

    path = tmp_path_factory.getbasetemp() / "desk-session.log"
    os.environ["DESK_LOG_FILE"] = str(path)
    setup_logging()
    yield path


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No developer config or database leaks in; language and clock reset after."""
    monkeypatch.delenv("DESK_CONFIG", raising=False)
    monkeypatch.delenv("DESK_DB", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg-config"))
    from db import audit

    i18n.set_language("vi")
    audit.set_actor(None)
    audit.set_key(None)
    yield
    i18n.set_language("vi")
    clock.set_clock(None)
    audit.set_actor(None)  # the signed-in officer belongs to the test's own database
    audit.set_key(None)  # and so does the audit key (in the test's own data dir)


class _ArgonOnce:
    """argon2id with the library's own parameters, each answer worked out once per test
    worker: ``hash(password)`` gives the hash first made for that password (a real
    argon2id hash, its salt used again), ``verify(hash, password)`` the outcome of the
    first real verification of that pair (a pure function of the two). Every account a
    test makes, and every sign-in, cost up to 0.2 s of CPU apiece: 682 of them in a run
    of the suite, a sixth of its CPU time. Tests about accounts and passwords
    themselves (marked ``real_argon2``) hash and verify afresh each time."""

    def __init__(self) -> None:
        from argon2 import PasswordHasher

        self._real = PasswordHasher()
        self._hashes: dict[str, str] = {}
        self._verified: dict[tuple[str, str], Exception | None] = {}

    def hash(self, password: str) -> str:
        if password not in self._hashes:
            self._hashes[password] = self._real.hash(password)
        return self._hashes[password]

    def verify(self, stored: str, password: str) -> bool:
        key = (stored, password)
        if key not in self._verified:
            try:
                self._real.verify(stored, password)
            except Exception as exc:  # argon2's VerificationError and the like
                self._verified[key] = exc
            else:
                self._verified[key] = None
        failed = self._verified[key]
        if failed is not None:
            raise type(failed)(*failed.args)
        return True

    def __getattr__(self, name: str) -> object:  # check_needs_rehash and the parameters
        return getattr(self._real, name)


_ARGON_ONCE: list[_ArgonOnce] = []


@pytest.fixture(autouse=True)
def _argon2_once(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Accounts' password hashing through :class:`_ArgonOnce` in this process, except
    in tests marked ``real_argon2``."""
    if request.node.get_closest_marker("real_argon2") is not None:
        return
    from desk.center import accounts

    if not _ARGON_ONCE:
        _ARGON_ONCE.append(_ArgonOnce())
    monkeypatch.setattr(accounts, "_hasher", lambda: _ARGON_ONCE[0])


OPEN_MORNING = datetime(2026, 11, 23, 9, 0)
"""A Monday morning: the center is open (the kiosk issues tickets only then)."""


@pytest.fixture
def open_hours() -> None:
    """The center's clock runs from a working morning, so a kiosk test issues tickets
    whatever the hour it runs at (desk.queue.opening); the autouse fixture above
    restores the system clock after the test."""
    start = time.monotonic()
    clock.set_clock(lambda: OPEN_MORNING + timedelta(seconds=time.monotonic() - start))


@pytest.fixture
def config() -> Config:
    return load_config(SAMPLE_CONFIG)


@pytest.fixture
def db_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'desk.db'}"


@pytest.fixture
def runtime(
    config: Config,
    db_url: str,
    request: pytest.FixtureRequest,
    tmp_path_factory: pytest.TempPathFactory,
) -> Runtime:
    """The runtime on a new database, opened on a copy of one made once per worker by
    the same steps on the same day of the clock (which decides the holiday years
    seeded), with its audit key: a new database costs its migrations and seeding, the
    demo accounts seconds of argon2 hashing. A test that asks for ``staff`` gets the
    database that fixture makes (the demo accounts, each signed in once); a test that
    calls :func:`signed_in` gets the demo accounts made, as its first call would."""
    kind = _kind(request)
    template, key, actors = _template(kind, config, tmp_path_factory)
    _ORIGIN[db_url] = (kind, clock.today())
    target = sqlite_path(db_url)
    assert target is not None
    shutil.copy(template, target)  # with its owner-only mode, as desk made it
    key_file = key_path()
    key_file.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    shutil.copy(key, key_file)
    if kind == "staff":
        _STAFF[db_url] = actors
    return open_runtime(config, db_url)


def _kind(request: pytest.FixtureRequest) -> str:
    """Which template :func:`runtime` copies for the test of ``request``."""
    if "staff" in request.fixturenames:
        return "staff"
    if "signed_in" in request.function.__code__.co_names:
        return "accounts"
    return "new"


_BUILT: dict[tuple[str, date, str], Path] = {}
_ORIGIN: dict[str, tuple[str, date]] = {}  # a runtime's url: the template it was copied from


@contextmanager
def _shared(factory: pytest.TempPathFactory, name: str) -> Iterator[Path]:
    """A folder that every worker of this run shares, held under a lock while in the
    block: what one worker builds there the others copy."""
    base = factory.getbasetemp()
    root = (base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base) / "shared"
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    with open(root / f"{name}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        yield folder


def built(
    runtime: Runtime, request: pytest.FixtureRequest, name: str, build: Callable[[Runtime], object]
) -> Runtime:
    """``runtime`` after ``build(runtime)``: the first test of the run to ask builds it
    and keeps a copy of the database it made; the next ones, in any worker, get a new
    runtime on a copy of that copy (``runtime`` is closed: a fixture using this returns
    the new one, and whatever ``build`` sets outside the database, the clock say, the
    fixture sets again). The copy is keyed by the template :func:`runtime` copied and
    ``name``, so it is the database ``build`` would make: the report tests' hand-built
    month cost 0.3 s of CPU a test."""
    path = sqlite_path(runtime.url)
    assert path is not None
    kind, day = _ORIGIN[runtime.url]
    key = (kind, day, name)
    if key not in _BUILT:
        with _shared(request.getfixturevalue("tmp_path_factory"), f"{kind}-{day}-{name}") as folder:
            copy = folder / "desk.db"
            if not copy.exists():
                build(runtime)
                part = folder / "desk.db.part"
                with closing(sqlite3.connect(path)) as src, closing(sqlite3.connect(part)) as dst:
                    src.backup(dst)  # the committed state, the write-ahead log's pages included
                shutil.copymode(path, part)
                part.replace(copy)
                _BUILT[key] = copy  # only once built: a build that failed is tried again
                return runtime
            _BUILT[key] = copy
    runtime.close()
    for leftover in (Path(f"{path}-wal"), Path(f"{path}-shm")):
        leftover.unlink(missing_ok=True)
    shutil.copy(_BUILT[key], path)
    return open_runtime(runtime.config, runtime.url)


_TEMPLATES: dict[tuple[str, date], tuple[Path, Path, dict[str, Actor]]] = {}
_STAFF: dict[str, dict[str, Actor]] = {}


def _template(
    kind: str, config: Config, factory: pytest.TempPathFactory
) -> tuple[Path, Path, dict[str, Actor]]:
    """A database made by :func:`open_runtime` on the clock's day ("new"), then
    :func:`ensure_demo_accounts` ("accounts"), then each account's login ("staff"):
    the file, its audit key and the logins. The first worker to need one makes it for
    the run (a new database's migrations and seeding, and the accounts' argon2 hashes,
    cost each worker seconds of CPU)."""
    from db import audit
    from desk.center.accounts import ensure_demo_accounts, login

    day = clock.today()
    if (kind, day) not in _TEMPLATES:
        with _shared(factory, f"{kind}-{day}") as folder, pytest.MonkeyPatch.context() as mp:
            db = folder / "desk.db"
            logins = folder / "logins.json"
            mp.setenv("XDG_DATA_HOME", str(folder / "data"))
            mp.delenv("DESK_AUDIT_KEY", raising=False)
            if not logins.exists():
                actors: dict[str, Actor] = {}
                saved = (audit.actor(), audit.key())
                rt = open_runtime(config, f"sqlite:///{db}")
                try:
                    if kind != "new":
                        ensure_demo_accounts(rt.engine)
                    if kind == "staff":
                        actors = {name: login(rt.engine, name, f"{name}123") for name in STAFF}
                finally:
                    rt.close()
                    audit.set_actor(saved[0])
                    audit.set_key(saved[1])
                logins.write_text(json.dumps({n: asdict(a) for n, a in actors.items()}))
            made = {n: Actor(**a) for n, a in json.loads(logins.read_text()).items()}
            _TEMPLATES[kind, day] = (db, key_path(), made)
    return _TEMPLATES[kind, day]


# --- the desk command, in this process ------------------------------------------


def desk_here(
    *args: str,
    env: dict[str, str] | None = None,
    cwd: Path = ROOT,
    now: Callable[[], datetime] | None = None,
) -> subprocess.CompletedProcess[str]:
    """``desk ARGS`` run in this process, as a fresh ``desk`` process would run it,
    for tests about what a command does (its output, its exit code, its writes) rather
    than about the process itself; those start ``python -m desk.cli``
    (tests/center/test_config.py's ``desk``), which costs seconds of imports each.

    Like a new process, the command starts on the system clock (or ``now``), the
    default language, no signed-in officer and no audit key, with ``env`` over this
    environment, in ``cwd``, its output to pipes (80 columns unless ``env`` says
    COLUMNS); like its end, the runtimes it opened are closed (connections, the
    database lock) and the test's own clock, language, officer and key come back.
    An exception ``desk`` does not turn into a message propagates: the test fails
    with the traceback a person would have seen."""
    import desk.center.runtime as runtime_module
    import desk.cli.common
    import desk.cli.roles
    from db import audit
    from desk.cli import main

    real_open = runtime_module.open_runtime
    opened: list[Runtime] = []

    def open_and_keep(*a: object, **kw: object) -> Runtime:
        rt = real_open(*a, **kw)  # type: ignore[arg-type]
        opened.append(rt)
        return rt

    def no_ui(*a: object, **kw: object) -> int:
        raise AssertionError(f"desk {' '.join(args)} starts a UI: run it as a process")

    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", write_through=True)
    saved = (clock._now, i18n.get_language(), audit.actor(), audit.key())
    code: int | str | None = 0
    with pytest.MonkeyPatch.context() as mp:
        for name, size in (("COLUMNS", "80"), ("LINES", "24")):  # a pipe's size
            if name not in os.environ:
                mp.setenv(name, size)
        for name, value in (env or {}).items():
            mp.setenv(name, value)
        mp.chdir(cwd)
        mp.setattr(sys, "stdout", out)
        mp.setattr(sys, "stderr", err)
        mp.setattr(runtime_module, "open_runtime", open_and_keep)
        mp.setattr(desk.cli.roles, "run_ui", no_ui)
        # unlike a command's process, this one goes on: its exit keeps the collector
        mp.setattr(desk.cli.common, "skip_last_collections", lambda rt: None)
        clock.set_clock(now)
        i18n.set_language(i18n.DEFAULT_LANGUAGE)
        audit.set_actor(None)
        audit.set_key(None)
        try:
            main(list(args))
        except SystemExit as exc:
            code = exc.code
        finally:
            for rt in opened:
                rt.close()
            now_fn, language, actor, key = saved
            clock.set_clock(now_fn)
            i18n.set_language(language)
            audit.set_actor(actor)
            audit.set_key(key)
    if isinstance(code, str):  # sys.exit("message"): the message on stderr, status 1
        print(code, file=err)
        code = 1
    return subprocess.CompletedProcess(["desk", *args], code or 0, _text(out), _text(err))


def _text(stream: io.TextIOWrapper) -> str:
    buffer = stream.buffer
    assert isinstance(buffer, io.BytesIO)
    return buffer.getvalue().decode("utf-8").replace("\r\n", "\n")


# --- a throwaway PostgreSQL server ------------------------------------------------


@pytest.fixture(scope="session")
def pg_server() -> Iterator[str]:
    """Base URL (no database) of a PostgreSQL started for this test session.

    Skips when the server binaries are missing, unless DESK_REQUIRE_PG=1 (CI).
    """
    from tests.pg import PgUnavailable, start_server

    try:
        url, stop = start_server()
    except PgUnavailable as exc:
        if os.environ.get("DESK_REQUIRE_PG") == "1":
            pytest.fail(f"DESK_REQUIRE_PG=1 but {exc}")
        pytest.skip(str(exc))
    try:
        yield url
    finally:
        stop()


@pytest.fixture
def pg_url(pg_server: str) -> str:
    """A fresh, empty database on the throwaway server."""
    import psycopg

    name = f"t{int(time.time() * 1000)}_{os.getpid()}"
    with psycopg.connect(pg_server.replace("+psycopg", "") + "/postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return f"{pg_server}/{name}"


# --- accounts -------------------------------------------------------------------------

SUPERVISOR = ("--as", "giamdoc")
SUPERVISOR_ENV = {"DESK_PASSWORD": "giamdoc123"}


STAFF = ("admin", "giamdoc", "canbo")


@pytest.fixture
def staff(runtime: Runtime) -> dict[str, Actor]:
    """The demo accounts, each signed in once: admin (admin), giamdoc (supervisor),
    canbo (officer); :func:`runtime` made them (see there)."""
    return dict(_STAFF.pop(runtime.url))


def signed_in(runtime: Runtime, username: str = "giamdoc") -> Actor:
    """A signed-in account for screen tests that are not about logging in."""
    from desk.center.accounts import ensure_demo_accounts, login

    ensure_demo_accounts(runtime.engine)
    return login(runtime.engine, username, f"{username}123")


def load_demo_catalogue(runtime: Runtime) -> Runtime:
    """The demo's catalogue in ``runtime``'s database, as ``desk demo`` loads it: the
    sample procedures, their spelling aliases and the linked procedures."""
    from desk.center.runtime import DEMO_ALIASES, DEMO_CATALOGUE, DEMO_LINKED
    from desk.dossiers.catalogue import import_aliases, import_catalogue

    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    import_aliases(runtime.engine, DEMO_ALIASES)
    import_catalogue(runtime.engine, DEMO_LINKED)
    return runtime
