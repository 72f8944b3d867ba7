"""The demo city's boundaries: valid rings that tile their district and the city exactly."""

from __future__ import annotations

import itertools
import random

import pytest
from django_scopes import scope

from nabij.core import cbs
from nabij.core.area_files import check_boundary
from nabij.core.models import District, Municipality, Neighbourhood
from nabij.demo.figures import apportion
from nabij.demo.generator import generate_demo
from nabij.demo.geometry import JitteredGrid, partition

Ring = list[list[float]]


def signed_area(ring: Ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def segments_cross(a: list[float], b: list[float], c: list[float], d: list[float]) -> bool:
    def orientation(p: list[float], q: list[float], r: list[float]) -> float:
        return (q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0])

    return (orientation(a, b, c) * orientation(a, b, d) < 0) and (orientation(c, d, a) * orientation(c, d, b) < 0)


def is_simple(ring: Ring) -> bool:
    edges = list(itertools.pairwise(ring))
    for i, j in itertools.combinations(range(len(edges)), 2):
        if j == i + 1 or (i == 0 and j == len(edges) - 1):
            continue  # neighbours share a point
        if segments_cross(*edges[i], *edges[j]):
            return False
    return len({tuple(p) for p in ring[:-1]}) == len(ring) - 1


@pytest.mark.parametrize("seed", range(20))
def test_grid_cells_and_blocks_are_simple_counter_clockwise_rings(seed: int) -> None:
    rng = random.Random(seed)
    grid = JitteredGrid(10, 9, 1.5, 1.4, rng=rng)
    blocks = partition(rng, 10, 9, 14)
    assert sorted(cell for block in blocks for cell in block.cells) == sorted(
        (i, j) for i in range(10) for j in range(9)
    )
    for block in blocks:
        ring = [list(p) for p in grid.ring(block.cells)]
        assert ring[0] == ring[-1]
        assert is_simple(ring)
        cell_rings = [[list(p) for p in grid.ring([cell])] for cell in block.cells]
        assert all(is_simple(r) and signed_area(r) > 0 for r in cell_rings)
        # The cells tile their block: their areas add up to the block's, so no gaps or overlaps.
        assert sum(signed_area(r) for r in cell_rings) == pytest.approx(signed_area(ring), rel=1e-9)


def test_partition_is_deterministic_and_never_leaves_an_empty_block() -> None:
    first = partition(random.Random(7), 4, 3, 3)
    assert first == partition(random.Random(7), 4, 3, 3)
    assert all(block.size >= 1 for block in first)
    with pytest.raises(ValueError):
        partition(random.Random(1), 2, 1, 3)


def test_apportion_adds_up_exactly() -> None:
    assert apportion(10, [1, 1, 1]) == [4, 3, 3]
    assert sum(apportion(650_000, [random.Random(1).random() for _ in range(90)])) == 650_000
    with pytest.raises(ValueError):
        apportion(10, [0, 0])


@pytest.mark.django_db
def test_stored_demo_boundaries_pass_the_import_checks_and_tile_the_city() -> None:
    generate_demo(scale="small", seed=11)
    municipality = Municipality.objects.get(code="GM9999")
    with scope(municipality=municipality):
        districts = list(District.objects.all())
        city_area = signed_area(municipality.boundary["coordinates"][0])
        assert sum(signed_area(d.boundary["coordinates"][0]) for d in districts) == pytest.approx(city_area)
        for district in districts:
            rings = [n.boundary["coordinates"][0] for n in Neighbourhood.objects.filter(district=district)]
            assert sum(signed_area(r) for r in rings) == pytest.approx(signed_area(district.boundary["coordinates"][0]))
            for neighbourhood in Neighbourhood.objects.filter(district=district):
                cbs.validate_boundary(neighbourhood.boundary)
                assert check_boundary(neighbourhood.boundary)[0] is not None
                assert is_simple(neighbourhood.boundary["coordinates"][0])
