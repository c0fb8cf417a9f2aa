"""The ``desk`` command: the composition root.

It reads the config, opens the database and starts a role. It is the only module
of ``desk`` that imports ``screens``, and only inside the commands that start the UI.
Diagnostics go to stderr on one line each; problems a person can fix exit 1,
usage errors exit 2 with a hint.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from desk import __version__
from desk.config import Config, load_config, resolve_config_path
from desk.errors import DeskError
from desk.runtime import Runtime

UI_ROLES = ("kiosk", "counter", "board", "admin", "demo")


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {message} (try '{self.prog} --help')\n")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="desk", description="Front desk of a one-stop public service center.")
    parser.add_argument("--version", action="version", version=f"desk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    sub.required = True
    sub.add_parser("kiosk", help="ticket kiosk (leave with the kiosk PIN)")
    counter = sub.add_parser("counter", help="officer workstation for counter N")
    counter.add_argument("number", type=int, metavar="N", help="counter number from config.toml")
    sub.add_parser("board", help="display board of calls")
    sub.add_parser("admin", help="director's dashboard")
    sub.add_parser("demo", help="demo database and a launcher for every screen")
    dbp = sub.add_parser("db", help="database maintenance")
    dbsub = dbp.add_subparsers(dest="db_command", metavar="ACTION", parser_class=_Parser)
    dbsub.required = True
    dbsub.add_parser("upgrade", help="migrate the database to the newest schema")
    cfg = sub.add_parser("config", help="configuration")
    cfgsub = cfg.add_subparsers(dest="config_command", metavar="ACTION", parser_class=_Parser)
    cfgsub.required = True
    cfgsub.add_parser("check", help="validate the configuration file")
    cat = sub.add_parser("catalogue", help="procedure catalogue")
    catsub = cat.add_subparsers(dest="catalogue_command", metavar="ACTION", parser_class=_Parser)
    catsub.required = True
    imp = catsub.add_parser("import", help="import procedures from a CSV file")
    imp.add_argument("file", type=Path, metavar="FILE")
    return parser


def _config() -> Config:
    path, display = resolve_config_path()
    config = load_config(path, display)
    from desk.i18n import set_language

    set_language(config.ui.language)
    return config


def _runtime(config: Config) -> Runtime:
    from db.engine import default_url
    from desk.runtime import open_runtime

    return open_runtime(config, default_url())


def _run_ui(runtime: Runtime, role: str, counter: int | None = None) -> int:
    os.environ.setdefault("ESCDELAY", "25")
    from screens.app import DeskApp  # the UI is imported only here

    DeskApp(runtime, role=role, counter=counter).run()
    return 0


def _catalogue_import(config: Config, file: Path) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from desk.catalogue import import_catalogue

    runtime = _runtime(config)
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(f"{file.name}", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = import_catalogue(runtime.engine, file, str(file), progress)
    print(
        f"{file}: {result.added} added, {result.updated} updated, {result.unchanged} unchanged"
        + (f", {result.aliases} aliases" if result.aliases else "")
    )
    return 0


def run(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    config = _config()
    if args.command == "config":
        _path, display = resolve_config_path()
        print(f"{display}: OK ({len(config.services)} services, {len(config.counters)} counters)")
        return 0
    if args.command == "db":
        from db.engine import default_url, safe_url

        url = default_url()
        _runtime(config)
        print(f"{safe_url(url)}: schema up to date")
        return 0
    if args.command == "catalogue":
        return _catalogue_import(config, args.file)
    if args.command == "demo":
        from desk.runtime import prepare_demo

        return _run_ui(prepare_demo(config), "launcher")
    if args.command == "counter":
        try:
            config.counter(args.number)
        except KeyError:
            known = ", ".join(str(c.number) for c in config.counters)
            raise DeskError(
                f"counter {args.number} is not in the configuration (known: {known})"
            ) from None
    return _run_ui(_runtime(config), args.command, getattr(args, "number", None))


def main(argv: Sequence[str] | None = None) -> NoReturn:
    try:
        code = run(argv)
    except DeskError as exc:
        for line in str(exc).splitlines():
            print(line, file=sys.stderr)
        code = exc.exit_code
    except KeyboardInterrupt:
        code = 130
    sys.exit(code)


if __name__ == "__main__":
    main()
