"""The organiser pages and the coordinator's barrier table in a real browser: accessible (axe-core)
in Dutch and in English, with the forms as a person fills them in, errors included."""

from __future__ import annotations

import datetime as dt

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.accounts.models import Role, User
from nabij.socialmap.models import AMSTERDAM, ActivityStatus, ParticipationType
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.testing.factories import (
    ActivityFactory,
    OrganisationFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from nabij.testing.personas import Personas, build_personas
from tests.browser.conftest import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password


def social_map() -> tuple[Personas, User]:
    personas = build_personas()
    a = personas.municipality_a
    with scope(municipality=a):
        catalogue_ensure_defaults(municipality=a)
        organisation = OrganisationFactory.create(municipality=a, name="Buurthuis De Linde")
        OrganisationFactory.create(municipality=a, name="Sportclub Vooruit")
        place = PlaceFactory.create(
            organisation=organisation, name="De Linde, grote zaal", neighbourhood=personas.neighbourhood_a
        )
        ActivityFactory.create(
            organisation=organisation,
            place=place,
            participation_type=ParticipationType.objects.get(code="ontmoeten"),
            title="Koffie-ochtend",
            status=ActivityStatus.PUBLISHED,
            barrier_mask=0b11,  # cost, registration
            dtstart=dt.datetime(2025, 1, 7, 10, 0, tzinfo=AMSTERDAM),
        )
    organiser = UserFactory.create(email="organisator@linde.test", display_name="Olga Organisator")
    RoleAssignmentFactory.create(user=organiser, municipality=a, role=Role.ORGANISER, organisation=organisation)
    return personas, organiser


def log_in(page: Page, user: User) -> None:
    """On the login page the protected page sent us to; with the second factor where asked."""
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")
    if page.locator("#id_token").count():
        device = TOTPDevice.objects.get(user=user)
        page.fill("#id_token", f"{totp(device.bin_key):06d}")
        page.click("form.nabij-form button[type=submit]")


def test_organiser_manages_places_and_activities(page: Page, live_server: LiveServer) -> None:
    _personas, organiser = social_map()
    base = f"{live_server.url}/alfadorp/organiseren/"
    page.goto(base)
    log_in(page, organiser)
    expect(page.locator("h1")).to_have_text("Organiseren")
    expect(page.locator("main")).to_contain_text("Koffie-ochtend")
    expect(page.locator("main")).not_to_contain_text("Sportclub Vooruit")
    assert_accessible(page, "organiser-home-nl")

    # A place, first with mistakes.
    page.get_by_role("link", name="Plek toevoegen").first.click()
    expect(page.locator("h1")).to_contain_text("Nieuwe plek")
    assert_accessible(page, "organiser-place-form-nl")
    page.fill("#id_name", "Buurtkamer Oost")
    page.select_option("#id_kind", "buurthuis")
    page.fill("#id_postcode", "12AB")
    page.fill("#id_lat", "52,09")
    page.check("#id_wheelchair_accessible_1")  # nee
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("#id_postcode_error")).to_contain_text("vier cijfers en twee letters")
    expect(page.locator("#id_lon_error")).to_contain_text("allebei")
    assert page.locator("#id_postcode").get_attribute("aria-invalid") == "true"
    assert_accessible(page, "organiser-place-form-errors-nl")
    page.fill("#id_postcode", "1234 AB")
    page.fill("#id_lon", "5,12")
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator(".utrecht-alert")).to_contain_text("De plek is toegevoegd.")
    expect(page.locator("main")).to_contain_text("Buurtkamer Oost")
    assert_accessible(page, "organiser-organisation-nl")

    # An activity, first with mistakes.
    page.get_by_role("link", name="Activiteit toevoegen").click()
    assert_accessible(page, "organiser-activity-form-nl")
    page.fill("#id_first_date", "2030-01-07")
    page.fill("#id_start_time", "14:00")
    page.check("#id_weekdays_1")  # dinsdag
    page.fill("#id_exdates", "31-02-2030")
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("#id_title_error")).to_have_text("Vul dit veld in.")
    expect(page.locator("#id_exdates_error")).to_contain_text("Regel 1 is geen datum")
    expect(page.locator("#id_participation_type_error")).to_have_text("Kies een soort deelname.")
    assert_accessible(page, "organiser-activity-form-errors-nl")
    page.fill("#id_title", "Samen koken")
    page.fill("#id_exdates", "15-01-2030")
    page.select_option("#id_place", label="Buurtkamer Oost")
    page.fill("#id_cost", "2,50")
    page.fill("#id_who_welcomes_you", "Gastheer Ali")
    page.select_option("#id_participation_type", label="Creatief")
    page.get_by_label("Gezondheid").check()
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator(".utrecht-alert")).to_contain_text("opgeslagen als concept")
    dates = page.locator("ul[aria-labelledby=next-dates-heading] li")
    expect(dates).to_have_count(5)
    expect(dates.first).to_have_text("dinsdag 8 januari 2030, 14:00")
    expect(dates.nth(1)).to_have_text("dinsdag 22 januari 2030, 14:00")  # 15 januari is skipped
    assert_accessible(page, "organiser-activity-edit-nl")
    page.get_by_role("button", name="Publiceren").click()
    expect(page.locator(".utrecht-alert")).to_contain_text("gepubliceerd")

    # The drempelscan: derived answers are filled in; the result gives advice.
    page.get_by_role("link", name="Drempelscan doen").click()
    expect(page.locator("#id_barrier_cost_0")).to_be_checked()
    assert_accessible(page, "organiser-drempelscan-nl")
    page.check("#id_barrier_crowded_0")
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("h1")).to_contain_text("Uitslag van de drempelscan")
    expect(page.locator("main")).to_contain_text("Meedoen kost nu € 2,50.")
    assert_accessible(page, "organiser-drempelscan-result-nl")
    page.get_by_role("link", name="Geschiedenis van het drempelprofiel").click()
    expect(page.locator("table")).to_contain_text("Olga Organisator")
    assert_accessible(page, "organiser-history-nl")
    history_url = page.url

    # The same pages in English.
    switch_language(page, "en")
    assert_accessible(page, "organiser-history-en")
    activity_url = history_url.removesuffix("geschiedenis/")
    for name, url in [
        ("organiser-home-en", base),
        ("organiser-activity-edit-en", activity_url),
        ("organiser-drempelscan-en", f"{activity_url}drempelscan/"),
        ("organiser-drempelscan-result-en", f"{activity_url}drempelscan/uitslag/"),
    ]:
        page.goto(url)
        assert_accessible(page, name)
    page.goto(base)
    page.get_by_role("link", name="Buurtkamer Oost").click()
    page.fill("#id_postcode", "0000 AA")
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("#id_postcode_error")).to_be_visible()
    assert_accessible(page, "organiser-place-form-errors-en")


def test_coordinator_reads_the_barrier_table(page: Page, live_server: LiveServer) -> None:
    personas, _organiser = social_map()
    page.goto(f"{live_server.url}/alfadorp/beheer/drempeltabel/")
    log_in(page, personas.coordinator)
    expect(page.locator("h1")).to_have_text("Drempeltabel")
    table = page.locator("table")
    expect(table.locator("caption")).to_contain_text("Mensen met een ernstige psychische aandoening (EPA)")
    # The one published activity has cost and registration: two barriers for epa.
    first_row = table.locator("tbody tr").first
    expect(first_row.locator("th")).to_have_text("Ontmoeten")
    assert first_row.locator("td").all_text_contents() == ["0", "0", "1", "0", "0", "1"]
    assert_accessible(page, "barrier-table-nl")
    page.fill("#id_date", "2024-01-01")
    page.select_option("#id_area", label="Oude Haven")
    page.click("form.nabij-filter button[type=submit]")
    expect(table.locator("caption")).to_contain_text("buurt Oude Haven")
    with page.expect_download() as download:
        page.get_by_role("link", name="Deze tabel downloaden als CSV-bestand").click()
    lines = download.value.path().read_text().splitlines()
    assert lines[0] == "participation_type,0,1,2,3,4+"
    assert lines[1] == "ontmoeten,0,0,1,0,0"
    switch_language(page, "en")
    assert_accessible(page, "barrier-table-en")

    # With a bad date the form says what is wrong.
    page.goto(f"{live_server.url}/alfadorp/beheer/drempeltabel/?group=epa&date=morgen")
    expect(page.locator("#id_date_error")).to_be_visible()
    assert_accessible(page, "barrier-table-error-en")


def test_coordinator_sees_all_organisations_and_the_catalogue(page: Page, live_server: LiveServer) -> None:
    personas, _organiser = social_map()
    page.goto(f"{live_server.url}/alfadorp/organiseren/")
    log_in(page, personas.coordinator)
    expect(page.locator("main")).to_contain_text("2 organisaties gevonden")
    assert_accessible(page, "organiser-home-coordinator-nl")
    page.goto(f"{live_server.url}/alfadorp/beheer/drempels/")
    page.fill("#id_group-code", "ouderen")
    page.click("form:has(input[value=target_group]) button[type=submit]")
    expect(page.locator("#id_group-name_nl_error")).to_be_visible()
    assert_accessible(page, "barrier-catalogue-errors-nl")
    switch_language(page, "en")
    assert_accessible(page, "barrier-catalogue-en")


def test_drempelscan_works_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    _personas, organiser = social_map()
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/alfadorp/organiseren/")
        log_in(page, organiser)
        page.get_by_role("link", name="Drempelscan Koffie-ochtend").click()
        page.check("#id_barrier_registration_1")  # nee
        page.click("form.nabij-form button[type=submit]")
        expect(page.locator("main")).to_contain_text("Deze activiteit heeft 1 drempel.")
    finally:
        context.close()


def test_organiser_pages_fit_a_phone(browser: Browser, live_server: LiveServer) -> None:
    _personas, organiser = social_map()
    context = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/alfadorp/organiseren/")
        log_in(page, organiser)
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(page, "organiser-home-small-nl")
        page.get_by_role("link", name="Koffie-ochtend", exact=True).click()
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(page, "organiser-activity-edit-small-nl")
    finally:
        context.close()
