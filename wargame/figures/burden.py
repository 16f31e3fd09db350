"""Burden sharing: who carries the defence of the attacked state, relative to their wealth.

Olson and Zeckhauser (1966) predicted that in an alliance the large members carry a share of
the common defence above their share of GDP and small members free-ride. The scatter puts
each state's share of the coalition's troops and of its costs against its share of GDP: on
the diagonal a state pays in proportion to its economy, above it more. The burden Gini
(0 = every state's burden proportional to its GDP) summarises the same over the sweep.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from wargame.figure_kinds import BURDEN
from wargame.figures import response
from wargame.figures.load import Results, default_axes, ordered_levels
from wargame.figures.stats import MEAN_CI
from wargame.figures.style import (
    Figure,
    axis_label,
    level_label,
    n_text,
    place_labels,
    pooled_caption,
    pooled_note,
    pyplot,
    save,
    save_table,
    state_names,
)
from wargame.figures.units import counting_note, mean_table, mean_unit, runs_at_levels

#: States labelled in the scatter: the largest shares (others stay unlabelled dots).
N_LABELLED = 9


def burden_shares(results: Results, by: str | None = None) -> pd.DataFrame:
    """Per (by, state): mean share of the coalition's troops pledged and of its burden
    (EUR bn, own costs plus GDP-key share of the EU fund) with t 95% intervals, and the
    state's share of the coalition's GDP.

    Shares are taken within each run, then averaged over the runs in which the coalition
    pledged anything (for troops) or spent anything (for burden); each distinct run counts
    once, and under paired seeds each seed (wargame.figures.units); n counts those units.
    """
    results.require_swept(by)
    states = results.states
    totals = states.groupby("run_id")[["pledged_troops", "burden_bn", "gdp_eur_bn"]].transform(
        "sum")
    frame = pd.DataFrame({
        "run_id": states["run_id"],
        "iso3": states["iso3"],
        "pledge_share": states["pledged_troops"] / totals["pledged_troops"].where(
            totals["pledged_troops"] > 0),
        "burden_share": states["burden_bn"] / totals["burden_bn"].where(totals["burden_bn"] > 0),
        "gdp_share": states["gdp_eur_bn"] / totals["gdp_eur_bn"],
    })
    keys = [by, "iso3"] if by else ["iso3"]
    frame = frame.merge(runs_at_levels(results, [by]), on="run_id")
    table = frame.groupby(keys, sort=True)["gdp_share"].mean().reset_index()
    for share in ("pledge_share", "burden_share"):
        means = mean_table(frame, keys, share).rename(columns={
            "n": f"n_{share}", "mean": share, "lo": f"{share}_lo", "hi": f"{share}_hi"})
        table = table.merge(means.drop(columns="runs"), on=keys)
    table.insert(len(keys), "name", table["iso3"].map(state_names()))
    return table


def render(
    results: Results, out_dir: Path, x: str | None = None, by: str | None = None
) -> list[Figure]:
    """The Olson–Zeckhauser scatter (per level of a categorical `by`) and the burden Gini."""
    default_x, _, default_by = default_axes(results)
    x = x or default_x
    if by is None and default_by in results.categorical_swept:
        by = default_by
    table = burden_shares(results, by)
    save_table(table, out_dir, "burden_shares")
    plt = pyplot()
    levels = ordered_levels(table[by], by) if by else [None]
    fig, axes = plt.subplots(2, len(levels), figsize=(1 + 5 * len(levels), 10), squeeze=False,
                             constrained_layout=True)
    # One scale for every panel, so states can be compared across them.
    top = max(table["gdp_share"].max(), table["pledge_share_hi"].max(),
              table["burden_share_hi"].max()) * 1.1
    labels = []
    for col, level in enumerate(levels):
        part = table if by is None else table[table[by] == level]
        for row, (share, what) in enumerate(
            (("pledge_share", "troops pledged"), ("burden_share", "burden (EUR bn)"))
        ):
            ax = axes[row, col]
            ax.plot([0, top], [0, top], color="grey", lw=1, ls="--",
                    label="share of burden = share of GDP")
            ax.errorbar(part["gdp_share"], part[share],
                        yerr=[part[share] - part[f"{share}_lo"], part[f"{share}_hi"] - part[share]],
                        fmt="o", ms=4, color="#2166ac", ecolor="#92c5de", elinewidth=1,
                        label=f"state: mean, t 95% CI ({n_text(table[f'n_{share}'])} "
                              f"{mean_unit(results)})")
            labelled = part.assign(size=np.maximum(part["gdp_share"], part[share])).nlargest(
                N_LABELLED, "size")
            ax.set_xlim(0, top)
            ax.set_ylim(0, top)
            ax.set_xlabel("Share of the coalition's GDP (share 0–1)")
            ax.set_ylabel(f"Share of the coalition's {what} (share 0–1)")
            ax.set_title((level_label(by, level) + "\n" if by else "")
                         + f"{what.split(' (')[0].capitalize()} vs GDP")
            ax.grid(alpha=0.3)
            labels.append((ax, [ax.text(rec.gdp_share, getattr(rec, share), rec.name,
                                        fontsize=8) for rec in labelled.itertuples()],
                           labelled["gdp_share"], labelled[share]))
    # One key below the panels, never on the data.
    handles, texts = axes[0, 0].get_legend_handles_labels()
    fig.legend(handles, texts, loc="outside lower center", ncols=2, fontsize=8)
    fig.suptitle(f"Burden sharing by state (Olson–Zeckhauser)\n{results.describe()}")
    for ax, texts, xs, ys in labels:
        place_labels(ax, texts, xs, ys)
    figures = [Figure(
        BURDEN.name, "Burden sharing by state",
        "Each dot is a state: its mean share of the troops the coalition pledged (top) and of "
        "the coalition's burden in EUR bn — own costs plus its GDP-key share of the EU fund — "
        "(bottom) against its share of the coalition's GDP. Above the dashed line a state "
        f"carries more than its economic weight. Bars: {MEAN_CI} over the runs in which the "
        f"coalition pledged or spent anything. The {N_LABELLED} largest states of each panel "
        "are named. " + counting_note(results)
        + pooled_caption([p for p in results.swept if p != by])
        + f"{results.describe()}. Numbers: burden_shares.csv.",
        save(fig, out_dir, BURDEN.name),
    )]
    if x is None:  # nothing numeric to draw the Gini against; the scatter stands alone
        return figures
    gini_by = by if by != x else None
    gini = response.response_table(results, "burden_gini", x, gini_by)
    save_table(gini, out_dir, "burden_gini")
    fig, ax = plt.subplots(figsize=(7.5, 5), constrained_layout=True)
    for level in (ordered_levels(gini[gini_by], gini_by) if gini_by else [None]):
        line = gini if gini_by is None else gini[gini[gini_by] == level]
        label = level_label(gini_by, level) if gini_by else "all runs"
        handle, = ax.plot(line[x], line["estimate"], "o-",
                          label=f"{label} ({n_text(line['n'])} {mean_unit(results)} per point)")
        ax.fill_between(line[x], line["lo"], line["hi"], alpha=0.2, color=handle.get_color())
    ax.set_xlabel(axis_label(results, x))
    ax.set_ylabel("Burden Gini (0 = burden ∝ GDP for all states)")
    ax.set_ylim(bottom=0)
    ax.grid(alpha=0.3)
    fig.legend(loc="outside lower center", fontsize=8, ncols=2)
    pooled = [p for p in results.swept if p not in (x, gini_by)]
    ax.set_title(f"Inequality of burden relative to GDP (mean, band: t 95% CI)\n"
                 f"{results.describe()}" + (f"\n{pooled_note(pooled)}" if pooled else ""),
                 fontsize=10)
    figures.append(Figure(
        BURDEN.name, "Burden Gini over the sweep",
        "Gini coefficient of each state's burden as a share of its GDP, averaged over runs "
        f"({MEAN_CI}); 0 means every state pays the same share of its GDP. Against {x}"
        + (f", one line per {gini_by}" if gini_by else "")
        + ". " + counting_note(results) + pooled_caption(pooled)
        + f"{results.describe()}. Numbers: burden_gini.csv.",
        save(fig, out_dir, "burden_gini"),
    ))
    return figures
