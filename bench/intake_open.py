"""Intake latency at the counter on the demo data: F6 to the first field focused,
and Ctrl+S to the receipt on screen, each over 20 runs (Textual headless, the
demo catalogue, a fresh SQLite database).

Targets (issue 15): F6 ≤ 300 ms and Ctrl+S ≤ 500 ms at the p99. Prints median and
p99 of each; the last line is one JSON object.

    uv run python bench/intake_open.py [--runs 20]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def p99(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]


async def wait_until(pilot: object, done: object, timeout: float = 10.0) -> float:
    """Seconds until ``done()`` holds, checking after every pause of the app."""
    start = time.perf_counter()
    while not done():  # type: ignore[operator]
        await pilot.pause()  # type: ignore[attr-defined]
        if time.perf_counter() - start > timeout:
            raise TimeoutError("the screen never got there")
    return time.perf_counter() - start


async def measure(runs: int) -> tuple[list[float], list[float]]:
    from desk.center.accounts import ensure_demo_accounts, login
    from desk.center.config import load_config
    from desk.center.runtime import prepare_demo
    from screens.app import DeskApp
    from screens.intake import IntakeScreen, ReceiptView

    config = load_config(Path(__file__).resolve().parent.parent / "config.toml")
    runtime = prepare_demo(config)
    ensure_demo_accounts(runtime.engine)
    officer = login(runtime.engine, "canbo", "canbo123")
    app = DeskApp(runtime, role="counter", counter=2, officer=officer)
    opened: list[float] = []
    saved: list[float] = []
    async with app.run_test(size=(110, 45)) as pilot:
        await app.workers.wait_for_complete()
        for i in range(runs):
            start = time.perf_counter()
            await pilot.press("f6")

            def first_field() -> bool:
                focused = app.focused
                return isinstance(app.screen, IntakeScreen) and getattr(focused, "id", "") == (
                    "procedure"
                )

            await wait_until(pilot, first_field)
            opened.append(time.perf_counter() - start)
            screen = app.screen
            assert isinstance(screen, IntakeScreen)
            await wait_until(pilot, lambda s=screen: s.index is not None)
            await pilot.press(*"chung thuc ban sao", "enter")
            await wait_until(pilot, lambda s=screen: bool(s.procedures))
            await pilot.press(*"Tran Thi Binh", "enter")
            await pilot.press(*f"0313010{i:05d}", "tab", *"2001", "tab", *"0912345678")
            await pilot.press("tab", *"So 5 Lach Tray")
            screen.query_one("#c0-photo").focus()
            await pilot.press("backspace", "3")
            screen.query_one("#fee").focus()
            await pilot.press(*"6.000")
            start = time.perf_counter()
            await pilot.press("ctrl+s")
            try:
                await wait_until(pilot, lambda: isinstance(app.screen, ReceiptView))
            except TimeoutError:
                from textual.widgets import Static

                message = app.screen.query_one("#intake-message", Static).render()
                shown = [
                    f"{w.id}: {w.render()}"
                    for w in app.screen.query(".field-error.-shown").results(Static)
                ]
                message = f"{message} {shown}"
                raise SystemExit(f"the intake was not saved: {message}") from None
            saved.append(time.perf_counter() - start)
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, (IntakeScreen, ReceiptView)))
    return opened, saved


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DESK_DB"] = f"sqlite:///{Path(tmp) / 'demo.db'}"
        os.environ["XDG_DATA_HOME"] = tmp
        opened, saved = asyncio.run(measure(args.runs))
    ms = [x * 1000 for x in opened], [x * 1000 for x in saved]
    for name, values in zip(("F6 to first field", "Ctrl+S to receipt"), ms, strict=True):
        print(f"{name:<20} median {statistics.median(values):7.1f} ms   p99 {p99(values):7.1f} ms")
    print(
        json.dumps(
            {
                "runs": args.runs,
                "intake_open_median_ms": round(statistics.median(ms[0]), 1),
                "intake_open_p99_ms": round(p99(ms[0]), 1),
                "intake_save_median_ms": round(statistics.median(ms[1]), 1),
                "intake_save_p99_ms": round(p99(ms[1]), 1),
            }
        )
    )


if __name__ == "__main__":
    main()
