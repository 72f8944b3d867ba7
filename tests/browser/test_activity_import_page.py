"""The coordinator's activity import in a real browser: accessible in Dutch and English, the report
of a bad file, and a good file imported."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_scopes import scope, scopes_disabled
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from nabij.socialmap.models import Activity
from nabij.socialmap.services import catalogue_ensure_defaults
from nabij.testing.factories import OrganisationFactory
from nabij.testing.personas import build_personas
from tests.browser.conftest import assert_accessible, switch_language

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery"  # the factories' password
HEADER = "title;organisation;participation_type;dtstart;rrule\n"


def test_coordinator_imports_activities(page: Page, live_server: LiveServer, tmp_path: Path, settings: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    personas = build_personas()
    with scope(municipality=personas.municipality_a):
        catalogue_ensure_defaults(municipality=personas.municipality_a)
        OrganisationFactory.create(municipality=personas.municipality_a, name="Buurthuis De Linde")
    bad = tmp_path / "fout.csv"
    bad.write_text(
        HEADER
        + "Koffie;Onbekende Club;ontmoeten;2025-09-02 10:00;\n"
        + ';Buurthuis De Linde;sporten;2025-03-30 02:30;"FREQ=SOMETIMES"\n',
        encoding="utf-8",
    )
    good = tmp_path / "goed.csv"
    good.write_text(
        "\ufeff" + HEADER + 'Koffie;Buurthuis De Linde;ontmoeten;2025-09-02 10:00;"FREQ=WEEKLY;BYDAY=TU"\n',
        encoding="utf-8",
    )

    url = f"{live_server.url}/alfadorp/beheer/activiteiten-importeren/"
    page.goto(url)
    page.fill("#id_username", personas.coordinator.email)
    page.fill("#id_password", PASSWORD)
    page.click("form.nabij-form button[type=submit]")
    device = TOTPDevice.objects.get(user=personas.coordinator)
    page.fill("#id_token", f"{totp(device.bin_key):06d}")
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("h1")).to_have_text("Activiteiten inlezen")
    assert page.url == url
    assert_accessible(page, "activity-import-nl")

    # A file that is not CSV: the form says so, next to the field.
    wrong = tmp_path / "activiteiten.xlsx"
    wrong.write_bytes(b"PK\x03\x04")
    page.set_input_files("#id_file", str(wrong))
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("#id_file_error")).to_contain_text("eindigt op .csv")
    assert_accessible(page, "activity-import-form-error-nl")

    # A bad file: the progress page lists every line, column and reason; nothing is saved.
    page.set_input_files("#id_file", str(bad))
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("#task-problems-heading")).to_be_visible()
    table = page.locator("table")
    expect(table).to_contain_text("Deze organisatie staat niet in Nabij")
    expect(table).to_contain_text("Dit tijdstip bestaat niet")
    expect(table).to_contain_text("geen geldige RRULE")
    expect(page.locator("#task-progress")).to_contain_text("Het bestand heeft 5 fouten; er is niets opgeslagen.")
    assert_accessible(page, "activity-import-report-nl")
    with scopes_disabled():
        assert not Activity.objects.exists()

    # A good file.
    page.goto(url)
    page.set_input_files("#id_file", str(good))
    page.click("form.nabij-form button[type=submit]")
    expect(page.locator("#task-progress")).to_contain_text("De taak is klaar.")
    expect(page.locator("#task-progress")).to_contain_text("1 activiteit ingelezen.")
    assert_accessible(page, "activity-import-done-nl")
    with scopes_disabled():
        assert Activity.objects.get().title == "Koffie"

    page.goto(url)
    switch_language(page, "en")
    assert page.url == url
    assert_accessible(page, "activity-import-en")
