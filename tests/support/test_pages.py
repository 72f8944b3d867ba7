"""The support pages: what they show and do, and who may not see them (anonymous, resident,
another supporter, an organiser, a professional, a coordinator without the second factor, the
outsider from municipality B)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from nabij.core.models import AuditEntry
from nabij.people.models import ResidentProfile
from nabij.support import services
from nabij.support.models import ContactMoment, MatchingRound, MatchProposal, RelationStatus, Supporter, SupportRelation
from tests.support.conftest import MONDAY_MORNING, SupportWorld

pytestmark = pytest.mark.django_db

A = "/alfadorp"


def relation_of(support: SupportWorld, profile: ResidentProfile, supporter: Supporter | None = None) -> SupportRelation:
    return services.relation_create(actor=None, participant=profile, supporter=supporter or support.supporter)


def coordinator_pages(support: SupportWorld) -> list[str]:
    support.make_profile("Fatima")
    matching_round = services.matching_round_start(actor=None, municipality=support.personas.municipality_a)
    proposal = MatchProposal.objects.get(round=matching_round)
    return [
        f"{A}/beheer/koppelrondes/",
        f"{A}/beheer/koppelrondes/{matching_round.pk}/",
        f"{A}/beheer/nu-koppelen/",
        f"{A}/beheer/contactsignalen/",
        f"{A}/beheer/maatjes/",
        f"{A}/beheer/maatjes/nieuw/",
        f"{A}/beheer/maatjes/{support.supporter.pk}/",
        # POST-only endpoints answer a GET with a redirect, so they are checked with POST below.
        f"{A}/beheer/koppelvoorstellen/{proposal.pk}/",
        f"{A}/beheer/koppelrondes/{matching_round.pk}/actie/",
    ]


def test_nobody_but_coordinators_reaches_the_coordinator_pages(
    support: SupportWorld,
    client: Client,
    resident_client: Client,
    supporter_client: Client,
    organiser_client: Client,
    professional_client: Client,
    professional_without_2fa: Client,
    outsider_client: Client,
    coordinator_without_2fa: Client,
    coordinator_client: Client,
) -> None:
    pages = coordinator_pages(support)
    for url in pages:
        assert client.get(url).status_code == 302 and "/account/inloggen" in client.get(url)["Location"]
        for someone in (
            resident_client,
            supporter_client,
            organiser_client,
            professional_client,
            professional_without_2fa,
            outsider_client,
        ):
            assert someone.get(url).status_code == 404, url
            assert someone.post(url, {"action": "confirm"}).status_code == 404, url
        assert "tweede-stap" in coordinator_without_2fa.get(url)["Location"]
        # The same pages under municipality B: not there for anyone of A.
        assert coordinator_client.get(url.replace(A, "/betastad")).status_code == 404
    assert MatchProposal.objects.filter(decision="pending").count() == 1  # nothing was decided
    for url in pages[:7]:
        assert coordinator_client.get(url).status_code == 200, url


def test_login_path_is_the_login_page(client: Client, support: SupportWorld) -> None:
    response = client.get(f"{A}/maatje/")
    assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/")


def test_my_participants_shows_only_mine_with_minimal_data(
    support: SupportWorld, supporter_client: Client, other_supporter_client: Client
) -> None:
    fatima = support.make_profile("Fatima", purposes=("support", "contact"))
    amina = support.make_profile("Amina")
    piet = support.make_profile("Piet", availability=MONDAY_MORNING, languages=["nl"], requires_vog=False)
    relation_of(support, fatima)
    relation_of(support, amina)
    relation_of(support, piet, support.other_supporter)
    fatima.user = support.personas.resident
    fatima.save()
    page = supporter_client.get(f"{A}/maatje/").content.decode()
    assert "Fatima" in page and "Amina" in page and "Piet" not in page
    assert "Oude Haven" in page
    # Fatima consented to contact and has an account: her e-mail shows; Amina's route is the coordinator.
    assert "bewoner@alfadorp.test" in page and page.count("Via de coördinator") == 1
    # Never more than that: no interests, languages, barriers or loneliness.
    assert "tuinieren" not in page
    entry = AuditEntry.objects.filter(record_type="people.residentprofile", detail__list="my_participants").get()
    assert (entry.actor, entry.purpose) == (support.supporter_user, "support")
    assert sorted(entry.detail["keys"]) == sorted([str(fatima.key), str(amina.key)])
    other = other_supporter_client.get(f"{A}/maatje/").content.decode()
    assert "Piet" in other and "Fatima" not in other


def test_my_participants_is_for_supporters_only(
    support: SupportWorld,
    resident_client: Client,
    coordinator_client: Client,
    outsider_client: Client,
    supporter_client: Client,
) -> None:
    for someone in (resident_client, coordinator_client, outsider_client):
        assert someone.get(f"{A}/maatje/").status_code == 404
    assert supporter_client.get("/betastad/maatje/").status_code == 404


def test_a_supporter_logs_contact_and_moves_the_relation_on(support: SupportWorld, supporter_client: Client) -> None:
    relation = relation_of(support, support.make_profile("Fatima"))
    url = f"{A}/koppelingen/{relation.pk}/"
    page = supporter_client.get(url)
    assert page.status_code == 200 and "Woont" not in page.content.decode()  # made directly: no explanation
    assert supporter_client.post(url, {"action": "advance"}).status_code == 302
    assert supporter_client.post(url, {"action": "advance"}).status_code == 302
    relation.refresh_from_db()
    assert relation.status == RelationStatus.ACTIVE and relation.started_on == timezone.localdate()
    # A contact in the future is refused, with the reason at the field; nothing is stored.
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    response = supporter_client.post(url, {"action": "contact", "contact-on": tomorrow, "contact-kind": "phone"})
    assert response.status_code == 400
    assert "Deze datum ligt in de toekomst." in response.content.decode()
    assert not ContactMoment.objects.exists()
    today = timezone.localdate().isoformat()
    response = supporter_client.post(
        url,
        {
            "action": "contact",
            "contact-on": today,
            "contact-kind": "together",
            "contact-note": "Samen naar de moestuin",
        },
    )
    assert response.status_code == 302
    moment = ContactMoment.objects.get()
    assert (moment.kind, moment.note, moment.logged_by) == (
        "together",
        "Samen naar de moestuin",
        support.supporter_user,
    )
    assert supporter_client.post(url, {"action": "end", "end-reason": "goal_reached"}).status_code == 302
    relation.refresh_from_db()
    assert (relation.status, relation.end_reason) == (RelationStatus.ENDED, "goal_reached")


def test_nobody_else_sees_or_changes_a_relation(
    support: SupportWorld,
    client: Client,
    resident_client: Client,
    other_supporter_client: Client,
    organiser_client: Client,
    professional_client: Client,
    professional_without_2fa: Client,
    outsider_client: Client,
    coordinator_client: Client,
) -> None:
    relation = relation_of(support, support.make_profile("Fatima"))
    url = f"{A}/koppelingen/{relation.pk}/"
    assert client.get(url).status_code == 302
    for someone in (
        resident_client,
        other_supporter_client,
        organiser_client,
        professional_client,
        professional_without_2fa,
        outsider_client,
    ):
        assert someone.get(url).status_code == 404
        assert someone.post(url, {"action": "advance"}).status_code == 404
    assert outsider_client.get(f"/betastad/koppelingen/{relation.pk}/").status_code == 404
    relation.refresh_from_db()
    assert relation.status == RelationStatus.PROPOSED
    # The coordinator sees it and may move it on, but logging contact is the supporter's.
    assert coordinator_client.get(url).status_code == 200
    assert (
        coordinator_client.post(
            url, {"action": "contact", "contact-on": "2025-01-01", "contact-kind": "phone"}
        ).status_code
        == 404
    )


def test_coordinator_runs_a_round_and_decides(support: SupportWorld, coordinator_client: Client) -> None:
    support.make_profile("Fatima")
    response = coordinator_client.post(f"{A}/beheer/koppelrondes/", {"max_distance_km": "3"})
    matching_round = MatchingRound.objects.get()
    assert response["Location"] == f"{A}/beheer/koppelrondes/{matching_round.pk}/"
    assert matching_round.settings["max_distance_m"] == 3000
    page = coordinator_client.get(response["Location"]).content.decode()
    assert "Fatima" in page and "Sanne Steun" in page and "spreekt Arabisch" in page
    proposal = MatchProposal.objects.get()
    assert (
        coordinator_client.post(f"{A}/beheer/koppelvoorstellen/{proposal.pk}/", {"action": "confirm"}).status_code
        == 302
    )
    assert SupportRelation.objects.get().supporter == support.supporter
    # Deciding twice is refused with a message, not an error page.
    follow = coordinator_client.post(f"{A}/beheer/koppelvoorstellen/{proposal.pk}/", {"action": "reject"}, follow=True)
    assert "Over dit voorstel is al besloten." in follow.content.decode()


def test_coordinator_finds_a_supporter_now(support: SupportWorld, coordinator_client: Client) -> None:
    fatima = support.make_profile("Fatima")
    page = coordinator_client.get(f"{A}/beheer/nu-koppelen/", {"participant": str(fatima.key)}).content.decode()
    assert "Sanne Steun" in page and "Olaf Ander" not in page.split("Passende maatjes")[1]
    response = coordinator_client.post(
        f"{A}/beheer/nu-koppelen/", {"participant": str(fatima.key), "supporter": support.supporter.pk}
    )
    relation = SupportRelation.objects.get()
    assert response["Location"] == f"{A}/koppelingen/{relation.pk}/"
    assert relation.explanation.startswith("Woont 650 m verderop")


def test_contact_signals_page(support: SupportWorld, coordinator_client: Client) -> None:
    relation = relation_of(support, support.make_profile("Fatima"))
    SupportRelation.objects.filter(pk=relation.pk).update(
        status=RelationStatus.ACTIVE, started_on=timezone.localdate() - dt.timedelta(weeks=6)
    )
    page = coordinator_client.get(f"{A}/beheer/contactsignalen/").content.decode()
    assert "Fatima" in page
    page = coordinator_client.get(f"{A}/beheer/contactsignalen/", {"weeks": "8"}).content.decode()
    assert "Fatima" not in page
    assert coordinator_client.get(f"{A}/beheer/contactsignalen/", {"weeks": "0"}).status_code == 400


def test_coordinator_adds_a_supporter_with_clear_errors(support: SupportWorld, coordinator_client: Client) -> None:
    url = f"{A}/beheer/maatjes/nieuw/"
    response = coordinator_client.post(
        url, {"name": "Nina Nieuw", "role": "buddy", "vog_status": "issued", "capacity": "2", "languages": "nl, xyz"}
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "Vul in wanneer de VOG is afgegeven." in text
    assert "Kies minstens één dagdeel." in text
    assert not Supporter.objects.filter(name="Nina Nieuw").exists()
    response = coordinator_client.post(
        url,
        {
            "name": "Nina Nieuw",
            "role": "buddy",
            "vog_status": "issued",
            "vog_issued_on": "2024-05-01",
            "capacity": "2",
            "languages": "nl, tr",
            "interests": "koken, Wandelen",
            "availability": ["mo-morning", "sa-evening"],
            "neighbourhood": support.home.pk,
            "lifts": ["no_host"],
        },
    )
    assert response.status_code == 302, response.content.decode()
    nina = Supporter.objects.get(name="Nina Nieuw")
    assert (nina.languages, nina.interests, nina.capacity) == (["nl", "tr"], ["koken", "Wandelen"], 2)
    assert nina.availability == (1 << 0) | (1 << 17)  # Monday morning; Saturday (5) x 3 + evening (2)
    assert nina.lifts_mask == 1 << 3  # no_host
