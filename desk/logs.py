"""desk's log file, which never holds ID numbers, phone numbers or passwords.

What desk logs is chosen not to carry them (dossier codes, procedure codes, user
names, counts), and a filter on the handler scrubs anything that still looks like
one on its way out: runs of 9 or more digits (CCCD, CMND, phones, with spaces or dots
between groups), ``+84…`` numbers and ``password=…`` pairs.

The file is ``desk.log`` in the user log directory, or ``DESK_LOG_FILE``. The log
files (the rotated ones too) are readable by their owner only (0600), and a log
directory desk creates is its owner's only (0700).
"""

from __future__ import annotations

import io
import logging
import os
import re
from logging.handlers import RotatingFileHandler
from pathlib import Path

LOGGER = "desk"
_DIGITS = re.compile(r"(?<![\w-])\+?\d(?:[\s.\-]?\d){8,}(?![\w-])")
_SECRET = re.compile(r"(?i)(password|passwd|pwd|mật khẩu)\s*[=:]\s*\S+")


class Redact(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        message = _DIGITS.sub("[number]", message)
        message = _SECRET.sub(r"\1=***", message)
        record.msg, record.args = message, None
        return True


def _private(path: str, flags: int) -> int:
    return os.open(path, flags, 0o600)


class PrivateRotatingFileHandler(RotatingFileHandler):
    """A rotating log whose every file is created with owner-only permissions."""

    def _open(self) -> io.TextIOWrapper:
        return open(  # type: ignore[return-value]  # a text mode: a TextIOWrapper
            self.baseFilename,
            self.mode,
            encoding=self.encoding,
            errors=self.errors,
            opener=_private,
        )


def log_path() -> Path:
    env = os.environ.get("DESK_LOG_FILE")
    if env:
        return Path(env)
    from platformdirs import user_log_path

    return user_log_path("desk") / "desk.log"


def setup_logging() -> Path:
    """Send desk's log to its file (once per process)."""
    logger = logging.getLogger(LOGGER)
    path = log_path()
    if any(getattr(h, "desk_log", False) for h in logger.handlers):
        return path
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    handler = PrivateRotatingFileHandler(path, maxBytes=5_000_000, backupCount=3, encoding="utf-8")
    handler.desk_log = True  # type: ignore[attr-defined]
    handler.addFilter(Redact())
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    return path


def get(name: str) -> logging.Logger:
    return logging.getLogger(f"{LOGGER}.{name}")
