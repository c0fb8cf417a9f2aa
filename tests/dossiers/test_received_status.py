"""Each rule once: a dossier's first status row is written by ``record_status``, the
writer of every status change (``add_received`` wrote it beside it), and the
processing time reads the same on screen and on paper (``forms.days_text``)."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select

from db.engine import read_session, write_session
from db.models import Dossier
from desk import i18n
from desk.center.runtime import Runtime
from desk.dossiers.forms import days_text
from desk.dossiers.lifecycle import Lifecycle, history
from desk.dossiers.received import record_status
from tests.dossiers.test_intake import at, form, rt, save

__all__ = ["rt"]


def test_a_received_dossier_has_one_first_status_row(rt: Runtime) -> None:
    at(2026, 11, 23, 9, 0)
    [saved] = save(rt, form())
    [first] = history(rt.engine, saved.code)
    assert (first.from_status, first.to_status, first.source) == (None, "received", "local")
    assert first.at == datetime(2026, 11, 23, 9, 0) and first.due_at == saved.due_at
    with read_session(rt.engine) as s:
        d = s.execute(select(Dossier).where(col(Dossier.code) == saved.code)).scalar_one()
        assert (d.status, d.version, d.updated_at) == ("received", 1, first.at)
    at(2026, 11, 23, 10, 0)
    Lifecycle(rt.engine, rt.config).start(saved.code, None)
    rows = history(rt.engine, saved.code)
    assert [(r.from_status, r.to_status) for r in rows] == [
        (None, "received"),
        ("received", "processing"),
    ]


def test_record_status_writes_a_new_dossier_and_its_first_row(rt: Runtime) -> None:
    """What add_received relies on: a dossier not yet written is written, then named
    by its first row (on the old code record_status refused a dossier with no id)."""
    at(2026, 11, 23, 9, 0)
    when = datetime(2026, 11, 23, 9, 0)
    save(rt, form())  # a dossier to copy the procedure and the center from
    code = "000.31.27.H31-261123-0099"
    with write_session(rt.engine) as s:
        template = s.execute(select(Dossier)).scalar_one()
        fields = template.model_dump(
            exclude={"id", "code", "register_no", "status", "version", "updated_at"}
        )
        d = Dossier(**fields, code=code, register_no=99)
        record_status(s, d, "received", when, source="online")
        assert d.id is not None
    rows = history(rt.engine, code)
    assert [(r.from_status, r.to_status, r.source) for r in rows] == [(None, "received", "online")]
    with read_session(rt.engine) as s:
        d = s.execute(select(Dossier).where(col(Dossier.code) == code)).scalar_one()
        assert (d.status, d.version, d.updated_at) == ("received", 1, when)


def test_the_processing_time_reads_the_same_on_screen_and_on_paper() -> None:
    assert days_text(1.5, "working") == "1,5 ngày làm việc"
    i18n.set_language("en")
    try:
        assert days_text(1.5, "working") == "1.5 working days"
        assert days_text(0, "working", "vi") == "Trong ngày"  # the printed receipt
        assert days_text(15, "calendar", "vi") == "15 ngày"
    finally:
        i18n.set_language("vi")
