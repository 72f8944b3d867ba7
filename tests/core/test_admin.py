"""The Django admin is for platform staff: behind TOTP, no secrets shown, no unaudited role or token edits."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scopes_disabled

from nabij.accounts import services
from nabij.accounts.models import ApiToken, RoleAssignment, User
from nabij.testing.factories import totp_device_for
from nabij.testing.personas import Personas, login


@pytest.fixture
def staff(db: None) -> User:
    return User.objects.create_superuser(email="staf@nabij.test", password="x", display_name="Staf")


def test_admin_needs_the_second_factor(staff: User) -> None:
    unverified = login(Client(), staff, second_factor=False)
    response = unverified.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert login(Client(), staff).get("/admin/").status_code == 200


def test_admin_never_shows_a_totp_secret(staff: User, personas: Personas) -> None:
    device = totp_device_for(personas.coordinator)
    client = login(Client(), staff)
    page = client.get(f"/admin/otp_totp/totpdevice/{device.pk}/change/").content.decode()
    assert device.key not in page
    assert client.get(f"/admin/otp_totp/totpdevice/{device.pk}/qrcode/").status_code == 403
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_roles_are_read_only_in_the_admin(staff: User, personas: Personas) -> None:
    client = login(Client(), staff)
    page = client.get(f"/admin/accounts/user/{personas.resident.pk}/change/")
    assert page.status_code == 200
    assert b"roles-TOTAL_FORMS" in page.content
    # The inline has no editable fields, so a forged inline form cannot add a role.
    assert b'name="roles-0-role"' not in page.content
    assert client.post(f"/admin/accounts/user/{personas.resident.pk}/delete/", {"post": "yes"}).status_code == 403
    with scopes_disabled():
        assert RoleAssignment.objects.filter(user=personas.resident).count() == 1


def test_tokens_can_be_revoked_but_not_edited_in_the_admin(staff: User, personas: Personas) -> None:
    token, key = services.api_token_create(user=personas.resident, name="app", verified=False)
    client = login(Client(), staff)
    client.post(f"/admin/accounts/apitoken/{token.pk}/change/", {"name": "anders", "revoked_at": ""})
    token.refresh_from_db()
    assert token.name == "app"
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    response = client.post(
        "/admin/accounts/apitoken/", {"action": "revoke", "_selected_action": [token.pk]}, follow=True
    )
    assert response.status_code == 200
    assert ApiToken.objects.get(pk=token.pk).revoked_at is not None
    assert services.api_token_authenticate(key) is None
