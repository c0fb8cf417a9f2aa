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
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:
    from desk.center.accounts import Actor
    from desk.center.config import Config
    from desk.center.runtime import Runtime


class Parser(argparse.ArgumentParser):
    """Usage errors exit 2 with a one-line hint."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (try '{self.prog} --help')\n")


def day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {value!r}") from None


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
    """The configuration (DESK_CONFIG, ./config.toml, the project's, the user's)."""
    from desk.center.config import load_config, resolve_config_path
    from desk.i18n import set_language

    path, display = resolve_config_path()
    config = load_config(path, display)
    set_language(config.ui.language)
    return config


def runtime(config: Config, *, long_running: bool = False, read_only: bool = False) -> Runtime:
    """The runtime on the configured database; a long-running role (the UI, the sync
    daemon) checkpoints the SQLite WAL in the background (db.checkpoint) and takes
    the daily backup; a command that only reads opens it ``read_only`` and writes
    nothing. A backup taken before a schema upgrade is named on stderr."""
    from db.engine import default_url
    from desk.center.runtime import open_runtime

    rt = open_runtime(
        config, default_url(), background_checkpoints=long_running, read_only=read_only
    )
    if rt.upgrade_backup is not None:
        from desk.i18n import t

        print(t("backup.before_upgrade", path=rt.upgrade_backup), file=sys.stderr)
    return rt


def actor(rt: Runtime, args: argparse.Namespace, action: str | None) -> Actor | None:
    """Log in the ``--as`` account (password from DESK_PASSWORD, else asked) and check
    that its role allows ``action``; the audit trail names it from here on."""
    from desk.center.accounts import act_as, login, require

    user = getattr(args, "as_user", None)
    who = None
    if user:
        password = os.environ.get("DESK_PASSWORD")
        if password is None:
            import getpass

            password = getpass.getpass(f"password for {user}: ")
        who = login(rt.engine, user, password, record=not rt.read_only)
        act_as(who.id)
    if action is not None:
        require(who, action)
    return who


def emit(text: str, output: Path | None) -> None:
    """Write ``text`` to ``output``, or to stdout when there is none."""
    if output is None:
        sys.stdout.write(text)
    else:
        output.write_text(text, encoding="utf-8")
        print(f"{output}: written")
