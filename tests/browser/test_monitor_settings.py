"""The monitor's settings page in a real browser: zero axe-core violations in Dutch and English, and
a refused value explained next to its field."""

from __future__ import annotations

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.accounts.models import User
from nabij.testing.personas import Personas
from tests.browser.conftest import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password


def log_in(page: Page, user: User) -> None:
    page.fill("#id_username", user.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")
    if page.locator("#id_token").count():
        device = TOTPDevice.objects.get(user=user)
        page.fill("#id_token", f"{totp(device.bin_key):06d}")
        page.click("form.nabij-form button[type=submit]")


def test_coordinator_changes_the_thresholds(page: Page, live_server: LiveServer, personas: Personas) -> None:
    page.goto(f"{live_server.url}/alfadorp/monitor/instellingen/")
    log_in(page, personas.coordinator)
    expect(page.locator("h1")).to_have_text("Instellingen van de monitor")
    assert_accessible(page, "monitor-settings-nl")

    page.fill("#id_min_count", "1")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator(".utrecht-form-field__error-message")).to_be_visible()
    assert_accessible(page, "monitor-settings-error-nl")

    page.fill("#id_min_count", "10")
    page.get_by_role("button", name="Opslaan").click()
    expect(page.locator("main")).to_contain_text("De instellingen zijn opgeslagen")
    expect(page.locator("#id_min_count")).to_have_value("10")

    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("Monitor settings")
    assert_accessible(page, "monitor-settings-en")
