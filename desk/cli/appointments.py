"""``desk appointment add|list|release``: bookings made by phone or at the desk."""

from __future__ import annotations

import argparse
from datetime import datetime

from desk.cli.common import Parser, actor, auth_parent, day, load, runtime


def _when(value: str) -> datetime:
    try:
        return datetime.strptime(value, "%Y-%m-%d %H:%M")
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a slot start 'YYYY-MM-DD HH:MM', got {value!r}"
        ) from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    auth = auth_parent()
    appt = sub.add_parser("appointment", help="appointments (bookings of a service slot)")
    asub = appt.add_subparsers(dest="appointment_command", metavar="ACTION", parser_class=Parser)
    asub.required = True
    add = asub.add_parser("add", parents=[auth], help="book a slot (e.g. a phone booking)")
    add.add_argument("service", help="the service prefix, e.g. A")
    add.add_argument("--at", type=_when, required=True, metavar="'YYYY-MM-DD HH:MM'")
    add.add_argument("--name", default="", help="the citizen's name (optional)")
    lst = asub.add_parser("list", parents=[auth], help="a day's bookings")
    lst.add_argument("--day", type=day, default=None, metavar="YYYY-MM-DD")
    asub.add_parser(
        "release", parents=[auth], help="release bookings whose check-in window has closed"
    )
    appt.set_defaults(handler=_appointment)


def _appointment(args: argparse.Namespace) -> int:
    from desk import clock
    from desk.errors import DeskError
    from desk.i18n import t
    from desk.queue.appointments import Appointments, booked_message
    from desk.queue.engine import Queue
    from desk.queue.views import QueueError

    rt = runtime(load())
    actor(rt, args, "counter")
    bookings = Appointments(Queue(rt))
    try:
        if args.appointment_command == "add":
            made = bookings.book(args.service, args.at, args.name)
            print(booked_message(made))
        elif args.appointment_command == "release":
            print(t("booking.released_count", count=bookings.release_expired()))
        else:
            for b in bookings.on_day(args.day or clock.today()):
                status, source = t(f"booking.status_{b.status}"), t(f"booking.source_{b.source}")
                when = f"{b.slot_start:%H:%M}"
                print(f"{when}  {b.code:<12} {b.service}  {status:<14} {source:<10} {b.name}")
    except QueueError as exc:
        raise DeskError(str(exc)) from None
    return 0
