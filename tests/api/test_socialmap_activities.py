"""The social map API: one activity. Reading, creating, changing, status, drempelscan, barrier history."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from nabij.accounts.models import User
from nabij.socialmap.models import (
    AMSTERDAM,
    Activity,
    ActivityStatus,
    BarrierProfileChange,
    Organisation,
    ParticipationType,
    Place,
)
from nabij.testing.factories import ActivityFactory, PlaceFactory
from nabij.testing.personas import Personas
from tests.api.helpers import API, assert_problem, bearer, token_for
from tests.conftest import SocialMap

A = f"{API}/municipalities/GM0001"
B = f"{API}/municipalities/GM0002"
SLUGS = {401: "not-authenticated", 403: "permission-denied", 404: None}


def _send(method: str, url: str, data: dict[str, Any] | None = None, user: User | None = None) -> Any:
    headers = bearer(token_for(user)) if user is not None else {}
    return getattr(Client(), method)(url, data=data or {}, content_type="application/json", headers=headers)


def _refused(response: Any, status: int) -> None:
    assert_problem(response, status, SLUGS[status])


def _user(personas: Personas, socialmap: SocialMap, who: str) -> User:
    user: User = getattr(socialmap, who, None) or getattr(personas, who)
    return user


def _type(code: str) -> ParticipationType:
    return ParticipationType.objects.get(code=code)


@pytest.fixture
def place(personas: Personas, socialmap: SocialMap) -> Place:
    return PlaceFactory.create(
        organisation=socialmap.organisation, name="Grote zaal", neighbourhood=personas.neighbourhood_a
    )


@pytest.fixture
def published(socialmap: SocialMap, place: Place) -> Activity:
    # In 2030 so the next dates do not depend on today: Tuesdays 5, 12 (skipped) and 19 March.
    return ActivityFactory.create(
        organisation=socialmap.organisation,
        place=place,
        participation_type=_type("ontmoeten"),
        title="Koffieochtend",
        dtstart=dt.datetime(2030, 3, 5, 19, 0, tzinfo=AMSTERDAM),
        duration=dt.timedelta(minutes=90),
        rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=3",
        exdates=["2030-03-12"],
        cost_cents=250,
        has_free_option=True,
        contact_email="koffie@linde.test",
        action_perspective="warme_plek",
        barrier_mask=0b1001,  # cost, no_host
    )


@pytest.fixture
def draft(socialmap: SocialMap, place: Place) -> Activity:
    return ActivityFactory.create(
        organisation=socialmap.organisation, place=place, participation_type=_type("creatief"), status="draft"
    )


# --- reading -----------------------------------------------------------------------------------


def test_published_activity_is_public(client: Client, socialmap: SocialMap, place: Place, published: Activity) -> None:
    response = client.get(f"{A}/activities/{published.uid}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["uid"] == str(published.uid)
    assert body["title"] == "Koffieochtend"
    assert body["organisation"] == {"uid": str(socialmap.organisation.uid), "name": "Buurthuis De Linde"}
    assert body["place"] == {
        "uid": str(place.uid),
        "name": "Grote zaal",
        "address": f"Dorpsstraat {place.house_number}, 1234 AB, Alfadorp",
        "lat": 52.005,
        "lon": 4.005,
        "neighbourhood": "BU00010101",
    }
    assert body["schedule"] == {
        "dtstart": "2030-03-05T19:00:00+01:00",
        "duration_minutes": 90,
        "rrule": "FREQ=WEEKLY;BYDAY=TU;COUNT=3",
        "exdates": ["2030-03-12"],
        "active_from": None,
        "active_until": None,
    }
    assert body["next_dates"] == ["2030-03-05T19:00:00+01:00", "2030-03-19T19:00:00+01:00"]
    assert body["participation_type"] == "ontmoeten"
    assert body["barriers"] == ["cost", "no_host"]
    assert body["action_perspective"] == "warme_plek"
    assert (body["cost_cents"], body["has_free_option"]) == (250, True)
    assert body["contact"] == {"email": "koffie@linde.test", "phone": ""}
    assert body["status"] == "published"
    assert "id" not in body and "barrier_mask" not in body


@pytest.mark.parametrize(
    ("who", "status"),
    [
        (None, 404),
        ("resident", 404),
        ("other_organiser", 404),
        ("outsider", 404),
        ("organiser", 200),
        ("coordinator", 200),
    ],
)
def test_drafts_are_for_their_editors_only(
    personas: Personas, socialmap: SocialMap, draft: Activity, who: str | None, status: int
) -> None:
    user = _user(personas, socialmap, who) if who else None
    response = _send("get", f"{A}/activities/{draft.uid}", user=user)
    assert response.status_code == status


def test_other_municipality_is_not_found(client: Client, published: Activity) -> None:
    assert_problem(client.get(f"{B}/activities/{published.uid}"), 404)
    assert_problem(client.get(f"{A}/activities/00000000-0000-0000-0000-000000000000"), 404)


def test_a_malformed_uid_is_422(client: Client, socialmap: SocialMap) -> None:
    body = assert_problem(client.get(f"{A}/activities/koffie"), 422, "validation-error")
    assert body["errors"][0]["location"] == ["path", "uid"]


# --- creating ----------------------------------------------------------------------------------


def _new(socialmap: SocialMap, where: Place, **changes: Any) -> dict[str, Any]:
    return {
        "organisation": str(socialmap.organisation.uid),
        "place": str(where.uid),
        "title": "Samen schilderen",
        "participation_type": "creatief",
        "domains": ["kunst_cultuur"],
        "schedule": {"dtstart": "2030-04-02T14:00:00+02:00", "duration_minutes": 120, "rrule": "FREQ=WEEKLY"},
        "cost_cents": 300,
        "contact": {"phone": "010-1234567"},
        **changes,
    }


def test_organiser_creates_a_draft_with_derived_barriers(socialmap: SocialMap, place: Place) -> None:
    response = _send("post", f"{A}/activities", _new(socialmap, place), socialmap.organiser)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    # Costs money without a free option, and nobody welcomes you.
    assert body["barriers"] == ["cost", "no_host"]
    assert body["domains"] == ["kunst_cultuur"]
    assert body["schedule"]["dtstart"] == "2030-04-02T14:00:00+02:00"
    assert body["next_dates"][:2] == ["2030-04-02T14:00:00+02:00", "2030-04-09T14:00:00+02:00"]
    activity = Activity.objects.get(uid=body["uid"])
    assert activity.organisation_id == socialmap.organisation.pk
    assert activity.contact_phone == "010-1234567"
    assert activity.duration == dt.timedelta(hours=2)
    assert BarrierProfileChange.objects.filter(activity=activity).count() == 1


def test_create_and_publish_at_once(client: Client, socialmap: SocialMap, place: Place) -> None:
    data = _new(socialmap, place, status="published", who_welcomes_you="Gastheer Ali", has_free_option=True)
    response = _send("post", f"{A}/activities", data, socialmap.organiser)
    assert response.status_code == 201, response.content
    assert response.json()["barriers"] == []
    assert client.get(f"{A}/activities/{response.json()['uid']}").json()["status"] == "published"


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("resident", 403), ("other_organiser", 403), ("outsider", 404)]
)
def test_who_may_not_create(
    personas: Personas, socialmap: SocialMap, place: Place, who: str | None, status: int
) -> None:
    user = _user(personas, socialmap, who) if who else None
    _refused(_send("post", f"{A}/activities", _new(socialmap, place), user), status)
    assert not Activity.objects.filter(title="Samen schilderen").exists()


@pytest.fixture
def place_b(personas: Personas) -> Place:
    with scope(municipality=personas.municipality_b):
        organisation = Organisation.objects.create(
            municipality=personas.municipality_b, name="B", sphere="oikos", kind="overig"
        )
        return PlaceFactory.create(organisation=organisation)


@pytest.mark.parametrize(
    ("changes", "location"),
    [
        ({"participation_type": "zwemmen"}, ["body", "participation_type"]),
        ({"domains": ["kunst_cultuur", "ruimtevaart"]}, ["body", "domains"]),
        ({"themes": ["onbekend"]}, ["body", "themes"]),
        ({"organisation": "00000000-0000-0000-0000-000000000000"}, ["body", "organisation"]),
        ({"place": "00000000-0000-0000-0000-000000000000"}, ["body", "place"]),
        ({"schedule": {"dtstart": "2030-04-02T14:00:00", "rrule": ""}}, ["body", "schedule", "dtstart"]),
        (
            {"schedule": {"dtstart": "2030-04-02T14:00:00+02:00", "rrule": "ELKE DINSDAG"}},
            ["body", "schedule", "rrule"],
        ),
        (
            {
                "schedule": {
                    "dtstart": "2030-04-02T14:00:00+02:00",
                    "active_from": "2030-05-01",
                    "active_until": "2030-04-01",
                }
            },
            ["body", "schedule", "active_until"],
        ),
        (
            {"schedule": {"dtstart": "2030-04-02T14:00:00+02:00", "duration_minutes": 0}},
            ["body", "schedule", "duration_minutes"],
        ),
        ({"contact": {"email": "geen adres"}}, ["body", "contact", "email"]),
        ({"cost_cents": -1}, ["body", "cost_cents"]),
        ({"sign_up_channel": "duif"}, ["body", "sign_up_channel"]),
        ({"title": ""}, ["body", "title"]),
        ({"barrier_mask": 3}, ["body", "barrier_mask"]),
        ({"status": "archived"}, ["body", "status"]),
    ],
)
def test_bad_activity_writes_nothing(
    socialmap: SocialMap, place: Place, changes: dict[str, Any], location: list[str]
) -> None:
    before = (Activity.objects.count(), BarrierProfileChange.objects.count())
    response = _send("post", f"{A}/activities", _new(socialmap, place, **changes), socialmap.organiser)
    body = assert_problem(response, 422, "validation-error")
    assert location in [error["location"] for error in body["errors"]], body["errors"]
    assert all(error["message"] for error in body["errors"])
    assert (Activity.objects.count(), BarrierProfileChange.objects.count()) == before


def test_a_place_of_another_municipality_cannot_be_chosen(socialmap: SocialMap, place: Place, place_b: Place) -> None:
    response = _send("post", f"{A}/activities", _new(socialmap, place, place=str(place_b.uid)), socialmap.organiser)
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["location"] == ["body", "place"]
    assert not Activity.objects.filter(title="Samen schilderen").exists()


# --- changing ----------------------------------------------------------------------------------


def test_organiser_changes_only_what_is_sent(socialmap: SocialMap, published: Activity) -> None:
    data = {"title": "Koffie en thee", "schedule": {"exdates": []}, "cost_cents": 0, "action_perspective": None}
    response = _send("patch", f"{A}/activities/{published.uid}", data, socialmap.organiser)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["title"] == "Koffie en thee"
    assert body["schedule"]["rrule"] == "FREQ=WEEKLY;BYDAY=TU;COUNT=3"  # kept
    assert body["next_dates"] == [
        "2030-03-05T19:00:00+01:00",
        "2030-03-12T19:00:00+01:00",
        "2030-03-19T19:00:00+01:00",
    ]
    assert body["action_perspective"] is None
    assert body["contact"]["email"] == "koffie@linde.test"  # kept
    # The facts never showed `cost` (there was a free option), so the stored answers stay.
    assert body["barriers"] == ["cost", "no_host"]


def test_a_changed_fact_moves_its_barrier(socialmap: SocialMap, published: Activity) -> None:
    url = f"{A}/activities/{published.uid}"
    response = _send("patch", url, {"registration_required": True}, socialmap.organiser)
    assert response.json()["barriers"] == ["cost", "registration", "no_host"]
    response = _send("patch", url, {"registration_required": False}, socialmap.organiser)
    assert response.json()["barriers"] == ["cost", "no_host"]


def test_change_domains(socialmap: SocialMap, published: Activity) -> None:
    data = {"domains": ["gezondheid", "elkaar_helpen"]}
    response = _send("patch", f"{A}/activities/{published.uid}", data, socialmap.organiser)
    assert response.status_code == 200, response.content
    assert response.json()["domains"] == ["elkaar_helpen", "gezondheid"]


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 401), ("resident", 403), ("other_organiser", 403), ("outsider", 404), ("professional", 403)],
)
def test_who_may_not_change(
    personas: Personas, socialmap: SocialMap, published: Activity, who: str | None, status: int
) -> None:
    user = _user(personas, socialmap, who) if who else None
    _refused(_send("patch", f"{A}/activities/{published.uid}", {"title": "Gekaapt"}, user), status)
    _refused(_send("post", f"{A}/activities/{published.uid}/status", {"status": "draft"}, user), status)
    published.refresh_from_db()
    assert (published.title, published.status) == ("Koffieochtend", "published")


def test_another_organisations_draft_is_not_found_for_writes(socialmap: SocialMap, draft: Activity) -> None:
    user = socialmap.other_organiser
    _refused(_send("patch", f"{A}/activities/{draft.uid}", {"title": "Gekaapt"}, user), 404)
    _refused(_send("post", f"{A}/activities/{draft.uid}/drempelscan", {"answers": {"cost": True}}, user), 404)


def test_the_participation_type_cannot_be_cleared(socialmap: SocialMap, published: Activity) -> None:
    response = _send("patch", f"{A}/activities/{published.uid}", {"participation_type": None}, socialmap.organiser)
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["location"] == ["body", "participation_type"]
    published.refresh_from_db()
    assert published.participation_type.code == "ontmoeten"


def test_bad_change_writes_nothing(socialmap: SocialMap, published: Activity) -> None:
    data = {"title": "Nieuw", "schedule": {"rrule": "FREQ=NOOIT"}}
    body = assert_problem(
        _send("patch", f"{A}/activities/{published.uid}", data, socialmap.organiser), 422, "validation-error"
    )
    assert body["errors"][0]["location"] == ["body", "schedule", "rrule"]
    published.refresh_from_db()
    assert published.title == "Koffieochtend"


# --- status ------------------------------------------------------------------------------------


def test_publish_unpublish_archive(client: Client, socialmap: SocialMap, draft: Activity) -> None:
    url = f"{A}/activities/{draft.uid}"
    assert _send("post", f"{url}/status", {"status": "published"}, socialmap.organiser).json()["status"] == "published"
    assert client.get(url).status_code == 200
    assert _send("post", f"{url}/status", {"status": "archived"}, socialmap.organiser).status_code == 200
    assert_problem(client.get(url), 404)
    body = assert_problem(
        _send("post", f"{url}/status", {"status": "weg"}, socialmap.organiser), 422, "validation-error"
    )
    assert body["errors"][0]["location"] == ["body", "status"]


def test_activity_of_archived_organisation_cannot_be_published(
    personas: Personas, socialmap: SocialMap, draft: Activity
) -> None:
    Organisation.objects.filter(pk=socialmap.organisation.pk).update(archived_at="2025-01-01T00:00:00Z")
    response = _send("post", f"{A}/activities/{draft.uid}/status", {"status": "published"}, personas.coordinator)
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["location"] == ["body", "status"]
    draft.refresh_from_db()
    assert draft.status == ActivityStatus.DRAFT


# --- drempelscan and history -------------------------------------------------------------------


def test_drempelscan_sets_barriers_and_suggests(socialmap: SocialMap, published: Activity) -> None:
    url = f"{A}/activities/{published.uid}/drempelscan"
    response = _send("post", url, {"answers": {"cost": True, "no_host": False, "crowded": True}}, socialmap.organiser)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["activity"] == str(published.uid)
    assert body["barriers"] == ["cost", "crowded"]
    items = {item["code"]: item for item in body["items"]}
    assert "distance" not in items  # depends on the person: not part of the scan
    assert set(items) == {
        "cost",
        "registration",
        "commitment",
        "no_host",
        "crowded",
        "skills",
        "language",
        "physical",
        "digital",
    }
    assert [code for code, item in items.items() if item["present"]] == ["cost", "crowded"]
    assert items["cost"]["suggestion"].startswith("Meedoen kost nu € 2,50.")
    assert items["crowded"]["suggestion"]
    assert items["no_host"]["suggestion"] == ""
    published.refresh_from_db()
    assert published.barrier_mask == 0b10001


@pytest.mark.parametrize(
    ("answers", "location"),
    [
        ({"cost": True, "vliegangst": True}, ["body", "answers"]),
        ({"distance": True}, ["body", "answers"]),
        ({"cost": "ja"}, ["body", "answers", "cost"]),
    ],
)
def test_bad_drempelscan_writes_nothing(
    socialmap: SocialMap, published: Activity, answers: dict[str, Any], location: list[str]
) -> None:
    url = f"{A}/activities/{published.uid}/drempelscan"
    body = assert_problem(_send("post", url, {"answers": answers}, socialmap.organiser), 422, "validation-error")
    assert body["errors"][0]["location"] == location
    assert not BarrierProfileChange.objects.filter(activity=published).exists()
    published.refresh_from_db()
    assert published.barrier_mask == 0b1001


@pytest.mark.parametrize(
    ("who", "status"), [(None, 401), ("resident", 403), ("other_organiser", 403), ("outsider", 404)]
)
def test_who_may_not_scan_or_read_the_history(
    personas: Personas, socialmap: SocialMap, published: Activity, who: str | None, status: int
) -> None:
    user = _user(personas, socialmap, who) if who else None
    url = f"{A}/activities/{published.uid}"
    _refused(_send("post", f"{url}/drempelscan", {"answers": {"cost": False}}, user), status)
    _refused(_send("get", f"{url}/barrier-history", user=user), status)
    assert not BarrierProfileChange.objects.filter(activity=published).exists()


def test_barrier_history_newest_first(personas: Personas, socialmap: SocialMap, published: Activity) -> None:
    url = f"{A}/activities/{published.uid}"
    _send("post", f"{url}/drempelscan", {"answers": {"no_host": False}}, socialmap.organiser)
    _send("post", f"{url}/drempelscan", {"answers": {"cost": False, "crowded": True}}, personas.coordinator)
    response = _send("get", f"{url}/barrier-history", user=socialmap.organiser)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["count"] == 2
    newest, oldest = body["results"]
    assert (oldest["barriers_before"], oldest["barriers_after"]) == (["cost", "no_host"], ["cost"])
    assert (oldest["added"], oldest["removed"], oldest["source"]) == ([], ["no_host"], "drempelscan")
    assert (newest["barriers_before"], newest["barriers_after"]) == (["cost"], ["crowded"])
    assert (newest["added"], newest["removed"]) == (["crowded"], ["cost"])
    assert "actor" not in newest
