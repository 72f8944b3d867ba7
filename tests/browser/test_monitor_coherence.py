"""The coherence page in a real browser: accessible (axe-core) in Dutch and English, and it works
without JavaScript. Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.accounts.models import User
from nabij.testing.factories import totp_device_for
from nabij.testing.personas import Personas
from tests.browser.conftest import assert_accessible, screenshot, switch_language
from tests.conftest import SocialMap
from tests.monitor.test_coherence import World, build_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> World:
    built = build_world(personas, socialmap)
    totp_device_for(personas.coordinator)
    return built


def log_in(page: Page, user: User) -> None:
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")
    if page.locator("#id_token").count():
        device = TOTPDevice.objects.get(user=user)
        page.fill("#id_token", f"{totp(device.bin_key):06d}")
        page.click("form.nabij-form button[type=submit]")


def test_coordinator_reads_the_network(page: Page, live_server: LiveServer, world: World) -> None:
    page.goto(f"{live_server.url}/alfadorp/monitor/samenhang/?periode=2026-Q3")
    log_in(page, world.personas.coordinator)
    expect(page.locator("h1")).to_have_text("Samenhang tussen activiteiten")
    main = page.locator("main")
    expect(main).to_contain_text("Deze twee warme plekken delen geen deelnemers, maar liggen 300 m uit elkaar.")
    expect(main).to_contain_text("<5 doorverwezen deelnemers")
    page.locator("details summary", has_text="Noord").click()
    expect(main).to_contain_text("Huiskamer Noord (Huiskamer Noord)")
    assert_accessible(page, "monitor-coherence-nl")
    switch_language(page, "en")
    assert_accessible(page, "monitor-coherence-en")


def test_a_wrong_period_is_explained(page: Page, live_server: LiveServer, world: World) -> None:
    page.goto(f"{live_server.url}/alfadorp/monitor/samenhang/")
    log_in(page, world.personas.coordinator)
    page.fill("#id_periode", "Q3")
    page.get_by_role("button", name="Toon").click()
    expect(page.locator(".utrecht-form-field-error-message")).to_contain_text("is geen periode")
    assert_accessible(page, "monitor-coherence-error-nl")


def test_the_page_works_without_javascript(browser: Browser, live_server: LiveServer, world: World) -> None:
    context = browser.new_context(locale="nl-NL", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        page.goto(f"{live_server.url}/alfadorp/monitor/samenhang/")
        log_in(page, world.personas.coordinator)
        page.fill("#id_periode", "2026-Q3")
        page.get_by_role("button", name="Toon").click()
        expect(page.locator("main")).to_contain_text("Voorgestelde verbindingen in 2026-Q3")
        page.locator("details summary", has_text="Zonder wijk").click()
        expect(page.locator("main")).to_contain_text("Zomerclub online (Zomerclub)")
        screenshot(page, "monitor-coherence-nojs-nl")
    finally:
        context.close()
