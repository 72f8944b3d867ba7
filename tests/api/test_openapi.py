"""The OpenAPI document: valid 3.1, and useful to integrators (descriptions, error media types)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from openapi_spec_validator import OpenAPIV31SpecValidator, validate

from nabij.core.problems import PROBLEM_CONTENT_TYPE
from tests.api.helpers import API

METHODS = {"get", "post", "put", "patch", "delete"}


@pytest.fixture
def spec(client: Client, db: None) -> dict[str, Any]:
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body: dict[str, Any] = response.json()
    return body


def _operations(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, operation)
        for path, item in spec["paths"].items()
        for method, operation in item.items()
        if method in METHODS
    ]


def test_document_is_valid_openapi_3_1(spec: dict[str, Any]) -> None:
    assert spec["openapi"].startswith("3.1.")
    validate(spec, cls=OpenAPIV31SpecValidator)


def test_every_endpoint_is_there(spec: dict[str, Any]) -> None:
    assert {(path, method) for path, method, _ in _operations(spec)} == {
        (f"{API}/municipalities", "get"),
        (f"{API}/municipalities/{{municipality}}", "get"),
        (f"{API}/municipalities/{{municipality}}/districts", "get"),
        (f"{API}/municipalities/{{municipality}}/organisations", "get"),
        (f"{API}/municipalities/{{municipality}}/organisations", "post"),
        (f"{API}/municipalities/{{municipality}}/organisations/{{uid}}", "get"),
        (f"{API}/municipalities/{{municipality}}/organisations/{{uid}}", "patch"),
        (f"{API}/municipalities/{{municipality}}/organisations/{{uid}}/archive", "post"),
        (f"{API}/municipalities/{{municipality}}/organisations/{{uid}}/places", "post"),
        (f"{API}/municipalities/{{municipality}}/places", "get"),
        (f"{API}/municipalities/{{municipality}}/places/{{uid}}", "get"),
        (f"{API}/municipalities/{{municipality}}/places/{{uid}}", "patch"),
        (f"{API}/municipalities/{{municipality}}/places/{{uid}}/archive", "post"),
        (f"{API}/municipalities/{{municipality}}/activities", "get"),
        (f"{API}/municipalities/{{municipality}}/activities", "post"),
        (f"{API}/municipalities/{{municipality}}/activities/for-me", "get"),
        (f"{API}/municipalities/{{municipality}}/activities/bare", "get"),
        (f"{API}/municipalities/{{municipality}}/activities/{{uid}}", "get"),
        (f"{API}/municipalities/{{municipality}}/activities/{{uid}}", "patch"),
        (f"{API}/municipalities/{{municipality}}/activities/{{uid}}/status", "post"),
        (f"{API}/municipalities/{{municipality}}/activities/{{uid}}/drempelscan", "post"),
        (f"{API}/municipalities/{{municipality}}/activities/{{uid}}/barrier-history", "get"),
        (f"{API}/municipalities/{{municipality}}/barrier-table", "get"),
        (f"{API}/municipalities/{{municipality}}/places.geojson", "get"),
        (f"{API}/municipalities/{{municipality}}/activities.geojson", "get"),
        (f"{API}/municipalities/{{municipality}}/districts/{{code}}", "get"),
        (f"{API}/municipalities/{{municipality}}/districts.geojson", "get"),
        (f"{API}/municipalities/{{municipality}}/neighbourhoods", "get"),
        (f"{API}/municipalities/{{municipality}}/neighbourhoods/{{code}}", "get"),
        (f"{API}/municipalities/{{municipality}}/neighbourhoods.geojson", "get"),
        (f"{API}/municipalities/{{municipality}}/audit-log", "get"),
        (f"{API}/me", "get"),
        (f"{API}/me/tokens", "get"),
        (f"{API}/me/tokens", "post"),
        (f"{API}/me/tokens/{{token_id}}", "delete"),
        (f"{API}/instruments/de-jong-gierveld", "post"),
        (f"{API}/municipalities/{{municipality}}/matching-rounds", "get"),
        (f"{API}/municipalities/{{municipality}}/matching-rounds", "post"),
        (f"{API}/municipalities/{{municipality}}/matching-rounds/{{round_id}}", "get"),
        (f"{API}/municipalities/{{municipality}}/matching-rounds/{{round_id}}/proposals", "get"),
        (f"{API}/municipalities/{{municipality}}/match-proposals/{{proposal_id}}/confirm", "post"),
        (f"{API}/municipalities/{{municipality}}/match-proposals/{{proposal_id}}/reject", "post"),
        (f"{API}/municipalities/{{municipality}}/supporters", "get"),
        (f"{API}/municipalities/{{municipality}}/supporters/{{supporter_id}}", "get"),
        (f"{API}/municipalities/{{municipality}}/me/participants", "get"),
        (f"{API}/municipalities/{{municipality}}/support-relations/{{relation_id}}/contacts", "post"),
        (f"{API}/municipalities/{{municipality}}/groups", "get"),
        (f"{API}/municipalities/{{municipality}}/groups/{{uid}}", "get"),
        (f"{API}/municipalities/{{municipality}}/groups/{{uid}}/join", "post"),
        (f"{API}/municipalities/{{municipality}}/groups/{{uid}}/leave", "post"),
        (f"{API}/municipalities/{{municipality}}/referrals", "get"),
        (f"{API}/municipalities/{{municipality}}/referrals", "post"),
        (f"{API}/municipalities/{{municipality}}/referrals/{{referral_id}}", "get"),
        (f"{API}/municipalities/{{municipality}}/referrals/{{referral_id}}/status", "post"),
        (f"{API}/municipalities/{{municipality}}/monitor/activities/{{uid}}/sessions", "get"),
        (f"{API}/municipalities/{{municipality}}/monitor/activities/{{uid}}/sessions", "post"),
        (f"{API}/municipalities/{{municipality}}/monitor/activities/{{uid}}/sessions/{{date}}", "delete"),
        (f"{API}/municipalities/{{municipality}}/monitor/indicators", "get"),
        (f"{API}/municipalities/{{municipality}}/monitor/snapshots", "get"),
        (f"{API}/municipalities/{{municipality}}/monitor/snapshots", "post"),
        (f"{API}/municipalities/{{municipality}}/monitor/snapshots/{{period}}", "get"),
        (f"{API}/municipalities/{{municipality}}/monitor/snapshots/{{period}}/values", "get"),
        (f"{API}/municipalities/{{municipality}}/monitor/snapshots/{{period}}/values.csv", "get"),
        (f"{API}/municipalities/{{municipality}}/monitor/snapshots/{{period}}/report.pdf", "get"),
        (f"{API}/municipalities/{{municipality}}/monitor/what-if", "post"),
    }


def test_operations_are_documented(spec: dict[str, Any]) -> None:
    ids = [operation["operationId"] for _, _, operation in _operations(spec)]
    assert len(ids) == len(set(ids))
    for path, method, operation in _operations(spec):
        assert operation.get("summary") and operation.get("description"), (path, method)
        assert operation.get("tags"), (path, method)
        for parameter in operation.get("parameters", []):
            assert parameter.get("description"), (path, method, parameter["name"])


def test_every_schema_field_has_a_description(spec: dict[str, Any]) -> None:
    for name, schema in spec["components"]["schemas"].items():
        for field, details in schema.get("properties", {}).items():
            assert details.get("description"), f"{name}.{field}"


def test_errors_are_problem_json_and_geojson_is_geo_json(spec: dict[str, Any]) -> None:
    for path, method, operation in _operations(spec):
        for status, response in operation["responses"].items():
            media_types = set(response.get("content", {}))
            if status == "default" or int(status) >= 400:
                assert media_types == {PROBLEM_CONTENT_TYPE}, (path, method, status)
            elif path.endswith(".geojson"):
                assert media_types == {"application/geo+json"}, (path, status)
    responses = spec["paths"][f"{API}/municipalities/{{municipality}}/audit-log"]["get"]["responses"]
    assert {"200", "401", "403", "404", "422", "default"} == set(responses)


def test_security_schemes(spec: dict[str, Any]) -> None:
    schemes = spec["components"]["securitySchemes"]
    assert schemes["ApiTokenAuth"]["scheme"] == "bearer"
    assert schemes["SessionAuth"] == {
        "type": "apiKey",
        "in": "cookie",
        "name": "sessionid",
        "description": schemes["SessionAuth"]["description"],
    }
    paths = spec["paths"]
    # Public areas allow anonymous access; token creation allows only a session.
    assert {} in paths[f"{API}/municipalities"]["get"]["security"]
    assert paths[f"{API}/me/tokens"]["post"]["security"] == [{"SessionAuth": []}]
    assert {} not in paths[f"{API}/me"]["get"]["security"]


def test_docs_page_is_served_without_cdn(client: Client) -> None:
    response = client.get(f"{API}/docs")
    assert response.status_code == 200
    assert b"swagger-ui-bundle.js" in response.content
    assert b"cdn." not in response.content
