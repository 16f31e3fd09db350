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

import numpy as np
from scipy.spatial import cKDTree

from wargame.roster import EARTH_RADIUS_KM, haversine_km

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


# --- the theatre: distances to the attacker, ground held, land routes ----------------------
#: Two outlines closer than this are land neighbours (shared borders, and fixed links such
#: as the Øresund bridge; the Channel, at 33 km, is not): the outlines are thinned to 0.04°.
NEIGHBOUR_KM = 10.0
#: Points sampled in the target's outline to measure the share of ground within a distance.
GROUND_SAMPLES = 4000


def outline_name(name: str) -> str:
    """The Natural Earth name of a roster state (by its roster name)."""
    return OUTLINE_NAMES.get(name, name)


def _unit_vectors(points: np.ndarray) -> np.ndarray:
    """(lon, lat) degrees -> unit vectors, for chord distances on the sphere."""
    lon, lat = np.radians(points[:, 0]), np.radians(points[:, 1])
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], 1)


def _chord_to_km(chord: np.ndarray) -> np.ndarray:
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.minimum(1.0, chord / 2))


@cache
def _vertices(name: str) -> np.ndarray:
    rings = outlines().get(name)
    if not rings:
        raise KeyError(f"no outline for {name!r} in {OUTLINES.name}")
    return _unit_vectors(np.array([p for ring in rings for p in ring], dtype=float))


@cache
def _tree(name: str) -> cKDTree:
    return cKDTree(_vertices(name))


def km_to(names: tuple[str, ...], lat: float, lon: float) -> float:
    """Great-circle km from a point to the nearest outline vertex of any of `names`."""
    point = _unit_vectors(np.array([[lon, lat]]))
    return float(min(_chord_to_km(_tree(n).query(point)[0])[0] for n in names))


@cache
def land_neighbours() -> dict[str, frozenset[str]]:
    """Outline name -> the outlines within NEIGHBOUR_KM of it (land borders, fixed links)."""
    names = sorted(outlines())
    found: dict[str, set[str]] = {n: set() for n in names}
    # Boxes around each outline's unit vectors: two outlines whose boxes are further apart
    # than the neighbour distance cannot touch, so most pairs skip the nearest-vertex search.
    low = {n: _vertices(n).min(axis=0) for n in names}
    high = {n: _vertices(n).max(axis=0) for n in names}
    reach = 2 * math.sin(NEIGHBOUR_KM / (2 * EARTH_RADIUS_KM))
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            gap = np.maximum(0.0, np.maximum(low[a] - high[b], low[b] - high[a]))
            if float(np.hypot.reduce(gap)) > reach:
                continue
            chord = _tree(b).query(_vertices(a))[0].min()
            if _chord_to_km(np.array([chord]))[0] < NEIGHBOUR_KM:
                found[a].add(b)
                found[b].add(a)
    return {n: frozenset(s) for n, s in found.items()}


@cache
def _anchor(name: str) -> tuple[float, float]:
    """A country's point for route lengths: the mean of its outline's vertices (lat, lon)."""
    x, y, z = _vertices(name).mean(axis=0)
    return math.degrees(math.atan2(z, math.hypot(x, y))), math.degrees(math.atan2(y, x))


@cache
def land_route_km(start: tuple[str, float, float], end: tuple[str, float, float],
                  closed: frozenset[str]) -> float | None:
    """Length of the shortest land route between two capitals, or None if there is none.

    `start` and `end` are (outline name, lat, lon) of the capitals; the route runs from
    country to country over land borders (`land_neighbours`), through no outline in
    `closed` (the attacker's territory), each leg measured between the countries' points
    (capitals at the ends, outline centres on the way). A stylised road and rail distance:
    it is at least the great-circle distance and follows land where the sea is in between.
    Cached: it depends on geography alone, and every input set of a sweep or a calibration
    asks it again for every helper (it was most of a crisis setup's time).
    """
    from heapq import heappop, heappush

    (a, lat_a, lon_a), (b, lat_b, lon_b) = start, end
    if a == b:
        return haversine_km(lat_a, lon_a, lat_b, lon_b)
    graph = land_neighbours()
    best = {a: 0.0}
    point = {a: (lat_a, lon_a), b: (lat_b, lon_b)}
    queue = [(0.0, a)]
    while queue:
        length, here = heappop(queue)
        if here == b:
            return length
        if length > best.get(here, math.inf):
            continue
        for there in graph.get(here, ()):
            if there in closed:
                continue
            p = point.setdefault(there, _anchor(there))
            step = length + haversine_km(*point[here], *p)
            if step < best.get(there, math.inf):
                best[there] = step
                heappush(queue, (step, there))
    return None


@cache
def _ground_samples(name: str) -> np.ndarray:
    """Points spread evenly over a country's outline (unit vectors), for shares of area."""
    from matplotlib.path import Path as Polygon

    rings = [np.array(ring, dtype=float) for ring in outlines()[name]]
    points = []
    for ring in rings:
        area = ring_area_km2(ring.tolist())
        want = max(20, round(GROUND_SAMPLES * area / area_of_outline(name)))
        lon0, lat0 = ring.min(axis=0)
        lon1, lat1 = ring.max(axis=0)
        polygon = Polygon(ring)
        # a deterministic grid, equal-area in latitude, fine enough for `want` points inside
        side = math.sqrt((lon1 - lon0) * (lat1 - lat0) / want)
        lons = np.arange(lon0 + side / 2, lon1, side)
        lats = np.arange(lat0 + side / 2, lat1, side * math.cos(math.radians((lat0 + lat1) / 2)))
        grid = np.array([(x, y) for y in lats for x in lons])
        if len(grid):
            inside = grid[polygon.contains_points(grid)]
            weights = np.cos(np.radians(inside[:, 1]))  # cells shrink with latitude
            keep = inside[np.argsort(-weights, kind="stable")]
            points.append(keep)
    return _unit_vectors(np.concatenate(points)) if points else np.empty((0, 3))


def area_of_outline(name: str) -> float:
    return sum(ring_area_km2(ring) for ring in outlines()[name])


@cache
def ground_profile(target: str, attacker: tuple[str, ...], landing: tuple[float, float] | None
                   ) -> np.ndarray:
    """Sorted km from each sample point of `target` to where the attacker starts.

    The attacker starts from its territory (`attacker`: outline names) or, for an attacker
    from the sea, from a landing point (lat, lon). The share of the target within d km of
    the start is `np.searchsorted(profile, d, "right") / len(profile)`.
    """
    samples = _ground_samples(target)
    if landing is not None:
        start = _unit_vectors(np.array([[landing[1], landing[0]]]))
        chords = np.linalg.norm(samples - start, axis=1)
    else:
        chords = np.min([_tree(n).query(samples)[0] for n in attacker], axis=0)
    return np.sort(_chord_to_km(chords))


@cache
def _border_ground(target: str, attacker: tuple[str, ...]) -> cKDTree:
    """The attacker's outline vertices on its land border with `target` (within
    NEIGHBOUR_KM of the target's outline)."""
    own = _tree(target)
    vertices = [_vertices(n) for n in attacker]
    border = np.concatenate([v[_chord_to_km(own.query(v)[0]) < NEIGHBOUR_KM] for v in vertices])
    if not len(border):
        raise KeyError(f"{target!r} shares no land border with {attacker!r}")
    return cKDTree(border)


def nearest_ground_off_the_border(target: str, attacker: tuple[str, ...], lat: float,
                                  lon: float) -> bool:
    """Whether the attacker's ground nearest the capital (lat, lon) lies off its land
    border with `target` (an exclave across the sea): a front measured from there would
    cross the sea or other states' land to reach the capital."""
    point = _unit_vectors(np.array([[lon, lat]]))[0]
    _, index, name = min((*_tree(n).query(point), n) for n in attacker)
    gap = _chord_to_km(np.array([_tree(target).query(_vertices(name)[index])[0]]))[0]
    return bool(gap >= NEIGHBOUR_KM)


def km_to_border(target: str, attacker: tuple[str, ...], lat: float, lon: float) -> float:
    """Great-circle km from a point to the nearest of the attacker's ground on its land
    border with `target`."""
    point = _unit_vectors(np.array([[lon, lat]]))
    return float(_chord_to_km(_border_ground(target, attacker).query(point)[0])[0])


@cache
def ground_profile_from_border(target: str, attacker: tuple[str, ...]) -> np.ndarray:
    """Sorted km from each sample point of `target` to the attacker's ground on their land
    border (as `ground_profile`, for an attack that starts there)."""
    chords = _border_ground(target, attacker).query(_ground_samples(target))[0]
    return np.sort(_chord_to_km(chords))


@cache
def coast_nearest(target: str, lat: float, lon: float) -> tuple[float, float]:
    """The point of `target`'s coast nearest (lat, lon): an outline vertex farther than
    NEIGHBOUR_KM from every other country's outline (a land border is not a coast)."""
    own = np.array([p for ring in outlines()[target] for p in ring], dtype=float)
    vectors = _unit_vectors(own)
    coast = np.ones(len(own), dtype=bool)
    for other in land_neighbours().get(target, ()):
        chords = _tree(other).query(vectors)[0]
        coast &= _chord_to_km(chords) >= NEIGHBOUR_KM
    candidates = own[coast] if coast.any() else own
    here = _unit_vectors(np.array([[lon, lat]]))
    nearest = candidates[np.argmin(np.linalg.norm(_unit_vectors(candidates) - here, axis=1))]
    return float(nearest[1]), float(nearest[0])
