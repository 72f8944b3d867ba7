"""The organiser pages: organisations, places, activities, the drempelscan and the history.

Who may not: anonymous (→ login), residents, professionals, the organiser of another
organisation in the same municipality and anyone from another municipality all get a 404 (the
pages answer 404 for what is not yours, never 403); a coordinator must pass the second factor.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django_scopes import scope

from nabij.accounts.models import Role
from nabij.core.models import AuditEntry
from nabij.socialmap import catalogue
from nabij.socialmap.models import (
    AMSTERDAM,
    Activity,
    ActivityStatus,
    BarrierProfileChange,
    Domain,
    Organisation,
    ParticipationType,
    Place,
)
from nabij.testing.factories import (
    ActivityFactory,
    OrganisationFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from nabij.testing.personas import Personas, login
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

BIT = {d.code: d.bit for d in catalogue.DEFAULT_BARRIERS}
A = "/alfadorp/organiseren"


def mask(*codes: str) -> int:
    return sum(1 << BIT[code] for code in codes)


def checked(page: str, name: str, value: str) -> bool:
    """Whether the page has the radio button `name` = `value` selected."""
    return bool(re.search(rf'<input type="radio" name="{name}" value="{value}"[^>]* checked>', page))


@pytest.fixture
def offer(socialmap: SocialMap) -> dict[str, Any]:
    """A place and an activity for each of the two organisations of municipality A."""
    ontmoeten = ParticipationType.objects.get(code="ontmoeten")
    place = PlaceFactory.create(organisation=socialmap.organisation, name="De Linde, zaal 1")
    activity = ActivityFactory.create(
        organisation=socialmap.organisation,
        place=place,
        participation_type=ontmoeten,
        title="Koffie-ochtend",
        status=ActivityStatus.DRAFT,
        barrier_mask=mask("cost", "registration"),
        dtstart=dt.datetime(2025, 1, 7, 10, 0, tzinfo=AMSTERDAM),
        rrule="FREQ=WEEKLY;BYDAY=TU",
    )
    other_place = PlaceFactory.create(organisation=socialmap.other_organisation, name="Sporthal Vooruit")
    other_activity = ActivityFactory.create(
        organisation=socialmap.other_organisation,
        place=other_place,
        participation_type=ontmoeten,
        title="Voetbal voor iedereen",
    )
    return {"place": place, "activity": activity, "other_place": other_place, "other_activity": other_activity}


@pytest.fixture
def organiser_client(socialmap: SocialMap) -> Client:
    # Organisers hold no role that needs the second factor.
    return login(Client(), socialmap.organiser, second_factor=False)


def object_urls(socialmap: SocialMap, offer: dict[str, Any]) -> list[str]:
    """Every page about the first organisation's own objects."""
    org, place, activity = socialmap.organisation.uid, offer["place"].uid, offer["activity"].uid
    return [
        f"{A}/organisaties/{org}/",
        f"{A}/organisaties/{org}/bewerken/",
        f"{A}/organisaties/{org}/plekken/nieuw/",
        f"{A}/organisaties/{org}/activiteiten/nieuw/",
        f"{A}/plekken/{place}/",
        f"{A}/plekken/{place}/archiveren/",
        f"{A}/activiteiten/{activity}/",
        f"{A}/activiteiten/{activity}/drempelscan/",
        f"{A}/activiteiten/{activity}/drempelscan/uitslag/",
        f"{A}/activiteiten/{activity}/geschiedenis/",
    ]


COORDINATOR_ONLY = ["organisaties/nieuw/"]


# ---------------------------------------------------------------------------------------------
# Who may not
# ---------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Client, socialmap: SocialMap, offer: dict[str, Any]) -> None:
    for url in [f"{A}/", f"{A}/organisaties/nieuw/", *object_urls(socialmap, offer)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/inloggen/?next="), url


@pytest.mark.parametrize("name", ["resident", "professional", "outsider"])
def test_people_without_an_organiser_role_get_404(
    name: str, personas: Personas, socialmap: SocialMap, offer: dict[str, Any]
) -> None:
    client = login(Client(), getattr(personas, name))
    for url in [f"{A}/", f"{A}/organisaties/nieuw/", *object_urls(socialmap, offer)]:
        assert client.get(url).status_code == 404, url


def test_organiser_of_another_organisation_gets_404_and_changes_nothing(
    socialmap: SocialMap, offer: dict[str, Any]
) -> None:
    client = login(Client(), socialmap.other_organiser, second_factor=False)
    for url in object_urls(socialmap, offer):
        assert client.get(url).status_code == 404, url
    activity = offer["activity"]
    before = activity.barrier_mask
    assert client.post(f"{A}/activiteiten/{activity.uid}/drempelscan/", {"barrier_cost": "nee"}).status_code == 404
    assert client.post(f"{A}/activiteiten/{activity.uid}/status/", {"status": "published"}).status_code == 404
    assert client.post(f"{A}/plekken/{offer['place'].uid}/archiveren/").status_code == 404
    activity.refresh_from_db()
    offer["place"].refresh_from_db()
    assert activity.barrier_mask == before and activity.status == ActivityStatus.DRAFT
    assert offer["place"].archived_at is None
    # Their own overview shows their own organisation only.
    page = client.get(f"{A}/").content.decode()
    assert "Sportclub Vooruit" in page and "Buurthuis De Linde" not in page


def test_organiser_may_not_create_or_archive_organisations(
    organiser_client: Client, socialmap: SocialMap, offer: dict[str, Any]
) -> None:
    assert organiser_client.get(f"{A}/organisaties/nieuw/").status_code == 404
    archive = f"{A}/organisaties/{socialmap.organisation.uid}/archiveren/"
    assert organiser_client.post(archive).status_code == 404
    socialmap.organisation.refresh_from_db()
    assert socialmap.organisation.archived_at is None


def test_outsider_cannot_reach_a_objects_through_its_own_municipality(
    personas: Personas, socialmap: SocialMap, offer: dict[str, Any]
) -> None:
    with scope(municipality=personas.municipality_b):
        organisation_b = OrganisationFactory.create(municipality=personas.municipality_b, name="Club Beta")
    organiser_b = UserFactory.create(email="organisator@beta.test")
    RoleAssignmentFactory.create(
        user=organiser_b, municipality=personas.municipality_b, role=Role.ORGANISER, organisation=organisation_b
    )
    client = login(Client(), organiser_b, second_factor=False)
    for url in object_urls(socialmap, offer):
        assert client.get(url).status_code == 404, url
        assert client.get(url.replace("/alfadorp/", "/betastad/")).status_code == 404, url
    assert client.get("/betastad/organiseren/").status_code == 200


def test_coordinator_must_pass_the_second_factor(
    personas: Personas, socialmap: SocialMap, offer: dict[str, Any]
) -> None:
    client = login(Client(), personas.coordinator, second_factor=False)
    for url in [f"{A}/", *object_urls(socialmap, offer)]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/account/tweede-stap/"), url


def test_admin_may_edit_every_organisation(personas: Personas, socialmap: SocialMap, offer: dict[str, Any]) -> None:
    client = login(Client(), personas.admin)
    for url in object_urls(socialmap, offer):
        assert client.get(url).status_code == 200, url
    assert client.get(f"{A}/organisaties/{socialmap.other_organisation.uid}/archiveren/").status_code == 200


def test_status_change_needs_post(organiser_client: Client, offer: dict[str, Any]) -> None:
    assert organiser_client.get(f"{A}/activiteiten/{offer['activity'].uid}/status/").status_code == 405


# ---------------------------------------------------------------------------------------------
# Overview and organisations
# ---------------------------------------------------------------------------------------------


def test_organiser_overview_shows_own_places_and_activities(organiser_client: Client, offer: dict[str, Any]) -> None:
    response = organiser_client.get(f"{A}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Buurthuis De Linde" in page and "De Linde, zaal 1" in page and "Koffie-ochtend" in page
    assert "Voetbal voor iedereen" not in page and "Sportclub Vooruit" not in page
    assert "Concept" in page  # its status
    row = page[page.index("Koffie-ochtend") :]
    # Two barriers (cost, registration), and the link to its drempelscan.
    assert (
        '<td class="utrecht-table__cell utrecht-table__cell--numeric-column utrecht-table__cell--numeric-data">2</td>'
        in row
    )
    assert f"/activiteiten/{offer['activity'].uid}/drempelscan/" in row


def test_coordinator_sees_every_organisation_with_filter_and_pages(
    coordinator_client: Client, personas: Personas, socialmap: SocialMap
) -> None:
    for number in range(30):
        OrganisationFactory.create(municipality=personas.municipality_a, name=f"Vereniging {number:02d}")
    page = coordinator_client.get(f"{A}/").content.decode()
    assert "32 organisaties gevonden" in page
    # Sorted by name, 25 a page: "Buurthuis De Linde", "Sportclub Vooruit", then "Vereniging 00".. "22".
    assert "Buurthuis De Linde" in page and "Vereniging 22" in page and "Vereniging 23" not in page
    second = coordinator_client.get(f"{A}/?page=2").content.decode()
    assert "Vereniging 23" in second and "Vereniging 29" in second and "Buurthuis" not in second
    filtered = coordinator_client.get(f"{A}/?q=linde").content.decode()
    assert "1 organisatie gevonden" in filtered and "Buurthuis De Linde" in filtered
    assert "Sportclub Vooruit" not in filtered
    # Coordinators may open any organisation's pages.
    assert coordinator_client.get(f"{A}/organisaties/{socialmap.other_organisation.uid}/").status_code == 200


def test_organiser_updates_own_organisation(organiser_client: Client, socialmap: SocialMap) -> None:
    url = f"{A}/organisaties/{socialmap.organisation.uid}/bewerken/"
    data = {"name": "Buurthuis De Linde", "sphere": "oikos", "kind": "vereniging", "website": "linde.nl"}
    response = organiser_client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == f"{A}/organisaties/{socialmap.organisation.uid}/"
    socialmap.organisation.refresh_from_db()
    assert socialmap.organisation.kind == "vereniging"
    assert socialmap.organisation.website == "https://linde.nl"
    entry = AuditEntry.objects.filter(record_type="socialmap.organisation").latest("at")
    assert entry.actor == socialmap.organiser


def test_bad_organisation_form_writes_nothing(
    organiser_client: Client, coordinator_client: Client, socialmap: SocialMap
) -> None:
    url = f"{A}/organisaties/{socialmap.organisation.uid}/bewerken/"
    response = organiser_client.post(url, {"name": "", "sphere": "oikos", "kind": "iets", "email": "geen-mail"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul dit veld in." in page
    assert "Vul een e-mailadres in, zoals info@voorbeeld.nl." in page
    socialmap.organisation.refresh_from_db()
    assert socialmap.organisation.name == "Buurthuis De Linde"
    # A name another organisation already has: a clear error, nothing written.
    count = Organisation.objects.count()
    response = coordinator_client.post(
        f"{A}/organisaties/nieuw/", {"name": "sportclub vooruit", "sphere": "oikos", "kind": "vereniging"}
    )
    assert response.status_code == 400
    assert "Er is al een organisatie met deze naam in deze gemeente." in response.content.decode()
    assert Organisation.objects.count() == count


def test_coordinator_creates_and_archives_an_organisation(
    coordinator_client: Client, socialmap: SocialMap, offer: dict[str, Any]
) -> None:
    response = coordinator_client.post(
        f"{A}/organisaties/nieuw/", {"name": "Moestuin Oost", "sphere": "oikos", "kind": "bewonersinitiatief"}
    )
    created = Organisation.objects.get(name="Moestuin Oost")
    assert response["Location"] == f"{A}/organisaties/{created.uid}/"
    archive = f"{A}/organisaties/{socialmap.organisation.uid}/archiveren/"
    assert "Weet je zeker" in coordinator_client.get(archive).content.decode()
    assert coordinator_client.post(archive).status_code == 302
    socialmap.organisation.refresh_from_db()
    offer["activity"].refresh_from_db()
    assert socialmap.organisation.archived_at is not None
    assert offer["activity"].status == ActivityStatus.ARCHIVED


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------

PLACE = {
    "name": "Buurtkamer Oost",
    "kind": "buurthuis",
    "street": "Lindelaan",
    "house_number": "12a",
    "postcode": "1234ab",
    "city": "Alfadorp",
    "lat": "52,0907",
    "lon": "5.1214",
    "step_free_entrance": "ja",
    "wheelchair_accessible": "nee",
    "accessible_toilet": "onbekend",
}


def test_organiser_adds_a_place(organiser_client: Client, socialmap: SocialMap, personas: Personas) -> None:
    url = f"{A}/organisaties/{socialmap.organisation.uid}/plekken/nieuw/"
    form = organiser_client.get(url).content.decode()
    assert "Oude Haven" in form and "Nieuwe Haven" not in form  # only this municipality's buurten
    response = organiser_client.post(url, {**PLACE, "neighbourhood": personas.neighbourhood_a.pk})
    assert response.status_code == 302
    place = Place.objects.get(name="Buurtkamer Oost")
    assert place.organisation == socialmap.organisation
    assert place.postcode == "1234 AB"
    assert (place.lat, place.lon) == (52.0907, 5.1214)
    assert (place.step_free_entrance, place.wheelchair_accessible, place.accessible_toilet) == (True, False, None)
    assert place.neighbourhood == personas.neighbourhood_a


def test_bad_place_form_names_each_field_and_writes_nothing(
    organiser_client: Client, socialmap: SocialMap, personas: Personas
) -> None:
    url = f"{A}/organisaties/{socialmap.organisation.uid}/plekken/nieuw/"
    count = Place.objects.count()
    bad = {**PLACE, "postcode": "12AB", "lon": "", "neighbourhood": personas.neighbourhood_b.pk, "kind": ""}
    response = organiser_client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul een Nederlandse postcode in: vier cijfers en twee letters, zoals 1234 AB." in page
    assert "Vul de breedtegraad en de lengtegraad allebei in, of geen van beide." in page
    assert "Kies een buurt uit de lijst." in page  # a buurt of municipality B
    assert "Kies wat voor plek het is." in page
    assert 'aria-invalid="true"' in page and "id_postcode_error" in page
    assert Place.objects.count() == count


def test_place_update_moves_the_wheelchair_barrier_of_its_activities(
    organiser_client: Client, offer: dict[str, Any]
) -> None:
    place, activity = offer["place"], offer["activity"]
    form = organiser_client.get(f"{A}/plekken/{place.uid}/").content.decode()
    assert checked(form, "wheelchair_accessible", "ja")
    data = {**PLACE, "name": place.name, "postcode": "1234 AB"}
    assert organiser_client.post(f"{A}/plekken/{place.uid}/", data).status_code == 302
    activity.refresh_from_db()
    assert activity.barrier_mask == mask("cost", "registration", "physical")


def test_place_archive(organiser_client: Client, offer: dict[str, Any]) -> None:
    url = f"{A}/plekken/{offer['place'].uid}/archiveren/"
    assert organiser_client.get(url).status_code == 200
    assert organiser_client.post(url).status_code == 302
    offer["place"].refresh_from_db()
    assert offer["place"].archived_at is not None
    # An archived place is no longer offered for a new activity.
    form = organiser_client.get(f"{A}/organisaties/{offer['place'].organisation.uid}/activiteiten/nieuw/")
    assert "De Linde, zaal 1" not in form.content.decode()


# ---------------------------------------------------------------------------------------------
# Activities
# ---------------------------------------------------------------------------------------------


def activity_data(offer: dict[str, Any], **changes: Any) -> dict[str, Any]:
    data = {
        "title": "Samen koken",
        "description": "We koken samen en eten daarna.",
        "what_to_expect": "",
        "first_date": "2030-01-07",  # a Monday
        "start_time": "10:00",
        "duration_minutes": "90",
        "repeat": "weekly",
        "weekdays": ["TU", "TH"],
        "monthly_nth": "",
        "monthly_weekday": "",
        "rrule_text": "",
        "exdates": "15-01-2030\n",
        "active_from": "",
        "active_until": "",
        "place": offer["place"].pk,
        "cost": "2,50",
        "sign_up_channel": "in_person",
        "commitment": "drop_in",
        "capacity": "",
        "expected_group_size": "8",
        "who_welcomes_you": "Gastheer Ali",
        "contact_email": "",
        "contact_phone": "",
        "participation_type": ParticipationType.objects.get(code="creatief").pk,
        "domains": [Domain.objects.get(code="gezondheid").pk, Domain.objects.get(code="eigen_netwerken").pk],
        "action_perspective": "warme_plek",
    }
    data.update(changes)
    return data


def test_organiser_adds_an_activity_and_sees_its_next_dates(
    organiser_client: Client, socialmap: SocialMap, offer: dict[str, Any]
) -> None:
    url = f"{A}/organisaties/{socialmap.organisation.uid}/activiteiten/nieuw/"
    response = organiser_client.post(url, activity_data(offer))
    activity = Activity.objects.get(title="Samen koken")
    assert response.status_code == 302 and response["Location"] == f"{A}/activiteiten/{activity.uid}/"
    assert activity.organisation == socialmap.organisation and activity.status == ActivityStatus.DRAFT
    assert activity.rrule == "FREQ=WEEKLY;BYDAY=TU,TH"
    assert activity.dtstart == dt.datetime(2030, 1, 7, 10, 0, tzinfo=AMSTERDAM)
    assert activity.duration == dt.timedelta(minutes=90)
    assert activity.exdates == ["2030-01-15"]
    assert activity.cost_cents == 250
    assert {d.code for d in activity.domains.all()} == {"gezondheid", "eigen_netwerken"}
    # Derived: it costs money and has no free option; there is a host; the group is small.
    assert activity.barrier_mask == mask("cost")
    page = organiser_client.get(response["Location"]).content.decode()
    assert "De activiteit is opgeslagen als concept." in page
    # Tuesdays and Thursdays from Monday 7 January 2030, without 15 January.
    for day in ["dinsdag 8 januari 2030", "donderdag 10 januari 2030", "donderdag 17 januari 2030"]:
        assert f"{day}, 10:00" in page
    assert "dinsdag 22 januari 2030, 10:00" in page and "donderdag 24 januari 2030, 10:00" in page
    assert "15 januari 2030" not in page and "29 januari 2030" not in page


def test_bad_activity_form_shows_dutch_errors_and_writes_nothing(
    organiser_client: Client, socialmap: SocialMap, offer: dict[str, Any]
) -> None:
    url = f"{A}/organisaties/{socialmap.organisation.uid}/activiteiten/nieuw/"
    count, changes = Activity.objects.count(), BarrierProfileChange.objects.count()
    bad = activity_data(
        offer, title="", exdates="1-1-2030\n31-02-2030", cost="twee euro", first_date="morgen", duration_minutes="0"
    )
    response = organiser_client.post(url, bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul dit veld in." in page
    assert "Regel 2 is geen datum: &#x27;31-02-2030&#x27;." in page
    assert "Vul een bedrag in euro&#x27;s in, zoals 2,50." in page
    assert "Vul een datum in, zoals 25-12-2025." in page
    assert "Vul een getal in van 1 of meer." in page
    advanced = organiser_client.post(url, activity_data(offer, repeat="advanced", rrule_text="FREQ=SOMETIMES"))
    assert advanced.status_code == 400
    assert "De herhaling is geen geldige RRULE (RFC 5545)" in advanced.content.decode()
    empty = organiser_client.post(url, activity_data(offer, repeat="advanced", rrule_text=""))
    assert "Je koos &#x27;Anders&#x27;. Schrijf dan hier de herhaalregel." in empty.content.decode()
    # Another organisation's place is not a choice.
    other = organiser_client.post(url, activity_data(offer, place=offer["other_place"].pk))
    assert "Kies een plek van je organisatie uit de lijst." in other.content.decode()
    assert Activity.objects.count() == count and BarrierProfileChange.objects.count() == changes


def test_activity_update_keeps_the_form_in_step_with_the_services(
    organiser_client: Client, offer: dict[str, Any]
) -> None:
    activity = offer["activity"]
    url = f"{A}/activiteiten/{activity.uid}/"
    form = organiser_client.get(url).content.decode()
    # The stored weekly rule comes back as the friendly choice.
    assert checked(form, "repeat", "weekly")
    data = activity_data(
        offer,
        title="Koffie-ochtend",
        first_date="2025-01-07",
        weekdays=["TU"],
        exdates="",
        cost="0",
        repeat="biweekly",
        expected_group_size="20",
        participation_type=activity.participation_type.pk,
        domains=[Domain.objects.get(code="mantelzorg").pk],
        registration_required="on",
    )
    assert organiser_client.post(url, data).status_code == 302
    activity.refresh_from_db()
    assert activity.rrule == "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU"
    assert [d.code for d in activity.domains.all()] == ["mantelzorg"]
    # Only the barriers whose facts changed move: crowded comes, registration (drempelscan) stays,
    # cost stays because the factory's cost was already 0.
    assert activity.barrier_mask == mask("cost", "registration", "crowded")
    # Nothing changed: nothing is written.
    changes = BarrierProfileChange.objects.count()
    response = organiser_client.post(url, data, follow=True)
    assert "Er was niets veranderd." in response.content.decode()
    assert BarrierProfileChange.objects.count() == changes


def test_status_actions(organiser_client: Client, socialmap: SocialMap, offer: dict[str, Any]) -> None:
    activity = offer["activity"]
    url = f"{A}/activiteiten/{activity.uid}/status/"
    response = organiser_client.post(url, {"status": "published"}, follow=True)
    assert "De activiteit is gepubliceerd." in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.PUBLISHED
    organiser_client.post(url, {"status": "archived"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.ARCHIVED
    organiser_client.post(url, {"status": "draft"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT
    organiser_client.post(url, {"status": "weg"})
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT
    # An archived organisation's activity cannot be published: the service says why.
    Organisation.objects.filter(pk=socialmap.organisation.pk).update(archived_at=dt.datetime.now(tz=AMSTERDAM))
    response = organiser_client.post(url, {"status": "published"}, follow=True)
    assert "De organisatie is gearchiveerd" in response.content.decode()
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.DRAFT


# ---------------------------------------------------------------------------------------------
# Drempelscan and history
# ---------------------------------------------------------------------------------------------

SCANNED = ["cost", "registration", "commitment", "no_host", "crowded", "skills", "language", "physical", "digital"]


def scan_answers(*present: str) -> dict[str, str]:
    return {f"barrier_{code}": "ja" if code in present else "nee" for code in SCANNED}


def test_drempelscan_is_prefilled_and_marks_what_the_facts_show(
    organiser_client: Client, offer: dict[str, Any]
) -> None:
    activity = offer["activity"]
    Activity.objects.filter(pk=activity.pk).update(cost_cents=300)
    page = organiser_client.get(f"{A}/activiteiten/{activity.uid}/drempelscan/").content.decode()
    assert "Kost meedoen geld?" in page
    assert "Niet in de buurt" not in page and "barrier_distance" not in page  # relational: never asked
    assert checked(page, "barrier_cost", "ja") and checked(page, "barrier_no_host", "nee")
    assert not checked(page, "barrier_no_host", "ja")
    # cost follows from the facts (3 euro, no free option); registration was only set by hand.
    assert 'id="id_barrier_cost_helptext">Dit volgt uit de gegevens van de activiteit.' in page
    assert "id_barrier_registration_helptext" not in page


def test_drempelscan_stores_answers_and_shows_advice_and_group_counts(
    organiser_client: Client, socialmap: SocialMap, offer: dict[str, Any]
) -> None:
    activity = offer["activity"]
    Activity.objects.filter(pk=activity.pk).update(cost_cents=250, expected_group_size=25)
    url = f"{A}/activiteiten/{activity.uid}/drempelscan/"
    response = organiser_client.post(url, scan_answers("cost", "crowded", "digital"))
    assert response.status_code == 302 and response["Location"] == f"{url}uitslag/"
    activity.refresh_from_db()
    assert activity.barrier_mask == mask("cost", "crowded", "digital")
    change = BarrierProfileChange.objects.filter(activity=activity).latest("at")
    assert change.source == "drempelscan" and change.actor == socialmap.organiser
    page = organiser_client.get(response["Location"]).content.decode()
    assert "Deze activiteit heeft 3 drempels." in page
    assert "Meedoen kost nu € 2,50." in page  # the service's concrete suggestion
    assert "Je verwacht 25 mensen." in page
    # epa is sensitive to cost, registration, crowded, no_host: cost and crowded count.
    table = page[page.index("Aantal drempels per doelgroep") :]
    assert "Mensen met een ernstige psychische aandoening" in table
    assert 'numeric-data">2</td>' in table


def test_drempelscan_with_a_missing_answer_writes_nothing(organiser_client: Client, offer: dict[str, Any]) -> None:
    activity = offer["activity"]
    answers = scan_answers()
    del answers["barrier_language"]
    changes = BarrierProfileChange.objects.count()
    response = organiser_client.post(f"{A}/activiteiten/{activity.uid}/drempelscan/", answers)
    assert response.status_code == 400
    assert "Kies ja of nee." in response.content.decode()
    activity.refresh_from_db()
    assert activity.barrier_mask == mask("cost", "registration")
    assert BarrierProfileChange.objects.count() == changes


def test_history_shows_who_how_and_what(organiser_client: Client, socialmap: SocialMap, offer: dict[str, Any]) -> None:
    activity = offer["activity"]
    socialmap.organiser.display_name = "Olga Organisator"
    socialmap.organiser.save()
    organiser_client.post(f"{A}/activiteiten/{activity.uid}/drempelscan/", scan_answers("cost", "no_host"))
    page = organiser_client.get(f"{A}/activiteiten/{activity.uid}/geschiedenis/").content.decode()
    assert "Olga Organisator" in page
    row = page[page.index("Olga Organisator") :]
    assert "Drempelscan door de organisator" in row
    # Added no_host, removed registration.
    assert "Niemand die je ontvangt" in row and "Vooraf aanmelden of intake" in row
    assert row.index("Niemand die je ontvangt") < row.index("Vooraf aanmelden of intake")


def test_history_is_empty_before_any_change(organiser_client: Client, offer: dict[str, Any]) -> None:
    page = organiser_client.get(f"{A}/activiteiten/{offer['activity'].uid}/geschiedenis/").content.decode()
    assert "Het drempelprofiel is nog niet veranderd." in page
