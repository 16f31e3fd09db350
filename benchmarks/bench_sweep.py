"""Sweep runner vs mesa.batch_run: the same design, the same number of processes, one invocation.

Each measurement runs in its own Python subprocess (batch_run forces the spawn start
method for its whole process, and peak memory must not carry over), while this process
samples the resident memory of that subprocess and all its workers every 20 ms.
Printed per run count: runs/s of each, their ratio, peak memory of each (summed over the
process tree), the runner's parallel efficiency (in-worker model seconds / (wall seconds x
workers)) and the runner's runs/s with 1 and 2 workers. docs/benchmarks.md records results.

    .venv/bin/python benchmarks/bench_sweep.py                 # 1,000 runs
    .venv/bin/python benchmarks/bench_sweep.py --runs 1000 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LEVELS = {
    "us_commitment": [0.0, 0.25, 0.5, 0.75, 1.0],
    "eu_financing": [0.0, 0.75],
    "governance": ["nato_us_led", "art427_only"],
}
POINTS = 5 * 2 * 2
SEED = 20261123


def sweep_toml(replications: int, keep_series: bool) -> str:
    levels = "\n".join(f"{name} = {json.dumps(values)}" for name, values in LEVELS.items())
    return (f'scenario = "baltic"\nreplications = {replications}\nbase_seed = {SEED}\n'
            f"keep_series = {str(keep_series).lower()}\n[design]\nkind = \"grid\"\n"
            f"[design.levels]\n{levels}\n")


# --- the measured variants, each run in a fresh subprocess -------------------------------------
def measure_batch_run(replications: int, workers: int) -> dict:
    """mesa.batch_run over the same grid; one entry of `rng` per replication."""
    from mesa.batchrunner import batch_run

    from wargame.model import CrisisModel
    from wargame.scenario import load_scenario

    parameters = {**load_scenario("baltic").parameters, **LEVELS}
    seeds = [SEED + r for r in range(replications)]
    start = time.perf_counter()
    rows = batch_run(CrisisModel, parameters, number_processes=workers, rng=seeds,
                     display_progress=False)
    wall = time.perf_counter() - start
    runs = len({(row["RunId"]) for row in rows})
    return {"runs": runs, "wall": wall}


def measure_runner(replications: int, workers: int, keep_series: bool) -> dict:
    from wargame.sweep.design import design_points
    from wargame.sweep.execute import run_sweep
    from wargame.sweep.spec import load_sweep

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.toml"
        path.write_text(sweep_toml(replications, keep_series))
        spec = load_sweep(str(path))
        start = time.perf_counter()
        result = run_sweep(spec, design_points(spec), Path(tmp) / "out", workers=workers,
                           progress=False)
        wall = time.perf_counter() - start
    assert result.status == "complete", result
    return {"runs": result.completed, "wall": wall, "model_seconds": result.model_seconds,
            "efficiency": result.model_seconds / (result.wall_seconds * workers)}


def _tree_rss_mb(pid: int) -> float:
    """Resident memory of a process and all its descendants, in MB (Linux /proc)."""
    total, stack = 0, [pid]
    while stack:
        current = stack.pop()
        try:
            for line in Path(f"/proc/{current}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
            for task in Path(f"/proc/{current}/task").iterdir():
                stack.extend(int(c) for c in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total / 1024


def run_variant(variant: str, replications: int, workers: int) -> dict:
    """Run one measurement in a subprocess; add the peak memory of its process tree."""
    process = subprocess.Popen(
        [sys.executable, __file__, "--variant", variant, "--replications", str(replications),
         "--workers", str(workers)],
        cwd=REPO, stdout=subprocess.PIPE, text=True,
    )
    peak = 0.0

    def sample() -> None:
        nonlocal peak
        while process.poll() is None:
            peak = max(peak, _tree_rss_mb(process.pid))
            time.sleep(0.02)

    sampler = threading.Thread(target=sample)
    sampler.start()
    out, _ = process.communicate()
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{variant} failed with status {process.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak
    result["runs_per_s"] = result["runs"] / result["wall"]
    return result


def median_trial(trials: list[dict]) -> dict:
    """The trial with the median throughput, carrying the highest peak memory seen."""
    ordered = sorted(trials, key=lambda t: t["runs_per_s"])
    return {**ordered[len(ordered) // 2], "peak_mb": max(t["peak_mb"] for t in trials)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, nargs="+", default=[1000],
                        help=f"sweep sizes (multiples of {POINTS} design points)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repeats per size")
    parser.add_argument("--variant", help=argparse.SUPPRESS)
    parser.add_argument("--replications", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.variant:  # inside a measurement subprocess
        if args.variant == "batch_run":
            result = measure_batch_run(args.replications, args.workers)
        else:
            result = measure_runner(args.replications, args.workers,
                                    keep_series=args.variant == "runner+series")
        print(json.dumps(result))
        return

    print(f"design: {POINTS} points (Baltic case, {' x '.join(LEVELS)}), "
          f"{args.workers} processes for both; machine: {os.cpu_count()} cores, "
          f"load average {os.getloadavg()[0]:.2f} (other work skews all figures)")
    for runs in args.runs:
        replications = max(1, runs // POINTS)
        variants = [("batch_run", args.workers), ("runner", args.workers),
                    ("runner+series", args.workers), ("runner", 1)]
        # interleaved repeats, medians: load from other processes hits every variant alike
        trials = {v: [] for v in variants}
        for _ in range(args.repeat):
            for variant, workers in variants:
                trials[variant, workers].append(run_variant(variant, replications, workers))
        mesa, runner, series, one = (median_trial(trials[v]) for v in variants)
        n = replications * POINTS
        print(f"\n{n} runs (median of {args.repeat}; peak memory: the highest)")
        print(f"  mesa.batch_run     {mesa['runs_per_s']:8.1f} runs/s  peak "
              f"{mesa['peak_mb']:6.0f} MB")
        print(f"  runner             {runner['runs_per_s']:8.1f} runs/s  peak "
              f"{runner['peak_mb']:6.0f} MB  ratio {runner['runs_per_s'] / mesa['runs_per_s']:.2f}x"
              f"  efficiency {runner['efficiency']:.2f}")
        print(f"  runner + series    {series['runs_per_s']:8.1f} runs/s  peak "
              f"{series['peak_mb']:6.0f} MB  ratio {series['runs_per_s'] / mesa['runs_per_s']:.2f}x"
              f"  efficiency {series['efficiency']:.2f}")
        print(f"  runner, 1 worker   {one['runs_per_s']:8.1f} runs/s  "
              f"(2 workers: {runner['runs_per_s'] / one['runs_per_s']:.2f}x)  "
              f"load average now {os.getloadavg()[0]:.2f}")

if __name__ == "__main__":
    main()
