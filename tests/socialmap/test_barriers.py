"""Barriers: the catalogue, derivation from the facts, the drempelscan and "no barriers for me"."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from nabij.core.models import AuditEntry
from nabij.socialmap import catalogue
from nabij.socialmap.models import (
    AMSTERDAM,
    Activity,
    Barrier,
    BarrierProfileChange,
    Domain,
    ParticipationType,
    TargetGroup,
)
from nabij.socialmap.services import (
    activity_create,
    activity_derive_barriers,
    activity_update,
    barrier_create,
    catalogue_ensure_defaults,
    derive_barriers,
    drempelscan,
    mask_for_codes,
    place_create,
)
from nabij.testing.factories import ActivityFactory, PlaceFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

BIT = {d.code: d.bit for d in catalogue.DEFAULT_BARRIERS}


def mask(*codes: str) -> int:
    return sum(1 << BIT[code] for code in codes)


# --- the catalogue ------------------------------------------------------------------------------


def test_defaults_are_created_once(personas: Personas, scope_a: None) -> None:
    a = personas.municipality_a
    first = catalogue_ensure_defaults(municipality=a)
    assert first.created == {"barriers": 10, "participation_types": 4, "domains": 13, "target_groups": 1}
    again = catalogue_ensure_defaults(municipality=a)
    assert again.total == 0
    assert list(Barrier.objects.values_list("bit", "code")) == [(d.bit, d.code) for d in catalogue.DEFAULT_BARRIERS]
    assert list(ParticipationType.objects.values_list("code", flat=True)) == [
        "ontmoeten",
        "bewegen",
        "creatief",
        "vrijwilligerswerk",
    ]
    assert Domain.objects.count() == 13
    epa = TargetGroup.objects.get(code="epa")
    assert epa.sensitivity_mask == mask("cost", "registration", "crowded", "no_host")
    # One audit entry for the run that created something, none for the idempotent one.
    assert AuditEntry.objects.filter(record_type="socialmap.catalogue").count() == 1


def test_defaults_keep_what_a_municipality_changed(personas: Personas, scope_a: None) -> None:
    catalogue_ensure_defaults(municipality=personas.municipality_a)
    Barrier.objects.filter(code="cost").update(label_nl="Kost wat")
    catalogue_ensure_defaults(municipality=personas.municipality_a)
    assert Barrier.objects.get(code="cost").label_nl == "Kost wat"


def test_the_eleventh_barrier_gets_bit_ten_and_the_last_bit_is_62(socialmap: SocialMap, personas: Personas) -> None:
    a = personas.municipality_a
    own = barrier_create(
        actor=personas.coordinator, municipality=a, code="stigma", label_nl="Je valt op", how_to_lower="Noem het niet."
    )
    assert own.bit == 10
    assert barrier_create(actor=None, municipality=a, code="noise", label_nl="Veel lawaai").bit == 11
    for number in range(12, 63):
        barrier_create(actor=None, municipality=a, code=f"b{number}", label_nl=f"Drempel {number}")
    assert Barrier.objects.get(code="b62").bit == 62
    with pytest.raises(ValidationError, match="geen drempels meer"):
        barrier_create(actor=None, municipality=a, code="one-too-many", label_nl="Te veel")
    # Municipality B's catalogue is its own: its next barrier is bit 10 as well.
    with scope(municipality=personas.municipality_b):
        assert barrier_create(actor=None, municipality=personas.municipality_b, code="x", label_nl="X").bit == 10


def test_only_coordinators_and_admins_extend_the_catalogue(socialmap: SocialMap, personas: Personas) -> None:
    for user in (personas.resident, personas.professional, socialmap.organiser, personas.outsider):
        with pytest.raises(PermissionDenied):
            barrier_create(actor=user, municipality=personas.municipality_a, code="x", label_nl="X")
    assert barrier_create(actor=personas.admin, municipality=personas.municipality_a, code="x", label_nl="X").bit == 10


# --- derivation ---------------------------------------------------------------------------------


NO_BARRIERS: dict[str, Any] = {
    "cost_cents": 0,
    "has_free_option": False,
    "registration_required": False,
    "commitment": "drop_in",
    "who_welcomes_you": "Gastheer Kees",
    "expected_group_size": 8,
    "level_required": False,
    "dutch_language_required": False,
    "sign_up_channel": "in_person",
}


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        ({}, set()),
        ({"cost_cents": 350}, {"cost"}),
        ({"cost_cents": 350, "has_free_option": True}, set()),
        ({"registration_required": True}, {"registration"}),
        ({"commitment": "membership"}, {"commitment"}),
        ({"commitment": "series"}, {"commitment"}),
        ({"who_welcomes_you": ""}, {"no_host"}),
        ({"who_welcomes_you": "   "}, {"no_host"}),
        ({"expected_group_size": 15}, set()),
        ({"expected_group_size": 16}, {"crowded"}),
        ({"expected_group_size": None}, set()),
        ({"level_required": True}, {"skills"}),
        ({"dutch_language_required": True}, {"language"}),
        ({"sign_up_channel": "online_only"}, {"digital"}),
        ({"sign_up_channel": "phone"}, set()),
    ],
)
def test_derive_barriers_per_fact(facts: dict[str, Any], expected: set[str]) -> None:
    activity = ActivityFactory.build(**{**NO_BARRIERS, **facts})
    activity.place = PlaceFactory.build(wheelchair_accessible=True)
    assert derive_barriers(activity) == expected


@pytest.mark.parametrize(("accessible", "expected"), [(True, set()), (None, set()), (False, {"physical"})])
def test_physical_comes_from_the_place(accessible: bool | None, expected: set[str]) -> None:
    activity = ActivityFactory.build(**NO_BARRIERS)
    activity.place = PlaceFactory.build(wheelchair_accessible=accessible)
    assert derive_barriers(activity) == expected


def test_an_online_activity_has_no_physical_barrier_and_distance_is_never_derived() -> None:
    activity = ActivityFactory.build(**{**NO_BARRIERS, "who_welcomes_you": ""}, place=None)
    assert derive_barriers(activity) == {"no_host"}


def _create(socialmap: SocialMap, actor: Any = None, **facts: Any) -> Activity:
    place = place_create(
        actor=None,
        organisation=socialmap.organisation,
        name="De Linde",
        kind="buurthuis",
        postcode="1234ab",
        wheelchair_accessible=facts.pop("wheelchair_accessible", True),
    )
    return activity_create(
        actor=actor,
        organisation=socialmap.organisation,
        participation_type="ontmoeten",
        place=place,
        domains=["eigen_netwerken"],
        title="Koffieochtend",
        dtstart=dt.datetime(2025, 1, 7, 10, 0, tzinfo=AMSTERDAM),
        rrule="FREQ=WEEKLY;BYDAY=TU",
        **{**NO_BARRIERS, **facts},
    )


def test_a_new_activity_gets_its_derived_mask_and_a_history_row(socialmap: SocialMap) -> None:
    activity = _create(
        socialmap, actor=socialmap.organiser, cost_cents=200, who_welcomes_you="", wheelchair_accessible=False
    )
    assert activity.barrier_mask == mask("cost", "no_host", "physical")
    assert activity.barrier_codes() == {"cost", "no_host", "physical"}
    change = BarrierProfileChange.objects.get(activity=activity)
    assert (change.old_mask, change.new_mask, change.source, change.actor) == (
        0,
        activity.barrier_mask,
        "derived",
        socialmap.organiser,
    )
    assert list(activity.domains.values_list("code", flat=True)) == ["eigen_netwerken"]


def test_updating_facts_moves_only_the_barriers_whose_facts_changed(socialmap: SocialMap) -> None:
    activity = _create(socialmap, who_welcomes_you="")
    # The organiser knows someone is always at the door, though no name is filled in.
    drempelscan(actor=socialmap.organiser, activity=activity, answers={"no_host": False})
    activity_update(actor=socialmap.organiser, activity=activity, cost_cents=500, description="Nu met ontbijt.")
    assert activity.barrier_mask == mask("cost")
    activity_update(actor=socialmap.organiser, activity=activity, has_free_option=True)
    assert activity.barrier_mask == 0
    assert list(BarrierProfileChange.objects.filter(activity=activity).values_list("source", "new_mask")) == [
        ("derived", mask("no_host")),
        ("drempelscan", 0),
        ("derived", mask("cost")),
        ("derived", 0),
    ]
    # A full re-derivation does bring the fact-based barrier back.
    assert activity_derive_barriers(actor=None, activity=activity) == {"no_host"}
    assert activity.barrier_mask == mask("no_host")


def test_activity_update_refuses_the_mask_and_unknown_fields(socialmap: SocialMap) -> None:
    activity = _create(socialmap)
    with pytest.raises(ValidationError, match="barrier_mask"):
        activity_update(actor=None, activity=activity, barrier_mask=5)


# --- drempelscan --------------------------------------------------------------------------------


def test_drempelscan_sets_the_mask_suggests_and_keeps_history(socialmap: SocialMap) -> None:
    activity = _create(socialmap, cost_cents=350, expected_group_size=25)
    assert activity.barrier_mask == mask("cost", "crowded")

    result = drempelscan(
        actor=socialmap.organiser,
        activity=activity,
        answers={"cost": True, "crowded": False, "registration": True, "language": False},
    )

    assert result.old_mask == mask("cost", "crowded")
    assert result.new_mask == mask("cost", "registration") == Activity.objects.get(pk=activity.pk).barrier_mask
    assert result.present == ["cost", "registration"]
    assert set(result.suggestions) == {"cost", "registration"}
    assert result.suggestions["cost"].startswith("Meedoen kost nu € 3,50. Maak meedoen gratis")
    assert "zonder aanmelding binnenlopen" in result.suggestions["registration"]
    items = {item.code: item for item in result.items}
    assert "distance" not in items  # relational: not part of the self-assessment
    assert items["crowded"].derived and not items["crowded"].present and items["crowded"].suggestion == ""
    assert items["registration"].present and not items["registration"].derived

    history = list(BarrierProfileChange.objects.filter(activity=activity).values_list("old_mask", "new_mask", "source"))
    assert history == [
        (0, mask("cost", "crowded"), "derived"),
        (mask("cost", "crowded"), result.new_mask, "drempelscan"),
    ]
    entry = AuditEntry.objects.filter(record_type="socialmap.activity").latest("pk")
    assert entry.purpose == "administration"
    assert entry.detail == {
        "barrier_mask": {"old": mask("cost", "crowded"), "new": result.new_mask},
        "source": "drempelscan",
    }


def test_a_confirming_drempelscan_is_recorded_too(socialmap: SocialMap) -> None:
    activity = _create(socialmap, registration_required=True)
    result = drempelscan(actor=socialmap.organiser, activity=activity, answers={"registration": True})
    assert result.old_mask == result.new_mask == mask("registration")
    assert BarrierProfileChange.objects.filter(activity=activity, source="drempelscan").count() == 1


def test_drempelscan_refuses_unknown_and_relational_barriers(socialmap: SocialMap) -> None:
    activity = _create(socialmap)
    with pytest.raises(ValidationError, match="Onbekende drempel: bestaatniet"):
        drempelscan(actor=socialmap.organiser, activity=activity, answers={"bestaatniet": True})
    with pytest.raises(ValidationError, match="hangt af van waar iemand woont"):
        drempelscan(actor=socialmap.organiser, activity=activity, answers={"distance": True})
    assert BarrierProfileChange.objects.filter(source="drempelscan").count() == 0


def test_who_may_do_a_drempelscan(socialmap: SocialMap, personas: Personas) -> None:
    activity = _create(socialmap)
    for user in (socialmap.organiser, personas.coordinator, personas.admin):
        drempelscan(actor=user, activity=activity, answers={"cost": False})
    for user in (socialmap.other_organiser, personas.outsider, personas.resident, personas.professional, None):
        with pytest.raises(PermissionDenied):
            drempelscan(actor=user, activity=activity, answers={"cost": True})
    assert activity.barrier_mask == 0
    assert BarrierProfileChange.objects.filter(source="drempelscan").count() == 3


def test_organisers_of_another_organisation_may_not_add_activities(socialmap: SocialMap, personas: Personas) -> None:
    for user in (socialmap.other_organiser, personas.outsider):
        with pytest.raises(PermissionDenied):
            activity_create(
                actor=user,
                organisation=socialmap.organisation,
                participation_type="ontmoeten",
                title="Niet van mij",
                dtstart=dt.datetime(2025, 1, 7, 10, 0, tzinfo=AMSTERDAM),
            )
    assert not Activity.objects.exists()


# --- no barriers for me -------------------------------------------------------------------------


def test_without_barriers_is_one_bitwise_comparison(socialmap: SocialMap) -> None:
    make = ActivityFactory.create
    org = socialmap.organisation
    pt = ParticipationType.objects.get(code="ontmoeten")
    none = make(organisation=org, participation_type=pt, title="geen", barrier_mask=0)
    cost = make(organisation=org, participation_type=pt, title="kosten", barrier_mask=mask("cost"))
    digital = make(organisation=org, participation_type=pt, title="digitaal", barrier_mask=mask("digital"))
    both = make(organisation=org, participation_type=pt, title="beide", barrier_mask=mask("cost", "skills", "digital"))
    own = make(organisation=org, participation_type=pt, title="eigen", barrier_mask=1 << 62)

    person = mask("cost", "crowded")
    with CaptureQueriesContext(connection) as queries:
        found = set(Activity.objects.without_barriers(person).values_list("title", flat=True))
    assert found == {none.title, digital.title, own.title}
    sql = queries.captured_queries[-1]["sql"]
    where = sql.split("WHERE", 1)[1]
    assert len(re.findall(r"&", where)) == 1
    assert re.search(rf'"barrier_mask"\s*&\s*{person}\)?\s*\)?\s*=\s*0', where), where

    assert set(Activity.objects.without_barriers(0).values_list("pk", flat=True)) == {
        a.pk for a in (none, cost, digital, both, own)
    }
    assert set(Activity.objects.without_barriers(1 << 62).values_list("pk", flat=True)) == {
        a.pk for a in (none, cost, digital, both)
    }

    counts = dict(
        Activity.objects.barrier_count_for(mask("cost", "skills", "digital")).values_list("title", "barrier_count")
    )
    assert counts == {"geen": 0, "kosten": 1, "digitaal": 1, "beide": 3, "eigen": 0}
    assert set(Activity.objects.barrier_count_for(0).values_list("barrier_count", flat=True)) == {0}


def test_mask_for_codes(socialmap: SocialMap, personas: Personas) -> None:
    assert mask_for_codes(personas.municipality_a, ["cost", "digital"]) == 0b100000001
    with pytest.raises(ValidationError, match="Onbekende drempel"):
        mask_for_codes(personas.municipality_a, ["nope"])


def test_drempelscan_advice_follows_the_language(socialmap: SocialMap) -> None:
    from django.utils import translation

    activity = ActivityFactory.create(organisation=socialmap.organisation, cost_cents=250)
    with translation.override("en"):
        result = drempelscan(actor=socialmap.organiser, activity=activity, answers={"cost": True, "no_host": True})
    assert result.suggestions["no_host"].startswith("Put the name of a host with the activity.")
    assert result.suggestions["cost"].startswith("Taking part now costs € 2.50. Make taking part free")
    assert {item.code: item.label for item in result.items}["cost"] == "Costs money"
    result = drempelscan(actor=socialmap.organiser, activity=activity, answers={})
    assert result.suggestions["cost"].startswith("Meedoen kost nu € 2,50. Maak meedoen gratis")


def test_a_municipality_from_the_area_import_gets_the_default_catalogues(db: None) -> None:
    from pathlib import Path

    from django_scopes import scopes_disabled

    from nabij.core.models import Municipality
    from nabij.core.services import areas_import

    geojson = Path(__file__).resolve().parents[1] / "fixtures" / "areas" / "rivierstede.geojson"
    areas_import(actor=None, data=geojson.read_bytes(), filename=geojson.name)
    with scopes_disabled():
        municipality = Municipality.objects.get(code="GM0998")
    with scope(municipality=municipality):
        assert list(Barrier.objects.order_by("bit").values_list("code", flat=True)) == [
            d.code for d in catalogue.DEFAULT_BARRIERS
        ]
        assert TargetGroup.objects.get(code="epa").sensitivity_mask == mask(
            "cost", "registration", "crowded", "no_host"
        )
    # Importing the same file again creates no municipality, so nothing more happens.
    areas_import(actor=None, data=geojson.read_bytes(), filename=geojson.name)
    with scope(municipality=municipality):
        assert Barrier.objects.count() == 10
