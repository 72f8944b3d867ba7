"""Every error of the API is an RFC 9457 problem detail, in the request's language."""

from __future__ import annotations

import logging

import pytest
from django.test import Client

from nabij.core import selectors
from nabij.testing.personas import Personas
from tests.api.helpers import API, assert_problem, bearer


def test_401_carries_a_bearer_challenge(client: Client, personas: Personas) -> None:
    response = client.get(f"{API}/me")
    body = assert_problem(response, 401, "not-authenticated")
    assert response["WWW-Authenticate"] == 'Bearer realm="Nabij"'
    assert body["title"] == "Niet ingelogd"


def test_invalid_token_is_401_with_invalid_token_error(client: Client, personas: Personas) -> None:
    response = client.get(f"{API}/me", headers=bearer("nabij_0000_not-a-real-key"))
    assert_problem(response, 401, "invalid-token")
    assert response["WWW-Authenticate"] == 'Bearer realm="Nabij", error="invalid_token"'


def test_other_authorization_schemes_are_not_tokens(client: Client, personas: Personas) -> None:
    response = client.get(f"{API}/me", headers={"Authorization": "Basic dXNlcjpwYXNz"})
    assert_problem(response, 401, "not-authenticated")


def test_404_for_unknown_paths_and_the_root(client: Client) -> None:
    body = assert_problem(client.get(f"{API}/bestaat-niet"), 404)
    assert body["title"] == "Niet gevonden"
    assert_problem(client.get(f"{API}/"), 404)
    assert_problem(client.post(f"{API}/municipalities/GM0001/iets"), 404)


def test_405_names_the_allowed_methods(client: Client, personas: Personas) -> None:
    response = client.put(f"{API}/municipalities")
    body = assert_problem(response, 405)
    assert response["Allow"] == "GET"
    assert body["title"] == "Methode niet toegestaan"


def test_422_lists_each_field(coordinator_client: Client, personas: Personas) -> None:
    response = coordinator_client.get(
        f"{API}/municipalities/GM0001/audit-log", {"action": "eten", "since": "gisteren", "page_size": "veel"}
    )
    body = assert_problem(response, 422, "validation-error")
    by_field = {tuple(error["location"]): error for error in body["errors"]}
    assert set(by_field) == {("query", "action"), ("query", "since"), ("query", "page_size")}
    assert by_field[("query", "page_size")]["message"] == "Vul een geheel getal in."
    assert by_field[("query", "since")]["code"] == "date_from_datetime_parsing"
    assert by_field[("query", "action")]["message"].startswith("Kies een van: 'read'")


def test_invalid_json_body_is_400(resident_client: Client, personas: Personas) -> None:
    response = resident_client.post(f"{API}/me/tokens", data="{niet: json", content_type="application/json")
    body = assert_problem(response, 400)
    assert body["detail"] == "De body van het verzoek is geen geldige JSON."


def test_500_hides_the_traceback(
    personas: Personas, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def broken() -> None:
        raise RuntimeError("geheime details uit de database")

    monkeypatch.setattr(selectors, "active_municipalities", broken)
    client = Client(raise_request_exception=False)
    with caplog.at_level(logging.ERROR, logger="nabij.api"):
        response = client.get(f"{API}/municipalities")
    body = assert_problem(response, 500)
    assert body["title"] == "Interne fout"
    assert b"geheime details" not in response.content
    assert b"Traceback" not in response.content
    # The details go to the log, with the traceback, for whoever runs the server.
    assert any(record.exc_info and "geheime details" in str(record.exc_info[1]) for record in caplog.records)


def test_problems_follow_accept_language(client: Client, personas: Personas) -> None:
    response = client.get(f"{API}/me", headers={"Accept-Language": "en"})
    body = assert_problem(response, 401, "not-authenticated")
    assert body["title"] == "Not authenticated"
    assert response["Content-Language"] == "en"

    english = {"Accept-Language": "en"}
    response = client.get(f"{API}/municipalities/GM0001/districts/WK12", headers=english)
    body = assert_problem(response, 422, "validation-error")
    assert body["title"] == "Invalid input"
    assert body["errors"][0]["message"].startswith("District code 'WK12' is not valid")

    response = client.get(f"{API}/municipalities", {"page_size": 0}, headers=english)
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["message"] == "Must be at least 1."


def test_dutch_is_the_default(client: Client, personas: Personas) -> None:
    response = client.get(f"{API}/me")
    assert response["Content-Language"] == "nl"
