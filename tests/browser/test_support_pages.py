"""The support pages in a real browser: the supporter's "Mijn deelnemers" and a relation with its
contact form, and the coordinator's matching rounds, "find a supporter now", contact signals and
supporters. Accessible (axe-core) in Dutch and English, errors included; screenshots in
test-artifacts/screenshots/support-*."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.accounts.models import User
from nabij.support.models import RelationStatus, SupportRelation
from nabij.support.services import relation_create
from nabij.testing.factories import totp_device_for
from nabij.testing.personas import Personas
from tests.browser.conftest import assert_accessible, switch_language
from tests.conftest import SocialMap
from tests.support.conftest import MONDAY_MORNING, SupportWorld, build_support_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> SupportWorld:
    built = build_support_world(personas, socialmap)
    totp_device_for(personas.coordinator)
    fatima = built.make_profile("Fatima", purposes=("support", "contact"))
    fatima.user = personas.resident
    fatima.save()
    relation = relation_create(actor=None, participant=fatima, supporter=built.supporter)
    SupportRelation.objects.filter(pk=relation.pk).update(
        status=RelationStatus.ACTIVE, started_on=timezone.localdate() - dt.timedelta(weeks=6)
    )
    built.make_profile("Amina")
    built.make_profile("Piet", availability=MONDAY_MORNING, languages=["nl"], interests=["voetbal"], requires_vog=False)
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


def test_supporter_sees_participants_and_logs_contact(page: Page, live_server: LiveServer, world: SupportWorld) -> None:
    page.goto(f"{live_server.url}/alfadorp/maatje/")
    log_in(page, world.supporter_user)
    expect(page.locator("h1")).to_have_text("Mijn deelnemers")
    expect(page.locator("table")).to_contain_text("Fatima")
    expect(page.locator("table")).to_contain_text("bewoner@alfadorp.test")
    assert_accessible(page, "support-my-participants-nl")

    page.get_by_role("link", name="Fatima").click()
    expect(page.locator("h1")).to_have_text("Koppeling met Fatima")
    assert_accessible(page, "support-relation-nl")
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    page.fill("#id_contact-on", tomorrow)
    page.get_by_label("gebeld of geappt").check()
    page.get_by_role("button", name="Contact vastleggen").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_contain_text("Deze datum ligt in de toekomst.")
    assert_accessible(page, "support-relation-error-nl")
    page.fill("#id_contact-on", timezone.localdate().isoformat())
    page.fill("#id_contact-note", "Samen naar de moestuin")
    page.get_by_role("button", name="Contact vastleggen").click()
    expect(page.locator(".nabij-messages")).to_contain_text("Het contact is vastgelegd.")
    expect(page.locator("main")).to_contain_text("Samen naar de moestuin")

    switch_language(page, "en")
    assert_accessible(page, "support-relation-en")
    page.goto(f"{live_server.url}/alfadorp/maatje/")
    assert_accessible(page, "support-my-participants-en")


def test_coordinator_runs_a_round_and_follows_up(page: Page, live_server: LiveServer, world: SupportWorld) -> None:
    base = f"{live_server.url}/alfadorp/beheer"
    page.goto(f"{base}/koppelrondes/")
    log_in(page, world.personas.coordinator)
    expect(page.locator("h1")).to_have_text("Koppelrondes")
    assert_accessible(page, "support-rounds-nl")

    page.get_by_role("button", name="Ronde starten").click()
    expect(page.locator("h1")).to_contain_text("Koppelronde van")
    table = page.locator("table")
    expect(table).to_contain_text("Amina")
    expect(table).to_contain_text("spreekt Arabisch")
    expect(table).to_contain_text("Olaf Ander")
    assert_accessible(page, "support-round-nl")
    page.get_by_role("button", name="Koppel Amina aan Sanne Steun").click()
    expect(page.locator(".nabij-messages")).to_contain_text("Amina en Sanne Steun zijn gekoppeld.")
    switch_language(page, "en")
    assert_accessible(page, "support-round-en")
    switch_language(page, "nl")

    page.goto(f"{base}/nu-koppelen/")
    expect(page.locator("main")).to_contain_text("Er wacht nu niemand op een maatje.")  # Piet holds a proposal
    page.goto(f"{base}/contactsignalen/")
    expect(page.locator("table")).to_contain_text("Fatima")
    assert_accessible(page, "support-signals-nl")
    page.fill("#id_weeks", "0")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_be_visible()
    assert_accessible(page, "support-signals-error-nl")
    switch_language(page, "en")
    assert_accessible(page, "support-signals-en")
    switch_language(page, "nl")

    page.goto(f"{base}/maatjes/")
    expect(page.locator("table")).to_contain_text("Sanne Steun")
    assert_accessible(page, "support-supporters-nl")
    page.get_by_role("link", name="Maatje toevoegen").click()
    page.fill("#id_name", "Nina Nieuw")
    page.get_by_role("radio", name="afgegeven").check()
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-alert--error")).to_be_visible()
    expect(page.locator("main")).to_contain_text("Vul in wanneer de VOG is afgegeven.")
    assert_accessible(page, "support-supporter-form-error-nl")
    switch_language(page, "en")
    assert_accessible(page, "support-supporter-form-en")


def test_coordinator_finds_a_supporter_now(page: Page, live_server: LiveServer, world: SupportWorld) -> None:
    page.goto(f"{live_server.url}/alfadorp/beheer/nu-koppelen/")
    log_in(page, world.personas.coordinator)
    expect(page.locator("h1")).to_have_text("Nu een maatje zoeken")
    assert_accessible(page, "support-now-nl")
    page.get_by_label("Voor wie zoek je een maatje?").select_option(label="Piet (Oude Haven)")
    page.get_by_role("button", name="Maatjes zoeken").click()
    candidates = page.locator("ol")
    expect(candidates).to_contain_text("Olaf Ander")
    expect(candidates).to_contain_text("Woont in dezelfde buurt")
    assert_accessible(page, "support-now-candidates-nl")
    switch_language(page, "en")
    assert_accessible(page, "support-now-candidates-en")
    page.get_by_role("button", name="Match with Olaf Ander").click()
    expect(page.locator("h1")).to_contain_text("Piet")
    assert_accessible(page, "support-now-linked-en")
