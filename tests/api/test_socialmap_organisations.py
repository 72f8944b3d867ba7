"""The social map API: organisations and places. Public reads; who may (not) write; bad input writes nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django_scopes import scope

from nabij.accounts.models import User
from nabij.socialmap.models import Activity, ActivityStatus, Organisation, Place, Sphere
from nabij.testing.factories import ActivityFactory, OrganisationFactory, PlaceFactory
from nabij.testing.personas import Personas, login
from tests.api.helpers import API, assert_problem, bearer, token_for
from tests.conftest import SocialMap

A = f"{API}/municipalities/GM0001"
B = f"{API}/municipalities/GM0002"


def _send(method: str, url: str, data: dict[str, Any] | None = None, user: User | None = None) -> Any:
    headers = bearer(token_for(user)) if user is not None else {}
    return getattr(Client(), method)(url, data=data or {}, content_type="application/json", headers=headers)


SLUGS = {401: "not-authenticated", 403: "permission-denied", 404: None}


def _refused(response: Any, status: int) -> None:
    """Refused the way the API promises: 401 unauthenticated, 403 not allowed, 404 not yours to see."""
    assert_problem(response, status, SLUGS[status])


def _names(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["name"] for item in response.json()["results"]]


@pytest.fixture
def more(personas: Personas, socialmap: SocialMap) -> dict[str, Organisation]:
    a = personas.municipality_a
    with scope(municipality=personas.municipality_b):
        OrganisationFactory.create(municipality=personas.municipality_b, name="Betaclub")
    archived = OrganisationFactory.create(municipality=a, name="Oude Club")
    Organisation.objects.filter(pk=archived.pk).update(archived_at="2025-01-01T00:00:00Z")
    return {
        "moestuin": OrganisationFactory.create(municipality=a, name="Moestuin Zuid"),
        "bieb": OrganisationFactory.create(
            municipality=a, name="Bibliotheek Alfa", sphere=Sphere.OVERHEID, kind="bibliotheek"
        ),
        "archived": archived,
    }


# --- organisations: reading --------------------------------------------------------------------


def test_list_is_public_without_archived_and_other_municipalities(client: Client, more: Any) -> None:
    assert _names(client.get(f"{A}/organisations")) == [
        "Bibliotheek Alfa",
        "Buurthuis De Linde",
        "Moestuin Zuid",
        "Sportclub Vooruit",
    ]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("q=LINDE", ["Buurthuis De Linde"]),
        ("q=u", ["Buurthuis De Linde", "Moestuin Zuid", "Sportclub Vooruit"]),
        ("sphere=overheid", ["Bibliotheek Alfa"]),
        ("sphere=ondernemingen", []),
        ("kind=bibliotheek", ["Bibliotheek Alfa"]),
        ("kind=bewonersinitiatief&q=zuid", ["Moestuin Zuid"]),
    ],
)
def test_list_filters(client: Client, more: Any, query: str, expected: list[str]) -> None:
    assert _names(client.get(f"{A}/organisations?{query}")) == expected


def test_list_rejects_an_unknown_sphere(client: Client, more: Any) -> None:
    body = assert_problem(client.get(f"{A}/organisations?sphere=markt"), 422, "validation-error")
    assert body["errors"][0]["location"] == ["query", "sphere"]


def test_get_by_uid(client: Client, socialmap: SocialMap) -> None:
    response = client.get(f"{A}/organisations/{socialmap.organisation.uid}")
    assert response.status_code == 200
    body = response.json()
    assert body["uid"] == str(socialmap.organisation.uid)
    assert body["name"] == "Buurthuis De Linde"
    assert body["archived_at"] is None
    assert "id" not in body


def test_archived_organisation_is_found_only_by_its_editors(client: Client, personas: Personas, more: Any) -> None:
    url = f"{A}/organisations/{more['archived'].uid}"
    assert_problem(client.get(url), 404)
    assert_problem(client.get(url, headers=bearer(token_for(personas.resident))), 404)
    assert client.get(url, headers=bearer(token_for(personas.coordinator))).status_code == 200


def test_other_municipality_is_not_found(client: Client, socialmap: SocialMap) -> None:
    assert_problem(client.get(f"{B}/organisations/{socialmap.organisation.uid}"), 404)
    assert_problem(client.get(f"{A}/organisations/00000000-0000-0000-0000-000000000000"), 404)
    assert_problem(client.get(f"{API}/municipalities/GM0999/organisations"), 404)


# --- organisations: writing --------------------------------------------------------------------

NEW = {"name": "Repaircafé Alfa", "sphere": "oikos", "kind": "vereniging", "email": "info@repair.test"}


def test_coordinator_creates_an_organisation(personas: Personas, socialmap: SocialMap) -> None:
    response = _send("post", f"{A}/organisations", NEW, personas.coordinator)
    assert response.status_code == 201, response.content
    body = response.json()
    created = Organisation.objects.get(uid=body["uid"])
    assert (created.name, created.sphere, created.kind, created.email) == (
        "Repaircafé Alfa",
        "oikos",
        "vereniging",
        "info@repair.test",
    )
    assert created.municipality_id == personas.municipality_a.pk


@pytest.mark.parametrize(("who", "status"), [("resident", 403), ("organiser", 403), ("outsider", 404)])
def test_who_may_not_create_an_organisation(personas: Personas, socialmap: SocialMap, who: str, status: int) -> None:
    user = socialmap.organiser if who == "organiser" else getattr(personas, who)
    _refused(_send("post", f"{A}/organisations", NEW, user), status)
    assert not Organisation.objects.filter(name=NEW["name"]).exists()


def test_anonymous_may_not_create(socialmap: SocialMap) -> None:
    response = _send("post", f"{A}/organisations", NEW)
    assert_problem(response, 401, "not-authenticated")
    assert not Organisation.objects.filter(name=NEW["name"]).exists()


def test_a_session_change_needs_the_csrf_token(personas: Personas, socialmap: SocialMap) -> None:
    client = login(Client(enforce_csrf_checks=True), personas.coordinator)
    url = f"{A}/organisations"
    assert_problem(client.post(url, data=NEW, content_type="application/json"), 403, "csrf-failed")
    secret = "abcdefghijklmnopqrstuvwxyz012345"
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    response = client.post(url, data=NEW, content_type="application/json", headers={"X-CSRFToken": secret})
    assert response.status_code == 201


def test_coordinators_need_the_second_factor_organisers_do_not(personas: Personas, socialmap: SocialMap) -> None:
    coordinator = login(Client(), personas.coordinator, second_factor=False)
    response = coordinator.post(f"{A}/organisations", data=NEW, content_type="application/json")
    assert_problem(response, 403, "second-factor-required")
    assert not Organisation.objects.filter(name=NEW["name"]).exists()
    organiser = login(Client(), socialmap.organiser, second_factor=False)
    url = f"{A}/organisations/{socialmap.organisation.uid}"
    response = organiser.patch(url, data={"phone": "010-7654321"}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["phone"] == "010-7654321"


@pytest.mark.parametrize(
    ("data", "location"),
    [
        ({**NEW, "name": "Buurthuis De Linde"}, ["body", "name"]),  # names are unique per municipality
        ({**NEW, "email": "geen-adres"}, ["body", "email"]),
        ({**NEW, "sphere": "markt"}, ["body", "sphere"]),
        ({**NEW, "secret": 1}, ["body", "secret"]),
        ({"sphere": "oikos", "kind": "vereniging"}, ["body", "name"]),
    ],
)
def test_bad_organisation_writes_nothing(
    personas: Personas, socialmap: SocialMap, data: dict[str, Any], location: list[str]
) -> None:
    before = Organisation.objects.count()
    body = assert_problem(_send("post", f"{A}/organisations", data, personas.coordinator), 422, "validation-error")
    assert location in [error["location"] for error in body["errors"]]
    assert all(error["message"] for error in body["errors"])
    assert Organisation.objects.count() == before


def test_organiser_changes_only_the_fields_sent(socialmap: SocialMap) -> None:
    url = f"{A}/organisations/{socialmap.organisation.uid}"
    response = _send("patch", url, {"description": "Het buurthuis van de Lindenwijk."}, socialmap.organiser)
    assert response.status_code == 200, response.content
    socialmap.organisation.refresh_from_db()
    assert socialmap.organisation.description == "Het buurthuis van de Lindenwijk."
    assert socialmap.organisation.name == "Buurthuis De Linde"


@pytest.mark.parametrize(("who", "status"), [("other_organiser", 403), ("resident", 403), ("outsider", 404)])
def test_who_may_not_change_an_organisation(personas: Personas, socialmap: SocialMap, who: str, status: int) -> None:
    user = getattr(socialmap, who, None) or getattr(personas, who)
    url = f"{A}/organisations/{socialmap.organisation.uid}"
    _refused(_send("patch", url, {"name": "Gekaapt"}, user), status)
    _refused(_send("patch", url, {"name": "Gekaapt"}), 401)
    socialmap.organisation.refresh_from_db()
    assert socialmap.organisation.name == "Buurthuis De Linde"


def test_outsider_cannot_reach_it_from_their_own_municipality(personas: Personas, socialmap: SocialMap) -> None:
    url = f"{B}/organisations/{socialmap.organisation.uid}"
    assert_problem(_send("patch", url, {"name": "Gekaapt"}, personas.outsider), 404)


def test_bad_change_writes_nothing(socialmap: SocialMap) -> None:
    url = f"{A}/organisations/{socialmap.organisation.uid}"
    response = _send("patch", url, {"description": "Nieuw", "website": "geen url"}, socialmap.organiser)
    body = assert_problem(response, 422, "validation-error")
    assert [error["location"] for error in body["errors"]] == [["body", "website"]]
    socialmap.organisation.refresh_from_db()
    assert socialmap.organisation.description == ""


def test_coordinator_archives_with_places_and_activities(personas: Personas, socialmap: SocialMap) -> None:
    activity = ActivityFactory.create(organisation=socialmap.organisation)
    url = f"{A}/organisations/{socialmap.organisation.uid}/archive"
    _refused(_send("post", url, user=socialmap.organiser), 403)
    response = _send("post", url, user=personas.coordinator)
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ARCHIVED
    assert Place.objects.get(pk=activity.place_id).archived_at is not None
    assert _send("post", url, user=personas.coordinator).status_code == 200  # again: harmless
    assert_problem(Client().get(f"{A}/organisations/{socialmap.organisation.uid}"), 404)


# --- places ------------------------------------------------------------------------------------


@pytest.fixture
def places(personas: Personas, socialmap: SocialMap) -> dict[str, Place]:
    archived = PlaceFactory.create(organisation=socialmap.organisation, name="Oude zaal")
    Place.objects.filter(pk=archived.pk).update(archived_at="2025-01-01T00:00:00Z")
    return {
        "zaal": PlaceFactory.create(
            organisation=socialmap.organisation, name="Grote zaal", neighbourhood=personas.neighbourhood_a
        ),
        "tuin": PlaceFactory.create(organisation=socialmap.organisation, name="Achtertuin"),
        "veld": PlaceFactory.create(
            organisation=socialmap.other_organisation, name="Sportveld", neighbourhood=personas.neighbourhood_a
        ),
        "archived": archived,
    }


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Achtertuin", "Grote zaal", "Sportveld"]),
        ("neighbourhood=bu00010101", ["Grote zaal", "Sportveld"]),
        ("organisation={linde}", ["Achtertuin", "Grote zaal"]),
        ("organisation={linde}&neighbourhood=BU00010101", ["Grote zaal"]),
    ],
)
def test_place_list_filters(client: Client, socialmap: SocialMap, places: Any, query: str, expected: list[str]) -> None:
    query = query.format(linde=socialmap.organisation.uid)
    assert _names(client.get(f"{A}/places?{query}")) == expected


def test_place_output(client: Client, socialmap: SocialMap, places: dict[str, Place]) -> None:
    body = client.get(f"{A}/places/{places['zaal'].uid}").json()
    assert body["organisation"] == {"uid": str(socialmap.organisation.uid), "name": "Buurthuis De Linde"}
    assert body["neighbourhood"] == "BU00010101"
    assert body["postcode"] == "1234 AB"
    assert body["address"] == f"Dorpsstraat {places['zaal'].house_number}, 1234 AB, Alfadorp"
    assert_problem(client.get(f"{A}/places/{places['archived'].uid}"), 404)


PLACE = {"name": "Huiskamer", "kind": "inloophuis", "postcode": "1234ab", "neighbourhood": "BU00010101"}


def test_organiser_creates_a_place_for_their_organisation(socialmap: SocialMap) -> None:
    response = _send("post", f"{A}/organisations/{socialmap.organisation.uid}/places", PLACE, socialmap.organiser)
    assert response.status_code == 201, response.content
    place = Place.objects.get(uid=response.json()["uid"])
    assert place.organisation_id == socialmap.organisation.pk
    assert place.postcode == "1234 AB"
    assert place.neighbourhood is not None and place.neighbourhood.code == "BU00010101"


@pytest.mark.parametrize(("who", "status"), [("other_organiser", 403), ("resident", 403), ("outsider", 404)])
def test_who_may_not_create_a_place(personas: Personas, socialmap: SocialMap, who: str, status: int) -> None:
    user = getattr(socialmap, who, None) or getattr(personas, who)
    url = f"{A}/organisations/{socialmap.organisation.uid}/places"
    _refused(_send("post", url, PLACE, user), status)
    _refused(_send("post", url, PLACE), 401)
    assert not Place.objects.filter(name="Huiskamer").exists()


@pytest.mark.parametrize(
    ("change", "location"),
    [
        ({"postcode": "12 AB"}, ["body", "postcode"]),
        ({"lat": 52.0}, ["body", "lon"]),  # both or neither
        ({"lat": 120.0, "lon": 4.0}, ["body", "lat"]),
        ({"neighbourhood": "BU00020101"}, ["body", "neighbourhood"]),  # municipality B's
        ({"neighbourhood": "BU12"}, ["body", "neighbourhood"]),
        ({"kind": "kasteel"}, ["body", "kind"]),
    ],
)
def test_bad_place_writes_nothing(socialmap: SocialMap, change: dict[str, Any], location: list[str]) -> None:
    url = f"{A}/organisations/{socialmap.organisation.uid}/places"
    body = assert_problem(_send("post", url, {**PLACE, **change}, socialmap.organiser), 422, "validation-error")
    assert location in [error["location"] for error in body["errors"]]
    assert not Place.objects.filter(name="Huiskamer").exists()


def test_changing_accessibility_moves_the_physical_barrier(socialmap: SocialMap, places: dict[str, Place]) -> None:
    activity = ActivityFactory.create(organisation=socialmap.organisation, place=places["zaal"])
    url = f"{A}/places/{places['zaal'].uid}"
    response = _send("patch", url, {"wheelchair_accessible": False}, socialmap.organiser)
    assert response.status_code == 200, response.content
    assert response.json()["wheelchair_accessible"] is False
    activity_body = Client().get(f"{A}/activities/{activity.uid}").json()
    assert activity_body["barriers"] == ["physical"]


@pytest.mark.parametrize(("who", "status"), [("other_organiser", 403), ("resident", 403), ("outsider", 404)])
def test_who_may_not_change_or_archive_a_place(
    personas: Personas, socialmap: SocialMap, places: dict[str, Place], who: str, status: int
) -> None:
    user = getattr(socialmap, who, None) or getattr(personas, who)
    url = f"{A}/places/{places['zaal'].uid}"
    _refused(_send("patch", url, {"name": "Gekaapt"}, user), status)
    _refused(_send("post", f"{url}/archive", user=user), status)
    places["zaal"].refresh_from_db()
    assert (places["zaal"].name, places["zaal"].archived_at) == ("Grote zaal", None)


def test_organiser_archives_a_place(client: Client, socialmap: SocialMap, places: dict[str, Place]) -> None:
    url = f"{A}/places/{places['tuin'].uid}"
    response = _send("post", f"{url}/archive", user=socialmap.organiser)
    assert response.status_code == 200
    assert response.json()["archived_at"] is not None
    assert_problem(client.get(url), 404)
    assert _send("get", url, user=socialmap.organiser).status_code == 200
    assert Activity.objects.count() == 0
