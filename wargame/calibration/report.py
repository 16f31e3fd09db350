"""What a calibration found, as calibration.json and as the Markdown of docs/CALIBRATION.md.

Both are built from the same record (`summary`), so the report says nothing the JSON does
not hold. Posterior summaries are weighted (the ABC weights); identification compares
each parameter's posterior 90% interval with its prior's, in the space the prior is
uniform in (log10 for a log-uniform prior).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd

from wargame.calibration.fit import CANDIDATES, TargetFit
from wargame.calibration.posterior import weighted_quantile
from wargame.calibration.smc import MIN_ACCEPTANCE, Generation, Settings
from wargame.calibration.targets import UNDEFINED_DISTANCE, CalibrationSpec
from wargame.parameter_sets import WEIGHT

#: Posterior 90% interval over the prior's, below which a parameter is "constrained".
CONSTRAINED, WEAKLY = 0.5, 0.8
#: Posterior correlations (in ABC's space) at least this strong are reported.
NOTABLE_CORRELATION = 0.4


def _number(value: float) -> float | str | None:
    """A JSON-safe number: infinity as "never" (no run reached it), NaN as null."""
    if math.isnan(value):
        return None
    return "never" if math.isinf(value) else value


def _identification(ratio: float) -> str:
    if ratio < CONSTRAINED:
        return "constrained"
    return "weakly constrained" if ratio < WEAKLY else "not identified by these targets"


def parameter_summaries(frame: pd.DataFrame, spec: CalibrationSpec,
                        best: dict[str, Any]) -> list[dict[str, Any]]:
    weights = frame[WEIGHT].to_numpy(dtype=float)
    rows = []
    for p in spec.parameters:
        values = frame[p.name].to_numpy(dtype=float)
        abc = np.array([p.to_abc(v) for v in values])
        low, high = p.abc_bounds
        width = weighted_quantile(abc, weights, 0.95) - weighted_quantile(abc, weights, 0.05)
        ratio = width / (0.9 * (high - low))
        rows.append({
            "name": p.name, "prior": p.prior, "low": p.low, "high": p.high,
            "default": p.default, "why": p.why,
            "median": weighted_quantile(values, weights, 0.5),
            "q05": weighted_quantile(values, weights, 0.05),
            "q95": weighted_quantile(values, weights, 0.95),
            "best": best[p.name], "interval_over_prior": ratio,
            "identification": _identification(ratio),
        })
    return rows


def correlations(frame: pd.DataFrame, spec: CalibrationSpec) -> list[dict[str, Any]]:
    """Pairs of parameters whose posterior correlation is notable: trade-offs the targets
    cannot tell apart (a higher hurdle offset by a stronger obligation, say)."""
    if len(frame) < 3:
        return []
    abc = np.column_stack([[p.to_abc(v) for v in frame[p.name]] for p in spec.parameters])
    covariance = np.atleast_2d(np.cov(abc, rowvar=False,
                                      aweights=frame[WEIGHT].to_numpy(dtype=float)))
    with np.errstate(invalid="ignore", divide="ignore"):
        matrix = covariance / np.sqrt(np.outer(covariance.diagonal(), covariance.diagonal()))
    pairs = []
    names = [p.name for p in spec.parameters]
    for i in range(len(names)):
        for j in range(i + 1, len(names)):
            r = float(matrix[i, j])
            if math.isfinite(r) and abs(r) >= NOTABLE_CORRELATION:
                pairs.append({"a": names[i], "b": names[j], "r": r})
    return sorted(pairs, key=lambda pair: -abs(pair["r"]))


def target_summaries(fits: list[TargetFit]) -> list[dict[str, Any]]:
    rows = []
    for f in fits:
        t = f.target
        median, low, high = f.predictive
        best, best_low, best_high = f.at_best
        rows.append({
            "name": t.name, "kind": t.kind, "role": t.role, "band": t.band, "low": t.low,
            "high": t.high, "statistic": t.measure.text, "unit": t.measure.statistic.unit,
            "experiment": t.experiment.describe(), "source": t.source, "note": t.note,
            "predictive": {"median": _number(median), "low": _number(low),
                           "high": _number(high)},
            "share_of_draws_in_band": f.share_in_band,
            "best_point": {"median": _number(best), "low": _number(best_low),
                           "high": _number(best_high)},
            "holds_at_best_point": f.holds_at_best,
        })
    return rows


def summary(spec: CalibrationSpec, settings: Settings, command: str,
            generations: list[Generation], frame: pd.DataFrame, best: dict[str, Any],
            fits: list[TargetFit], seconds: dict[str, float],
            provenance: dict[str, Any], quick: bool = False,
            extends: dict[str, Any] | None = None) -> dict[str, Any]:
    """The record of one calibration: calibration.json, and the source of the report.

    `extends` names the stored run it went on from (folder, generations, command)."""
    return {
        "command": command,
        "extends": extends,
        "targets_file": str(spec.path), "targets_sha256": spec.sha256,
        "settings": {"quick": quick, "population": settings.population,
                     "generations": settings.generations,
                     "seed": settings.seed, "workers": settings.workers,
                     "seed_scale": settings.scale, "posterior_draws": settings.draws,
                     "best_point_batches": settings.batches,
                     "min_acceptance": MIN_ACCEPTANCE},
        **provenance,
        "seconds": seconds,
        "generations": [{"generation": g.t + 1, "epsilon": _number(g.epsilon),
                         "accepted": g.accepted, "evaluations": g.evaluations,
                         "seconds": g.seconds, "share_in_bands": g.in_bands}
                        for g in generations],
        "posterior_size": len(frame),
        "parameters": parameter_summaries(frame, spec, best),
        "correlations": correlations(frame, spec),
        "best_point": best,
        "targets": target_summaries(fits),
    }


def _extension_lines(extends: dict[str, Any] | None) -> list[str]:
    """Where an extended run's first generations ran, and how they were begun."""
    if not extends:
        return []
    steps = "; then ".join(f"`{c}`" for c in extends["commands_run"])
    return [f"It ran in steps, on one ABC-SMC history: {steps}. The last step went on from "
            f"the {extends['generations']} generation(s) stored in `{extends['folder']}`. "
            "Each generation proposes from a stream of the seed of its own, so the single "
            "command above gives the same posterior on one worker (on several, the same up "
            "to Monte Carlo error). The generations' seconds are those of the steps that "
            "ran them; the time above is the last step's.", ""]


def duration(seconds: float) -> str:
    """'40 s', '7.1 min', '1.2 h'."""
    if seconds < 60:
        return f"{seconds:.0f} s"
    return f"{seconds / 60:.1f} min" if seconds < 3600 else f"{seconds / 3600:.1f} h"


def fmt(value: Any) -> str:
    if value is None:
        return "n/a"
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    return f"{value:.3g}" if abs(value) < 1000 else f"{value:,.0f}"


def _interval(cell: dict[str, Any]) -> str:
    return f"{fmt(cell['median'])} [{fmt(cell['low'])}, {fmt(cell['high'])}]"


def fit_tables(targets: list[dict[str, Any]]) -> list[str]:
    """The fit tables of CALIBRATION.md, fitted then held-back targets (rows of
    `target_summaries`), as markdown lines."""
    lines: list[str] = []
    for role, heading in (("fitted", "Fitted targets"), ("held_back", "Held-back targets")):
        group = [t for t in targets if t["role"] == role]
        if not group:
            continue
        lines += [f"### {heading}", "",
                  "| target | band | posterior predictive | draws in band | best point | "
                  "holds at best point |",
                  "|---|---|---|---|---|---|"]
        for t in group:
            lines.append(f"| `{t['name']}` | {t['band']} | {_interval(t['predictive'])} | "
                         f"{t['share_of_draws_in_band']:.0%} | {_interval(t['best_point'])} | "
                         f"{fmt(t['holds_at_best_point'])} |")
        lines.append("")
    return lines


def markdown(record: dict[str, Any]) -> str:
    """The report: method, targets, priors, posterior, fit, identification, reproduction."""
    s = record["settings"]
    targets = record["targets"]
    fitted = [t for t in targets if t["role"] == "fitted"]
    held = [t for t in targets if t["role"] == "held_back"]
    kinds = sorted({t["kind"] for t in targets})
    last = record["generations"][-1]
    lines = [
        "# Calibration of the crisis model",
        "",
        "What is fitted, to what, how, and how well. Written by `wargame calibrate` "
        f"(model `{record.get('git_commit') or 'unknown commit'}`, wargame "
        f"{record.get('wargame_version', '?')}, pyabc {record.get('pyabc_version', '?')}); "
        "reproduce it with",
        "",
        "```bash",
        record["command"],
        "```",
        "",
        f"It took {duration(record['seconds']['total'])} on {s['workers']} worker(s) "
        f"({duration(record['seconds']['abc'])} of ABC, {duration(record['seconds']['fit'])} "
        "for the best point and the fit tables).",
        "",
        *_extension_lines(record.get("extends")),
        *([f"**A `--quick` run**: a tiny population, {s['generations']} generation(s) and a "
           "fifth of the seeds. "
           "It checks the machinery; its numbers are not a calibration to quote.", ""]
          if s["quick"] else []),
        "## Method",
        "",
        "Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC; pyabc, "
        "Schälte et al. 2022, *J. Open Source Softw.* 7(74): 4304): the model has no "
        "likelihood to write down, only runs whose statistics should fall inside sourced "
        "bands. A population of parameter sets is drawn from the prior; each later "
        "generation proposes sets near the last accepted ones (a multivariate normal "
        "kernel fitted to them) and accepts a set when its distance is at most the median "
        "distance of the previous generation. The **distance** of a set is the sum over "
        "the fitted targets of 0 inside the target's band and, outside it, the distance "
        "to the nearer end in band widths (a statistic the runs cannot define, such as "
        f"the median day of defeat when most runs are not defeated, counts "
        f"{UNDEFINED_DISTANCE:g} band widths). Each set is judged on fresh runs: its seeds "
        "derive from the calibration's seed and the set itself, so the posterior carries "
        "the runs' noise as well as the parameters'. The run stops when the threshold "
        "reaches 0 (every accepted set puts every fitted statistic in its band), after "
        f"{s['generations']} generations, or when a generation accepts fewer than "
        f"{s['min_acceptance']:.0%} of its proposals (that generation is dropped).",
        "",
        f"This run: population {s['population']}, at most {s['generations']} generations, "
        f"seed {s['seed']}, runs per experiment {s['seed_scale']:g} x the seeds each "
        f"target declares. It ran {len(record['generations'])} generation(s); the last "
        f"accepted {last['accepted']} of {last['evaluations']} proposals at "
        f"{_threshold(last['epsilon'])}, and {last['share_in_bands']:.0%} of its weight "
        "puts every fitted target in its band. That population, "
        f"{record['posterior_size']} weighted parameter sets, is the posterior "
        "(`posterior.parquet`).",
        "",
        "| generation | threshold | accepted | proposals | in every band | seconds |",
        "|---|---|---|---|---|---|",
    ]
    for g in record["generations"]:
        lines.append(f"| {g['generation']} | {_threshold(g['epsilon'])} | {g['accepted']} | "
                     f"{g['evaluations']} | {g['share_in_bands']:.0%} | {g['seconds']:.0f} |")
    lines += [
        "",
        "## Targets",
        "",
        f"{len(targets)} targets of {len(kinds)} kinds ({', '.join(kinds)}): "
        f"{len(fitted)} fitted, {len(held)} held back. They were declared, with their roles, "
        f"before fitting, in `{_short_path(record['targets_file'])}` (sha256 "
        f"`{record['targets_sha256'][:12]}`); the held-back targets never enter the "
        "distance.",
        "",
        "| target | kind | role | band | statistic | experiment |",
        "|---|---|---|---|---|---|",
    ]
    for t in targets:
        lines.append(f"| `{t['name']}` | {t['kind']} | {t['role'].replace('_', ' ')} | "
                     f"{t['band']} | `{t['statistic']}` ({t['unit']}) | {t['experiment']} |")
    lines += ["", "Sources and readings:", ""]
    for t in targets:
        note = f" *Read as:* {t['note']}." if t["note"] else ""
        lines.append(f"- `{t['name']}`: {t['source']}.{note}")
    lines += [
        "",
        "Deliberately **not** targets: per-state Ukraine Support Tracker figures and "
        "per-state responses to France's 2015 invocation of Art. 42.7. They are reserved "
        "as out-of-sample checks of who gives what; fitting to them would leave nothing "
        "to check against. No statistic of the calibration names a state.",
        "",
        "## Parameters: priors and posterior",
        "",
        "Each calibrated input is an uncertainty of the input registry (`wargame inputs`); "
        "its prior is uniform over the registry's documented range (log-uniform where the "
        "range is half to double a default, so that the default sits mid-range). Posterior "
        "median and 90% interval are weighted by the ABC weights; *interval / prior* is "
        "the width of the posterior 90% interval over the prior's, in the space the prior "
        "is uniform in.",
        "",
        "| parameter | default | prior | posterior median | 90% interval | best point | "
        "interval / prior | identification |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for p in record["parameters"]:
        lines.append(
            f"| `{p['name']}` | {fmt(p['default'])} | {p['prior']} [{fmt(p['low'])}, "
            f"{fmt(p['high'])}] | {fmt(p['median'])} | [{fmt(p['q05'])}, {fmt(p['q95'])}] "
            f"| {fmt(p['best'])} | {p['interval_over_prior']:.2f} | {p['identification']} |")
    lines += [
        "",
        "The **best point** is the calibrated point for a single run or a check \"at the "
        f"calibrated point\": of the {CANDIDATES} accepted sets where the posterior is "
        "densest (a weighted kernel estimate that leaves each set out of its own), the "
        "one whose fitted targets, rerun in "
        f"{record['settings']['best_point_batches']} batches of fresh seeds, lie nearest "
        "their bands. Headline answers are given over posterior draws, not only at this "
        "point: `wargame sweep headline --posterior` runs replication r of every cell at "
        "the r-th of the sweep's parameter sets drawn by weight from the shipped posterior "
        "(any sweep with paired seeds: `posterior = true` in its file, docs/SWEEPS.md "
        "\"Over the posterior\"; the README quotes both), `wargame validate` reruns V1-V9 "
        "over draws (V11), and in Python:",
        "",
        "```python",
        "from wargame.calibration import posterior_draws",
        "draws = posterior_draws(\"DIR/posterior.parquet\", n=100, seed=1)  # list of {input: "
        "value}",
        "```",
        "",
        "## Fit",
        "",
        f"*Posterior predictive*: each of {s['posterior_draws']} posterior draws runs every "
        "target's experiment on fresh seeds; median and 95% interval over the draws, and "
        "the share of draws whose statistic is inside the band. *Best point*: "
        f"{s['best_point_batches']} batches of the declared seeds at the best point; "
        "median and 95% interval over the batches (the runs' noise alone). \"never\": no "
        "run reached it.",
        "",
    ]
    lines += fit_tables(record["targets"])
    lines += ["## Identification", ""]
    lines += _identification_notes(record)
    lines += [
        "",
        "## Files",
        "",
        "- `abc.db`: pyabc's history of every generation (SQLite; "
        "`pyabc.History(\"sqlite:///DIR/abc.db\")`).",
        "- `posterior.parquet`: the last generation's accepted sets, one column per "
        "calibrated input (model units), `weight` (summing to 1), `distance`, `generation`.",
        "- `calibration.json`: everything in this report, as data.",
        "",
        "## Limits",
        "",
        "The targets are aggregate rates and wargame results applied to hypothetical cases: "
        "they constrain how often states honour commitments and how fast an unopposed "
        "attack succeeds, not which states help. The posterior is conditional on every "
        "input that is not calibrated keeping its default; sweep those (the Morris "
        "screening of `wargame sweep assumptions`) before quoting an answer.",
        "",
    ]
    return "\n".join(lines)


def _threshold(epsilon: Any) -> str:
    return "any distance (the prior)" if epsilon == "never" else f"distance <= {fmt(epsilon)}"


def _short_path(path: str) -> str:
    marker = "wargame/data/"
    return path[path.index(marker):] if marker in path else path


def _identification_notes(record: dict[str, Any]) -> list[str]:
    notes = []
    first = record["generations"][0]
    if first["epsilon"] == "never":  # generation 1 is a sample of the prior
        notes.append(
            f"- Jointly, the fitted targets rule out about {1 - first['share_in_bands']:.0%} "
            "of the prior: that share of the prior's draws (generation 1) puts some fitted "
            "target outside its band. The margins below can stay wide while the joint "
            "region shrinks, when parameters trade off against each other.")
    for label in ("constrained", "weakly constrained", "not identified by these targets"):
        names = [f"`{p['name']}`" for p in record["parameters"] if p["identification"] == label]
        if names:
            notes.append(f"- {label.capitalize()}: {', '.join(names)}.")
    notes.append(
        f"  (*Constrained*: posterior 90% interval under {CONSTRAINED:.0%} of the prior's; "
        f"*weakly*: under {WEAKLY:.0%}; otherwise the targets say little about it, and its "
        "posterior is close to its prior: read its value as the registry's range, not as "
        "a measurement.)")
    pairs = record["correlations"]
    if pairs:
        shown = ", ".join(f"`{c['a']}` and `{c['b']}` (r = {c['r']:+.2f})" for c in pairs[:6])
        notes.append(f"- Trade-offs the targets cannot separate (posterior correlation, "
                     f"|r| >= {NOTABLE_CORRELATION}): {shown}.")
    else:
        notes.append(f"- No two parameters are correlated in the posterior beyond |r| = "
                     f"{NOTABLE_CORRELATION}.")
    failing = [t for t in record["targets"] if not t["holds_at_best_point"]]
    if failing:
        notes.append("- Not met at the best point: " + ", ".join(
            f"`{t['name']}` ({t['role'].replace('_', ' ')})" for t in failing) + ".")
    return notes
