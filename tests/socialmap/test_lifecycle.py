"""Organisations, places and activities over their life: create, change, publish, archive."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from nabij.core.models import AuditEntry
from nabij.socialmap import catalogue, services
from nabij.socialmap.models import Activity, ActivityStatus, BarrierProfileChange, Organisation, Place
from nabij.testing.factories import ActivityFactory, PlaceFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

BIT = {d.code: d.bit for d in catalogue.DEFAULT_BARRIERS}


def test_coordinator_creates_and_changes_an_organisation(socialmap: SocialMap, personas: Personas) -> None:
    organisation = services.organisation_create(
        actor=personas.coordinator,
        municipality=personas.municipality_a,
        name="Buurtmoestuin Oost",
        sphere="oikos",
        kind="bewonersinitiatief",
    )
    services.organisation_update(actor=personas.coordinator, organisation=organisation, phone="010-1234567")
    organisation.refresh_from_db()
    assert organisation.phone == "010-1234567"
    actions = list(
        AuditEntry.objects.filter(record_ref=str(organisation.pk)).order_by("pk").values_list("action", flat=True)
    )
    assert actions == ["create", "change"]


def test_who_may_not_create_or_change_organisations(socialmap: SocialMap, personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        services.organisation_create(
            actor=socialmap.organiser, municipality=personas.municipality_a, name="X", sphere="oikos", kind="overig"
        )
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=socialmap.other_organiser, organisation=socialmap.organisation, name="Y")
    with pytest.raises(PermissionDenied):
        services.organisation_archive(actor=socialmap.organiser, organisation=socialmap.organisation)
    with pytest.raises(PermissionDenied):
        services.organisation_update(actor=personas.outsider, organisation=socialmap.organisation, name="Y")
    # Its own organiser may change the details.
    services.organisation_update(actor=socialmap.organiser, organisation=socialmap.organisation, website="")
    assert Organisation.objects.get(pk=socialmap.organisation.pk).name == "Buurthuis De Linde"


def test_bad_organisation_input_writes_nothing(socialmap: SocialMap, personas: Personas) -> None:
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as raised:
        services.organisation_create(
            actor=None, municipality=personas.municipality_a, name="", sphere="markt", kind="overig"
        )
    assert set(raised.value.message_dict) == {"name", "sphere"}
    with pytest.raises(ValidationError):
        services.organisation_create(actor=None, municipality=personas.municipality_a, name="Z", municipality_id=2)
    with pytest.raises(ValidationError):  # names are unique per municipality
        services.organisation_create(
            actor=None, municipality=personas.municipality_a, name="Buurthuis De Linde", sphere="oikos", kind="overig"
        )
    assert Organisation.objects.count() == before


def test_archiving_an_organisation_archives_its_offer(socialmap: SocialMap, personas: Personas) -> None:
    place = PlaceFactory.create(organisation=socialmap.organisation)
    published = ActivityFactory.create(organisation=socialmap.organisation, place=place)
    elsewhere = ActivityFactory.create(organisation=socialmap.other_organisation)
    services.organisation_archive(actor=personas.coordinator, organisation=socialmap.organisation)
    published.refresh_from_db()
    place.refresh_from_db()
    elsewhere.refresh_from_db()
    assert published.status == ActivityStatus.ARCHIVED
    assert place.archived_at is not None
    assert elsewhere.status == ActivityStatus.PUBLISHED
    with pytest.raises(ValidationError):
        services.activity_set_status(actor=personas.coordinator, activity=published, status="published")


def test_place_update_follows_wheelchair_access(socialmap: SocialMap) -> None:
    place = services.place_create(
        actor=socialmap.organiser, organisation=socialmap.organisation, name="Zaal", kind="buurthuis"
    )
    activity = services.activity_create(
        actor=socialmap.organiser,
        organisation=socialmap.organisation,
        participation_type="ontmoeten",
        place=place,
        title="Bingo",
        who_welcomes_you="Ria",
        dtstart=ActivityFactory.dtstart,
    )
    assert activity.barrier_mask == 0
    services.place_update(actor=socialmap.organiser, place=place, wheelchair_accessible=False)
    activity.refresh_from_db()
    assert activity.barrier_mask == 1 << BIT["physical"]
    services.place_update(actor=socialmap.organiser, place=place, wheelchair_accessible=True, postcode="3011ab")
    activity.refresh_from_db()
    place.refresh_from_db()
    assert (activity.barrier_mask, place.postcode) == (0, "3011 AB")
    sources = list(BarrierProfileChange.objects.filter(activity=activity).values_list("new_mask", flat=True))
    assert sources == [1 << BIT["physical"], 0]  # the initial derived mask 0 equals the default: no row
    with pytest.raises(PermissionDenied):
        services.place_update(actor=socialmap.other_organiser, place=place, name="Weg")
    with pytest.raises(ValidationError):
        services.place_update(actor=socialmap.organiser, place=place, organisation=socialmap.other_organisation)


def test_place_archive(socialmap: SocialMap) -> None:
    place = PlaceFactory.create(organisation=socialmap.organisation)
    with pytest.raises(PermissionDenied):
        services.place_archive(actor=socialmap.other_organiser, place=place)
    services.place_archive(actor=socialmap.organiser, place=place)
    assert Place.objects.get(pk=place.pk).archived_at is not None


def test_activity_status_and_barriers(socialmap: SocialMap) -> None:
    activity = ActivityFactory.create(organisation=socialmap.organisation, status="draft")
    services.activity_set_status(actor=socialmap.organiser, activity=activity, status="published")
    assert Activity.objects.get(pk=activity.pk).status == "published"
    with pytest.raises(ValidationError):
        services.activity_set_status(actor=socialmap.organiser, activity=activity, status="weg")
    with pytest.raises(PermissionDenied):
        services.activity_set_status(actor=socialmap.other_organiser, activity=activity, status="archived")
    services.activity_set_barriers(actor=None, activity=activity, codes=["cost", "distance", "crowded"])
    # distance is relational: never stored in a mask.
    assert Activity.objects.get(pk=activity.pk).barrier_mask == (1 << BIT["cost"]) | (1 << BIT["crowded"])
    with pytest.raises(ValidationError):
        services.activity_set_barriers(actor=None, activity=activity, codes=["vliegen"])


def test_refresh_schedules_moves_next_dates_on(socialmap: SocialMap, personas: Personas) -> None:
    import datetime as dt
    from io import StringIO

    from django.core.management import CommandError, call_command

    from nabij.socialmap.models import AMSTERDAM

    activity = ActivityFactory.create(organisation=socialmap.organisation)  # Tuesdays 10:00
    # Pretend the summary was made two weeks ago: its next start has passed.
    Activity.objects.filter(pk=activity.pk).update(next_start=dt.datetime(2025, 1, 7, 10, tzinfo=AMSTERDAM))
    out = StringIO()
    call_command("refresh_schedules", "--municipality", "GM0001", stdout=out)
    assert "GM0001 Alfadorp: 1 activiteiten bijgewerkt." in out.getvalue()
    activity.refresh_from_db()
    assert activity.next_start is not None
    assert activity.next_start > dt.datetime.now(tz=AMSTERDAM)
    assert activity.next_start.astimezone(AMSTERDAM).weekday() == 1
    with pytest.raises(CommandError, match=r"Gemeente GM9998 bestaat niet\."):
        call_command("refresh_schedules", "--municipality", "GM9998")
