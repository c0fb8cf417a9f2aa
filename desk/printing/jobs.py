"""The print queue: every ticket and document is a ``print_job`` row first.

A job is written (status ``pending``) before anything is sent, so a printer fault
loses nothing: the job becomes ``failed`` with the officer's message and stays
in the queue to retry (``desk print queue --retry``, R at the counter) or to
reprint later (Ctrl+P). Rendering and sending run in the caller's thread; the
screens call them from thread workers so nothing else waits on a printer.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from db.engine import read_session, write_session
from db.models import PrintJob
from desk import clock, logs
from desk.center.config import Config
from desk.dossiers.forms import Document
from desk.i18n import t
from desk.printing import drawn_in_children
from desk.printing.render import PrinterSetupError, render_document
from desk.printing.transport import PrintFault, send
from desk.rows import view_of

log = logs.get("print")


def render(document: Document, config: Config) -> bytes:
    """The bytes of ``document`` for this center's printer, drawn here or in a child."""
    if drawn_in_children():
        from desk.printing.child import render_in_child

        return render_in_child(document, config.printer)
    return render_document(document, config.printer)


@dataclass(frozen=True)
class JobView:
    id: int
    kind: str
    status: str
    attempts: int
    last_error: str
    created_at: datetime
    printed_at: datetime | None
    code: str
    """The ticket number or dossier code the document is about."""
    number: str = ""
    """The document's own number ("Số": ``<code>/HDHS-2``), when its form has one."""


@dataclass(frozen=True)
class PrintResult:
    job_id: int
    ok: bool
    message: str
    written: str = ""
    """The preview file the job went to, when no real printer is configured."""


JOB_STATUS_KEYS = {
    "pending": "everyday.cli.job_pending",
    "failed": "everyday.cli.job_failed_status",
    "done": "everyday.cli.job_done",
}


def job_status_name(status: str) -> str:
    """A print job's status as people read it, in the UI language."""
    key = JOB_STATUS_KEYS.get(status)
    return t(key) if key else status


def _view(job: PrintJob) -> JobView:
    assert job.id is not None
    code = number = ""
    if job.document:
        try:
            doc = Document.from_json(job.document)
        except (ValueError, TypeError, KeyError):
            code = "?"
        else:
            code = doc.code
            with contextlib.suppress(KeyError):  # a receipt or a ticket has no "Số"
                number = doc.field("Số")
    return view_of(JobView, job, code=code, number=number)


def add_job(
    session: Session,
    document: Document,
    *,
    ticket_id: int | None = None,
    dossier_id: int | None = None,
    counter_id: int | None = None,
) -> PrintJob:
    """A pending job in the caller's transaction."""
    job = PrintJob(
        created_at=clock.now(),
        kind=document.kind,
        ticket_id=ticket_id,
        dossier_id=dossier_id,
        counter_id=counter_id,
        status="pending",
        document=document.to_json(),
    )
    session.add(job)
    return job


def queue_document(engine: Engine, document: Document, **links: int | None) -> int:
    with write_session(engine) as session:
        job = add_job(session, document, **links)
        session.flush()
        assert job.id is not None
        return job.id


def print_job(engine: Engine, config: Config, job_id: int) -> PrintResult:
    """Render and send one job; its row records the outcome either way."""
    with read_session(engine) as session:
        job = session.get(PrintJob, job_id)
        if job is None:
            return PrintResult(job_id, False, f"print job {job_id} not found")
        if not job.document:  # rebuilt from upstream, which keeps no documents
            return PrintResult(job_id, False, t("rebuild.print_lost"))
        document = Document.from_json(job.document)
        data = job.data
    message = written = ""
    try:
        if data is None:
            data = render(document, config)
        from desk.printing.preview import preview_dir

        preview = preview_dir(config) / f"{document.kind}-{document.code}-{job_id}.bin"
        send(config.printer, data, preview)
        ok = True
        written = str(preview) if config.printer.connection == "preview" else ""
    except (PrintFault, PrinterSetupError) as exc:
        ok, message = False, str(exc)
        log.warning(
            "print job %s (%s %s) failed: %s", job_id, document.kind, document.code, message
        )
    with write_session(engine) as session:
        job = session.get(PrintJob, job_id)
        assert job is not None
        job.attempts += 1
        if data is not None and job.data is None:
            job.data = data
        job.status = "done" if ok else "failed"
        job.last_error = message
        if ok:
            job.printed_at = clock.now()
        session.add(job)
    return PrintResult(job_id, ok, message, written)


def reprint(engine: Engine, config: Config, job_id: int) -> PrintResult:
    """The document of ``job_id`` printed again. A job of the same document still
    waiting in the queue (this one, or a twin: pending or failed) is the one printed,
    so the queue never prints it a second time (``desk print queue --retry``);
    otherwise a new job (the old one keeps its history)."""
    with write_session(engine) as session:
        old = session.get(PrintJob, job_id)
        if old is None:
            return PrintResult(job_id, False, f"print job {job_id} not found")
        waiting: int | None = job_id
        if old.status not in ("pending", "failed"):
            waiting = (
                session.execute(
                    select(PrintJob.id)
                    .where(col(PrintJob.status).in_(("pending", "failed")))
                    .where(col(PrintJob.kind) == old.kind)
                    .where(col(PrintJob.dossier_id) == old.dossier_id)
                    .where(col(PrintJob.ticket_id) == old.ticket_id)
                    .where(col(PrintJob.document) == old.document)
                    .order_by(col(PrintJob.id))
                )
                .scalars()
                .first()
            )
        if waiting is None:
            new = PrintJob(
                created_at=clock.now(),
                kind=old.kind,
                ticket_id=old.ticket_id,
                dossier_id=old.dossier_id,
                counter_id=old.counter_id,
                status="pending",
                document=old.document,
                data=old.data,
            )
            session.add(new)
            session.flush()
            waiting = new.id
    assert waiting is not None
    return print_job(engine, config, waiting)


def unprinted(engine: Engine) -> list[JobView]:
    with read_session(engine) as session:
        rows = session.execute(
            select(PrintJob)
            .where(col(PrintJob.status).in_(("pending", "failed")))
            .order_by(col(PrintJob.id))
        ).scalars()
        return [_view(j) for j in rows]


def jobs_for_dossier(engine: Engine, dossier_id: int) -> list[JobView]:
    with read_session(engine) as session:
        rows = session.execute(
            select(PrintJob)
            .where(col(PrintJob.dossier_id) == dossier_id)
            .order_by(col(PrintJob.id))
        ).scalars()
        return [_view(j) for j in rows]


def retry_unprinted(engine: Engine, config: Config) -> list[PrintResult]:
    return [print_job(engine, config, job.id) for job in unprinted(engine)]
