"""Small-cell protection: what may be published of a set of cells.

Primary suppression: a count between 1 and `min_count - 1` is not published, nor a percentage on a
base under `min_base`; a figure (median days, ratio) resting on fewer than `min_count` cases is not.
A suppressed row publishes none of its numbers.

Secondary suppression: published totals and other cells must not give a suppressed number back.
The cells are tied by linear equations that a reader knows:
- areas: a district is the sum of its neighbourhoods, the municipality the sum of its districts
  (for indicators whose definition says `additive`), for numerators and for denominators;
- breakdowns: `<code>.total` is the sum of its sibling breakdowns in the same area;
- isolation types: everyone ("") is the sum of the `isolation:<type>` rows;
- partitions (`up`/`same`/`down`): the numerators add up to the denominator every row shows;
- twins: `diversity.type.<t>` is `barrier_table.<t>.0` of the same area and target group;
- flows: retention's denominator (who came before) is its numerator (stayed) plus the outflow;
- periods: for indicators that add up over time (`over_time`: visits, new participants...), a year
  is the sum of its quarters and a quarter the sum of its months, across snapshots.
Where a total exceeds the sum of its published parts (rows without a neighbourhood, say), the
difference is itself a number a reader can compute, so it is protected like a cell.

Other periods of the same year enter as `OtherPeriod`s: their cells recomputed, with what their
snapshot publishes. Their cells are *frozen* (what is published stays published): only the new
period's cells can be hidden to keep an earlier suppressed number unknown. A number that the other
snapshots already gave away without the new one is past protecting and is not held against it.

A suppressed number is safe when the published numbers and those equations leave it undetermined:
it varies over the solutions of the system. That is checked exactly, with linear algebra per
connected set of hidden numbers (a number is fixed iff its unit vector lies in the row space); while
one is fixed, the smallest published cell in an equation with it is suppressed too.
Bounds (counts are not negative) can still narrow a hidden number down; documented in
docs/indicators.md.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
from scipy.linalg import qr

from nabij.monitor.areas import AreaTree
from nabij.monitor.indicators.cells import ISOLATION_PREFIX, Cell
from nabij.monitor.indicators.definitions import BY_CODE, Indicator
from nabij.monitor.periods import Period, sub_periods

# Breakdowns whose numerators add up to the denominator each row publishes.
PARTITIONS = frozenset({"ladder_movement", "loneliness_change"})
TOTAL = "total"
RETENTION, OUTFLOW = "retention", "outflow"
DIVERSITY_TYPE = "diversity.type."
_TOLERANCE = 1e-8

# A variable is one number of one cell: (cell index, "n" for numerator or "d" for denominator),
# or a residual (-1 - k, "r") that no cell publishes.
Var = tuple[int, str]


def _definition(cell: Cell) -> Indicator | None:
    return BY_CODE.get(cell.indicator.split(".", 1)[0])


@dataclass
class OtherPeriod:
    """Another period of the same year, as a reader may know it.

    `cells`: its values recomputed (unprotected), for the indicators that add up over time;
    `published`: the keys whose current value its snapshot publishes (empty when it has none);
    `guard`: its small numbers must stay unknown (always, in the service; off only in tests that
    show what the guard does);
    `outdated`: how many published values a recount no longer gives (for the snapshot's record).
    """

    period: Period
    cells: list[Cell]
    published: frozenset[tuple[str, str, str]] = dataclasses.field(default_factory=frozenset)
    guard: bool = True
    outdated: int = 0


def determined(matrix: np.ndarray) -> np.ndarray:
    """Per column: is that unknown fixed by `matrix @ x = b`? It is iff its unit vector lies in the row
    space, i.e. its leverage (squared norm of its entries in an orthonormal row-space basis) is 1.
    A rank-revealing QR of the transpose gives that basis about four times faster than an SVD."""
    if not matrix.size:
        return np.zeros(matrix.shape[1], dtype=bool)
    basis, triangle, _order = qr(matrix.T, mode="economic", pivoting=True)
    diagonal = np.abs(np.diag(triangle))
    rank = int((diagonal > diagonal.max(initial=0) * max(matrix.shape) * 1e-12).sum())
    leverage = (basis[:, :rank] ** 2).sum(axis=1)
    return np.asarray(leverage > 1 - 1e-9)


def is_small(value: float | None, min_count: int) -> bool:
    return value is not None and 0 < value < min_count


def primary(cell: Cell, *, min_count: int, min_base: int) -> bool:
    """Does this cell, on its own, break a rule?"""
    if cell.unit == "count":
        return is_small(cell.numerator, min_count)
    if cell.unit == "percentage":
        base = cell.denominator or 0
        return (0 < base < min_base) or is_small(cell.numerator, min_count)
    # ratio, days: the number of cases behind the figure
    return is_small(cell.numerator, min_count)


class _System:
    """The equations among the cells' numbers, and which numbers are hidden."""

    def __init__(
        self, cells: list[Cell], tree: AreaTree, min_count: int, blocks: Sequence[tuple[Period | None, range]] = ()
    ) -> None:
        """`blocks`: which cells belong to which period (one block of all cells when not given)."""
        self.cells = cells
        self.min_count = min_count
        self.equations: list[dict[Var, float]] = []
        self.values: dict[Var, float] = {}
        self.sensitive: set[Var] = set()  # residuals that must stay hidden
        self.frozen: set[int] = set()  # cells of other periods: their publication is decided
        self._residuals = 0
        for i in range(len(cells)):
            for number in ("n", "d"):
                self.values[(i, number)] = self._value((i, number))
        blocks = list(blocks) or [(None, range(len(cells)))]
        indexes = []
        for _period, members in blocks:
            index = {cells[i].key: i for i in members}
            indexes.append(index)
            self._build(tree, members, index)
        self._build_periods([period for period, _members in blocks], indexes)

    # -- building the equations --------------------------------------------------------------
    def _value(self, var: Var) -> float:
        i, field = var
        cell = self.cells[i]
        number = cell.numerator if field == "n" else cell.denominator
        return float(number or 0)

    def _sum(self, total: Var, parts: list[Var]) -> None:
        """total = sum(parts), plus a residual when the published parts fall short."""
        if not parts:
            return
        residual = self._value(total) - sum(self._value(p) for p in parts)
        equation: dict[Var, float] = {total: 1.0}
        for part in parts:
            equation[part] = equation.get(part, 0.0) - 1.0
        if abs(residual) > _TOLERANCE:
            if abs(residual) >= self.min_count:
                # A large remainder (rows without a neighbourhood, say): the equation tells a reader
                # nothing. A small one, either way (a total below its parts after a withdrawn
                # consent), is a number to protect.
                return
            self._residuals += 1
            rest: Var = (-self._residuals, "r")
            self.values[rest] = residual
            self.sensitive.add(rest)
            equation[rest] = -1.0
        self.equations.append(equation)

    def _fields(self, cell: Cell) -> list[str]:
        return ["n", "d"] if cell.unit == "percentage" else ["n"]

    def _build(self, tree: AreaTree, members: range, index: dict[tuple[str, str, str], int]) -> None:
        """The equations among the cells of one period."""
        cells = self.cells
        by_series: dict[tuple[str, str], dict[str, int]] = defaultdict(dict)
        for i in members:
            cell = cells[i]
            by_series[(cell.indicator, cell.target_group)][cell.area_code] = i
        for (_code, _group), areas in by_series.items():
            definition = _definition(cells[next(iter(areas.values()))])
            if definition is None or not definition.additive:
                continue
            for area, i in areas.items():
                children = [areas[c] for c in tree.children(area) if c in areas]
                for field in self._fields(cells[i]):
                    self._sum((i, field), [(c, field) for c in children])
        # Breakdowns with a total, isolation types under everyone, partitions.
        siblings: dict[tuple[str, str, str], list[int]] = defaultdict(list)
        for i in members:
            cell = cells[i]
            if "." in cell.indicator:
                prefix = cell.indicator.rsplit(".", 1)[0]
                siblings[(prefix, cell.area_code, cell.target_group)].append(i)
        for (prefix, area, group), family in siblings.items():
            total = index.get((f"{prefix}.{TOTAL}", area, group))
            if total is not None:
                parts = [m for m in family if m != total]
                for field in self._fields(cells[total]):
                    self._sum((total, field), [(p, field) for p in parts])
            if prefix.split(".", 1)[0] in PARTITIONS:
                for member in family:
                    self._sum((member, "d"), [(m, "n") for m in family])
        # The same number under two names: accessible choice per type is the barrier table's 0 column.
        for i in members:
            cell = cells[i]
            if cell.indicator.startswith(DIVERSITY_TYPE):
                twin = index.get(
                    (f"barrier_table.{cell.indicator[len(DIVERSITY_TYPE) :]}.0", cell.area_code, cell.target_group)
                )
                if twin is not None:
                    self._sum((i, "n"), [(twin, "n")])
        # Who came before either stayed (retention's numerator) or left (outflow): its denominator.
        for i in members:
            cell = cells[i]
            if cell.indicator == RETENTION:
                outflow = index.get((OUTFLOW, cell.area_code, cell.target_group))
                if outflow is not None:
                    self._sum((i, "d"), [(i, "n"), (outflow, "n")])
        by_everyone: dict[tuple[str, str], list[int]] = defaultdict(list)
        for i in members:
            cell = cells[i]
            if cell.target_group.startswith(ISOLATION_PREFIX):
                by_everyone[(cell.indicator, cell.area_code)].append(i)
        for (code, area), parts in by_everyone.items():
            everyone = index.get((code, area, ""))
            definition = _definition(cells[parts[0]])
            if everyone is None or definition is None or not definition.additive:
                continue
            for field in self._fields(cells[everyone]):
                self._sum((everyone, field), [(p, field) for p in parts])

    def _build_periods(self, periods: list[Period | None], indexes: list[dict[tuple[str, str, str], int]]) -> None:
        """A year is the sum of its quarters, a quarter of its months: for every indicator that adds up
        over time, and only where all the parts are here (published or not, a reader can't know more)."""
        by_code = {period.code: k for k, period in enumerate(periods) if period is not None}
        for k, period in enumerate(periods):
            if period is None:
                continue
            parts = [by_code.get(part.code) for part in sub_periods(period)]
            if not parts or None in parts:
                continue
            for key, i in indexes[k].items():
                definition = _definition(self.cells[i])
                if definition is None or not definition.over_time:
                    continue
                found = [indexes[part][key] for part in parts if part is not None and key in indexes[part]]
                for number in self._fields(self.cells[i]):
                    self._sum((i, number), [(j, number) for j in found])

    # -- checking ----------------------------------------------------------------------------
    def smallest(self, candidates: list[int]) -> int:
        """The published cell to hide next: the smallest; zeros last (hiding a 0 protects little)."""
        return min(candidates, key=lambda i: (self.values[(i, "n")] == 0, self.values[(i, "n")], i))

    def open_cells(self, equation: dict[Var, float], suppressed: set[int]) -> list[int]:
        """The cells of an equation that may still be hidden: published, and of the new period."""
        return [v[0] for v in equation if v[1] != "r" and v[0] not in suppressed and v[0] not in self.frozen]

    def no_single_hidden(self, suppressed: set[int], must_hide: set[Var]) -> None:
        """Suppress more cells until no equation has exactly one hidden number (in place). A number
        of another period counts only if it must stay hidden: an unpublished month is not a secret."""
        by_cell: dict[int, list[int]] = defaultdict(list)
        for k, eq in enumerate(self.equations):
            for v in eq:
                if v[1] != "r":
                    by_cell[v[0]].append(k)
        pending = set(range(len(self.equations)))
        while pending:
            k = pending.pop()
            eq = self.equations[k]
            hidden = [v for v in eq if v[1] == "r" or v[0] in suppressed]
            if len(hidden) != 1 or (hidden[0][0] in self.frozen and hidden[0] not in must_hide):
                continue
            candidates = self.open_cells(eq, suppressed)
            if not candidates:
                continue
            choice = self.smallest(candidates)
            suppressed.add(choice)
            pending.update(by_cell[choice])

    def hidden(self, suppressed: set[int]) -> set[Var]:
        hidden = {var for var in self.values if var[1] == "r"}
        for i in suppressed:
            hidden.update({(i, "n"), (i, "d")})
        return hidden

    def fixed(self, suppressed: set[int], must_hide: set[Var]) -> list[tuple[Var, dict[Var, float]]]:
        """Hidden numbers in `must_hide` that the equations determine, with one equation that has
        each (where to suppress next)."""
        hidden = self.hidden(suppressed)
        relevant = [eq for eq in self.equations if any(v in hidden for v in eq)]
        # Connected sets of hidden numbers (union-find over the equations).
        parent: dict[Var, Var] = {}

        def find(v: Var) -> Var:
            while parent.setdefault(v, v) != v:
                parent[v] = parent[parent[v]]
                v = parent[v]
            return v

        for eq in relevant:
            inside = [v for v in eq if v in hidden]
            for v in inside[1:]:
                parent[find(v)] = find(inside[0])
        groups: dict[Var, list[dict[Var, float]]] = defaultdict(list)
        for eq in relevant:
            first = next(v for v in eq if v in hidden)
            groups[find(first)].append(eq)
        found: list[tuple[Var, dict[Var, float]]] = []
        for equations in groups.values():
            columns = sorted({v for eq in equations for v in eq if v in hidden})
            targets = [v for v in columns if v in must_hide]
            if not targets:
                continue
            position = {v: k for k, v in enumerate(columns)}
            matrix = np.zeros((len(equations), len(columns)))
            for row, eq in enumerate(equations):
                for v, coefficient in eq.items():
                    if v in position:
                        matrix[row, position[v]] = coefficient
            fixed = determined(matrix)
            for v in targets:
                if fixed[position[v]]:
                    found.append((v, next(eq for eq in equations if v in eq)))
        return found


def protect(
    cells: Iterable[Cell],
    tree: AreaTree,
    *,
    min_count: int,
    min_base: int,
    period: Period | None = None,
    others: Sequence[OtherPeriod] = (),
    report: dict[str, int] | None = None,
) -> list[Cell]:
    """The cells with `suppressed` set and the numbers of suppressed cells removed. `others`: the
    other periods of `period`'s year, whose published numbers a reader has as well. `report`, when
    given, gets `given_away`: how many guarded numbers of other periods were already determined."""
    cells = list(cells)
    count = len(cells)
    suppressed = {i for i, cell in enumerate(cells) if primary(cell, min_count=min_count, min_base=min_base)}
    guarded = set(suppressed)
    joint = list(cells)
    blocks: list[tuple[Period | None, range]] = [(period, range(count))]
    for other in others:
        start = len(joint)
        joint += other.cells
        blocks.append((other.period, range(start, len(joint))))
        for i in range(start, len(joint)):
            if joint[i].key in other.published:
                continue
            suppressed.add(i)
            if other.guard and primary(joint[i], min_count=min_count, min_base=min_base):
                guarded.add(i)
    system = _System(joint, tree, min_count, blocks)
    system.frozen = set(range(count, len(joint)))
    # What must stay unknown: every suppressed row's numerator (a 0% on a base of 12 is as telling
    # as a 3), small denominators, and small remainders between a total and its published parts.
    must_hide = set(system.sensitive)
    for i in guarded:
        must_hide.add((i, "n"))
        if is_small(joint[i].denominator, min_count):
            must_hide.add((i, "d"))
    if others:
        # What the other periods give away even with all of this period hidden is not this one's to keep.
        given_away = system.fixed(suppressed | set(range(count)), must_hide)
        must_hide -= {var for var, _equation in given_away}
        if report is not None:
            report["given_away"] = len(given_away)
    while True:
        # The classic rule first, cheap and usually enough: no equation may have one hidden number.
        system.no_single_hidden(suppressed, must_hide)
        # Then the exact check, which also sees numbers pinned down through several equations.
        leaks = system.fixed(suppressed, must_hide)
        if not leaks:
            break
        added: set[int] = set()
        for _var, equation in leaks:
            if any(v[0] in added for v in equation if v[1] != "r"):
                continue  # this round already hides another number of that equation
            candidates = system.open_cells(equation, suppressed)
            if candidates:
                added.add(system.smallest(candidates))
        if not added:
            # Every equation of every leak is hidden already, yet a number is fixed: hide more around it.
            added = _widen(system, suppressed, leaks)
            if not added:
                raise RuntimeError("small-cell protection could not hide a fixed number")
        suppressed |= added
    for i in suppressed:
        if i < count:
            cell = cells[i]
            cell.suppressed = True
            cell.numerator = cell.denominator = cell.value = None
    return cells


def _widen(system: _System, suppressed: set[int], leaks: list[tuple[Var, dict[Var, float]]]) -> set[int]:
    """Per leak whose equations are all hidden: the nearest published cells, one equation further out
    at a time through the hidden numbers, and of those the smallest. Near the leak a cell is likelier
    to cut what pins it down; leaks in different places get one each in the same round."""
    hidden = system.hidden(suppressed)
    by_var: dict[Var, list[dict[Var, float]]] = defaultdict(list)
    for eq in system.equations:
        for v in eq:
            if v in hidden:
                by_var[v].append(eq)
    chosen: set[int] = set()
    for var, _leak in leaks:
        seen: set[Var] = {var}
        layer = [var]
        while layer:
            equations = [eq for v in layer for eq in by_var[v]]
            candidates = sorted({i for eq in equations for i in system.open_cells(eq, suppressed)})
            if candidates:
                chosen.add(system.smallest(candidates))
                break
            layer = [v for eq in equations for v in eq if v in hidden and v not in seen]
            seen.update(layer)
    return chosen
