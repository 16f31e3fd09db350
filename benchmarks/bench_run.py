"""Benchmark of one full run of the `baltic` scenario: the unit every sweep repeats.

Prints the median time of a run of `max_days` days (120 by default) with every state
deciding every day, and its breakdown into model construction, stepping and data
collection, each against the 20 ms budget of model version 2 (issue 9).
Runs are stepped for the whole window even when the crisis ends earlier, so the figure
is the worst case; the time to the outcome (what sweeps usually pay) is printed too.

    python benchmarks/bench_run.py [--repeats 200]
"""

from __future__ import annotations

import argparse
import statistics
import time

from wargame.model import CrisisModel
from wargame.scenario import load_scenario

BUDGET_MS = 20.0


def timed_full_window(parameters: dict, seed: int, collect: bool) -> tuple[float, float, float]:
    """(construction, stepping, collection) seconds for one run of the whole window."""
    start = time.perf_counter()
    model = CrisisModel(**parameters, rng=seed, collect_series=collect)
    built = time.perf_counter()
    collecting = 0.0
    if collect:  # time the series' share of each step separately
        original = model._collect

        def timed_collect():
            nonlocal collecting
            t0 = time.perf_counter()
            original()
            collecting += time.perf_counter() - t0

        model._collect = timed_collect
    for _ in range(parameters["max_days"]):
        model.step()
    done = time.perf_counter()
    return built - start, done - built - collecting, collecting


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=200, help="runs per measurement")
    args = parser.parse_args()
    parameters = load_scenario("baltic").parameters
    CrisisModel(**parameters, rng=0).run()  # warm caches: roster, imports

    phases = [timed_full_window(parameters, seed, collect=True) for seed in range(args.repeats)]
    totals = [sum(p) * 1e3 for p in phases]
    construction = statistics.median(p[0] for p in phases) * 1e3
    stepping = statistics.median(p[1] for p in phases) * 1e3
    collection = statistics.median(p[2] for p in phases) * 1e3
    bare = [sum(timed_full_window(parameters, seed, collect=False)) * 1e3
            for seed in range(args.repeats)]
    to_outcome = []
    for seed in range(args.repeats):
        start = time.perf_counter()
        CrisisModel(**parameters, rng=seed, collect_series=False).run()
        to_outcome.append((time.perf_counter() - start) * 1e3)

    median = statistics.median(totals)
    print(f"baltic, {parameters['max_days']} days, {args.repeats} runs each, "
          f"budget {BUDGET_MS:.0f} ms per run")
    print(f"  full window with per-day series : median {median:6.2f} ms  "
          f"(p90 {statistics.quantiles(totals, n=10)[-1]:.2f} ms)  "
          f"= {median / BUDGET_MS:.2f} x budget")
    print(f"    construction                  : {construction:6.2f} ms  "
          f"({construction / median:.0%})")
    print(f"    stepping (decisions, combat)  : {stepping:6.2f} ms  ({stepping / median:.0%})")
    print(f"    data collection               : {collection:6.2f} ms  "
          f"({collection / median:.0%})")
    bare_median = statistics.median(bare)
    print(f"  full window, no series          : median {bare_median:6.2f} ms  "
          f"= {bare_median / BUDGET_MS:.2f} x budget")
    outcome_median = statistics.median(to_outcome)
    print(f"  to the outcome, no series       : median {outcome_median:6.2f} ms  "
          f"= {outcome_median / BUDGET_MS:.2f} x budget")


if __name__ == "__main__":
    main()
