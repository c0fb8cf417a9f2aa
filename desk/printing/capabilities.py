"""python-escpos's printer profiles, read once per host instead of once per process.

On import, ``escpos.capabilities`` parses its database of printer profiles
(``capabilities.json``, about 100 kB) with PyYAML unless it finds a pickle of it in
``ESCPOS_CAPABILITIES_PICKLE_DIR``; without that variable it looks in a new
temporary directory each time, so every process that prints parsed the file again:
0.6–0.9 s on the first print and about 2.5 MB the process kept (the parser's garbage
fragments the heap). :func:`prepare` writes the pickle once into desk's cache
directory, atomically (a kiosk and seven counters may start together, and
python-escpos's own writer truncates the file before it has parsed the source), and
points python-escpos at it. The pickle holds what python-escpos would have parsed:
the file is JSON, which PyYAML reads to the same data.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

PICKLE_DIR = "ESCPOS_CAPABILITIES_PICKLE_DIR"
SOURCE_FILE = "ESCPOS_CAPABILITIES_FILE"


def cache_dir() -> Path:
    import escpos
    from platformdirs import user_cache_path

    return user_cache_path("desk") / f"escpos-{escpos.__version__}"


def profile_data(name: str) -> dict[str, Any]:
    """One printer profile's data as python-escpos would give it (``get_profile(name)
    .profile_data``), read from its file without importing python-escpos's printing
    (PIL, qrcode, PyYAML: about 10 MB a process keeps): what a screen needs to lay a
    document out on the paper. KeyError for a profile the database does not have."""
    import json
    from importlib.util import find_spec

    # found, not imported: even python-escpos's own package stays out of a kiosk that
    # lays its ticket preview out at the paper's columns
    spec = find_spec("escpos")
    assert spec is not None and spec.submodule_search_locations, "python-escpos is missing"
    source = Path(next(iter(spec.submodule_search_locations))) / "capabilities.json"
    profiles: dict[str, dict[str, Any]] = json.loads(source.read_text(encoding="utf-8"))["profiles"]
    return profiles[name]


def prepare() -> None:
    """Before python-escpos is first imported: its profiles' pickle in desk's cache.
    Nothing changes when the profiles are already loaded, when the center set either
    of python-escpos's variables itself, or when the cache cannot be written (then
    python-escpos parses its file as before)."""
    if "escpos.capabilities" in sys.modules or SOURCE_FILE in os.environ:
        return
    if PICKLE_DIR in os.environ:
        return
    import json
    import pickle
    import platform
    import tempfile
    from importlib.resources import as_file, files

    folder = cache_dir()
    target = folder / f"{platform.python_version()}.capabilities.pickle"
    try:
        with as_file(files("escpos") / "capabilities.json") as source:
            changed = source.stat().st_mtime
            if not target.exists() or target.stat().st_mtime < changed:
                data = json.loads(source.read_text(encoding="utf-8"))
                folder.mkdir(parents=True, exist_ok=True)
                fd, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
                try:
                    with os.fdopen(fd, "wb") as out:
                        pickle.dump(data, out, protocol=2)
                    # python-escpos parses its file again when the file is newer
                    moment = max(time.time(), changed)
                    os.utime(temporary, (moment, moment))
                    os.replace(temporary, target)
                except BaseException:
                    with contextlib.suppress(OSError):
                        os.unlink(temporary)
                    raise
    except (OSError, ValueError) as exc:
        log.warning("printer profiles not cached (%s): python-escpos reads its own file", exc)
        return
    os.environ[PICKLE_DIR] = str(folder)
