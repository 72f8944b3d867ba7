"""Turning per-row flags into cells for every area (buurt, wijk, gemeente) and group.

Rows are profiles (people indicators, grouped by isolation type too) or activities (supply
indicators). Every area of the tree gets a cell, zeros included, so totals and their parts are
always published side by side and small-cell protection sees the whole table.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from nabij.monitor.areas import AreaTree
from nabij.monitor.indicators.cells import EVERYONE, ISOLATION_PREFIX, Cell, count_cell, figure_cell, percentage_cell
from nabij.socialmap.models import IsolationType

ISOLATION_TYPES = [choice.value for choice in IsolationType]


@dataclass
class Areas:
    """Per row: the index of its neighbourhood and district in the tree's sorted codes (-1: none)."""

    tree: AreaTree
    neighbourhood: np.ndarray
    district: np.ndarray
    neighbourhood_codes: list[str]
    district_codes: list[str]

    @classmethod
    def of(cls, tree: AreaTree, neighbourhood_pks: np.ndarray) -> Areas:
        bu_codes = sorted(tree.neighbourhoods)
        wk_codes = sorted(tree.districts)
        bu_index = {code: i for i, code in enumerate(bu_codes)}
        wk_index = {code: i for i, code in enumerate(wk_codes)}
        lookup_bu = {pk: bu_index[code] for pk, code in tree.neighbourhood_code.items()}
        lookup_wk = {pk: wk_index[tree.district_of[code]] for pk, code in tree.neighbourhood_code.items()}
        pks = neighbourhood_pks.tolist()
        return cls(
            tree=tree,
            neighbourhood=np.array([lookup_bu.get(pk, -1) for pk in pks], dtype=np.int64),
            district=np.array([lookup_wk.get(pk, -1) for pk in pks], dtype=np.int64),
            neighbourhood_codes=bu_codes,
            district_codes=wk_codes,
        )

    def levels(self, levels: tuple[str, ...] = ("GM", "WK", "BU")) -> list[tuple[list[str], np.ndarray]]:
        """(area codes, row → index into them or -1) per level asked for."""
        out: list[tuple[list[str], np.ndarray]] = []
        if "GM" in levels:
            out.append(([self.tree.municipality], np.zeros(len(self.neighbourhood), dtype=np.int64)))
        if "WK" in levels:
            out.append((self.district_codes, self.district))
        if "BU" in levels:
            out.append((self.neighbourhood_codes, self.neighbourhood))
        return out


def _sums(index: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    keep = index >= 0
    return np.bincount(index[keep], weights=weights[keep], minlength=size)


def groups_of(isolation: list[str] | None) -> list[tuple[str, np.ndarray | None]]:
    """("", None) for everyone, plus one (`isolation:<type>`, row mask) per type when given."""
    groups: list[tuple[str, np.ndarray | None]] = [(EVERYONE, None)]
    if isolation is not None:
        values = np.array(isolation, dtype=object)
        for kind in ISOLATION_TYPES:
            groups.append((f"{ISOLATION_PREFIX}{kind}", values == kind))
    return groups


def count_cells(
    code: str,
    areas: Areas,
    selected: np.ndarray,
    *,
    isolation: list[str] | None = None,
    weights: np.ndarray | None = None,
    levels: tuple[str, ...] = ("GM", "WK", "BU"),
    target_group: str = EVERYONE,
) -> list[Cell]:
    """Count (or sum `weights` of) the selected rows per area, for everyone and per isolation type."""
    cells: list[Cell] = []
    base = selected.astype(float) if weights is None else np.where(selected, weights, 0.0)
    for group, member in groups_of(isolation):
        values = base if member is None else np.where(member, base, 0.0)
        for codes, index in areas.levels(levels):
            totals = _sums(index, values, len(codes))
            label = group or target_group
            cells += [count_cell(code, area, label, float(round(totals[i], 6))) for i, area in enumerate(codes)]
    return cells


def percentage_cells(
    code: str,
    areas: Areas,
    numerator: np.ndarray,
    denominator: np.ndarray,
    *,
    isolation: list[str] | None = None,
    levels: tuple[str, ...] = ("GM", "WK", "BU"),
    target_group: str = EVERYONE,
) -> list[Cell]:
    """Share of denominator rows that are also numerator rows, per area and group."""
    cells: list[Cell] = []
    top = (numerator & denominator).astype(float)
    bottom = denominator.astype(float)
    for group, member in groups_of(isolation):
        n = top if member is None else np.where(member, top, 0.0)
        d = bottom if member is None else np.where(member, bottom, 0.0)
        for codes, index in areas.levels(levels):
            ns, ds = _sums(index, n, len(codes)), _sums(index, d, len(codes))
            label = group or target_group
            cells += [percentage_cell(code, area, label, float(ns[i]), float(ds[i])) for i, area in enumerate(codes)]
    return cells


def figure_cells(
    code: str,
    unit: str,
    areas: Areas,
    values: np.ndarray,
    selected: np.ndarray,
    *,
    isolation: list[str] | None = None,
    statistic: Callable[[np.ndarray], float] = lambda v: float(np.median(v)),
    levels: tuple[str, ...] = ("GM", "WK", "BU"),
) -> list[Cell]:
    """A statistic (the median by default) of `values` over the selected rows, with its case count."""
    cells: list[Cell] = []
    for group, member in groups_of(isolation):
        chosen = selected if member is None else selected & member
        for codes, index in areas.levels(levels):
            for i, area in enumerate(codes):
                rows = chosen & (index == i)
                cases = int(rows.sum())
                figure = statistic(values[rows]) if cases else None
                cells.append(figure_cell(code, unit, area, group, figure, cases))
    return cells
