"""The pages in a real browser: accessible (axe-core) in Dutch and English, usable by keyboard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.core.models import TaskRun, TaskStatus
from nabij.testing.factories import RoleAssignmentFactory, UserFactory
from nabij.testing.personas import build_personas
from tests.browser.conftest import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password


@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("landing", "/"),
        ("municipality-home", "/alfadorp/"),
        ("login", "/account/inloggen/"),
        ("not-found", "/bestaat-niet/"),
    ],
)
def test_public_page_is_accessible_in_dutch_and_english(
    page: Page, live_server: LiveServer, name: str, path: str
) -> None:
    build_personas()
    page.goto(f"{live_server.url}{path}")
    assert page.locator("html").get_attribute("lang") == "nl"
    assert_accessible(page, f"{name}-nl")

    switch_language(page, "en")
    # The switch brings you back to the same page, now in English.
    assert page.url == f"{live_server.url}{path}"
    assert_accessible(page, f"{name}-en")


def test_first_tab_reaches_the_skip_link(page: Page, live_server: LiveServer) -> None:
    build_personas()
    page.goto(f"{live_server.url}/alfadorp/")
    page.keyboard.press("Tab")
    focused = page.evaluate("[document.activeElement.getAttribute('href'), document.activeElement.textContent]")
    assert focused == ["#main", "Naar de inhoud"]
    expect(page.locator(".utrecht-skip-link")).to_be_visible()
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"


def test_coordinator_logs_in_with_second_factor_and_filters_the_audit_log(page: Page, live_server: LiveServer) -> None:
    personas = build_personas()
    page.goto(f"{live_server.url}/alfadorp/beheer/auditlog/")
    # Not logged in: the page sends you to log in, and back afterwards.
    page.fill("#id_username", personas.coordinator.email)
    page.fill("#id_password", "wrong password")
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("#login-errors")).to_contain_text("horen niet bij elkaar")
    assert_accessible(page, "login-error-nl")

    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")
    # First time: set up the authenticator app.
    expect(page.locator("h1")).to_have_text("Tweede stap instellen")
    assert_accessible(page, "second-factor-setup-nl")
    device = TOTPDevice.objects.get(user=personas.coordinator)
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.click("form.nabij-form button[type=submit]")

    expect(page.locator("h1")).to_have_text("Auditlog")
    assert page.url.startswith(f"{live_server.url}/alfadorp/beheer/auditlog/")
    assert_accessible(page, "audit-log-nl")

    # With JavaScript, the filter swaps only the results and updates the address.
    page.select_option("#id_action", "read")
    page.click("form.nabij-filter button[type=submit]")
    expect(page).to_have_url(f"{live_server.url}/alfadorp/beheer/auditlog/?action=read&purpose=&since=&until=")
    expect(page.locator("#audit-count")).to_contain_text("gevonden")
    assert_accessible(page, "audit-log-filtered-nl")

    page.goto(f"{live_server.url}/alfadorp/beheer/mensen/")
    expect(page.locator("table")).to_contain_text(personas.professional.email)
    assert_accessible(page, "directory-nl")

    # An API token: shown once, then listed without its secret.
    page.goto(f"{live_server.url}/account/")
    page.fill("#id_name", "Koppeling wijkteam")
    page.click("form[action='/account/api-sleutels/'] button[type=submit]")
    key = page.input_value("#api-key")
    assert key.startswith("nabij_")
    assert_accessible(page, "api-token-created-nl")
    page.goto(f"{live_server.url}/account/")
    expect(page.locator("table").last).to_contain_text("Koppeling wijkteam")
    assert key not in page.content()
    assert_accessible(page, "my-account-nl")
    switch_language(page, "en")
    assert_accessible(page, "my-account-en")


def test_small_screen(browser: Browser, live_server: LiveServer) -> None:
    """A phone-sized window: nothing hidden, nothing scrolling sideways except wide tables."""
    build_personas()
    context = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/alfadorp/")
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(page, "municipality-home-small-nl")
    finally:
        context.close()


def test_login_and_language_switch_work_without_javascript(browser: Browser, live_server: LiveServer) -> None:
    personas = build_personas()
    context = browser.new_context(locale="nl-NL", java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/account/")
        page.fill("#id_username", personas.resident.email)
        page.fill("#id_password", PASSWORD)
        page.click("form.nabij-form button[type=submit]")
        expect(page.locator("h1")).to_have_text("Mijn account")
        page.click("form.nabij-language button")
        expect(page.locator("html")).to_have_attribute("lang", "en")
        expect(page.locator("h1")).to_have_text("My account")
    finally:
        context.close()


def test_task_progress_updates_itself(page: Page, live_server: LiveServer) -> None:
    personas = build_personas()
    # An analyst watches their own run: no second factor needed, so the test stays on the page.
    analyst = UserFactory.create(email="analist@alfadorp.test", password=PASSWORD)
    RoleAssignmentFactory.create(user=analyst, municipality=personas.municipality_a, role="analyst")
    run = TaskRun.objects.create(
        name="core.import_areas",
        label="Buurten inlezen",
        created_by=analyst,
        municipality=personas.municipality_a,
        status=TaskStatus.RUNNING,
        progress_done=1,
        progress_total=4,
        message="Buurten controleren",
    )
    page.goto(f"{live_server.url}/account/inloggen/?next=/taken/{run.pk}/")
    page.fill("#id_username", analyst.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("progress")).to_have_attribute("value", "25")
    assert_accessible(page, "task-progress-running-nl")

    # The worker finishes; htmx's polling shows it without a reload, and then stops.
    TaskRun.objects.filter(pk=run.pk).update(status=TaskStatus.DONE, result={"buurten": 4})
    expect(page.locator("#task-progress")).to_contain_text("De taak is klaar.")
    expect(page.locator("#task-announcement")).to_have_text("De taak is klaar.")
    expect(page.locator("progress")).to_have_attribute("value", "100")
    assert page.locator("[hx-trigger]").count() == 0
    assert_accessible(page, "task-progress-done-nl")


def test_admin_uploads_a_bad_area_file_and_reads_the_report(
    page: Page, live_server: LiveServer, tmp_path: Path, settings: Any
) -> None:
    settings.MEDIA_ROOT = tmp_path
    personas = build_personas()
    bad = tmp_path / "buurten.csv"
    bad.write_text("BU_CODE;BU_NAAM;WK_CODE;GM_CODE;LAT;LON\nBU0001010;Te kort;WK000101;GM0001;52.0;4.0\n")
    page.goto(f"{live_server.url}/alfadorp/beheer/gebieden/")
    page.fill("#id_username", personas.admin.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")
    device = TOTPDevice.objects.get(user=personas.admin)
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Wijken en buurten inlezen")
    assert_accessible(page, "area-import-nl")

    page.set_input_files("#id_file", str(bad))
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("#task-problems-heading")).to_be_visible()
    expect(page.locator("table")).to_contain_text("BU en 8 cijfers")
    assert_accessible(page, "area-import-report-nl")
