"""The coherence network of one municipality and period, read from the database; and its cells.

Reads pseudonymous keys only (profile pks), and only of profiles the monitor may count. Named
attendance is grouped per (profile, activity) in SQL; pairs are formed in numpy (network.py).
"""

from __future__ import annotations

import datetime as dt

import numpy as np
from django.db.models import Count, Q
from django.utils import timezone

from nabij.core.models import Municipality
from nabij.groups.models import Group
from nabij.monitor.areas import AreaTree
from nabij.monitor.coherence.network import (
    LEIDEN_SEED,
    ActivityNode,
    Network,
    PairCounts,
    analyse,
    participant_pairs,
    referral_pairs,
)
from nabij.monitor.indicators.cells import EVERYONE, Cell, count_cell, percentage_cell
from nabij.monitor.models import Attendance, AttendanceSession
from nabij.monitor.periods import Period
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity, ActivityStatus
from nabij.support.models import Referral


def _day_bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min))
    return start, end


def monitored_profiles(municipality: Municipality) -> np.ndarray:
    """Sorted pks of the profiles the monitor may count (ResidentProfile.monitor_population)."""
    pks = ResidentProfile.objects.filter(municipality=municipality).monitor_population().values_list("pk", flat=True)
    return np.sort(np.fromiter(pks.order_by(), dtype=np.int64))


def attended(municipality: Municipality, period: Period, population: np.ndarray) -> tuple[np.ndarray, ...]:
    """Distinct (profile, activity, visits) of the period's named attendance, monitored profiles only:
    one grouped query; the filter on the population is a sorted-array lookup."""
    rows = (
        Attendance.objects.filter(municipality=municipality, on__gte=period.start, on__lte=period.end)
        .values_list("profile_id", "activity_id")
        .annotate(visits=Count("pk"))
        .order_by()
    )
    table = np.array(list(rows), dtype=np.int64).reshape(-1, 3)
    keep = np.isin(table[:, 0], population, assume_unique=False)
    table = table[keep]
    return table[:, 0], table[:, 1], table[:, 2]


def _referrals(municipality: Municipality, period: Period, population: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(profile, activity) per referral made in the period; a group referral gives each of its activities."""
    start, end = _day_bounds(period)
    rows = list(
        Referral.objects.filter(municipality=municipality, created_at__gte=start, created_at__lt=end)
        .filter(Q(activity__isnull=False) | Q(group__isnull=False))
        .values_list("profile_id", "activity_id", "group_id")
    )
    group_ids = {group for _, _, group in rows if group is not None}
    of_group: dict[int, list[int]] = {}
    if group_ids:
        through = Group.activities.through.objects.filter(group_id__in=group_ids)
        for group_id, activity_id in through.values_list("group_id", "activity_id"):
            of_group.setdefault(group_id, []).append(activity_id)
    people, targets = [], []
    for profile, activity, group in rows:
        for target in [activity] if activity is not None else of_group.get(group, []):
            people.append(profile)
            targets.append(target)
    people_array, targets_array = np.array(people, dtype=np.int64), np.array(targets, dtype=np.int64)
    keep = np.isin(people_array, population)
    return people_array[keep], targets_array[keep]


def activity_nodes(municipality: Municipality, period: Period, referred: set[int]) -> list[ActivityNode]:
    """Published activities with a session or a referral in the period, or active on its last day."""
    day = period.end
    active = (Q(active_from__isnull=True) | Q(active_from__lte=day)) & (
        Q(active_until__isnull=True) | Q(active_until__gte=day)
    )
    sessions = AttendanceSession.objects.filter(
        municipality=municipality, on__gte=period.start, on__lte=period.end
    ).values("activity_id")
    rows = (
        Activity.objects.filter(municipality=municipality, status=ActivityStatus.PUBLISHED)
        .filter(active | Q(pk__in=sessions) | Q(pk__in=sorted(referred)))
        .values_list(
            "pk",
            "title",
            "organisation_id",
            "organisation__name",
            "participation_type__code",
            "action_perspective",
            "place__neighbourhood_id",
            "place__neighbourhood__district_id",
            "place__lat",
            "place__lon",
        )
        .order_by("pk")
    )
    return [
        ActivityNode(pk, title, org, org_name, type_code or "", perspective or "", neighbourhood, district, lat, lon)
        for pk, title, org, org_name, type_code, perspective, neighbourhood, district, lat, lon in rows
    ]


def period_pairs(municipality: Municipality, period: Period, population: np.ndarray | None = None) -> PairCounts:
    """Shared participants per activity pair in `period` (for `new_links`: the previous period's)."""
    population = monitored_profiles(municipality) if population is None else population
    people, activities, visits = attended(municipality, period, population)
    return participant_pairs(people, activities, visits)


def network_for(municipality: Municipality, period: Period, *, seed: int = LEIDEN_SEED) -> Network:
    """The period's network. Needs the municipality's scope."""
    population = monitored_profiles(municipality)
    people, activities, visits = attended(municipality, period, population)
    referred_people, referred_to = _referrals(municipality, period, population)
    nodes = activity_nodes(municipality, period, {int(a) for a in referred_to})
    return analyse(
        nodes,
        participant_pairs(people, activities, visits),
        referral_pairs(people, activities, referred_people, referred_to),
        period=period.code,
        seed=seed,
    )


# --- cells ------------------------------------------------------------------------------------------


def _district_of(node: ActivityNode, tree: AreaTree) -> str | None:
    code = tree.neighbourhood_code.get(node.neighbourhood_id) if node.neighbourhood_id is not None else None
    return tree.district_of.get(code) if code else None


def coherence_cells(*, network: Network, tree: AreaTree, period: Period) -> list[Cell]:
    """`coherence.linked` and `coherence.largest` (GM and each WK; an activity counts for the district of
    its place's neighbourhood), and `coherence_structure.*` (GM)."""
    if network.period and network.period != period.code:
        raise ValueError(f"network of {network.period}, cells asked for {period.code}")
    districts = np.array([_district_of(node, tree) or "" for node in network.nodes], dtype=object)
    cells = []
    for code in ("linked", "largest"):
        flags = network.linked if code == "linked" else network.in_largest
        cells.append(percentage_cell(f"coherence.{code}", tree.municipality, EVERYONE, int(flags.sum()), len(flags)))
        for district in sorted(tree.districts):
            here = districts == district
            cells.append(
                percentage_cell(f"coherence.{code}", district, EVERYONE, int(flags[here].sum()), int(here.sum()))
            )
    cells.append(count_cell("coherence_structure.components", tree.municipality, EVERYONE, network.components))
    cells.append(count_cell("coherence_structure.bridges", tree.municipality, EVERYONE, len(network.bridges)))
    cells.append(count_cell("coherence_structure.communities", tree.municipality, EVERYONE, len(network.communities)))
    return cells


def new_links_count(network: Network, previous: PairCounts) -> int:
    """Pairs of the network that share a participant now and did not in the previous period."""
    return int((~np.isin(network.participant_keys, previous.keys())).sum())


def new_links_cells(*, municipality: Municipality, network: Network, tree: AreaTree, period: Period) -> list[Cell]:
    """`new_links` (GM). Reads the previous period's attendance; needs the municipality's scope."""
    previous = period_pairs(municipality, period.previous())
    return [count_cell("new_links", tree.municipality, EVERYONE, new_links_count(network, previous))]
