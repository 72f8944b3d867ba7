"""Composed reads of the social map."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Protocol

from django.db.models import Case, Count, F, IntegerField, Value, When

from nabij.core.models import District, Municipality, Neighbourhood
from nabij.socialmap.models import Activity, ParticipationType, TargetGroup, barrier_count_expression

BARRIER_TABLE_COLUMNS = ("0", "1", "2", "3", "4+")
BARRIER_TABLE_CSV_HEADER = ("participation_type", *BARRIER_TABLE_COLUMNS)


@dataclass(frozen=True)
class BarrierTableRow:
    code: str
    label: str
    counts: tuple[int, int, int, int, int]  # activities with 0, 1, 2, 3, 4 or more barriers

    @property
    def total(self) -> int:
        return sum(self.counts)


def barrier_table(
    *,
    municipality: Municipality,
    target_group: TargetGroup,
    day: dt.date,
    district: District | None = None,
    neighbourhood: Neighbourhood | None = None,
) -> list[BarrierTableRow]:
    """Participation type x number of the group's barriers (0, 1, 2, 3, 4+), counted in SQL.

    Counts published activities active on `day` of the municipality, or of one district or
    neighbourhood (by their place; an online activity counts only municipality-wide). One row per
    participation type of the catalogue, zeros included.
    """
    activities = Activity.objects.filter(municipality=municipality).published().active_on(day)
    if neighbourhood is not None:
        activities = activities.filter(place__neighbourhood=neighbourhood)
    elif district is not None:
        activities = activities.filter(place__neighbourhood__district=district)
    bucketed = (
        activities.annotate(_barriers=barrier_count_expression(target_group.sensitivity_mask))
        .annotate(
            _bucket=Case(When(_barriers__gte=4, then=Value(4)), default=F("_barriers"), output_field=IntegerField())
        )
        .values("participation_type_id", "_bucket")
        .annotate(n=Count("id"))
        .order_by()
    )
    counts: dict[int, list[int]] = {}
    for row in bucketed:
        counts.setdefault(row["participation_type_id"], [0] * 5)[row["_bucket"]] += row["n"]
    return [
        BarrierTableRow(code=t.code, label=t.label_nl, counts=tuple(counts.get(t.pk, [0] * 5)))  # type: ignore[arg-type]
        for t in ParticipationType.objects.filter(municipality=municipality)
    ]


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def write_barrier_table_csv(rows: Iterable[BarrierTableRow], out: Writable) -> None:
    """The barrier table as CSV: header `participation_type,0,1,2,3,4+`, one row per type code.

    One format for the command, the coordinator page and the API (docs/barriers.md).
    """
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(BARRIER_TABLE_CSV_HEADER)
    for row in rows:
        writer.writerow([row.code, *row.counts])
