"""The public pages: the wayfinder's steps, the search list and the activity page (JSON-LD)."""

from __future__ import annotations

import datetime as dt
import json
import re
from dataclasses import dataclass

import pytest
from django.test import Client
from django.urls import reverse
from django_scopes import scope

from nabij.core.models import AuditEntry
from nabij.socialmap import catalogue
from nabij.socialmap.models import AMSTERDAM, Activity, ParticipationType
from nabij.socialmap.wayfinder import SESSION_KEY
from nabij.testing.factories import ActivityFactory, OrganisationFactory, PlaceFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

BIT = {d.code: d.bit for d in catalogue.DEFAULT_BARRIERS}


@dataclass
class Offer:
    coffee: Activity  # no barriers, Tuesday 10:00, 3011 AB
    sport: Activity  # costs money, Thursday 19:00, further away
    draft: Activity
    other: Activity  # municipality B's


@pytest.fixture
def offer(socialmap: SocialMap, personas: Personas) -> Offer:
    a = personas.municipality_a
    org = socialmap.organisation
    types = {t.code: t for t in ParticipationType.objects.filter(municipality=a)}
    here = PlaceFactory.create(
        organisation=org, name="Buurthuis De Linde", postcode="3011 AB", lat=52.0, lon=4.0, street="Lindelaan"
    )
    there = PlaceFactory.create(organisation=org, name="Sporthal Oost", postcode="3012 CD", lat=52.01, lon=4.0)
    coffee = ActivityFactory.create(
        organisation=org,
        place=here,
        participation_type=types["ontmoeten"],
        title="Koffieochtend",
        action_perspective="warme_plek",
        who_welcomes_you="Gastvrouw Anja",
    )
    sport = ActivityFactory.create(
        organisation=org,
        place=there,
        participation_type=types["bewegen"],
        title="Zaalvoetbal",
        description="Voetballen in de sporthal.",
        barrier_mask=1 << BIT["cost"],
        cost_cents=500,
        dtstart=dt.datetime(2025, 1, 9, 19, 0, tzinfo=AMSTERDAM),
        rrule="FREQ=WEEKLY;BYDAY=TH",
    )
    draft = ActivityFactory.create(organisation=org, place=here, participation_type=types["ontmoeten"], status="draft")
    with scope(municipality=personas.municipality_b):
        b_org = OrganisationFactory.create(municipality=personas.municipality_b)
        other = ActivityFactory.create(
            organisation=b_org,
            participation_type=ParticipationType.objects.get(municipality=personas.municipality_b, code="ontmoeten"),
            title="Koffie in Betastad",
        )
    return Offer(coffee=coffee, sport=sport, draft=draft, other=other)


def url(name: str, *args: object) -> str:
    return reverse(f"socialmap:{name}", args=["alfadorp", *args])


def titles(html: str) -> list[str]:
    return re.findall(r'<h3 class="utrecht-heading-3 nabij-card__title"[^>]*><a [^>]*>([^<]+)</a>', html)


def test_the_three_steps_lead_to_results(client: Client, offer: Offer) -> None:
    assert client.get(url("wayfinder")).status_code == 200
    response = client.post(url("wayfinder"), {"types": ["ontmoeten", "bewegen"]})
    assert response.headers["Location"] == url("wayfinder_barriers")
    response = client.post(url("wayfinder_barriers"), {"barriers": ["cost"]})
    assert response.headers["Location"] == url("wayfinder_where")
    response = client.post(url("wayfinder_where"), {"postcode": "3011ab", "distance": "2000"})
    assert response.headers["Location"] == url("wayfinder_results")
    page = client.get(url("wayfinder_results")).content.decode()
    # The coffee morning has no barriers and is nearer: first; the sport costs money.
    assert titles(page) == ["Koffieochtend", "Zaalvoetbal"]
    assert "Geen drempels voor jou" in page
    assert "1 drempel voor jou:" in page and "Kost geld" in page
    assert "Gastvrouw Anja" in page


def test_answers_stay_in_the_session_only(client: Client, offer: Offer) -> None:
    audit_entries = AuditEntry.objects.count()
    client.post(url("wayfinder_barriers"), {"barriers": ["cost", "crowded"]})
    assert client.session[SESSION_KEY][str(offer.coffee.municipality_id)]["barriers"] == ["cost", "crowded"]
    assert AuditEntry.objects.count() == audit_entries
    client.post(url("wayfinder_reset"))
    assert client.session[SESSION_KEY] == {}


def test_unknown_postcode_and_bad_input_are_explained(client: Client, offer: Offer) -> None:
    response = client.post(url("wayfinder_where"), {"postcode": "9999 ZZ"})
    assert response.status_code == 200
    assert "We kennen deze postcode niet in Alfadorp. Kies dan je buurt." in response.content.decode()
    response = client.post(url("wayfinder_where"), {"postcode": "12"})
    assert "Vul een postcode in zoals 3072 AB, of alleen de vier cijfers." in response.content.decode()
    response = client.post(url("wayfinder_where"), {"distance": "1000"})
    assert "Geef je buurt of postcode, dan kunnen we de afstand meten." in response.content.decode()
    response = client.post(url("wayfinder_barriers"), {"barriers": ["vliegen"]})
    assert response.status_code == 200 and "utrecht-form-field-error-message" in response.content.decode()


def test_a_four_digit_postcode_and_a_neighbourhood_work_too(client: Client, offer: Offer, personas: Personas) -> None:
    response = client.post(url("wayfinder_where"), {"postcode": "3012"})
    assert response.status_code == 302
    state = client.session[SESSION_KEY][str(offer.coffee.municipality_id)]
    assert (state["lat"], state["lon"]) == (52.01, 4.0)
    client.post(url("wayfinder_where"), {"neighbourhood": personas.neighbourhood_a.code})
    state = client.session[SESSION_KEY][str(offer.coffee.municipality_id)]
    assert (state["lat"], state["lon"]) == (
        personas.neighbourhood_a.centroid_lat,
        personas.neighbourhood_a.centroid_lon,
    )


def test_map_and_week_views(client: Client, offer: Offer) -> None:
    page = client.get(url("wayfinder_results") + "?weergave=kaart").content.decode()
    data = json.loads(re.search(r'<script id="nabij-map-data" type="application/json">(.*?)</script>', page).group(1))  # type: ignore[union-attr]
    assert {m["title"] for m in data["markers"]} == {"Koffieochtend", "Zaalvoetbal"}
    assert "vendor/leaflet/leaflet.js" in page
    # ISO week 2026-W02: Monday 5 January 2026; the coffee morning is on Tuesday the 6th at 10:00.
    page = client.get(url("wayfinder_results") + "?weergave=week&week=2026-W02").content.decode()
    assert '<time datetime="2026-01-06T10:00:00+01:00">10:00</time>' in page
    assert '<time datetime="2026-01-08T19:00:00+01:00">19:00</time>' in page
    assert "2026-W01" in page and "2026-W03" in page


def test_search_list_filters(client: Client, offer: Offer) -> None:
    assert titles(client.get(url("activity_list")).content.decode()) == ["Koffieochtend", "Zaalvoetbal"]
    assert titles(client.get(url("activity_list"), {"type": "bewegen"}).content.decode()) == ["Zaalvoetbal"]
    assert titles(client.get(url("activity_list"), {"without": "cost"}).content.decode()) == ["Koffieochtend"]
    assert titles(client.get(url("activity_list"), {"q": "koffie"}).content.decode()) == ["Koffieochtend"]
    assert titles(client.get(url("activity_list"), {"day": "4"}).content.decode()) == ["Zaalvoetbal"]
    page = client.get(url("activity_list"), {"postcode": "3012 CD", "sort": "distance"}).content.decode()
    assert titles(page) == ["Zaalvoetbal", "Koffieochtend"]


def test_search_list_explains_bad_input(client: Client, offer: Offer) -> None:
    page = client.get(url("activity_list"), {"type": "dansen"}).content.decode()
    assert "Selecteer een geldige keuze" in page or "Select a valid choice" in page
    page = client.get(url("activity_list"), {"sort": "distance"}).content.decode()
    assert "Geef een postcode om de afstand te meten." in page


def test_activity_page_with_json_ld(client: Client, offer: Offer) -> None:
    response = client.get(url("activity_detail", offer.coffee.uid))
    page = response.content.decode()
    data = json.loads(re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S).group(1))  # type: ignore[union-attr]
    assert data["@type"] == "Event" and data["name"] == "Koffieochtend"
    assert data["startDate"] == offer.coffee.next_occurrences(1)[0].isoformat()
    assert data["eventSchedule"]["byDay"] == ["https://schema.org/Tuesday"]
    assert data["eventSchedule"]["repeatFrequency"] == "P1W"
    assert data["location"]["address"]["postalCode"] == "3011 AB"
    assert data["isAccessibleForFree"] is True
    # The dates on the page are the activity's next occurrences.
    shown = re.findall(r'<time datetime="([^"]+)">', page)
    assert shown == [moment.isoformat() for moment in offer.coffee.next_occurrences(5)]
    assert url("activity_ical", offer.coffee.uid) in page


def test_activity_page_shows_your_barriers(client: Client, offer: Offer) -> None:
    client.post(url("wayfinder_barriers"), {"barriers": ["cost"]})
    assert (
        "Hier is 1 drempel voor jou: kost geld." in client.get(url("activity_detail", offer.sport.uid)).content.decode()
    )
    assert "Geen drempels voor jou" in client.get(url("activity_detail", offer.coffee.uid)).content.decode()


def test_who_may_not_see_an_activity(client: Client, offer: Offer, outsider_client: Client) -> None:
    assert client.get(url("activity_detail", offer.draft.uid)).status_code == 404
    # Municipality B's activity does not exist under A's address, for anyone.
    assert client.get(url("activity_detail", offer.other.uid)).status_code == 404
    assert outsider_client.get(url("activity_detail", offer.other.uid)).status_code == 404
    assert "Koffie in Betastad" not in client.get(url("activity_list")).content.decode()
    assert client.get(reverse("socialmap:activity_list", args=["onbekend"])).status_code == 404


def test_english(client: Client, offer: Offer) -> None:
    client.cookies["django_language"] = "en"
    page = client.get(url("wayfinder")).content.decode()
    assert 'lang="en"' in page
