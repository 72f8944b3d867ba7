"""The referral pages: "Mijn overdrachten" (professional) and "Overdrachten aan mij" (receiver).

A matrix with the expected answer per persona and page, with the resident's referral consent and
without it; then what the pages show and do.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django_scopes import scope

from nabij.core.models import AuditEntry
from nabij.groups.models import Membership
from nabij.people import services as people_services
from nabij.support.models import Referral, ReferralStatus
from nabij.support.services import referrals as services
from nabij.testing.personas import Personas, login
from tests.conftest import SocialMap
from tests.groups.helpers import World, build_world, matrix_user

pytestmark = pytest.mark.django_db

A = "/alfadorp/overdrachten"
LOGIN, TWO_FA = "login", "2fa"


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


PAGES = ["list", "new", "received", "detail"]
MATRIX: dict[str, list[int | str]] = {
    #                      list    new     received detail
    "anonymous": [LOGIN, LOGIN, LOGIN, LOGIN],
    "resident": [404, 404, 200, 404],  # Bea herself: her referral is not her page (her export has it)
    "other_resident": [404, 404, 200, 404],
    "supporter": [404, 404, 200, 404],
    "organiser": [404, 404, 200, 200],  # the receiver
    "other_organiser": [404, 404, 200, 404],
    "professional_no_2fa": [TWO_FA, TWO_FA, TWO_FA, TWO_FA],
    "professional": [200, 200, 200, 200],  # the referrer
    "other_professional": [200, 200, 200, 404],
    "coordinator": [404, 404, 404, 404],
    "outsider": [404, 404, 404, 404],
}
# Without the resident's referral consent only the receiver's answer changes: it no longer exists.
WITHOUT_CONSENT = {**MATRIX, "organiser": [404, 404, 200, 404]}


def check(client: Client, urls: dict[str, str], expected: list[int | str]) -> None:
    for page, answer in zip(PAGES, expected, strict=True):
        response = client.get(urls[page])
        if answer == LOGIN:
            assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/"), page
        elif answer == TWO_FA:
            assert response.status_code == 302 and "tweede-stap" in response["Location"], page
        else:
            assert response.status_code == answer, page


def urls(referral: Referral) -> dict[str, str]:
    return {"list": f"{A}/", "new": f"{A}/nieuw/", "received": f"{A}/aan-mij/", "detail": f"{A}/{referral.pk}/"}


@pytest.mark.parametrize("name", list(MATRIX))
def test_matrix_with_consent(referral: Referral, client_as: Callable[[str], Client], name: str) -> None:
    check(client_as(name), urls(referral), MATRIX[name])


@pytest.mark.parametrize("name", list(WITHOUT_CONSENT))
def test_matrix_without_consent(
    world: World, referral: Referral, client_as: Callable[[str], Client], name: str
) -> None:
    people_services.consent_revoke(actor=None, profile=world.bea, purpose="referral")
    check(client_as(name), urls(referral), WITHOUT_CONSENT[name])


def test_another_municipalitys_referral_is_not_found(world: World, client_as: Callable[[str], Client]) -> None:
    with scope(municipality=world.personas.municipality_b):
        foreign = Referral.objects.create(
            municipality=world.personas.municipality_b, profile=world.bob, group=world.beta_group
        )
    assert client_as("professional").get(f"{A}/{foreign.pk}/").status_code == 404


# --- what the pages show -----------------------------------------------------------------------------


def test_receiver_sees_name_and_note_and_the_read_is_audited(
    world: World, referral: Referral, client_as: Callable[[str], Client]
) -> None:
    page = client_as("organiser").get(f"{A}/aan-mij/").content.decode()
    assert "Bea Jansen" in page and "Koffie-ochtend" in page and "Piet Professional" in page
    detail = client_as("organiser").get(f"{A}/{referral.pk}/").content.decode()
    assert "Komt met de bus." in detail
    reads = AuditEntry.objects.filter(action="read", record_ref=str(world.bea.key), actor=world.socialmap.organiser)
    assert {e.detail["page"] for e in reads} == {"referral_received", "referral_detail"}
    assert {e.purpose for e in reads} == {"referral"}
    # Another organiser's list stays empty.
    assert "Bea" not in client_as("other_organiser").get(f"{A}/aan-mij/").content.decode()


def test_referrer_sees_a_paused_referral_without_name_or_note(
    world: World, referral: Referral, client_as: Callable[[str], Client]
) -> None:
    people_services.consent_revoke(actor=None, profile=world.bea, purpose="referral")
    client = client_as("professional")
    listing = client.get(f"{A}/").content.decode()
    assert "gepauzeerd" in listing and "Bea" not in listing
    detail = client.get(f"{A}/{referral.pk}/").content.decode()
    assert "Komt met de bus." not in detail and "Bea" not in detail
    assert "de bewoner heeft de toestemming voor warme overdracht ingetrokken" in detail
    # Only stopping is offered; introducing is refused with the reason.
    assert 'value="introduced"' not in detail and 'value="stopped"' in detail
    # Resuming needs a new consent first.
    client.post(f"{A}/{referral.pk}/hervatten/")
    referral.refresh_from_db()
    assert referral.paused_at is not None
    people_services.consent_give(actor=None, profile=world.bea, purpose="referral", given_by="de bewoner zelf")
    client.post(f"{A}/{referral.pk}/hervatten/")
    referral.refresh_from_db()
    assert referral.paused_at is None


def test_create_step_by_step(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("professional")
    # Step 1 with a key that has no referral consent: a clear refusal.
    response = client.get(f"{A}/nieuw/", {"profiel": str(world.betty.key), "soort": "activity"})
    assert response.status_code == 400
    assert "geen toestemming gegeven voor een warme overdracht" in response.content.decode()
    # A key of another municipality is not found.
    response = client.get(f"{A}/nieuw/", {"profiel": str(world.bob.key), "soort": "activity"})
    assert "geen bewoner met deze sleutel" in response.content.decode()
    # Step 1 right: the name shows, and the search finds the activity.
    query = {"profiel": str(world.bea.key), "soort": "activity", "zoek": "koffie"}
    page = client.get(f"{A}/nieuw/", query).content.decode()
    assert "Bea Jansen" in page and "Koffie-ochtend" in page and "Voetbal voor iedereen" not in page
    assert AuditEntry.objects.filter(action="read", record_ref=str(world.bea.key), detail__page="referral_create")
    # Step 2: nothing chosen, then chosen.
    url = f"{A}/nieuw/?profiel={world.bea.key}&soort=activity&zoek=koffie"
    response = client.post(url, {"target": "", "note": ""})
    assert response.status_code == 400 and "Kies waar de bewoner naartoe gaat." in response.content.decode()
    response = client.post(url, {"target": str(world.koffie.uid), "note": "Houdt van koffie."})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert response["Location"] == f"{A}/{referral.pk}/"
    assert (referral.activity, referral.note) == (world.koffie, "Houdt van koffie.")
    # The same again is a duplicate, explained on the field.
    response = client.post(url, {"target": str(world.koffie.uid)})
    assert response.status_code == 400 and "Er loopt al een overdracht" in response.content.decode()


def test_supporter_choice_respects_the_vog_rule(world: World, client_as: Callable[[str], Client]) -> None:
    world.mo.vog_status, world.mo.vog_issued_on = "none", None
    world.mo.save()
    page = client_as("professional").get(f"{A}/nieuw/", {"profiel": str(world.bea.key), "soort": "supporter"})
    text = page.content.decode()
    assert "Eva Ervaring" in text and "Mo Maatje" not in text  # bea needs a VOG; Mo has none


def test_group_referral_ends_with_a_member(world: World, client_as: Callable[[str], Client]) -> None:
    people_services.consent_give(actor=None, profile=world.ali, purpose="referral", given_by="de bewoner zelf")
    referral = services.referral_create(actor=world.personas.professional, profile=world.ali, group=world.group)
    organiser = client_as("organiser")  # organises the group's activity: manages the group
    detail = f"{A}/{referral.pk}/"
    assert "In de groep zetten" not in organiser.get(detail).content.decode()  # not introduced yet
    response = organiser.post(detail, {"status": "participating"})
    assert response.status_code == 400  # not a choice yet
    organiser.post(detail, {"status": "introduced"})
    assert "In de groep zetten" in organiser.get(detail).content.decode()
    organiser.post(f"{detail}in-de-groep/")
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PARTICIPATING
    assert Membership.objects.filter(group=world.group, profile=world.ali, left_at__isnull=True).exists()
    # Stopping needs an outcome.
    response = organiser.post(detail, {"status": "stopped", "outcome": ""})
    assert response.status_code == 400 and "Schrijf kort op hoe het is afgelopen" in response.content.decode()


def test_a_trekker_receives_referrals_to_their_group(world: World, client_as: Callable[[str], Client]) -> None:
    Membership.objects.filter(group=world.group, profile=world.bea).update(role="trekker")
    services.referral_create(actor=world.personas.professional, profile=world.noor, group=world.group)
    page = client_as("resident").get(f"{A}/aan-mij/").content.decode()  # Bea, now trekker
    assert "Noor Bakker" in page and "Wandelgroep Oude Haven" in page
    assert "Noor" not in client_as("other_resident").get(f"{A}/aan-mij/").content.decode()
