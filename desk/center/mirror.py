"""Mirror the configured center, services and counters into the database.

The configuration is the source of truth for names and assignments; rows are
updated in place (never deleted) so tickets and reports keep their references.
A service or counter removed from the config is marked inactive. Every role does
this on start; when the database already mirrors the file (the usual start), one
read says so and nothing is written or locked (no audit entry, no outbox row). A
read-only start only looks the ids up (:func:`lookup_ids`).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, Engine, delete, exists, or_
from sqlmodel import Session, col, select

from db.engine import read_session, write_session
from db.models import (
    Appointment,
    Center,
    Counter,
    CounterService,
    DailySequence,
    Dossier,
    Service,
    Ticket,
)
from desk import clock
from desk.center.config import Config
from desk.errors import DatabaseError
from desk.i18n import t


@dataclass(frozen=True)
class CenterIds:
    center: int
    services: dict[str, int]
    """service prefix → service id"""
    counters: dict[int, int]
    """counter number → counter id"""


def apply_config(engine: Engine, config: Config, *, new_center: bool = False) -> CenterIds:
    """The configured center, services and counters mirrored into the database.

    A SQLite file is one center's: where it holds another center's tickets,
    dossiers or bookings and none of the configured one, its agency code is refused
    (:func:`other_center`) unless ``new_center`` says a second center is meant (a
    database shared on purpose). A corrected agency code made a new empty center
    beside the old, and every report showed nothing (walk, 2 Dec)."""
    if not new_center:
        with read_session(engine) as session:
            refused = other_center(session, config)
        if refused is not None:
            raise refused
    ids = mirrored(engine, config)
    if ids is not None:
        return ids
    from db.audit import ensure_head

    with write_session(engine) as session:
        ensure_head(session)  # before any audited change of this database
        session.flush()
        return _apply(session, config)


def other_center(session: Session, config: Config) -> DatabaseError | None:
    """Why the configured center cannot start on this database: a SQLite file that
    holds another center's records (tickets, dossiers, bookings) and none of this one
    (its agency code changed in the configuration, or the file is another center's;
    an empty center of the configured code, made by a start before this check, is
    no record); None otherwise."""
    bind = session.get_bind()
    if bind.dialect.name != "sqlite":
        return None  # a server database may hold several centers
    c = config.center
    used = select(Center.agency_code).where(_has_records()).order_by(col(Center.id))
    owners = list(session.exec(used))
    if not owners or c.agency_code in owners:
        return None
    return DatabaseError(t("walkthrough.db.other_center", owner=owners[0], agency=c.agency_code))


def _has_records() -> ColumnElement[bool]:
    """A center has tickets, dossiers or bookings."""
    return or_(
        exists().where(col(Ticket.center_id) == col(Center.id)),
        exists().where(col(Dossier.center_id) == col(Center.id)),
        exists().where(col(Appointment.center_id) == col(Center.id)),
    )


def mirrored(engine: Engine, config: Config) -> CenterIds | None:
    """The ids of the configured center, services and counters when the database
    already holds exactly what the config says (so applying it would change nothing),
    else None. Reads only."""
    c = config.center
    with read_session(engine) as session:
        center = session.exec(select(Center).where(Center.agency_code == c.agency_code)).first()
        if center is None or center.id is None:
            return None
        wanted = (c.name, c.name_en, c.agency, c.place, c.address, c.hotline)
        if wanted != (
            center.name,
            center.name_en,
            center.agency,
            center.place,
            center.address,
            center.hotline,
        ):
            return None
        services = {
            s.prefix: s for s in session.exec(select(Service).where(Service.center_id == center.id))
        }
        counters = {
            r.number: r for r in session.exec(select(Counter).where(Counter.center_id == center.id))
        }
        links = session.exec(
            select(CounterService.counter_id, CounterService.service_id)
            .join(Counter, col(Counter.id) == CounterService.counter_id)
            .where(Counter.center_id == center.id)
        ).all()
    want_services = {
        svc.prefix: (svc.key, svc.name_vi, svc.name_en, "\n".join(svc.fields), True)
        for svc in config.services
    }
    have_services = {
        p: (s.kiosk_key, s.name_vi, s.name_en, s.fields, s.active)
        for p, s in services.items()
        if s.active or p in want_services
    }
    want_counters = {ctr.number: (ctr.name, ctr.priority, True) for ctr in config.counters}
    have_counters = {
        n: (r.name, r.priority, r.active)
        for n, r in counters.items()
        if r.active or n in want_counters
    }
    if have_services != want_services or have_counters != want_counters:
        return None
    service_ids = {p: s.id for p, s in services.items() if s.id is not None}
    counter_ids = {n: r.id for n, r in counters.items() if r.id is not None}
    want_links = {
        (counter_ids[ctr.number], service_ids[p]) for ctr in config.counters for p in ctr.services
    }
    active_counters = {counter_ids[n] for n in want_counters}
    have_links = {(ctr, svc) for ctr, svc in links if ctr in active_counters}
    if have_links != want_links:
        return None
    return CenterIds(
        center=center.id,
        services={p: service_ids[p] for p in want_services},
        counters={n: counter_ids[n] for n in want_counters},
    )


def lookup_ids(engine: Engine, config: Config) -> CenterIds:
    """The ids of the configured center, services and counters, read without writing
    (a read-only start); a database that has never been started with this
    configuration is an error."""
    with read_session(engine) as session:
        refused = other_center(session, config)
        if refused is not None:
            raise refused
        c = config.center
        center = session.exec(select(Center).where(Center.agency_code == c.agency_code)).first()
        if center is None or center.id is None:
            raise DatabaseError(t("walkthrough.db.center_missing", agency=c.agency_code))
        services = {
            s.prefix: s.id
            for s in session.exec(select(Service).where(Service.center_id == center.id))
            if s.id is not None
        }
        counters = {
            r.number: r.id
            for r in session.exec(select(Counter).where(Counter.center_id == center.id))
            if r.id is not None
        }
        return CenterIds(center=center.id, services=services, counters=counters)


def _apply(session: Session, config: Config) -> CenterIds:
    stamp = clock.now()
    c = config.center
    center = session.exec(select(Center).where(Center.agency_code == c.agency_code)).first()
    if center is None:
        center = Center(agency_code=c.agency_code, name=c.name, updated_at=stamp)
    center.name, center.name_en, center.agency = c.name, c.name_en, c.agency
    center.place, center.address, center.hotline = c.place, c.address, c.hotline
    if center.id is None or session.is_modified(center):
        center.updated_at = stamp  # only a real change moves the stamp (and is audited)
        session.add(center)
    session.flush()
    assert center.id is not None
    center_id = center.id

    existing = {
        s.prefix: s for s in session.exec(select(Service).where(Service.center_id == center_id))
    }
    service_ids: dict[str, int] = {}
    for svc in config.services:
        row = existing.pop(svc.prefix, None) or Service(
            center_id=center_id, prefix=svc.prefix, kiosk_key=svc.key, name_vi="", name_en=""
        )
        row.kiosk_key, row.name_vi, row.name_en = svc.key, svc.name_vi, svc.name_en
        row.fields, row.active = "\n".join(svc.fields), True
        session.add(row)
        session.flush()
        assert row.id is not None
        service_ids[svc.prefix] = row.id
    for stale in existing.values():
        stale.active = False
        session.add(stale)

    counters = {
        r.number: r for r in session.exec(select(Counter).where(Counter.center_id == center_id))
    }
    counter_ids: dict[int, int] = {}
    for ctr in config.counters:
        crow = counters.pop(ctr.number, None) or Counter(center_id=center_id, number=ctr.number)
        crow.name, crow.priority, crow.active = ctr.name, ctr.priority, True
        session.add(crow)
        session.flush()
        assert crow.id is not None
        counter_ids[ctr.number] = crow.id
        wanted = {service_ids[prefix] for prefix in ctr.services}
        current = set(
            session.exec(
                select(CounterService.service_id).where(CounterService.counter_id == crow.id)
            )
        )
        if current != wanted:
            session.execute(delete(CounterService).where(col(CounterService.counter_id) == crow.id))
            for prefix in ctr.services:
                session.add(CounterService(counter_id=crow.id, service_id=service_ids[prefix]))
    for stale_counter in counters.values():
        stale_counter.active = False
        session.add(stale_counter)
    session.flush()
    return CenterIds(center=center_id, services=service_ids, counters=counter_ids)


def recode_center(engine: Engine, old: str, new: str) -> None:
    """The center ``old`` of this database takes the agency code ``new`` (its code
    changed: a merger, a new code): its tickets, dossiers and reports stay its own;
    dossier codes already given keep their prefix (they are printed on receipts).
    Audited as any change of the center. Refused, as a DatabaseError, where ``new``
    is already a center of this database."""
    with write_session(engine) as session:
        center = session.exec(select(Center).where(Center.agency_code == old)).first()
        if center is None:
            raise DatabaseError(t("walkthrough.db.center_missing", agency=old))
        target = session.exec(select(Center).where(Center.agency_code == new)).first()
        if target is not None:
            has = select(Center.id).where(col(Center.id) == target.id, _has_records())
            if session.exec(has).first() is not None:
                raise DatabaseError(t("walkthrough.db.recode_taken", new=new))
            _remove_empty(session, target)  # made by a start on the new code, before
        center.agency_code = new
        center.updated_at = clock.now()
        session.add(center)
        # the register's numbers go on (its count is kept by agency code; a count
        # started again at 1 met the numbers the center gave this year)
        for count in session.exec(
            select(DailySequence).where(DailySequence.scope == f"register:{old}")
        ).all():
            mine = session.get(DailySequence, (f"register:{new}", count.day))
            if mine is None:
                session.add(DailySequence(scope=f"register:{new}", day=count.day, last=count.last))
            else:
                mine.last = max(mine.last, count.last)
                session.add(mine)


def _remove_empty(session: Session, center: Center) -> None:
    """An empty center (no record of its own), its services and counters removed."""
    counters = session.exec(select(Counter).where(Counter.center_id == center.id)).all()
    for counter in counters:
        for link in session.exec(
            select(CounterService).where(CounterService.counter_id == counter.id)
        ).all():
            session.delete(link)
    session.flush()
    for counter in counters:
        session.delete(counter)
    for service in session.exec(select(Service).where(Service.center_id == center.id)).all():
        session.delete(service)
    session.flush()
    session.delete(center)
    session.flush()  # its code is free before the center takes it
