"""Small-cell protection across snapshots: a quarter is the sum of its months (for indicators that add up
over time), so a reader holding several snapshots of one year must still recover no suppressed number."""

from __future__ import annotations

import random

import pytest

from nabij.monitor.indicators.cells import Cell
from nabij.monitor.periods import parse_period, sub_periods, year_family
from nabij.monitor.suppression import OtherPeriod, primary, protect
from tests.monitor.attacker import solvable
from tests.monitor.test_suppression import GM, TREE, area_equations, counts

QUARTER = "2026-Q3"
MONTHS = ["2026-07", "2026-08", "2026-09"]
NEIGHBOURHOODS = ["BU99990101", "BU99990102", "BU99990103", "BU99990201", "BU99990202"]
AREAS = [*NEIGHBOURHOODS, *TREE.districts, GM]
CODE = "visits.total"

Key = tuple[str, tuple[str, str, str]]  # (period, cell key)


def month_tables(by_month: dict[str, dict[str, int]]) -> dict[str, list[Cell]]:
    """Fresh (unprotected) cells of the three months and of their quarter, the quarter being their sum."""
    tables = {month: counts(CODE, values) for month, values in by_month.items()}
    quarter = {area: sum(values[area] for values in by_month.values()) for area in NEIGHBOURHOODS}
    tables[QUARTER] = counts(CODE, quarter)
    return tables


def publish(order: list[str], by_month: dict[str, dict[str, int]], *, across: bool = True) -> dict[str, list[Cell]]:
    """Compute and protect the snapshots in this order, each (when `across`) with the others as a reader
    has them at that moment: published ones by their published keys, the rest as not published."""
    stored: dict[str, list[Cell]] = {}
    for code in order:
        fresh = month_tables(by_month)
        others = []
        if across:
            for other, cells in fresh.items():
                if other == code:
                    continue
                keys = frozenset(cell.key for cell in stored.get(other, []) if not cell.suppressed)
                others.append(OtherPeriod(period=parse_period(other), cells=cells, published=keys))
        stored[code] = protect(fresh[code], TREE, min_count=5, min_base=20, period=parse_period(code), others=others)
    return stored


def equations() -> list[dict[Key, float]]:
    """What a reader knows: areas add up within every period, and the quarter is the sum of its months."""
    found: list[dict[Key, float]] = []
    for period in [QUARTER, *MONTHS]:
        for equation in area_equations(CODE):
            found.append({(period, key): coefficient for key, coefficient in equation.items()})
    for area in AREAS:
        equation = {(QUARTER, (CODE, area, "")): 1.0}
        for month in MONTHS:
            equation[(month, (CODE, area, ""))] = -1.0
        found.append(equation)
    return found


def recoverable(stored: dict[str, list[Cell]]) -> set[Key]:
    """The attacker: every suppressed number of every snapshot that the published ones fix exactly."""
    return solvable(
        ((period, cell.key) for period, cells in stored.items() for cell in cells if cell.suppressed), equations()
    )


def small_cells(by_month: dict[str, dict[str, int]]) -> set[Key]:
    return {
        (period, cell.key)
        for period, cells in month_tables(by_month).items()
        for cell in cells
        if primary(cell, min_count=5, min_base=20)
    }


# July's neighbourhood 1 has 3 visits; on its own, each snapshot is safe.
EXAMPLE = {
    "2026-07": {"BU99990101": 3, "BU99990102": 40, "BU99990103": 12, "BU99990201": 9, "BU99990202": 30},
    "2026-08": {"BU99990101": 20, "BU99990102": 40, "BU99990103": 12, "BU99990201": 9, "BU99990202": 30},
    "2026-09": {"BU99990101": 20, "BU99990102": 40, "BU99990103": 12, "BU99990201": 9, "BU99990202": 30},
}
JULY_SMALL: Key = ("2026-07", (CODE, "BU99990101", ""))


def test_control_snapshots_protected_one_by_one_give_a_month_away() -> None:
    """Without the other periods, the quarter publishes 43 for neighbourhood 1, August and September 20
    each: 43 - 20 - 20 gives July's 3 back. The attacker of this file finds it."""
    stored = publish([*MONTHS, QUARTER], EXAMPLE, across=False)
    quarter = {cell.key: cell for cell in stored[QUARTER]}
    assert quarter[(CODE, "BU99990101", "")].numerator == 43
    assert JULY_SMALL in recoverable(stored)


@pytest.mark.parametrize(
    "order",
    [
        [*MONTHS, QUARTER],
        [QUARTER, *MONTHS],
        ["2026-07", QUARTER, "2026-08", "2026-09"],
        ["2026-09", "2026-08", QUARTER, "2026-07"],
    ],
)
def test_across_periods_the_month_stays_hidden(order: list[str]) -> None:
    stored = publish(order, EXAMPLE)
    assert not recoverable(stored) & small_cells(EXAMPLE)
    # Whatever came last paid for it: the quarter's 43, or August's or September's 20, is not published.
    neighbourhood = (CODE, "BU99990101", "")
    shown = {code: {cell.key: cell for cell in cells}[neighbourhood] for code, cells in stored.items()}
    assert any(shown[code].suppressed for code in [QUARTER, "2026-08", "2026-09"])


def test_the_quarter_hides_more_when_the_months_came_first() -> None:
    stored = publish([*MONTHS, QUARTER], EXAMPLE)
    quarter = {cell.key: cell for cell in stored[QUARTER]}
    # 43 is not small, but publishing it would give July's 3 back: it goes, with a partner in its district.
    assert quarter[(CODE, "BU99990101", "")].suppressed
    assert sum(quarter[(CODE, area, "")].suppressed for area in TREE.children("WK999901")) >= 2


@pytest.mark.parametrize("seed", range(25))
def test_random_years_never_give_a_small_number_away(seed: int) -> None:
    rng = random.Random(seed)
    by_month = {
        month: {area: rng.choice([0, 1, 2, 3, 4, 5, 6, 9, 15, 30]) for area in NEIGHBOURHOODS} for month in MONTHS
    }
    order = [*MONTHS, QUARTER]
    rng.shuffle(order)
    stored = publish(order, by_month)
    leaked = recoverable(stored) & small_cells(by_month)
    assert not leaked, f"order {order}: recovered {sorted(leaked)}"
    # Published numbers are the true ones.
    fresh = month_tables(by_month)
    for period, cells in stored.items():
        truth = {cell.key: cell.numerator for cell in fresh[period]}
        assert all(cell.numerator == truth[cell.key] for cell in cells if not cell.suppressed)


def test_what_earlier_snapshots_gave_away_is_reported_not_held_against_the_new_one() -> None:
    """Quarter, July and August were protected one by one (before this rule); together they already give
    September's small number. September's snapshot says so and is computed all the same."""
    by_month = {**EXAMPLE, "2026-09": EXAMPLE["2026-07"], "2026-07": EXAMPLE["2026-08"]}
    stored = publish([QUARTER, "2026-07", "2026-08"], by_month, across=False)
    fresh = month_tables(by_month)
    others = [
        OtherPeriod(
            period=parse_period(code),
            cells=fresh[code],
            published=frozenset(cell.key for cell in stored.get(code, []) if not cell.suppressed),
        )
        for code in [QUARTER, "2026-07", "2026-08"]
    ]
    report: dict[str, int] = {}
    september = protect(
        fresh["2026-09"], TREE, min_count=5, min_base=20, period=parse_period("2026-09"), others=others, report=report
    )
    assert report["given_away"] >= 1
    # Its other cells are still protected as usual: the 3 is hidden with a partner in its district.
    shown = {cell.key: cell for cell in september}
    assert sum(shown[(CODE, area, "")].suppressed for area in TREE.children("WK999901")) >= 2


def test_a_running_month_is_guarded_too() -> None:
    """July and August are published; September is still running, without a snapshot, and has a 3.
    The quarter must not give that 3 away as 43 - 20 - 20. Without the guard it would: the control."""
    by_month = {**EXAMPLE, "2026-07": EXAMPLE["2026-08"], "2026-09": EXAMPLE["2026-07"]}
    fresh = month_tables(by_month)
    stored = {code: protect(month_tables(by_month)[code], TREE, min_count=5, min_base=20) for code in MONTHS[:2]}

    def quarter(guard: bool) -> dict[str, list[Cell]]:
        others = [
            OtherPeriod(
                period=parse_period(code),
                cells=fresh[code],
                published=frozenset(cell.key for cell in stored.get(code, []) if not cell.suppressed),
                guard=guard,
            )
            for code in MONTHS
        ]
        q3 = protect(
            month_tables(by_month)[QUARTER], TREE, min_count=5, min_base=20, period=parse_period(QUARTER), others=others
        )
        # September is not published at all: the reader has every cell of it hidden.
        september = [Cell(**{**vars(cell), "suppressed": True}) for cell in fresh["2026-09"]]
        return {**stored, QUARTER: q3, "2026-09": september}

    september_small = {key for key in small_cells(by_month) if key[0] == "2026-09"}
    assert ("2026-09", (CODE, "BU99990101", "")) in september_small
    assert not recoverable(quarter(guard=True)) & september_small
    assert recoverable(quarter(guard=False)) & september_small


def test_year_family_and_sub_periods() -> None:
    assert [p.code for p in sub_periods(parse_period("2026"))] == ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]
    assert [p.code for p in sub_periods(parse_period("2026-Q3"))] == MONTHS
    assert sub_periods(parse_period("2026-07")) == []
    family = [p.code for p in year_family(2026)]
    assert len(family) == 17 and family[:2] == ["2026", "2026-Q1"] and family[-1] == "2026-12"
