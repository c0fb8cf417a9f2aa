"""``desk print test`` and ``desk print queue [--retry]``."""

from __future__ import annotations

import argparse

from desk.cli.common import Parser, actor, auth_parent, load, runtime

KINDS = ("receipt", "supplement", "refusal", "apology", "ticket")


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
    from desk.i18n import t
    from desk.printing.preview import preview_dir
    from desk.printing.render import render_test_page
    from desk.printing.transport import PrintFault, send

    config = load()
    data = render_test_page(config.printer)
    target = preview_dir(config) / "test-page.bin"
    try:
        send(config.printer, data, target)
    except PrintFault as exc:
        error = t("everyday.cli.printer_fault", connection=config.printer.connection, error=exc)
        raise DeskError(error) from None
    where = str(target) if config.printer.connection == "preview" else config.printer.connection
    print(t("everyday.cli.test_page_sent", size=len(data), target=where))
    return 0


def _queue(args: argparse.Namespace) -> int:
    from desk.i18n import t
    from desk.printing.jobs import job_status_name, retry_unprinted, unprinted

    config = load()
    rt = runtime(config)
    if args.retry:
        actor(rt, args, "print_queue")
        results = retry_unprinted(rt.engine, config)
        for r in results:
            if r.ok:
                print(t("everyday.cli.job_printed", id=r.job_id))
            else:
                print(t("everyday.cli.job_failed", id=r.job_id, error=r.message))
        return 0 if all(r.ok for r in results) else 1
    jobs = unprinted(rt.engine)
    for job in jobs:
        kind = f"print.kind_{job.kind}"
        print(
            t(
                "everyday.cli.job_line",
                id=job.id,
                kind=t(kind) if job.kind in KINDS else job.kind,
                code=job.code,
                status=job_status_name(job.status),
                attempts=job.attempts,
                created=f"{job.created_at:%Y-%m-%d %H:%M}",
                error=job.last_error,
            ).rstrip()
        )
    print(t("everyday.cli.jobs_total", count=len(jobs)))
    return 0
