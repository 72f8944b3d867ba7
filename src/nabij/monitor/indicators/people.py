"""People indicators: activism, access, retention and flows, outcomes, professionals' hand-overs.

Everything here reads primary keys, dates, neighbourhoods and isolation types of profiles in the
monitor population (a current consent for monitoring): never a name, never a free text.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import defaultdict
from dataclasses import dataclass

import numpy as np
from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from nabij.core.models import Municipality
from nabij.groups.models import LARGEST, SMALLEST, MemberRole, Membership
from nabij.monitor.areas import AreaTree
from nabij.monitor.indicators.cells import Cell
from nabij.monitor.indicators.grouping import Areas, count_cells, figure_cells, percentage_cells
from nabij.monitor.models import Attendance
from nabij.monitor.periods import Period
from nabij.people.models import LadderMeasurement, LonelinessCategory, LonelinessMeasurement, ResidentProfile
from nabij.support.models import ContactMoment, Referral, SupportRelation
from nabij.support.models.relations import RelationStatus

LONELINESS_ORDER: dict[str, int] = {
    LonelinessCategory.NOT: 0,
    LonelinessCategory.MODERATE: 1,
    LonelinessCategory.SEVERE: 2,
    LonelinessCategory.VERY_SEVERE: 3,
}


@dataclass
class People:
    """The monitor population, one row per profile, with what the period needs."""

    period: Period
    pk: np.ndarray
    row: dict[int, int]
    areas: Areas
    isolation: list[str]
    created_by_end: np.ndarray  # created before the end of the period (local time)
    attended_now: np.ndarray  # named attendance in the period
    attended_before: np.ndarray  # named attendance in the previous period
    attended_earlier: np.ndarray  # named attendance before the period's start (ever)

    def flags(self, pks: object) -> np.ndarray:
        flags = np.zeros(len(self.pk), dtype=bool)
        rows = [self.row[pk] for pk in pks if pk in self.row]  # type: ignore[attr-defined]
        flags[rows] = True
        return flags


def _attendees(municipality: Municipality, start: dt.date, end: dt.date) -> set[int]:
    return set(
        Attendance.objects.filter(municipality=municipality, on__gte=start, on__lte=end)
        .values_list("profile_id", flat=True)
        .distinct()
        .order_by()
    )


def load_people(municipality: Municipality, period: Period, tree: AreaTree) -> People:
    rows = list(
        ResidentProfile.objects.filter(municipality=municipality)
        .monitor_population()
        .values_list("pk", "neighbourhood_id", "isolation_type", "created_at")
        .order_by("pk")
    )
    pk = np.array([r[0] for r in rows], dtype=np.int64)
    end = local_midnight(period.end + dt.timedelta(days=1))
    people = People(
        period=period,
        pk=pk,
        row={p: i for i, p in enumerate(pk.tolist())},
        areas=Areas.of(tree, np.array([r[1] if r[1] is not None else -1 for r in rows], dtype=np.int64)),
        isolation=[r[2] or "" for r in rows],
        # Local dates, like the `__date` lookups below: the database hands back UTC moments.
        created_by_end=np.array([r[3] < end for r in rows], dtype=bool),
        attended_now=np.zeros(0, dtype=bool),
        attended_before=np.zeros(0, dtype=bool),
        attended_earlier=np.zeros(0, dtype=bool),
    )
    now = _attendees(municipality, period.start, period.end)
    previous = period.previous()
    people.attended_now = people.flags(now)
    people.attended_before = people.flags(_attendees(municipality, previous.start, previous.end))
    # Who among this period's attendees came ever before: one index seek per attendee.
    earlier = set(
        Attendance.objects.filter(municipality=municipality, on__lt=period.start, profile_id__in=list(now))
        .values_list("profile_id", flat=True)
        .distinct()
        .order_by()
    )
    people.attended_earlier = people.flags(earlier)
    return people


def local_midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the Netherlands: datetime bounds use the index, `__date` lookups do not."""
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def activism_cells(municipality: Municipality, people: People) -> list[Cell]:
    period = people.period
    start, after = local_midnight(period.start), local_midnight(period.end + dt.timedelta(days=1))
    overlapping = Membership.objects.filter(municipality=municipality, joined_at__lt=after).filter(
        Q(left_at__isnull=True) | Q(left_at__gte=start)
    )
    at_end = overlapping.filter(Q(left_at__isnull=True) | Q(left_at__gte=after))
    sizes = dict(at_end.values("group_id").annotate(n=Count("pk")).values_list("group_id", "n"))
    led = set(at_end.filter(role=MemberRole.TREKKER).values_list("group_id", flat=True))
    binding = {g for g, n in sizes.items() if SMALLEST <= n <= LARGEST and g in led}
    members = list(overlapping.values_list("profile_id", "group_id"))
    in_group = people.flags({p for p, _g in members})
    in_binding = people.flags({p for p, g in members if g in binding})
    participants = people.attended_now | in_group
    return percentage_cells("activism", people.areas, in_binding, participants, isolation=people.isolation)


def _relations(municipality: Municipality, period: Period) -> list[tuple[int, int, dt.date, dt.date | None, object]]:
    return list(
        SupportRelation.objects.filter(  # type: ignore[arg-type]  # started_on is filtered to be set
            municipality=municipality,
            status__in=(RelationStatus.ACTIVE, RelationStatus.ENDED),
            started_on__isnull=False,
            started_on__lte=period.end,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=period.start))
        .values_list("pk", "participant_id", "started_on", "ended_on", "requested_at")
    )


def access_cells(municipality: Municipality, people: People) -> list[Cell]:
    period = people.period
    relations = _relations(municipality, period)
    vulnerable = np.array([bool(kind) for kind in people.isolation], dtype=bool) & (people.created_by_end)
    supported = people.flags({r[1] for r in relations})
    cells = percentage_cells("access_support", people.areas, supported, vulnerable, isolation=people.isolation)

    # Time to match: relations that started in the period, from the request to the start.
    waits: dict[int, list[float]] = defaultdict(list)
    for _pk, participant, started, _ended, requested in relations:
        if requested is not None and period.start <= started <= period.end:
            waits[participant].append(float((started - timezone.localdate(requested)).days))  # type: ignore[arg-type]
    cells += _per_relation_figure("access_time_to_match", people, waits)

    # Contact continuity: relations active all period long, gaps between contacts at most N weeks.
    whole = {r[0]: r[1] for r in relations if r[2] <= period.start and (r[3] is None or r[3] >= period.end)}
    limit = settings.NABIJ_CONTACT_SIGNAL_WEEKS * 7
    contacts: dict[int, list[dt.date]] = defaultdict(list)
    for relation_id, on in (
        ContactMoment.objects.filter(municipality=municipality, relation_id__in=list(whole), on__gte=period.start)
        .filter(on__lte=period.end)
        .values_list("relation_id", "on")
    ):
        contacts[relation_id].append(on)
    steady: dict[int, list[float]] = defaultdict(list)
    for relation_id, participant in whole.items():
        days = sorted([period.start, *contacts.get(relation_id, []), period.end])
        gaps = [(b - a).days for a, b in itertools.pairwise(days)]
        steady[participant].append(1.0 if max(gaps) <= limit else 0.0)
    cells += _relation_share("access_contact_continuity", people, steady)

    # Duration of relations active in the period, up to its end.
    durations: dict[int, list[float]] = defaultdict(list)
    for _pk, participant, started, ended, _requested in relations:
        until = min(ended, period.end) if ended else period.end
        durations[participant].append(float((until - started).days))
    cells += _per_relation_figure("relation_duration", people, durations)
    return cells


def _expand(people: People, per_profile: dict[int, list[float]]) -> tuple[np.ndarray, np.ndarray, Areas, list[str]]:
    """One row per relation, carrying its participant's area and isolation type."""
    rows: list[int] = []
    values: list[float] = []
    for participant, figures in per_profile.items():
        row = people.row.get(participant)
        if row is None:
            continue  # not in the monitor population
        rows += [row] * len(figures)
        values += figures
    index = np.array(rows, dtype=np.int64)
    areas = Areas(
        tree=people.areas.tree,
        neighbourhood=people.areas.neighbourhood[index] if len(index) else np.zeros(0, dtype=np.int64),
        district=people.areas.district[index] if len(index) else np.zeros(0, dtype=np.int64),
        neighbourhood_codes=people.areas.neighbourhood_codes,
        district_codes=people.areas.district_codes,
    )
    return np.array(values, dtype=float), index, areas, [people.isolation[i] for i in rows]


def _per_relation_figure(code: str, people: People, per_profile: dict[int, list[float]]) -> list[Cell]:
    values, _index, areas, isolation = _expand(people, per_profile)
    return figure_cells(code, "days", areas, values, np.ones(len(values), dtype=bool), isolation=isolation)


def _relation_share(code: str, people: People, per_profile: dict[int, list[float]]) -> list[Cell]:
    values, _index, areas, isolation = _expand(people, per_profile)
    every = np.ones(len(values), dtype=bool)
    return percentage_cells(code, areas, values > 0, every, isolation=isolation)


def flow_cells(people: People) -> list[Cell]:
    now, before, iso, areas = people.attended_now, people.attended_before, people.isolation, people.areas
    return [
        *percentage_cells("retention", areas, now, before, isolation=iso),
        *count_cells("new_participants", areas, now & ~people.attended_earlier, isolation=iso),
        *count_cells("inflow", areas, now & ~before, isolation=iso),
        *count_cells("outflow", areas, before & ~now, isolation=iso),
    ]


def _changes(rows: list[tuple[int, dt.date, int]], period: Period) -> dict[int, int]:
    """Per profile: the sign of (latest value in the period - the value measured before it)."""
    by_profile: dict[int, list[tuple[dt.date, int]]] = defaultdict(list)
    for profile, on, value in rows:
        if on <= period.end:
            by_profile[profile].append((on, value))
    moves: dict[int, int] = {}
    for profile, series in by_profile.items():
        series.sort()
        last_on, last = series[-1]
        if last_on < period.start or len(series) < 2:
            continue
        moves[profile] = int(np.sign(last - series[-2][1]))
    return moves


def outcome_cells(municipality: Municipality, people: People) -> list[Cell]:
    period = people.period
    ladder = _changes(
        list(
            LadderMeasurement.objects.filter(municipality=municipality, measured_on__lte=period.end).values_list(
                "profile_id", "measured_on", "rung"
            )
        ),
        period,
    )
    lonely_rows = [
        (p, on, LONELINESS_ORDER[category])
        for p, on, category in LonelinessMeasurement.objects.filter(
            municipality=municipality, measured_on__lte=period.end
        )
        .exclude(category="")
        .values_list("profile_id", "measured_on", "category")
        if category in LONELINESS_ORDER
    ]
    loneliness = _changes(lonely_rows, period)
    cells: list[Cell] = []
    # Higher rung is better; a higher loneliness category is worse.
    for code, moves, labels in (
        ("ladder_movement", ladder, {1: "up", 0: "same", -1: "down"}),
        ("loneliness_change", loneliness, {-1: "better", 0: "same", 1: "worse"}),
    ):
        measured = people.flags(moves)
        for sign, label in labels.items():
            moved = people.flags({p for p, s in moves.items() if s == sign})
            cells += percentage_cells(f"{code}.{label}", people.areas, moved, measured, isolation=people.isolation)
    return cells


def referral_cells(municipality: Municipality, people: People) -> list[Cell]:
    period = people.period
    rows = list(
        Referral.objects.filter(
            municipality=municipality,
            created_at__gte=local_midnight(period.start),
            created_at__lt=local_midnight(period.end + dt.timedelta(days=1)),
        ).values_list("profile_id", "activity_id", "group_id")
    )
    per_profile: dict[int, list[float]] = defaultdict(list)
    for profile, activity, group in rows:
        per_profile[profile].append(1.0 if activity is not None or group is not None else 0.0)
    return _relation_share("referrals_collective", people, per_profile)
