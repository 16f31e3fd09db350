"""Benchmark of a crisis setup for a new input set: what every point of a sweep and every
parameter set of a calibration pays before its runs.

A setup is rebuilt whenever an input changes (the calibration changes six of them every
time). The land routes of its ~35 helpers depend on geography alone and are cached, as is
each country's route point; the baseline, measured in the same process, runs the same
setups with both functions unwrapped from their caches, as the code was before. Prints the
median time of each and their ratio.

    python benchmarks/bench_setup.py [--repeats 30] [--scenario cyprus]
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Iterator
from contextlib import contextmanager

from wargame import crisis_setup, geography
from wargame.model import CrisisModel
from wargame.scenario import load_scenario


def construction_ms(parameters: dict, value: float) -> float:
    """Milliseconds to build a model whose `barrier_forces` is `value` (a new input set)."""
    start = time.perf_counter()
    CrisisModel(**{**parameters, "barrier_forces": value}, rng=0, collect_series=False,
                keep_log=False)
    return (time.perf_counter() - start) * 1e3


@contextmanager
def uncached_routes() -> Iterator[None]:
    """The route functions as they were before caching (the baseline)."""
    cached = geography.land_route_km, geography._anchor
    geography.land_route_km = geography.land_route_km.__wrapped__
    geography._anchor = geography._anchor.__wrapped__
    crisis_setup.land_route_km = geography.land_route_km
    try:
        yield
    finally:
        geography.land_route_km, geography._anchor = cached
        crisis_setup.land_route_km = geography.land_route_km


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=30, help="setups per measurement")
    parser.add_argument("--scenario", default="cyprus", help="shipped scenario to set up")
    args = parser.parse_args()
    parameters = load_scenario(args.scenario).parameters
    CrisisModel(**parameters, rng=0).run()  # warm the other caches: roster, outlines
    values = [0.2 + 0.001 * i for i in range(2 * args.repeats)]
    with uncached_routes():
        cold = [construction_ms(parameters, v) for v in values[::2]]
    warm = [construction_ms(parameters, v) for v in values[1::2]]
    cold_ms, warm_ms = statistics.median(cold), statistics.median(warm)
    print(f"{args.scenario}: setup of a new input set, median of {args.repeats}")
    print(f"  routes recomputed (baseline): {cold_ms:7.1f} ms")
    print(f"  routes cached:                {warm_ms:7.1f} ms")
    print(f"  speed-up:                     {cold_ms / warm_ms:7.1f} x")


if __name__ == "__main__":
    main()
