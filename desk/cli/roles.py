"""The commands that start a screen: kiosk, counter, board, rate, admin, demo.

The UI (``screens``) is imported only inside :func:`run_ui`, after the arguments
are read: this is the one place ``desk`` imports ``screens``.

A role paints its first frame from the configuration read with :mod:`tomllib` alone
(:mod:`desk.center.first_frame`); validating it with pydantic and opening the
database happen in the app's start-up worker, while that frame is on screen. A file
the first frame cannot read is validated first, so its problems are reported before
any screen opens, as are a counter number the file does not have.
"""

from __future__ import annotations

import argparse
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from desk.cli.common import count, load, runtime

if TYPE_CHECKING:
    from desk.center.first_frame import FirstFrame
    from desk.center.runtime import Runtime


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    sub.add_parser("kiosk", help="ticket kiosk (leave with the kiosk PIN)").set_defaults(
        handler=_role
    )
    counter = sub.add_parser("counter", help="officer workstation for counter N")
    counter.add_argument("number", type=int, metavar="N", help="counter number from config.toml")
    counter.set_defaults(handler=_role)
    board = sub.add_parser("board", help="display board of calls")
    board.add_argument(
        "--serve",
        metavar="HOST:PORT",
        type=_host_port,
        help="serve the board to a TV's or a PC's web browser (e.g. 0.0.0.0:8080)",
    )
    board.set_defaults(handler=_role)
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


def run_ui(
    rt: Runtime | Callable[[], Runtime],
    role: str,
    counter: int | None = None,
    first_frame: FirstFrame | None = None,
) -> int:
    """Run the UI of ``role``; ``rt`` is an open runtime or a function that opens it
    once ``first_frame`` is painted."""
    os.environ.setdefault("ESCDELAY", "25")
    from desk.center.memory import prepare_long_running

    prepare_long_running()  # before the UI starts any thread
    from screens.app import DeskApp  # the UI is imported only here

    DeskApp(rt, role=role, counter=counter, first_frame=first_frame).run_role()
    return 0


def _host_port(value: str) -> tuple[str, int]:
    host, _, port = value.rpartition(":")
    if not host or not port.isdigit() or not 0 < int(port) < 65536:
        raise argparse.ArgumentTypeError(f"expected HOST:PORT (e.g. 0.0.0.0:8080), got {value!r}")
    return host.strip("[]"), int(port)


def _serve_board(host: str, port: int) -> int:
    """The board in web browsers through textual-serve: each browser that opens the
    page gets its own board process (``desk board``, same configuration and database)."""
    import shlex
    import sys
    import tempfile

    from textual_serve.server import Server

    from desk.i18n import t

    command = f"{shlex.quote(sys.executable)} -m desk.cli board"
    print(t("serve.board_served", url=f"http://{host}:{port}"), flush=True)
    with tempfile.TemporaryDirectory(prefix="desk-board-page-") as templates:
        board_page(Path(templates))
        server = Server(
            command, host=host, port=port, title=t("board.title"), templates_path=templates
        )
        server.serve()
    return 0


BOARD_PAGE = Path(__file__).resolve().parents[1] / "data" / "serve" / "app_index.html"


def board_page(folder: Path) -> Path:
    """The served board's page template, written into ``folder`` for textual-serve:
    nothing on it comes from the internet (a center may be offline) and its words
    follow the UI language."""
    import html

    from desk.i18n import get_language, t

    page = BOARD_PAGE.read_text(encoding="utf-8")
    for marker, text in (
        ("lang", get_language()),
        ("start", t("walkthrough.serve.start")),
        ("ended", t("walkthrough.serve.ended")),
        ("restart", t("walkthrough.serve.restart")),
    ):
        page = page.replace(f"@@{marker}@@", html.escape(text))
    target = folder / "app_index.html"
    target.write_text(page, encoding="utf-8")
    return target


def _role(args: argparse.Namespace) -> int:
    if getattr(args, "serve", None):
        runtime(load())  # the database is there and migrated before any browser connects
        return _serve_board(*args.serve)
    import gc

    # No garbage collection until the first frame is painted (screens.app's DeskApp
    # turns it back on then): what is made until then lives as long as the process,
    # and Python's collections scanning it again and again cost the first frame
    # about 4 ms of a counter's 65 ms beyond Textual's own start.
    gc.disable()
    from desk.center.first_frame import first_frame, read_toml, resolve_config_path
    from desk.errors import DeskError
    from desk.i18n import set_language, t

    number: int | None = getattr(args, "number", None)
    path, display = resolve_config_path()
    raw = read_toml(path, display)
    frame = first_frame(raw)
    if frame is None:  # the full validation names what is wrong
        frame = _frame_of_valid(raw, display)
    if number is not None and number not in frame.counters:
        known = ", ".join(str(n) for n in frame.counters)
        raise DeskError(t("everyday.cli.counter_unknown", number=number, known=known))
    set_language(frame.language)

    def open_runtime() -> Runtime:
        from desk.center.config import validate_config

        config = validate_config(raw, display)
        return runtime(config, long_running=True, large_reads=reads_reports(args.command))

    return run_ui(open_runtime, args.command, number, frame)


def reads_reports(role: str) -> bool:
    """Whether ``role`` reads reports (the director's dashboard; the demo's launcher
    opens it too): only those keep a large database page cache all day."""
    return role in ("admin", "demo")


def _frame_of_valid(raw: dict[str, object], display: str) -> FirstFrame:
    """The first frame of a file that must first pass the full validation."""
    from desk.center.config import validate_config
    from desk.center.first_frame import first_frame

    validate_config(raw, display)  # raises ConfigError naming every problem
    frame = first_frame(raw)
    assert frame is not None, "a valid configuration has the first frame's shape"
    return frame


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

    print(generated_message(rt, counts), file=sys.stderr if stderr else sys.stdout)


def generated_message(rt: Runtime, counts: dict[str, int]) -> str:
    """What ``desk demo --generate`` made; when it made nothing because every open
    day of the year behind today already has data, why, and what to do."""
    from desk.demo.history import OPEN_DAYS
    from desk.i18n import t

    if counts["free_days"] == 0:
        from db.engine import sqlite_path

        path = sqlite_path(rt.url)
        return (
            t("tickets.demo.no_free_day", days=OPEN_DAYS)
            + " "
            + (
                t("tickets.demo.start_afresh_file", path=path)
                if path is not None
                else t("tickets.demo.start_afresh_database")
            )
        )
    return t(
        "everyday.cli.generated",
        dossiers=counts["dossiers"],
        tickets=counts["tickets"],
        ratings=counts["ratings"],
    )
