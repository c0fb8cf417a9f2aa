"""``desk officer add|passwd|disable|list`` and ``desk ticket reassign``."""

from __future__ import annotations

import argparse
import os

from desk.cli.common import Parser, actor, ask_password, auth_parent, load, runtime


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    auth = auth_parent()
    off = sub.add_parser("officer", help="officer accounts (admin role)")
    offsub = off.add_subparsers(dest="officer_command", metavar="ACTION", parser_class=Parser)
    offsub.required = True
    oadd = offsub.add_parser("add", parents=[auth], help="a new account (the first: an admin)")
    oadd.add_argument("username")
    oadd.add_argument("--name", default="", help="full name")
    oadd.add_argument("--role", choices=["officer", "supervisor", "admin"], default="officer")
    opw = offsub.add_parser("passwd", parents=[auth], help="set an account's password")
    opw.add_argument("username")
    odis = offsub.add_parser("disable", parents=[auth], help="disable an account")
    odis.add_argument("username")
    offsub.add_parser("list", parents=[auth], help="list the accounts")
    off.set_defaults(handler=_officer)
    tick = sub.add_parser("ticket", help="today's queue tickets (supervisor role)")
    ticksub = tick.add_subparsers(dest="ticket_command", metavar="ACTION", parser_class=Parser)
    ticksub.required = True
    reas = ticksub.add_parser(
        "reassign", parents=[auth], help="send a waiting ticket to a named counter"
    )
    reas.add_argument("number", help="the ticket number, e.g. A012")
    reas.add_argument("--counter", type=int, required=True, metavar="N")
    reas.set_defaults(handler=_reassign)


def _new_password() -> str:
    from desk.errors import DeskError
    from desk.i18n import t

    variable = "DESK_OFFICER_PASSWORD"
    password = os.environ.get(variable)
    if password is not None:
        return password
    first = ask_password(t("everyday.cli.new_password"), variable)
    if ask_password(t("everyday.cli.again"), variable) != first:
        raise DeskError(t("everyday.cli.passwords_differ"))
    return first


def _officer(args: argparse.Namespace) -> int:
    from desk.center.accounts import (
        add_officer,
        count_officers,
        disable,
        list_officers,
        set_password,
    )
    from desk.i18n import t

    rt = runtime(load())
    if args.officer_command == "add":
        first = count_officers(rt.engine) == 0
        who = None if first else actor(rt, args, "accounts")
        made = add_officer(rt.engine, who, args.username, args.name, args.role, _new_password())
        role = t(f"account.role_{made.role}")
        print(t("everyday.cli.officer_added", user=made.username, role=role))
    elif args.officer_command == "passwd":
        who = actor(rt, args, None)
        set_password(rt.engine, who, args.username, _new_password())
        print(t("everyday.cli.password_changed", user=args.username))
    elif args.officer_command == "disable":
        disable(rt.engine, actor(rt, args, "accounts"), args.username)
        print(t("everyday.cli.officer_disabled", user=args.username))
    else:
        for o in list_officers(rt.engine, actor(rt, args, "accounts")):
            state = t("everyday.cli.active" if o.active else "everyday.cli.disabled")
            role = t(f"account.role_{o.role}")
            print(f"{o.username:<16} {role:<12} {state:<10} {o.full_name}")
    return 0


def _reassign(args: argparse.Namespace) -> int:
    from desk.errors import DeskError
    from desk.i18n import t
    from desk.queue.engine import Queue
    from desk.queue.views import QueueError

    rt = runtime(load())
    who = actor(rt, args, "reassign")
    try:
        view = Queue(rt).reassign(args.number, args.counter, who.id if who else None)
    except QueueError as exc:
        raise DeskError(str(exc)) from None
    print(t("everyday.cli.reassigned", number=view.number, counter=args.counter))
    return 0
