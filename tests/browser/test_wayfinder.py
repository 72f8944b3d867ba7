"""The wayfinder, the search list and the activity page in Chromium: accessible, keyboard, no JS."""

from __future__ import annotations

import datetime as dt

import pytest
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.socialmap import catalogue
from nabij.socialmap.models import AMSTERDAM, Activity, ParticipationType, Theme
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.testing.factories import ActivityFactory, OrganisationFactory, PlaceFactory
from nabij.testing.personas import build_personas
from tests.browser.conftest import CHROMIUM, assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BIT = {d.code: d.bit for d in catalogue.DEFAULT_BARRIERS}


def build_offer() -> Activity:
    """Three activities in Alfadorp; returns the coffee morning (no barriers, Tuesdays)."""
    personas = build_personas()
    a = personas.municipality_a
    with scope(municipality=a):
        catalogue_ensure_defaults(municipality=a)
        Theme.objects.create(municipality=a, code="koken", label_nl="Koken", label_en="Cooking")
        org = OrganisationFactory.create(municipality=a, name="Buurthuis De Linde")
        types = {t.code: t for t in ParticipationType.objects.all()}
        here = PlaceFactory.create(
            organisation=org,
            name="De Linde",
            postcode="3011 AB",
            lat=52.0,
            lon=4.0,
            neighbourhood=personas.neighbourhood_a,
        )
        there = PlaceFactory.create(organisation=org, name="Sporthal Oost", postcode="3012 CD", lat=52.01, lon=4.0)
        coffee = ActivityFactory.create(
            organisation=org,
            place=here,
            participation_type=types["ontmoeten"],
            title="Koffieochtend",
            action_perspective="warme_plek",
            what_to_expect="Koffie, thee en een praatje.",
            contact_phone="010 123 45 67",
        )
        ActivityFactory.create(
            organisation=org,
            place=there,
            participation_type=types["bewegen"],
            title="Zaalvoetbal",
            description="Voetballen in de sporthal.",
            barrier_mask=(1 << BIT["cost"]) | (1 << BIT["registration"]),
            cost_cents=500,
            registration_required=True,
            dtstart=dt.datetime(2025, 1, 9, 19, 0, tzinfo=AMSTERDAM),
            rrule="FREQ=WEEKLY;BYDAY=TH",
        )
        ActivityFactory.create(
            organisation=org,
            place=None,
            participation_type=types["creatief"],
            title="Online tekenen",
            description="Samen tekenen via een videogesprek.",
            who_welcomes_you="",
            barrier_mask=(1 << BIT["no_host"]) | (1 << BIT["digital"]),
            dtstart=dt.datetime(2025, 1, 10, 14, 0, tzinfo=AMSTERDAM),
            rrule="FREQ=WEEKLY;BYDAY=FR",
        )
    return coffee


def test_wayfinder_by_keyboard_is_accessible_in_dutch_and_english(page: Page, live_server: LiveServer) -> None:
    build_offer()
    page.goto(f"{live_server.url}/alfadorp/wegwijzer/")
    assert_accessible(page, "wayfinder-1-what-nl")
    # Keyboard only: tab to the first option, tick it with the space bar, submit with Enter.
    page.get_by_label("Ontmoeten").focus()
    page.keyboard.press("Space")
    page.get_by_label("Bewegen").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Volgende vraag").press("Enter")
    assert page.url.endswith("/alfadorp/wegwijzer/drempels/")
    assert_accessible(page, "wayfinder-2-barriers-nl")
    page.get_by_label("Kost geld").focus()
    page.keyboard.press("Space")
    with page.expect_navigation():
        page.get_by_role("button", name="Volgende vraag").press("Enter")
    assert_accessible(page, "wayfinder-3-where-nl")
    page.get_by_label("Of: wat is je postcode?").fill("9999 ZZ")
    with page.expect_navigation():
        page.get_by_label("Of: wat is je postcode?").press("Enter")
    expect(page.get_by_text("We kennen deze postcode niet in Alfadorp.")).to_be_visible()
    assert_accessible(page, "wayfinder-3-where-error-nl")
    page.get_by_label("Of: wat is je postcode?").fill("3011 AB")
    with page.expect_navigation():
        page.get_by_role("button", name="Laat zien wat bij mij past").press("Enter")
    assert page.url.endswith("/alfadorp/wegwijzer/voor-jou/")
    cards = page.locator(".nabij-card h3")
    expect(cards).to_have_text(["Koffieochtend", "Zaalvoetbal"])
    expect(page.locator(".nabij-card").first.locator(".nabij-badge--free")).to_have_text("✓ Geen drempels voor jou")
    assert_accessible(page, "wayfinder-4-list-nl")

    page.get_by_role("link", name="Weekkalender").click()
    expect(page.get_by_role("heading", name="Gevonden", exact=True)).to_have_count(0)
    assert_accessible(page, "wayfinder-4-week-nl")
    page.get_by_role("link", name="Kaart").click()
    expect(page.locator(".leaflet-marker-icon")).to_have_count(2)
    assert_accessible(page, "wayfinder-4-map-nl")

    switch_language(page, "en")
    assert_accessible(page, "wayfinder-4-map-en")
    page.locator('a[href="?weergave=lijst"]').click()
    expect(page.locator(".nabij-card").first.locator(".nabij-badge--free")).to_have_text("✓ No barriers for you")
    assert_accessible(page, "wayfinder-4-list-en")
    for step, name in (("", "1-what"), ("drempels/", "2-barriers"), ("waar/", "3-where")):
        page.goto(f"{live_server.url}/alfadorp/wegwijzer/{step}")
        assert_accessible(page, f"wayfinder-{name}-en")


def test_wayfinder_and_search_work_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    if not CHROMIUM.exists():
        pytest.skip("no Chromium")
    build_offer()
    context = browser.new_context(locale="nl-NL", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{live_server.url}/alfadorp/wegwijzer/")
    page.get_by_label("Creatief").check()
    page.get_by_role("button", name="Volgende vraag").click()
    page.get_by_label("Niemand die je ontvangt").check()
    page.get_by_role("button", name="Volgende vraag").click()
    page.get_by_role("button", name="Laat zien wat bij mij past").click()
    expect(page.locator(".nabij-card h3")).to_have_text(["Online tekenen"])
    expect(page.get_by_text("1 drempel voor jou:")).to_be_visible()

    page.goto(f"{live_server.url}/alfadorp/activiteiten/")
    page.get_by_label("Zoek op woord").fill("voetbal")
    page.get_by_role("button", name="Zoeken", exact=True).click()
    expect(page.locator(".nabij-card h3")).to_have_text(["Zaalvoetbal"])
    context.close()


def test_search_list_and_activity_page_are_accessible(page: Page, live_server: LiveServer) -> None:
    coffee = build_offer()
    page.goto(f"{live_server.url}/alfadorp/activiteiten/")
    assert_accessible(page, "activity-list-nl")
    page.get_by_label("Dichtbij eerst", exact=False).count()  # the sort select exists
    page.goto(f"{live_server.url}/alfadorp/activiteiten/?sort=distance")
    expect(page.get_by_text("Geef een postcode om de afstand te meten.")).to_be_visible()
    assert_accessible(page, "activity-list-error-nl")
    page.goto(f"{live_server.url}/alfadorp/activiteiten/{coffee.uid}/")
    expect(page.get_by_role("heading", name="Koffieochtend")).to_be_visible()
    assert_accessible(page, "activity-detail-nl")
    switch_language(page, "en")
    assert_accessible(page, "activity-detail-en")
    page.goto(f"{live_server.url}/alfadorp/activiteiten/")
    assert_accessible(page, "activity-list-en")
