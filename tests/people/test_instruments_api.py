"""POST /api/v1/instruments/de-jong-gierveld: public, stateless, problem+json on bad input."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client

from nabij.core.models import AuditEntry
from nabij.testing.personas import Personas, login
from tests.api.helpers import API, assert_problem

URL = f"{API}/instruments/de-jong-gierveld"
MOM = "min of meer"
EXAMPLE_11 = ["nee", MOM, "nee", "ja", "ja", "nee", MOM, "ja", MOM, "nee", "ja"]


def _post(client: Client, body: Any, **headers: str) -> Any:
    return client.post(URL, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.mark.django_db
def test_scores_the_issue_example_without_credentials(client: Client) -> None:
    response = _post(client, {"version": 11, "answers": EXAMPLE_11})
    assert response.status_code == 200, response.content
    # Worked out by hand in tests/people/test_instruments.py.
    assert response.json() == {"total": 5, "emotional": 3, "social": 2, "category": "matig eenzaam"}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("version", "answer", "expected"),
    [
        (11, "ja", {"total": 6, "emotional": 6, "social": 0, "category": "matig eenzaam"}),
        (11, "nee", {"total": 5, "emotional": 0, "social": 5, "category": "matig eenzaam"}),
        (6, "ja", {"total": 3, "emotional": 3, "social": 0, "category": "matig eenzaam"}),
        (6, "nee", {"total": 3, "emotional": 0, "social": 3, "category": "matig eenzaam"}),
    ],
)
def test_all_ja_and_all_nee(client: Client, version: int, answer: str, expected: dict[str, Any]) -> None:
    response = _post(client, {"version": version, "answers": [answer] * version})
    assert response.json() == expected


@pytest.mark.django_db
def test_6_item_missing_answers(client: Client) -> None:
    # One missing (in de steek gelaten, E): total over 5 answered = 5 → ernstig; emotional missing.
    one = _post(client, {"version": 6, "answers": ["ja", "nee", "nee", "ja", "nee", None]}).json()
    assert one == {"total": 5, "emotional": None, "social": 3, "category": "ernstig eenzaam"}
    # Two missing: no total, no category.
    two = _post(client, {"version": 6, "answers": ["ja", None, "nee", "ja", None, "ja"]}).json()
    assert two == {"total": None, "emotional": 3, "social": None, "category": None}


def test_a_logged_in_session_needs_no_csrf_token_and_nothing_is_written(personas: Personas) -> None:
    client = login(Client(enforce_csrf_checks=True), personas.professional)
    before = AuditEntry.unscoped.count()
    response = _post(client, {"version": 6, "answers": ["nee"] * 6})
    assert response.status_code == 200, response.content
    assert AuditEntry.unscoped.count() == before


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("body", "location", "code", "fragment"),
    [
        ({"version": 11, "answers": ["ja"] * 6}, ["body", "answers"], "wrong_count", "11 antwoorden nodig"),
        (
            {"version": 6, "answers": ["ja", "nee", "soms", "ja", "nee", "ja"]},
            ["body", "answers", 2],
            "invalid_answer",
            "nummer 3",
        ),
        ({"version": 8, "answers": ["ja"] * 8}, ["body", "version"], "invalid_version", "versie 11 of 6"),
    ],
)
def test_invalid_input_is_a_problem_in_dutch(
    client: Client, body: dict[str, Any], location: list[Any], code: str, fragment: str
) -> None:
    response = _post(client, body)
    problem = assert_problem(response, 422, "validation-error")
    assert fragment in problem["detail"]
    assert [(e["location"], e["code"]) for e in problem["errors"]] == [(location, code)]


@pytest.mark.django_db
def test_missing_fields_and_broken_json_are_problems(client: Client) -> None:
    problem = assert_problem(_post(client, {"answers": ["ja"] * 6}), 422, "validation-error")
    assert problem["errors"][0]["location"] == ["body", "version"]
    broken = client.post(URL, data="{not json", content_type="application/json")
    assert_problem(broken, 400)


@pytest.mark.django_db
def test_answers_in_english_are_refused_one_error_per_answer(client: Client) -> None:
    response = _post(client, {"version": 6, "answers": ["yes"] * 6}, **{"Accept-Language": "en"})
    problem = assert_problem(response, 422, "validation-error")
    assert len(problem["errors"]) == 6


@pytest.mark.django_db
def test_only_post(client: Client) -> None:
    assert_problem(client.get(URL), 405)
