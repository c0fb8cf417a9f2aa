"""Time to render documents to ESC/POS bytes, in each Vietnamese mode.

A ticket and a Mẫu 01 receipt (two copies, native QR) for the default profile on
80 mm paper, rendered repeatedly in a warm process (python-escpos, Pillow and the
font already loaded; their one-off import time is printed separately).
Targets: ticket ≤ 20 ms, receipt ≤ 100 ms in image mode (p50).

The kiosk and the counters draw each job in a child process of their own
(``desk.printing.child``, README "Resident memory"), which pays Python's start and
those imports every time: ``--child-rounds`` times the ticket and the receipt drawn
that way, beside ``python -c pass`` started the same number of times in the same run.

    uv run python bench/print_bench.py [--rounds 30] [--child-rounds 10]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def timed(fn: object, rounds: int) -> tuple[float, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        fn()  # type: ignore[operator]
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    return statistics.median(times), times[max(0, int(len(times) * 0.99) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=30)
    parser.add_argument("--child-rounds", type=int, default=10)
    args = parser.parse_args()

    from desk.center.config import load_config
    from desk.dossiers.forms import ticket_document
    from desk.printing.render import render_document
    from tests.printing.test_printing import documents

    config = load_config(ROOT / "config.toml")
    start = time.perf_counter()
    receipt = documents(config)["receipt"]
    ticket = ticket_document(config, "A012", "Hộ tịch", datetime(2026, 11, 23, 9, 0), 3, True)
    render_document(ticket, config.printer, "image")  # imports escpos, PIL, the font
    warmup_ms = (time.perf_counter() - start) * 1000
    figures: dict[str, float] = {"first_render_with_imports_ms": round(warmup_ms, 1)}
    for mode in ("codepage", "image", "ascii"):
        for name, doc in (("ticket", ticket), ("receipt", receipt)):
            p50, p99 = timed(
                lambda d=doc, m=mode: render_document(d, config.printer, m), args.rounds
            )
            size = len(render_document(doc, config.printer, mode))
            print(f"{name:8} {mode:9} p50 {p50:7.2f} ms  p99 {p99:7.2f} ms  {size:7d} bytes")
            figures[f"{name}_{mode}_p50_ms"] = round(p50, 2)
            figures[f"{name}_{mode}_p99_ms"] = round(p99, 2)
    print(f"first render, with imports: {warmup_ms:.0f} ms")

    import subprocess

    from desk.printing.child import render_in_child

    for name, doc in (("ticket", ticket), ("receipt", receipt)):
        p50, p99 = timed(lambda d=doc: render_in_child(d, config.printer), args.child_rounds)
        figures[f"{name}_child_p50_ms"] = round(p50, 1)
        figures[f"{name}_child_p99_ms"] = round(p99, 1)
        print(
            f"{name:8} in a child ({config.printer.vietnamese}) p50 {p50:7.1f} ms  p99 {p99:7.1f} ms"
        )
    p50, p99 = timed(lambda: subprocess.run([sys.executable, "-c", "pass"]), args.child_rounds)
    figures["python_start_p50_ms"] = round(p50, 1)
    print(f"python -c pass            p50 {p50:7.1f} ms  p99 {p99:7.1f} ms")
    out = {
        "ticket_ms": figures["ticket_image_p50_ms"],
        "receipt_image_ms": figures["receipt_image_p50_ms"],
        "receipt_codepage_ms": figures["receipt_codepage_p50_ms"],
        **figures,
    }
    print(json.dumps(out))


if __name__ == "__main__":
    main()
