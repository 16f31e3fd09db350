"""The map of Europe: each state at its capital, coloured by commitment, sized by pledged forces.

`draw_europe` draws the countries alone, for this map and the negotiation's. The outlines
are Natural Earth 1:50m countries shipped with the package (data/, made by
scripts/make-europe-map), so the map draws with no internet and no map library.
"""

from __future__ import annotations

import math

import solara
from matplotlib.axes import Axes
from matplotlib.collections import PolyCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from wargame.agents import Commitment
from wargame.geography import OUTLINE_NAMES, outlines
from wargame.model import CrisisModel
from wargame.viz.style import (
    ADVERSARY_COLOUR,
    COMMITMENT_COLOURS,
    VICTIM_COLOUR,
    level_name,
    show_figure,
)

#: Map window in degrees: Iceland to the Urals' foothills, the Maghreb coast to the North Cape.
LON_RANGE = (-25.0, 45.0)
LAT_RANGE = (34.0, 71.5)
LAND, SEA, BORDER = "#f4f1ea", "#dce9f3", "#b8b2a7"
VICTIM_LAND, ADVERSARY_LAND = "#f6b8b0", "#e3cfcc"


def marker_area(troops: int) -> float:
    """Marker area in points² for a number of pledged troops (area grows with troops)."""
    return 28.0 + troops / 35.0


def on_map(lon: float, lat: float) -> bool:
    return LON_RANGE[0] <= lon <= LON_RANGE[1] and LAT_RANGE[0] <= lat <= LAT_RANGE[1]


def draw_europe(ax: Axes, fills: dict[str, str]) -> None:
    """The countries in the map window, filled by `fills` (roster name -> colour) or as land."""
    fills = {OUTLINE_NAMES.get(name, name): colour for name, colour in fills.items()}
    rings, faces = [], []
    for name, country in outlines().items():
        for ring in country:
            rings.append(ring)
            faces.append(fills.get(name, LAND))
    ax.add_collection(PolyCollection(rings, facecolors=faces, edgecolors=BORDER,
                                     linewidths=0.4))
    ax.set_facecolor(SEA)
    ax.set_xlim(*LON_RANGE)
    ax.set_ylim(*LAT_RANGE)
    ax.set_aspect(1.0 / math.cos(math.radians(sum(LAT_RANGE) / 2)))
    ax.set_xticks([])
    ax.set_yticks([])


def draw_map(model: CrisisModel, fig: Figure) -> None:
    """Draw the crisis on `fig`: the states, the victim, the adversary and a legend."""
    ax = fig.subplots()
    victim, adversary = model.victim, model.adversary.profile  # None: a stylised attacker
    highlighted = {victim.name: VICTIM_LAND}
    if adversary is not None:
        highlighted[adversary.name] = ADVERSARY_LAND
    draw_europe(ax, highlighted)

    states = sorted(model.state_list, key=lambda s: -s.pledged_troops)  # big markers below
    shown = [s for s in states if on_map(s.profile.lon, s.profile.lat)]
    ax.scatter(
        [s.profile.lon for s in shown],
        [s.profile.lat for s in shown],
        s=[marker_area(s.pledged_troops) for s in shown],
        c=[COMMITMENT_COLOURS[s.commitment] for s in shown],
        edgecolors="white",
        linewidths=0.8,
        zorder=3,
    )
    for s in shown:
        ax.annotate(s.iso3, (s.profile.lon, s.profile.lat), xytext=(0, -9),
                    textcoords="offset points", ha="center", va="top", fontsize=6.5, zorder=4)
    ax.scatter([victim.lon], [victim.lat], marker="*", s=260, c=VICTIM_COLOUR,
               edgecolors="black", linewidths=0.8, zorder=5)
    label_box = {"boxstyle": "round,pad=0.15", "fc": "white", "ec": "none", "alpha": 0.8}
    # Up and to the left of the star: east of the victim is the adversary's label.
    ax.annotate(f"{victim.name} (victim)", (victim.lon, victim.lat), xytext=(-8, 7),
                textcoords="offset points", ha="right", fontsize=8, weight="bold", zorder=6,
                bbox=label_box)
    where = (adversary.lon, adversary.lat) if adversary else (victim.lon, victim.lat - 2.0)
    ax.scatter([where[0]], [where[1]], marker="X", s=140, c=ADVERSARY_COLOUR,
               edgecolors="white", linewidths=0.8, zorder=5)
    ax.annotate(f"adversary: {model.adversary.rung.name.lower()}, "
                f"{model.territory_lost:.0%} held", where, xytext=(0, -12),
                textcoords="offset points", fontsize=8, weight="bold", color=ADVERSARY_COLOUR,
                ha="center", va="top", zorder=6, bbox=label_box)

    off_map = [s for s in states if not on_map(s.profile.lon, s.profile.lat)]
    if off_map:
        text = "off the map: " + ", ".join(
            f"{s.profile.name} ({level_name(s.commitment)}, {s.pledged_troops:,} troops)"
            for s in off_map
        )
        ax.text(0.01, 0.01, text, transform=ax.transAxes, fontsize=6.5, va="bottom")

    ax.set_title(f"Day {model.day}: commitment by state", fontsize=10)
    # Under the map, not on it: in its upper left it hid Iceland, Ireland and the UK.
    fig.legend(handles=_legend_handles(), loc="outside lower center", ncols=4, fontsize=6,
               labelspacing=0.3, borderpad=0.3, handletextpad=0.2, columnspacing=0.8)


def _legend_handles() -> list[Line2D]:
    def dot(colour: str, label: str, marker: str = "o", size: float = 6) -> Line2D:
        return Line2D([], [], marker=marker, linestyle="", markersize=size,
                      markerfacecolor=colour, markeredgecolor="grey", label=label)

    handles = [dot(COMMITMENT_COLOURS[level], level_name(level)) for level in Commitment]
    handles.append(dot(COMMITMENT_COLOURS[Commitment.FORCES], "area: 5,000 troops pledged",
                       size=math.sqrt(marker_area(5_000))))
    handles.append(dot(VICTIM_COLOUR, "victim", marker="*", size=9))
    handles.append(dot(ADVERSARY_COLOUR, "adversary", marker="X", size=7))
    return handles


@solara.component
def EuropeMap(model: CrisisModel) -> None:
    """The map, redrawn after every step."""
    show_figure(model, draw_map)
