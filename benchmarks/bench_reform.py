"""Benchmark: one 24-round reform negotiation against one crisis run, in the same invocation.

Issue 10 asks that a negotiation cost well under a crisis run, so that a two-stage sweep
is dominated by the crisis stage. The negotiation is timed over all 24 rounds (a US demand
above the offer keeps it from ending early: the worst case), once as a sweep runs it
(outcome only) and once as `wargame reform` does (with the per-round table); the crisis
run is the `baltic` scenario to its outcome without series (what sweeps pay). The three
are timed in turn for each seed, so a busy machine slows all alike; medians and ratios.

    python benchmarks/bench_reform.py [--repeats 100]
"""

from __future__ import annotations

import argparse
import statistics
import time

from wargame.model import CrisisModel
from wargame.reform.model import ReformModel
from wargame.reform.result import outputs, rounds_frame
from wargame.scenario import load_scenario


def time_reform(seed: int, record_rounds: bool) -> float:
    """Seconds for one negotiation of all 24 rounds and its outputs (and rounds table)."""
    start = time.perf_counter()
    model = ReformModel(rng=seed, us_demand=3.0, deadline_rounds=24,
                        record_rounds=record_rounds).run()
    outputs(model)
    if record_rounds:
        rounds_frame(model)
    assert model.round == 24
    return time.perf_counter() - start


def time_default(seed: int) -> float:
    """Seconds for one negotiation of the default package, to its end, outcome only."""
    start = time.perf_counter()
    outputs(ReformModel(rng=seed, record_rounds=False).run())
    return time.perf_counter() - start


def time_crisis(parameters: dict, seed: int) -> float:
    """Seconds for one crisis run to its outcome, without per-day series."""
    start = time.perf_counter()
    CrisisModel(**parameters, rng=seed, collect_series=False).run()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=200, help="seeds per measurement")
    args = parser.parse_args()
    parameters = load_scenario("baltic").parameters
    time_reform(0, True), time_crisis(parameters, 0)  # warm caches and imports

    bare, recorded, crisis = [], [], []
    for seed in range(args.repeats):
        bare.append(time_reform(seed, False) * 1e3)
        recorded.append(time_reform(seed, True) * 1e3)
        crisis.append(time_crisis(parameters, seed) * 1e3)
    typical = [time_default(seed) * 1e3 for seed in range(args.repeats)]
    c = statistics.median(crisis)
    print(f"medians over {args.repeats} seeds, timed in turn")
    print(f"  crisis run (baltic) to its outcome, no series  : {c:7.2f} ms")
    for label, times in (("reform, 24 rounds, outcome only (as a sweep)", bare),
                         ("reform, 24 rounds, with rounds table (CLI) ", recorded)):
        m = statistics.median(times)
        print(f"  {label}: {m:7.2f} ms  -> reform / crisis = {m / c:.2f}")
    m = statistics.median(typical)
    print(f"  reform at the default package, outcome only   : {m:7.2f} ms  -> reform / crisis "
          f"= {m / c:.2f} (it usually ends within a few rounds)")


if __name__ == "__main__":
    main()
