"""``desk notify [--daemon]``: deliver the queued result-ready notices."""

from __future__ import annotations

import argparse

from desk.cli.common import load, runtime


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    notify = sub.add_parser("notify", help="send the queued result-ready notices to citizens")
    notify.add_argument("--daemon", action="store_true", help="keep sending every interval")
    notify.set_defaults(handler=_notify)


def _notify(args: argparse.Namespace) -> int:
    from desk.errors import DeskError
    from desk.i18n import decimal, t
    from desk.notify.notifier import Notifier

    config = load()
    if config.notify.channel == "off":
        raise DeskError(t("walkthrough.cli.notify_off"))
    rt = runtime(config, long_running=args.daemon)
    notifier = Notifier(rt.engine, config)
    if args.daemon:
        seconds = decimal(config.notify.interval_seconds)
        print(t("walkthrough.cli.notify_daemon", channel=config.notify.channel, seconds=seconds))
        notifier.run_forever(config.notify.interval_seconds)
        return 0
    notifier.recover()
    result = notifier.run_once()
    print(
        t(
            "walkthrough.cli.notify_done",
            sent=result.sent,
            retried=result.retried,
            failed=result.failed,
        )
    )
    return 0 if not result.failed else 1
