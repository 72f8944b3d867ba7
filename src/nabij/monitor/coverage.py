"""Coverage: the share of a neighbourhood's residents with an accessible activity within walking distance.

The method (docs/coverage.md):
- residents are not located one by one: each neighbourhood's CBS population is spread evenly over a
  100 m grid inside its boundary (at its centroid when it has no boundary, or when the area is so
  small that no grid point falls inside);
- walking distance is straight-line distance x the detour factor, so a grid point is within reach of
  an activity when the straight line is at most `walk_metres / detour_factor` (MonitorSettings);
- distances are measured on a local equirectangular projection in metres around the municipality's
  centre: at city scale the error is far below the 100 m grid.

Everything here is numpy/scipy on arrays; the database is read once (neighbourhoods and the supply
table). The grid and the "which place can each grid point reach" pairs are built once per call and
reused for every target group and participation type (and, in the what-if, for before and after).
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.spatial import cKDTree

from nabij.core.models import Municipality, Neighbourhood
from nabij.monitor.areas import AreaTree
from nabij.monitor.indicators.cells import Cell, percentage_cell
from nabij.monitor.models import MonitorSettings
from nabij.monitor.supply import SupplyTable, supply_on, target_groups

GRID_METRES = 100.0
EARTH_RADIUS_METRES = 6_371_008.8  # mean radius (IUGG)
ANY = "any"
# Points x edges handled at once by the point-in-polygon test: bounds memory on detailed boundaries.
_CHUNK = 2_000_000


# --- projection --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Projection:
    """Equirectangular projection in metres around (lat0, lon0): x east, y north."""

    lat0: float
    lon0: float

    @property
    def _kx(self) -> float:
        return EARTH_RADIUS_METRES * math.radians(1.0) * math.cos(math.radians(self.lat0))

    @property
    def _ky(self) -> float:
        return EARTH_RADIUS_METRES * math.radians(1.0)

    def to_xy(self, lat: Any, lon: Any) -> tuple[np.ndarray, np.ndarray]:
        lat_array = np.asarray(lat, dtype=float)
        lon_array = np.asarray(lon, dtype=float)
        return (lon_array - self.lon0) * self._kx, (lat_array - self.lat0) * self._ky

    def to_latlon(self, x: Any, y: Any) -> tuple[np.ndarray, np.ndarray]:
        return self.lat0 + np.asarray(y, dtype=float) / self._ky, self.lon0 + np.asarray(x, dtype=float) / self._kx


# --- polygons ----------------------------------------------------------------------------------


def polygons_of(geometry: dict[str, Any] | None) -> list[list[list[list[float]]]]:
    """The polygons (each a list of rings of [lon, lat]) of a GeoJSON Polygon or MultiPolygon."""
    if not geometry:
        return []
    if geometry.get("type") == "Polygon":
        return [geometry["coordinates"]]
    if geometry.get("type") == "MultiPolygon":
        return list(geometry["coordinates"])
    return []


def points_in_rings(x: np.ndarray, y: np.ndarray, rings: Sequence[np.ndarray]) -> np.ndarray:
    """Even-odd rule over all rings of one polygon (outer ring and holes), vectorised.

    Each ring is an (n, 2) array of projected positions. A point inside a hole crosses the hole's
    edges too, so it ends up outside: holes need no special case.
    """
    inside = np.zeros(len(x), dtype=bool)
    if len(x) == 0:
        return inside
    for ring in rings:
        if len(ring) < 2:
            continue
        x1, y1 = ring[:-1, 0], ring[:-1, 1]
        x2, y2 = ring[1:, 0], ring[1:, 1]
        step = max(1, _CHUNK // max(len(x1), 1))
        for start in range(0, len(x), step):
            px = x[start : start + step, None]
            py = y[start : start + step, None]
            straddles = (y1 > py) != (y2 > py)
            # Where the edge crosses the point's horizontal line; only used where it straddles it,
            # so a horizontal edge's zero height never divides.
            height = np.where(y2 == y1, 1.0, y2 - y1)
            crossing_x = x1 + (py - y1) * (x2 - x1) / height
            crossings = np.count_nonzero(straddles & (px < crossing_x), axis=1)
            inside[start : start + step] ^= (crossings % 2).astype(bool)
    return inside


def points_in_geometry(
    x: np.ndarray, y: np.ndarray, geometry: dict[str, Any] | None, projection: Projection
) -> np.ndarray:
    """Which projected points lie in a GeoJSON (Multi)Polygon given in lon/lat."""
    inside = np.zeros(len(x), dtype=bool)
    for polygon in polygons_of(geometry):
        rings = []
        for ring in polygon:
            coordinates = np.asarray([position[:2] for position in ring], dtype=float)
            rx, ry = projection.to_xy(coordinates[:, 1], coordinates[:, 0])
            rings.append(np.column_stack([rx, ry]))
        inside |= points_in_rings(x, y, rings)
    return inside


# --- the population grid -----------------------------------------------------------------------


@dataclass(frozen=True)
class AreaShape:
    """What the grid needs of a neighbourhood."""

    code: str
    population: int
    lat: float
    lon: float
    boundary: dict[str, Any] | None = None


@dataclass
class PopulationGrid:
    """Residents as weighted points: point i stands for `population[area[i]] / count[area[i]]` people."""

    codes: list[str]  # area index → neighbourhood code
    population: np.ndarray  # residents per area (int64)
    x: np.ndarray  # point position in metres (projection)
    y: np.ndarray
    area: np.ndarray  # area index per point
    count: np.ndarray  # points per area

    @property
    def weights(self) -> np.ndarray:
        if len(self.area) == 0:
            return np.zeros(0)
        return self.population[self.area] / self.count[self.area]

    def residents(self, covered: np.ndarray) -> np.ndarray:
        """Whole residents per area living at the covered points: population x covered / points,
        rounded half up in integers (exact, so the neighbourhoods add up to the districts)."""
        hits = np.bincount(self.area[covered], minlength=len(self.codes)).astype(np.int64)
        count = np.maximum(self.count, 1)
        return (2 * self.population * hits + count) // (2 * count)


def _lattice(low: float, high: float) -> np.ndarray:
    """Centres of the 100 m cells between two coordinates, on one lattice for all areas, so
    neighbouring areas never share a point."""
    first = math.ceil(low / GRID_METRES - 0.5)
    last = math.floor(high / GRID_METRES - 0.5)
    return (np.arange(first, last + 1, dtype=float) + 0.5) * GRID_METRES


def population_grid(areas: Iterable[AreaShape], projection: Projection) -> PopulationGrid:
    codes: list[str] = []
    population: list[int] = []
    xs: list[np.ndarray] = []
    ys: list[np.ndarray] = []
    owner: list[np.ndarray] = []
    counts: list[int] = []
    for index, area in enumerate(areas):
        codes.append(area.code)
        population.append(max(int(area.population or 0), 0))
        px = py = np.zeros(0)
        polygons = polygons_of(area.boundary) if area.population else []
        if polygons:
            corners = np.asarray([position[:2] for polygon in polygons for position in polygon[0]], dtype=float)
            bx, by = projection.to_xy(corners[:, 1], corners[:, 0])
            gx, gy = np.meshgrid(_lattice(bx.min(), bx.max()), _lattice(by.min(), by.max()))
            gx, gy = gx.ravel(), gy.ravel()
            keep = points_in_geometry(gx, gy, area.boundary, projection)
            px, py = gx[keep], gy[keep]
        if area.population and len(px) == 0:
            # No boundary, or smaller than a grid cell: everyone at the centroid.
            cx, cy = projection.to_xy(area.lat, area.lon)
            px, py = np.atleast_1d(cx), np.atleast_1d(cy)
        xs.append(px)
        ys.append(py)
        owner.append(np.full(len(px), index, dtype=np.int64))
        counts.append(len(px))
    return PopulationGrid(
        codes=codes,
        population=np.asarray(population, dtype=np.int64),
        x=np.concatenate(xs) if xs else np.zeros(0),
        y=np.concatenate(ys) if ys else np.zeros(0),
        area=np.concatenate(owner) if owner else np.zeros(0, dtype=np.int64),
        count=np.asarray(counts, dtype=np.int64),
    )


def area_shapes(municipality: Municipality) -> list[AreaShape]:
    """The municipality's neighbourhoods, by code. Needs its scope."""
    rows = Neighbourhood.objects.filter(municipality=municipality).values_list(
        "code", "population", "centroid_lat", "centroid_lon", "boundary"
    )
    return [AreaShape(code, population or 0, lat, lon, boundary) for code, population, lat, lon, boundary in rows]


def projection_for(municipality: Municipality) -> Projection:
    return Projection(municipality.centroid_lat, municipality.centroid_lon)


# --- reach -------------------------------------------------------------------------------------


class Reach:
    """The grid and, once, every (grid point, activity place) pair within the straight-line radius.

    Activities at one place share a position, so pairs are made with distinct positions ("sites"):
    far fewer than activities. Which activities count is decided afterwards, per call, with masks.
    """

    def __init__(self, grid: PopulationGrid, lat: np.ndarray, lon: np.ndarray, projection: Projection, radius: float):
        self.grid = grid
        x, y = projection.to_xy(lat, lon)
        located = ~(np.isnan(x) | np.isnan(y))
        self.located = located
        positions = np.column_stack([x[located], y[located]])
        # Site index per activity (-1 without coordinates).
        self.site = np.full(len(x), -1, dtype=np.int64)
        if len(positions):
            sites, inverse = np.unique(np.round(positions, 3), axis=0, return_inverse=True)
            self.site[located] = inverse.ravel()
        else:
            sites = np.zeros((0, 2))
        self.n_sites = len(sites)
        if len(sites) and len(grid.x):
            points = cKDTree(np.column_stack([grid.x, grid.y]))
            pairs = points.sparse_distance_matrix(cKDTree(sites), radius, output_type="ndarray")
            self.pair_point = pairs["i"].astype(np.int64)
            self.pair_site = pairs["j"].astype(np.int64)
        else:
            self.pair_point = self.pair_site = np.zeros(0, dtype=np.int64)

    def covered(self, type_index: np.ndarray, accessible: np.ndarray, n_types: int) -> np.ndarray:
        """(points, n_types + 1) booleans: within reach of an accessible activity of each type; the
        last column is "of any type"."""
        columns = n_types + 1
        at_site = np.zeros((self.n_sites, columns), dtype=bool)
        usable = accessible & (self.site >= 0)
        typed = usable & (type_index >= 0) & (type_index < n_types)
        at_site[self.site[typed], type_index[typed]] = True
        at_site[self.site[usable], n_types] = True
        result = np.zeros((len(self.grid.x), columns), dtype=bool)
        if len(self.pair_point):
            hits = at_site[self.pair_site]
            rows, cols = np.nonzero(hits)
            result[self.pair_point[rows], cols] = True
        return result


def build_reach(municipality: Municipality, settings: MonitorSettings, lat: np.ndarray, lon: np.ndarray) -> Reach:
    projection = projection_for(municipality)
    grid = population_grid(area_shapes(municipality), projection)
    return Reach(grid, lat, lon, projection, settings.reach_metres)


# --- cells -------------------------------------------------------------------------------------


def area_numerators(grid: PopulationGrid, residents: np.ndarray, tree: AreaTree) -> dict[str, int]:
    """Residents per neighbourhood, district and municipality: the districts and the municipality are
    the sums of their neighbourhoods' whole numbers."""
    by_code = {code: int(residents[i]) for i, code in enumerate(grid.codes)}
    result: dict[str, int] = {}
    for code in tree.neighbourhoods:
        result[code] = by_code.get(code, 0)
    for district in tree.districts:
        result[district] = sum(result[n] for n in tree.children(district))
    result[tree.municipality] = sum(result[d] for d in tree.districts)
    return result


def area_populations(tree: AreaTree) -> dict[str, int]:
    result = {code: int(tree.population.get(code, 0)) for code in tree.neighbourhoods}
    for district in tree.districts:
        result[district] = sum(result[n] for n in tree.children(district))
    result[tree.municipality] = sum(result[d] for d in tree.districts)
    return result


def percentage_cells(indicator: str, group: str, numerators: dict[str, int], populations: dict[str, int]) -> list[Cell]:
    return [percentage_cell(indicator, code, group, numerators[code], populations[code]) for code in numerators]


def coverage_cells(
    *,
    municipality: Municipality,
    day: dt.date,
    settings: MonitorSettings,
    tree: AreaTree,
    supply: SupplyTable | None = None,
) -> list[Cell]:
    """`coverage.<type>` and `coverage.any` per target group, for every neighbourhood, district and the
    municipality, before small-cell protection. Needs the municipality's scope.

    `supply` may be passed when the caller already has the table for `day` (the snapshot does).
    """
    table = supply if supply is not None else supply_on(municipality, day)
    reach = build_reach(municipality, settings, table.lat, table.lon)
    populations = area_populations(tree)
    codes = [*table.type_codes, ANY]
    cells: list[Cell] = []
    for group, group_mask in target_groups(municipality):
        accessible = (table.mask & np.int64(group_mask)) == 0
        covered = reach.covered(table.type_index, accessible, len(table.type_codes))
        for column, code in enumerate(codes):
            numerators = area_numerators(reach.grid, reach.grid.residents(covered[:, column]), tree)
            cells.extend(percentage_cells(f"coverage.{code}", group, numerators, populations))
    return cells
