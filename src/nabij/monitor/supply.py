"""The social map as it stood on a given day, in arrays: what the supply indicators, coverage and the
coherence network compute on.

One query for the activities and one for the barrier history: the barrier profile an activity had
on a past day is the `old_mask` of its first change after that day, or its current mask.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from django.db.models import Q
from django.utils import timezone

from nabij.core.models import Municipality
from nabij.socialmap.models import (
    Activity,
    ActivityStatus,
    Barrier,
    BarrierProfileChange,
    ParticipationType,
    TargetGroup,
)


@dataclass
class SupplyTable:
    """Published activities active on `day`, one row per activity (parallel arrays)."""

    day: dt.date
    ids: np.ndarray  # activity pk
    type_index: np.ndarray  # index into `type_codes`
    neighbourhood: np.ndarray  # place's neighbourhood pk, -1 when none
    organisation: np.ndarray  # organisation pk
    lat: np.ndarray  # place latitude, nan when none
    lon: np.ndarray
    mask: np.ndarray  # barrier mask on `day` (int64)
    perspective: list[str]
    first_day: np.ndarray  # active_from or the first date, as numpy datetime64[D]
    type_codes: list[str] = field(default_factory=list)
    domains: dict[int, list[str]] = field(default_factory=dict)  # activity pk → domain codes

    def __len__(self) -> int:
        return len(self.ids)


def relational_mask(municipality: Municipality) -> int:
    """Bits of barriers that depend on the person (distance): never part of an activity's count."""
    mask = 0
    for bit in Barrier.objects.filter(municipality=municipality, relational=True).values_list("bit", flat=True):
        mask |= 1 << bit
    return mask


def target_groups(municipality: Municipality) -> list[tuple[str, int]]:
    """(code, sensitivity mask without relational barriers) per target group, in catalogue order."""
    relational = relational_mask(municipality)
    return [
        (code, mask & ~relational)
        for code, mask in TargetGroup.objects.filter(municipality=municipality).values_list("code", "sensitivity_mask")
    ]


def participation_types(municipality: Municipality) -> list[str]:
    return list(ParticipationType.objects.filter(municipality=municipality).values_list("code", flat=True))


def supply_on(municipality: Municipality, day: dt.date, *, with_domains: bool = False) -> SupplyTable:
    """Needs the municipality's scope. Same population as the barrier table (socialmap.selectors):
    published, and active on `day` by active_from/active_until."""
    types = participation_types(municipality)
    type_pk = dict(ParticipationType.objects.filter(municipality=municipality).values_list("pk", "code"))
    index_of = {code: i for i, code in enumerate(types)}
    rows = list(
        Activity.objects.filter(municipality=municipality, status=ActivityStatus.PUBLISHED)
        .active_on(day)
        .values_list(
            "pk",
            "participation_type_id",
            "place__neighbourhood_id",
            "organisation_id",
            "place__lat",
            "place__lon",
            "barrier_mask",
            "action_perspective",
            "active_from",
            "dtstart",
        )
        .order_by("pk")
    )
    masks = {row[0]: row[6] for row in rows}
    # The profile on `day`: undo the changes made after it (the first one after `day` says what it was).
    after = timezone.make_aware(dt.datetime.combine(day + dt.timedelta(days=1), dt.time.min))
    seen: set[int] = set()
    for activity_id, old_mask in (
        BarrierProfileChange.objects.filter(municipality=municipality, at__gte=after)
        .order_by("activity_id", "at", "pk")
        .values_list("activity_id", "old_mask")
    ):
        if activity_id in masks and activity_id not in seen:
            masks[activity_id] = old_mask
            seen.add(activity_id)
    table = SupplyTable(
        day=day,
        ids=np.array([r[0] for r in rows], dtype=np.int64),
        type_index=np.array([index_of.get(type_pk.get(r[1], ""), -1) for r in rows], dtype=np.int64),
        neighbourhood=np.array([r[2] if r[2] is not None else -1 for r in rows], dtype=np.int64),
        organisation=np.array([r[3] for r in rows], dtype=np.int64),
        lat=np.array([r[4] if r[4] is not None else np.nan for r in rows], dtype=float),
        lon=np.array([r[5] if r[5] is not None else np.nan for r in rows], dtype=float),
        mask=np.array([masks[r[0]] for r in rows], dtype=np.int64),
        perspective=[r[7] or "" for r in rows],
        first_day=np.array([r[8] or timezone.localtime(r[9]).date() for r in rows], dtype="datetime64[D]").reshape(-1),
        type_codes=types,
    )
    if with_domains and rows:
        through = Activity.domains.through
        for activity_id, code in through.objects.filter(
            Q(activity__municipality=municipality) & Q(activity_id__in=masks.keys())
        ).values_list("activity_id", "domain__code"):
            table.domains.setdefault(activity_id, []).append(code)
    return table


def barrier_counts(masks: np.ndarray, group_mask: int) -> np.ndarray:
    """|activity barriers ∩ group sensitivities| per activity (popcount of the AND, vectorised)."""
    shared = masks & np.int64(group_mask)
    counts = np.zeros(len(masks), dtype=np.int64)
    bit = 0
    while group_mask >> bit:
        if group_mask >> bit & 1:
            counts += (shared >> bit) & 1
        bit += 1
    return counts
