"""Waits on a seeded busy day under each priority policy, through the real engine.

A day of about 400 tickets at the sample center (7 counters, counter 7 the priority
counter; policy ``everywhere``, where strict priority can starve regular citizens)
is replayed through :class:`desk.queue.engine.Queue` on a temporary SQLite database,
with the center's clock frozen at each event (``desk.clock.set_clock``):

- arrivals: 60 % in the morning session (a quarter of them in a peak around 8:00 to
  9:00), 40 % in the afternoon; 25 % priority (the sample's categories), arriving
  like everyone else (``EARLY_PRIORITY`` sends a share of them to the opening);
- services: civil status and certification, which have three counters, take most
  citizens: A 26 %, B 36 %, C 10 %, D 6 %, E 6 %, F 16 %; service times log-normal
  (σ 0.5) around A 7.5, B 5, C 7.5, D 6.5, E 6, F 5 minutes, capped at 4× the mean;
- every counter calls the next ticket (F2) the moment it is free, serves it and
  finishes it; an idle counter calls as soon as a ticket it may take arrives.

Is the day realistic? domain.md gives no daily volume and no service times (it has
the office hours, 07:00–11:30 and 13:30–17:00, and the counters split by field); the
400 tickets and 7 counters are the issue's. Over the day the counters are 71 % busy
(the sample's ``default_service_minutes`` of 8 would make it busier); the morning
rush brings 1.5× what the counters can serve for half an hour (8:00–8:30 on seed 22,
printed per half hour), which a commune center does see on a Monday or after a
holiday. The figures are kept: the guards are judged on a hard day, not an easy one.
The peak is not what broke the target before: the same day with nobody first
(``fifo_all``) keeps every wait under 39 minutes.

Policies: strict priority (no guard), each guard alone, both guards, with the guard
values of the sample ``config.toml``; and two baselines that show what the load
allows: ``fifo_all`` (no priority at all) and ``regular_first`` (a what-if: every
ordinary counter takes regular tickets before priority ones, the priority counter
still serves priority first, as the issue's rule keeps it: the most any policy under
that rule can do for regular citizens). For each, the wait (call − issue) of priority
and regular tickets: median, p90, p99 and max in minutes.

Target with both guards: no regular wait above the cap plus one service time, and
the priority median at most a third of the regular median. "One service time" is the
mean service time of the ticket's own service (5–7.5 min), not the longest service
of the day (30 min), which would let a ticket pass the cap by half an hour unseen.
The ``max_regular_wait_minutes`` guard used to act only once a ticket had reached
the cap: in the rush the regular tickets queued just behind it reached it together
and the last of them waited up to 52.2 minutes (2 over the target). It now acts when
a regular ticket will reach the cap before its turn (its wait plus one service time,
``default_service_minutes``, per regular ticket of its service ahead of it, shared by
that service's ordinary counters, a counter of two services counting half;
``Queue._regular_at_risk``): 42.4 minutes at most on seed 22, none over, priority
median 1.3 against a regular median of 5.9 (priority tickets pay for it at the top:
their max goes from 8.5 to 33.3 minutes). On other random days of the same model
(``--seed``) it holds the target on seeds 3, 4 and 5 and misses it by two tickets on
seeds 10 and 12 (where ``regular_first`` has none over: the estimate of the turn is
rough for a service with one ordinary counter and long services); on seed 2 it has 7
over and so has ``regular_first``, while ``fifo_all`` has none: on that day no policy
in which the priority counter serves priority first can hold the cap, only taking
regular tickets at the priority counter too could (the sim says so when it happens).

    uv run python bench/fairness_sim.py [--tickets 400] [--seed 22]
"""

from __future__ import annotations

import argparse
import heapq
import json
import math
import random
import statistics
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

MIX = {"A": 0.26, "B": 0.36, "C": 0.10, "D": 0.06, "E": 0.06, "F": 0.16}
MEAN_MINUTES = {"A": 7.5, "B": 5.0, "C": 7.5, "D": 6.5, "E": 6.0, "F": 5.0}
PRIORITY_SHARE = 0.25
PEAK_SHARE = 0.25
"""Share of the morning's citizens who come in the 8:00–9:00 peak."""
EARLY_PRIORITY = 0.0
"""Share of the priority citizens who come in the first 90 minutes of the day."""
CATEGORIES = [("elderly80_child6_severe", 0.3), ("elderly", 0.4), ("disabled", 0.1)]
CATEGORIES += [("pregnant_infant", 0.15), ("merit", 0.05)]
DAY = datetime(2027, 3, 2)  # a Tuesday


def arrivals(n: int, seed: int) -> list[tuple[datetime, str, str | None, float]]:
    """(issue time, service, priority category, service minutes) of the day's tickets."""
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        category = None
        if rnd.random() < PRIORITY_SHARE:
            category = rnd.choices([c for c, _ in CATEGORIES], [w for _, w in CATEGORIES])[0]
        if category and rnd.random() < EARLY_PRIORITY:  # the elderly come at opening
            at = DAY.replace(hour=7) + timedelta(minutes=rnd.uniform(0, 90))
        elif rnd.random() < 0.6:  # morning: steady, with a peak around 8:00–9:00
            peak = rnd.random() < PEAK_SHARE
            minute = rnd.triangular(30, 150, 75) if peak else rnd.uniform(0, 240)
            at = DAY.replace(hour=7) + timedelta(minutes=minute)
        else:
            at = DAY.replace(hour=13, minute=30) + timedelta(minutes=rnd.uniform(0, 180))
        service = rnd.choices(list(MIX), weights=list(MIX.values()))[0]
        mean = MEAN_MINUTES[service]
        sigma = 0.5
        minutes = min(rnd.lognormvariate(math.log(mean) - sigma**2 / 2, sigma), 4 * mean)
        out.append((at.replace(microsecond=0), service, category, max(minutes, 0.5)))
    return sorted(out, key=lambda a: a[0])


def simulate(
    config: Any, day: list[tuple[datetime, str, str | None, float]], queue_class: Any = None
) -> dict[str, Any]:
    from sqlalchemy import select
    from sqlmodel import col

    from db.engine import read_session
    from db.models import Ticket
    from desk import clock
    from desk.center.runtime import open_runtime
    from desk.queue.check import check_invariants
    from desk.queue.engine import Queue

    with tempfile.TemporaryDirectory() as tmp:
        now = [DAY.replace(hour=6)]
        clock.set_clock(lambda: now[0])
        runtime = open_runtime(config, f"sqlite:///{Path(tmp) / 'sim.db'}")
        queue = (queue_class or Queue)(runtime)
        counters = {c.number: set(c.services) for c in config.counters}
        minutes_of: dict[str, float] = {}
        busy: dict[int, bool] = dict.fromkeys(counters, False)
        events: list[tuple[datetime, int, str, Any]] = []
        for i, item in enumerate(day):
            heapq.heappush(events, (item[0], i, "arrive", item))
        seq = len(day)

        def call(number: int) -> None:
            nonlocal seq
            called = queue.call_next(number)
            if called is None:
                busy[number] = False
                return
            busy[number] = True
            queue.start(number)
            done = now[0] + timedelta(minutes=minutes_of[called.number])
            seq += 1
            heapq.heappush(events, (done, seq, "finish", number))

        while events:
            at, _, kind, data = heapq.heappop(events)
            now[0] = at
            if kind == "arrive":
                _, service, category, minutes = data
                issued = queue.issue(service, category)
                minutes_of[issued.ticket.number] = minutes
                for number in sorted(counters):
                    if not busy[number] and service in counters[number]:
                        call(number)
                        if busy[number]:
                            break
            else:
                queue.finish(data)
                call(data)
        problems = check_invariants(runtime.engine)
        with read_session(runtime.engine) as session:
            rows = session.execute(
                select(
                    col(Ticket.priority_tier),
                    col(Ticket.wait_seconds),
                    col(Ticket.number),
                    col(Ticket.issued_at),
                    col(Ticket.counter_id),
                )
            ).all()
        runtime.engine.dispose()
    clock.set_clock(None)
    waits: dict[str, list[float]] = {"priority": [], "regular": []}
    for tier, wait, *_ in rows:
        waits["priority" if tier is not None else "regular"].append((wait or 0) / 60)
    regular = [r for r in rows if r[0] is None]
    worst = max(regular, key=lambda r: r[1] or 0)
    # how far past "the cap plus one service time" (the mean of its service) each went
    excess = [(r[1] or 0) / 60 - MEAN_MINUTES[r[2][0]] for r in regular]
    return {
        "waits": waits,
        "problems": problems,
        "tickets": len(rows),
        "worst": worst,
        "excess": excess,
    }


def figures(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)

    def pct(p: float) -> float:
        return ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]

    return {
        "median": statistics.median(ordered),
        "p90": pct(0.90),
        "p99": pct(0.99),
        "max": ordered[-1],
    }


def load_by_half_hour(day: list[tuple[datetime, str, str | None, float]], counters: int) -> str:
    """Arrivals and the work they bring (service minutes over what the counters give
    in the half hour) per half hour: above 100 % the queue grows whatever the policy."""
    work: dict[datetime, list[float]] = {}
    for at, *_, minutes in day:
        slot = at.replace(minute=at.minute // 30 * 30, second=0)
        work.setdefault(slot, []).append(minutes)
    return "  ".join(
        f"{slot:%H:%M} {len(w)} {sum(w) / (counters * 30):.0%}" for slot, w in sorted(work.items())
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, default=400)
    parser.add_argument("--seed", type=int, default=22)
    args = parser.parse_args()

    from desk.center.config import load_config
    from desk.logs import setup_logging
    from desk.queue.engine import Queue

    class RegularFirst(Queue):
        """What-if, not the engine's rule: every ordinary counter takes the oldest
        regular ticket before any priority ticket (the priority counter still serves
        priority first), the most any policy under the issue's rule can give them."""

        def _regular_at_risk(self, conn: Any, services: list[int], at: datetime) -> bool:
            return True

    setup_logging()
    sample = load_config(ROOT / "config.toml")
    every = sample.priority.regular_every
    cap = sample.priority.max_regular_wait_minutes
    no_priority_counter = [c.model_copy(update={"priority": False}) for c in sample.counters]
    # name: (policy, regular_every, max_regular_wait_minutes, counters, queue class)
    policies: dict[str, tuple[str, int, int, Any, Any]] = {
        "strict": ("everywhere", 0, 0, None, None),
        "regular_every": ("everywhere", every, 0, None, None),
        "max_wait": ("everywhere", 0, cap, None, None),
        "both": ("everywhere", every, cap, None, None),
        # baselines: no priority at all (everyone first come, first served), and
        # regular tickets first at every ordinary counter
        "fifo_all": ("dedicated", 0, 0, no_priority_counter, None),
        "regular_first": ("everywhere", 0, cap, None, RegularFirst),
    }
    day = arrivals(args.tickets, args.seed)
    priority_share = sum(1 for a in day if a[2]) / len(day)
    mean_service = statistics.fmean(a[3] for a in day)
    busy = sum(a[3] for a in day) / (len(sample.counters) * 60 * 8)
    print(
        f"{len(day)} tickets, {priority_share:.0%} priority, mean service "
        f"{mean_service:.1f} min, {busy:.0%} of the 7 counters' 8-hour day; guards from "
        f"config.toml: regular_every={every}, max_regular_wait_minutes={cap}; policy everywhere"
    )
    print(
        "arrivals and offered load per half hour: " + load_by_half_hour(day, len(sample.counters))
    )
    print(
        f"{'policy':<14} {'kind':<9} {'median':>7} {'p90':>7} {'p99':>7} {'max':>7}  "
        f"(minutes; over: regular waits past {cap} + one mean service time of their service)"
    )
    out: dict[str, Any] = {}
    results: dict[str, dict[str, Any]] = {}
    for name, (policy, n, minutes, counters, queue_class) in policies.items():
        pr = sample.priority.model_copy(
            update={"policy": policy, "regular_every": n, "max_regular_wait_minutes": minutes}
        )
        update: dict[str, Any] = {"priority": pr}
        if counters is not None:
            update["counters"] = counters
        result = simulate(sample.model_copy(update=update), day, queue_class)
        if result["problems"]:
            print(f"{name}: invariants broken: {result['problems'][:3]}")
            return 1
        results[name] = result
        stats = {kind: figures(v) for kind, v in result["waits"].items()}
        over = sum(1 for e in result["excess"] if e > cap)
        for kind in ("priority", "regular"):
            s = stats[kind]
            print(
                f"{name:<14} {kind:<9} {s['median']:7.1f} {s['p90']:7.1f} "
                f"{s['p99']:7.1f} {s['max']:7.1f}"
                + (f"  over: {over}" if kind == "regular" else "")
            )
        out[name] = {
            "regular_max_wait_min": round(stats["regular"]["max"], 1),
            "regular_median_wait_min": round(stats["regular"]["median"], 1),
            "regular_p99_wait_min": round(stats["regular"]["p99"], 1),
            "priority_median_wait_min": round(stats["priority"]["median"], 1),
            "priority_p99_wait_min": round(stats["priority"]["p99"], 1),
            "priority_max_wait_min": round(stats["priority"]["max"], 1),
            "regular_over_cap_plus_service_count": over,
        }
    both = out["both"]
    over = both["regular_over_cap_plus_service_count"]
    met = over == 0 and both["priority_median_wait_min"] <= both["regular_median_wait_min"] / 3
    worst = results["both"]["worst"]
    print(
        f"worst regular wait with both guards: {worst[2]} issued {worst[3]:%H:%M}, "
        f"{(worst[1] or 0) / 60:.1f} min"
    )
    print(
        f"target (both guards): regular tickets waiting longer than the cap plus one service "
        f"time of their service ({cap} + its mean): {over}; priority median "
        f"{both['priority_median_wait_min']} ≤ regular median / 3 "
        f"{both['regular_median_wait_min'] / 3:.1f}: {'met' if met else 'NOT met'}"
    )
    if not met and over:
        bound = out["regular_first"]["regular_over_cap_plus_service_count"]
        fifo = out["fifo_all"]["regular_over_cap_plus_service_count"]
        print(
            f"reachable at this load? regular tickets first at every ordinary counter: {bound} "
            f"over; nobody first (fifo_all): {fifo} over"
        )
    out["target_met"] = met
    out["regular_over_cap_plus_service_count"] = over
    out["tickets"] = len(day)
    print(json.dumps(out))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
