"""The audit-log endpoint: coordinators and admins of the municipality, after the second factor."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone
from django_scopes import scope

from nabij.accounts import services
from nabij.accounts.models import ApiToken
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditEntry, AuditPurpose
from nabij.testing.personas import Personas, login
from tests.api.helpers import API, assert_problem, bearer, token_for

LOG_A = f"{API}/municipalities/GM0001/audit-log"


@pytest.fixture
def entries(personas: Personas) -> None:
    audit(
        actor=personas.professional,
        municipality=personas.municipality_a,
        action=AuditAction.READ,
        purpose=AuditPurpose.SUPPORT,
        record=personas.resident,
    )
    audit(
        actor=None,
        municipality=personas.municipality_a,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record_type="core.neighbourhood",
        record_ref="BU00010101",
    )
    audit(
        actor=personas.outsider,
        municipality=personas.municipality_b,
        action=AuditAction.READ,
        purpose=AuditPurpose.SUPPORT,
        record_type="accounts.user",
        record_ref="van-b",
    )


def _reads_by(personas: Personas, actor_ref: str) -> list[AuditEntry]:
    with scope(municipality=personas.municipality_a):
        return list(AuditEntry.objects.filter(actor_ref=actor_ref, record_type="core.auditentry"))


def test_coordinator_with_second_factor_reads_own_municipality_only(
    coordinator_client: Client, personas: Personas, entries: None
) -> None:
    response = coordinator_client.get(LOG_A)
    assert response.status_code == 200
    body = response.json()
    refs = [entry["record_ref"] for entry in body["results"]]
    assert "van-b" not in refs
    assert personas.resident.pseudonym in refs
    support = next(e for e in body["results"] if e["record_ref"] == personas.resident.pseudonym)
    assert support["actor"] == personas.professional.pseudonym
    assert support["action"] == "read"
    assert support["purpose"] == "support"
    assert support["record_type"] == "accounts.user"
    # People appear by pseudonym only, never by name or e-mail address.
    assert personas.professional.email.encode() not in response.content
    assert personas.professional.display_name.encode() not in response.content


def test_the_read_is_itself_audited(coordinator_client: Client, personas: Personas, entries: None) -> None:
    coordinator_client.get(LOG_A, {"action": "read"})
    [read] = _reads_by(personas, personas.coordinator.pseudonym)
    assert read.action == AuditAction.READ
    assert read.purpose == AuditPurpose.ACCOUNTABILITY
    assert read.municipality_id == personas.municipality_a.pk
    assert read.detail == {"action": "read"}


def test_admin_reads_too(client: Client, personas: Personas) -> None:
    login(client, personas.admin)
    assert client.get(LOG_A).status_code == 200


def test_without_second_factor_is_403(client: Client, personas: Personas, entries: None) -> None:
    login(client, personas.coordinator, second_factor=False)
    assert_problem(client.get(LOG_A), 403, "second-factor-required")
    assert _reads_by(personas, personas.coordinator.pseudonym) == []


@pytest.mark.parametrize("persona", ["resident", "professional", "outsider"])
def test_others_do_not_see_that_it_exists(client: Client, personas: Personas, persona: str) -> None:
    login(client, getattr(personas, persona))
    assert_problem(client.get(LOG_A), 404)


def test_coordinator_of_a_does_not_see_b(coordinator_client: Client, personas: Personas) -> None:
    assert_problem(coordinator_client.get(f"{API}/municipalities/GM0002/audit-log"), 404)
    assert_problem(coordinator_client.get(f"{API}/municipalities/GM9999/audit-log"), 404)


def test_anonymous_is_401(client: Client, personas: Personas) -> None:
    response = client.get(LOG_A)
    assert_problem(response, 401, "not-authenticated")
    assert "Bearer" in response["WWW-Authenticate"]


def test_token_of_a_coordinator_works(client: Client, personas: Personas, coordinator_token: str) -> None:
    response = client.get(LOG_A, headers=bearer(coordinator_token))
    assert response.status_code == 200
    assert len(_reads_by(personas, personas.coordinator.pseudonym)) == 1


def test_token_of_a_resident_is_404(client: Client, personas: Personas) -> None:
    assert_problem(client.get(LOG_A, headers=bearer(token_for(personas.resident))), 404)


def test_revoked_token_is_401(client: Client, personas: Personas, coordinator_token: str) -> None:
    token = ApiToken.objects.get(user=personas.coordinator)
    services.api_token_revoke(user=personas.coordinator, token=token)
    assert_problem(client.get(LOG_A, headers=bearer(coordinator_token)), 401, "invalid-token")


def test_expired_token_is_401(client: Client, personas: Personas) -> None:
    key = token_for(personas.coordinator, expires_at=timezone.now() + timedelta(days=1))
    ApiToken.objects.filter(user=personas.coordinator).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_problem(client.get(LOG_A, headers=bearer(key)), 401, "invalid-token")


def test_token_of_a_deactivated_user_is_401(client: Client, personas: Personas, coordinator_token: str) -> None:
    personas.coordinator.is_active = False
    personas.coordinator.save()
    assert_problem(client.get(LOG_A, headers=bearer(coordinator_token)), 401, "invalid-token")


def test_filters(coordinator_client: Client, personas: Personas, entries: None) -> None:
    created = coordinator_client.get(LOG_A, {"action": "create"}).json()["results"]
    assert [e["record_ref"] for e in created] == ["BU00010101"]
    assert created[0]["actor"] == "system"

    support = coordinator_client.get(LOG_A, {"purpose": "support"}).json()["results"]
    assert [e["record_ref"] for e in support] == [personas.resident.pseudonym]

    today = timezone.localdate()
    assert coordinator_client.get(LOG_A, {"since": today.isoformat()}).json()["count"] >= 2
    tomorrow = (today + timedelta(days=1)).isoformat()
    assert coordinator_client.get(LOG_A, {"since": tomorrow}).json()["count"] == 0
    yesterday = (today - timedelta(days=1)).isoformat()
    assert coordinator_client.get(LOG_A, {"until": yesterday}).json()["count"] == 0


def test_date_range_must_be_ordered(coordinator_client: Client, personas: Personas) -> None:
    body = assert_problem(
        coordinator_client.get(LOG_A, {"since": "2025-02-01", "until": "2025-01-01"}), 422, "validation-error"
    )
    assert body["errors"] == [
        {"location": ["query", "until"], "message": "De begindatum ligt na de einddatum.", "code": "date_range"}
    ]


def test_newest_first_and_paginated(coordinator_client: Client, personas: Personas, entries: None) -> None:
    first = coordinator_client.get(LOG_A, {"page_size": 1}).json()
    # The two fixture entries plus this read itself, which is logged before the page is read.
    assert first["count"] == 3
    assert first["results"][0]["record_type"] == "core.auditentry"
    assert first["next"].endswith("page_size=1&page=2")


def test_token_made_before_becoming_coordinator_needs_the_second_factor(personas: Personas, entries: None) -> None:
    """A token carries only the verification its creating session had."""
    user = personas.resident
    _token, key = services.api_token_create(user=user, name="oude app", verified=False)
    services.role_grant(actor=personas.admin, user=user, municipality=personas.municipality_a, role="coordinator")
    assert_problem(Client().get(LOG_A, headers=bearer(key)), 403, "second-factor-required")
