"""The people pages in a real browser: the resident's own data and the professional's caseload,
profile and questionnaire, accessible (axe-core) in Dutch and in English, used as people would."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.accounts.models import User
from nabij.people import services
from nabij.people.models import LonelinessMeasurement, ResidentProfile
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.testing.personas import Personas, build_personas
from tests.browser.conftest import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password


def with_bea() -> tuple[Personas, ResidentProfile]:
    """The personas, and Bea's profile linked to the resident persona, with one measurement."""
    personas = build_personas()
    a = personas.municipality_a
    with scope(municipality=a):
        catalogue_ensure_defaults(municipality=a)
        bea = services.profile_create(
            actor=None,
            municipality=a,
            consents=[("support", "de bewoner zelf"), ("monitoring", "de bewoner zelf")],
            user=personas.resident,
            name="Bea",
            neighbourhood=personas.neighbourhood_a,
            birth_year_band="1950-1959",
            isolation_type="social_and_personal",
            barrier_mask=0b11,
            interests=["wandelen", "koken"],
            languages=["nl"],
            availability=["mo-morning", "th-afternoon"],
            preferred_types=["ontmoeten"],
        )
        services.loneliness_record(
            actor=None,
            profile=bea,
            version=6,
            answers=["ja", "nee", "ja", "ja", "nee", None],
            measured_on=dt.date(2025, 2, 3),
        )
        services.ladder_record(actor=None, profile=bea, rung=2, measured_on=dt.date(2025, 2, 3))
    return personas, bea


def log_in(page: Page, user: User) -> None:
    """On the login page a protected page sent us to; with the second factor where asked."""
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")
    if page.locator("#id_token").count():
        device = TOTPDevice.objects.get(user=user)
        page.fill("#id_token", f"{totp(device.bin_key):06d}")
        page.click("form.nabij-form button[type=submit]")


def test_resident_sees_their_data_revokes_a_consent_and_reaches_erasure(page: Page, live_server: LiveServer) -> None:
    personas, _bea = with_bea()
    page.goto(f"{live_server.url}/alfadorp/mijn-gegevens/")
    log_in(page, personas.resident)
    expect(page.locator("h1")).to_have_text("Mijn gegevens")
    main = page.locator("main")
    expect(main).to_contain_text("Oude Haven")
    expect(main).to_contain_text("wandelen, koken")
    # 6 items, the last one missing: leegte ja 1, narigheid nee 1, vertrouwen ja 0, mis mensen ja 1,
    # nauw verbonden nee 1 → 4 over the answered five: matig.
    expect(main.locator("#loneliness-caption + thead + tbody")).to_contain_text("matig eenzaam")
    assert_accessible(page, "people-my-data-nl")

    # Revoke the consent for support, without JavaScript-only controls: a form per purpose.
    page.get_by_role("button", name=re.compile(r"^Intrekken\W+steun en koppelen aan een maatje$")).click()
    expect(page.locator(".nabij-messages")).to_contain_text("Dat geldt meteen.")
    expect(
        page.get_by_role("button", name=re.compile(r"^Toestemming geven\W+steun en koppelen aan een maatje$"))
    ).to_be_visible()
    assert_accessible(page, "people-my-data-revoked-nl")

    switch_language(page, "en")
    assert_accessible(page, "people-my-data-en")

    page.get_by_role("link", name="Delete my data").click()
    expect(page.locator("h1")).to_have_text("Do you really want to delete your data?")
    assert_accessible(page, "people-confirm-erase-en")
    switch_language(page, "nl")
    assert_accessible(page, "people-confirm-erase-nl")
    expect(page.locator("h1")).to_contain_text("wissen")


def test_professional_caseload_profile_and_questionnaire(page: Page, live_server: LiveServer) -> None:
    personas, bea = with_bea()
    page.goto(f"{live_server.url}/alfadorp/werk/bewoners/")
    log_in(page, personas.professional)
    expect(page.locator("h1")).to_have_text("Bewoners")
    expect(page.locator("main table")).to_contain_text("Bea")
    assert_accessible(page, "people-caseload-nl")
    switch_language(page, "en")
    assert_accessible(page, "people-caseload-en")
    switch_language(page, "nl")

    page.get_by_role("link", name="Bea").click()
    expect(page.locator("h1")).to_have_text("Bea")
    expect(page.locator("main")).to_contain_text("Je bekijkt dit profiel voor: steun en koppelen aan een maatje.")
    assert_accessible(page, "people-profile-nl")
    switch_language(page, "en")
    assert_accessible(page, "people-profile-en")
    switch_language(page, "nl")

    page.get_by_role("link", name="Vragenlijst eenzaamheid (11 vragen)").click()
    expect(page.locator("h1")).to_contain_text("11 vragen")
    assert_accessible(page, "people-questionnaire-nl")
    # The example, by clicking the radio buttons as a professional would.
    answers = ["nee", "min of meer", "nee", "ja", "ja", "nee", "min of meer", "ja", "min of meer", "nee", "ja"]
    first = page.get_by_role("group", name="1. Er is altijd wel iemand in mijn omgeving", exact=False)
    expect(first.get_by_role("radio")).to_have_count(3)  # each statement is a labelled group
    for number, answer in enumerate(answers, start=1):
        page.locator(f"input[name=answer_{number}][value='{answer}']").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".nabij-messages")).to_contain_text("Score 5: matig eenzaam.")
    with scope(municipality=personas.municipality_a):
        latest = LonelinessMeasurement.objects.filter(profile=bea, version=11).get()
    assert (latest.total, latest.emotional, latest.social) == (5, 3, 2)
    assert_accessible(page, "people-profile-after-questionnaire-nl")

    page.goto(f"{live_server.url}/alfadorp/werk/bewoners/{bea.key}/eenzaamheid/?doel=support&versie=6")
    switch_language(page, "en")
    assert_accessible(page, "people-questionnaire-6-en")


def test_professional_creates_a_profile_and_sees_the_errors(page: Page, live_server: LiveServer) -> None:
    personas, _bea = with_bea()
    page.goto(f"{live_server.url}/alfadorp/werk/bewoners/nieuw/")
    log_in(page, personas.professional)
    expect(page.locator("h1")).to_have_text("Nieuwe bewoner inschrijven")
    assert_accessible(page, "people-create-nl")
    page.fill("#id_name", "Henk")
    page.get_by_role("button", name="Profiel maken").click()
    expect(page.locator("main")).to_contain_text("Kies minstens één doel. Zonder toestemming maken we geen profiel.")
    assert_accessible(page, "people-create-errors-nl")
    page.get_by_label("steun en koppelen aan een maatje").check()
    page.get_by_label("Ik heb uitgelegd wat we opslaan en waarvoor").check()
    page.get_by_role("button", name="Profiel maken").click()
    expect(page.locator("h1")).to_have_text("Henk")
    switch_language(page, "en")
    assert_accessible(page, "people-created-en")
