"""Figures over many negotiations: can the reform be agreed, who blocks it, at what price.

Kinds of `wargame plot` for a negotiation sweep (model = "negotiation": `wargame sweep
negotiation`, `wargame reform --runs N [--grid ...]`), and for the negotiations of a
two-stage crisis sweep (governance = "reform"; `negotiations`):

- ``reform-adoption``: P(adopted) over one or two swept inputs, Wilson 95% intervals, n;
- ``reform-blockers``: share of runs in which each ally is among the holdouts, with intervals;
- ``reform-map``: the same shares on a map of the allies' capitals;
- ``reform-price``: side payments promised in adopted runs against a swept input (the price
  of unanimity), Student-t intervals.

A swept input with more than `MAX_LEVELS` values (a Latin hypercube) is binned, as the
crisis figures bin theirs. Each aggregation returns the DataFrame behind its figure
(written as CSV beside it).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.errors import WargameError
from wargame.figure_kinds import REFORM_ADOPTION, REFORM_BLOCKERS, REFORM_MAP, REFORM_PRICE
from wargame.figures.load import MAX_LEVELS, Results, Unsupported, bin_edges
from wargame.figures.stats import MEAN_CI, PROPORTION_CI, mean_ci, wilson
from wargame.figures.style import Figure, n_text, percent, pyplot, save, save_table, state_names
from wargame.model_kinds import NEGOTIATION
from wargame.outcomes import NEGOTIATION_OUTCOMES
from wargame.reform.inputs import REFORM_INPUTS
from wargame.regimes import TWO_STAGE_REGIMES

#: How a negotiation ends (wargame.outcomes): the colours and labels of its figures.
ADOPTED, _RATIFICATION_FAILED, BLOCKED = NEGOTIATION_OUTCOMES

#: A two-stage sweep's reform_* run columns under the names a negotiation sweep uses.
TWO_STAGE_COLUMNS = {"reform_adopted": "adopted", "reform_round": "round",
                     "reform_blocking": "blocking",
                     "reform_side_payments_bn": "side_payments_spent_bn",
                     "reform_outcome": "outcome",
                     "reform_ratification_blockers": "ratification_blockers"}


def negotiations(results: Results) -> tuple[dict, pd.DataFrame]:
    """(about, runs): the negotiations of a result folder, one row each, and what the
    captions say of them (swept reform inputs, runs per point, base seed).

    A negotiation sweep's runs are its negotiations. In a two-stage crisis sweep they are
    the runs with governance "reform", once per seed and set of reform inputs: a
    negotiation does not depend on the crisis inputs, so a sweep that also varies those
    repeats it, and counting the repeats would overstate the evidence.
    """
    spec = results.manifest.get("spec")
    about = {"swept": [s for s in results.swept if s in REFORM_INPUTS],
             "runs_per_point": results.manifest.get("replications"),
             "base_seed": results.manifest.get("base_seed"),
             "paired": isinstance(spec, dict) and spec.get("paired_seeds") is True,
             "source": results.describe()}
    if results.model == NEGOTIATION:
        return about, results.runs
    runs = results.runs[results.runs["governance"].isin(TWO_STAGE_REGIMES)]
    if runs.empty:
        raise Unsupported("no two-stage run (governance = reform) in this sweep")
    runs = runs.drop_duplicates(["seed", *REFORM_INPUTS]).rename(columns=TWO_STAGE_COLUMNS)
    return about, runs.astype({"adopted": bool}).reset_index(drop=True)


def _levels(runs: pd.DataFrame, names: list[str]) -> tuple[pd.DataFrame, list[str]]:
    """`runs` with each swept input of many values replaced by its bin's midpoint, and the
    names of those binned (for the caption)."""
    binned = [n for n in names if runs[n].nunique() > MAX_LEVELS]
    if not binned:
        return runs, []
    runs = runs.copy()
    for name in binned:
        edges = bin_edges(runs[name])
        codes = pd.cut(runs[name], edges, include_lowest=True, labels=False)
        runs[name] = ((edges[:-1] + edges[1:]) / 2)[codes.to_numpy()]
    return runs, binned


def _binned_note(binned: list[str]) -> str:
    return (f" {', '.join(binned)} binned into equal-width bins, shown at their midpoints."
            if binned else "")


def input_label(name: str) -> str:
    """Axis label from the registry: meaning and unit."""
    item = REFORM_INPUTS[name]
    unit = "share 0–1" if item.unit == "share" else item.unit
    return f"{item.label[0].upper()}{item.label[1:]} ({unit})"


def _axes(about: dict, x: str | None, y: str | None) -> tuple[str, str | None]:
    swept = about["swept"]
    for name in (x, y):
        if name is not None and name not in swept:
            raise WargameError(f"{name!r} was not swept here; swept: {', '.join(swept) or 'none'}")
    if x is None:
        if not swept:
            raise Unsupported("no input was swept (use --grid NAME=V1,V2,...)")
        x = swept[0]
    if y is None:
        rest = [s for s in swept if s != x]
        y = rest[0] if rest else None
    return x, y


def adoption_table(runs: pd.DataFrame, x: str, y: str | None = None) -> pd.DataFrame:
    """One row per (y, x): n runs, adopted count, P(adopted) and its Wilson 95% interval."""
    keys = [k for k in (y, x) if k is not None]
    table = runs.groupby(keys)["adopted"].agg(n="size", adopted="sum").reset_index()
    table["p"] = table["adopted"] / table["n"]
    table["low"], table["high"] = wilson(table["adopted"].to_numpy(), table["n"].to_numpy())
    return table


def blocker_table(runs: pd.DataFrame) -> pd.DataFrame:
    """One row per ally ever holding out: runs among the holdouts, share, Wilson interval."""
    n = len(runs)
    counts = runs["blocking"].str.split().explode().dropna().value_counts()
    table = counts.rename_axis("iso3").reset_index(name="runs_holding_out")
    table["n"] = n
    table["share"] = table["runs_holding_out"] / n
    table["low"], table["high"] = wilson(table["runs_holding_out"].to_numpy(), n)
    return table.sort_values(["share", "iso3"], ascending=[False, True], ignore_index=True)


def price_table(runs: pd.DataFrame, x: str) -> pd.DataFrame:
    """Per level of x: mean side payments promised in adopted runs, t interval, n."""
    rows = []
    for level, group in runs[runs["adopted"]].groupby(x):
        n, mean, low, high = mean_ci(group["side_payments_spent_bn"].to_numpy())
        rows.append({x: level, "n": n, "mean_bn": mean, "low": low, "high": high})
    return pd.DataFrame(rows, columns=[x, "n", "mean_bn", "low", "high"])


def _provenance(about: dict, runs: pd.DataFrame) -> str:
    pairing = (" Packages share seeds (common random numbers)." if about["paired"]
               else " Every run has its own seed.")
    return (f"{len(runs):,} reform runs, {about['runs_per_point']} per package, base seed "
            f"{about['base_seed']}, from {about['source']}.{pairing}")


def render_adoption(results: Results, out_dir: Path, x: str | None = None,
                    y: str | None = None) -> list[Figure]:
    """Kind reform-adoption: P(adopted) by one swept input (a curve) or two (a heatmap)."""
    about, runs = negotiations(results)
    x, y = _axes(about, x, y)
    runs, binned = _levels(runs, [n for n in (x, y) if n is not None])
    table = adoption_table(runs, x, y)
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 5))
    if y is None:
        err = [table["p"] - table["low"], table["high"] - table["p"]]
        ax.errorbar(table[x], table["p"], yerr=err, marker="o", capsize=4, color=ADOPTED.colour)
        ax.set_xlabel(input_label(x))
        ax.set_ylabel(ADOPTED.probability_label)
        ax.set_ylim(-0.02, 1.02)
    else:
        grid = table.pivot(index=y, columns=x, values="p")
        image = ax.imshow(grid.to_numpy(), origin="lower", cmap=ADOPTED.cmap, vmin=0, vmax=1,
                          aspect="auto")
        ax.set_xticks(range(len(grid.columns)), [f"{v:.3g}" for v in grid.columns])
        ax.set_yticks(range(len(grid.index)), [f"{v:.3g}" for v in grid.index])
        for row in table.itertuples():
            i, j = list(grid.index).index(getattr(row, y)), list(grid.columns).index(
                getattr(row, x))
            ax.text(j, i, f"{percent(row.p)}\n[{percent(row.low)}, {percent(row.high)}]",
                    ha="center", va="center", fontsize=8,
                    color="white" if row.p > 0.6 else "black")
        ax.set_xlabel(input_label(x))
        ax.set_ylabel(input_label(y))
        fig.colorbar(image, ax=ax, label=ADOPTED.probability_label)
    ax.set_title(f"Can the Art. 12 reform be agreed? ({n_text(table['n'])} runs per package)")
    paths = save(fig, out_dir, REFORM_ADOPTION.name)
    paths.append(save_table(table, out_dir, REFORM_ADOPTION.name))
    caption = (f"Share of negotiations in which all 32 allies signed in the same round before "
               f"the deadline, by {x}" + (f" and {y}" if y else "") + f"; {PROPORTION_CI} in "
               f"brackets or as bars.{_binned_note(binned)} {_provenance(about, runs)}")
    return [Figure(REFORM_ADOPTION.name, "Can the reform be agreed?", caption, paths)]


def render_blockers(results: Results, out_dir: Path) -> list[Figure]:
    """Kind reform-blockers: the share of runs each ally holds out, all packages pooled."""
    about, runs = negotiations(results)
    table = blocker_table(runs)
    if table.empty:
        raise Unsupported("every run was adopted: nobody holds out")
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.5, max(2.8, 0.35 * len(table) + 1.5)),
                           constrained_layout=True)  # room for the labels with few allies
    order = table.iloc[::-1]
    err = [order["share"] - order["low"], order["high"] - order["share"]]
    names = state_names()
    ax.barh([names.get(iso3, iso3) for iso3 in order["iso3"]], order["share"], xerr=err,
            color=BLOCKED.colour, capsize=3)
    ax.set_xlim(0, min(1.0, 1.1 * float(table["high"].max())))  # shares of a few % readable
    ax.set_xlabel("Share of runs in which the ally still says no at the end (0–1)")
    ax.set_ylabel("Ally")
    ax.set_title(f"Who blocks the reform? (n = {len(runs):,} runs, all packages pooled)")
    paths = save(fig, out_dir, REFORM_BLOCKERS.name)
    paths.append(save_table(table, out_dir, REFORM_BLOCKERS.name))
    caption = (f"For each ally, the share of all runs (every package of the folder pooled) in "
               f"which it is among the holdouts when the run ends; {PROPORTION_CI}. Allies "
               f"never holding out are not shown. {_provenance(about, runs)}")
    return [Figure(REFORM_BLOCKERS.name, "Who blocks the reform?", caption, paths)]


def render_map(results: Results, out_dir: Path) -> list[Figure]:
    """Kind reform-map: each ally at its capital, coloured by the share of runs it holds
    out (0 included)."""
    from wargame.figures.map import capitals, draw_outlines, frame_europe, label_states
    from wargame.roster import load_roster

    about, runs = negotiations(results)
    roster = load_roster()
    allies = [s for s in roster.states.values() if s.nato_member]
    shares = blocker_table(runs).set_index("iso3")["share"]
    table = pd.DataFrame({"iso3": [s.iso3 for s in allies],
                          "share": [float(shares.get(s.iso3, 0.0)) for s in allies],
                          "lat": [s.lat for s in allies], "lon": [s.lon for s in allies]})
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(8, 6.5), constrained_layout=True)
    draw_outlines(ax)
    xs, ys, off = capitals(table["lon"], table["lat"])
    points = ax.scatter(xs, ys, c=table["share"], cmap=BLOCKED.cmap,
                        vmin=0, vmax=max(0.05, float(table["share"].max())), s=90,
                        edgecolors="black", linewidths=0.5, zorder=3)
    frame_europe(ax)
    fig.colorbar(points, ax=ax, shrink=0.8, label="Share of runs holding out at the end (0–1)")
    ax.set_title(f"Where the reform is blocked (n = {len(runs):,} runs, all packages pooled)")
    label_states(ax, table["iso3"], xs, ys, off)
    paths = save(fig, out_dir, REFORM_MAP.name)
    paths.append(save_table(table, out_dir, REFORM_MAP.name))
    caption = (f"Each of the 32 allies at its capital (the EU's equal-area projection; the "
               f"US and Canada in a column at the western edge), coloured by the share of "
               f"runs in which it "
               f"is among the holdouts; intervals in reform-blockers.csv. "
               f"{_provenance(about, runs)}")
    return [Figure(REFORM_MAP.name, "Where the reform is blocked", caption, paths)]


def render_price(results: Results, out_dir: Path, x: str | None = None) -> list[Figure]:
    """Kind reform-price: side payments promised in adopted runs by a swept input."""
    about, runs = negotiations(results)
    if x is None and "inclusiveness" in about["swept"]:
        x = "inclusiveness"
    x, _ = _axes(about, x, None)
    budget = "side_payments_bn" in about["swept"] and x != "side_payments_bn"
    runs, binned = _levels(runs, [x, "side_payments_bn"] if budget else [x])
    budget_note = ""
    if budget:
        # Pooling budgets would mix what is needed with what was affordable: keep the
        # largest budget swept, where the budget binds least.
        largest = runs["side_payments_bn"].max()
        runs = runs[runs["side_payments_bn"] == largest]
        top = ", the top bin's midpoint" if "side_payments_bn" in binned else ""
        budget_note = f" Runs with the largest budget swept only (EUR {largest:g} bn{top})."
    table = price_table(runs, x)
    if table.empty:
        raise Unsupported("no run was adopted: there is no price to show")
    plt = pyplot()
    fig, ax = plt.subplots(figsize=(7.5, 5))
    err = np.array([table["mean_bn"] - table["low"], table["high"] - table["mean_bn"]])
    ax.errorbar(table[x], table["mean_bn"], yerr=np.nan_to_num(err), marker="o", capsize=4,
                color="#5e3c99")
    ax.set_xlabel(input_label(x))
    ax.set_ylabel("Side payments promised in adopted runs (EUR bn)")
    ax.set_ylim(bottom=0)
    ax.set_title(f"The price of unanimity ({n_text(table['n'])} adopted runs per level)")
    paths = save(fig, out_dir, REFORM_PRICE.name)
    paths.append(save_table(table, out_dir, REFORM_PRICE.name))
    caption = (f"Mean EU side payments promised to holdouts in the runs that were adopted, by "
               f"{x}; {MEAN_CI}. A budget larger than needed spends only what the "
               f"cheapest-first rule buys.{budget_note}{_binned_note(binned)} "
               f"{_provenance(about, runs)}")
    return [Figure(REFORM_PRICE.name, "The price of unanimity", caption, paths)]
