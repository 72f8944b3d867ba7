"""Password guessing is slowed down: a locked e-mail address and IP address pair waits a while."""

from __future__ import annotations

from typing import Any

from django.test import Client

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
