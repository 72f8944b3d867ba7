"""The barrier table in the API: counts worked out by hand, JSON and CSV, and who may read it.

Target group `epa` is sensitive to cost, registration, crowded and no_host. Inventory of A
(published unless stated), P1 in BU00010101 and P2 in BU00010102, both in district WK000101:

    type       place   barriers                                      epa count
    ontmoeten  P1      -                                             0
    ontmoeten  P1      cost, no_host                                 2
    ontmoeten  online  cost, registration, crowded, no_host, language 4+
    ontmoeten  P1      - (active until 2026-05-31)                   0, only before June
    ontmoeten  P1      - (draft)                                     never
    bewegen    P2      cost                                          1
    bewegen    P2      language, physical                            0
    creatief   P1      cost, registration, crowded                   3
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from nabij.accounts.models import Role, User
from nabij.socialmap.models import Organisation, ParticipationType
from nabij.testing.factories import (
    ActivityFactory,
    NeighbourhoodFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from nabij.testing.personas import Personas, login
from tests.api.helpers import API, assert_problem, bearer, token_for
from tests.conftest import SocialMap

TABLE = f"{API}/municipalities/GM0001/barrier-table"
BIT = {"cost": 0, "registration": 1, "no_host": 3, "crowded": 4, "language": 6, "physical": 7}
JUNE = "date=2026-06-01"


def _mask(*codes: str) -> int:
    return sum(1 << BIT[code] for code in codes)


@pytest.fixture
def inventory(personas: Personas, socialmap: SocialMap) -> None:
    second = NeighbourhoodFactory.create(district=personas.district_a, code="BU00010102", name="Nieuwe Weg")
    p1 = PlaceFactory.create(organisation=socialmap.organisation, neighbourhood=personas.neighbourhood_a)
    p2 = PlaceFactory.create(organisation=socialmap.organisation, neighbourhood=second)

    def make(type_code: str, place: Any, *codes: str, **fields: Any) -> None:
        ActivityFactory.create(
            organisation=socialmap.organisation,
            participation_type=ParticipationType.objects.get(code=type_code),
            place=place,
            barrier_mask=_mask(*codes),
            **fields,
        )

    make("ontmoeten", p1)
    make("ontmoeten", p1, "cost", "no_host")
    make("ontmoeten", None, "cost", "registration", "crowded", "no_host", "language")
    make("ontmoeten", p1, active_until=dt.date(2026, 5, 31))
    make("ontmoeten", p1, status="draft")
    make("bewegen", p2, "cost")
    make("bewegen", p2, "language", "physical")
    make("creatief", p1, "cost", "registration", "crowded")
    with scope(municipality=personas.municipality_b):
        b = personas.municipality_b
        ActivityFactory.create(
            organisation=Organisation.objects.create(municipality=b, name="B", sphere="oikos", kind="overig"),
            participation_type=ParticipationType.objects.get(code="ontmoeten", municipality=b),
        )


@pytest.fixture
def analyst(personas: Personas) -> User:
    user = UserFactory.create()
    RoleAssignmentFactory.create(user=user, municipality=personas.municipality_a, role=Role.ANALYST)
    return user


def _counts(response: Any) -> dict[str, list[int]]:
    assert response.status_code == 200, response.content
    columns = ["0", "1", "2", "3", "4+"]
    return {row["participation_type"]: [row["counts"][c] for c in columns] for row in response.json()["rows"]}


def _get(url: str, user: User | None, **headers: str) -> Any:
    return Client().get(url, headers={**(bearer(token_for(user)) if user else {}), **headers})


def test_whole_municipality(personas: Personas, inventory: None) -> None:
    response = _get(f"{TABLE}?group=epa&{JUNE}", personas.coordinator)
    assert _counts(response) == {
        "ontmoeten": [1, 0, 1, 0, 1],
        "bewegen": [1, 1, 0, 0, 0],
        "creatief": [0, 0, 0, 1, 0],
        "vrijwilligerswerk": [0, 0, 0, 0, 0],
    }
    body = response.json()
    assert body["group"]["code"] == "epa"
    assert body["area"] == {"level": "municipality", "code": "GM0001", "name": "Alfadorp"}
    assert body["date"] == "2026-06-01"
    assert body["columns"] == ["0", "1", "2", "3", "4+"]
    assert [(row["label"], row["total"]) for row in body["rows"]] == [
        ("Ontmoeten", 3),
        ("Bewegen", 2),
        ("Creatief", 1),
        ("Vrijwilligerswerk", 0),
    ]


def test_before_june_the_ended_activity_counts(personas: Personas, inventory: None) -> None:
    response = _get(f"{TABLE}?group=epa&date=2026-05-15", personas.coordinator)
    assert _counts(response)["ontmoeten"] == [2, 0, 1, 0, 1]


def test_a_district_leaves_out_online_activities(personas: Personas, inventory: None) -> None:
    response = _get(f"{TABLE}?group=epa&{JUNE}&district=WK000101", personas.coordinator)
    assert _counts(response) == {
        "ontmoeten": [1, 0, 1, 0, 0],
        "bewegen": [1, 1, 0, 0, 0],
        "creatief": [0, 0, 0, 1, 0],
        "vrijwilligerswerk": [0, 0, 0, 0, 0],
    }
    assert response.json()["area"]["level"] == "district"


def test_a_neighbourhood(personas: Personas, inventory: None) -> None:
    response = _get(f"{TABLE}?group=epa&{JUNE}&neighbourhood=bu00010102", personas.coordinator)
    assert _counts(response) == {
        "ontmoeten": [0, 0, 0, 0, 0],
        "bewegen": [1, 1, 0, 0, 0],
        "creatief": [0, 0, 0, 0, 0],
        "vrijwilligerswerk": [0, 0, 0, 0, 0],
    }
    assert response.json()["area"] == {"level": "neighbourhood", "code": "BU00010102", "name": "Nieuwe Weg"}


EXPECTED_CSV = (
    "participation_type,0,1,2,3,4+\n"
    "ontmoeten,1,0,1,0,1\n"
    "bewegen,1,1,0,0,0\n"
    "creatief,0,0,0,1,0\n"
    "vrijwilligerswerk,0,0,0,0,0\n"
)


def test_csv_by_accept_header_or_format(personas: Personas, inventory: None) -> None:
    for response in (
        _get(f"{TABLE}?group=epa&{JUNE}", personas.coordinator, Accept="text/csv"),
        _get(f"{TABLE}?group=epa&{JUNE}&format=csv", personas.coordinator),
    ):
        assert response.status_code == 200
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response.content.decode() == EXPECTED_CSV
        assert "drempeltabel-GM0001-epa-GM0001-2026-06-01.csv" in response["Content-Disposition"]
    explicit = _get(f"{TABLE}?group=epa&{JUNE}&format=json", personas.coordinator, Accept="text/csv")
    assert explicit["Content-Type"].startswith("application/json")


def test_readers_need_no_second_factor(personas: Personas, analyst: User, inventory: None) -> None:
    assert _get(f"{TABLE}?group=epa", analyst).status_code == 200
    assert _get(f"{TABLE}?group=epa", personas.admin).status_code == 200
    session = login(Client(), personas.coordinator, second_factor=False)
    assert session.get(f"{TABLE}?group=epa").status_code == 200


@pytest.mark.parametrize("who", ["resident", "professional", "organiser", "outsider"])
def test_it_does_not_exist_for_others(personas: Personas, socialmap: SocialMap, who: str) -> None:
    user = socialmap.organiser if who == "organiser" else getattr(personas, who)
    assert_problem(_get(f"{TABLE}?group=epa", user), 404)


def test_anonymous_must_log_in(socialmap: SocialMap) -> None:
    assert_problem(Client().get(f"{TABLE}?group=epa"), 401, "not-authenticated")


def test_outsider_from_their_own_path_sees_only_their_own(personas: Personas, socialmap: SocialMap) -> None:
    # The outsider is a professional in B: not a reader there either.
    assert_problem(_get(f"{API}/municipalities/GM0002/barrier-table?group=epa", personas.outsider), 404)


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("group=onbekend", ["query", "group"]),
        ("", ["query", "group"]),
        ("group=epa&district=WK000201", ["query", "district"]),  # municipality B's district
        ("group=epa&district=WK000199", ["query", "district"]),  # no such district in A
        ("group=epa&neighbourhood=BU12", ["query", "neighbourhood"]),
        ("group=epa&neighbourhood=BU00020101", ["query", "neighbourhood"]),  # municipality B's
        ("group=epa&district=WK000101&neighbourhood=BU00010101", ["query", "neighbourhood"]),
        ("group=epa&date=2026-13-01", ["query", "date"]),
        ("group=epa&format=xlsx", ["query", "format"]),
    ],
)
def test_bad_parameters(personas: Personas, socialmap: SocialMap, query: str, location: list[str]) -> None:
    body = assert_problem(_get(f"{TABLE}?{query}", personas.coordinator), 422, "validation-error")
    assert [error["location"] for error in body["errors"]] == [location]
    assert all(error["message"] for error in body["errors"])
