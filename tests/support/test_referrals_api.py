"""The referrals API: a matrix of who may create, list and read, and what each sees with and
without the resident's referral consent."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from nabij.core.models import AuditEntry
from nabij.people import services as people_services
from nabij.support.models import Referral
from nabij.support.services import referrals as services
from nabij.testing.personas import Personas, login
from tests.api.helpers import API, assert_problem
from tests.conftest import SocialMap
from tests.groups.helpers import World, build_world, matrix_user

pytestmark = pytest.mark.django_db

BASE = f"{API}/municipalities/GM0001/referrals"


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> World:
    return build_world(personas, socialmap)


@pytest.fixture
def client_as(world: World) -> Callable[[str], Client]:
    def make(name: str) -> Client:
        user, second_factor = matrix_user(world, name)
        return Client() if user is None else login(Client(), user, second_factor=second_factor)

    return make


@pytest.fixture
def referral(world: World) -> Referral:
    return services.referral_create(
        actor=world.personas.professional, profile=world.bea, activity=world.koffie, note="Komt met de bus."
    )


# name: (create, list made, list received, get the referral to koffie)
MATRIX: dict[str, tuple[int, int, int, int]] = {
    "anonymous": (401, 401, 401, 401),
    "resident": (403, 403, 200, 404),
    "supporter": (403, 403, 200, 404),
    "organiser": (403, 403, 200, 200),  # receiver: koffie is theirs
    "other_organiser": (403, 403, 200, 404),
    "professional_no_2fa": (403, 403, 403, 403),
    "professional": (201, 200, 200, 200),  # the referrer
    "other_professional": (201, 200, 200, 404),
    "coordinator": (403, 403, 200, 404),
    "outsider": (404, 404, 404, 404),
}


@pytest.mark.parametrize("name", list(MATRIX))
def test_matrix(world: World, referral: Referral, client_as: Callable[[str], Client], name: str) -> None:
    client = client_as(name)
    create, made, received, detail = MATRIX[name]
    # A fresh target each time, so a second create is not a duplicate.
    response = client.post(
        BASE, {"profile": str(world.bea.key), "group": str(world.group.uid)}, content_type="application/json"
    )
    assert response.status_code == create, response.content
    assert client.get(BASE).status_code == made
    assert client.get(f"{BASE}?received=true").status_code == received
    assert client.get(f"{BASE}/{referral.pk}").status_code == detail


def test_what_the_receiver_sees_with_and_without_consent(
    world: World, referral: Referral, client_as: Callable[[str], Client]
) -> None:
    organiser = client_as("organiser")
    body = organiser.get(f"{BASE}/{referral.pk}").json()
    assert (body["name"], body["note"], body["profile"], body["paused"]) == (
        "Bea Jansen",
        "Komt met de bus.",
        None,  # the key is for the referrer only
        False,
    )
    assert body["target"] == {"kind": "activity", "uid": str(world.koffie.uid), "id": None, "name": "Koffie-ochtend"}
    assert body["next_statuses"] == ["introduced", "stopped"]
    read = AuditEntry.objects.filter(action="read", record_ref=str(world.bea.key), actor=world.socialmap.organiser)
    assert read.count() == 1 and read.get().purpose == "referral"

    people_services.consent_revoke(actor=None, profile=world.bea, purpose="referral")
    assert_problem(organiser.get(f"{BASE}/{referral.pk}"), 404)
    assert organiser.get(f"{BASE}?received=true").json()["count"] == 0
    # The referrer still sees it: paused, without name or note, only stopping possible.
    mine = client_as("professional").get(f"{BASE}/{referral.pk}").json()
    assert (mine["paused"], mine["name"], mine["note"], mine["profile"]) == (True, None, None, str(world.bea.key))
    assert mine["next_statuses"] == ["stopped"]


def test_create_without_consent_is_a_clear_422(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("professional").post(
        BASE, {"profile": str(world.betty.key), "activity": str(world.koffie.uid)}, content_type="application/json"
    )
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"] == [
        {
            "location": ["body", "profile"],
            "message": (
                "Deze bewoner heeft geen toestemming gegeven voor een warme overdracht. Vraag eerst om "
                "toestemming en leg die vast bij de bewoner. Daarna kun je de overdracht maken."
            ),
            "code": "consent_required",
        }
    ]
    assert not Referral.objects.exists()


def test_create_with_unknown_or_foreign_things(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("professional")
    response = client.post(
        BASE, {"profile": str(world.bob.key), "activity": str(world.koffie.uid)}, content_type="application/json"
    )
    assert assert_problem(response, 422, "validation-error")["errors"][0]["location"] == ["body", "profile"]
    response = client.post(
        BASE, {"profile": str(world.bea.key), "group": str(world.beta_group.uid)}, content_type="application/json"
    )
    assert assert_problem(response, 422, "validation-error")["errors"][0]["location"] == ["body", "group"]
    response = client.post(BASE, {"profile": str(world.bea.key)}, content_type="application/json")
    assert assert_problem(response, 422, "validation-error")["errors"][0]["code"] == "one_target"


def test_status_changes(world: World, referral: Referral, client_as: Callable[[str], Client]) -> None:
    url = f"{BASE}/{referral.pk}/status"
    organiser = client_as("organiser")
    response = organiser.post(url, {"status": "participating"}, content_type="application/json")
    assert assert_problem(response, 422, "validation-error")["errors"][0]["code"] == "invalid_transition"
    response = organiser.post(url, {"status": "introduced"}, content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "introduced"
    response = client_as("professional").post(url, {"status": "stopped"}, content_type="application/json")
    assert assert_problem(response, 422, "validation-error")["errors"][0]["location"] == ["body", "outcome"]
    response = client_as("professional").post(
        url, {"status": "stopped", "outcome": "Gaat nu zelf."}, content_type="application/json"
    )
    assert response.json()["status"] == "stopped" and response.json()["outcome"] == "Gaat nu zelf."
    # Someone who does not receive it cannot find it.
    response = client_as("other_organiser").post(url, {"status": "introduced"}, content_type="application/json")
    assert_problem(response, 404)


def test_lists(world: World, referral: Referral, client_as: Callable[[str], Client]) -> None:
    made = client_as("professional").get(BASE).json()
    assert made["count"] == 1 and made["results"][0]["id"] == referral.pk
    assert client_as("other_professional").get(BASE).json()["count"] == 0
    received = client_as("organiser").get(f"{BASE}?received=true").json()
    assert [r["name"] for r in received["results"]] == ["Bea Jansen"]
    assert client_as("other_organiser").get(f"{BASE}?received=true").json()["count"] == 0
