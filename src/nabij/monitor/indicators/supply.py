"""Supply indicators: the barrier table over time, diversity, continuity, new initiatives, visits."""

from __future__ import annotations

import numpy as np
from django.db.models import Sum

from nabij.core.models import Municipality
from nabij.monitor.areas import AreaTree
from nabij.monitor.indicators.cells import Cell
from nabij.monitor.indicators.grouping import Areas, count_cells, percentage_cells
from nabij.monitor.models import AttendanceSession
from nabij.monitor.periods import Period
from nabij.monitor.supply import SupplyTable, barrier_counts
from nabij.socialmap.models import Activity

BUCKETS = ("0", "1", "2", "3", "4+")


def barrier_table_cells(supply: SupplyTable, areas: Areas, groups: list[tuple[str, int]]) -> list[Cell]:
    cells: list[Cell] = []
    for group, mask in groups:
        bucket = np.minimum(barrier_counts(supply.mask, mask), 4)
        for t, type_code in enumerate(supply.type_codes):
            of_type = supply.type_index == t
            for b, label in enumerate(BUCKETS):
                cells += count_cells(
                    f"barrier_table.{type_code}.{label}", areas, of_type & (bucket == b), target_group=group
                )
            cells += count_cells(f"barrier_table.{type_code}.total", areas, of_type, target_group=group)
    return cells


def diversity_cells(
    supply: SupplyTable, areas: Areas, groups: list[tuple[str, int]], domain_codes: list[str]
) -> list[Cell]:
    cells: list[Cell] = []
    ids = supply.ids.tolist()
    with_domain = {
        code: np.array([code in supply.domains.get(pk, ()) for pk in ids], dtype=bool) for code in domain_codes
    }
    for group, mask in groups:
        accessible = (supply.mask & np.int64(mask)) == 0
        for t, type_code in enumerate(supply.type_codes):
            cells += count_cells(
                f"diversity.type.{type_code}", areas, accessible & (supply.type_index == t), target_group=group
            )
        for code, flags in with_domain.items():
            cells += count_cells(f"diversity.domain.{code}", areas, accessible & flags, target_group=group)
    return cells


def continuity_cells(start: SupplyTable, end: SupplyTable, areas_at_start: Areas) -> list[Cell]:
    still = np.isin(start.ids, end.ids)
    return percentage_cells("continuity_activities", areas_at_start, still, np.ones(len(start), dtype=bool))


def new_initiative_cells(end: SupplyTable, areas: Areas, period: Period) -> list[Cell]:
    new = (end.first_day >= np.datetime64(period.start)) & (end.first_day <= np.datetime64(period.end))
    return count_cells("new_initiatives", areas, new)


def visit_cells(municipality: Municipality, period: Period, tree: AreaTree, type_codes: list[str]) -> list[Cell]:
    """Named plus anonymous attendance per activity, summed in SQL, then per type and area."""
    per_activity = dict(
        AttendanceSession.objects.filter(municipality=municipality, on__gte=period.start, on__lte=period.end)
        .values("activity_id")
        .annotate(n=Sum("named_count") + Sum("anonymous_count"))
        .order_by()
        .values_list("activity_id", "n")
    )
    rows = list(
        Activity.objects.filter(municipality=municipality, pk__in=list(per_activity)).values_list(
            "pk", "participation_type__code", "place__neighbourhood_id"
        )
    )
    areas = Areas.of(tree, np.array([r[2] if r[2] is not None else -1 for r in rows], dtype=np.int64))
    weights = np.array([float(per_activity[r[0]] or 0) for r in rows], dtype=float)
    kinds = np.array([r[1] for r in rows], dtype=object)
    cells: list[Cell] = []
    for code in type_codes:
        cells += count_cells(f"visits.{code}", areas, kinds == code, weights=weights)
    cells += count_cells("visits.total", areas, np.ones(len(rows), dtype=bool), weights=weights)
    return cells
