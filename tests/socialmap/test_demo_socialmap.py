"""The social map of the demo city: places, activities, barrier profiles and their history.

Generated once per test at small scale (seed 1). Every check works from the stored facts with
its own arithmetic; the only code of the product used for an expected value is
`services.derive_barriers`, which *defines* what a derived profile is.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
from dateutil.rrule import rrulestr
from django.db import transaction
from django.utils import timezone
from django_scopes import scope

from nabij.accounts.models import Role, RoleAssignment
from nabij.core.models import Municipality
from nabij.demo.generator import generate_demo
from nabij.demo.registry import DemoContext
from nabij.socialmap.models import (
    AMSTERDAM,
    Activity,
    BarrierProfileChange,
    Organisation,
    Place,
    TargetGroup,
    Theme,
    barriers_by_code,
)
from nabij.socialmap.selectors import barrier_table
from nabij.socialmap.services import derive_barriers

pytestmark = pytest.mark.django_db

# Bits of the default catalogue (docs/barriers.md): cost 0, registration 1, no_host 3, crowded 4.
EPA_MASK = 0b11011
RRULE_FORMS = re.compile(
    r"FREQ=WEEKLY;BYDAY=(MO|TU|WE|TH|FR|SA|SU)(,(MO|TU|WE|TH|FR|SA|SU))?"
    r"|FREQ=WEEKLY;INTERVAL=2;BYDAY=(MO|TU|WE|TH|FR|SA|SU)"
    r"|FREQ=WEEKLY;COUNT=\d+;BYDAY=(MO|TU|WE|TH|FR|SA|SU)"
    r"|FREQ=MONTHLY;BYDAY=(1|2|3|4|-1)(MO|TU|WE|TH|FR|SA|SU)"
)


@pytest.fixture
def demo() -> Iterator[DemoContext]:
    context = generate_demo(scale="small", seed=1)
    with scope(municipality=context.municipality):
        yield context


def winding_number(lon: float, lat: float, ring: list[list[float]]) -> int:
    """Non-zero when (lon, lat) is inside the closed ring (a different method than the generator's)."""
    winding = 0
    for (x0, y0), (x1, y1) in itertools.pairwise((p[0], p[1]) for p in ring):
        side = (x1 - x0) * (lat - y0) - (lon - x0) * (y1 - y0)
        if y0 <= lat < y1 and side > 0:
            winding += 1
        elif y1 <= lat < y0 and side < 0:
            winding -= 1
    return winding


def schedule_kind(rule: str) -> str:
    if not rule:
        return "once"
    if rule.startswith("FREQ=MONTHLY"):
        return "monthly"
    return "fortnightly" if "INTERVAL=2" in rule else "course" if "COUNT=" in rule else "weekly"


def test_small_scale_has_120_activities_in_places_of_every_organisation(demo: DemoContext) -> None:
    activities = list(Activity.objects.select_related("participation_type"))
    organisations = list(Organisation.objects.all())
    places = list(Place.objects.all())

    assert len(activities) == 120
    assert len(demo.get("activities")) == 120 and len(demo.get("places")) == len(places)
    per_organisation = Counter(p.organisation_id for p in places)
    assert set(per_organisation) == {o.pk for o in organisations}, "every organisation has a place"
    # The welfare organisation and the housing corporation have a place in each of the 3 districts.
    assert all(1 <= n <= 3 for n in per_organisation.values())
    assert {"buurthuis", "bibliotheek"} <= {p.kind for p in places}
    types = Counter(a.participation_type.code for a in activities)
    assert types.most_common(1)[0][0] == "ontmoeten"
    assert set(types) == {"ontmoeten", "bewegen", "creatief", "vrijwilligerswerk"}
    perspectives = Counter(a.action_perspective for a in activities)
    assert 0 < perspectives["warme_plek"] < perspectives["omgevingsinitiatief"]
    assert {"koken", "tuinieren", "taal", "muziek", "wandelen", "digitaal", "handwerk", "spel"} <= set(
        Theme.objects.values_list("code", flat=True)
    )
    domain_counts = [a.domains.count() for a in activities]
    assert min(domain_counts) == 1 and max(domain_counts) == 2
    assert Activity.themes.through.objects.exists()
    # An activity happens in a place of its own organisation; a few are online, without a place.
    assert all(a.place is None or a.place.organisation_id == a.organisation_id for a in activities)
    assert 2 <= sum(a.place_id is None for a in activities) < 10


def test_every_place_and_activity_passes_the_models_validation(demo: DemoContext) -> None:
    """The bulk inserts skip full_clean(); what they wrote must pass it anyway."""
    for place in Place.objects.all():
        place.full_clean()
    for activity in Activity.objects.all():
        activity.full_clean()


def test_every_place_lies_inside_its_neighbourhood_with_a_valid_postcode(demo: DemoContext) -> None:
    places = list(Place.objects.select_related("neighbourhood"))
    digits_of: dict[int, set[str]] = {}
    for place in places:
        assert place.neighbourhood is not None and place.lat is not None and place.lon is not None
        ring = place.neighbourhood.boundary["coordinates"][0]
        assert winding_number(place.lon, place.lat, ring) != 0, f"{place.name} lies outside its neighbourhood"
        assert re.fullmatch(r"[1-9][0-9]{3} [A-Z]{2}", place.postcode), place.postcode
        assert place.postcode[-2:] not in {"SA", "SD", "SS"}
        assert place.street and place.house_number and place.city == "Voorbeeldstad"
        digits_of.setdefault(place.neighbourhood_id, set()).add(place.postcode[:4])
    # One postcode area per neighbourhood, and no two neighbourhoods share one.
    assert all(len(digits) == 1 for digits in digits_of.values())
    assert len({next(iter(d)) for d in digits_of.values()}) == len(digits_of)
    # Nobody checked some places yet; some are known not to be accessible.
    assert any(p.wheelchair_accessible is None for p in places)
    assert any(p.wheelchair_accessible is False for p in places)


def test_masks_are_the_derived_barriers_with_history_and_some_drempelscans(demo: DemoContext) -> None:
    barriers = barriers_by_code(demo.municipality)
    history: dict[int, list[BarrierProfileChange]] = {}
    for change in BarrierProfileChange.objects.order_by("at", "pk"):
        history.setdefault(change.activity_id, []).append(change)
    scanned = 0
    for activity in Activity.objects.select_related("place"):
        derived = sum(barriers[code].mask for code in derive_barriers(activity))
        rows = [(c.source, c.old_mask, c.new_mask, c.actor_id) for c in history.get(activity.pk, [])]
        if rows and rows[-1][0] == "drempelscan":
            scanned += 1
            lowered = derived & ~activity.barrier_mask
            # The organiser lowered exactly one barrier the facts show, and added none.
            assert activity.barrier_mask & ~derived == 0
            assert bin(lowered).count("1") == 1
            assert rows == [("derived", 0, derived, None), ("drempelscan", derived, activity.barrier_mask, None)]
            first, second = history[activity.pk]
            assert first.at < second.at <= timezone.now()
        else:
            assert activity.barrier_mask == derived, activity.title
            # Like activity_create: a first history row, unless the profile is empty.
            assert rows == ([("derived", 0, derived, None)] if derived else [])
    assert scanned > 0
    assert BarrierProfileChange.objects.filter(source="derived").count() > 100


def test_the_epa_group_and_a_realistic_barrier_table(demo: DemoContext) -> None:
    epa = TargetGroup.objects.get(code="epa")
    codes = {code for code, b in barriers_by_code(demo.municipality).items() if epa.sensitivity_mask & b.mask}
    assert codes == {"cost", "registration", "crowded", "no_host"}
    assert epa.sensitivity_mask == EPA_MASK

    rows = barrier_table(municipality=demo.municipality, target_group=epa, day=timezone.localdate())
    columns = [sum(row.counts[k] for row in rows) for k in range(5)]
    total = sum(columns)
    assert total > 50
    assert columns[0] < total, "not everything is free of barriers for epa"
    # Seed 003 (Oud Charlois): much of the supply has two or more barriers for this group.
    assert sum(columns[2:]) / total > 0.4
    assert columns[4] > 0
    by_type = {row.code: row.total for row in rows}
    assert max(by_type, key=by_type.__getitem__) == "ontmoeten"
    # By hand: the published activities active today, counted per number of epa barriers.
    today = timezone.localdate()
    by_hand = [0] * 5
    for activity in Activity.objects.filter(status="published"):
        if (activity.active_from or today) <= today <= (activity.active_until or today):
            by_hand[min(4, bin(activity.barrier_mask & EPA_MASK).count("1"))] += 1
    assert by_hand == columns


def test_schedules_costs_and_facts_vary_as_in_a_real_city(demo: DemoContext) -> None:
    activities = list(Activity.objects.all())
    today = timezone.localdate()
    for activity in activities:
        local = activity.dtstart.astimezone(AMSTERDAM)
        assert 9 <= local.hour <= 20
        if not activity.rrule:
            continue
        assert RRULE_FORMS.fullmatch(activity.rrule), activity.rrule
        rule = rrulestr(activity.rrule, dtstart=local.replace(tzinfo=None))
        # DTSTART is the first occurrence, and every exception date is one of the occurrences.
        assert rule[0] == local.replace(tzinfo=None)
        for day in activity.exdates:
            moment = dt.datetime.combine(dt.date.fromisoformat(day), local.time())
            assert rule.after(moment, inc=True) == moment, (activity.rrule, day)
    kinds = Counter(schedule_kind(a.rrule) for a in activities)
    assert kinds["weekly"] > kinds["fortnightly"] > 0
    assert kinds["monthly"] > 0 and kinds["course"] > 0 and kinds["once"] > 0
    assert any(a.exdates for a in activities)
    assert any(a.active_until and a.active_until < today for a in activities), "some have ended"
    assert any(a.active_from and a.active_from > today for a in activities), "some start later"

    paid = [a.cost_cents for a in activities if a.cost_cents]
    assert len(paid) < len(activities) / 2, "most are free"
    assert all(200 <= cents <= 1500 for cents in paid)
    assert any(a.has_free_option for a in activities)
    assert any(not a.who_welcomes_you for a in activities) and any(a.who_welcomes_you for a in activities)
    assert any(a.registration_required for a in activities)
    assert {"drop_in", "series", "membership"} <= {a.commitment for a in activities}
    statuses = Counter(a.status for a in activities)
    assert statuses["published"] > 0.8 * len(activities) and statuses["draft"] > 0 and statuses["archived"] > 0
    assert all(a.title and a.description and a.what_to_expect for a in activities)


def test_the_demo_organiser_has_activities_to_manage(demo: DemoContext) -> None:
    assignment = RoleAssignment.objects.get(user__email="organiser@voorbeeldstad.nl", role=Role.ORGANISER)
    assert Activity.objects.filter(organisation=assignment.organisation).exists()
    assert Place.objects.filter(organisation=assignment.organisation).exists()


def snapshot(municipality: Municipality) -> dict[str, Any]:
    """What the seed decides about the social map, public ids included; database keys are not."""
    with scope(municipality=municipality):
        return {
            "places": list(
                Place.objects.order_by("uid").values_list(
                    "uid", "name", "kind", "street", "house_number", "postcode", "lat", "lon", "neighbourhood__code"
                )
            ),
            "activities": list(
                Activity.objects.order_by("uid").values_list(
                    "uid",
                    "title",
                    "organisation__uid",
                    "place__uid",
                    "dtstart",
                    "rrule",
                    "exdates",
                    "active_from",
                    "active_until",
                    "cost_cents",
                    "who_welcomes_you",
                    "barrier_mask",
                    "status",
                    "created_at",
                )
            ),
            "history": list(
                BarrierProfileChange.objects.order_by("activity__uid", "at").values_list(
                    "activity__uid", "old_mask", "new_mask", "source", "at"
                )
            ),
        }


def generate_and_forget(seed: int) -> dict[str, Any]:
    """The demo cannot be generated twice in one database: generate, take a snapshot, roll back."""
    with transaction.atomic():
        context = generate_demo(scale="small", seed=seed)
        taken = snapshot(context.municipality)
        transaction.set_rollback(True)
    return taken


def test_the_same_seed_gives_the_same_social_map() -> None:
    first, again, other = generate_and_forget(7), generate_and_forget(7), generate_and_forget(8)

    assert first == again
    assert len(first["activities"]) == 120
    assert first["places"] != other["places"]
    assert [a[1] for a in first["activities"]] != [a[1] for a in other["activities"]]
