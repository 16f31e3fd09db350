"""Land areas from the Natural Earth outlines the package ships (wargame/viz/data/).

The front moves in kilometres, so the share of a country it takes in a day shrinks with
the country's size. Areas are computed once from the 1:50m admin-0 outlines (public
domain) on a spherical Earth: Estonia comes out at 45,400 km² against 45,300 in official
statistics, Finland at 330,000 against 338,000.
"""

from __future__ import annotations

import json
import math
from functools import cache
from pathlib import Path

from wargame.roster import EARTH_RADIUS_KM

OUTLINES = Path(__file__).parent / "viz" / "data" / "europe-50m.json"

#: Roster names that Natural Earth spells otherwise.
OUTLINE_NAMES = {"Türkiye": "Turkey", "North Macedonia": "Macedonia"}


@cache
def outlines() -> dict[str, list[list[list[float]]]]:
    """Country name -> outer rings of (lon, lat) points."""
    return json.loads(OUTLINES.read_text())["countries"]


def ring_area_km2(ring: list[list[float]]) -> float:
    """Area of one closed (lon, lat) ring on the sphere (the trapezoid formula on sin(lat))."""
    total = 0.0
    for (lon1, lat1), (lon2, lat2) in zip(ring, ring[1:] + ring[:1], strict=True):
        total += math.radians(lon2 - lon1) * (
            2 + math.sin(math.radians(lat1)) + math.sin(math.radians(lat2)))
    return abs(total) * EARTH_RADIUS_KM**2 / 2


@cache
def area_km2(name: str) -> float:
    """Land area of a roster state, by its roster name, in km²."""
    rings = outlines().get(OUTLINE_NAMES.get(name, name))
    if not rings:
        raise KeyError(f"no outline for {name!r} in {OUTLINES.name}")
    return sum(ring_area_km2(ring) for ring in rings)
