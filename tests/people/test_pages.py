"""The people pages and endpoint: who may see what (the permission matrix), the audit entries
of reads by others, and the forms as a resident and a professional use them."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client
from django.utils import timezone

from nabij.core.models import AuditEntry
from nabij.people.models import Consent, ConsentPurpose, LadderMeasurement, LonelinessMeasurement, ResidentProfile
from nabij.testing.personas import Personas, login
from tests.people.conftest import People

A = "/alfadorp"
MOM = "min of meer"
EXAMPLE_11 = ["nee", MOM, "nee", "ja", "ja", "nee", MOM, "ja", MOM, "nee", "ja"]

# --- the permission matrix ----------------------------------------------------------------------
#
# Rows: who asks. Columns: a page or endpoint. Cells, what they get:
#   login = redirect to the login page   2fa  = redirect to the second factor
#   404   = not found (also for "not yours": nothing is revealed)
#   own   = 200 with the resident's own data   none = 200, "nothing is stored about you"
#   200   = the page
# Profiles: Bea (the resident persona's own, consent support + referral + monitoring), Kees
# (consent contact only), Bob (in municipality B, consent support). Columns:
#   my_data, my_export, my_erase   /alfadorp/mijn-gegevens/ (+ download/, wissen/)
#   caseload, create               /alfadorp/werk/bewoners/ (+ nieuw/)
#   bea_sup / bea_con              Bea's profile read for support (consented) / contact (not)
#   kees_con                       Kees's profile read for contact (consented)
#   bea_lon / kees_lon / bea_lad   questionnaire and ladder pages (need support or referral consent)
#   bob_a                          Bob's key under /alfadorp/ (another municipality's profile)
#   bob_b                          Bob's profile under /betastad/ (the outsider's own municipality)
#   api                            POST /api/v1/instruments/de-jong-gierveld (public, stateless)
MATRIX = """
role             | my_data | my_export | my_erase | caseload | create | bea_sup | bea_con | kees_con | bea_lon | kees_lon | bea_lad | bob_a | bob_b | api
anonymous        | login   | login     | login    | login    | login  | login   | login   | login    | login   | login    | login   | login | login | 200
owner            | own     | 200       | 200      | 404      | 404    | 404     | 404     | 404      | 404     | 404      | 404     | 404   | 404   | 200
other_resident   | none    | 404       | 404      | 404      | 404    | 404     | 404     | 404      | 404     | 404      | 404     | 404   | 404   | 200
supporter        | none    | 404       | 404      | 404      | 404    | 404     | 404     | 404      | 404     | 404      | 404     | 404   | 404   | 200
organiser        | none    | 404       | 404      | 404      | 404    | 404     | 404     | 404      | 404     | 404      | 404     | 404   | 404   | 200
professional     | none    | 404       | 404      | 200      | 200    | 200     | 404     | 200      | 200     | 404      | 200     | 404   | 404   | 200
professional_1fa | none    | 404       | 404      | 2fa      | 2fa    | 2fa     | 2fa     | 2fa      | 2fa     | 2fa      | 2fa     | 2fa   | 404   | 200
coordinator      | none    | 404       | 404      | 200      | 200    | 200     | 404     | 200      | 200     | 404      | 200     | 404   | 404   | 200
analyst          | none    | 404       | 404      | 404      | 404    | 404     | 404     | 404      | 404     | 404      | 404     | 404   | 404   | 200
admin            | none    | 404       | 404      | 404      | 404    | 404     | 404     | 404      | 404     | 404      | 404     | 404   | 404   | 200
outsider         | none    | 404       | 404      | 404      | 404    | 404     | 404     | 404      | 404     | 404      | 404     | 404   | 200   | 200
"""  # noqa: E501


def _matrix() -> list[tuple[str, str, str]]:
    header, *rows = [[cell.strip() for cell in line.split("|")] for line in MATRIX.strip().splitlines()]
    return [(row[0], column, cell) for row in rows for column, cell in zip(header[1:], row[1:], strict=True)]


def _client(role: str, personas: Personas, people: People) -> Client:
    users = {
        "owner": personas.resident,
        "other_resident": people.other_resident,
        "supporter": people.supporter,
        "organiser": people.organiser,
        "professional": personas.professional,
        "professional_1fa": personas.professional,
        "coordinator": personas.coordinator,
        "analyst": people.analyst,
        "admin": personas.admin,
        "outsider": personas.outsider,
    }
    if role == "anonymous":
        return Client()
    return login(Client(), users[role], second_factor=role != "professional_1fa")


def _detail(profile: ResidentProfile, purpose: str, base: str = A) -> str:
    return f"{base}/werk/bewoners/{profile.key}/?doel={purpose}"


def _urls(people: People) -> dict[str, str]:
    bea, kees, bob = people.bea, people.kees, people.bob
    return {
        "my_data": f"{A}/mijn-gegevens/",
        "my_export": f"{A}/mijn-gegevens/download/",
        "my_erase": f"{A}/mijn-gegevens/wissen/",
        "caseload": f"{A}/werk/bewoners/",
        "create": f"{A}/werk/bewoners/nieuw/",
        "bea_sup": _detail(bea, "support"),
        "bea_con": _detail(bea, "contact"),
        "kees_con": _detail(kees, "contact"),
        "bea_lon": f"{A}/werk/bewoners/{bea.key}/eenzaamheid/?doel=support",
        "kees_lon": f"{A}/werk/bewoners/{kees.key}/eenzaamheid/?doel=contact",
        "bea_lad": f"{A}/werk/bewoners/{bea.key}/participatieladder/?doel=support",
        "bob_a": _detail(bob, "support"),
        "bob_b": _detail(bob, "support", "/betastad"),
    }


@pytest.mark.parametrize(("role", "column", "expected"), _matrix())
def test_permission_matrix(personas: Personas, people: People, role: str, column: str, expected: str) -> None:
    client = _client(role, personas, people)
    before = AuditEntry.unscoped.count()
    if column == "api":
        response = client.post(
            "/api/v1/instruments/de-jong-gierveld",
            data=json.dumps({"version": 11, "answers": EXAMPLE_11}),
            content_type="application/json",
        )
    else:
        response = client.get(_urls(people)[column])
    page = response.content.decode(errors="replace")
    if expected == "login":
        assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/"), response
    elif expected == "2fa":
        assert response.status_code == 302 and response["Location"].startswith("/account/tweede-stap/"), response
    elif expected == "404":
        assert response.status_code == 404
    elif expected == "own":
        assert response.status_code == 200
        assert "Bea" in page and "Oude Haven" in page and str(people.bea.key) in page
    elif expected == "none":
        assert response.status_code == 200
        assert "Er staan geen gegevens over jou" in page and str(people.bea.key) not in page
    else:
        assert response.status_code == 200, page[:500]
    if (expected != "200" or column == "api") and column != "my_export":
        # Nothing shown to anyone else, nothing read: no audit entry. (The resident's own export
        # is an entry of its own, see test_my_export_is_a_json_download.)
        assert AuditEntry.unscoped.count() == before


# --- audit entries -----------------------------------------------------------------------------


def _entries_about(profile: ResidentProfile) -> list[AuditEntry]:
    return list(AuditEntry.unscoped.filter(record_ref=str(profile.key)).order_by("id"))


def test_a_professional_read_is_audited_with_its_purpose(personas: Personas, people: People) -> None:
    client = login(Client(), personas.professional)
    before = len(_entries_about(people.bea))
    assert client.get(_detail(people.bea, "referral")).status_code == 200
    entries = _entries_about(people.bea)[before:]
    assert [(e.action, e.purpose, e.actor, e.record_type) for e in entries] == [
        ("read", "referral", personas.professional, "people.residentprofile")
    ]
    assert "Bea" not in json.dumps(entries[0].detail)


def test_the_residents_own_reads_are_not_audited(personas: Personas, people: People) -> None:
    client = login(Client(), personas.resident)
    before = AuditEntry.unscoped.count()
    response = client.get(f"{A}/mijn-gegevens/")
    assert response.status_code == 200
    assert AuditEntry.unscoped.count() == before


def test_the_caseload_is_one_audited_list_read_of_consented_profiles(personas: Personas, people: People) -> None:
    client = login(Client(), personas.professional)
    before = AuditEntry.unscoped.count()
    support = client.get(f"{A}/werk/bewoners/?doel=support").content.decode()
    contact = client.get(f"{A}/werk/bewoners/?doel=contact").content.decode()
    assert ">Bea<" in support and ">Kees<" not in support  # Kees consented to contact only
    assert ">Kees<" in contact and ">Bea<" not in contact  # Bea did not consent to contact
    assert "Bob" not in support  # another municipality
    entries = list(AuditEntry.unscoped.order_by("id"))[before:]
    assert [(e.action, e.purpose, e.detail["keys"]) for e in entries] == [
        ("read", "support", [str(people.bea.key)]),
        ("read", "contact", [str(people.kees.key)]),
    ]


def test_only_my_own_registrations(personas: Personas, people: People) -> None:
    client = login(Client(), personas.professional)
    page = client.get(f"{A}/werk/bewoners/?doel=support&mijn=on").content.decode()
    assert "Er zijn geen bewoners met toestemming voor dit doel." in page  # Bea was made by the system


# --- the resident's pages ----------------------------------------------------------------------


def test_my_data_shows_what_is_stored_and_the_consents(personas: Personas, people: People) -> None:
    page = login(Client(), personas.resident).get(f"{A}/mijn-gegevens/").content.decode()
    for text in ("Bea", "Oude Haven", "1950-1959", "wandelen, koken", "nl, tr", "Kost geld", "maandag ochtend"):
        assert text in page, text
    # Three purposes given, contact not: three revoke buttons, one give button.
    assert page.count('value="revoke"') == 3 and page.count('value="give"') == 1


def test_revoking_on_my_page_takes_effect_at_once(personas: Personas, people: People) -> None:
    resident = login(Client(), personas.resident)
    professional = login(Client(), personas.professional)
    assert professional.get(_detail(people.bea, "support")).status_code == 200
    response = resident.post(f"{A}/mijn-gegevens/toestemming/", {"purpose": "support", "action": "revoke"})
    assert response.status_code == 302
    assert professional.get(_detail(people.bea, "support")).status_code == 404
    assert professional.get(_detail(people.bea, "referral")).status_code == 200
    # And give it (back) for contact, as the resident themself.
    resident.post(f"{A}/mijn-gegevens/toestemming/", {"purpose": "contact", "action": "give"})
    consent = Consent.objects.get(profile=people.bea, purpose="contact", revoked_at__isnull=True)
    assert (consent.given_by, consent.recorded_by) == ("de bewoner zelf", personas.resident)


def test_my_export_is_a_json_download(personas: Personas, people: People) -> None:
    response = login(Client(), personas.resident).get(f"{A}/mijn-gegevens/download/")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="nabij-mijn-gegevens-alfadorp-')
    data = json.loads(response.content)
    assert data["profile"]["key"] == str(people.bea.key) and data["profile"]["name"] == "Bea"
    assert _entries_about(people.bea)[-1].action == "export"


def test_erasing_asks_first_and_then_erases(personas: Personas, people: People) -> None:
    client = login(Client(), personas.resident)
    confirm = client.get(f"{A}/mijn-gegevens/wissen/").content.decode()
    assert "Wissen kan niet ongedaan worden." in confirm
    client.post(f"{A}/mijn-gegevens/wissen/", {})  # without the confirmation: nothing happens
    assert ResidentProfile.objects.active().filter(pk=people.bea.pk).exists()
    response = client.post(f"{A}/mijn-gegevens/wissen/", {"confirm": "yes"})
    assert response.status_code == 302
    row = ResidentProfile.objects.get(pk=people.bea.pk)
    assert row.erased_at is not None and row.user is None and row.name == ""
    assert "Er staan geen gegevens over jou" in client.get(f"{A}/mijn-gegevens/").content.decode()


# --- the professional's pages ------------------------------------------------------------------


def _profile_form(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "name": "Henk",
        "neighbourhood": "",
        "birth_year_band": "1940-1949",
        "isolation_type": "individual",
        "barriers": ["cost", "no_host"],
        "interests": "biljarten, vissen",
        "languages": "nl",
        "availability": ["tu-morning"],
        "requires_vog": "on",
        "wants_support": "on",
        "purposes": ["support", "monitoring"],
        "given_by": "de bewoner zelf",
        "explained": "on",
    }
    data.update(changes)
    return data


def test_creating_a_profile_needs_consent(personas: Personas, people: People) -> None:
    client = login(Client(), personas.professional)
    before = ResidentProfile.objects.count()
    response = client.post(f"{A}/werk/bewoners/nieuw/", _profile_form(purposes=[], explained=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "Kies minstens één doel. Zonder toestemming maken we geen profiel." in page
    assert "Leg eerst uit wat we opslaan en waarvoor." in page
    assert ResidentProfile.objects.count() == before


def test_creating_a_profile_records_the_consent_and_its_recorder(personas: Personas, people: People) -> None:
    client = login(Client(), personas.professional)
    response = client.post(f"{A}/werk/bewoners/nieuw/", _profile_form())
    profile = ResidentProfile.objects.get(name="Henk")
    assert response.status_code == 302 and response["Location"] == _detail(profile, "support")
    assert sorted(profile.consents.values_list("purpose", "given_by", "recorded_by")) == [
        ("monitoring", "de bewoner zelf", personas.professional.pk),
        ("support", "de bewoner zelf", personas.professional.pk),
    ]
    assert profile.barrier_mask == (1 << 0) | (1 << 3)  # cost is bit 0, no_host bit 3 (docs/barriers.md)
    assert profile.interests == ["biljarten", "vissen"]
    assert profile.availability == 1 << 3  # tu-morning: day 1 x 3 parts + part 0
    assert profile.support_wanted_since is not None and profile.support_wanted_since <= timezone.now()


def test_recording_the_questionnaire(personas: Personas, people: People) -> None:
    client = login(Client(), personas.professional)
    url = f"{A}/werk/bewoners/{people.bea.key}/eenzaamheid/?doel=support"
    form = client.get(url).content.decode()
    assert "Er is altijd wel iemand in mijn omgeving bij wie ik met mijn dagelijkse probleempjes terecht kan." in form
    assert form.count('type="radio"') == 33  # 11 statements x ja / min of meer / nee
    data = {f"answer_{n}": answer for n, answer in enumerate(EXAMPLE_11, start=1)}
    response = client.post(url, {**data, "measured_on": "2025-03-01", "versie": "11", "doel": "support"})
    assert response.status_code == 302
    measurement = LonelinessMeasurement.objects.get(profile=people.bea)
    assert (measurement.total, measurement.emotional, measurement.social) == (5, 3, 2)
    assert measurement.recorded_by == personas.professional


def test_the_short_questionnaire_in_its_own_order(personas: Personas, people: People) -> None:
    client = login(Client(), personas.professional)
    url = f"{A}/werk/bewoners/{people.bea.key}/eenzaamheid/?doel=support&versie=6"
    form = client.get(url).content.decode()
    assert form.count('type="radio"') == 18
    assert form.index("1. Ik ervaar een leegte om me heen.") < form.index("6. Vaak voel ik me in de steek gelaten.")
    # One answer left out (6, in de steek gelaten): the total is still there.
    data = {"answer_1": "ja", "answer_2": "nee", "answer_3": "nee", "answer_4": "ja", "answer_5": "nee"}
    client.post(url, {**data, "measured_on": "2025-03-01", "versie": "6", "doel": "support"})
    measurement = LonelinessMeasurement.objects.get(profile=people.bea)
    assert (measurement.version, measurement.total, measurement.emotional, measurement.category) == (
        6,
        5,
        None,
        "ernstig eenzaam",
    )


def test_recording_a_rung(personas: Personas, people: People) -> None:
    client = login(Client(), personas.coordinator)
    url = f"{A}/werk/bewoners/{people.bea.key}/participatieladder/?doel=support"
    bad = client.post(url, {"rung": "9", "measured_on": "2025-03-01", "doel": "support"})
    assert bad.status_code == 400 and "Kies een trede." in bad.content.decode()
    client.post(url, {"rung": "3", "measured_on": "2025-03-01", "doel": "support"})
    assert list(LadderMeasurement.objects.filter(profile=people.bea).values_list("rung", flat=True)) == [3]


def test_a_professional_records_a_revocation_by_phone(personas: Personas, people: People) -> None:
    client = login(Client(), personas.professional)
    url = f"{A}/werk/bewoners/{people.bea.key}/toestemming/"
    response = client.post(url, {"action": "revoke", "purpose": "support", "doel": "support"})
    # Read for support, and support is gone: back to the list, the profile is out of reach.
    assert response.status_code == 302 and response["Location"] == f"{A}/werk/bewoners/"
    assert not people.bea.has_consent("support")
    # A new consent, recorded for the resident.
    client.post(url, {"action": "give", "purpose": "contact", "given_by": "de bewoner zelf", "doel": "referral"})
    assert people.bea.has_consent(ConsentPurpose.CONTACT)


@pytest.mark.parametrize(
    "make_url",
    [
        lambda p: f"{A}/werk/bewoners/{p.bea.key}/toestemming/",
        lambda p: f"{A}/mijn-gegevens/toestemming/",
    ],
)
def test_consent_changes_are_posts_only(personas: Personas, people: People, make_url: Callable[[People], str]) -> None:
    client = login(Client(), personas.professional if "werk" in make_url(people) else personas.resident)
    assert client.get(make_url(people)).status_code == 405
