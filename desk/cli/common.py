"""What every command shares: the parser class, dates, the config, the runtime, ``--as``.

Nothing heavy is imported at module level: building the parser and answering
``--version``, ``--help`` or a usage error import only ``argparse``.
"""

from __future__ import annotations

import argparse
import os
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from collections.abc import Callable, Sequence

    from desk.center.accounts import Actor
    from desk.center.config import Config
    from desk.center.runtime import Runtime


class Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with a one-line hint naming the command's own ``--help``:
    a parser leaves its name in the namespace (``usage_prog``), so the arguments its
    command does not know (seen only once every parser has read its part) and a
    handler's :class:`desk.errors.UsageError` point there, not to ``desk --help``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.set_defaults(usage_prog=self.prog)

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (try '{self.prog} --help')\n")

    def parse_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> argparse.Namespace:
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:
            prog = getattr(parsed, "usage_prog", self.prog)
            message = f"unrecognized arguments: {' '.join(extras)}"
            self.exit(2, f"{prog}: {message} (try '{prog} --help')\n")
        return parsed


def day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


def count(value: str) -> int:
    """A whole number, zero or more (``--generate N``)."""
    try:
        number = int(value)
    except ValueError:
        number = -1
    if number < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number 0 or more, got {value!r}")
    return number


def year(value: str) -> int:
    """A calendar year desk can know holidays for (2000–2100)."""
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 2000 <= number <= 2100:
        raise argparse.ArgumentTypeError(f"expected a year from 2000 to 2100, got {value!r}")
    return number


def auth_parent() -> Parser:
    """The ``--as USER`` option of commands that need an officer's role."""
    auth = Parser(add_help=False)
    auth.add_argument(
        "--as",
        dest="as_user",
        metavar="USER",
        help="the officer account doing this (password from DESK_PASSWORD or asked)",
    )
    return auth


def load() -> Config:
    """The configuration (DESK_CONFIG, the user's, ./config.toml, the project's)."""
    from desk.center.config import load_config, resolve_config_path
    from desk.i18n import set_language

    path, display = resolve_config_path()
    config = load_config(path, display)
    set_language(config.ui.language)
    return config


def runtime(
    config: Config,
    *,
    long_running: bool = False,
    read_only: bool = False,
    large_reads: bool = True,
    existing: bool = False,
) -> Runtime:
    """The runtime on the configured database; a long-running role (the UI, the sync
    daemon) checkpoints the SQLite WAL in the background (db.checkpoint) and takes
    the daily backup; a command that only reads opens it ``read_only`` and writes
    nothing; a role that reads no report opens it without ``large_reads``; a command
    about the center's records (``existing``) needs the database to be there, and does
    not make a new empty one (DESK_DB unset or mistyped). A backup taken before a
    schema upgrade is named on stderr."""
    from db.engine import default_url, sqlite_path
    from desk.center.runtime import open_runtime
    from desk.errors import DatabaseError
    from desk.i18n import t

    url = default_url()
    path = sqlite_path(url)
    if os.environ.get("DESK_DB") and path is not None and not path.parent.is_dir():
        # desk's own data folder is made on first use; a folder the user named is not
        raise DatabaseError(t("everyday.cli.db_folder_missing", folder=path.parent))
    if existing and path is not None and not path.is_file():
        raise DatabaseError(t("db_problem.no_file", path=path))
    rt = open_runtime(
        config,
        url,
        background_checkpoints=long_running,
        read_only=read_only,
        large_reads=large_reads,
    )
    if read_only:
        skip_last_collections(rt)
    if rt.upgrade_backup is not None:
        print(t("backup.before_upgrade", path=rt.upgrade_backup), file=sys.stderr)
    return rt


def skip_last_collections(rt: Runtime) -> None:
    """End this process without the garbage collector's passes over every object at
    interpreter exit (on a 2-core PC a tenth of a second or more once SQLAlchemy,
    pydantic and the models are loaded; ``bench/startup.py``).

    At exit ``rt`` is closed first (its connections end cleanly, a PostgreSQL server
    sees no dropped client), then the objects are frozen; files are closed by their
    ``with`` and the log by logging's own exit handler. Memory is the system's to
    take back. For the commands that only read: nothing of theirs waits to be
    flushed by a collection."""
    global _skipping
    import atexit

    if not _skipping:
        import gc

        atexit.register(gc.freeze)
        _skipping = True
    atexit.register(rt.close)  # registered after the freeze, so run before it


_skipping = False


def actor(rt: Runtime, args: argparse.Namespace, action: str | None) -> Actor | None:
    """Log in the ``--as`` account (password from DESK_PASSWORD, else asked) and check
    that its role allows ``action``; the audit trail names it from here on."""
    return begin_actor(rt, args, action)()


def begin_actor(
    rt: Runtime, args: argparse.Namespace, action: str | None
) -> Callable[[], Actor | None]:
    """:func:`actor` in two steps, for a command that only reads: the password is
    asked for and the account read now, the password's check runs in a thread
    (:func:`desk.center.accounts.begin_check`), and the returned function waits for
    it and checks the role. The command shows and writes nothing before it has
    called that function. On a runtime that writes, the login is done here."""
    from desk.center.accounts import (
        PermissionDenied,
        act_as,
        begin_check,
        count_officers,
        login,
        require,
    )
    from desk.errors import DeskError
    from desk.i18n import t

    user = getattr(args, "as_user", None)
    if not user:
        if action is not None:
            try:
                require(None, action)
            except PermissionDenied as exc:  # say which option gives the login
                raise PermissionDenied(t("everyday.cli.login_needed", message=str(exc))) from None
        return lambda: None
    if not count_officers(rt.engine):  # the wrong database (or a new one), not a wrong password
        from db.engine import safe_url

        raise DeskError(t("everyday.cli.no_accounts", database=safe_url(rt.url)))
    password = os.environ.get("DESK_PASSWORD")
    if password is None:
        password = ask_password(t("everyday.cli.password_prompt", user=user), "DESK_PASSWORD")
    if rt.read_only:
        check = begin_check(rt.engine, user, password)
    else:
        who = login(rt.engine, user, password)
        check = lambda: who  # noqa: E731

    def confirmed() -> Actor:
        who = check()
        act_as(who.id)
        if action is not None:
            require(who, action)
        return who

    return confirmed


def ask_password(prompt: str, variable: str) -> str:
    """A password typed at ``prompt``; a DeskError when none was given (Ctrl+D, or no
    terminal and nothing on stdin), naming ``variable``, which gives it instead."""
    import getpass

    from desk.errors import DeskError
    from desk.i18n import t

    try:
        return getpass.getpass(prompt)
    except EOFError:
        print(file=sys.stderr)  # the message on a line of its own, not after the prompt
        raise DeskError(t("everyday.cli.no_password", variable=variable)) from None


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output``, or to stdout when there is none."""
    from desk.i18n import t

    if output is None:
        sys.stdout.write(text)
    else:
        check_output(output)
        output.write_text(text, encoding="utf-8")
        print(t("everyday.cli.written", path=output))


def output_format(output: Path, formats: dict[str, str]) -> str:
    """The format an ``--output`` file's suffix names (``formats``: suffix to format,
    ``.csv`` to ``csv``); a usage error naming the suffixes expected for any other."""
    found = formats.get(output.suffix.lower())
    if found is None:
        from desk.errors import UsageError
        from desk.i18n import t

        expected = t("config_check.or").join(formats)
        raise UsageError(t("everyday.cli.output_suffix", name=output.name, expected=expected))
    return found


def check_output(output: Path) -> None:
    """An ``--output`` into a folder that does not exist is refused with a message."""
    from desk.errors import DeskError
    from desk.i18n import t

    folder = output.parent
    if not folder.is_dir():
        raise DeskError(t("everyday.cli.output_folder_missing", folder=folder))
