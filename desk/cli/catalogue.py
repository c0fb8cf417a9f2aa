"""``desk catalogue import`` and ``desk holidays list|add|remove``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from desk.cli.common import Parser, actor, auth_parent, day, load, runtime, year

if TYPE_CHECKING:
    from sqlalchemy import Engine


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cat = sub.add_parser("catalogue", help="procedure catalogue")
    catsub = cat.add_subparsers(dest="catalogue_command", metavar="ACTION", parser_class=Parser)
    catsub.required = True
    imp = catsub.add_parser(
        "import", parents=[auth_parent()], help="import procedures from a CSV file"
    )
    imp.add_argument("file", type=Path, metavar="FILE")
    imp.set_defaults(handler=_import)
    hol = sub.add_parser("holidays", help="holidays and make-up working days")
    holsub = hol.add_subparsers(dest="holidays_command", metavar="ACTION", parser_class=Parser)
    holsub.required = True
    hlist = holsub.add_parser("list", help="list the days off and make-up days of a year")
    hlist.add_argument("--year", type=year, default=None, help="default: this year")
    hlist.set_defaults(handler=_holidays)
    hadd = holsub.add_parser(
        "add", parents=[auth_parent()], help="add a day off (or, with --workday, a make-up day)"
    )
    hadd.add_argument("day", type=day, metavar="YYYY-MM-DD")
    hadd.add_argument("--workday", action="store_true", help="a weekend day that is worked")
    hadd.add_argument("--name", default="", help="what the day is, e.g. Nghỉ bù Quốc khánh")
    hadd.set_defaults(handler=_holidays)
    hrem = holsub.add_parser("remove", parents=[auth_parent()], help="remove a day from the table")
    hrem.add_argument("day", type=day, metavar="YYYY-MM-DD")
    hrem.set_defaults(handler=_holidays)


def _import(args: argparse.Namespace) -> int:
    from rich.console import Console
    from rich.progress import Progress

    from desk.dossiers.catalogue import import_catalogue

    file: Path = args.file
    rt = runtime(load())
    actor(rt, args, "catalogue")
    console = Console(stderr=True)
    with Progress(console=console, transient=True, disable=not console.is_terminal) as bar:
        task = bar.add_task(f"{file.name}", total=None)

        def progress(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        result = import_catalogue(rt.engine, file, str(file), progress)
    from desk.dossiers.catalogue import COLUMNS
    from desk.i18n import t

    print(
        t(
            "catalogue_import.counts",
            file=file,
            added=result.added,
            updated=result.updated,
            unchanged=result.unchanged,
        )
        + (t("catalogue_import.aliases", aliases=result.aliases) if result.aliases else "")
    )
    print(t("catalogue_import.columns", columns=", ".join(result.columns)))
    absent = [c for c in COLUMNS if c not in result.columns]
    if absent:
        print(t("catalogue_import.kept", columns=", ".join(absent)))
    return 0


def _holidays(args: argparse.Namespace) -> int:
    from desk import clock
    from desk.dossiers.due_dates import add_holiday, remove_holiday
    from desk.errors import DeskError
    from desk.i18n import t
    from desk.text import clean

    config = load()
    rt = runtime(config, read_only=args.holidays_command == "list")
    if args.holidays_command == "list":
        _list_holidays(rt.engine, args.year or clock.today().year)
        return 0
    actor(rt, args, "holidays")
    when = args.day.isoformat()
    if args.holidays_command == "add":
        kind = "workday" if args.workday else "holiday"
        row, before = add_holiday(rt.engine, args.day, kind, clean(args.name), config.hours)
        said = t(f"everyday.cli.{kind}")
        if before is None:
            print(t("everyday.cli.holiday_added", day=when, kind=said))
        else:

            def entry(kind: str, name: str) -> str:
                return t(
                    "everyday.cli.holiday_entry", name=name or "—", kind=t(f"everyday.cli.{kind}")
                )

            print(
                t(
                    "everyday.cli.holiday_replaced",
                    day=when,
                    kind=said,
                    old=entry(before.kind, before.name),
                    new=entry(row.kind, row.name),
                )
            )
        return 0
    if not remove_holiday(rt.engine, args.day):
        raise DeskError(t("everyday.cli.holiday_missing", day=when))
    print(t("everyday.cli.holiday_removed", day=when))
    return 0


def _list_holidays(engine: Engine, year: int) -> None:
    """Each day with where it comes from; a warning (on stderr) for a year whose
    official decisions desk does not ship yet."""
    from functools import cache

    from desk.dossiers.due_dates import (
        day_name,
        has_official_notice,
        list_holidays,
        official_notice,
        package_names,
    )
    from desk.i18n import t

    weekdays = t("everyday.cli.weekdays").split()
    # the package is imported only for rows seeded before their names were stored
    names = cache(lambda: package_names(year))
    for row in list_holidays(engine, year, seed=False):
        kind = t("holidays.workday") if row.kind == "workday" else t("holidays.day_off")
        if row.source == "official":
            notice = official_notice(row.day)
            source = t("holidays.source_official", notice=notice.source if notice else "")
        elif row.source == "package":
            source = t("holidays.source_package")
        elif row.source == "upstream":
            source = t("holidays.source_upstream")
        else:
            source = t("holidays.source_local")
        name = day_name(row, names)
        day = weekdays[row.day.weekday()]
        print(f"{row.day.isoformat()}  {day:<3}  {kind:<12} {name}  [{source}]")
    if not has_official_notice(year):
        print(t("holidays.no_official_notice", year=year), file=sys.stderr)
