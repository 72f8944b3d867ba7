"""The coverage what-if API: who may call it, what it answers (protected), its errors, and that it
writes nothing. The world is tests/monitor/coverage_world.py; the calculation is tested in
tests/monitor/test_whatif.py."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from nabij.core.models import AuditEntry, Neighbourhood
from nabij.socialmap.models import Activity, BarrierProfileChange
from nabij.testing.factories import PlaceFactory
from nabij.testing.personas import Personas
from tests.api.helpers import API, assert_problem
from tests.monitor.coverage_world import (
    CENTRUM,
    GM,
    HAVEN,
    HOFJE,
    KLEIN,
    MOLEN,
    NOORD,
    CoverageWorld,
    build_coverage_world,
    client_for,
)

pytestmark = pytest.mark.django_db

ENDPOINT = f"{API}/municipalities/GM0001/monitor/what-if"


@pytest.fixture
def world(personas: Personas, scope_a: None) -> CoverageWorld:
    return build_coverage_world(personas)


@pytest.fixture
def client_as(world: CoverageWorld) -> Callable[[str], Client]:
    return lambda name: client_for(world, name)


def post(client: Client, body: dict[str, Any], **headers: Any) -> Any:
    return client.post(ENDPOINT, data=json.dumps(body), content_type="application/json", **headers)


API_MATRIX = {
    "anonymous": 401,
    "resident": 404,
    "organiser": 404,
    "professional": 404,
    "outsider": 404,
    "coordinator": 200,
    "analyst": 200,
    "admin": 200,
}


@pytest.mark.parametrize("name", list(API_MATRIX))
def test_api_matrix(world: CoverageWorld, client_as: Callable[[str], Client], name: str) -> None:
    response = post(client_as(name), {"target_group": "gevoelig", "remove_barriers": ["cost"]})
    if API_MATRIX[name] == 200:
        assert response.status_code == 200
    else:
        assert_problem(response, API_MATRIX[name], "not-authenticated" if name == "anonymous" else None)


def test_api_result(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    body = {
        "target_group": "gevoelig",
        "measure": "any",
        "select": {"organisation": str(world.organisation.uid), "has_barrier": "cost"},
        "remove_barriers": ["cost"],
        "add": {"place": str(world.places["klein"].uid), "participation_type": "bewegen", "barriers": []},
    }
    response = post(client_as("analyst"), body)
    assert response.status_code == 200, response.content
    data = response.json()
    assert (data["selected_activities"], data["changed_activities"], data["added_activity"]) == (1, 1, True)
    assert (data["walk_metres"], data["detour_factor"], data["min_count"]) == (650, 1.3, 5)
    areas = {area["code"]: area for area in data["areas"]}
    assert [area["code"] for area in data["areas"]] == [GM, CENTRUM, NOORD, MOLEN, HAVEN, HOFJE, KLEIN]
    assert areas[HAVEN] == {
        "code": HAVEN,
        "name": "Oude Haven",
        "level": "neighbourhood",
        "population": 2001,
        "before": {"residents": 1001, "percentage": 50.0, "suppressed": False},
        "after": {"residents": 2001, "percentage": 100.0, "suppressed": False},
        "gain": {"residents": 1000, "percentage_points": 50.0, "suppressed": False},
    }
    assert areas[KLEIN]["gain"] == {"residents": 50, "percentage_points": 100.0, "suppressed": False}
    assert areas[GM]["level"] == "municipality" and areas[GM]["gain"]["residents"] == 1050


def test_api_protects_small_gains(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    Neighbourhood.objects.filter(code=KLEIN).update(population=4)
    body = {"target_group": "gevoelig", "select": {"district": NOORD}, "remove_barriers": ["cost"]}
    data = post(client_as("analyst"), body).json()
    klein = next(area for area in data["areas"] if area["code"] == KLEIN)
    assert klein["gain"] == {"residents": None, "percentage_points": None, "suppressed": True}
    assert klein["before"] == {"residents": None, "percentage": None, "suppressed": True}
    assert klein["population"] is None
    for area in data["areas"]:
        for part in ("before", "after"):
            residents = area[part]["residents"]
            assert residents is None or not 0 < residents < 5
        assert area["gain"]["residents"] is None or not 0 < area["gain"]["residents"] < 5


@pytest.mark.parametrize(
    ("body", "location", "code"),
    [
        ({"target_group": "onbekend", "remove_barriers": ["cost"]}, ["body", "target_group"], "invalid"),
        ({"target_group": "gevoelig", "remove_barriers": ["vliegen"]}, ["body", "remove_barriers"], "invalid"),
        ({"target_group": "gevoelig"}, ["body"], "no_change"),
        (
            {"target_group": "gevoelig", "measure": "zwemmen", "remove_barriers": ["cost"]},
            ["body", "measure"],
            "invalid",
        ),
        (
            {
                "target_group": "gevoelig",
                "select": {"district": NOORD, "neighbourhood": KLEIN},
                "remove_barriers": ["cost"],
            },
            ["body", "select", "neighbourhood"],
            "district_and_neighbourhood",
        ),
        (
            {"target_group": "gevoelig", "select": {"district": "WK000201"}, "remove_barriers": ["cost"]},
            ["body", "select", "district"],
            "invalid",
        ),
        (
            {
                "target_group": "gevoelig",
                "select": {"organisation": "3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f"},
                "remove_barriers": ["cost"],
            },
            ["body", "select", "organisation"],
            "unknown",
        ),
        (
            {
                "target_group": "gevoelig",
                "add": {"place": "3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f", "participation_type": "x"},
            },
            ["body", "add", "place"],
            "unknown",
        ),
        (
            {"target_group": "gevoelig", "remove_barriers": ["cost"], "extra": 1},
            ["body", "extra"],
            "extra_forbidden",
        ),
        (
            {"target_group": "gevoelig", "select": {"district": "WK12"}, "remove_barriers": ["cost"]},
            None,
            "invalid_code",
        ),
    ],
)
def test_api_errors(
    world: CoverageWorld,
    client_as: Callable[[str], Client],
    body: dict[str, Any],
    location: list[str] | None,
    code: str,
) -> None:
    problem = assert_problem(post(client_as("analyst"), body), 422, "validation-error")
    found = [(error["location"], error["code"]) for error in problem["errors"]]
    if location is None:
        assert code in [c for _l, c in found], found
    else:
        assert (location, code) in found, found


def test_api_reports_every_error_at_once(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    body = {
        "target_group": "onbekend",
        "remove_barriers": ["vliegen"],
        "add": {"place": "3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f", "participation_type": "bewegen"},
    }
    problem = assert_problem(post(client_as("analyst"), body), 422, "validation-error")
    assert {tuple(e["location"]) for e in problem["errors"]} == {
        ("body", "target_group"),
        ("body", "remove_barriers"),
        ("body", "add", "place"),
    }
    assert "Deze doelgroep bestaat niet in deze gemeente." in [e["message"] for e in problem["errors"]]


def test_api_place_of_another_municipality_is_unknown(
    world: CoverageWorld, client_as: Callable[[str], Client], personas: Personas
) -> None:
    with scope(municipality=personas.municipality_b):
        elsewhere = PlaceFactory.create(organisation__municipality=personas.municipality_b)
    body = {"target_group": "gevoelig", "add": {"place": str(elsewhere.uid), "participation_type": "bewegen"}}
    problem = assert_problem(post(client_as("analyst"), body), 422, "validation-error")
    assert problem["errors"][0]["location"] == ["body", "add", "place"]


def test_api_errors_in_english(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    # Needs the translations of /tmp/tr-whatif.json in locale/en.
    response = post(
        client_as("analyst"), {"target_group": "onbekend", "remove_barriers": ["cost"]}, HTTP_ACCEPT_LANGUAGE="en"
    )
    problem = assert_problem(response, 422, "validation-error")
    assert problem["errors"][0]["message"] == "This target group does not exist in this municipality."


def test_the_api_writes_nothing(world: CoverageWorld, client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    masks = sorted(Activity.objects.values_list("pk", "barrier_mask"))
    counts = (BarrierProfileChange.objects.count(), AuditEntry.objects.count(), Activity.objects.count())
    with CaptureQueriesContext(connection) as queries:
        response = post(client, {"target_group": "gevoelig", "remove_barriers": ["cost", "registration"]})
    assert response.status_code == 200
    writes = [
        q["sql"] for q in queries.captured_queries if q["sql"].split()[0].upper() in {"INSERT", "UPDATE", "DELETE"}
    ]
    assert writes == []
    assert sorted(Activity.objects.values_list("pk", "barrier_mask")) == masks
    assert (BarrierProfileChange.objects.count(), AuditEntry.objects.count(), Activity.objects.count()) == counts
