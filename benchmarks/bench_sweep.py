"""Sweep runner vs mesa.batch_run: the same design, the same number of processes, one invocation.

Each measurement runs in its own Python subprocess (batch_run forces the spawn start
method for its whole process, and peak memory must not carry over), while this process
samples the resident memory of that subprocess and all its workers every 20 ms and times
the subprocess from the outside: that wall time includes interpreter start-up and every
import, as a user waits for it.

Printed per run count:
- start-up included: `wargame sweep FILE --workers 2 --quiet` (the CLI, as users run it)
  against a fresh Python process that imports Mesa and the model and calls batch_run;
  runs/s of each from the outside wall time, and their ratio;
- in-process (start-up excluded): runs/s of run_sweep and of batch_run, their ratio, peak
  memory (summed over the process tree), the runner's parallel efficiency (in-worker model
  seconds / (wall seconds x workers)) and its runs/s with 1 and 2 workers;
- the fixed cost of a sweep: the wall time of a 2-run `wargame sweep` (median of --repeat),
  and of `wargame --help` for scale.
Next to each outside wall time is the CPU time (user + system) of the whole process tree:
on a machine shared with other work the wall time moves with the load, the CPU time much
less, and its ratio is what the wall ratio would be on two otherwise idle cores as long as
both sides keep two cores busy. Each trial's wall and CPU ratios are printed too, in order,
with the load average at the start of its batch_run. docs/benchmarks.md records results.

    .venv/bin/python benchmarks/bench_sweep.py                 # 4,000 runs
    .venv/bin/python benchmarks/bench_sweep.py --runs 1000 10000 --repeat 3
"""

from __future__ import annotations

import argparse
import json
import os
import resource
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


def _children_cpu() -> float:
    """CPU seconds (user + system) of every finished, waited-for descendant so far."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


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
    """Run one measurement in a subprocess; add the peak memory of its process tree and
    the wall time seen from outside (start-up included)."""
    load = os.getloadavg()[0]
    if variant == "cli":
        return {**run_cli_sweep(replications, workers), "load": load}
    cpu = _children_cpu()
    start = time.perf_counter()
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
    total = time.perf_counter() - start
    sampler.join()
    if process.returncode:
        raise SystemExit(f"{variant} failed with status {process.returncode}")
    result = json.loads(out.strip().splitlines()[-1])
    result["peak_mb"] = peak
    result["runs_per_s"] = result["runs"] / result["wall"]
    result["total"] = total
    result["total_runs_per_s"] = result["runs"] / total
    result["cpu"] = _children_cpu() - cpu
    result["load"] = load
    return result


def run_cli_sweep(replications: int, workers: int) -> dict:
    """`wargame sweep` as a user runs it, timed from outside: start-up included."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.toml"
        path.write_text(sweep_toml(replications, keep_series=False))
        command = [sys.executable, "-m", "wargame.cli", "sweep", str(path), "--out",
                   str(Path(tmp) / "out"), "--workers", str(workers), "--quiet"]
        cpu = _children_cpu()
        start = time.perf_counter()
        subprocess.run(command, cwd=REPO, check=True, stdout=subprocess.DEVNULL)
        total = time.perf_counter() - start
        cpu = _children_cpu() - cpu
        manifest = json.loads((Path(tmp) / "out" / "manifest.json").read_text())
    assert manifest["status"] == "complete", manifest["status"]
    runs = manifest["completed_runs"]
    return {"runs": runs, "total": total, "total_runs_per_s": runs / total, "cpu": cpu}


def fixed_cost(repeat: int, workers: int) -> tuple[float, float, float]:
    """Median wall seconds of a 2-run `wargame sweep`, its median CPU seconds, and the
    median wall seconds of `wargame --help`."""
    sweeps, cpus, helps = [], [], []
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "two.toml"
        path.write_text('scenario = "baltic"\nreplications = 1\nbase_seed = 1\n[design]\n'
                        'kind = "grid"\n[design.levels]\nus_commitment = [0.0, 1.0]\n')
        for i in range(repeat):
            cpu = _children_cpu()
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "wargame.cli", "sweep", str(path), "--out",
                            str(Path(tmp) / f"out{i}"), "--workers", str(workers), "--quiet"],
                           cwd=REPO, check=True, stdout=subprocess.DEVNULL)
            sweeps.append(time.perf_counter() - start)
            cpus.append(_children_cpu() - cpu)
            start = time.perf_counter()
            subprocess.run([sys.executable, "-m", "wargame.cli", "--help"], cwd=REPO, check=True,
                           stdout=subprocess.DEVNULL)
            helps.append(time.perf_counter() - start)
    def median(values: list[float]) -> float:
        return sorted(values)[len(values) // 2]

    return median(sweeps), median(cpus), median(helps)


def median_trial(trials: list[dict]) -> dict:
    """The trial with the median throughput, carrying the highest peak memory seen."""
    key = "runs_per_s" if "runs_per_s" in trials[0] else "total_runs_per_s"
    ordered = sorted(trials, key=lambda t: t[key])
    return {**ordered[len(ordered) // 2], "peak_mb": max(t.get("peak_mb", 0) for t in trials)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, nargs="+", default=[4000],
                        help=f"sweep sizes (multiples of {POINTS} design points)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=3, help="interleaved repeats per size")
    parser.add_argument("--startup-only", action="store_true",
                        help="only the start-up-included pair (batch_run and `wargame sweep`)")
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
    sweep_s, sweep_cpu, help_s = fixed_cost(max(3, args.repeat), args.workers)
    print(f"fixed cost: a 2-run `wargame sweep` takes {sweep_s:.2f} s (median; CPU "
          f"{sweep_cpu:.2f} s); `wargame --help` {help_s:.2f} s")
    for runs in args.runs:
        replications = max(1, runs // POINTS)
        variants = [("batch_run", args.workers), ("cli", args.workers), ("runner", args.workers),
                    ("runner+series", args.workers), ("runner", 1)]
        if args.startup_only:
            variants = variants[:2]
        # interleaved repeats, medians: load from other processes hits every variant alike
        trials = {v: [] for v in variants}
        for _ in range(args.repeat):
            for variant, workers in variants:
                trials[variant, workers].append(run_variant(variant, replications, workers))
        mesa, cli = (median_trial(trials[v]) for v in variants[:2])
        n = replications * POINTS
        mesa_total = sorted(trials["batch_run", args.workers],
                            key=lambda t: t["total_runs_per_s"])[args.repeat // 2]
        print(f"\n{n} runs, start-up included (median of {args.repeat}, outside wall time)")
        cpu_mesa = sorted(t["cpu"] for t in trials["batch_run", args.workers])[args.repeat // 2]
        cpu_cli = sorted(t["cpu"] for t in trials["cli", args.workers])[args.repeat // 2]
        print(f"  mesa.batch_run     {mesa_total['total_runs_per_s']:8.1f} runs/s  "
              f"{mesa_total['total']:6.2f} s  CPU {cpu_mesa:6.2f} s")
        print(f"  wargame sweep      {cli['total_runs_per_s']:8.1f} runs/s  {cli['total']:6.2f} s"
              f"  CPU {cpu_cli:6.2f} s  ratio "
              f"{cli['total_runs_per_s'] / mesa_total['total_runs_per_s']:.2f}x "
              f"(CPU {cpu_mesa / cpu_cli:.2f}x)")
        pairs = zip(trials["batch_run", args.workers], trials["cli", args.workers], strict=True)
        per_trial = [f"{c['total_runs_per_s'] / m['total_runs_per_s']:.2f}x wall / "
                     f"{m['cpu'] / c['cpu']:.2f}x CPU (load {m['load']:.1f})" for m, c in pairs]
        print(f"  per trial, in order (side by side): {'; '.join(per_trial)}; "
              f"load average now {os.getloadavg()[0]:.2f}")
        if args.startup_only:
            continue
        runner, series, one = (median_trial(trials[v]) for v in variants[2:])
        print(f"\n{n} runs in process (median of {args.repeat}; peak memory: the highest)")
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
