"""The groups API: who may list, read, join and leave, and what each sees (matrix per cell)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client

from nabij.groups.models import Membership
from nabij.people import services as people_services
from tests.api.helpers import API, assert_problem
from tests.groups.helpers import World

pytestmark = pytest.mark.django_db

BASE = f"{API}/municipalities/GM0001/groups"
LIST_AND_DETAIL: dict[str, tuple[int, int]] = {
    # name: (list, detail)
    "anonymous": (401, 401),
    "resident": (200, 200),
    "other_resident": (200, 200),
    "supporter": (200, 200),
    "organiser": (200, 200),
    "other_organiser": (200, 200),
    "professional_no_2fa": (403, 403),
    "professional": (200, 200),
    "coordinator": (200, 200),
    "outsider": (404, 404),
}
# Who sees the member list of the world's group in the detail (members and managers).
SEES_MEMBERS = {"resident", "organiser", "professional", "coordinator"}


@pytest.mark.parametrize("name", list(LIST_AND_DETAIL))
def test_matrix(world: World, client_as: Callable[[str], Client], name: str) -> None:
    client = client_as(name)
    expected_list, expected_detail = LIST_AND_DETAIL[name]
    listed = client.get(BASE)
    detail = client.get(f"{BASE}/{world.group.uid}")
    assert listed.status_code == expected_list
    assert detail.status_code == expected_detail
    if expected_detail == 200:
        body = detail.json()
        assert (body["members"] is not None) == (name in SEES_MEMBERS)
        assert listed.json()["count"] == 1  # only A's one group; B's is not there
    elif expected_detail == 403:
        assert_problem(detail, 403, "second-factor-required")


def test_what_a_member_and_a_manager_see(world: World, client_as: Callable[[str], Client]) -> None:
    as_member = client_as("resident").get(f"{BASE}/{world.group.uid}").json()
    assert as_member["members"] == [
        {"name": "Kees", "role": "trekker", "me": False, "profile": None},
        {"name": "Bea", "role": "member", "me": True, "profile": None},
    ]
    assert as_member["signals"] is None
    assert (as_member["member_count"], as_member["spots_left"], as_member["capacity"]) == (2, 8, 10)
    assert as_member["activities"] == [{"uid": str(world.koffie.uid), "title": "Koffie-ochtend"}]
    as_manager = client_as("professional").get(f"{BASE}/{world.group.uid}").json()
    assert {m["name"] for m in as_manager["members"]} == {"Kees van Dam", "Bea Jansen"}
    assert {m["profile"] for m in as_manager["members"]} == {str(world.kees.key), str(world.bea.key)}
    assert as_manager["signals"] == ["too_small"]


def test_a_group_of_another_municipality_is_not_found(world: World, client_as: Callable[[str], Client]) -> None:
    assert_problem(client_as("coordinator").get(f"{BASE}/{world.beta_group.uid}"), 404)


def test_join_and_leave_with_your_own_profile(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("other_resident")
    response = client.post(f"{BASE}/{world.group.uid}/join", content_type="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["member_count"] == 3
    assert {"name": "Betty", "role": "member", "me": True, "profile": None} in body["members"]
    response = client.post(f"{BASE}/{world.group.uid}/leave", content_type="application/json")
    assert response.status_code == 200
    assert response.json()["members"] is None  # no longer a member: no list
    assert not Membership.objects.filter(group=world.group, profile=world.betty, left_at__isnull=True).exists()


def test_a_full_group_answers_409(world: World, client_as: Callable[[str], Client]) -> None:
    world.group.capacity = 2
    world.group.save()
    response = client_as("other_resident").post(f"{BASE}/{world.group.uid}/join", content_type="application/json")
    body = assert_problem(response, 409, "group-full")
    assert "hoogstens 2" in body["detail"]


def test_joining_without_contact_consent_is_422(world: World, client_as: Callable[[str], Client]) -> None:
    people_services.consent_revoke(actor=None, profile=world.betty, purpose="contact")
    response = client_as("other_resident").post(f"{BASE}/{world.group.uid}/join", content_type="application/json")
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["location"] == ["body", "profile"]
    assert body["errors"][0]["code"] == "consent_required"


def test_without_a_profile_there_is_nothing_to_join_with(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("supporter").post(f"{BASE}/{world.group.uid}/join", content_type="application/json")
    body = assert_problem(response, 422, "validation-error")
    assert body["errors"][0]["code"] == "no_profile"


def test_only_managers_add_someone_else(world: World, client_as: Callable[[str], Client]) -> None:
    payload = {"profile": str(world.ali.key)}
    response = client_as("resident").post(f"{BASE}/{world.group.uid}/join", payload, content_type="application/json")
    assert_problem(response, 403, "permission-denied")
    response = client_as("organiser").post(f"{BASE}/{world.group.uid}/join", payload, content_type="application/json")
    assert response.status_code == 200
    assert any(m["profile"] == str(world.ali.key) for m in response.json()["members"])
    response = client_as("organiser").post(f"{BASE}/{world.group.uid}/leave", payload, content_type="application/json")
    assert response.status_code == 200
    # B's resident is unknown here.
    response = client_as("organiser").post(
        f"{BASE}/{world.group.uid}/join", {"profile": str(world.bob.key)}, content_type="application/json"
    )
    assert assert_problem(response, 422, "validation-error")["errors"][0]["code"] == "unknown"


def test_signal_filter_is_for_coordinators(world: World, client_as: Callable[[str], Client]) -> None:
    assert_problem(client_as("professional").get(f"{BASE}?signal=too_small"), 403, "permission-denied")
    body = client_as("coordinator").get(f"{BASE}?signal=too_small").json()
    assert [g["name"] for g in body["results"]] == ["Wandelgroep Oude Haven"]
    assert client_as("coordinator").get(f"{BASE}?signal=too_large").json()["count"] == 0


def test_mine(world: World, client_as: Callable[[str], Client]) -> None:
    assert client_as("resident").get(f"{BASE}?mine=true").json()["count"] == 1
    assert client_as("other_resident").get(f"{BASE}?mine=true").json()["count"] == 0
    assert client_as("other_organiser").get(f"{BASE}?mine=true").json()["count"] == 0
