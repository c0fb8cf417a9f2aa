"""Upstream push throughput and the catch-up of a busy day offline.

Starts a throwaway PostgreSQL (as in the tests), creates the upstream schema and a
center role, then:
1. push: 100,000 outbox events (ticket events of a long period, as the outbox holds
   them) pushed in batches of ``--batch`` through desk's Sync; events per second;
2. catch-up: a busy day worked offline (about 1,000 events: tickets issued, called,
   served; dossiers received) pushed when the link comes back; milliseconds.
Both end by comparing upstream with local row by row.

    uv run python bench/sync_bench.py [--events 100000] [--batch 2000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=2000)
    args = parser.parse_args()

    import psycopg
    from sqlalchemy import text

    from db.engine import read_session, write_session
    from desk import clock
    from desk.center.config import load_config
    from desk.center.runtime import open_runtime
    from desk.queue.engine import Queue
    from desk.upstream.sync import Sync, add_center, init_upstream
    from tests.pg import create_database, start_server

    server, stop = start_server()
    try:
        admin = create_database(server, "province")
        init_upstream(admin)
        add_center(admin, "center_27")
        add_center(admin, "center_28")
        center_url = admin.replace("postgres@", "center_27@")
        day_url = admin.replace("postgres@", "center_28@")  # another center: its own rows
        config = load_config(ROOT / "config.toml")
        with tempfile.TemporaryDirectory() as tmp:
            # --- 1. push throughput ------------------------------------------------
            rt = open_runtime(config, f"sqlite:///{tmp}/bulk.db")
            start_day = datetime(2026, 1, 5, 7, 30)
            with write_session(rt.engine) as session:
                rows = []
                for i in range(1, args.events + 1):
                    at = start_day + timedelta(seconds=i * 7)
                    payload = json.dumps(
                        {
                            "id": i,
                            "ticket_id": i // 4 + 1,
                            "kind": "called",
                            "at": at.isoformat(),
                            "counter_id": i % 7 + 1,
                            "officer_id": None,
                            "detail": "",
                        }
                    )
                    rows.append({"c": at, "i": i, "p": payload})
                session.execute(
                    text(
                        "INSERT INTO outbox (created_at, entity, entity_id, version, payload, "
                        "attempts, last_error) VALUES (:c, 'ticket_event', :i, 1, :p, 0, '')"
                    ),
                    rows,
                )
            sync = Sync(rt.engine, center_url, batch_size=args.batch)
            t0 = time.perf_counter()
            result = sync.run_once()
            push_s = time.perf_counter() - t0
            assert result.error == "", result.error
            with psycopg.connect(admin.replace("+psycopg", "")) as conn:
                remote = dict(
                    conn.execute(
                        "SELECT id, payload FROM desk.ticket_event WHERE center = 'center_27'"
                    ).fetchall()
                )
            with read_session(rt.engine) as s:
                local = {
                    i: json.loads(p)
                    for i, p in s.execute(text("SELECT entity_id, payload FROM outbox")).all()
                }
            upstream_rows = len(remote)
            bulk_match = remote == local and upstream_rows == args.events
            rate = args.events / push_s
            print(
                f"push: {args.events} events in {push_s:.2f} s = {rate:,.0f} events/s "
                f"(batch {args.batch}); upstream rows {upstream_rows}"
            )

            # --- 2. a busy day offline, then catch up --------------------------------
            from desk.center.runtime import DEMO_CATALOGUE
            from desk.dossiers.catalogue import import_catalogue
            from tests.dossiers.test_intake import form, save
            from tests.upstream.test_sync import compare

            day = open_runtime(config, f"sqlite:///{tmp}/day.db")
            import_catalogue(day.engine, DEMO_CATALOGUE)
            now = [datetime(2026, 11, 23, 7, 30)]
            clock.set_clock(lambda: now[0])
            q = Queue(day)
            for i in range(150):
                q.issue("ABCDEF"[i % 6])
                now[0] += timedelta(seconds=90)
            for i in range(150):
                counter = i % 6 + 1
                if q.call_next(counter) is not None:
                    q.start(counter)
                    q.finish(counter)
            for _ in range(30):
                save(day, form())
            from sqlmodel import func, select

            from db.models import Outbox

            with read_session(day.engine) as s:
                events = s.exec(select(func.count()).select_from(Outbox)).one()
            t0 = time.perf_counter()
            result = Sync(day.engine, day_url, batch_size=config.upstream.batch_size).run_once()
            catchup_ms = (time.perf_counter() - t0) * 1000
            assert result.error == "", result.error
            compared = compare(day, admin, "center_28")
            print(
                f"catch-up: {events} events of a day in {catchup_ms:.0f} ms; "
                f"{compared} rows compared, all equal"
            )
    finally:
        stop()
    print(
        json.dumps(
            {
                "push_events": args.events,
                "push_events_per_s": round(rate),
                "catchup_day_events": events,
                "catchup_day_ms": round(catchup_ms),
                "rows_match": bool(bulk_match and compared),
            }
        )
    )


if __name__ == "__main__":
    main()
