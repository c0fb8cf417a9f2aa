"""``desk print test`` and ``desk print queue [--retry]``."""

from __future__ import annotations

import argparse

from desk.cli.common import Parser, actor, auth_parent, load, runtime


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    prn = sub.add_parser("print", help="the printer and the print queue")
    prnsub = prn.add_subparsers(dest="print_command", metavar="ACTION", parser_class=Parser)
    prnsub.required = True
    prnsub.add_parser(
        "test", help="print a page in each Vietnamese mode to pick the right one"
    ).set_defaults(handler=_test)
    pq = prnsub.add_parser("queue", parents=[auth_parent()], help="list the jobs not printed yet")
    pq.add_argument("--retry", action="store_true", help="try to print them again")
    pq.set_defaults(handler=_queue)


def _test(args: argparse.Namespace) -> int:
    from desk.errors import DeskError
    from desk.printing.preview import preview_dir
    from desk.printing.render import render_test_page
    from desk.printing.transport import PrintFault, send

    config = load()
    data = render_test_page(config.printer)
    target = preview_dir(config) / "test-page.bin"
    try:
        send(config.printer, data, target)
    except PrintFault as exc:
        raise DeskError(f"printer ({config.printer.connection}): {exc}") from None
    where = str(target) if config.printer.connection == "preview" else config.printer.connection
    print(f"test page sent ({len(data)} bytes) to {where}")
    return 0


def _queue(args: argparse.Namespace) -> int:
    from desk.printing.jobs import retry_unprinted, unprinted

    config = load()
    rt = runtime(config)
    if args.retry:
        actor(rt, args, "print_queue")
        results = retry_unprinted(rt.engine, config)
        for r in results:
            print(f"job {r.job_id}: " + ("printed" if r.ok else f"failed: {r.message}"))
        return 0 if all(r.ok for r in results) else 1
    jobs = unprinted(rt.engine)
    for job in jobs:
        print(
            f"job {job.id}  {job.kind:<10} {job.code:<28} {job.status:<8} "
            f"attempts {job.attempts}  {job.created_at:%Y-%m-%d %H:%M}  {job.last_error}"
        )
    print(f"{len(jobs)} job(s) not printed")
    return 0
