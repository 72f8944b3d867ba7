"""Small-cell protection: primary rules, and attempts to recover suppressed cells by differencing."""

from __future__ import annotations

import random

import pytest

from nabij.monitor.areas import AreaTree
from nabij.monitor.indicators.cells import Cell, count_cell, percentage_cell
from nabij.monitor.suppression import primary, protect
from tests.monitor.attacker import solvable

GM = "GM9999"


def tree_of(layout: dict[str, list[str]]) -> AreaTree:
    tree = AreaTree(municipality=GM)
    for district, neighbourhoods in layout.items():
        tree.districts[district] = district
        for code in neighbourhoods:
            tree.neighbourhoods[code] = code
            tree.district_of[code] = district
    return tree


TREE = tree_of(
    {
        "WK999901": ["BU99990101", "BU99990102", "BU99990103"],
        "WK999902": ["BU99990201", "BU99990202"],
    }
)


def counts(code: str, by_neighbourhood: dict[str, int], group: str = "") -> list[Cell]:
    """Count cells for every area, with districts and the municipality as sums."""
    cells = [count_cell(code, area, group, n) for area, n in by_neighbourhood.items()]
    for district in TREE.districts:
        total = sum(n for area, n in by_neighbourhood.items() if TREE.district_of[area] == district)
        cells.append(count_cell(code, district, group, total))
    cells.append(count_cell(code, GM, group, sum(by_neighbourhood.values())))
    return cells


def published(cells: list[Cell]) -> dict[tuple[str, str, str], Cell]:
    return {cell.key: cell for cell in cells}


def recoverable(cells: list[Cell], original: dict[tuple[str, str, str], float], equations: list[dict]) -> set:
    """The attacker: every suppressed number that the published numbers and the sums fix exactly."""
    return solvable((key for key, cell in published(cells).items() if cell.suppressed), equations)


def area_equations(code: str, group: str = "") -> list[dict]:
    equations = []
    for district in TREE.districts:
        equation = {(code, district, group): 1.0}
        for area in TREE.children(district):
            equation[(code, area, group)] = -1.0
        equations.append(equation)
    equation = {(code, GM, group): 1.0}
    for district in TREE.districts:
        equation[(code, district, group)] = -1.0
    equations.append(equation)
    return equations


class TestPrimary:
    @pytest.mark.parametrize(("n", "hidden"), [(0, False), (1, True), (4, True), (5, False), (120, False)])
    def test_counts_between_1_and_4(self, n: int, hidden: bool) -> None:
        assert primary(count_cell("visits.total", GM, "", n), min_count=5, min_base=20) is hidden

    @pytest.mark.parametrize(
        ("n", "d", "hidden"), [(10, 19, True), (10, 20, False), (3, 100, True), (0, 20, False), (0, 0, False)]
    )
    def test_percentages_need_a_base_of_20(self, n: int, d: int, hidden: bool) -> None:
        assert primary(percentage_cell("activism", GM, "", n, d), min_count=5, min_base=20) is hidden

    def test_thresholds_are_configurable(self) -> None:
        assert primary(count_cell("visits.total", GM, "", 7), min_count=10, min_base=20)
        assert not primary(percentage_cell("activism", GM, "", 10, 15), min_count=5, min_base=10)


class TestSecondary:
    def test_one_small_neighbourhood_takes_a_second_cell_with_it(self) -> None:
        cells = protect(
            counts(
                "visits.total", {"BU99990101": 3, "BU99990102": 40, "BU99990103": 12, "BU99990201": 9, "BU99990202": 30}
            ),
            TREE,
            min_count=5,
            min_base=20,
        )
        by_key = published(cells)
        assert by_key[("visits.total", "BU99990101", "")].suppressed
        # Total 55 minus 40 minus 12 would give the 3 back: the next smallest (12) goes too.
        assert by_key[("visits.total", "BU99990103", "")].suppressed
        assert not by_key[("visits.total", "BU99990102", "")].suppressed
        assert by_key[("visits.total", "WK999901", "")].numerator == 55
        assert not any(c.numerator is not None and 0 < c.numerator < 5 for c in cells)
        assert all(c.numerator is None and c.value is None for c in cells if c.suppressed)

    @pytest.mark.parametrize("total", [52, 48], ids=["two-without-a-neighbourhood", "two-fewer-than-the-parts"])
    def test_a_small_remainder_between_total_and_parts_is_protected(self, total: int) -> None:
        # The municipality counts 2 more (people without a neighbourhood) or 2 fewer (consents withdrawn
        # in between) than its districts: GM minus the districts would show those 2.
        cells = counts(
            "visits.total", {"BU99990101": 10, "BU99990102": 10, "BU99990103": 10, "BU99990201": 10, "BU99990202": 10}
        )
        for cell in cells:
            if cell.area_code == GM:
                cell.numerator = cell.value = total
        by_key = published(protect(cells, TREE, min_count=5, min_base=20))
        assert any(by_key[("visits.total", area, "")].suppressed for area in [GM, *TREE.districts])

    def test_retention_and_outflow_share_who_came_before(self) -> None:
        # 43 came last period; 40 stayed (published as 93%) and 3 left: 43 - 40 would give the 3 back.
        cells = [percentage_cell("retention", GM, "", 40, 43), count_cell("outflow", GM, "", 3)]
        by_key = published(protect(cells, TREE, min_count=5, min_base=20))
        assert by_key[("outflow", GM, "")].suppressed
        assert by_key[("retention", GM, "")].suppressed

    def test_isolation_rows_add_up_to_everyone(self) -> None:
        cells = [
            count_cell("inflow", GM, "", 30),
            count_cell("inflow", GM, "isolation:individual", 27),
            count_cell("inflow", GM, "isolation:collective", 3),
        ]
        by_key = published(protect(cells, TREE, min_count=5, min_base=20))
        assert by_key[("inflow", GM, "isolation:collective")].suppressed
        assert by_key[("inflow", GM, "isolation:individual")].suppressed or by_key[("inflow", GM, "")].suppressed

    def test_partition_rows_share_their_denominator(self) -> None:
        cells = [
            percentage_cell("ladder_movement.up", GM, "", 2, 40),
            percentage_cell("ladder_movement.same", GM, "", 30, 40),
            percentage_cell("ladder_movement.down", GM, "", 8, 40),
        ]
        by_key = published(protect(cells, TREE, min_count=5, min_base=20))
        assert by_key[("ladder_movement.up", GM, "")].suppressed
        # 40 - 30 - 8 = 2: another row must go, and the 40 must not be on the remaining one alone.
        assert sum(cell.suppressed for cell in by_key.values()) >= 2

    def test_breakdown_total(self) -> None:
        cells = [
            count_cell("barrier_table.bewegen.0", GM, "epa", 12),
            count_cell("barrier_table.bewegen.1", GM, "epa", 1),
            count_cell("barrier_table.bewegen.2", GM, "epa", 20),
            count_cell("barrier_table.bewegen.total", GM, "epa", 33),
        ]
        by_key = published(protect(cells, TREE, min_count=5, min_base=20))
        assert by_key[("barrier_table.bewegen.1", GM, "epa")].suppressed
        assert by_key[("barrier_table.bewegen.0", GM, "epa")].suppressed

    def test_non_additive_indicators_are_left_alone(self) -> None:
        cells = [
            Cell("access_time_to_match", "days", GM, "", 40, None, 21.0),
            Cell("access_time_to_match", "days", "WK999901", "", 3, None, 14.0),
            Cell("access_time_to_match", "days", "WK999902", "", 37, None, 22.0),
        ]
        by_key = published(protect(cells, TREE, min_count=5, min_base=20))
        assert by_key[("access_time_to_match", "WK999901", "")].suppressed
        assert not by_key[("access_time_to_match", "WK999902", "")].suppressed


@pytest.mark.parametrize("seed", range(40))
def test_differencing_never_recovers_a_suppressed_cell(seed: int) -> None:
    """Random tables over areas x barrier counts with totals: the attacker solves every equation
    a reader knows (areas, breakdown totals) and must not pin down any suppressed number."""
    rng = random.Random(seed)
    buckets = ["0", "1", "2", "3", "4+"]
    neighbourhoods = [code for codes in (TREE.children(d) for d in TREE.districts) for code in codes]
    cells: list[Cell] = []
    raw: dict[str, dict[str, int]] = {}
    for bucket in buckets:
        raw[bucket] = {area: rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15, 30]) for area in neighbourhoods}
        cells += counts(f"barrier_table.ontmoeten.{bucket}", raw[bucket], "epa")
    totals = {area: sum(raw[b][area] for b in buckets) for area in neighbourhoods}
    cells += counts("barrier_table.ontmoeten.total", totals, "epa")
    original = {cell.key: cell.numerator for cell in cells}
    equations = []
    for bucket in [*buckets, "total"]:
        equations += area_equations(f"barrier_table.ontmoeten.{bucket}", "epa")
    for area in [*neighbourhoods, *TREE.districts, GM]:
        equation = {("barrier_table.ontmoeten.total", area, "epa"): 1.0}
        for bucket in buckets:
            equation[(f"barrier_table.ontmoeten.{bucket}", area, "epa")] = -1.0
        equations.append(equation)

    protected = protect(cells, TREE, min_count=5, min_base=20)

    small = {key for key, n in original.items() if n is not None and 0 < n < 5}
    by_key = published(protected)
    assert all(by_key[key].suppressed for key in small)
    leaked = recoverable(protected, original, equations) & small
    assert not leaked, f"recovered by differencing: {sorted(leaked)}"
    # Every published number is the true one.
    for key, cell in by_key.items():
        if not cell.suppressed:
            assert cell.numerator == original[key]
    # And the published equations still hold.
    for equation in equations:
        if all(not by_key[key].suppressed for key in equation):
            assert sum(coefficient * by_key[key].numerator for key, coefficient in equation.items()) == 0


def test_the_attacker_in_this_file_does_find_unprotected_cells() -> None:
    """Control: without secondary suppression the same attacker recovers the small cell."""
    cells = counts(
        "visits.total", {"BU99990101": 3, "BU99990102": 40, "BU99990103": 12, "BU99990201": 9, "BU99990202": 30}
    )
    original = {cell.key: cell.numerator for cell in cells}
    for cell in cells:
        if cell.numerator is not None and 0 < cell.numerator < 5:
            cell.suppressed = True
    found = recoverable(cells, original, area_equations("visits.total"))
    assert ("visits.total", "BU99990101", "") in found


def test_twins_are_one_number() -> None:
    """Accessible choice per type equals the barrier table's 0 column: the attacker uses that too."""
    cells = [
        count_cell("barrier_table.bewegen.0", GM, "epa", 7),
        count_cell("barrier_table.bewegen.1", GM, "epa", 2),
        count_cell("barrier_table.bewegen.2", GM, "epa", 20),
        count_cell("barrier_table.bewegen.total", GM, "epa", 29),
        count_cell("diversity.type.bewegen", GM, "epa", 7),
    ]
    original = {cell.key: cell.numerator for cell in cells}
    equations = [
        {
            ("barrier_table.bewegen.total", GM, "epa"): 1.0,
            ("barrier_table.bewegen.0", GM, "epa"): -1.0,
            ("barrier_table.bewegen.1", GM, "epa"): -1.0,
            ("barrier_table.bewegen.2", GM, "epa"): -1.0,
        },
        {("diversity.type.bewegen", GM, "epa"): 1.0, ("barrier_table.bewegen.0", GM, "epa"): -1.0},
    ]
    protected = protect(cells, TREE, min_count=5, min_base=20)
    assert published(protected)[("barrier_table.bewegen.1", GM, "epa")].suppressed
    assert not recoverable(protected, original, equations) & {("barrier_table.bewegen.1", GM, "epa")}
