"""Coverage: the population grid, point-in-polygon, reach and the cells, on the hand-worked world of
tests/monitor/coverage_world.py (read its docstring for the map)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from nabij.monitor.areas import area_tree
from nabij.monitor.coverage import (
    AreaShape,
    PopulationGrid,
    Projection,
    Reach,
    area_shapes,
    coverage_cells,
    points_in_geometry,
    points_in_rings,
    population_grid,
)
from nabij.monitor.indicators.cells import Cell
from nabij.testing.personas import Personas
from tests.monitor.coverage_world import (
    CENTRUM,
    GM,
    HAVEN,
    HOFJE,
    KLEIN,
    MOLEN,
    NOORD,
    CoverageWorld,
    build_coverage_world,
    polygon,
)

pytestmark = pytest.mark.django_db

P = Projection(52.0, 4.5)


@pytest.fixture
def world(personas: Personas, scope_a: None) -> CoverageWorld:
    return build_coverage_world(personas)


def compute(world: CoverageWorld) -> dict[tuple[str, str, str], Cell]:
    cells = coverage_cells(municipality=world.a, day=dt.date.today(), settings=world.settings, tree=area_tree(world.a))
    return {cell.key: cell for cell in cells}


# --- polygons ----------------------------------------------------------------------------------


def square(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.array([[x0, y0], [x1, y0], [x1, y1], [x0, y1], [x0, y0]], dtype=float)


def test_points_in_a_square_and_not_in_its_hole() -> None:
    x = np.array([5.0, 50.0, 95.0, 150.0, -1.0, 50.0])
    y = np.array([5.0, 50.0, 95.0, 50.0, 50.0, 5.0])
    assert points_in_rings(x, y, [square(0, 0, 100, 100)]).tolist() == [True, True, True, False, False, True]
    with_hole = points_in_rings(x, y, [square(0, 0, 100, 100), square(25, 25, 75, 75)])
    # (50, 50) lies in the hole; (50, 5) below it is still inside.
    assert with_hole.tolist() == [True, False, True, False, False, True]


def test_points_in_a_concave_polygon() -> None:
    # An L: the square 0..100 without its upper-right quarter.
    ell = np.array([[0, 0], [100, 0], [100, 50], [50, 50], [50, 100], [0, 100], [0, 0]], dtype=float)
    x = np.array([25.0, 75.0, 75.0, 25.0])
    y = np.array([25.0, 25.0, 75.0, 75.0])
    assert points_in_rings(x, y, [ell]).tolist() == [True, True, False, True]


def test_points_in_a_multipolygon_given_in_lon_lat() -> None:
    two = polygon(P, (0, 0, 100, 100))
    other = polygon(P, (300, 0, 400, 100))
    multi = {"type": "MultiPolygon", "coordinates": [two["coordinates"], other["coordinates"]]}
    x = np.array([50.0, 200.0, 350.0])
    y = np.array([50.0, 50.0, 50.0])
    assert points_in_geometry(x, y, multi, P).tolist() == [True, False, True]
    assert points_in_geometry(x, y, None, P).tolist() == [False, False, False]


# --- the grid ----------------------------------------------------------------------------------


def test_grid_points_and_weights(world: CoverageWorld) -> None:
    grid = population_grid(area_shapes(world.a), P)
    count = dict(zip(grid.codes, grid.count.tolist(), strict=True))
    # Strip 1000 x 100: 10 cells; Hofje: 5 x 5 minus the 3 x 3 hole; Klein and Molenbuurt: the centroid.
    assert count == {HAVEN: 10, MOLEN: 1, KLEIN: 1, HOFJE: 16}
    weights = grid.weights
    for code, population in {HAVEN: 2001, MOLEN: 300, KLEIN: 50, HOFJE: 1001}.items():
        mine = grid.area == grid.codes.index(code)
        assert weights[mine].sum() == pytest.approx(population, abs=1e-9)
    # Oude Haven's points are the cell centres x = 50, 150, ..., 950 at y = 50.
    haven = grid.area == grid.codes.index(HAVEN)
    assert sorted(np.round(grid.x[haven]).tolist()) == [50.0 + 100 * k for k in range(10)]
    assert set(np.round(grid.y[haven]).tolist()) == {50.0}
    # Klein's only point is its centroid (5020, 5020).
    klein = grid.area == grid.codes.index(KLEIN)
    assert np.round(grid.x[klein]).tolist() == [5020.0]
    assert np.round(grid.y[klein]).tolist() == [5020.0]


def test_grid_leaves_out_an_area_without_residents() -> None:
    grid = population_grid([AreaShape("BU00010109", 0, 52.0, 4.5, polygon(P, (0, 0, 500, 500)))], P)
    assert grid.count.tolist() == [0]
    assert len(grid.x) == 0


def test_grid_puts_residents_at_the_centroid_without_a_usable_boundary() -> None:
    point = {"type": "Point", "coordinates": [4.5, 52.0]}
    grid = population_grid([AreaShape("BU00010109", 10, 52.0, 4.5, point), AreaShape("BU00010108", 7, 52.0, 4.5)], P)
    assert grid.count.tolist() == [1, 1]
    assert grid.weights.tolist() == [10.0, 7.0]


def test_residents_are_rounded_half_up_in_whole_people() -> None:
    grid = PopulationGrid(
        codes=["a", "b"],
        population=np.array([2001, 7]),
        x=np.zeros(13),
        y=np.zeros(13),
        area=np.array([0] * 10 + [1] * 3),
        count=np.array([10, 3]),
    )
    covered = np.array([True] * 5 + [False] * 5 + [True, False, False])
    # 2001 x 5/10 = 1000.5 → 1001; 7 x 1/3 = 2.33 → 2.
    assert grid.residents(covered).tolist() == [1001, 2]
    assert grid.residents(np.ones(13, dtype=bool)).tolist() == [2001, 7]


def test_reach_pairs_points_with_places_within_the_radius() -> None:
    grid = PopulationGrid(
        codes=["a"], population=np.array([3]), x=np.array([0.0, 400.0, 1000.0]), y=np.zeros(3),
        area=np.zeros(3, dtype=np.int64), count=np.array([3]),
    )  # fmt: skip
    lat, lon = P.to_latlon(np.array([0.0, 0.0, np.nan]), np.array([0.0, 0.0, np.nan]))
    reach = Reach(grid, lat, lon, P, 500.0)
    assert reach.n_sites == 1  # two activities at one place; the third has no coordinates
    covered = reach.covered(np.array([0, 1, 0]), np.array([True, False, True]), 2)
    # Type 0 is accessible at the place (the one without coordinates counts for nobody), type 1 is not.
    assert covered.tolist() == [[True, False, True], [True, False, True], [False, False, False]]


# --- the cells ---------------------------------------------------------------------------------

# (group, type) → residents per area, worked out from the map in coverage_world.py.
EXPECTED: dict[tuple[str, str], dict[str, int]] = {
    # gevoelig: A2 (cost) and A7 (cost) do not count; A3 (registration) does.
    ("gevoelig", "ontmoeten"): {HAVEN: 1001, MOLEN: 0, KLEIN: 0, HOFJE: 0},
    ("gevoelig", "bewegen"): {HAVEN: 0, MOLEN: 300, KLEIN: 0, HOFJE: 1001},
    ("gevoelig", "any"): {HAVEN: 1001, MOLEN: 300, KLEIN: 0, HOFJE: 1001},
    # iedereen: every published, located activity counts.
    ("iedereen", "ontmoeten"): {HAVEN: 2001, MOLEN: 0, KLEIN: 0, HOFJE: 0},
    ("iedereen", "bewegen"): {HAVEN: 0, MOLEN: 300, KLEIN: 50, HOFJE: 1001},
    ("iedereen", "any"): {HAVEN: 2001, MOLEN: 300, KLEIN: 50, HOFJE: 1001},
}
POPULATION = {HAVEN: 2001, MOLEN: 300, KLEIN: 50, HOFJE: 1001, CENTRUM: 2301, NOORD: 1051, GM: 3352}


def test_coverage_cells_match_the_hand_worked_values(world: CoverageWorld) -> None:
    cells = compute(world)
    assert len(cells) == 2 * 3 * 7  # groups x (2 types + any) x (4 neighbourhoods, 2 districts, 1 municipality)
    for (group, kind), by_area in EXPECTED.items():
        expected = dict(by_area)
        expected[CENTRUM] = by_area[HAVEN] + by_area[MOLEN]
        expected[NOORD] = by_area[KLEIN] + by_area[HOFJE]
        expected[GM] = expected[CENTRUM] + expected[NOORD]
        for area, residents in expected.items():
            cell = cells[(f"coverage.{kind}", area, group)]
            assert (cell.numerator, cell.denominator) == (residents, POPULATION[area]), (group, kind, area)
            assert cell.unit == "percentage" and not cell.suppressed
            assert cell.value == round(100 * residents / POPULATION[area], 1)
    # Spot checks of the percentages themselves.
    assert cells[("coverage.ontmoeten", HAVEN, "gevoelig")].value == 50.0  # 1001 / 2001
    assert cells[("coverage.any", CENTRUM, "gevoelig")].value == 56.5  # 1301 / 2301
    assert cells[("coverage.any", GM, "iedereen")].value == 100.0


def test_an_activity_that_ended_does_not_count(world: CoverageWorld) -> None:
    a2 = world.activities["A2"]
    a2.active_until = dt.date.today() - dt.timedelta(days=1)
    a2.save()
    cells = compute(world)
    assert cells[("coverage.ontmoeten", HAVEN, "iedereen")].numerator == 1001  # only A1's half of the strip


def test_a_longer_walk_reaches_further(world: CoverageWorld) -> None:
    # 1300 m at factor 1.3 = 1000 m in a straight line: A1 reaches the whole strip (950 m).
    world.settings.walk_metres = 1300
    cells = compute(world)
    assert cells[("coverage.ontmoeten", HAVEN, "gevoelig")].numerator == 2001


def test_no_activities_no_coverage(world: CoverageWorld) -> None:
    for activity in world.activities.values():
        activity.delete()
    cells = compute(world)
    assert {cell.numerator for cell in cells.values()} == {0}
    assert cells[("coverage.any", GM, "iedereen")].denominator == 3352
