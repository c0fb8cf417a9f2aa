"""A throwaway PostgreSQL server for tests and benchmarks (one per test process).

``initdb`` refuses to run as root, so as root the server runs as the ``postgres``
user (``runuser``) in a temporary directory, on its own port, trust auth on
127.0.0.1 only, fsync off."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Callable
from pathlib import Path


class PgUnavailable(Exception):
    pass


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server() -> tuple[str, Callable[[], None]]:
    """(base URL without a database, stop function)."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not initdb or not pg_ctl:
        raise PgUnavailable("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    base = Path(tempfile.mkdtemp(prefix="desk-pg-"))
    data = base / "data"
    port = _free_port()
    as_root = os.geteuid() == 0
    prefix = ["runuser", "-u", "postgres", "--"] if as_root else []
    if as_root:
        shutil.chown(base, "postgres")
        base.chmod(0o700)
    subprocess.run(
        [*prefix, initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8"],
        check=True,
        capture_output=True,
    )
    for attempt in range(3):
        # another test process may take the free port first: then try another one
        opts = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"
        started = subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-o", opts, "-l", str(base / "log"), "-w", "start"],
            capture_output=True,
        )
        if started.returncode == 0:
            break
        if attempt == 2:
            started.check_returncode()
        port = _free_port()

    def stop() -> None:
        subprocess.run(
            [*prefix, pg_ctl, "-D", str(data), "-m", "immediate", "stop"], capture_output=True
        )
        shutil.rmtree(base, ignore_errors=True)

    return f"postgresql+psycopg://postgres@127.0.0.1:{port}", stop


def create_database(server: str, name: str) -> str:
    import psycopg

    with psycopg.connect(server.replace("+psycopg", "") + "/postgres", autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    return f"{server}/{name}"
