"""The support API: what it answers, and who may not call it (404 for anyone without the role in
this municipality, 403 problem for a coordinator without the second factor, 401 anonymous)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from nabij.core.models import AuditEntry
from nabij.support.models import ContactMoment, MatchingRound, MatchProposal, SupportRelation
from nabij.support.services import relation_create
from tests.api.helpers import API, assert_problem, bearer, token_for
from tests.support.conftest import SupportWorld

pytestmark = pytest.mark.django_db

BASE = f"{API}/municipalities/GM0001"


def test_a_round_through_the_api(support: SupportWorld, coordinator_client: Client) -> None:
    support.make_profile("Fatima")
    response = coordinator_client.post(
        f"{BASE}/matching-rounds", {"max_distance_m": 2000}, content_type="application/json"
    )
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["status"] == "proposed" and body["rules"]["max_distance_m"] == 2000
    assert body["stats"]["proposals"] == 1 and body["progress"] == 100
    round_id = body["id"]
    assert coordinator_client.get(f"{BASE}/matching-rounds/{round_id}").json()["id"] == round_id
    assert coordinator_client.get(f"{BASE}/matching-rounds").json()["count"] == 1
    proposals = coordinator_client.get(f"{BASE}/matching-rounds/{round_id}/proposals").json()
    assert proposals["count"] == 1
    proposal = proposals["results"][0]
    assert (proposal["participant_name"], proposal["supporter_name"], proposal["cost"]) == (
        "Fatima",
        "Sanne Steun",
        2.15,
    )
    assert proposal["participant_neighbourhood"] == "BU00010101"
    assert AuditEntry.objects.filter(detail__list="proposals", actor=support.personas.coordinator).count() == 1
    confirmed = coordinator_client.post(f"{BASE}/match-proposals/{proposal['id']}/confirm")
    assert confirmed.status_code == 201
    assert confirmed.json()["status"] == "proposed"
    again = coordinator_client.post(f"{BASE}/match-proposals/{proposal['id']}/reject")
    assert_problem(again, 422, "validation-error")
    bad = coordinator_client.post(f"{BASE}/matching-rounds", {"max_distance_m": 50}, content_type="application/json")
    body = assert_problem(bad, 422, "validation-error")
    assert body["errors"][0]["location"] == ["body", "max_distance_m"]
    assert MatchingRound.objects.count() == 1  # bad input writes nothing


def test_supporters_through_the_api(support: SupportWorld, coordinator_client: Client) -> None:
    listing = coordinator_client.get(f"{BASE}/supporters").json()
    assert [s["name"] for s in listing["results"]] == ["Olaf Ander", "Sanne Steun"]
    sanne = coordinator_client.get(f"{BASE}/supporters/{support.supporter.pk}").json()
    assert (sanne["vog_valid"], sanne["neighbourhood"], sanne["languages"], sanne["lifts_mask"]) == (
        True,
        "BU00010102",
        ["nl", "ar"],
        10,
    )


def test_my_participants_and_contact_through_the_api(support: SupportWorld, supporter_client: Client) -> None:
    fatima = support.make_profile("Fatima")
    relation = relation_create(actor=None, participant=fatima, supporter=support.supporter)
    mine = supporter_client.get(f"{BASE}/me/participants").json()
    assert mine == [
        {
            "relation": relation.pk,
            "status": "proposed",
            "name": "Fatima",
            "neighbourhood": "Oude Haven",
            "last_contact": None,
            "email": None,
        }
    ]
    today = timezone.localdate().isoformat()
    response = supporter_client.post(
        f"{BASE}/support-relations/{relation.pk}/contacts",
        {"on": today, "kind": "phone", "note": "Even gebeld"},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["kind"] == "phone"
    wrong = supporter_client.post(
        f"{BASE}/support-relations/{relation.pk}/contacts",
        {"on": "2999-01-01", "kind": "phone"},
        content_type="application/json",
    )
    body = assert_problem(wrong, 422, "validation-error")
    assert body["errors"][0]["location"] == ["body", "on"]
    assert ContactMoment.objects.count() == 1


def test_who_may_not(
    support: SupportWorld,
    client: Client,
    resident_client: Client,
    supporter_client: Client,
    other_supporter_client: Client,
    organiser_client: Client,
    professional_client: Client,
    outsider_client: Client,
    coordinator_without_2fa: Client,
) -> None:
    fatima = support.make_profile("Fatima")
    relation = relation_create(actor=None, participant=fatima, supporter=support.supporter)
    SupportRelation.objects.filter(pk=relation.pk)
    support.make_profile("Amina")
    from nabij.support.services import matching_round_start

    matching_round = matching_round_start(actor=None, municipality=support.personas.municipality_a)
    proposal = MatchProposal.objects.get(round=matching_round)
    coordinator_only = [
        ("get", f"{BASE}/matching-rounds"),
        ("post", f"{BASE}/matching-rounds"),
        ("get", f"{BASE}/matching-rounds/{matching_round.pk}"),
        ("get", f"{BASE}/matching-rounds/{matching_round.pk}/proposals"),
        ("post", f"{BASE}/match-proposals/{proposal.pk}/confirm"),
        ("post", f"{BASE}/match-proposals/{proposal.pk}/reject"),
        ("get", f"{BASE}/supporters"),
        ("get", f"{BASE}/supporters/{support.supporter.pk}"),
    ]
    contact = ("post", f"{BASE}/support-relations/{relation.pk}/contacts")
    for method, url in [*coordinator_only, ("get", f"{BASE}/me/participants"), contact]:
        assert_problem(getattr(client, method)(url, {}, content_type="application/json"), 401, "not-authenticated")
    for someone in (resident_client, supporter_client, organiser_client, professional_client, outsider_client):
        for method, url in coordinator_only:
            response = getattr(someone, method)(url, {}, content_type="application/json")
            assert_problem(response, 404)
    for method, url in coordinator_only:
        response = getattr(coordinator_without_2fa, method)(url, {}, content_type="application/json")
        assert_problem(response, 403, "second-factor-required")
    # Another supporter may not log contact on Sanne's relation, nor may the coordinator.
    for someone in (other_supporter_client, resident_client, outsider_client):
        assert_problem(
            someone.post(contact[1], {"on": "2025-01-01", "kind": "phone"}, content_type="application/json"), 404
        )
    for someone in (resident_client, organiser_client, professional_client, outsider_client):
        assert_problem(someone.get(f"{BASE}/me/participants"), 404)
    # The outsider's own municipality has none of A's objects.
    key = token_for(support.personas.outsider)
    assert_problem(
        Client().get(
            f"{API}/municipalities/GM0002/matching-rounds/{matching_round.pk}",
            **{"HTTP_AUTHORIZATION": bearer(key)["Authorization"]},
        ),
        404,
    )
    assert MatchProposal.objects.get(pk=proposal.pk).decision == "pending"
    assert not ContactMoment.objects.exists()


def test_a_token_made_after_the_second_factor_stands_in_for_it(support: SupportWorld) -> None:
    key = token_for(support.personas.coordinator)
    response = Client().get(f"{BASE}/supporters", HTTP_AUTHORIZATION=bearer(key)["Authorization"])
    assert response.status_code == 200
