"""The projection of every map: ETRS89 Lambert azimuthal equal-area, Europe (EPSG:3035).

The EU's own statistical maps (Eurostat, the European Environment Agency) use it: areas
are true, so a large country does not look larger than it is, and shapes stay close to
what readers know across the continent, unlike a plain longitude/latitude frame that
stretches the north. PyProj (PROJ) does the arithmetic, offline: EPSG:3035 needs no grid
files. Coordinates are in kilometres east and north of the projection's false origin.
"""

from __future__ import annotations

from functools import cache

import numpy as np

from wargame.geography import outlines

#: The window every map shows, in degrees: Iceland to the Urals' edge, Crete and Cyprus to
#: the North Cape.
WEST, EAST, SOUTH, NORTH = -25.0, 45.0, 34.0, 71.5
#: Graticule lines drawn every this many degrees (faint: where north is, not a grid to read).
GRATICULE_STEP = 10


@cache
def _transformer():
    import pyproj

    return pyproj.Transformer.from_crs("EPSG:4326", "EPSG:3035", always_xy=True)


def project(lons, lats) -> tuple[np.ndarray, np.ndarray]:
    """Longitudes and latitudes (degrees) to map kilometres (x east, y north)."""
    x, y = _transformer().transform(np.asarray(lons, dtype=float), np.asarray(lats, dtype=float))
    return np.asarray(x) / 1000.0, np.asarray(y) / 1000.0


@cache
def window() -> tuple[float, float, float, float]:
    """(x0, x1, y0, y1): the projected bounds of the lon/lat window, in km."""
    lons = np.concatenate([np.linspace(WEST, EAST, 50), np.full(50, EAST),
                           np.linspace(EAST, WEST, 50), np.full(50, WEST)])
    lats = np.concatenate([np.full(50, SOUTH), np.linspace(SOUTH, NORTH, 50),
                           np.full(50, NORTH), np.linspace(NORTH, SOUTH, 50)])
    x, y = project(lons, lats)
    # The box's corners bow outwards under the projection: keep its middle band, where the
    # countries are, and let the corners fall outside.
    return float(np.quantile(x, 0.05)), float(np.quantile(x, 0.95)), float(y.min()), float(
        np.quantile(y, 0.97))


@cache
def projected_outlines() -> dict[str, tuple[np.ndarray, ...]]:
    """Country name -> its outer rings as (n, 2) arrays of map kilometres."""
    shapes = {}
    for name, rings in outlines().items():
        projected = []
        for ring in rings:
            points = np.asarray(ring, dtype=float)
            x, y = project(points[:, 0], points[:, 1])
            projected.append(np.column_stack([x, y]))
        shapes[name] = tuple(projected)
    return shapes


def graticule() -> list[np.ndarray]:
    """Meridians and parallels every GRATICULE_STEP degrees, as (n, 2) km arrays."""
    lines = []
    for lon in range(-40, 71, GRATICULE_STEP):
        lats = np.linspace(25, 80, 60)
        lines.append(np.column_stack(project(np.full(60, lon), lats)))
    for lat in range(30, 81, GRATICULE_STEP):
        lons = np.linspace(-45, 75, 120)
        lines.append(np.column_stack(project(lons, np.full(120, lat))))
    return lines
