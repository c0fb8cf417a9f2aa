"""The ``desk`` command: the composition root.

It reads the arguments first, then the config, opens the database and starts a role.
Each command group is one module here with a ``register(sub)`` that adds its
subcommands and binds their handler with ``set_defaults(handler=...)``; a handler
imports what it uses inside itself, so ``--version``, ``--help`` and a usage error
import nothing heavy. :mod:`desk.cli.roles` is the only module of ``desk`` that
imports ``screens``, and only inside the commands that start the UI.
Diagnostics go to stderr on one line each; problems a person can fix exit 1,
usage errors exit 2 with a hint.

The language rule: options, ``--help`` and usage errors (exit 2) are English, like
the option names; everything else the command line says to people (messages,
errors, table lines, holiday names) follows ``ui.language`` as the screens do;
what programs read (JSON keys, CSV/JSON formats, exit codes) never changes.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, NoReturn

from desk import __version__
from desk.cli import (
    appointments,
    backup,
    catalogue,
    database,
    notify,
    officers,
    printing,
    report,
    roles,
    upstream,
)
from desk.cli.common import Parser

if TYPE_CHECKING:
    from desk.errors import DeskError

UI_ROLES = ("kiosk", "counter", "board", "admin", "demo", "rate")

GROUPS = (
    roles,
    report,
    database,
    catalogue,
    printing,
    upstream,
    notify,
    officers,
    backup,
    appointments,
)


def build_parser(argv: Sequence[str] = ()) -> argparse.ArgumentParser:
    """The whole command line; for ``argv`` that starts with a command, only what it
    needs: for a role, the roles' parsers alone (its first frame does not wait the
    20 ms or so argparse takes to build some fifty parsers it will not use); for any
    other command, the groups up to the one that has it (building the others costs a
    command on the database a few milliseconds). ``desk --help`` gets every group."""
    command = argv[0] if argv else None
    parser = Parser(prog="desk", description="Front desk of a one-stop public service center.")
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=Parser)
    sub.required = True
    for group in (roles,) if command in UI_ROLES else GROUPS:
        group.register(sub)
        if command is not None and command in sub.choices:
            break
    return parser


def run(argv: Sequence[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv).parse_args(argv)
    from desk.errors import UsageError
    from desk.logs import setup_logging

    setup_logging()
    handler: Callable[[argparse.Namespace], int] = args.handler
    try:
        return handler(args)
    except UsageError as exc:  # said with its command's --help (main)
        exc.prog = args.usage_prog
        raise


def main(argv: Sequence[str] | None = None) -> NoReturn:
    from desk.errors import DeskError, UsageError

    try:
        code = run(argv)
    except UsageError as exc:
        print(f"{exc.prog}: {exc} (try '{exc.prog} --help')", file=sys.stderr)
        code = exc.exit_code
    except DeskError as exc:
        for line in str(exc).splitlines():
            print(line, file=sys.stderr)
        code = exc.exit_code
    except KeyboardInterrupt:
        code = 130
    except Exception as exc:
        problem = _known_problem(exc)
        if problem is None:
            raise
        print(problem, file=sys.stderr)
        code = problem.exit_code
    sys.exit(code)


def _known_problem(exc: Exception) -> DeskError | None:
    """The one line for an error a person can fix that no command turned into a
    message (the database damaged, read-only, …: :func:`desk.center.runtime.known_problem`);
    None for anything else, which stays a traceback. Nothing is imported for an error
    raised before the database layer was."""
    if "db.engine" not in sys.modules:
        return None
    from desk.center.runtime import known_problem

    return known_problem(exc)
