"""The commands that start a screen: kiosk, counter, board, rate, admin, demo.

The UI (``screens``) is imported only inside :func:`run_ui`, after the arguments
are read: this is the one place ``desk`` imports ``screens``.
"""

from __future__ import annotations

import argparse
import os
from typing import TYPE_CHECKING

from desk.cli.common import count, load, runtime

if TYPE_CHECKING:
    from desk.center.runtime import Runtime


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("kiosk", help="ticket kiosk (leave with the kiosk PIN)").set_defaults(
        handler=_role
    )
    counter = sub.add_parser("counter", help="officer workstation for counter N")
    counter.add_argument("number", type=int, metavar="N", help="counter number from config.toml")
    counter.set_defaults(handler=_role)
    sub.add_parser("board", help="display board of calls").set_defaults(handler=_role)
    rate = sub.add_parser("rate", help="rating keypad beside counter N (leave with the kiosk PIN)")
    rate.add_argument("number", type=int, metavar="N", help="counter number from config.toml")
    rate.set_defaults(handler=_role)
    sub.add_parser("admin", help="director's dashboard").set_defaults(handler=_role)
    demo = sub.add_parser("demo", help="demo database and a launcher for every screen")
    demo.add_argument(
        "--generate",
        type=count,
        metavar="N",
        default=0,
        help="first add a synthetic history of N dossiers (with tickets and ratings)",
    )
    demo.add_argument("--no-ui", action="store_true", help="prepare the data and exit")
    demo.add_argument(
        "--env",
        action="store_true",
        help="prepare the data, print the DESK_DB line that points other commands at it, "
        'and exit: eval "$(uv run desk demo --env)"',
    )
    demo.set_defaults(handler=_demo)


def run_ui(rt: Runtime, role: str, counter: int | None = None) -> int:
    os.environ.setdefault("ESCDELAY", "25")
    from screens.app import DeskApp  # the UI is imported only here

    DeskApp(rt, role=role, counter=counter).run()
    return 0


def _role(args: argparse.Namespace) -> int:
    from desk.errors import DeskError
    from desk.i18n import t

    config = load()
    if args.command in ("counter", "rate"):
        try:
            config.counter(args.number)
        except KeyError:
            known = ", ".join(str(c.number) for c in config.counters)
            raise DeskError(
                t("everyday.cli.counter_unknown", number=args.number, known=known)
            ) from None
    return run_ui(runtime(config, long_running=True), args.command, getattr(args, "number", None))


def _demo(args: argparse.Namespace) -> int:
    from desk.center.runtime import prepare_demo

    quiet = args.no_ui or args.env
    rt = prepare_demo(load(), background_checkpoints=not quiet)
    if args.generate:
        _generate(rt, args.generate, stderr=args.env)  # --env: stdout is for eval
    if args.env:
        import shlex

        from desk.center.runtime import demo_url

        print(f"export DESK_DB={shlex.quote(demo_url())}")
        return 0
    if args.no_ui:
        return 0
    return run_ui(rt, "launcher")


def _generate(rt: Runtime, dossiers: int, stderr: bool = False) -> None:
    from rich.console import Console
    from rich.progress import Progress

    from desk.demo.history import generate

    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task("history", total=dossiers)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        counts = generate(
            rt.engine,
            rt.config,
            rt.ids.center,
            rt.ids.services,
            rt.ids.counters,
            dossiers,
            progress=progress,
        )
    import sys

    from desk.i18n import t

    print(
        t(
            "everyday.cli.generated",
            dossiers=counts["dossiers"],
            tickets=counts["tickets"],
            ratings=counts["ratings"],
        ),
        file=sys.stderr if stderr else sys.stdout,
    )
