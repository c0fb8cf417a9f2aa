"""python-escpos's printer profiles come from desk's cache: parsed once per host, the
same profiles and the same bytes as python-escpos's own parse of its file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

# A ticket and a receipt rendered the kiosk's and the counter's way, in a fresh
# process (python-escpos reads its profiles once, on import); prints what
# python-escpos loaded from where, and the bytes.
RENDER = r"""
import json, sys
from datetime import datetime
from desk.center.config import load_config
from desk.dossiers.forms import ticket_document
from desk.printing.render import render_document
from tests.conftest import SAMPLE_CONFIG
from tests.printing.test_printing import documents

config = load_config(SAMPLE_CONFIG)
at = datetime(2026, 11, 24, 10, 0)
ticket = ticket_document(config, "A012", "Hộ tịch", at, 3, True)
printer = config.printer.model_copy(update={"profile": "TM-T88V"})
data = b"".join(
    render_document(doc, printer, mode)
    for doc in (ticket, documents(config)["receipt"])
    for mode in ("image", "codepage", "ascii")
)
import escpos.capabilities as caps
print(json.dumps({
    "parsed": caps.full_load,
    "pickle": caps.pickle_path,
    "profiles": caps.CAPABILITIES == json.load(open(caps.capabilities_path)),
    "bytes": data.hex(),
}))
"""


def render(env: dict[str, str]) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("ESCPOS_")}
    done = subprocess.run(
        [sys.executable, "-c", RENDER],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return result


def test_profiles_are_read_from_the_cache_with_the_same_bytes(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    first = render({"XDG_CACHE_HOME": str(cache)})
    # python-escpos found desk's pickle: it did not parse its file
    assert first["parsed"] is False
    pickle = Path(str(first["pickle"]))
    assert pickle.parent.parent == cache / "desk" and pickle.exists()
    assert first["profiles"] is True
    again = render({"XDG_CACHE_HOME": str(cache)})
    assert again["parsed"] is False and again["pickle"] == first["pickle"]
    # python-escpos on its own: a new temporary directory, its file parsed
    (tmp_path / "own").mkdir()
    own = render({"ESCPOS_CAPABILITIES_PICKLE_DIR": str(tmp_path / "own")})
    assert own["parsed"] is True
    assert own["bytes"] == first["bytes"] == again["bytes"]
    assert not list(cache.rglob("*.tmp"))


def test_an_unwritable_cache_still_prints_the_same(tmp_path: Path) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    result = render({"XDG_CACHE_HOME": str(blocked)})
    assert result["parsed"] is True  # python-escpos read its own file, as before
    good = render({"XDG_CACHE_HOME": str(tmp_path / "cache")})
    assert result["bytes"] == good["bytes"]
