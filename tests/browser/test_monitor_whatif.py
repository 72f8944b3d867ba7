"""The coverage what-if page in a real browser: a coordinator tries a scenario, makes a mistake, sees
the map and the table; accessible (axe-core) in Dutch and English. Screenshots in test-artifacts/."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.testing.factories import totp_device_for
from nabij.testing.personas import Personas
from tests.browser.conftest import assert_accessible, switch_language
from tests.browser.test_groups_referrals_pages import log_in
from tests.monitor.coverage_world import CoverageWorld, build_coverage_world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def world(personas: Personas, scope_a: None) -> CoverageWorld:
    built = build_coverage_world(personas)
    totp_device_for(personas.coordinator)
    return built


def test_coordinator_tries_a_what_if(page: Page, live_server: LiveServer, world: CoverageWorld) -> None:
    page.goto(f"{live_server.url}/alfadorp/monitor/wat-als/")
    log_in(page, world.personas.coordinator)
    expect(page.locator("h1")).to_have_text("Wat als? Bereik van het aanbod")
    assert_accessible(page, "monitor-whatif-form-nl")

    # A filter without a barrier to remove: the form says what is missing.
    page.select_option("#id_group", "gevoelig")
    page.select_option("#id_type", "ontmoeten")
    page.get_by_role("button", name="Bereken wat het oplevert").click()
    expect(page.locator("#id_remove_error")).to_contain_text("Kies welke drempel de gekozen activiteiten weghalen.")
    assert_accessible(page, "monitor-whatif-errors-nl")

    # Every activity drops its cost.
    page.select_option("#id_type", "")
    page.check("input[name=remove][value=cost]")
    page.get_by_role("button", name="Bereken wat het oplevert").click()
    expect(page.locator("#result-heading")).to_have_text("Wat het oplevert")
    table = page.locator("table")
    expect(table).to_contain_text("Oude Haven")
    expect(table.locator("tr", has_text="Oude Haven")).to_contain_text("+50,0 procentpunten")
    expect(page.locator("svg.nabij-choropleth")).to_have_attribute("role", "img")
    assert page.locator("svg.nabij-choropleth [data-code]").count() == 4
    assert_accessible(page, "monitor-whatif-result-nl")

    switch_language(page, "en")
    expect(page.locator("table")).to_contain_text("Oude Haven")
    assert_accessible(page, "monitor-whatif-result-en")


def test_a_new_activity_with_a_protected_neighbourhood(
    page: Page, live_server: LiveServer, world: CoverageWorld
) -> None:
    from nabij.core.models import Neighbourhood

    Neighbourhood.objects.filter(code="BU00010201").update(population=4)
    place = world.places["veld"].pk
    page.goto(f"{live_server.url}/alfadorp/monitor/wat-als/?group=gevoelig&place={place}&new_type=bewegen")
    log_in(page, world.personas.coordinator)
    expect(page.locator("table")).to_contain_text("<5")
    assert_accessible(page, "monitor-whatif-protected-nl")
    switch_language(page, "en")
    assert_accessible(page, "monitor-whatif-protected-en")
