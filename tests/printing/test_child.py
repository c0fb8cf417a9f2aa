"""Print jobs drawn in a child process (the kiosk's and the counters' way): the same
bytes as drawing in the process (a whole job too: tests/printing/test_printing.py), a
printer setting that cannot print says why, and a child that fails leaves the job failed
in the queue with a message and a log line."""

from __future__ import annotations

import sys

import pytest

import desk.printing
from desk.center.config import Config
from desk.center.runtime import Runtime
from desk.printing import child
from desk.printing.jobs import print_job, queue_document, unprinted
from desk.printing.render import PrinterSetupError, render_document
from tests.printing.test_printing import documents, printer


@pytest.fixture
def in_children(monkeypatch: pytest.MonkeyPatch) -> None:
    """This process draws its jobs in children, as a role does after
    ``desk.center.memory.prepare_long_running``."""
    monkeypatch.setattr(desk.printing, "_in_children", True)


@pytest.mark.parametrize("mode", ["image", "codepage", "ascii"])
def test_a_child_draws_the_same_bytes(config: Config, mode: str) -> None:
    settings = printer(config, vietnamese=mode)
    for kind in ("ticket", "receipt"):
        doc = documents(config)[kind]
        assert child.render_in_child(doc, settings) == render_document(doc, settings)


def test_a_setting_the_printer_cannot_print_with_says_why(config: Config) -> None:
    settings = config.printer.model_copy(update={"profile": "P822D", "vietnamese": "codepage"})
    doc = documents(config)["ticket"]
    with pytest.raises(PrinterSetupError) as here:
        render_document(doc, settings)
    with pytest.raises(PrinterSetupError) as there:
        child.render_in_child(doc, settings)
    assert str(there.value) == str(here.value)
    assert "printer.vietnamese = codepage" in str(there.value)


def test_an_unknown_profile_names_the_setting(config: Config) -> None:
    settings = config.printer.model_copy(update={"profile": "No-Such-Printer"})
    with pytest.raises(PrinterSetupError, match=r"printer\.profile: .*'No-Such-Printer'"):
        child.render_in_child(documents(config)["ticket"], settings)


@pytest.mark.usefixtures("in_children")
def test_a_child_that_fails_keeps_the_job_and_says_so(
    runtime: Runtime, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # the child at the edge: a process that dies the way a broken one would
    died = [sys.executable, "-c", "raise ValueError('031301012345 cannot be drawn')"]
    monkeypatch.setattr(child, "command", lambda: died)
    config = runtime.config
    job = queue_document(runtime.engine, documents(config)["ticket"])
    with caplog.at_level("ERROR", logger="desk.print"):
        result = print_job(runtime.engine, config, job)
    assert not result.ok
    assert (
        result.message
        == "Không dựng được bản in (xem nhật ký của desk); phiếu vẫn chờ trong hàng in."
    )
    [kept] = unprinted(runtime.engine)
    assert (kept.id, kept.status, kept.last_error) == (job, "failed", result.message)
    assert "exit 1" in caplog.text and "ValueError" in caplog.text
    assert "031301012345" not in caplog.text  # what the document held stays out of the log
