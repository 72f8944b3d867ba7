"""/me and personal API tokens: shown once, stored as a hash, minted only from a session."""

from __future__ import annotations

import hashlib
from datetime import timedelta
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from nabij.accounts.models import ApiToken, Role
from nabij.testing.factories import RoleAssignmentFactory
from nabij.testing.personas import Personas, login
from tests.api.helpers import API, assert_problem, bearer, token_for

TOKENS = f"{API}/me/tokens"
# Any 32 letters and digits make a valid CSRF secret for Django's check.
CSRF_SECRET = "abcdefghijklmnopqrstuvwxyz012345"


def _create(client: Client, **data: Any) -> Any:
    return client.post(TOKENS, data=data, content_type="application/json")


def test_me_with_session(coordinator_client: Client, personas: Personas) -> None:
    RoleAssignmentFactory(user=personas.coordinator, municipality=personas.municipality_b, role=Role.ANALYST)
    body = coordinator_client.get(f"{API}/me").json()
    assert body == {
        "email": "coordinator@alfadorp.test",
        "name": "Cor Coördinator",
        "language": "nl",
        "roles": {"GM0001": ["coordinator"], "GM0002": ["analyst"]},
        "second_factor_required": True,
        "second_factor_passed": True,
        "authenticated_by": "session",
    }


def test_me_without_second_factor(client: Client, personas: Personas) -> None:
    login(client, personas.coordinator, second_factor=False)
    body = client.get(f"{API}/me").json()
    assert body["second_factor_required"] is True
    assert body["second_factor_passed"] is False


def test_me_with_token_counts_as_verified(client: Client, personas: Personas, coordinator_token: str) -> None:
    body = client.get(f"{API}/me", headers=bearer(coordinator_token)).json()
    assert body["email"] == "coordinator@alfadorp.test"
    assert body["second_factor_passed"] is True
    assert body["authenticated_by"] == "token"


def test_create_shows_the_key_once_and_stores_only_its_hash(resident_client: Client, personas: Personas) -> None:
    response = _create(resident_client, name="Mijn koppeling")
    assert response.status_code == 201
    body = response.json()
    key = body["key"]
    assert key.startswith(f"nabij_{body['prefix']}_")
    assert body["name"] == "Mijn koppeling"
    assert body["is_active"] is True
    assert body["expires_at"] is None

    token = ApiToken.objects.get(pk=body["id"])
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    stored = [str(value) for value in ApiToken.objects.filter(pk=token.pk).values().get().values()]
    assert not any(key in value for value in stored)

    # The key works at once, and is never shown again.
    assert resident_client.get(f"{API}/me", headers=bearer(key)).json()["authenticated_by"] == "token"
    listing = resident_client.get(TOKENS)
    assert key.encode() not in listing.content
    assert token.key_hash.encode() not in listing.content


def test_list_shows_own_tokens_without_secrets(client: Client, personas: Personas) -> None:
    token_for(personas.resident, name="eerste")
    token_for(personas.resident, name="tweede")
    token_for(personas.coordinator, name="van een ander")
    login(client, personas.resident)
    body = client.get(TOKENS).json()
    assert body["count"] == 2
    assert {t["name"] for t in body["results"]} == {"eerste", "tweede"}
    for token in body["results"]:
        assert set(token) == {
            "id",
            "name",
            "prefix",
            "created_at",
            "expires_at",
            "last_used_at",
            "revoked_at",
            "is_active",
        }


def test_create_with_expiry(resident_client: Client, personas: Personas) -> None:
    expires = (timezone.now() + timedelta(days=30)).replace(microsecond=0)
    body = _create(resident_client, name="tijdelijk", expires_at=expires.isoformat()).json()
    assert ApiToken.objects.get(pk=body["id"]).expires_at == expires


def test_create_validation_errors(resident_client: Client, personas: Personas) -> None:
    body = assert_problem(_create(resident_client, name="  "), 422, "validation-error")
    assert body["errors"] == [
        {
            "location": ["body", "name"],
            "message": "Geef de sleutel een naam, zodat je hem later herkent.",
            "code": "invalid",
        }
    ]
    body = assert_problem(_create(resident_client), 422, "validation-error")
    assert body["errors"] == [{"location": ["body", "name"], "message": "Dit veld is verplicht.", "code": "missing"}]

    past = (timezone.now() - timedelta(days=1)).isoformat()
    body = assert_problem(_create(resident_client, name="oud", expires_at=past), 422, "validation-error")
    assert body["errors"][0]["location"] == ["body", "expires_at"]

    body = assert_problem(
        _create(resident_client, name="zonder zone", expires_at="2030-01-01T12:00:00"), 422, "validation-error"
    )
    assert body["errors"][0]["code"] == "timezone_aware"
    assert not ApiToken.objects.exists()


def test_a_token_cannot_create_tokens(client: Client, personas: Personas, coordinator_token: str) -> None:
    response = client.post(
        TOKENS, data={"name": "nog een"}, content_type="application/json", headers=bearer(coordinator_token)
    )
    assert_problem(response, 403, "session-required")
    assert ApiToken.objects.count() == 1


def test_a_token_cannot_create_tokens_even_beside_a_session(
    coordinator_client: Client, personas: Personas, coordinator_token: str
) -> None:
    response = coordinator_client.post(
        TOKENS, data={"name": "nog een"}, content_type="application/json", headers=bearer(coordinator_token)
    )
    assert_problem(response, 403, "session-required")


def test_anonymous_cannot_create_tokens(client: Client, personas: Personas) -> None:
    body = assert_problem(_create(client, name="x"), 401, "not-authenticated")
    assert "ingelogde sessie" in body["detail"]


def test_second_factor_needed_to_create_tokens_for_professionals(client: Client, personas: Personas) -> None:
    login(client, personas.coordinator, second_factor=False)
    assert_problem(_create(client, name="x"), 403, "second-factor-required")
    assert not ApiToken.objects.exists()


def test_residents_need_no_second_factor_for_tokens(client: Client, personas: Personas) -> None:
    login(client, personas.resident, second_factor=False)
    assert _create(client, name="x").status_code == 201


def test_revoke_own_token(resident_client: Client, personas: Personas) -> None:
    key = token_for(personas.resident)
    token = ApiToken.objects.get(user=personas.resident)
    response = resident_client.delete(f"{TOKENS}/{token.pk}")
    assert response.status_code == 204
    assert response.content == b""
    assert "Content-Type" not in response
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert_problem(resident_client.get(f"{API}/me", headers=bearer(key)), 401, "invalid-token")
    # Revoking twice is harmless and keeps the first moment.
    assert resident_client.delete(f"{TOKENS}/{token.pk}").status_code == 204
    assert ApiToken.objects.get(pk=token.pk).revoked_at == token.revoked_at
    listed = resident_client.get(TOKENS).json()["results"][0]
    assert listed["is_active"] is False and listed["revoked_at"] is not None


def test_revoke_with_the_token_itself(client: Client, personas: Personas, coordinator_token: str) -> None:
    token = ApiToken.objects.get(user=personas.coordinator)
    assert client.delete(f"{TOKENS}/{token.pk}", headers=bearer(coordinator_token)).status_code == 204
    assert_problem(client.get(f"{API}/me", headers=bearer(coordinator_token)), 401, "invalid-token")


def test_revoking_someone_elses_token_is_404(resident_client: Client, personas: Personas) -> None:
    token_for(personas.coordinator)
    token = ApiToken.objects.get(user=personas.coordinator)
    assert_problem(resident_client.delete(f"{TOKENS}/{token.pk}"), 404)
    assert_problem(resident_client.delete(f"{TOKENS}/999999"), 404)
    assert_problem(resident_client.delete(f"{TOKENS}/abc"), 422, "validation-error")
    token.refresh_from_db()
    assert token.revoked_at is None


@pytest.fixture
def csrf_client(personas: Personas) -> Client:
    client = Client(enforce_csrf_checks=True)
    login(client, personas.resident)
    return client


def test_session_post_needs_csrf(csrf_client: Client, personas: Personas) -> None:
    assert_problem(_create(csrf_client, name="x"), 403, "csrf-failed")
    assert not ApiToken.objects.exists()

    csrf_client.cookies[settings.CSRF_COOKIE_NAME] = CSRF_SECRET
    response = csrf_client.post(
        TOKENS, data={"name": "x"}, content_type="application/json", headers={"X-CSRFToken": CSRF_SECRET}
    )
    assert response.status_code == 201


def test_session_delete_needs_csrf_but_tokens_do_not(csrf_client: Client, personas: Personas) -> None:
    key = token_for(personas.resident)
    token = ApiToken.objects.get(user=personas.resident)
    assert_problem(csrf_client.delete(f"{TOKENS}/{token.pk}"), 403, "csrf-failed")
    # A token is not sent by the browser on its own, so it needs no CSRF token.
    assert Client(enforce_csrf_checks=True).delete(f"{TOKENS}/{token.pk}", headers=bearer(key)).status_code == 204


def test_safe_methods_need_no_csrf(csrf_client: Client, personas: Personas) -> None:
    assert csrf_client.get(f"{API}/me").status_code == 200
