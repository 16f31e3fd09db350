"""Every crisis-model number the README quotes, recomputed from the experiment that gives it.

Why: the README's sections "Which assumptions matter most", "The crisis model (version 3)
in one paragraph" and "The reform, then the crisis" quote numbers that throwaway scripts
computed. This script reruns each experiment and prints each number beside its 95%
interval and the experiment behind it, so that every number is traceable to a command and
a rerun after a model change gives the new ones in one place (OUT_DIR/readme_numbers.md).

- Shipped sweeps (headline, reform, assumptions) run through `wargame.sweep.api.sweep`
  into OUT_DIR/<name>-<seeds>; a complete folder is read as it is, a partial one resumed.
- "Seeds 0-199" means runs with seed = 0 ... 199, each exactly `wargame run SCENARIO --seed
  S --set ...` (`CrisisModel.from_scenario(..., rng=S)`); they are kept per cell in
  OUT_DIR/seeds/ and only missing seeds are run on a rerun. Neither kind of cache knows
  the model's version: after a model change, use a new OUT_DIR.
- Shares: Wilson 95% (`wargame.figures.stats.wilson`; pooled over a sweep's cells, the
  effective n of seeds as clusters, `SweepData.share`). A paired difference of P(defeated)
  in one cell, one yes-or-no pair per seed: Newcombe's interval for paired shares
  (`newcombe_paired`); averaged over several cells of a sweep: the mean of the
  per-replication differences with its Student-t 95% interval.

    python analysis/readme_numbers.py OUT_DIR [--workers N] [--seeds N] [--skip-screening]

`--seeds N` runs every experiment on N seeds instead of its README size (200; 400 for the
US channel; the sweep file's replications: 200 headline, 1,000 reform); the screening
always runs as shipped (93,000 runs, about 7 minutes on 2 cores).
"""

from __future__ import annotations

import argparse
import json
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

import pandas as pd

from wargame.api import SweepData, load_sweep
from wargame.config_files import resolve
from wargame.figures.stats import newcombe_paired, wilson
from wargame.inputs import DEFAULTS
from wargame.model import CrisisModel
from wargame.outcomes import OUTCOME_NAMES
from wargame.outputs import run_outputs
from wargame.scenario import load_scenario, read_toml
from wargame.sweep.api import sweep
from wargame.validation import measures

REGIMES = ("nato_us_led", "eu_led_nato", "art427_only")  # the README's reading order
CHANNEL = (0.25, 0.5, 0.75, 1.0)  # us_channel_cooperation levels of the README bullet
SIZES = {"seeds": 200, "channel": 400}  # seeds 0 .. N-1 of the README's run-by-seed numbers


def sweep_folder(name: str, out: Path, workers: int, seeds: int | None,
                 posterior: bool = False) -> SweepData:
    """The shipped sweep `name` (with `seeds` replications if given; with `posterior`,
    replication r at the r-th draw of the shipped posterior, docs/SWEEPS.md "Over the
    posterior") in out/<name>[-posterior]-<n>: read if complete, resumed if partial, else
    run."""
    config = read_toml(resolve("sweeps", name))
    config["replications"] = seeds or config["replications"]
    if posterior:
        config["posterior"] = True
    folder = out / f"{name}{'-posterior' if posterior else ''}-{config['replications']}"
    manifest = folder / "manifest.json"
    status = json.loads(manifest.read_text())["status"] if manifest.exists() else None
    if status != "complete":
        sweep(config, folder, name=name, workers=workers, resume=status is not None)
    return load_sweep(folder)


def _one_run(task: tuple[str, int, dict[str, Any]]) -> dict[str, Any]:
    """One run's outputs, exactly those of `wargame run SCENARIO --seed SEED --set ...`."""
    scenario, seed, inputs = task
    model = CrisisModel.from_scenario(scenario, rng=seed, collect_series=False,
                                      keep_log=False, **inputs).run()
    outputs = {k: v for k, v in run_outputs(model).items() if not k.startswith("reform_")}
    return {"seed": seed, **outputs}


def seed_runs(out: Path, workers: int, scenario: str, n: int, **inputs: Any) -> pd.DataFrame:
    """Runs of `scenario` with `inputs` on seeds 0 .. n-1, one row per seed, cached in
    out/seeds/ (a rerun runs only the seeds missing)."""
    own = load_scenario(scenario).parameters
    key = "_".join(f"{k}={v}" for k, v in sorted(inputs.items()) if own.get(k) != v)
    path = out / "seeds" / f"{scenario}_{key or 'scenario'}.parquet"
    done = pd.read_parquet(path) if path.exists() else None
    have = set() if done is None else set(done["seed"])
    tasks = [(scenario, s, inputs) for s in range(n) if s not in have]
    if tasks:
        if workers > 1:
            with ProcessPoolExecutor(workers) as pool:
                rows = list(pool.map(_one_run, tasks, chunksize=8))
        else:
            rows = [_one_run(task) for task in tasks]
        new = pd.DataFrame(rows)
        done = new if done is None else pd.concat([done, new], ignore_index=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        done.sort_values("seed").to_parquet(path.with_suffix(".tmp"), index=False)
        path.with_suffix(".tmp").replace(path)
    return done[done["seed"] < n].sort_values("seed").reset_index(drop=True)


def seeds_text(scenario: str, n: int, **inputs: Any) -> str:
    """The command each of these runs is."""
    sets = " ".join(f"--set {k}={v}" for k, v in inputs.items())
    return f"`wargame run {scenario} --seed S {sets}`, S = 0 ... {n - 1}"


def share(flags: pd.Series) -> str:
    """'39% [32%, 45%] (78 of 200)': the share of true flags, Wilson 95%."""
    k, n = int(flags.sum()), len(flags)
    lo, hi = wilson(k, n)
    return f"{k / n:.0%} [{lo:.0%}, {hi:.0%}] ({k} of {n})"


def defeated(runs: pd.DataFrame) -> pd.Series:
    """Which runs ended in defeat."""
    return runs["outcome"] == "defeated"


def paired(before: pd.DataFrame, after: pd.DataFrame, on: str) -> str:
    """Paired difference in P(defeated), after - before, in points, with Newcombe's 95%
    interval for paired shares (a t interval is too narrow where few pairs differ)."""
    both = before.merge(after, on=on, suffixes=("_0", "_1"), validate="one_to_one")
    diff, lo, hi = newcombe_paired((both["outcome_0"] == "defeated").to_numpy(),
                                   (both["outcome_1"] == "defeated").to_numpy())
    return f"{100 * diff:+.1f} points [{100 * lo:+.1f}, {100 * hi:+.1f}] ({len(both)} pairs)"


def headline(data: SweepData, out: Path, workers: int, n: int) -> list[str]:
    """P(defeated) in the six cells on the sweep's seeds and on seeds 0 .. n-1; outcome
    shares, defeats and how fast they come over the whole sweep; P(defeated) by financing."""
    cells = data.share("defeated", by=["governance", "us_commitment", "eu_financing"])
    lines = [f"Experiment: `wargame sweep headline` ({data.manifest['citation']}), folder "
             f"{data.path}", "", "P(defeated) at eu_financing 0, Wilson 95%:", "",
             "| governance | u | headline sweep | seeds 0-" + f"{n - 1} |", "|---|---|---|---|"]
    for regime in REGIMES:
        for u in (0.0, 1.0):
            row = cells[(cells.governance == regime) & (cells.us_commitment == u)
                        & (cells.eu_financing == 0.0)].iloc[0]
            mine = seed_runs(out, workers, "baltic", n, governance=regime, us_commitment=u,
                             eu_financing=0.0)
            lines.append(f"| {regime} | {u:g} | {row.share:.0%} [{row.low:.0%}, "
                         f"{row.high:.0%}] ({row['count']:g} of {row.runs:.0f}) | "
                         f"{share(defeated(mine))} |")
    command_line = seeds_text("baltic", n, governance="G", us_commitment="U", eu_financing=0.0)
    lines += ["", f"Seeds 0-{n - 1}: {command_line}.", "",
              "Over the whole headline sweep (effective n of seeds as clusters):", ""]
    for outcome in OUTCOME_NAMES:
        row = data.share(outcome).iloc[0]
        lines.append(f"- P({outcome}): {row.share:.1%} [{row.low:.1%}, {row.high:.1%}] "
                     f"({row['count']:,.0f} of {row.runs:,.0f} runs)")
    runs = data.full_runs
    lost = runs[defeated(runs)]
    alone = lost[lost["reinforcements_arrived"] == 0]
    none = measures.by_replication_mean(runs, (runs["reinforcements_arrived"] == 0).where(
        defeated(runs)))
    days = (lost["day_defeat"] - lost["day_armed_attack"]).dropna()
    pledged = alone["peak_pledged_troops"]
    lines += [f"- defeats: {len(lost):,} of {len(runs):,} runs",
              f"- defeats with no reinforcement arrived (`reinforcements_arrived` == 0): "
              f"{none.value:.1%} [{none.low:.1%}, {none.high:.1%}] ({len(alone):,} of "
              f"{len(lost):,}; interval clustered by seed)",
              f"- median `peak_pledged_troops` in them: {pledged.median():,.0f} (quartiles "
              f"{pledged.quantile(0.25):,.0f}-{pledged.quantile(0.75):,.0f})",
              f"- median days from armed attack to defeat (`day_defeat - day_armed_attack`): "
              f"{days.median():g} (quartiles {days.quantile(0.25):g}-{days.quantile(0.75):g}; "
              f"{len(days):,} defeats)", "", "P(defeated) by eu_financing, pooled:", ""]
    for row in data.share("defeated", by="eu_financing").itertuples():
        lines.append(f"- eu_financing {row.eu_financing:g}: {row.share:.1%} [{row.low:.1%}, "
                     f"{row.high:.1%}] ({row.runs:,.0f} runs, effective n {row.n:,.0f})")
    top = max(runs["eu_financing"])
    moved = measures.paired(runs, "eu_financing", 0.0, top, defeated(runs),
                            ["governance", "us_commitment"])
    return [*lines, f"- eu_financing {top:g} - 0, paired within each replication and cell: "
            f"{100 * moved.value:+.2f} points [{100 * moved.low:+.2f}, {100 * moved.high:+.2f}] "
            f"({moved.n} replications, t interval)"]


def over_posterior(point: SweepData, drawn: SweepData) -> list[str]:
    """The headline's answers at the calibrated point and over the posterior: P(defeated)
    and P(deterred) per regime and u at no financing, and the US step u 0 -> 1, paired."""
    lines = [f"Experiment: `wargame sweep headline --posterior` ({drawn.manifest['citation']}), "
             f"folder {drawn.path}: replication r of every cell runs with the r-th of "
             f"{drawn.manifest['replications']} parameter sets drawn by weight from the "
             "shipped posterior (docs/SWEEPS.md, \"Over the posterior\"); the point is "
             f"`wargame sweep headline` ({point.path}). Wilson 95%, at eu_financing 0:", "",
             "| governance | u | P(defeated) at the point | over the posterior "
             "| P(deterred) at the point | over the posterior |", "|---|---|---|---|---|---|"]
    by = ["governance", "us_commitment", "eu_financing"]
    tables = {outcome: (point.share(outcome, by=by), drawn.share(outcome, by=by))
              for outcome in ("defeated", "deterred")}

    def cell(table: pd.DataFrame, regime: str, u: float) -> str:
        row = table[(table.governance == regime) & (table.us_commitment == u)
                    & (table.eu_financing == 0.0)].iloc[0]
        return f"{row.share:.0%} [{row.low:.0%}, {row.high:.0%}]"

    for regime in REGIMES:
        for u in (0.0, 1.0):
            lines.append(f"| {regime} | {u:g} | " + " | ".join(
                cell(table, regime, u) for outcome in ("defeated", "deterred")
                for table in tables[outcome]) + " |")
    same = point.full_runs.merge(drawn.full_runs, on=["run_id", "seed"], validate="one_to_one")
    agree = (same["outcome_x"] == same["outcome_y"]).mean()
    lines += ["", f"Same outcome at the point and over the posterior (same run id and seed): "
              f"{agree:.1%} of {len(same):,} runs.", "",
              "The US step, P(defeated) at u = 1 minus u = 0, paired by replication within "
              "each regime and financing level:", ""]
    for label, data in (("at the point", point), ("over the posterior", drawn)):
        runs = data.full_runs
        step = measures.paired(runs, "us_commitment", 0.0, 1.0, defeated(runs),
                               ["governance", "eu_financing"])
        lines.append(f"- {label}: {100 * step.value:+.1f} points [{100 * step.low:+.1f}, "
                     f"{100 * step.high:+.1f}] ({step.n} replications)")
    return lines


def costs(data: SweepData) -> list[str]:
    """What each outcome costs on the headline sweep (`wargame plot costs`): mean troops
    lost per run by side, one mean per regime, with its interval (seeds as clusters)."""
    from wargame.figures.costs import SIDES, costs_table
    from wargame.figures.load import load_results

    table = costs_table(load_results(data.path), "governance")
    lines = [f"Experiment: `wargame plot costs {data.path}` (costs.csv): mean troops lost per "
             "run in the runs that ended in each outcome, Student-t 95% with each seed's "
             "runs as a cluster, by regime (nato_us_led; eu_led_nato; art427_only):", ""]
    for outcome in OUTCOME_NAMES:
        part = table[table.outcome == outcome]
        if part.empty:
            continue
        seeds = int(part["n"].max())
        lines.append(f"- {outcome} ({int(part[part.side == SIDES[0][0]]['runs'].sum()):,} "
                     f"runs, at most {seeds} seeds a regime):")
        for side, title in SIDES:
            rows = part[part.side == side].set_index("governance").reindex(list(REGIMES))
            means = "; ".join(f"{r.mean:,.0f} [{r.lo:,.0f}, {r.hi:,.0f}]"
                              for r in rows.itertuples())
            lines.append(f"  - {title}: {means} (range of the means "
                         f"{rows['mean'].min():,.0f}-{rows['mean'].max():,.0f})")
    return lines


def poland(out: Path, workers: int, n: int) -> list[str]:
    """Full EU financing against none in Poland at u = 0 under today's NATO, paired by seed,
    at the scenario's loss_tolerance and at the registry default."""
    own, default = load_scenario("poland").parameters["loss_tolerance"], DEFAULTS["loss_tolerance"]
    lines = []
    for label, tolerance in ((f"scenario's {own:g}", own), (f"registry default {default:g}",
                                                             default)):
        at = {f: seed_runs(out, workers, "poland", n, governance="nato_us_led",
                           us_commitment=0.0, eu_financing=f, loss_tolerance=tolerance)
              for f in (0.0, 1.0)}
        command_line = seeds_text("poland", n, governance="nato_us_led", us_commitment=0.0,
                                  eu_financing="F", loss_tolerance=tolerance)
        lines += [f"- loss_tolerance {label}: P(defeated) {share(defeated(at[0.0]))} at "
                  f"financing 0, {share(defeated(at[1.0]))} at 1; difference 1 - 0 "
                  f"{paired(at[0.0], at[1.0], 'seed')}; median `days` "
                  f"{at[0.0]['days'].median():g} at 0 and {at[1.0]['days'].median():g} at 1",
                  f"  ({command_line})"]
    return lines


def channel(out: Path, workers: int, n: int) -> list[str]:
    """P(defeated) under EU-led NATO at u = 1 over the share of US commitment reaching the
    theatre, against today's NATO at u = 1 and 0.5 on the same seeds."""
    lines = [f"Baltic, eu_financing 0, seeds 0-{n - 1} (Wilson 95%):", ""]
    for level in CHANNEL:
        runs = seed_runs(out, workers, "baltic", n, governance="eu_led_nato", us_commitment=1.0,
                         eu_financing=0.0, us_channel_cooperation=level)
        lines.append(f"- eu_led_nato, u = 1, us_channel_cooperation {level:g}: "
                     f"{share(defeated(runs))}")
    for u in (1.0, 0.5):
        runs = seed_runs(out, workers, "baltic", n, governance="nato_us_led", us_commitment=u,
                         eu_financing=0.0)
        lines.append(f"- nato_us_led, u = {u:g}: {share(defeated(runs))}")
    return [*lines, "", seeds_text("baltic", n, governance="G", us_commitment="U",
                                   eu_financing=0.0, us_channel_cooperation="C") + "."]


def command(out: Path, workers: int, n: int) -> list[str]:
    """Art. 42.7 alone with the EU's command as integrated as NATO's against today's NATO
    at u = 0, seed by seed."""
    nato = load_scenario("baltic").parameters["nato_command_integration"]
    base = {"us_commitment": 0.0, "eu_financing": 0.0}
    today = seed_runs(out, workers, "baltic", n, governance="nato_us_led", **base)
    integrated = seed_runs(out, workers, "baltic", n, governance="art427_only",
                           command_integration=nato, **base)
    own = seed_runs(out, workers, "baltic", n, governance="art427_only", **base)
    same = int((today["outcome"] == integrated["outcome"]).sum())
    return [f"- same outcome in {same} of {n} seeds (art427_only with command_integration "
            f"{nato:g}, NATO's `nato_command_integration`, vs nato_us_led)",
            f"- P(defeated): art427_only integrated {share(defeated(integrated))}, nato_us_led "
            f"{share(defeated(today))}, art427_only with its default command "
            f"({DEFAULTS['command_integration']:g}) {share(defeated(own))}", "",
            seeds_text("baltic", n, governance="G", us_commitment=0.0, eu_financing=0.0,
                       command_integration="I") + "."]


def reform(data: SweepData) -> list[str]:
    """P(defeated) today against with each package, paired by replication, over all runs
    and over those where the package is adopted."""
    runs = data.runs
    today = runs[(runs.governance == "nato_us_led") & ~runs.treaty_change]
    twin = runs[(runs.governance == "nato_us_led") & runs.treaty_change]
    pairs = today.merge(twin, on="replication", suffixes=("", "_twin"), validate="one_to_one")
    same = int((pairs["outcome"] == pairs["outcome_twin"]).sum())
    lines = [f"Experiment: `wargame sweep reform` ({data.manifest['citation']}), folder "
             f"{data.path}. Today's arm ignores treaty_change (its two cells agree in {same} "
             f"of {len(today)} replications): each replication's today run is paired with "
             "its reform run of each package.", ""]
    for treaty, name in ((False, "non-treaty"), (True, "treaty")):
        arm = runs[(runs.governance == "reform") & (runs.treaty_change == treaty)]
        counts = ", ".join(f"{k} {v}" for k, v in
                           arm["reform_outcome"].value_counts().items() if v)
        adopted = arm[arm["reform_outcome"] == "adopted"]
        paired_today = today[today.replication.isin(adopted.replication)]
        lines += [f"- {name} package ({counts}):",
                  f"  - all {len(arm)} runs: today {share(defeated(today))}, with the reform "
                  f"{share(defeated(arm))}; difference {paired(today, arm, 'replication')}",
                  f"  - the {len(adopted)} runs where it is adopted: today "
                  f"{share(defeated(paired_today))}, with the reform {share(defeated(adopted))}; "
                  f"difference {paired(paired_today, adopted, 'replication')}"]
    return lines


def screening(data: SweepData) -> list[str]:
    """The Morris screening's top inputs for P(defeated) and the day of first forces."""
    table_path = data.path / "plots" / "screening.csv"
    if not table_path.exists():
        from wargame.figures.standard import render_all
        render_all(data.path)
    table = pd.read_csv(table_path)
    lines = [f"Experiment: `wargame sweep assumptions --plots` ({data.manifest['citation']}); "
             f"{table_path}", ""]
    for metric, top in (("defeated", 6), ("day_first_forces", 5)):
        part = table[table.metric == metric].sort_values("mu_star", ascending=False)
        first = part.iloc[0]
        lines += [f"{metric} ({first.effect_unit}); noise band mu* {first.noise_mu_star:.3g}; "
                  f"never reached (set to the window's last day) in {first.never:.0%} of runs", "",
                  "| input | mu* [95% CI] | mu | sigma |", "|---|---|---|---|"]
        lines += [f"| {r.label} (`{r.parameter}`) | {r.mu_star:.1f} [{r.mu_star_lo:.1f}, "
                  f"{r.mu_star_hi:.1f}] | {r.mu:+.1f} | {r.sigma:.1f} |"
                  for r in part.head(top).itertuples()] + [""]
    return lines


def main(out: Path, workers: int, seeds: int | None, skip_screening: bool) -> str:
    """Run what is missing, then write and return the report."""
    n = {name: seeds or size for name, size in SIZES.items()}
    point = sweep_folder("headline", out, workers, seeds)
    sections = {
        "1. Headline (Baltic)": headline(point, out, workers, n["seeds"]),
        "1b. Headline over the calibration's posterior": over_posterior(
            point, sweep_folder("headline", out, workers, seeds, posterior=True)),
        "1c. What each outcome costs (Baltic headline)": costs(point),
        "2. Poland: EU financing at u = 0, today's NATO": poland(out, workers, n["seeds"]),
        "3. EU-led NATO: share of US commitment reaching the theatre": channel(
            out, workers, n["channel"]),
        "4. Art. 42.7 with an integrated command": command(out, workers, n["seeds"]),
        "5. Reform, then the crisis": reform(sweep_folder("reform", out, workers, seeds)),
    }
    if not skip_screening:
        sections["6. Screening (which assumptions matter most)"] = screening(
            sweep_folder("assumptions", out, workers, None))
    report = "# README numbers\n\n" + "\n".join(
        f"## {title}\n\n" + "\n".join(lines) + "\n" for title, lines in sections.items())
    (out / "readme_numbers.md").write_text(report)
    return report


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--seeds", type=int, help="seeds of every experiment (default: "
                        "the README's: 200; 400 for the US channel; 1,000 for the reform)")
    parser.add_argument("--skip-screening", action="store_true")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    print(main(args.out, args.workers, args.seeds, args.skip_screening))
