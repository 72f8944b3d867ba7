"""The monitor's dashboard in a real browser: zero axe-core violations on the overview and an
indicator page (chart, table, map, comparison) in Dutch and English; the filters with and without
JavaScript; a phone-sized window. Screenshots in test-artifacts/screenshots/monitor-*.png."""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.testing.personas import Personas
from tests.browser.conftest import assert_accessible, screenshot, switch_language
from tests.monitor.conftest import MonitorWorld, build_monitor_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password


@pytest.fixture
def world(personas: Personas) -> MonitorWorld:
    return build_monitor_world(personas)


def log_in_as_analyst(page: Page, world: MonitorWorld) -> None:
    """On the login page the dashboard sent us to; an analyst needs no second factor here."""
    page.fill("#id_username", world.analyst.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")


def test_overview_in_dutch_and_english(page: Page, live_server: LiveServer, world: MonitorWorld) -> None:
    page.goto(f"{live_server.url}/alfadorp/monitor/")
    log_in_as_analyst(page, world)
    expect(page.locator("h1")).to_have_text("Monitor: 2026-Q3")
    expect(page.locator("main")).to_contain_text("Bezoeken aan activiteiten")
    expect(page.get_by_role("button", name="Bereken opnieuw")).to_be_visible()
    assert_accessible(page, "monitor-overview-nl")
    switch_language(page, "en")
    expect(page.locator("main")).to_contain_text("Visits to activities")
    assert_accessible(page, "monitor-overview-en")


def test_a_bad_period_to_compute_is_explained(page: Page, live_server: LiveServer, world: MonitorWorld) -> None:
    page.goto(f"{live_server.url}/alfadorp/monitor/")
    log_in_as_analyst(page, world)
    page.fill("#id_periode", "2026-Q7")
    page.get_by_role("button", name="Bereken opnieuw").click()
    expect(page.locator(".utrecht-form-field__error-message")).to_contain_text("'2026-Q7' is geen periode.")
    assert_accessible(page, "monitor-overview-error-nl")


def test_indicator_page_with_chart_map_and_comparison(page: Page, live_server: LiveServer, world: MonitorWorld) -> None:
    page.goto(f"{live_server.url}/alfadorp/monitor/2026-Q3/visits/")
    log_in_as_analyst(page, world)
    expect(page.locator("h1")).to_have_text("Bezoeken aan activiteiten")
    expect(page.locator("svg.nabij-chart__svg")).to_be_visible()
    assert_accessible(page, "monitor-indicator-visits-nl")

    # With JavaScript, the filters swap only the results and keep the address in step.
    page.select_option("#id_niveau", "BU")
    page.select_option("#id_uitsplitsing", "ontmoeten")
    page.select_option("#id_vergelijk", "2026-Q2")
    page.get_by_role("button", name="Toon").click()
    expect(page).to_have_url(
        f"{live_server.url}/alfadorp/monitor/2026-Q3/visits/?niveau=BU&wijk=&groep=iedereen&uitsplitsing=ontmoeten"
        "&vergelijk=2026-Q2"
    )
    expect(page.locator("#values-caption")).to_contain_text("per buurt")
    expect(page.locator("svg.nabij-chart__svg")).to_contain_text("2026-Q3: <5")
    expect(page.locator("svg.nabij-choropleth")).to_be_visible()
    assert_accessible(page, "monitor-indicator-visits-compare-nl")
    switch_language(page, "en")
    expect(page.locator("h1")).to_have_text("Visits to activities")
    assert_accessible(page, "monitor-indicator-visits-compare-en")

    page.goto(f"{live_server.url}/alfadorp/monitor/2026-Q3/coverage/?niveau=BU&uitsplitsing=any&vergelijk=2026-Q2")
    expect(page.locator("main")).to_contain_text("Coverage: residents with accessible supply within walking distance")
    assert_accessible(page, "monitor-indicator-coverage-en")
    switch_language(page, "nl")
    expect(page.locator("main")).to_contain_text("+10,0 procentpunten")
    assert_accessible(page, "monitor-indicator-coverage-nl")


def test_filters_work_without_javascript(browser: Browser, live_server: LiveServer, world: MonitorWorld) -> None:
    context = browser.new_context(locale="nl-NL", java_script_enabled=False, viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/alfadorp/monitor/2026-Q3/access_support/")
        log_in_as_analyst(page, world)
        page.select_option("#id_niveau", "WK")
        page.get_by_role("button", name="Toon").click()
        expect(page.locator("#values-caption")).to_contain_text("per wijk")
        expect(page.locator("table").last).to_contain_text("te weinig mensen om te tonen")
        screenshot(page, "monitor-indicator-access-nojs-nl")
    finally:
        context.close()


def test_small_screen(browser: Browser, live_server: LiveServer, world: MonitorWorld) -> None:
    context = browser.new_context(locale="nl-NL", viewport={"width": 360, "height": 740})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/alfadorp/monitor/2026-Q3/coverage/?niveau=BU&uitsplitsing=any")
        log_in_as_analyst(page, world)
        expect(page.locator("svg.nabij-chart__svg")).to_be_visible()
        # Only the tables scroll sideways; the page itself fits.
        assert page.evaluate("document.documentElement.scrollWidth") <= 360
        assert_accessible(page, "monitor-indicator-small-nl")
    finally:
        context.close()
