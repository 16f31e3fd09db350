"""What a figure counts: each distinct run once, and under paired seeds each seed once.

Two rules keep a figure from counting the same evidence twice (docs/ANALYSIS.md, "Counting
runs"):

- A run is its seed and the inputs that act in it. Rows of a sweep that repeat both are
  the same run: the reference arms of a two-stage sweep ignore the reform levers, so a grid
  that crosses them with those levers runs each of their seeds once per lever cell,
  identically. Which swept inputs cannot act at a design point is the model kind's own
  rule (`ModelKind.inert_inputs`, wargame.levers), asked once per point. A figure's group
  (a cell, a point of a curve, a panel) keeps the first of each (`runs_at_levels`).
- Under paired seeds (common random numbers) the runs of one seed in different cells share
  their random numbers: a group that pools cells (a response curve pooled over EU
  financing) holds several runs per seed that are not independent, and identical where the
  pooled input does not act. A share's n is then the effective number of independent runs
  (the runs over the design effect of seeds as clusters, `share_table`); a mean is taken
  over seeds, each the average of its runs, with its t interval (`mean_table`). With
  independent seeds every run is its own unit, so nothing changes.
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from wargame.figures.load import Results, parameter_levels
from wargame.figures.stats import clustered_mean_ci, mean_ci, wilson


def acting_inputs(results: Results) -> dict[int, tuple[str, ...]]:
    """{point_id: the swept inputs that can act there}, by the model kind's inert rule."""
    points = results.manifest.get("points")
    base = (results.manifest.get("spec") or {}).get("base") or {}
    swept = results.swept
    if not isinstance(points, list) or not base or not swept:
        return {}
    acting = {}
    for point in points:
        values = point.get("parameters", {}) if isinstance(point, dict) else {}
        if not all(name in values for name in swept):
            continue
        inert = results.kind.inert_inputs({**base, **values},
                                          {name: [values[name]] for name in swept})
        acting[int(point["point_id"])] = tuple(n for n in swept if n not in inert)
    return acting


def identity(results: Results) -> pd.Series:
    """Each run's identity: its seed and the values of the swept inputs that act in it."""
    runs = results.runs
    acting = acting_inputs(results)
    swept = tuple(results.swept)
    names = [acting.get(int(point), swept) for point in runs["point_id"]]
    columns = {name: runs[name].to_numpy(dtype=object) for name in swept}
    seeds = runs["seed"].to_numpy()
    return pd.Series([(int(seeds[i]), *((n, columns[n][i]) for n in chosen))
                      for i, chosen in enumerate(names)], index=runs.index, dtype=object)


def runs_at_levels(results: Results, keys: Sequence[str | None],
                   columns: Sequence[str] = ()) -> pd.DataFrame:
    """The runs a figure grouped by `keys` counts: "seed", "run_id", `columns` and each key
    at the level the figure shows (binned for sampled designs: `parameter_levels`), each
    distinct run once per group (a repeat in another group is that group's run too: the
    reference arm is in every cell of the levers that cannot act on it)."""
    keys = [k for k in keys if k is not None]
    frame = pd.DataFrame({k: parameter_levels(results, k) for k in keys})
    for column in ("run_id", "seed", *columns):
        frame[column] = results.runs[column]
    ids = results._cache.get("identity")
    if ids is None:
        ids = results._cache["identity"] = identity(results)
    repeated = pd.concat([frame[keys], ids.rename("identity")], axis=1).duplicated()
    return frame[~repeated.to_numpy()].reset_index(drop=True)


def inert_at(results: Results, names: Sequence[str], where: dict[str, object]) -> bool:
    """Whether none of `names` can act at any design point matching `where` (e.g. the
    reform levers under governance = nato_us_led): its cells then hold the same runs."""
    acting = acting_inputs(results)
    points = [p for p in results.manifest.get("points", []) if isinstance(p, dict)
              and all(p.get("parameters", {}).get(k) == v for k, v in where.items())]
    return bool(points) and all(
        int(p["point_id"]) in acting and not set(names) & set(acting[int(p["point_id"])])
        for p in points)


def seed_units(frame: pd.DataFrame, keys: Sequence[str], values: Sequence[str]) -> pd.DataFrame:
    """One row per group of `keys` and seed: `values` averaged over that seed's runs in
    the group (NaN left out), and `runs`, how many runs it holds. `frame` needs a "seed"
    column; with independent seeds every row is its own unit."""
    keys = list(keys)
    grouped = frame.groupby([*keys, "seed"], sort=True, observed=True, dropna=False)
    units = grouped[list(values)].mean()
    units["runs"] = grouped.size()
    return units.reset_index()


def share_table(frame: pd.DataFrame, keys: Sequence[str], hit: str) -> pd.DataFrame:
    """Per group of `keys`: runs, seeds, count (hits), p (the share of the group's runs),
    n (the effective number of independent runs) and p's Wilson 95% interval (lo, hi).
    `hit` is a 0/1 column of `frame`.

    Where every seed has one run in the group (a cell, or any group of an unpaired sweep)
    n is the number of runs. Where a group pools several runs of one seed (paired seeds),
    they are correlated, identical where the pooled input does not act: n is the runs
    divided by the design effect of that clustering (Kish 1965; its variance is the
    cluster-robust one, seeds as clusters), never more than the runs, and the seeds where
    no run varies (a share of 0 or 1) tell nothing of the correlation, so n is then the
    seeds. The Wilson interval is taken at n (Korn & Graubard 1998)."""
    keys = list(keys)
    units = seed_units(frame, keys, [hit])
    groups = units.groupby(keys, sort=True, observed=True) if keys else [((), units)]
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        sizes, shares = group["runs"].to_numpy(float), group[hit].to_numpy(float)
        runs, seeds = float(sizes.sum()), len(group)
        p = float((sizes * shares).sum() / runs)
        if (sizes == 1).all():
            n = runs
        elif p in (0.0, 1.0) or seeds < 2:
            n = float(seeds)
        else:
            clustered = (sizes**2 * (shares - p) ** 2).sum() / runs**2 * seeds / (seeds - 1)
            n = min(runs, max(float(seeds), p * (1 - p) / clustered)) if clustered > 0 \
                else runs
        rows.append({**dict(zip(keys, key, strict=True)), "runs": int(runs), "seeds": seeds,
                     "count": int(round(p * runs)), "p": p, "n": n})
    table = pd.DataFrame(rows, columns=[*keys, "runs", "seeds", "count", "p", "n"])
    table["lo"], table["hi"] = wilson(table["p"].to_numpy() * table["n"].to_numpy(),
                                      table["n"].to_numpy())
    return table


def mean_table(frame: pd.DataFrame, keys: Sequence[str], value: str) -> pd.DataFrame:
    """Per group of `keys`: n (units with a value), runs, the mean of `value` over units and
    its Student-t 95% interval (lo, hi)."""
    keys = list(keys)
    units = seed_units(frame, keys, [value])
    groups = units.groupby(keys, sort=True, observed=True) if keys else [((), units)]
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        n, mean, lo, hi = mean_ci(group[value].to_numpy(dtype=float))
        rows.append({**dict(zip(keys, key, strict=True)), "n": n,
                     "runs": int(group["runs"].sum()), "mean": mean, "lo": lo, "hi": hi})
    return pd.DataFrame(rows, columns=[*keys, "n", "runs", "mean", "lo", "hi"])


def run_mean_table(frame: pd.DataFrame, keys: Sequence[str], value: str) -> pd.DataFrame:
    """Per group of `keys`: n (seeds with a value), runs, the mean of `value` over the
    group's runs, and its 95% interval with the runs of one seed as a cluster
    (`clustered_mean_ci`). Unlike `mean_table` every run weighs the same: the mean is the
    one a reader expects of "the runs that ended so", whatever seed they came from."""
    keys = list(keys)
    groups = frame.groupby(keys, sort=True, observed=True) if keys else [((), frame)]
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        n, mean, lo, hi = clustered_mean_ci(group[value].to_numpy(dtype=float),
                                            group["seed"].to_numpy())
        rows.append({**dict(zip(keys, key, strict=True)), "n": n,
                     "runs": int(group[value].notna().sum()), "mean": mean, "lo": lo, "hi": hi})
    return pd.DataFrame(rows, columns=[*keys, "n", "runs", "mean", "lo", "hi"])


def mean_unit(results: Results) -> str:
    """What a mean's n counts on this folder's figures: seeds under paired seeds, else runs."""
    return "seeds" if results.paired else "runs"


def counting_note(results: Results) -> str:
    """The caption's sentence on what n counts."""
    if results.paired:
        return ("Paired seeds (common random numbers): a share's n is its effective number of "
                "independent runs (where a point pools cells, the runs of one seed are "
                "correlated and count for less: Kish's design effect); a mean's n counts "
                "seeds, the runs of one seed averaged first. ")
    return "Independent seeds: n counts distinct runs. "
