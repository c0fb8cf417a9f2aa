"""Start-up and memory of desk, each figure next to its floor, in one run.

Every figure is timed in fresh processes, alternating with its floor so both see the
same machine (on a shared machine read the ratios; absolute times move):

- ``desk --version``, ``desk --help`` and a usage error, against a bare
  ``python -c "import argparse"``;
- commands that read the database (``desk holidays list``, ``desk sync status``,
  ``desk report`` for one day), against importing SQLAlchemy and the models
  (``python -c "import sqlalchemy, db.models"``);
- the first frame of the kiosk, the board and a counter's login, against importing
  ``textual.app`` and painting an empty screen. Both run in a pseudo-terminal with
  Textual's real driver; the time is from starting the process to the end of the
  first write of the role's first screen to the terminal. The CPU time the process
  used until then is shown too, against the floor's: a busy machine delays a process
  but adds little to its CPU time, so that ratio moves less from run to run;
- resident memory (VmRSS) of the kiosk, the board and a counter after a full day's
  work: the kiosk issues the day's tickets by key, the counter logs in and makes
  200 calls (F2, Enter, F9) and 30 intakes (F6, the form, Ctrl+S, the receipt
  printed to the preview printer), the board follows the day's calls.

The database is created and migrated once before timing, as on a center's PC after
the first start. Prints median and p99 (of few runs: the max) and ends with one
JSON line.

    uv run python bench/startup.py [--runs 7] [--no-rss] [--rss-only] [--role kiosk ...]
                                   [--only cli|db|paint]

``--role`` limits the first frames and the day's work to the roles named (a counter's
day takes 15 minutes or more on a loaded machine); ``--rss-only`` skips the timings;
``--only db`` times only the commands on the database against their floor (likewise
``cli`` and ``paint``), without the day's work; the JSON keys of the parts not run
are null.
Memory is read from ``/proc/self/smaps_rollup``: VmRSS once the role is idle after the
day (it has given the free pages of its heap back) and at the end of its last step;
the heap (anonymous pages, which no other process shares) and PSS.
"""

from __future__ import annotations

import argparse
import fcntl
import json
import os
import pty
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DESK = Path(sys.executable).with_name("desk")
DAY = "2026-11-23"

# The child of a first-paint measurement: reports the monotonic time at the end of the
# first write of the screen named by BENCH_SCREEN, and the CPU time it has used (all
# its threads), then ends at once.
PAINT = r"""
import os, sys, time
import textual.app

_display = textual.app.App._display

def _reporting(self, screen, renderable):
    _display(self, screen, renderable)
    if renderable is not None and type(screen).__name__ == os.environ["BENCH_SCREEN"]:
        done = f"{time.monotonic()} {time.process_time()}\n"
        os.write(int(os.environ["BENCH_FD"]), done.encode())
        os._exit(0)

textual.app.App._display = _reporting
if sys.argv[1] == "floor":
    textual.app.App().run()
else:
    from desk.cli import main
    main(sys.argv[1:])
"""

ROLES = {
    "kiosk": (["kiosk"], "KioskFrame"),
    "board": (["board"], "BoardFrame"),
    "counter": (["counter", "1"], "LoginFrame"),
}


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def wall(cmd: list[str], env: dict[str, str], ok: tuple[int, ...] = (0,)) -> float:
    start = time.perf_counter()
    out = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True, timeout=120)
    elapsed = (time.perf_counter() - start) * 1000
    if out.returncode not in ok:
        sys.exit(f"{' '.join(cmd)}: exit {out.returncode}: {out.stderr[-2000:]}")
    return elapsed


def _drain(fd: int) -> None:
    try:
        while os.read(fd, 65536):
            pass
    except OSError:
        pass


def paint(args: list[str], screen: str, env: dict[str, str]) -> tuple[float, float]:
    """Milliseconds from starting the process to its first frame of ``screen``, and
    the CPU milliseconds the process used meanwhile (its own work, which other
    processes on a busy machine delay but do not add to)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
    read_end, write_end = os.pipe()
    child_env = {
        **env,
        "BENCH_SCREEN": screen,
        "BENCH_FD": str(write_end),
        "TERM": "xterm-256color",
    }
    start = time.monotonic()
    proc = subprocess.Popen(
        [sys.executable, "-c", PAINT, *args],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        env=child_env,
        cwd=ROOT,
        pass_fds=(write_end,),
        start_new_session=True,
    )
    os.close(slave)
    os.close(write_end)
    drain = threading.Thread(target=_drain, args=(master,), daemon=True)
    drain.start()
    ready, _, _ = select.select([read_end], [], [], 60)
    line = os.read(read_end, 100).decode() if ready else ""
    os.close(read_end)
    if proc.poll() is None:
        proc.kill()
    proc.wait()
    os.close(master)
    drain.join(5)
    if not line.strip():
        sys.exit(f"{' '.join(args)}: no frame of {screen} painted")
    end, cpu = (float(v) for v in line.split())
    return (end - start) * 1000, cpu * 1000


def summary(label: str, values: list[float], floor: list[float]) -> str:
    ratio = statistics.median(values) / statistics.median(floor)
    return (
        f"  {label:<24} median {statistics.median(values):6.0f} ms  p99 {pct(values, 0.99):6.0f} ms"
        f"   floor {statistics.median(floor):6.0f} ms   {ratio:4.2f}×"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--no-rss", action="store_true", help="skip the day's work")
    parser.add_argument("--rss-only", action="store_true", help="only the day's work")
    parser.add_argument(
        "--only",
        choices=["cli", "db", "paint"],
        help="time only this part (implies --no-rss)",
    )
    parser.add_argument(
        "--role",
        action="append",
        choices=sorted(ROLES),
        help="only this role's first frame and day (repeatable; default: every role)",
    )
    args = parser.parse_args()
    roles = args.role or list(ROLES)
    if args.only:
        args.no_rss = True
    parts = {args.only} if args.only else {"cli", "db", "paint"}
    py = sys.executable
    with tempfile.TemporaryDirectory() as tmp:
        env = {
            **os.environ,
            "DESK_DB": f"sqlite:///{tmp}/bench.db",
            "DESK_CONFIG": str(ROOT / "config.toml"),
            "DESK_LOG_FILE": f"{tmp}/desk.log",
            "XDG_DATA_HOME": f"{tmp}/data",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        wall([py, str(DESK), "db", "upgrade"], env)
        env["DESK_OFFICER_PASSWORD"] = env["DESK_PASSWORD"] = "bench-pass-1"
        wall([py, str(DESK), "officer", "add", "director", "--role", "admin"], env)
        loads = [os.getloadavg()[0]]

        cli_floor: list[float] = []
        cli_times: dict[str, list[float]] = {}
        db_floor: list[float] = []
        db_times: dict[str, list[float]] = {}
        paint_floor: list[float] = []
        paints: dict[str, list[float]] = {}
        cpu_floor: list[float] = []
        cpus: dict[str, list[float]] = {}
        if not args.rss_only and "cli" in parts:
            cli = {
                "version": ([py, str(DESK), "--version"], (0,)),
                "help": ([py, str(DESK), "--help"], (0,)),
                "usage error": ([py, str(DESK), "report", "--from", "x"], (2,)),
            }
            cli_times = {k: [] for k in cli}
            for _ in range(args.runs):
                cli_floor.append(wall([py, "-c", "import argparse"], env))
                for name, (cmd, ok) in cli.items():
                    cli_times[name].append(wall(cmd, env, ok))
            loads.append(os.getloadavg()[0])

        if not args.rss_only and "db" in parts:
            db_cmds = {
                "holidays list": [py, str(DESK), "holidays", "list"],
                "sync status": [py, str(DESK), "sync", "status"],
                "report (one day)": [
                    *(py, str(DESK), "report", "--from", DAY, "--to", DAY, "--as", "director")
                ],
            }
            db_times = {k: [] for k in db_cmds}
            for _ in range(args.runs):
                db_floor.append(wall([py, "-c", "import sqlalchemy, db.models"], env))
                for name, cmd in db_cmds.items():
                    db_times[name].append(wall(cmd, env))
            loads.append(os.getloadavg()[0])

        if not args.rss_only and "paint" in parts:
            paints = {k: [] for k in roles}
            cpus = {k: [] for k in roles}
            for _ in range(args.runs):
                wall_ms, cpu_ms = paint(["floor"], "Screen", env)
                paint_floor.append(wall_ms)
                cpu_floor.append(cpu_ms)
                for role in roles:
                    argv, screen = ROLES[role]
                    wall_ms, cpu_ms = paint(argv, screen, env)
                    paints[role].append(wall_ms)
                    cpus[role].append(cpu_ms)
            loads.append(os.getloadavg()[0])

        memory: dict[str, dict[str, float]] = {}
        if not args.no_rss:
            memory = day_rss(tmp, env, roles)
            loads.append(os.getloadavg()[0])

    print(f"desk start-up ({args.runs} runs each; load average {min(loads):.1f}–{max(loads):.1f})")
    if cli_times:
        print("command line, floor: python -c 'import argparse'")
        for name, values in cli_times.items():
            print(summary(name, values, cli_floor))
    if db_times:
        print("commands on the database, floor: import sqlalchemy, db.models")
        for name, values in db_times.items():
            print(summary(name, values, db_floor))
    if paints:
        print("first frame, floor: import textual.app and paint an empty screen")
        for role, values in paints.items():
            print(summary(role, values, paint_floor))
        print("  the same, in CPU time of the process (less moved by a busy machine)")
        for role, values in cpus.items():
            print(summary(role, values, cpu_floor))
    rss = {r: m["rss"] for r, m in memory.items()}
    host = host_total(rss)
    if memory:
        print(
            "resident memory after a full day's work; floor: Python, Textual, SQLAlchemy, "
            "SQLModel, pydantic and the models imported, an empty app run"
        )
        print(
            "  (RSS: idle after the day, and at its last step; it counts the pages of shared "
            "libraries in full in each process. heap: anonymous pages, this process's own. "
            "PSS: shared pages divided among the processes mapping them)"
        )
        for role, m in memory.items():
            print(
                f"  {role:<10} RSS {m['rss']:6.1f} MB (last step {m['busy']:6.1f} MB)"
                f"   heap {m['heap']:6.1f} MB   PSS {m['pss']:6.1f} MB"
            )
        if host is not None:
            print(f"  kiosk + board + 7 counters: {host:.0f} MB (floor 9 × {rss['floor']:.0f} MB)")
            shared = host_shared(memory)
            print(f"    with the pages of shared libraries counted once: {shared:.0f} MB")

    def worst(times: dict[str, list[float]]) -> float | None:
        return max(statistics.median(v) for v in times.values()) if times else None

    def median(values: list[float]) -> float | None:
        return round(statistics.median(values), 1) if values else None

    def rounded(value: float | None) -> float | None:
        return None if value is None else round(value, 1)

    result: dict[str, object] = {
        "version_ms": rounded(worst(cli_times)),
        "version_floor_ms": median(cli_floor),
        "cli_db_ms": rounded(worst(db_times)),
        "cli_db_floor_ms": median(db_floor),
        "first_paint_ms": rounded(worst(paints)),
        "first_paint_floor_ms": median(paint_floor),
        **{f"first_paint_{r}_ms": median(v) for r, v in paints.items()},
        "first_paint_cpu_floor_ms": median(cpu_floor),
        **{f"first_paint_cpu_{r}_ms": median(v) for r, v in cpus.items()},
        "rss_mb": {r: round(v, 1) for r, v in rss.items()},
        "rss_last_step_mb": {r: round(m["busy"], 1) for r, m in memory.items()},
        "heap_mb": {r: round(m["heap"], 1) for r, m in memory.items()},
        "pss_mb": {r: round(m["pss"], 1) for r, m in memory.items()},
        "host_rss_mb": rounded(host),
        "host_shared_once_mb": rounded(host_shared(memory)) if host is not None else None,
        "load_average": round(max(loads), 2),
    }
    print(json.dumps(result))


def host_shared(memory: dict[str, dict[str, float]]) -> float:
    """The same host with the file-backed pages (the libraries' code, mapped by all
    nine processes) counted once: each process's heap, and one role's files."""
    files = max(memory[r]["rss"] - memory[r]["heap"] for r in ("kiosk", "board", "counter"))
    heaps = memory["kiosk"]["heap"] + memory["board"]["heap"] + 7 * memory["counter"]["heap"]
    return heaps + files


def host_total(rss: dict[str, float]) -> float | None:
    """A host running the kiosk, the board and seven counters, by VmRSS."""
    if not {"kiosk", "board", "counter"} <= rss.keys():
        return None
    return rss["kiosk"] + rss["board"] + 7 * rss["counter"]


def day_rss(tmp: str, env: dict[str, str], roles: list[str]) -> dict[str, dict[str, float]]:
    """Memory in MB of each role's process after its day's work (see DAY_WORK): VmRSS
    idle after the day and at its last step, PSS and the anonymous pages (the heap)."""
    floor = subprocess.run(
        [sys.executable, "-c", MEMORY + RSS_FLOOR],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    out: dict[str, dict[str, float]] = {"floor": read_memory(floor.stdout, "floor", floor.stderr)}
    for role in ("kiosk", "counter", "board"):
        if role not in roles:
            continue
        done = subprocess.run(
            [sys.executable, "-c", MEMORY + DAY_WORK, role],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=3600,  # a counter's day takes 15 minutes or more on a loaded 2-core machine
        )
        out[role] = read_memory(done.stdout, role, done.stderr)
    return out


def read_memory(stdout: str, role: str, stderr: str) -> dict[str, float]:
    line = next((ln for ln in stdout.splitlines() if ln.startswith("RSS ")), None)
    if line is None:
        sys.exit(f"{role}: the day's work failed: {stderr[-3000:]}")
    rss, pss, heap = (float(v) for v in line.split()[1:4])
    busy = next((ln for ln in stdout.splitlines() if ln.startswith("BUSY ")), line)
    return {"rss": rss, "pss": pss, "heap": heap, "busy": float(busy.split()[1])}


# Prints one line "<label> <VmRSS> <PSS> <anonymous>" in MB, from /proc/self/smaps_rollup.
MEMORY = r"""
def print_memory(label="RSS"):
    fields = {}
    for line in open("/proc/self/smaps_rollup"):
        parts = line.split()
        if len(parts) == 3 and parts[2] == "kB":
            fields[parts[0].rstrip(":")] = int(parts[1]) / 1024
    print(label, fields["Rss"], fields["Pss"], fields["Anonymous"], flush=True)

"""


# The floor of every role's memory: Python, Textual, SQLAlchemy, SQLModel, pydantic and
# the models imported, and an empty Textual app run headless.
RSS_FLOOR = r"""
import asyncio
import textual.app, sqlalchemy, sqlmodel, pydantic, db.models

async def run():
    async with textual.app.App().run_test(size=(110, 40)) as pilot:
        await pilot.pause()

asyncio.run(run())
print_memory()
"""

DAY_WORK = r"""
import asyncio, sys
from datetime import datetime, timedelta

from desk import clock

from desk.center.memory import prepare_long_running

prepare_long_running()  # as desk/cli/roles.py's run_ui does before the UI starts
role = sys.argv[1]
now = [datetime(2026, 11, 23, 7, 30)]
clock.set_clock(lambda: now[0])

async def settle(app, pilot):
    from textual.worker import WorkerCancelled
    for _ in range(3):
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            continue
        await pilot.pause()

async def until(app, pilot, done, seconds=120):
    import time
    deadline = time.monotonic() + seconds
    while not done():
        assert time.monotonic() < deadline, app.screen
        await pilot.pause(0.05)
        await settle(app, pilot)

def opener():
    from desk.cli.common import load, runtime
    from desk.cli.roles import reads_reports
    rt = runtime(load(), long_running=True, large_reads=reads_reports(role))  # as the role opens it
    if role == "counter":
        from desk.center.accounts import ensure_demo_accounts
        from desk.center.runtime import DEMO_ALIASES, DEMO_CATALOGUE, DEMO_LINKED
        from desk.dossiers.catalogue import import_aliases, import_catalogue
        from desk.queue.engine import Queue
        import_catalogue(rt.engine, DEMO_CATALOGUE)
        import_aliases(rt.engine, DEMO_ALIASES)
        import_catalogue(rt.engine, DEMO_LINKED)
        ensure_demo_accounts(rt.engine)
        # the bench's database already has its director, so the demo accounts were
        # not made: the counter's officer is added here
        from desk.center.accounts import add_officer, login
        director = login(rt.engine, "director", "bench-pass-1")
        add_officer(rt.engine, director, "canbo", "Cán bộ một cửa", "officer", "canbo123")
        queue = Queue(rt)
        for _ in range(200):
            queue.issue("A")
    if role == "board":
        from desk.queue.engine import Queue
        queue = Queue(rt)
        for _ in range(200):
            queue.issue("A")
    return rt

async def day():
    from pathlib import Path
    from desk.center.first_frame import first_frame, read_toml, resolve_config_path
    from screens.app import DeskApp
    frame = first_frame(read_toml(resolve_config_path()[0]))
    app = DeskApp(opener, role=role, counter=1 if role == "counter" else None, first_frame=frame)
    async with app.run_test(size=(110, 40)) as pilot:
        await until(app, pilot, lambda: app.ready)
        if role == "kiosk":
            for n in range(300):
                await pilot.press(str(1 + n % 6))
                await settle(app, pilot)
                now[0] += timedelta(seconds=90)
        elif role == "counter":
            await pilot.press(*"canbo", "enter", *"canbo123", "enter")
            await until(app, pilot, lambda: type(app.screen).__name__ == "CounterScreen")
            intakes = 0
            for n in range(200):
                await pilot.press("f2", "enter")
                await settle(app, pilot)
                if n % 6 == 3 and intakes < 30:
                    intakes += 1
                    await intake(app, pilot)
                await pilot.press("f9")
                await settle(app, pilot)
                now[0] += timedelta(minutes=2)
            assert intakes == 30
        else:
            queue = app.queue
            for n in range(200):
                counter = 1 + n % 6
                if queue.call_next(counter) is not None:
                    queue.start(counter)
                    queue.finish(counter)
                app.screen.poll()
                await settle(app, pilot)
                now[0] += timedelta(minutes=2)
        # read while the role is still up, its screens and connections open: at the
        # end of the last step, then once the idle app has given the free pages of
        # its heap back (screens.app's release_memory, every few seconds)
        print_memory("BUSY")
        released = app.memory_releases
        await until(app, pilot, lambda: app.memory_releases > released, 60)
        print_memory()

async def intake(app, pilot):
    from textual.widgets import Input
    await pilot.press("f6")
    await settle(app, pilot)
    screen = app.screen
    await pilot.press(*"chung thuc ban sao", "enter")
    await settle(app, pilot)
    for field, value in (
        ("c0-photo", "3"),
        ("applicant_name", "Trần Thị Bình"),
        ("applicant_id_number", "031301012345"),
        ("applicant_birth_year", "2001"),
        ("applicant_phone", "0912345678"),
        ("applicant_address", "Số 5 Lạch Tray"),
    ):
        screen.query_one(f"#{field}", Input).value = value
    screen.query_one("#fee", Input).value = "6.000"
    await pilot.press("ctrl+s")
    await settle(app, pilot)
    if type(app.screen).__name__ != "ReceiptView":
        from textual.widgets import Static
        shown = [str(w.render()) for w in app.screen.query(".field-error, #intake-message").results(Static)]
        raise AssertionError(f"intake not saved: {[m for m in shown if m.strip()]}")
    await pilot.press("enter")  # print
    await settle(app, pilot)
    await pilot.press("escape")
    await settle(app, pilot)

asyncio.run(day())
"""


if __name__ == "__main__":
    main()
