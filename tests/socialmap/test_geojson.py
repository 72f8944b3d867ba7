"""GeoJSON layers of places and activities: public, per municipality, only what a map can show."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from nabij.socialmap.models import AMSTERDAM, ActivityStatus, ParticipationType
from nabij.testing.factories import ActivityFactory, OrganisationFactory, PlaceFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

API = "/api/v1/municipalities"


def _get(client: Client, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "application/geo+json"
    body: dict[str, Any] = response.json()
    assert body["type"] == "FeatureCollection"
    return body


def _by_id(body: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {feature["id"]: feature for feature in body["features"]}


def test_places_layer(client: Client, socialmap: SocialMap, personas: Personas) -> None:
    today = timezone.localdate()
    place = PlaceFactory.create(
        organisation=socialmap.organisation,
        name="Buurthuis De Linde",
        street="Lindelaan",
        house_number="4",
        postcode="1234 AB",
        city="Alfadorp",
        lat=52.01,
        lon=4.02,
        neighbourhood=personas.neighbourhood_a,
        wheelchair_accessible=None,
    )
    no_position = PlaceFactory.create(organisation=socialmap.organisation, lat=None, lon=None)
    # Counted: published and active today. Not counted: a draft, one that ended yesterday, one not yet begun.
    ActivityFactory.create(organisation=socialmap.organisation, place=place)
    ActivityFactory.create(organisation=socialmap.organisation, place=place, status=ActivityStatus.DRAFT)
    ActivityFactory.create(organisation=socialmap.organisation, place=place, active_until=today - dt.timedelta(days=1))
    ActivityFactory.create(organisation=socialmap.organisation, place=place, active_from=today + dt.timedelta(days=1))
    with scope(municipality=personas.municipality_b):
        organisation_b = OrganisationFactory.create(municipality=personas.municipality_b)
        place_b = PlaceFactory.create(organisation=organisation_b)

    features = _by_id(_get(client, f"{API}/GM0001/places.geojson"))
    assert str(no_position.uid) not in features and str(place_b.uid) not in features
    assert features[str(place.uid)] == {
        "type": "Feature",
        "id": str(place.uid),
        "geometry": {"type": "Point", "coordinates": [4.02, 52.01]},
        "properties": {
            "uid": str(place.uid),
            "name": "Buurthuis De Linde",
            "kind": "buurthuis",
            "address": "Lindelaan 4, 1234 AB, Alfadorp",
            "organisation": "Buurthuis De Linde",
            "organisation_uid": str(socialmap.organisation.uid),
            "neighbourhood": "BU00010101",
            "step_free_entrance": True,
            "wheelchair_accessible": None,
            "accessible_toilet": True,
            "activity_count": 1,
        },
    }
    # Municipality B's layer has B's place only.
    assert list(_by_id(_get(client, f"{API}/gm0002/places.geojson"))) == [str(place_b.uid)]


def test_activities_layer(client: Client, socialmap: SocialMap, personas: Personas) -> None:
    place = PlaceFactory.create(organisation=socialmap.organisation, name="De Linde", lat=52.01, lon=4.02)
    no_position = PlaceFactory.create(organisation=socialmap.organisation, lat=None, lon=None)
    ontmoeten = ParticipationType.objects.get(code="ontmoeten")
    # Weekly on Tuesdays at 10:00 from 7 January 2025; barriers cost (bit 0) and no_host (bit 3).
    shown = ActivityFactory.create(
        organisation=socialmap.organisation,
        place=place,
        title="Koffie-ochtend",
        participation_type=ontmoeten,
        action_perspective="warme_plek",
        barrier_mask=(1 << 0) | (1 << 3),
    )
    ActivityFactory.create(organisation=socialmap.organisation, place=place, status=ActivityStatus.DRAFT)
    ActivityFactory.create(organisation=socialmap.organisation, place=None)  # online
    ActivityFactory.create(organisation=socialmap.organisation, place=no_position)
    ended = ActivityFactory.create(organisation=socialmap.organisation, place=place, active_until=dt.date(2029, 12, 31))
    with scope(municipality=personas.municipality_b):
        ActivityFactory.create(organisation=OrganisationFactory.create(municipality=personas.municipality_b))

    # 1 January 2030 is a Tuesday: the next time is that morning at 10:00 (CET).
    features = _by_id(_get(client, f"{API}/GM0001/activities.geojson", date="2030-01-01"))
    assert list(features) == [str(shown.uid)]
    assert features[str(shown.uid)] == {
        "type": "Feature",
        "id": str(shown.uid),
        "geometry": {"type": "Point", "coordinates": [4.02, 52.01]},
        "properties": {
            "uid": str(shown.uid),
            "title": "Koffie-ochtend",
            "participation_type": "ontmoeten",
            "participation_type_label": "Ontmoeten",
            "action_perspective": "warme_plek",
            "barriers": ["cost", "no_host"],
            "next_date": "2030-01-01T10:00:00+01:00",
            "url": f"http://testserver/alfadorp/activiteiten/{shown.uid}/",
            "ical": f"http://testserver/alfadorp/activiteiten/{shown.uid}/agenda.ics",
            "place_uid": str(place.uid),
            "place_name": "De Linde",
            "organisation": "Buurthuis De Linde",
        },
    }
    # On 31 December 2029 the one that ends that day is still there.
    assert set(_by_id(_get(client, f"{API}/GM0001/activities.geojson", date="2029-12-31"))) == {
        str(shown.uid),
        str(ended.uid),
    }


def test_activities_layer_defaults_to_today(client: Client, socialmap: SocialMap) -> None:
    today = timezone.localdate()
    running = ActivityFactory.create(organisation=socialmap.organisation)
    ActivityFactory.create(organisation=socialmap.organisation, active_until=today - dt.timedelta(days=1))
    ActivityFactory.create(organisation=socialmap.organisation, active_from=today + dt.timedelta(days=1))
    once_past = ActivityFactory.create(
        organisation=socialmap.organisation, rrule="", dtstart=dt.datetime(2025, 1, 7, 10, tzinfo=AMSTERDAM)
    )
    features = _by_id(_get(client, f"{API}/GM0001/activities.geojson"))
    assert set(features) == {str(running.uid), str(once_past.uid)}
    # A single time that has passed has no next date; the weekly one has one, on a Tuesday at 10:00.
    assert features[str(once_past.uid)]["properties"]["next_date"] is None
    upcoming = dt.datetime.fromisoformat(features[str(running.uid)]["properties"]["next_date"])
    assert upcoming > timezone.now() and upcoming - timezone.now() <= dt.timedelta(days=7)
    assert (upcoming.weekday(), upcoming.hour, upcoming.minute) == (1, 10, 0)


def test_layers_are_public_and_errors_are_problems(client: Client, personas: Personas) -> None:
    assert _get(client, f"{API}/GM0001/places.geojson")["features"] == []
    for layer in ("places", "activities"):
        missing = client.get(f"{API}/GM9999/{layer}.geojson")
        assert missing.status_code == 404 and missing["Content-Type"] == "application/problem+json"
        bad = client.get(f"{API}/XX01/{layer}.geojson")
        assert bad.status_code == 422 and bad["Content-Type"] == "application/problem+json"
    bad_date = client.get(f"{API}/GM0001/activities.geojson", {"date": "31-12-2029"})
    assert bad_date.status_code == 422
    assert bad_date.json()["errors"][0]["location"] == ["query", "date"]


@pytest.mark.parametrize(
    ("rrule", "exdates", "active_from"),
    [
        ("FREQ=WEEKLY;BYDAY=TU", [], None),
        ("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH", [], None),
        ("FREQ=WEEKLY;INTERVAL=3", ["2027-03-30"], None),
        ("FREQ=WEEKLY;INTERVAL=2;WKST=SU;BYDAY=SU,TU", [], None),
        ("FREQ=DAILY;INTERVAL=3", ["2027-03-29", "2027-03-30"], None),
        ("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270330T190000", [], None),
        ("FREQ=WEEKLY;BYDAY=TU;UNTIL=20270323T180000Z", [], None),
        ("FREQ=WEEKLY;BYDAY=TU;COUNT=200", [], None),
        ("FREQ=MONTHLY;BYDAY=-1FR", [], None),
        ("FREQ=WEEKLY;BYDAY=TU", [], dt.date(2027, 4, 10)),
        ("", [], None),
    ],
)
def test_next_start_is_what_the_page_shows(
    socialmap: SocialMap, rrule: str, exdates: list[str], active_from: dt.date | None
) -> None:
    from nabij.socialmap.api_geo import upcoming_start

    # Monday 2 January 2023, 19:00; asked across the start of summer time 2027 (28 March) and later.
    activity = ActivityFactory.create(
        organisation=socialmap.organisation,
        dtstart=dt.datetime(2023, 1, 2, 19, 0, tzinfo=AMSTERDAM),
        rrule=rrule,
        exdates=exdates,
        active_from=active_from,
    )
    for after in (
        dt.datetime(2022, 12, 1, tzinfo=AMSTERDAM),
        dt.datetime(2027, 3, 26, 12, tzinfo=AMSTERDAM),
        dt.datetime(2027, 3, 29, 19, 0, tzinfo=AMSTERDAM),
        dt.datetime(2027, 3, 30, 19, 1, tzinfo=AMSTERDAM),
        dt.datetime(2031, 7, 1, tzinfo=AMSTERDAM),
    ):
        expected = activity.next_occurrences(1, after=after)
        assert upcoming_start(activity, after) == (expected[0] if expected else None), (rrule, after)
        found = upcoming_start(activity, after)
        assert found is None or found.isoformat() == expected[0].isoformat()


def test_next_start_by_hand(socialmap: SocialMap) -> None:
    from nabij.socialmap.api_geo import upcoming_start

    activity = ActivityFactory.create(
        organisation=socialmap.organisation,
        dtstart=dt.datetime(2023, 1, 2, 19, 0, tzinfo=AMSTERDAM),
        rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=TU",
    )
    # Every other Tuesday from 3 January 2023. 23 March 2027 is 1540 days = 220 weeks later (a
    # meeting), 30 March is 221 weeks (none); so after 24 March comes 6 April, in summer time.
    found = upcoming_start(activity, dt.datetime(2027, 3, 24, tzinfo=AMSTERDAM))
    assert found is not None and found.isoformat() == "2027-04-06T19:00:00+02:00"


def test_queries_do_not_grow_with_the_layer(client: Client, socialmap: SocialMap) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            _get(client, f"{API}/GM0001/activities.geojson")
            _get(client, f"{API}/GM0001/places.geojson")
        return len(queries)

    ActivityFactory.create(organisation=socialmap.organisation)
    one = count()
    for _ in range(5):
        ActivityFactory.create(organisation=socialmap.other_organisation, rrule="FREQ=MONTHLY;BYDAY=1TU")
    assert count() == one
