"""The attendance API: record, list and delete sessions; 401/403/404 as in the other apps; counts only."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from nabij.monitor.models import Attendance, AttendanceSession
from nabij.monitor.services import attendance as services
from nabij.testing.personas import Personas, login
from tests.api.helpers import API, assert_problem, bearer, token_for
from tests.conftest import SocialMap
from tests.monitor.attendance_world import DAY, UNKNOWN_KEY, World, build_world

pytestmark = pytest.mark.django_db

OTHER_KEY = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap) -> World:
    world = build_world(personas, socialmap)
    services.attendance_record(
        actor=None, activity=world.koffie, on=DAY, anonymous_count=9, participant_keys=[world.ann.key]
    )
    return world


@pytest.fixture
def client_as(world: World) -> Callable[[str], Client]:
    people = {
        "resident": (world.personas.resident, True),
        "professional": (world.personas.professional, True),
        "analyst": (world.analyst, True),
        "organiser": (world.organiser, False),
        "other_organiser": (world.other_organiser, False),
        "coordinator_no_2fa": (world.personas.coordinator, False),
        "coordinator": (world.personas.coordinator, True),
        "outsider": (world.personas.outsider, True),
    }

    def make(name: str) -> Client:
        if name == "anonymous":
            return Client()
        user, second_factor = people[name]
        return login(Client(), user, second_factor=second_factor)

    return make


def sessions_url(activity: Any, municipality: str = "GM0001") -> str:
    return f"{API}/municipalities/{municipality}/monitor/activities/{activity.uid}/sessions"


def post(client: Client, url: str, body: dict[str, Any]) -> Any:
    return client.post(url, json.dumps(body), content_type="application/json")


# (list, record, delete) for the koffie-ochtend of De Linde.
MATRIX: dict[str, tuple[int, int, int]] = {
    "anonymous": (401, 401, 401),
    "resident": (403, 403, 403),
    "professional": (403, 403, 403),
    "analyst": (200, 403, 403),  # reads the monitor, records nothing
    "organiser": (200, 201, 204),
    "other_organiser": (403, 403, 403),  # a published activity of another organisation
    "coordinator_no_2fa": (403, 403, 403),
    "coordinator": (200, 201, 204),
    "outsider": (404, 404, 404),
}


@pytest.mark.parametrize("name", list(MATRIX))
def test_matrix(world: World, client_as: Callable[[str], Client], name: str) -> None:
    client = client_as(name)
    url = sessions_url(world.koffie)
    expected_list, expected_record, expected_delete = MATRIX[name]
    listed = client.get(url)
    recorded = post(client, url, {"date": "2025-03-11", "anonymous_count": 3})
    deleted = client.delete(f"{url}/2025-03-04")
    assert (listed.status_code, recorded.status_code, deleted.status_code) == MATRIX[name]
    if name == "coordinator_no_2fa":
        assert_problem(listed, 403, "second-factor-required")
    if expected_list in (401, 404):
        assert_problem(listed, expected_list, "not-authenticated" if expected_list == 401 else None)
    if expected_delete == 204:
        assert deleted.content == b""
        assert list(AttendanceSession.objects.values_list("on", flat=True)) == [dt.date(2025, 3, 11)]
    else:
        assert AttendanceSession.objects.filter(on=DAY).exists()
    assert expected_record != 201 or AttendanceSession.objects.filter(on=dt.date(2025, 3, 11)).exists()


def test_record_creates_then_replaces_and_never_echoes_keys(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("organiser")
    url = sessions_url(world.koffie)
    body = {"date": "2025-03-11", "anonymous_count": 5, "participant_keys": [str(world.bas.key), UNKNOWN_KEY]}
    created = post(client, url, body)
    assert created.status_code == 201
    data = created.json()
    # Bas is named and the unknown key is one more head (1 + 6 in the database); the answer says only 7 and 2.
    assert {k: v for k, v in data.items() if k != "recorded_at"} == {
        "date": "2025-03-11",
        "total": 7,
        "created": True,
        "keys_received": 2,
    }
    assert str(world.bas.key) not in created.content.decode()

    replaced = post(client, url, {"date": "2025-03-11", "anonymous_count": 2})
    assert replaced.status_code == 200
    assert (replaced.json()["created"], replaced.json()["total"]) == (False, 2)
    assert not Attendance.objects.filter(on=dt.date(2025, 3, 11)).exists()


def test_list_counts_only_newest_first_paginated_and_filtered(world: World, client_as: Callable[[str], Client]) -> None:
    for day in (dt.date(2025, 3, 11), dt.date(2025, 3, 18)):
        services.attendance_record(actor=None, activity=world.koffie, on=day, anonymous_count=day.day)
    services.attendance_record(actor=None, activity=world.voetbal, on=DAY, anonymous_count=1)
    client = client_as("analyst")
    url = sessions_url(world.koffie)

    page = client.get(url, {"page_size": 2}).json()
    assert page["count"] == 3 and page["next"] and page["previous"] is None
    assert [(s["date"], s["total"]) for s in page["results"]] == [("2025-03-18", 18), ("2025-03-11", 11)]
    assert set(page["results"][0]) == {"date", "total", "recorded_at"}
    last = client.get(url, {"page": 2, "page_size": 2}).json()["results"]
    assert [(s["date"], s["total"]) for s in last] == [("2025-03-04", 10)]  # 9 + Ann, not split
    assert str(world.ann.key) not in client.get(url).content.decode()
    filtered = client.get(url, {"since": "2025-03-05", "until": "2025-03-17"}).json()
    assert [s["date"] for s in filtered["results"]] == ["2025-03-11"]


@pytest.mark.parametrize(
    ("body", "location", "code"),
    [
        (
            {"date": "2025-03-11", "anonymous_count": 1, "participant_keys": ["Ann"]},
            ["body", "participant_keys", 0],
            "uuid_parsing",
        ),
        ({"date": "2025-03-11", "anonymous_count": 10_001}, ["body", "anonymous_count"], "less_than_equal"),
        ({"date": "2025-03-11", "anonymous_count": -1}, ["body", "anonymous_count"], "greater_than_equal"),
        ({"date": "11-03-2025", "anonymous_count": 1}, ["body", "date"], "date_from_datetime_parsing"),
        ({"date": "2025-01-06", "anonymous_count": 1}, ["body", "date"], "before_start"),
        (
            {"date": "2025-03-11", "anonymous_count": 9_999, "participant_keys": [UNKNOWN_KEY, OTHER_KEY]},
            ["body", "anonymous_count"],
            "too_many",
        ),
    ],
)
def test_invalid_input_is_422_per_field(
    world: World, client_as: Callable[[str], Client], body: dict[str, Any], location: list[Any], code: str
) -> None:
    response = post(client_as("organiser"), sessions_url(world.koffie), body)
    problem = assert_problem(response, 422, "validation-error")
    assert [(e["location"], e["code"]) for e in problem["errors"]] == [(location, code)]
    assert not AttendanceSession.objects.filter(on=dt.date(2025, 3, 11)).exists()


def test_a_future_date(world: World, client_as: Callable[[str], Client]) -> None:
    tomorrow = (services.today() + dt.timedelta(days=1)).isoformat()
    response = client_as("organiser").post(
        sessions_url(world.koffie),
        json.dumps({"date": tomorrow, "anonymous_count": 1}),
        content_type="application/json",
    )
    problem = assert_problem(response, 422, "validation-error")
    assert problem["errors"][0]["location"] == ["body", "date"]
    assert problem["errors"][0]["code"] == "future"
    assert "in de toekomst" in problem["errors"][0]["message"]


def test_not_found(world: World, client_as: Callable[[str], Client]) -> None:
    coordinator = client_as("coordinator")
    assert_problem(coordinator.get(sessions_url(world.beta)), 404)  # B's activity under A
    assert_problem(coordinator.get(sessions_url(world.koffie, "GM0002")), 404)  # A's under B
    assert_problem(coordinator.delete(f"{sessions_url(world.koffie)}/2025-03-11"), 404)  # no such session
    # A draft of another organisation is not there for Vooruit's organiser (a published one is 403).
    assert_problem(client_as("other_organiser").get(sessions_url(world.concept)), 404)
    assert client_as("organiser").get(sessions_url(world.concept)).status_code == 200


def test_with_a_personal_api_token(world: World) -> None:
    key = token_for(world.organiser)
    response = Client().post(
        sessions_url(world.koffie),
        json.dumps({"date": "2025-03-18", "anonymous_count": 4, "participant_keys": [str(world.ann.key)]}),
        content_type="application/json",
        headers=bearer(key),
    )
    assert response.status_code == 201
    assert (response.json()["total"], response.json()["keys_received"]) == (5, 1)
