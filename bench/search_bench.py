"""Catalogue search latency over 2,500 procedures, as typed keystroke by keystroke.

Builds a catalogue of 2,500 procedures (the sample catalogue's 53 real entries plus
generated variants of their names across fields, like a provincial list received
at a commune center), loads the search index from SQLite, then runs every prefix
of a set of real queries (codes, old alias codes, accent-free and accented words,
typos, short-syllable typos, i/y spelling variants, initials): each prefix is one query, as the intake form searches on every keystroke.

    uv run python bench/search_bench.py [--procedures 2500] [--rounds 5]
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

QUERIES = [
    "khai sinh",
    "đăng ký khai sinh",
    "chung thuc ban sao",
    "chứng thực chữ ký",
    "1.001193",
    "1.001640",
    "2.000815",
    "ket hon co yeu to nuoc ngoai",
    "khia sinh",
    "dang ky tam tru",
    "ho kinh doanh",
    "cap doi giay chung nhan quyen su dung dat",
    "tro cap xa hoi hang thang",
    "xac nhan tinh trang hon nhan",
    "thuong tru",
    # issue 16: short typos, i/y variants, initials, ranking by intake
    "khai snh",
    "ket hn",
    "dang ki khai sinh",
    "dkks",
    "chung thuc",
    "khai tu",
    "khai sinh thuong tru",
]
FIELDS = ["Hộ tịch", "Chứng thực", "Đất đai", "Xây dựng", "Bảo trợ xã hội", "Giáo dục", "Y tế"]
TAILS = [
    "",
    " (cấp tỉnh)",
    " lưu động",
    " có yếu tố nước ngoài",
    " cho người đã có hồ sơ",
    " lần đầu",
]


def build_catalogue(path: Path, total: int) -> None:
    import csv
    import io

    source = (ROOT / "desk" / "data" / "procedures.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(source, newline="")))
    rnd = random.Random(7)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(rows[0]))
    writer.writeheader()
    seen = set()
    for row in rows:
        writer.writerow(row)
        seen.add(row["code"])
    n = 0
    while len(seen) < total:
        base = rnd.choice(rows)
        n += 1
        code = f"{rnd.choice('123')}.{100000 + n:06d}"
        if code in seen:
            continue
        seen.add(code)
        field = rnd.choice(FIELDS)
        writer.writerow(
            {
                **base,
                "code": code,
                "name": base["name"] + rnd.choice(TAILS) + f" - {field.lower()} {n % 97}",
                "field": field,
            }
        )
    path.write_text(out.getvalue(), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--procedures", type=int, default=2500)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()

    from desk.center.config import load_config
    from desk.center.runtime import DEMO_ALIASES, open_runtime
    from desk.dossiers.catalogue import import_aliases, import_catalogue
    from desk.dossiers.search import CatalogueIndex

    with tempfile.TemporaryDirectory() as tmp:
        csv_path = Path(tmp) / "catalogue.csv"
        build_catalogue(csv_path, args.procedures)
        runtime = open_runtime(load_config(ROOT / "config.toml"), f"sqlite:///{tmp}/bench.db")
        import_catalogue(runtime.engine, csv_path)
        import_aliases(runtime.engine, DEMO_ALIASES)
        start = time.perf_counter()
        index = CatalogueIndex.load(runtime.engine)
        load_ms = (time.perf_counter() - start) * 1000
        assert len(index) == args.procedures, len(index)
        prefixes = [q[:i] for q in QUERIES for i in range(1, len(q) + 1)]
        times: list[float] = []
        first_hits: dict[str, str] = {}
        for _ in range(args.rounds):
            index = CatalogueIndex.load(runtime.engine)  # a fresh index: no warm caches
            for prefix in prefixes:
                t0 = time.perf_counter()
                hits = index.search(prefix)
                times.append((time.perf_counter() - t0) * 1000)
                if prefix in QUERIES:
                    first_hits[prefix] = hits[0].code if hits else "-"
    times.sort()
    p50 = statistics.median(times)
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"{len(index)} procedures, {len(prefixes)} keystroke queries × {args.rounds} rounds")
    print(f"index load {load_ms:.1f} ms")
    print(f"query p50 {p50:.3f} ms  p99 {p99:.3f} ms  max {times[-1]:.3f} ms")
    for q in (
        "khai sinh",
        "chung thuc ban sao",
        "1.001640",
        "khia sinh",
        "khai snh",
        "ket hn",
        "dang ki khai sinh",
        "dkks",
        "chung thuc",
        "khai tu",
        "ho kinh doanh",
    ):
        print(f"  {q!r:24} → {first_hits[q]}")
    print(
        json.dumps(
            {
                "procedures": len(index),
                "queries": len(times),
                "index_load_ms": round(load_ms, 2),
                "query_p50_ms": round(p50, 3),
                "query_p99_ms": round(p99, 3),
                "query_max_ms": round(times[-1], 3),
            }
        )
    )


if __name__ == "__main__":
    main()
