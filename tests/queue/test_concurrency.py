"""Many processes on one database: no number issued twice, no ticket called twice."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from desk.center.config import Config
from desk.center.runtime import open_runtime
from desk.queue.check import check_invariants
from tests.queue_worker import run_together

ROOT = Path(__file__).resolve().parents[2]
WORKER = ROOT / "tests" / "queue_worker.py"


KIOSK_OPS = 40


def hammer(url: str, config: Config) -> list[dict[str, object]]:
    """2 kiosks issuing 40 tickets each and 7 counters calling back to back for two
    seconds (a call that finds nobody is quick, so a count of calls could end before
    the kiosks issue anything), all released together once every process has
    connected and warmed up (each warms up with one real ticket: a kiosk issues
    one, a counter issues and serves one)."""
    open_runtime(config, url)  # migrate once, as the first process of a center would
    roles = [("kiosk", 0), ("kiosk", 1)] + [("counter", n) for n in range(1, 8)]
    return run_together(
        [
            [
                *(sys.executable, str(WORKER), url, role, str(arg)),
                *(str(KIOSK_OPS if role == "kiosk" else 10**6), str(i), "--barrier"),
                *(("--seconds", "2") if role == "counter" else ()),
            ]
            for i, (role, arg) in enumerate(roles)
        ],
        timeout=300,
    )


def verify(url: str, config: Config, results: list[dict[str, object]]) -> None:
    runtime = open_runtime(config, url)
    assert check_invariants(runtime.engine) == []
    issued = [i for r in results for i in r["issued"]]  # type: ignore[attr-defined]
    claimed = [c for r in results for c in r["claimed"]]  # type: ignore[attr-defined]
    assert len(issued) == len(set(issued)) == 2 * KIOSK_OPS + 9  # 9 warm-up tickets
    assert len(claimed) == len(set(claimed)), "a ticket was called by two counters"
    assert set(claimed) <= set(issued)
    # the counters called tickets the kiosks issued while they were calling
    from_kiosks = {i for r in results if r["role"] == "kiosk" for i in r["issued"][1:]}  # type: ignore[index]
    assert from_kiosks & set(claimed)


@pytest.mark.early
def test_nine_processes_on_one_sqlite_file(tmp_path: Path, config: Config) -> None:
    url = f"sqlite:///{tmp_path / 'center.db'}"
    verify(url, config, hammer(url, config))


@pytest.mark.early
def test_nine_processes_on_a_postgresql_center_database(pg_url: str, config: Config) -> None:
    verify(pg_url, config, hammer(pg_url, config))


def test_invariant_checker_catches_gaps_and_double_calls(tmp_path: Path, config: Config) -> None:
    from sqlalchemy import text

    from desk.queue.engine import Queue

    runtime = open_runtime(config, f"sqlite:///{tmp_path / 'x.db'}")
    q = Queue(runtime)
    q.issue("A")
    q.issue("A")
    q.call_next(1)
    assert check_invariants(runtime.engine) == []
    with runtime.engine.begin() as conn:
        conn.execute(text("UPDATE ticket SET seq = 5, number = 'A005' WHERE seq = 2"))
        conn.execute(
            text(
                "INSERT INTO ticket_event (ticket_id, kind, at, counter_id, detail)"
                " SELECT ticket_id, kind, at, 2, '' FROM ticket_event WHERE kind = 'called'"
            )
        )
    problems = check_invariants(runtime.engine)
    assert any("sequence has gaps" in p for p in problems)
    assert any("called 2 times but queued 1 times" in p for p in problems)


def test_threads_of_one_process_share_its_queue(tmp_path: Path, config: Config) -> None:
    """The counter screen runs its steps in worker threads on one Queue, which keeps
    one connection for its steps and one for its reads: threads take turns on them,
    and every invariant holds."""
    import threading

    from desk.queue.engine import Queue

    runtime = open_runtime(config, f"sqlite:///{tmp_path / 'center.db'}")
    queue = Queue(runtime)
    for number in (1, 2, 3):
        queue.set_state(number, "open")
    issued: list[int] = []
    called: list[int] = []
    errors: list[BaseException] = []
    first = threading.Event()  # counters start once there is someone to call

    def kiosk() -> None:
        for i in range(30):
            issued.append(queue.issue("ABC"[i % 3]).ticket.id)
            first.set()

    def counter(number: int) -> None:
        first.wait(60)
        for _ in range(30):
            ticket = queue.call_next(number)
            if ticket is not None:
                called.append(ticket.id)
                queue.start(number)

    def guard(fn: object, *args: object) -> threading.Thread:
        def run() -> None:
            try:
                fn(*args)  # type: ignore[operator]
            except BaseException as exc:
                errors.append(exc)

        return threading.Thread(target=run)

    threads = [guard(kiosk), guard(kiosk)] + [guard(counter, n) for n in (1, 2, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert len(issued) == len(set(issued)) == 60
    assert len(called) == len(set(called)) > 0
    assert check_invariants(runtime.engine) == []
