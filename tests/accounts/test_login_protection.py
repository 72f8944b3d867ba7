"""Password guessing is slowed down: a locked e-mail address and IP address pair waits a while."""

from __future__ import annotations

from typing import Any

from django.test import Client

from nabij.accounts.security import client_ip
from nabij.testing.personas import Personas

LOGIN = "/account/inloggen/"
PASSWORD = "correct horse battery"


def _try(client: Client, email: str, password: str) -> Any:
    return client.post(LOGIN, {"username": email, "password": password})


def test_after_five_wrong_passwords_even_the_right_one_waits(personas: Personas) -> None:
    client = Client()
    email = personas.professional.email
    for _ in range(4):
        assert _try(client, email, "fout").status_code == 200
    locked = _try(client, email, "fout")
    assert locked.status_code == 429
    assert "Probeer het over 15 minuten opnieuw." in locked.content.decode()
    # Locked: the right password does not get through either, whatever the capitals.
    assert _try(client, email.upper(), PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


def test_other_people_are_not_locked_out_by_someone_elses_failures(personas: Personas) -> None:
    client = Client()
    for _ in range(5):
        _try(client, personas.professional.email, "fout")
    assert _try(client, personas.resident.email, PASSWORD).status_code == 302
    # The same address from another IP address still works: an attacker can't lock a colleague out.
    other = Client(REMOTE_ADDR="10.0.0.8")
    assert _try(other, personas.professional.email, PASSWORD).status_code == 302


def test_a_good_login_resets_the_count(personas: Personas) -> None:
    client = Client()
    email = personas.resident.email
    for _ in range(4):
        _try(client, email, "fout")
    assert _try(client, email, PASSWORD).status_code == 302
    client.post("/account/uitloggen/")
    for _ in range(4):
        assert _try(client, email, "fout").status_code == 200


def test_client_ip_behind_trusted_proxies(rf: Any, settings: Any) -> None:
    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.NABIJ_TRUSTED_PROXIES = 0
    assert client_ip(request) == "10.0.0.1"
    # One proxy: the address it appended is the visitor's; "6.6.6.6" was sent by the visitor.
    settings.NABIJ_TRUSTED_PROXIES = 1
    assert client_ip(request) == "203.0.113.7"
    settings.NABIJ_TRUSTED_PROXIES = 2
    assert client_ip(request) == "6.6.6.6"
    settings.NABIJ_TRUSTED_PROXIES = 3
    assert client_ip(request) == "10.0.0.1"  # fewer entries than proxies: not trusted


def test_lock_counts_the_visitor_not_the_proxy(personas: Personas, settings: Any) -> None:
    settings.NABIJ_TRUSTED_PROXIES = 1
    attacker = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    for _ in range(5):
        _try(attacker, personas.professional.email, "fout")
    assert _try(attacker, personas.professional.email, PASSWORD).status_code == 429
    colleague = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert _try(colleague, personas.professional.email, PASSWORD).status_code == 302
