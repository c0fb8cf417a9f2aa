"""``desk demo --generate 100`` makes 100 dossiers, and says so: with fewer dossiers
than open days it made one a day (250) and said 250."""

from __future__ import annotations

from sqlalchemy import text

from db.engine import read_session
from desk.center.runtime import DEMO_CATALOGUE, Runtime
from desk.demo.history import generate
from desk.dossiers.catalogue import import_catalogue
from tests.demo.test_history import TODAY


def test_fewer_dossiers_than_days_are_made_as_asked(runtime: Runtime) -> None:
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    ids = runtime.ids
    counts = generate(
        runtime.engine, runtime.config, ids.center, ids.services, ids.counters, 100, today=TODAY
    )
    with read_session(runtime.engine) as session:
        made, days = (
            session.connection()
            .execute(text("SELECT count(*), count(DISTINCT date(received_at)) FROM dossier"))
            .one()
        )
        tickets = session.connection().execute(text("SELECT count(*) FROM ticket")).scalar()
    assert counts["dossiers"] == made == 100
    assert counts["tickets"] == tickets == 300
    assert days == 100  # spread over the year, one on each of 100 days


def test_a_second_run_makes_other_people_not_a_copy_of_the_first(runtime: Runtime) -> None:
    """A second ``--generate`` adds to the first on the days still free; it must not
    repeat the first run's dossiers (procedure, hour received) in the same order on
    neighbouring days."""
    import_catalogue(runtime.engine, DEMO_CATALOGUE)
    ids = runtime.ids

    def made() -> list[tuple[str, str]]:
        with read_session(runtime.engine) as session:
            rows = session.connection().execute(
                text("SELECT procedure_code, time(received_at) FROM dossier ORDER BY id")
            )
            return [(code, hour) for code, hour in rows]

    generate(
        runtime.engine, runtime.config, ids.center, ids.services, ids.counters, 40, today=TODAY
    )
    first = made()
    generate(
        runtime.engine, runtime.config, ids.center, ids.services, ids.counters, 40, today=TODAY
    )
    second = made()[len(first) :]
    assert len(first) == len(second) == 40
    same = sum(a == b for a, b in zip(first, second, strict=True))
    assert same < 10, (same, first[:5], second[:5])
