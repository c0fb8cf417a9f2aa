"""The center's audit key: the secret that keys the audit chain (:mod:`db.audit`).

It lives in a file outside the database, so that whoever can write the database
(a copied file, a SQL session on a PostgreSQL center database) cannot forge or
re-hash entries. The file is ``DESK_AUDIT_KEY`` if set, else ``audit.key`` in the
user data directory (beside the default database); it is created at the first
start with owner-only permissions (0600) and holds 32 random bytes as hex.

Every computer writing one center database must use the same key: with a
PostgreSQL center database, copy the file to each of them (or point
``DESK_AUDIT_KEY`` at one shared, protected path).

What it cannot do: anyone who can read the key file (the desk OS account, root, a
backup that includes it) can forge entries that verify; the upstream copy
(:func:`desk.upstream.sync.compare_audit`) is the check that does not depend on it.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path


class AuditKeyError(Exception):
    """The key file exists but cannot be read or holds no key (``key`` and ``params``
    for the layers above to say it in the UI's language: ``db_problem.<key>``)."""

    def __init__(self, key: str, message: str, **params: object) -> None:
        super().__init__(message)
        self.key = key
        self.params = params


def key_path() -> Path:
    env = os.environ.get("DESK_AUDIT_KEY")
    if env:
        return Path(env)
    from platformdirs import user_data_path

    return user_data_path("desk") / "audit.key"


def _parse(path: Path) -> bytes:
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        raise AuditKeyError(
            "key_unreadable", f"{path}: not a readable audit key ({exc})", path=path, detail=exc
        ) from None
    if len(key) < 16:
        raise AuditKeyError(
            "key_short", f"{path}: the audit key is too short (expected 32 bytes as hex)", path=path
        )
    return key


def load_key(path: Path | None = None) -> bytes | None:
    """The key, or None when there is no key file yet."""
    path = path or key_path()
    if not path.exists():
        return None
    return _parse(path)


def load_or_create_key(path: Path | None = None) -> tuple[bytes, bool]:
    """(the key, True when this call created it)."""
    path = path or key_path()
    existing = load_key(path)
    if existing is not None:
        return existing, False
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    key = secrets.token_bytes(32)
    try:
        fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except FileExistsError:  # another process created it first
        return _parse(path), False
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(key.hex() + "\n")
    return key, True
