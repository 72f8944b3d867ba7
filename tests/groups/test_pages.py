"""The group pages: who may open which (a matrix with the expected answer per cell), and what each
sees: residents see fellow members' first names only, managers the recorded names, coordinators
counts and signals without names."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from nabij.core.models import AuditEntry
from nabij.groups.models import Group, GroupStatus, MemberRole, Membership
from nabij.people import services as people_services
from tests.groups.helpers import World

pytestmark = pytest.mark.django_db

A = "/alfadorp"
LOGIN, TWO_FA = "login", "2fa"

PAGES = ["mine", "list", "new", "detail", "edit", "end", "signals"]
# The expected answer per persona and page: a status code, or where the redirect goes.
MATRIX: dict[str, list[int | str]] = {
    #                     mine   list   new    detail edit   end    signals
    "anonymous": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "resident": [200, 404, 404, 404, 404, 404, 404],
    "other_resident": [200, 404, 404, 404, 404, 404, 404],
    "supporter": [404, 200, 404, 404, 404, 404, 404],
    "organiser": [404, 200, 200, 200, 200, 200, 404],  # organiser of the group's activity
    "other_organiser": [404, 200, 200, 404, 404, 404, 404],
    "professional_no_2fa": [404, TWO_FA, TWO_FA, TWO_FA, TWO_FA, TWO_FA, 404],
    "professional": [404, 200, 200, 200, 200, 200, 404],  # started the group
    "other_professional": [404, 200, 200, 404, 404, 404, 404],
    "coordinator": [404, 200, 200, 200, 200, 200, 200],
    "outsider": [404, 404, 404, 404, 404, 404, 404],
}


def urls(world: World) -> dict[str, str]:
    uid = world.group.uid
    return {
        "mine": f"{A}/mijn-groep/",
        "list": f"{A}/groepen/",
        "new": f"{A}/groepen/nieuw/",
        "detail": f"{A}/groepen/{uid}/",
        "edit": f"{A}/groepen/{uid}/bewerken/",
        "end": f"{A}/groepen/{uid}/stoppen/",
        "signals": f"{A}/beheer/groepen/",
    }


@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(world: World, client_as: Callable[[str], Client], name: str) -> None:
    client = client_as(name)
    for page, expected in zip(PAGES, MATRIX[name], strict=True):
        url = urls(world)[page]
        response = client.get(url)
        if expected == LOGIN:
            assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/"), url
        elif expected == TWO_FA:
            assert response.status_code == 302 and "tweede-stap" in response["Location"], url
        else:
            assert response.status_code == expected, (name, url)


def test_another_municipalitys_group_is_not_found(world: World, client_as: Callable[[str], Client]) -> None:
    coordinator = client_as("coordinator")
    assert coordinator.get(f"{A}/groepen/{world.beta_group.uid}/").status_code == 404
    # and B's coordinator-less outsider sees nothing of A under B's slug either
    assert client_as("outsider").get(f"/betastad/groepen/{world.group.uid}/").status_code == 404


# --- the resident's page ---------------------------------------------------------------------------


def test_resident_sees_fellow_members_first_names_only(world: World, client_as: Callable[[str], Client]) -> None:
    page = client_as("resident").get(f"{A}/mijn-groep/").content.decode()
    assert "Wandelgroep Oude Haven" in page
    assert "Kees" in page and "van Dam" not in page  # first name only
    assert "Bea" in page and "(jij)" in page
    # Kees's name was read by someone else: one audit entry, by key, purpose contact.
    entry = AuditEntry.objects.get(action="read", record_ref=str(world.kees.key))
    assert (entry.actor, entry.purpose, entry.detail["as"]) == (world.personas.resident, "contact", "member")
    assert not AuditEntry.objects.filter(action="read", record_ref=str(world.bea.key)).exists()  # own name


def test_a_member_without_contact_consent_is_not_named(world: World, client_as: Callable[[str], Client]) -> None:
    people_services.consent_revoke(actor=None, profile=world.kees, purpose="contact")
    page = client_as("resident").get(f"{A}/mijn-groep/").content.decode()
    assert "Kees" not in page
    assert "Een lid (naam niet zichtbaar)" in page


def test_resident_joins_and_leaves(world: World, client_as: Callable[[str], Client]) -> None:
    other_group = Group.objects.create(municipality=world.a, name="Breiclub", capacity=5)
    other_group.activities.set([world.koffie])
    client = client_as("other_resident")  # Betty, contact consent, no group yet
    page = client.get(f"{A}/mijn-groep/").content.decode()
    assert "Je zit nog niet in een groep." in page
    assert "Nog 5 plekken vrij." in page and "Nog 8 plekken vrij." in page  # Breiclub 5-0, Wandelgroep 10-2
    assert client.get(f"{A}/mijn-groep/{other_group.uid}/meedoen/").status_code == 200  # confirm page
    response = client.post(f"{A}/mijn-groep/{other_group.uid}/meedoen/")
    assert response.status_code == 302
    assert Membership.objects.filter(group=other_group, profile=world.betty, left_at__isnull=True).exists()
    response = client.post(f"{A}/mijn-groep/{other_group.uid}/stoppen/")
    assert response.status_code == 302
    assert not Membership.objects.filter(group=other_group, profile=world.betty, left_at__isnull=True).exists()
    # Leaving a group you are not in is a 404.
    assert client.post(f"{A}/mijn-groep/{other_group.uid}/stoppen/").status_code == 404


def test_joining_a_full_group_says_so(world: World, client_as: Callable[[str], Client]) -> None:
    world.group.capacity = 2
    world.group.save()
    response = client_as("other_resident").post(f"{A}/mijn-groep/{world.group.uid}/meedoen/")
    assert response.status_code == 400
    assert "De groep is vol: er kunnen hoogstens 2 mensen in." in response.content.decode()


def test_without_contact_consent_a_resident_is_told_why(world: World, client_as: Callable[[str], Client]) -> None:
    people_services.consent_revoke(actor=None, profile=world.betty, purpose="contact")
    client = client_as("other_resident")
    page = client.get(f"{A}/mijn-groep/").content.decode()
    assert "Meedoen in een groep kan alleen als je toestemming geeft voor contact." in page
    response = client.post(f"{A}/mijn-groep/{world.group.uid}/meedoen/")
    assert response.status_code == 400
    assert "alleen met toestemming voor contact" in response.content.decode()


def test_an_ended_group_cannot_be_joined(world: World, client_as: Callable[[str], Client]) -> None:
    world.group.status, world.group.ended_at = GroupStatus.ENDED, timezone.now()
    world.group.save()
    assert client_as("other_resident").post(f"{A}/mijn-groep/{world.group.uid}/meedoen/").status_code == 404


# --- the managers' pages ---------------------------------------------------------------------------


def test_manager_sees_full_names_and_manages_members(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("organiser")
    detail = f"{A}/groepen/{world.group.uid}/"
    page = client.get(detail).content.decode()
    assert "Bea Jansen" in page and "Kees van Dam" in page
    assert AuditEntry.objects.filter(action="read", record_ref=str(world.bea.key), detail__as="manager").exists()

    # Add Ali by key, as trekker.
    response = client.post(f"{detail}leden/", {"key": str(world.ali.key), "role": "trekker"})
    assert response.status_code == 302
    ali = Membership.objects.get(group=world.group, profile=world.ali, left_at__isnull=True)
    assert ali.role == MemberRole.TREKKER
    # A wrong key and a key without contact consent are explained.
    response = client.post(f"{detail}leden/", {"key": "3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f", "role": "member"})
    assert response.status_code == 400 and "geen bewoner met deze sleutel" in response.content.decode()
    response = client.post(f"{detail}leden/", {"key": str(world.noor.key), "role": "member"})
    assert response.status_code == 400 and "toestemming voor contact" in response.content.decode()
    # B's profile is not found by its key here.
    response = client.post(f"{detail}leden/", {"key": str(world.bob.key), "role": "member"})
    assert response.status_code == 400 and "geen bewoner met deze sleutel" in response.content.decode()

    # Make Ali an ordinary member, then remove her.
    client.post(f"{detail}leden/{ali.pk}/", {"action": "member"})
    assert Membership.objects.get(pk=ali.pk).role == MemberRole.MEMBER
    client.post(f"{detail}leden/{ali.pk}/", {"action": "remove"})
    assert Membership.objects.get(pk=ali.pk).left_at is not None
    # A membership of another group cannot be changed through this group.
    beta_member = Membership.objects.filter(profile=world.kees).first()
    assert beta_member is not None
    other = Group.objects.create(municipality=world.a, name="Ander", created_by=world.other_professional)
    assert client.post(f"{A}/groepen/{other.uid}/leden/{beta_member.pk}/", {"action": "remove"}).status_code == 404


def test_start_a_group_with_mistakes_first(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("organiser")
    response = client.post(f"{A}/groepen/nieuw/", {"name": "", "capacity": "0", "status": "forming"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul een naam in." in page
    assert "Kies minstens één activiteit." in page
    assert "Vul een getal in van 1 of meer." in page
    # An organiser sees only their own organisation's activities, and no guide field.
    assert "Koffie-ochtend" in page and "Voetbal voor iedereen" not in page
    assert 'name="guide"' not in page
    # Choosing the other organisation's activity anyway is refused.
    response = client.post(
        f"{A}/groepen/nieuw/", {"name": "Voetbal", "activities": [str(world.voetbal.uid)], "capacity": "8"}
    )
    assert response.status_code == 400
    response = client.post(
        f"{A}/groepen/nieuw/",
        {"name": "Koffieclub", "activities": [str(world.koffie.uid)], "capacity": "8", "status": "forming"},
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Koffieclub")
    assert response["Location"] == f"{A}/groepen/{group.uid}/"
    assert group.created_by == world.socialmap.organiser


def test_professional_searches_activities_and_picks_a_guide(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("professional")
    page = client.get(f"{A}/groepen/nieuw/?zoek=voetbal").content.decode()
    assert "Voetbal voor iedereen" in page
    assert "Eva Ervaring" in page  # peer expert
    assert "Mo Maatje" not in page  # an ordinary maatje is no guide
    response = client.post(
        f"{A}/groepen/nieuw/?zoek=voetbal",
        {
            "name": "Voetbalvrienden",
            "activities": [str(world.voetbal.uid)],
            "guide": str(world.peer_user.pk),
            "neighbourhood": world.personas.neighbourhood_a.code,
            "capacity": "10",
            "status": "active",
        },
    )
    assert response.status_code == 302
    group = Group.objects.get(name="Voetbalvrienden")
    assert (group.guide, group.neighbourhood, group.status) == (
        world.peer_user,
        world.personas.neighbourhood_a,
        "active",
    )


def test_edit_and_end_a_group(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("professional")
    base = f"{A}/groepen/{world.group.uid}/"
    response = client.post(
        f"{base}bewerken/",
        {"name": "Wandelgroep", "activities": [str(world.koffie.uid)], "capacity": "1", "status": "active"},
    )
    assert response.status_code == 400
    assert "De groep heeft al 2 leden. Kies minstens 2." in response.content.decode()
    response = client.post(
        f"{base}bewerken/",
        {"name": "Wandelgroep", "activities": [str(world.koffie.uid)], "capacity": "6", "status": "active"},
    )
    assert response.status_code == 302
    world.group.refresh_from_db()
    assert (world.group.name, world.group.capacity) == ("Wandelgroep", 6)
    assert client.post(f"{base}stoppen/").status_code == 302
    world.group.refresh_from_db()
    assert world.group.status == GroupStatus.ENDED
    assert client.get(f"{base}bewerken/").status_code == 404


def test_coordinator_sees_signals_without_names(world: World, client_as: Callable[[str], Client]) -> None:
    page = client_as("coordinator").get(f"{A}/beheer/groepen/").content.decode()
    assert "Wandelgroep Oude Haven" in page
    assert "minder dan 5 leden" in page
    assert "Bea" not in page and "Kees" not in page
    filtered = client_as("coordinator").get(f"{A}/beheer/groepen/?signal=on").content.decode()
    assert "Wandelgroep Oude Haven" in filtered
