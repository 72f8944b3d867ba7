"""E-mail addresses, the organiser rule on the model, and `nabij grant_role`."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.test import Client
from django_scopes import scope, scopes_disabled

from nabij.accounts import permissions
from nabij.accounts.models import RoleAssignment, User
from nabij.core.models import AuditEntry
from nabij.testing.factories import OrganisationFactory, UserFactory
from nabij.testing.personas import Personas


def test_email_is_stored_and_matched_in_lower_case(db: None) -> None:
    user = UserFactory.create(email="Piet.Jansen@Example.NL")
    assert User.objects.get(pk=user.pk).email == "piet.jansen@example.nl"
    response = Client().post(
        "/account/inloggen/", {"username": "PIET.jansen@example.nl", "password": "correct horse battery"}
    )
    assert response.status_code == 302


def test_organiser_role_with_foreign_organisation_fails_model_validation(personas: Personas) -> None:
    with scopes_disabled():
        foreign = OrganisationFactory.create(municipality=personas.municipality_b)
    assignment = RoleAssignment(
        user=personas.resident, municipality=personas.municipality_a, role="organiser", organisation=foreign
    )
    with (
        pytest.raises(ValidationError, match="hoort niet bij deze gemeente"),
        scope(municipality=personas.municipality_a),
    ):
        assignment.full_clean()


def test_grant_role_command_is_audited(personas: Personas) -> None:
    user = UserFactory.create(email="nieuw@alfadorp.test")
    call_command("grant_role", "Nieuw@alfadorp.test", municipality="gm0001", role="analyst")
    assert permissions.has_role(user, personas.municipality_a, "analyst")
    with scope(municipality=personas.municipality_a):
        assert AuditEntry.objects.filter(record_type="accounts.roleassignment", actor_ref="system").exists()
    permissions.forget_roles(user)
    call_command("grant_role", "nieuw@alfadorp.test", municipality="GM0001", role="analyst", revoke=True)
    assert not permissions.has_role(user, personas.municipality_a, "analyst")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ({"municipality": "GM0001", "role": "analyst"}, "Er is geen account"),
        ({"municipality": "GM0999", "role": "analyst"}, "staat niet in Nabij"),
        ({"municipality": "GM0001", "role": "organiser"}, "hoort bij een organisatie"),
        ({"municipality": "GM0001", "role": "organiser", "organisation": "Bestaat niet"}, "bestaat niet"),
        ({"municipality": "GM0001", "role": "analyst", "revoke": True}, "heeft de rol analyst niet"),
    ],
)
def test_grant_role_command_errors_are_clear(personas: Personas, args: dict[str, object], message: str) -> None:
    email = "onbekend@alfadorp.test" if message == "Er is geen account" else personas.resident.email
    with pytest.raises(CommandError, match=message):
        call_command("grant_role", email, **args)
