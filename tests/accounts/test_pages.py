"""The account pages: log in, second factor, my account, API tokens, password reset."""

from __future__ import annotations

import hashlib
import re
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope

from nabij.accounts import services
from nabij.accounts.models import ApiToken
from nabij.core.models import AuditEntry
from nabij.testing.factories import totp_device_for
from nabij.testing.personas import Personas, login

LOGIN = "/account/inloggen/"
SECOND_FACTOR = "/account/tweede-stap/"
MY_ACCOUNT = "/account/"
PASSWORD = "correct horse battery"  # the factories' password


def _code(device: TOTPDevice) -> str:
    """The code an authenticator app would show now."""
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):0{device.digits}d}"


# Logging in


def test_login_page_renders(client: Client) -> None:
    response = client.get(LOGIN)
    assert response.status_code == 200
    page = response.content.decode()
    assert 'name="username"' in page and 'name="password"' in page
    assert 'href="/account/wachtwoord-vergeten/"' in page


def test_wrong_password_gives_a_dutch_error_linked_to_the_fields(client: Client, personas: Personas) -> None:
    response = client.post(LOGIN, {"username": personas.resident.email, "password": "fout wachtwoord"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Dit e-mailadres en wachtwoord horen niet bij elkaar." in page
    # The message has an id that both inputs point to, so a screen reader reads it with the field.
    assert 'role="alert" id="login-errors"' in page
    assert page.count('aria-describedby="login-errors"') == 2
    assert "_auth_user_id" not in client.session


def test_correct_password_logs_in_and_follows_next(client: Client, personas: Personas) -> None:
    response = client.post(LOGIN, {"username": personas.resident.email, "password": PASSWORD, "next": "/alfadorp/"})
    assert response.status_code == 302
    assert response["Location"] == "/alfadorp/"
    assert client.session["_auth_user_id"] == str(personas.resident.pk)


def test_logout_is_a_post(resident_client: Client) -> None:
    page = resident_client.get(MY_ACCOUNT).content.decode()
    assert re.search(r'<form action="/account/uitloggen/" method="post"', page)
    response = resident_client.post("/account/uitloggen/")
    assert response.status_code == 302
    assert "_auth_user_id" not in resident_client.session


# The second factor


@pytest.fixture
def unverified_professional(personas: Personas) -> Client:
    return login(Client(), personas.professional, second_factor=False)


def test_second_factor_set_up_shows_qr_code_and_key(unverified_professional: Client, personas: Personas) -> None:
    response = unverified_professional.get(SECOND_FACTOR)
    assert response.status_code == 200
    assert response["Cache-Control"].count("no-store") == 1
    page = response.content.decode()
    assert "<svg" in page and "<?xml" not in page
    assert 'role="img" aria-label="QR-code' in page
    device = TOTPDevice.objects.get(user=personas.professional, confirmed=False)
    secret = response.context["secret"]
    assert secret and " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)) in page
    assert device.config_url  # the same device that the QR code encodes


def test_second_factor_set_up_with_a_real_code_goes_to_next(
    unverified_professional: Client, personas: Personas
) -> None:
    directory = "/alfadorp/beheer/mensen/"
    redirect = unverified_professional.get(directory)
    assert redirect["Location"] == f"{SECOND_FACTOR}?next=%2Falfadorp%2Fbeheer%2Fmensen%2F"

    unverified_professional.get(redirect["Location"])
    device = TOTPDevice.objects.get(user=personas.professional)
    response = unverified_professional.post(SECOND_FACTOR, {"token": _code(device), "next": directory})
    assert response.status_code == 302
    assert response["Location"] == directory
    device.refresh_from_db()
    assert device.confirmed
    assert unverified_professional.get(directory).status_code == 200


def test_setting_up_a_second_factor_is_told_and_audited(
    unverified_professional: Client, personas: Personas, django_capture_on_commit_callbacks: Any
) -> None:
    """Whoever sets up the app holds the second factor: the owner must hear of it at once."""
    unverified_professional.get(SECOND_FACTOR)
    device = TOTPDevice.objects.get(user=personas.professional)
    with django_capture_on_commit_callbacks(execute=True):
        unverified_professional.post(SECOND_FACTOR, {"token": _code(device)})
    assert [m.to for m in mail.outbox] == [[personas.professional.email]]
    assert "authenticator-app gekoppeld" in mail.outbox[0].subject
    with scope(municipality=personas.municipality_a):
        entry = AuditEntry.objects.get(record_type="otp_totp.totpdevice")
    assert entry.purpose == "security" and entry.record_ref == personas.professional.pseudonym


def test_a_wrong_code_does_not_confirm_the_device(unverified_professional: Client, personas: Personas) -> None:
    unverified_professional.get(SECOND_FACTOR)
    device = TOTPDevice.objects.get(user=personas.professional)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = unverified_professional.post(SECOND_FACTOR, {"token": wrong})
    assert response.status_code == 200
    assert "klopt niet" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed
    assert not mail.outbox


def test_second_factor_verify_mode_asks_only_for_the_code(personas: Personas) -> None:
    device = totp_device_for(personas.professional)
    client = login(Client(), personas.professional, second_factor=False)
    page = client.get(SECOND_FACTOR).content.decode()
    assert "<svg" not in page and 'name="token"' in page
    assert "Tweede stap instellen" not in page
    response = client.post(SECOND_FACTOR, {"token": _code(device), "next": "/alfadorp/"})
    assert response["Location"] == "/alfadorp/"


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", "javascript:alert(1)"])
def test_second_factor_never_redirects_off_site(personas: Personas, next_url: str) -> None:
    device = totp_device_for(personas.professional)
    client = login(Client(), personas.professional, second_factor=False)
    response = client.post(SECOND_FACTOR, {"token": _code(device), "next": next_url})
    assert response.status_code == 302
    assert response["Location"] == MY_ACCOUNT


def test_wrong_code_is_refused_with_an_error_on_the_field(personas: Personas) -> None:
    device = totp_device_for(personas.professional)
    client = login(Client(), personas.professional, second_factor=False)
    wrong = f"{(int(_code(device)) + 1) % 1_000_000:06d}"
    response = client.post(SECOND_FACTOR, {"token": wrong, "next": "/alfadorp/"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Deze code klopt niet of is verlopen." in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="id_token_helptext id_token_error"' in page
    assert client.get("/alfadorp/beheer/mensen/").status_code == 302


def test_second_factor_needs_a_login(client: Client) -> None:
    response = client.get(SECOND_FACTOR)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


# My account


def test_my_account_needs_a_login(client: Client) -> None:
    response = client.get(MY_ACCOUNT)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next=/account/"


def test_my_account_shows_roles_and_second_factor_state(
    resident_client: Client, coordinator_client: Client, unverified_professional: Client
) -> None:
    resident = resident_client.get(MY_ACCOUNT).content.decode()
    assert "Alfadorp" in resident and "Bewoner" in resident
    assert "een tweede stap niet nodig" in resident

    assert "Je hebt de tweede stap gedaan." in coordinator_client.get(MY_ACCOUNT).content.decode()
    unverified = unverified_professional.get(MY_ACCOUNT).content.decode()
    assert "Nog niet gedaan" in unverified and f'href="{SECOND_FACTOR}"' in unverified


# API tokens


def test_new_token_is_shown_once(resident_client: Client, personas: Personas) -> None:
    response = resident_client.post("/account/api-sleutels/", {"name": "Mijn koppeling"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    key = response.context["key"]
    assert key.startswith("nabij_") and key in response.content.decode()
    assert "maar één keer" in response.content.decode()

    token = ApiToken.objects.get(user=personas.resident)
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    account = resident_client.get(MY_ACCOUNT).content.decode()
    assert "Mijn koppeling" in account
    assert key not in account  # never again


def test_token_needs_a_name(resident_client: Client, personas: Personas) -> None:
    response = resident_client.post("/account/api-sleutels/", {"name": ""})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.content.decode()
    assert not ApiToken.objects.filter(user=personas.resident).exists()


def test_token_needs_the_second_factor_first(unverified_professional: Client, personas: Personas) -> None:
    response = unverified_professional.post("/account/api-sleutels/", {"name": "koppeling"})
    assert response.status_code == 302
    assert response["Location"].startswith(SECOND_FACTOR)
    assert not ApiToken.objects.filter(user=personas.professional).exists()


def test_owner_can_revoke_a_token(resident_client: Client, personas: Personas) -> None:
    resident_client.post("/account/api-sleutels/", {"name": "Oude koppeling"})
    token = ApiToken.objects.get(user=personas.resident)
    url = f"/account/api-sleutels/{token.pk}/intrekken/"

    assert resident_client.get(url).status_code == 405  # only a POST changes anything
    response = resident_client.post(url, follow=True)
    assert response.status_code == 200
    token.refresh_from_db()
    assert token.revoked_at is not None
    page = response.content.decode()
    assert "De sleutel Oude koppeling is ingetrokken." in page
    assert "Ingetrokken" in page


def test_nobody_else_can_revoke_a_token(
    resident_client: Client, coordinator_client: Client, personas: Personas
) -> None:
    resident_client.post("/account/api-sleutels/", {"name": "Van de bewoner"})
    token = ApiToken.objects.get(user=personas.resident)
    response = coordinator_client.post(f"/account/api-sleutels/{token.pk}/intrekken/")
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


# Password reset


def test_password_reset_sends_a_dutch_mail_with_a_working_link(client: Client, personas: Personas) -> None:
    response = client.post("/account/wachtwoord-vergeten/", {"email": personas.resident.email})
    assert response.status_code == 302
    assert client.get(response["Location"]).status_code == 200
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.subject == "Nabij: maak een nieuw wachtwoord"
    link = re.search(r"https?://\S+", message.body)
    assert link is not None
    confirm = client.get(link.group(0), follow=True)
    assert confirm.status_code == 200
    assert confirm.context["validlink"]
    assert 'name="new_password1"' in confirm.content.decode()


def test_password_reset_revokes_api_tokens(client: Client, personas: Personas) -> None:
    """Tokens someone made while holding the account must die with the old password."""
    _token, key = services.api_token_create(user=personas.resident, name="app", verified=False)
    client.post("/account/wachtwoord-vergeten/", {"email": personas.resident.email})
    link = re.search(r"https?://\S+", mail.outbox[0].body)
    assert link is not None
    form = client.get(link.group(0), follow=True)
    new = "een heel nieuw wachtwoord 42"
    response = client.post(form.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert response.status_code == 302
    assert services.api_token_authenticate(key) is None


def test_password_reset_link_that_was_tampered_with(client: Client, db: None) -> None:
    page = client.get("/account/wachtwoord-herstellen/MQ/set-password/").content.decode()
    assert "Deze link werkt niet meer." in page
