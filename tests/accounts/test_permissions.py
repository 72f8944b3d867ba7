"""The permission helpers and role services: who may, and who may not."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import timezone
from django_scopes import scope, scopes_disabled

from nabij.accounts import permissions, services
from nabij.accounts.models import ApiToken, Role, RoleAssignment
from nabij.core.models import AuditEntry
from nabij.testing.factories import OrganisationFactory, UserFactory
from nabij.testing.personas import Personas


def test_roles_are_per_municipality(personas: Personas) -> None:
    a, b = personas.municipality_a, personas.municipality_b
    assert permissions.roles_in(personas.professional, a) == {Role.PROFESSIONAL}
    assert permissions.roles_in(personas.professional, b) == frozenset()
    assert permissions.has_role(personas.outsider, b, Role.PROFESSIONAL)
    assert not permissions.has_role(personas.outsider, a, Role.PROFESSIONAL)
    assert permissions.can_read_audit_log(personas.coordinator, a)
    assert not permissions.can_read_audit_log(personas.coordinator, b)
    assert not permissions.can_read_audit_log(personas.professional, a)
    assert not permissions.can_read_directory(personas.resident, a)


@pytest.mark.parametrize(
    ("name", "needs"),
    [("resident", False), ("professional", True), ("coordinator", True), ("admin", True), ("outsider", True)],
)
def test_second_factor_is_required_for_roles_that_see_others_data(personas: Personas, name: str, needs: bool) -> None:
    user = getattr(personas, name)
    assert permissions.requires_second_factor(user) is needs
    # Without a verified session, only those who need no second factor may see personal data.
    user.is_verified = lambda: False
    assert permissions.may_see_personal_data(user) is not needs
    user.is_verified = lambda: True
    assert permissions.may_see_personal_data(user)


def test_api_token_counts_as_second_factor(personas: Personas) -> None:
    user = personas.professional
    user.is_verified = lambda: False
    _token, key = services.api_token_create(user=user, name="koppeling", verified=True)
    request = RequestFactory().get("/")
    request.api_token = services.api_token_authenticate(key)  # type: ignore[attr-defined]
    assert permissions.may_see_personal_data(user, request)


def test_token_made_before_a_second_factor_role_does_not_count_as_one(personas: Personas) -> None:
    """A resident's token must not let them skip TOTP once they become a coordinator."""
    user = personas.resident
    _token, key = services.api_token_create(user=user, name="mijn app", verified=False)
    services.role_grant(actor=personas.admin, user=user, municipality=personas.municipality_a, role=Role.COORDINATOR)
    request = RequestFactory().get("/")
    request.api_token = services.api_token_authenticate(key)  # type: ignore[attr-defined]
    user.is_verified = lambda: False
    assert permissions.requires_second_factor(user)
    assert not permissions.may_see_personal_data(user, request)


def test_token_cannot_be_created_without_second_factor(personas: Personas) -> None:
    with pytest.raises(PermissionDenied):
        services.api_token_create(user=personas.professional, name="x", verified=False)
    # A resident needs no second factor for their own token.
    token, key = services.api_token_create(user=personas.resident, name="mijn app", verified=False)
    assert key.startswith("nabij_") and token.prefix in key
    assert key not in token.key_hash and len(token.key_hash) == 64


def test_revoked_and_unknown_tokens_do_not_authenticate(personas: Personas) -> None:
    token, key = services.api_token_create(user=personas.resident, name="app", verified=False)
    assert services.api_token_authenticate(key) == token
    assert services.api_token_authenticate(key + "x") is None
    assert services.api_token_authenticate("Bearer " + key) is None
    with pytest.raises(PermissionDenied):
        services.api_token_revoke(user=personas.professional, token=token)
    services.api_token_revoke(user=personas.resident, token=token)
    assert services.api_token_authenticate(key) is None
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None


def test_only_admins_grant_roles_and_every_grant_is_audited(personas: Personas) -> None:
    a = personas.municipality_a
    newcomer = UserFactory()
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=personas.coordinator, user=newcomer, municipality=a, role=Role.ANALYST)
    with pytest.raises(PermissionDenied):
        services.role_grant(actor=personas.outsider, user=newcomer, municipality=a, role=Role.ANALYST)
    assignment = services.role_grant(actor=personas.admin, user=newcomer, municipality=a, role=Role.ANALYST)
    assert permissions.has_role(newcomer, a, Role.ANALYST)
    with scope(municipality=a):
        entry = AuditEntry.objects.get(record_type="accounts.roleassignment", record_ref=str(assignment.pk))
    assert entry.actor_ref == personas.admin.pseudonym
    assert entry.detail == {"role": "analyst", "user": newcomer.pseudonym}
    services.role_revoke(actor=personas.admin, assignment=assignment)
    assert not permissions.has_role(newcomer, a, Role.ANALYST)


def test_organiser_role_needs_an_organisation_of_the_same_municipality(personas: Personas) -> None:
    a, b = personas.municipality_a, personas.municipality_b
    user = UserFactory()
    with pytest.raises(ValidationError):
        services.role_grant(actor=None, user=user, municipality=a, role=Role.ORGANISER)
    with scopes_disabled():
        foreign = OrganisationFactory(municipality=b)
        own = OrganisationFactory(municipality=a)
    with pytest.raises(ValidationError):
        services.role_grant(actor=None, user=user, municipality=a, role=Role.ORGANISER, organisation=foreign)
    with pytest.raises(ValidationError):
        services.role_grant(actor=None, user=user, municipality=a, role=Role.RESIDENT, organisation=own)
    services.role_grant(actor=None, user=user, municipality=a, role=Role.ORGANISER, organisation=own)
    with scopes_disabled():
        assert RoleAssignment.objects.get(user=user).organisation == own


def test_tokens_that_stand_in_for_the_second_factor_expire(personas: Personas) -> None:
    now = timezone.now()
    token, _key = services.api_token_create(user=personas.coordinator, name="koppeling", verified=True)
    assert token.expires_at is not None
    assert timedelta(days=89) < token.expires_at - now <= timedelta(days=90, minutes=1)
    with pytest.raises(ValidationError, match="hoogstens een jaar"):
        services.api_token_create(
            user=personas.coordinator, name="te lang", verified=True, expires_at=now + timedelta(days=400)
        )
    # A resident's token is no second factor and may stay until revoked.
    resident_token, _key = services.api_token_create(user=personas.resident, name="mijn app", verified=False)
    assert resident_token.expires_at is None
