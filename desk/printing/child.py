"""Rendering a document in a short-lived process of its own.

Drawing a ticket or a receipt needs python-escpos, which imports PIL, qrcode,
python-barcode and PyYAML at module level: about 10 MB a process keeps for the rest
of the day, and the fonts and images of the drawing besides (README, "Resident
memory"). The kiosk and the counters run all day, so they hand the drawing to a
child process (``python -m desk.printing.child``) that exits when the bytes are
made: the same :func:`desk.printing.render.render_document`, the same bytes. The
role keeps the print queue, the job's row and the sending to the printer.

The child reads one JSON object on stdin (the document and the printer's settings)
and writes the bytes on stdout. A setting the printer cannot print with comes back
as :class:`PrinterSetupError` with the child's message; any other failure (the
child killed, out of memory, too slow) as a failed render the officer is told of,
logged with the child's error (its type and where, not its message, which may quote
the document).
"""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import asdict, dataclass

from desk import logs
from desk.dossiers.forms import Document
from desk.i18n import t
from desk.printing.render import PrinterSettings, PrinterSetupError
from desk.printing.transport import PrintFault

log = logs.get("print")

SETUP_ERROR = 3
"""The child's exit status for :class:`PrinterSetupError` (its message on stderr)."""
TIMEOUT_SECONDS = 60.0
"""Drawing takes well under a second; a child still at it after this is stuck."""


@dataclass(frozen=True)
class Settings:
    """The printer's settings drawing uses, as the child gets them: the role's
    configuration was checked when it started, and the child does not import it
    (its checks cost more than the drawing)."""

    profile: str
    paper_mm: int
    chars_per_line: int | None
    vietnamese: str

    @classmethod
    def of(cls, config: PrinterSettings) -> Settings:
        return cls(config.profile, config.paper_mm, config.chars_per_line, config.vietnamese)


def command() -> list[str]:
    """The child's command line: this Python, this desk."""
    return [sys.executable, "-m", "desk.printing.child"]


def render_in_child(document: Document, config: PrinterSettings) -> bytes:
    """``render_document(document, config)``, drawn in a child process."""
    payload = json.dumps({"document": document.to_json(), "printer": asdict(Settings.of(config))})
    try:
        done = subprocess.run(
            command(),
            input=payload.encode(),
            capture_output=True,
            timeout=TIMEOUT_SECONDS,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired) as exc:
        log.error("rendering %s %s in a child failed: %s", document.kind, document.code, exc)
        raise PrintFault(t("print.render_failed")) from None
    if done.returncode == 0:
        return done.stdout
    said = done.stderr.decode(errors="replace").strip()
    if done.returncode == SETUP_ERROR:
        raise PrinterSetupError(said)
    log.error(
        "rendering %s %s in a child failed (exit %s): %s",
        document.kind,
        document.code,
        done.returncode,
        failure_of(said),
    )
    raise PrintFault(t("print.render_failed"))


def failure_of(stderr: str) -> str:
    """What a failed child said, for the log: the error's type and where it was raised,
    not its message, which may quote the document (an applicant's ID number, phone)."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    if not lines:
        return "no message"
    kind = lines[-1].split(":", 1)[0][:200]
    where = next((line for line in reversed(lines) if line.startswith('File "')), "")
    return f"{kind} ({where[:300]})" if where else kind


def main() -> int:
    from desk.printing.render import render_document

    request = json.loads(sys.stdin.buffer.read())
    document = Document.from_json(request["document"])
    config = Settings(**request["printer"])
    try:
        data = render_document(document, config)
    except PrinterSetupError as exc:
        sys.stderr.write(str(exc))
        return SETUP_ERROR
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
