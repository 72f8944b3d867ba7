"""The group and referral pages in a real browser: accessible (axe-core) in Dutch and English,
with the forms as people fill them in, mistakes included. Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.accounts.models import User
from nabij.support.services import referrals as referral_services
from nabij.testing.factories import totp_device_for
from nabij.testing.personas import Personas
from tests.browser.conftest import assert_accessible, switch_language
from tests.conftest import SocialMap
from tests.groups.helpers import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> World:
    built = build_world(personas, socialmap)
    for user in (personas.professional, personas.coordinator):
        totp_device_for(user)
    return built


def log_in(page: Page, user: User) -> None:
    """On the login page a protected page sent us to; with the second factor where asked."""
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")
    if page.locator("#id_token").count():
        device = TOTPDevice.objects.get(user=user)
        page.fill("#id_token", f"{totp(device.bin_key):06d}")
        page.click("form.nabij-form button[type=submit]")


def test_resident_sees_their_group_and_joins_another(page: Page, live_server: LiveServer, world: World) -> None:
    base = f"{live_server.url}/alfadorp/mijn-groep/"
    page.goto(base)
    log_in(page, world.personas.resident)
    expect(page.locator("h1")).to_have_text("Mijn groep")
    expect(page.locator("main")).to_contain_text("Wandelgroep Oude Haven")
    expect(page.locator("main")).to_contain_text("Kees")
    expect(page.locator("main")).not_to_contain_text("van Dam")
    assert_accessible(page, "groups-mine-nl")
    switch_language(page, "en")
    assert_accessible(page, "groups-mine-en")


def test_other_resident_joins_a_group(page: Page, live_server: LiveServer, world: World) -> None:
    page.goto(f"{live_server.url}/alfadorp/mijn-groep/")
    log_in(page, world.other_resident)
    expect(page.locator("main")).to_contain_text("Je zit nog niet in een groep.")
    page.get_by_role("link", name="Meedoen Wandelgroep Oude Haven").click()
    expect(page.locator("h1")).to_have_text("Meedoen met een groep")
    assert_accessible(page, "groups-join-confirm-nl")
    page.get_by_role("button", name="Ja, ik doe mee").click()
    expect(page.locator(".utrecht-alert")).to_contain_text("Je doet nu mee met Wandelgroep Oude Haven.")
    expect(page.locator("main")).to_contain_text("Bea")
    assert_accessible(page, "groups-mine-member-nl")
    switch_language(page, "en")
    page.get_by_role("link", name="Leave this group Wandelgroep Oude Haven").click()
    assert_accessible(page, "groups-leave-confirm-en")


def test_organiser_manages_a_group_and_receives_a_referral(page: Page, live_server: LiveServer, world: World) -> None:
    referral = referral_services.referral_create(
        actor=world.personas.professional, profile=world.bea, activity=world.koffie, note="Komt graag met de bus."
    )
    base = f"{live_server.url}/alfadorp"
    page.goto(f"{base}/groepen/")
    log_in(page, world.socialmap.organiser)
    expect(page.locator("h1")).to_have_text("Groepen")
    assert_accessible(page, "groups-list-organiser-nl")

    # A new group, first with mistakes.
    page.get_by_role("link", name="Nieuwe groep maken").click()
    page.fill("#id_capacity", "0")
    page.click("form.nabij-form[method=post] button[type=submit]")
    expect(page.locator("#id_name_error")).to_have_text("Vul een naam in.")
    expect(page.locator("#id_activities_error")).to_contain_text("Kies minstens één activiteit.")
    assert_accessible(page, "groups-form-errors-nl")
    page.fill("#id_name", "Koffieclub")
    page.get_by_label("Koffie-ochtend (Buurthuis De Linde)").check()
    page.fill("#id_capacity", "8")
    page.click("form.nabij-form[method=post] button[type=submit]")
    expect(page.locator(".utrecht-alert")).to_contain_text("De groep is gemaakt.")
    assert_accessible(page, "groups-detail-empty-nl")

    # The world's group, with its members and the add-member form with a mistake.
    page.goto(f"{base}/groepen/{world.group.uid}/")
    expect(page.locator("table")).to_contain_text("Kees van Dam")
    page.fill("#id_key", "geen sleutel")
    page.get_by_role("button", name="Toevoegen").click()
    expect(page.locator("#id_key_error")).to_contain_text("Dit is geen sleutel.")
    assert_accessible(page, "groups-detail-errors-nl")

    # The referral to the organiser's activity.
    page.goto(f"{base}/overdrachten/aan-mij/")
    expect(page.locator("table")).to_contain_text("Bea Jansen")
    assert_accessible(page, "referrals-received-nl")
    page.get_by_role("link", name="Bea Jansen").click()
    expect(page.locator("main")).to_contain_text("Komt graag met de bus.")
    page.get_by_label("Kennisgemaakt").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-alert")).to_contain_text("De status is bijgewerkt.")
    page.get_by_label("Gestopt").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("#id_outcome_error")).to_contain_text("Schrijf kort op hoe het is afgelopen")
    assert_accessible(page, "referrals-detail-errors-nl")

    switch_language(page, "en")
    assert_accessible(page, "referrals-detail-errors-en")
    for name, url in [
        ("groups-list-organiser-en", f"{base}/groepen/"),
        ("groups-detail-en", f"{base}/groepen/{world.group.uid}/"),
        ("groups-form-en", f"{base}/groepen/{world.group.uid}/bewerken/"),
        ("referrals-received-en", f"{base}/overdrachten/aan-mij/"),
        ("referrals-detail-en", f"{base}/overdrachten/{referral.pk}/"),
    ]:
        page.goto(url)
        assert_accessible(page, name)


def test_professional_makes_a_referral(page: Page, live_server: LiveServer, world: World) -> None:
    base = f"{live_server.url}/alfadorp/overdrachten"
    page.goto(f"{base}/")
    log_in(page, world.personas.professional)
    expect(page.locator("h1")).to_have_text("Mijn overdrachten")
    assert_accessible(page, "referrals-mine-empty-nl")
    page.get_by_role("link", name="Nieuwe overdracht").click()
    # A resident without referral consent: refused with the reason.
    page.fill("#id_profiel", str(world.betty.key))
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("#id_profiel_error")).to_contain_text("geen toestemming gegeven voor een warme overdracht")
    assert_accessible(page, "referrals-new-refused-nl")
    page.fill("#id_profiel", str(world.bea.key))
    page.get_by_label("een groep").check()
    page.get_by_role("button", name="Zoeken").click()
    expect(page.locator("main")).to_contain_text("Bea Jansen")
    page.get_by_role("button", name="Overdracht voorstellen").click()
    expect(page.locator("#id_target_error")).to_have_text("Kies waar de bewoner naartoe gaat.")
    assert_accessible(page, "referrals-new-step2-errors-nl")
    page.select_option("#id_target", label="Wandelgroep Oude Haven")
    page.fill("#id_note", "Wil graag buiten zijn.")
    page.get_by_role("button", name="Overdracht voorstellen").click()
    expect(page.locator(".utrecht-alert")).to_contain_text("De overdracht is voorgesteld.")
    assert_accessible(page, "referrals-detail-referrer-nl")
    page.goto(f"{base}/")
    expect(page.locator("table")).to_contain_text("Wandelgroep Oude Haven")
    assert_accessible(page, "referrals-mine-nl")
    switch_language(page, "en")
    assert_accessible(page, "referrals-mine-en")
    page.goto(f"{base}/nieuw/?profiel={world.bea.key}&soort=activity")
    assert_accessible(page, "referrals-new-step2-en")


def test_coordinator_sees_group_signals(page: Page, live_server: LiveServer, world: World) -> None:
    page.goto(f"{live_server.url}/alfadorp/beheer/groepen/")
    log_in(page, world.personas.coordinator)
    expect(page.locator("h1")).to_have_text("Groepen en signalen")
    expect(page.locator("table")).to_contain_text("minder dan 5 leden")
    assert_accessible(page, "groups-signals-nl")
    page.get_by_label("Alleen groepen met een signaal").check()
    page.get_by_role("button", name="Toon").click()
    expect(page.locator("caption")).to_have_text("Groepen met een signaal")
    switch_language(page, "en")
    assert_accessible(page, "groups-signals-en")
