"""Map: where in Europe help comes from — each state at its capital, coloured by how far it
commits on average and sized by the troops it pledges.

No map tiles and no GIS dependency: the country outlines are the Natural Earth 1:50m
outlines the package ships (wargame.geography), drawn with the capitals on an
equirectangular lon/lat frame (aspect corrected for latitude).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection

from wargame.figure_kinds import MAP
from wargame.figures.load import Results, default_axes, ordered_levels
from wargame.figures.stats import MEAN_CI, mean_ci, wilson
from wargame.figures.style import (
    Figure,
    level_label,
    pooled_caption,
    pyplot,
    save,
    save_table,
    wrap,
)
from wargame.geography import outlines
from wargame.output_registry import COMMITMENT_LEVELS
from wargame.roster import load_roster


def commitment_by_state(results: Results, by: str | None = None) -> pd.DataFrame:
    """Per (by, state): mean final commitment level (0 = NONE … 3 = FORCES) with a t 95%
    interval, share of runs ending at FORCES (Wilson 95%), mean troops pledged, position."""
    results.require_swept(by)
    states = results.states[["run_id", "iso3", "commitment", "pledged_troops"]].copy()
    states["level"] = states["commitment"].astype(str).map(
        {name: i for i, name in enumerate(COMMITMENT_LEVELS)})
    keys = ["iso3"]
    if by:
        states = states.merge(results.runs[["run_id", by]], on="run_id")
        keys = [by, "iso3"]
    rows = []
    for key, group in states.groupby(keys, sort=True):
        key = key if isinstance(key, tuple) else (key,)
        n, mean, lo, hi = mean_ci(group["level"].to_numpy(dtype=float))
        forces = int((group["level"] == len(COMMITMENT_LEVELS) - 1).sum())
        f_lo, f_hi = wilson(forces, n)
        rows.append({**dict(zip(keys, key, strict=True)), "n_runs": n, "mean_level": mean,
                     "level_lo": lo, "level_hi": hi, "share_forces": forces / n,
                     "forces_lo": float(f_lo), "forces_hi": float(f_hi),
                     "mean_pledged_troops": float(group["pledged_troops"].mean())})
    table = pd.DataFrame(rows)
    roster = load_roster()
    for column in ("name", "lat", "lon"):
        table[column] = [getattr(roster[iso3], column) for iso3 in table["iso3"]]
    return table


#: The frame (degrees): Europe from Iceland to the Urals' edge. States whose capital lies
#: west of it (Canada) are drawn on its western edge and labelled "off map".
WEST, EAST, SOUTH, NORTH = -26.0, 45.0, 33.0, 71.0
#: Labels go above right of their capital, except where capitals crowd (Vienna and
#: Bratislava are 55 km apart; Ljubljana, Zagreb, Podgorica, Tirana and Skopje lie within
#: 3 degrees): (offset in points, horizontal alignment) so that no two labels collide
#: (tests/test_figure_layout.py draws every state's label on both maps' frames).
LABEL_PLACES: dict[str, tuple[tuple[int, int], str]] = {
    "AUT": ((-4, 3), "right"),
    "SVN": ((-4, 3), "right"),
    "HRV": ((4, -9), "left"),
    "MNE": ((-4, 3), "right"),
    "ALB": ((-4, -9), "right"),
    "MKD": ((4, -9), "left"),
    "HUN": ((4, -9), "left"),
    "EST": ((4, -9), "left"),  # under Helsinki's, 80 km north
    "PRT": ((4, -9), "left"),  # under the US's off-map label on the western edge
}


def draw_outlines(ax) -> None:
    """Land (light grey) with coastlines and borders from the shipped Natural Earth outlines."""
    rings = [ring for country in outlines().values() for ring in country]
    ax.add_collection(PolyCollection(rings, facecolors="#f0f0f0", edgecolors="#8c8c8c",
                                     linewidths=0.4, zorder=1))
    ax.set_facecolor("#dcebf5")  # sea


def frame_europe(ax) -> None:
    """The map's frame: Europe from Iceland to the Urals' edge, distances true near 50° N."""
    ax.set_aspect(1 / np.cos(np.radians(50)))
    ax.set_xlim(WEST, EAST)
    ax.set_ylim(SOUTH, NORTH)
    ax.xaxis.set_major_formatter("{x:.0f}°")
    ax.yaxis.set_major_formatter("{x:.0f}°")
    ax.set_xlabel("Longitude (degrees east)")
    ax.set_ylabel("Latitude (degrees north)")


def on_map(lon: pd.Series) -> pd.Series:
    """Capitals' longitudes, those west of the frame (Canada, the US) on its western edge."""
    return lon.clip(lower=WEST + 3)


def label_states(ax, iso3s: Iterable[str], lons: Iterable[float],
                 lats: Iterable[float]) -> list:
    """An iso3 label beside each capital (`LABEL_PLACES` where capitals crowd); a capital
    drawn on the western edge is labelled as off the map. Returns the labels."""
    labels = []
    for iso3, lon, lat in zip(iso3s, lons, lats, strict=True):
        shown = max(lon, WEST + 3)
        text = iso3 if shown == lon else f"{iso3} (capital off map)"
        offset, align = LABEL_PLACES.get(iso3, ((4, 3), "left"))
        labels.append(ax.annotate(text, (shown, lat), fontsize=7, xytext=offset, ha=align,
                                  textcoords="offset points", zorder=4))
    return labels


def render(results: Results, out_dir: Path, by: str | None = None) -> list[Figure]:
    """One map panel per level of a categorical `by` (governance), else one for all runs."""
    if by is None:
        _, _, default_by = default_axes(results)
        by = default_by if default_by in results.categorical_swept else None
    table = commitment_by_state(results, by)
    save_table(table, out_dir, MAP.name)
    plt = pyplot()
    levels = ordered_levels(table[by], by) if by else [None]
    fig, axes = plt.subplots(1, len(levels), figsize=(1.5 + 6 * len(levels), 6.2), squeeze=False,
                             constrained_layout=True)
    roster = load_roster()
    targets = results.runs["target"].unique()
    size_ref = max(table["mean_pledged_troops"].max(), 1.0)
    for ax, level in zip(axes[0], levels, strict=True):
        part = table if by is None else table[table[by] == level]
        draw_outlines(ax)
        points = ax.scatter(
            on_map(part["lon"]), part["lat"], c=part["mean_level"], cmap="viridis", vmin=0,
            vmax=len(COMMITMENT_LEVELS) - 1, s=20 + 600 * part["mean_pledged_troops"] / size_ref,
            edgecolors="black", linewidths=0.5, zorder=3,
        )
        label_states(ax, part["iso3"], part["lon"], part["lat"])
        for iso3 in targets:
            target = roster[iso3]
            ax.scatter(target.lon, target.lat, marker="*", s=350, color="red",
                       edgecolors="black", zorder=5, label=f"attacked: {target.name}")
        frame_europe(ax)
        n = int(part["n_runs"].max())
        ax.set_title(wrap(f"{level_label(by, level) if by else 'All runs'} (n = {n:,} runs)", 55))
    # The key sits below the maps: inside, it covered states and their labels.
    ax = axes[0, 0]
    for troops in (1_000, 10_000, 50_000):
        if troops <= size_ref:
            ax.scatter([], [], s=20 + 600 * troops / size_ref, color="lightgrey",
                       edgecolors="black", label=f"{troops:,} troops pledged (mean)")
    handles, labels = ax.get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=len(handles), fontsize=8,
               labelspacing=1.2, borderpad=0.8, columnspacing=2.5)
    bar = fig.colorbar(points, ax=axes[0].tolist(), shrink=0.7,
                       label="Mean commitment at the end of the run")
    bar.set_ticks(range(len(COMMITMENT_LEVELS)), labels=COMMITMENT_LEVELS)
    fig.suptitle(f"Who helps: commitment by state at its capital\n{results.describe()}")
    caption = (
        "Each state at its capital, on Natural Earth 1:50m country outlines (plain "
        "longitude/latitude; capitals west of 26°W are drawn on the western edge). Colour: mean "
        "commitment level at the end of the run (NONE=0, POLITICAL=1, FINANCIAL=2, FORCES=3); "
        "size: mean troops pledged; red star: the attacked state. Per-state intervals "
        f"({MEAN_CI} of the level, Wilson 95% interval of the share sending forces) are in "
        f"map.csv. " + pooled_caption([p for p in results.swept if p != by])
        + f"{results.describe()}."
    )
    return [Figure(MAP.name, "Map of commitment", caption, save(fig, out_dir, MAP.name))]
