"""Map: where in Europe help comes from — each state at its capital, coloured by how far it
commits on average and sized by the troops it pledges.

No map tiles and no download: the country outlines are the Natural Earth 1:50m outlines
the package ships (wargame.geography), in the EU's equal-area projection
(wargame.figures.projection); names are placed by adjustText so that none covers another.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.collections import LineCollection, PolyCollection

from wargame.figure_kinds import MAP
from wargame.figures.load import Results, default_axes, ordered_levels
from wargame.figures.projection import graticule, project, projected_outlines, window
from wargame.figures.stats import MEAN_CI
from wargame.figures.style import (
    Figure,
    key,
    level_label,
    n_text,
    place_labels,
    pooled_caption,
    pyplot,
    save,
    save_table,
    state_names,
    target_axes,
    title_figure,
    wrap,
)
from wargame.figures.units import (
    counting_note,
    mean_table,
    mean_unit,
    runs_at_levels,
    share_table,
)
from wargame.geography import OUTLINE_NAMES
from wargame.output_registry import COMMITMENT_LEVELS
from wargame.roster import load_roster


def commitment_by_state(results: Results, by: str | None = None) -> pd.DataFrame:
    """Per (by, state): mean final commitment level (0 = NONE … 3 = FORCES) with a t 95%
    interval, share of runs ending at FORCES (Wilson 95%), mean troops pledged, position.

    Each distinct run counts once, and under paired seeds each seed (wargame.figures.units):
    n_runs counts those units."""
    results.require_swept(by)
    states = results.states[["run_id", "iso3", "commitment", "pledged_troops"]].copy()
    states["level"] = states["commitment"].astype(str).map(
        {name: i for i, name in enumerate(COMMITMENT_LEVELS)}).astype(float)
    states["forces"] = (states["level"] == len(COMMITMENT_LEVELS) - 1).astype(float)
    states["pledged_troops"] = states["pledged_troops"].astype(float)
    states = states.merge(runs_at_levels(results, [by]), on="run_id")
    keys = [by, "iso3"] if by else ["iso3"]
    level = mean_table(states, keys, "level").rename(columns={
        "n": "n_runs", "mean": "mean_level", "lo": "level_lo", "hi": "level_hi"})
    forces = share_table(states, keys, "forces").rename(columns={
        "p": "share_forces", "lo": "forces_lo", "hi": "forces_hi"})
    troops = mean_table(states, keys, "pledged_troops").rename(
        columns={"mean": "mean_pledged_troops"})
    table = level.drop(columns="runs").merge(
        forces[[*keys, "share_forces", "forces_lo", "forces_hi"]], on=keys).merge(
        troops[[*keys, "mean_pledged_troops"]], on=keys)
    roster = load_roster()
    for column in ("name", "lat", "lon"):
        table[column] = [getattr(roster[iso3], column) for iso3 in table["iso3"]]
    return table


#: Land, borders and sea, and the attacked state's land (red, pale enough for its own dot
#: to stay readable on it: a star over its capital hid Finland's dot on the Baltic map).
LAND, BORDER, SEA, ATTACKED_LAND = "#f0f0f0", "#8c8c8c", "#dcebf5", "#f4a582"
#: Where capitals west of the window (Canada, the United States) are drawn: a column in
#: the Atlantic at the window's western edge, as a share of its width and height.
OFF_MAP_X, OFF_MAP_TOP, OFF_MAP_STEP = 0.05, 0.62, 0.07


def draw_outlines(ax, fills: dict[str, str] | None = None) -> None:
    """Land (light grey; `fills`: roster name -> colour) with coastlines, borders and a faint
    graticule, from the shipped Natural Earth outlines in the map projection."""
    fills = {OUTLINE_NAMES.get(name, name): colour for name, colour in (fills or {}).items()}
    rings, faces = [], []
    for name, country in projected_outlines().items():
        rings += list(country)
        faces += [fills.get(name, LAND)] * len(country)
    ax.add_collection(PolyCollection(rings, facecolors=faces, edgecolors=BORDER,
                                     linewidths=0.4, zorder=1))
    ax.add_collection(LineCollection(graticule(), colors="#b8c9d6", linewidths=0.4,
                                     linestyles=":", zorder=0.5))
    ax.set_facecolor(SEA)


def frame_europe(ax) -> None:
    """The map's frame: Europe from Iceland to the Urals' edge, equal-area, no lon/lat axes
    (the projection's kilometres mean nothing to a reader; the graticule shows north)."""
    x0, x1, y0, y1 = window()
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal")
    ax.set_xticks([])
    ax.set_yticks([])


def capitals(lons, lats) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(x, y, off): each capital in map km; those west of the window (Canada, the United
    States) in a column in the Atlantic at its western edge, `off` True for them."""
    x, y = project(lons, lats)
    x0, x1, y0, y1 = window()
    off = x < x0
    rank = np.cumsum(off) - 1
    x = np.where(off, x0 + OFF_MAP_X * (x1 - x0), x)
    y = np.where(off, y0 + (OFF_MAP_TOP - OFF_MAP_STEP * rank) * (y1 - y0), y)
    return x, y, off


def label_states(ax, iso3s: Iterable[str], xs, ys, off) -> list:
    """Each state's name beside its capital (marked "capital off map" where drawn in the
    western column), moved by adjustText until no two labels and no label and dot
    overlap. Call it once the map is drawn. Returns the labels."""
    names = state_names()
    labels = [ax.text(x, y, names.get(iso3, iso3) + (" (capital off map)" if away else ""),
                      fontsize=6.5, zorder=4, clip_on=True)
              for iso3, x, y, away in zip(iso3s, xs, ys, off, strict=True)]
    place_labels(ax, labels, xs, ys)
    return labels


def render(results: Results, out_dir: Path, by: str | None = None) -> list[Figure]:
    """One map panel per level of a categorical `by` (governance), else one for all runs;
    one colour scale and one size scale for all panels."""
    if by is None and target_axes() is None:  # the caller's axes: all runs, one panel
        _, _, default_by = default_axes(results)
        by = default_by if default_by in results.categorical_swept else None
    table = commitment_by_state(results, by)
    save_table(table, out_dir, MAP.name)
    plt = pyplot()
    levels = ordered_levels(table[by], by) if by else [None]
    fig, axes = plt.subplots(1, len(levels), figsize=(1.5 + 6.4 * len(levels), 6.6),
                             squeeze=False, constrained_layout=True)
    roster = load_roster()
    attacked = [roster[iso3].name for iso3 in results.runs["target"].unique()]
    size_ref = max(table["mean_pledged_troops"].max(), 1.0)
    placed = []
    for ax, level in zip(axes[0], levels, strict=True):
        part = table if by is None else table[table[by] == level]
        draw_outlines(ax, dict.fromkeys(attacked, ATTACKED_LAND))
        xs, ys, off = capitals(part["lon"], part["lat"])
        points = ax.scatter(
            xs, ys, c=part["mean_level"], cmap="viridis", vmin=0,
            vmax=len(COMMITMENT_LEVELS) - 1, s=20 + 600 * part["mean_pledged_troops"] / size_ref,
            edgecolors="black", linewidths=0.5, zorder=3,
        )
        frame_europe(ax)
        ax.set_title(wrap(f"{level_label(by, level) if by else 'All runs'} "
                          f"({n_text(part['n_runs'])} {mean_unit(results)})", 60))
        placed.append((ax, part["iso3"], xs, ys, off))
    # The key sits below the maps: inside, it covered states and their labels.
    ax = axes[0, 0]
    ax.fill([], [], color=ATTACKED_LAND, ec=BORDER, label=f"attacked: {', '.join(attacked)}")
    for troops in (1_000, 10_000, 50_000):
        if troops <= size_ref:
            ax.scatter([], [], s=20 + 600 * troops / size_ref, color="lightgrey",
                       edgecolors="black", label=f"{troops:,} troops pledged (mean)")
    handles, labels = ax.get_legend_handles_labels()
    key(fig, handles, labels, ncols=len(handles), fontsize=8, labelspacing=1.2, borderpad=0.8,
        columnspacing=2.5)
    bar = fig.colorbar(points, ax=axes[0].tolist(), shrink=0.7,
                       label="Mean commitment at the end of the run")
    bar.set_ticks(range(len(COMMITMENT_LEVELS)), labels=COMMITMENT_LEVELS)
    title_figure(fig, f"Who helps: commitment by state at its capital\n{results.describe()}")
    for ax, iso3s, xs, ys, off in placed:  # last: the labels need the final layout
        label_states(ax, iso3s, xs, ys, off)
    caption = (
        "Each state at its capital, on Natural Earth 1:50m country outlines in the EU's "
        "equal-area projection (ETRS89-LAEA, EPSG:3035; capitals west of the map, Canada's "
        "and the United States', in a column at its western edge). Colour: mean commitment "
        "level at the end of the run (NONE=0, POLITICAL=1, FINANCIAL=2, FORCES=3), one scale "
        "for all panels; size: mean troops pledged; the attacked state's land in red. "
        f"Per-state intervals ({MEAN_CI} of the level, Wilson 95% interval of the share "
        f"sending forces) are in map.csv. " + counting_note(results)
        + pooled_caption([p for p in results.swept if p != by]) + f"{results.describe()}."
    )
    return [Figure(MAP.name, "Map of commitment", caption, save(fig, out_dir, MAP.name))]
