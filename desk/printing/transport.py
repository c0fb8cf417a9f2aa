"""Getting bytes to the printer, with a time limit on every step.

Network printers (port 9100) are asked for their status before and after a job
(``DLE EOT 1`` printer status and ``DLE EOT 4`` paper sensor, answered by every
ESC/POS printer that supports real-time status): a printer that is offline, out
of paper, does not answer, or drops the connection mid-job makes the job fail
with a message that says which. ``status_check = false`` skips the questions for
printers that do not answer them. ``file`` and ``serial`` write to a device path,
``cups`` hands the bytes to ``lp -o raw``, ``preview`` writes them to the preview
directory; ``usb`` goes through python-escpos.
"""

from __future__ import annotations

import os
import socket
import subprocess
from pathlib import Path
from typing import TYPE_CHECKING

from desk.errors import os_reason
from desk.i18n import t

if TYPE_CHECKING:
    from desk.center.config import PrinterConfig

DLE_EOT_PRINTER = b"\x10\x04\x01"
DLE_EOT_PAPER = b"\x10\x04\x04"


class PrintFault(Exception):
    """The printer did not take the job; the message is for the officer."""


def _recv_status(sock: socket.socket, timeout: float) -> int:
    sock.settimeout(timeout)
    try:
        data = sock.recv(1)
    except TimeoutError:
        raise PrintFault(t("print.no_answer")) from None
    except OSError:
        raise PrintFault(t("print.dropped")) from None
    if not data:
        raise PrintFault(t("print.dropped"))
    return data[0]


def _check_status(sock: socket.socket, timeout: float) -> None:
    try:
        sock.sendall(DLE_EOT_PRINTER)
    except OSError:
        raise PrintFault(t("print.dropped")) from None
    status = _recv_status(sock, timeout)
    if status & 0x08:  # bit 3: offline
        raise PrintFault(t("print.offline"))
    try:
        sock.sendall(DLE_EOT_PAPER)
    except OSError:
        raise PrintFault(t("print.dropped")) from None
    paper = _recv_status(sock, timeout)
    if paper & 0x60:  # bits 5-6: paper roll end
        raise PrintFault(t("print.paper_out"))


def send_network(config: PrinterConfig, data: bytes) -> None:
    timeout = config.timeout_seconds
    try:
        sock = socket.create_connection((config.host, config.port), timeout=timeout)
    except OSError:  # refused, no route, or no answer to the connection: unreachable
        raise PrintFault(t("print.unreachable", host=config.host, port=config.port)) from None
    with sock:
        if config.status_check:
            _check_status(sock, timeout)
        sock.settimeout(timeout)
        try:
            sock.sendall(data)
        except TimeoutError:
            raise PrintFault(t("print.no_answer")) from None
        except OSError:
            raise PrintFault(t("print.dropped")) from None
        if config.status_check:
            _check_status(sock, timeout)  # it is still there and still has paper


def send_device(path: str, data: bytes) -> None:
    try:
        with open(path, "wb", buffering=0) as device:
            device.write(data)
    except OSError as exc:
        raise PrintFault(t("print.device", device=path, error=os_reason(exc))) from None


def send_cups(config: PrinterConfig, data: bytes) -> None:
    cmd = ["lp", "-o", "raw"] + (["-d", config.cups_printer] if config.cups_printer else [])
    try:
        done = subprocess.run(cmd, input=data, capture_output=True, timeout=config.timeout_seconds)
    except (OSError, subprocess.TimeoutExpired):
        raise PrintFault(t("print.cups")) from None
    if done.returncode != 0:
        raise PrintFault(t("print.cups"))


def send_usb(config: PrinterConfig, data: bytes) -> None:
    if config.usb_vendor is None or config.usb_product is None:
        raise PrintFault(t("print.usb"))
    try:
        from desk.printing.capabilities import prepare

        prepare()
        from escpos.printer import Usb

        printer = Usb(
            config.usb_vendor, config.usb_product, timeout=int(config.timeout_seconds * 1000)
        )
        printer._raw(data)
        printer.close()
    except Exception:  # pyusb / device errors of every kind
        raise PrintFault(t("print.usb")) from None


def printer_label(config: PrinterConfig) -> str:
    """The printer as the officer knows it: its configured name, then where it is
    ("Quầy 3 (192.168.1.50)"; the address alone without a name)."""
    kind = config.connection
    if kind == "network":
        where = config.host if config.port == 9100 else f"{config.host}:{config.port}"
    elif kind in ("file", "serial"):
        where = config.device
    elif kind == "cups":
        where = f"CUPS {config.cups_printer}".strip()
    elif kind == "usb":
        ids = (config.usb_vendor, config.usb_product)
        where = "USB" if None in ids else f"USB {ids[0]:04x}:{ids[1]:04x}"
    else:
        where = t(f"printout.where_{kind}")
    return f"{config.name} ({where})" if config.name else where


def printout_message(
    config: PrinterConfig, what: str, error: str | None, again: str, written: str = ""
) -> str:
    """What the officer reads after printing ``what`` (the intake's receipt, a slip
    from the look-up, a reprint): the printer that took it, named, or with no real
    printer the preview file (or folder) ``written``; or, with ``error`` (the
    printer's fault), which printer failed, why, that it waits in the print queue,
    and ``again``: how to try again from where the officer is."""
    printer = printer_label(config)
    if error is not None:
        return t("printout.queued", what=what, printer=printer, error=error, again=again)
    if config.connection == "preview":
        return t("printout.sent_preview", what=what, path=written or "?")
    return t("printout.sent", what=what, printer=printer)


def write_private(path: Path, data: bytes | str) -> None:
    """A preview file, owner-only like the database and the logs: receipts and forms
    carry the applicant's name, address and phone, as text or as the printer's bytes."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:
        out.write(data.encode("utf-8") if isinstance(data, str) else data)
    os.chmod(path, 0o600)  # a file written before this rule keeps no wider mode


def send(config: PrinterConfig, data: bytes, preview_path: Path | None = None) -> None:
    """Deliver ``data``; raises PrintFault with a message for the officer."""
    kind = config.connection
    if kind == "network":
        send_network(config, data)
    elif kind in ("file", "serial"):
        send_device(config.device, data)
    elif kind == "cups":
        send_cups(config, data)
    elif kind == "usb":
        send_usb(config, data)
    elif kind == "preview" and preview_path is not None:
        try:
            preview_path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            write_private(preview_path, data)
        except OSError as exc:
            raise PrintFault(
                t("print.device", device=str(preview_path), error=os_reason(exc))
            ) from None
    # "none": nothing to do; the job is kept as printed
