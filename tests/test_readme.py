"""The README's example commands run as written, on a clean machine (an empty user
data directory), in order, in one shell: a newcomer who copies them never gets stuck.

Commands that open a screen are skipped (the screens have their own tests), and so
are those that need the provincial PostgreSQL server named in the example."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCREENS = {"kiosk", "counter", "board", "rate", "admin"}


def example_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    lines: list[str] = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.splitlines():
            command = line.split("  #")[0].strip()
            if "uv run desk" in command:
                lines.append(command)
    return lines


def opens_a_screen(command: str) -> bool:
    words = shlex.split(command.replace('"$(', " ").replace(')"', " "))
    after = words[words.index("desk") + 1 :] if "desk" in words else []
    if not after:
        return False
    if after[0] in SCREENS:
        return True
    return after[0] == "demo" and "--no-ui" not in after and "--env" not in after


def test_the_readme_has_a_walk_through() -> None:
    commands = example_commands()
    assert any("demo --env" in c for c in commands)
    assert any("report" in c for c in commands) and any("officer list" in c for c in commands)


@pytest.mark.early
def test_the_readme_commands_run_as_written(tmp_path: Path) -> None:
    runnable = [
        c for c in example_commands() if not opens_a_screen(c) and "postgresql+psycopg" not in c
    ]
    assert len(runnable) >= 8
    script = [
        # `uv run desk` is this checkout's desk, run by the test's interpreter
        'uv() { if [ "$1" = run ] && [ "$2" = desk ]; then shift 2; '
        f'{shlex.quote(sys.executable)} -m desk.cli "$@"; else command uv "$@"; fi; }}',
    ]
    for i, command in enumerate(runnable):
        script.append(f"{command} || {{ echo 'README command {i} failed' >&2; exit 1; }}")
    env = {k: v for k, v in os.environ.items() if not k.startswith("DESK_")}
    env.update(
        XDG_DATA_HOME=str(tmp_path / "data"),
        XDG_CONFIG_HOME=str(tmp_path / "config"),
        DESK_LOG_FILE=os.environ.get("DESK_LOG_FILE", str(tmp_path / "desk.log")),
    )
    done = subprocess.run(
        ["bash", "-c", "\n".join(script)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr + done.stdout
    assert "Traceback" not in done.stderr
    assert "Tết Nguyên Đán" in done.stdout  # the holidays, in the configured language
    assert "giamdoc" in done.stdout  # the demo accounts, listed
