"""The coordinator's barrier table page, its CSV, and the barrier catalogue page.

The inventory is small enough to count by hand. Target group `epa` is sensitive to cost,
registration, crowded and no_host; skills and digital do not count for it.
"""

from __future__ import annotations

import datetime as dt
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django_scopes import scope

from nabij.accounts.models import Role
from nabij.socialmap import catalogue
from nabij.socialmap.models import Activity, Barrier, ParticipationType, TargetGroup
from nabij.testing.factories import (
    ActivityFactory,
    DistrictFactory,
    NeighbourhoodFactory,
    PlaceFactory,
    RoleAssignmentFactory,
    UserFactory,
)
from nabij.testing.personas import Personas, login
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

URL = "/alfadorp/beheer/drempeltabel/"
CSV_URL = "/alfadorp/beheer/drempeltabel/csv/"
CATALOGUE_URL = "/alfadorp/beheer/drempels/"
BIT = {d.code: d.bit for d in catalogue.DEFAULT_BARRIERS}
DAY = dt.date(2025, 6, 1)


def mask(*codes: str) -> int:
    return sum(1 << BIT[code] for code in codes)


@pytest.fixture
def inventory(socialmap: SocialMap, personas: Personas) -> None:
    a = personas.municipality_a
    north = DistrictFactory.create(municipality=a, code="WK000102", name="Noord Alfa")
    buurt_north = NeighbourhoodFactory.create(district=north, code="BU00010201", name="Noorderhof")
    org = socialmap.organisation
    centre_place = PlaceFactory.create(organisation=org, neighbourhood=personas.neighbourhood_a)
    north_place = PlaceFactory.create(organisation=org, neighbourhood=buurt_north)
    types = {t.code: t for t in ParticipationType.objects.all()}

    def activity(kind: str, place: object, barriers: int, **extra: object) -> Activity:
        return ActivityFactory.create(
            organisation=org, place=place, participation_type=types[kind], barrier_mask=barriers, **extra
        )

    activity("ontmoeten", centre_place, 0)  # 0
    activity("ontmoeten", centre_place, mask("cost", "digital"))  # 1
    activity("ontmoeten", north_place, mask("cost", "registration", "crowded", "no_host", "skills"))  # 4+
    activity("bewegen", north_place, mask("registration", "crowded"))  # 2
    activity("bewegen", centre_place, mask("cost", "registration", "no_host"), active_from=DAY, active_until=DAY)  # 3
    activity("creatief", None, mask("no_host"))  # 1, online
    activity("ontmoeten", centre_place, 0, status="draft")  # never counts


def html_table(page: str) -> dict[str, list[int]]:
    """Row header → the six numbers (0, 1, 2, 3, 4+, total) of the page's barrier table."""
    body = page[page.index('<tbody class="utrecht-table__body">') : page.index("</tbody>")]
    rows = {}
    for label, cells in re.findall(r'scope="row">([^<]+)</th>(.*?)</tr>', body, flags=re.S):
        rows[label] = [int(n) for n in re.findall(r">(\d+)</td>", cells)]
    return rows


@pytest.fixture
def analyst_client(personas: Personas) -> Client:
    analyst = UserFactory.create(email="analist@alfadorp.test")
    RoleAssignmentFactory.create(user=analyst, municipality=personas.municipality_a, role=Role.ANALYST)
    return login(Client(), analyst, second_factor=False)


# ---------------------------------------------------------------------------------------------
# Who may not
# ---------------------------------------------------------------------------------------------


def test_anonymous_is_sent_to_login(client: Client, socialmap: SocialMap) -> None:
    for url in (URL, CSV_URL, CATALOGUE_URL):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/"), url


@pytest.mark.parametrize("name", ["resident", "professional", "outsider"])
def test_other_roles_get_404(name: str, personas: Personas, socialmap: SocialMap) -> None:
    client = login(Client(), getattr(personas, name))
    for url in (URL, CSV_URL, CATALOGUE_URL):
        assert client.get(url).status_code == 404, url


def test_organisers_get_404(socialmap: SocialMap) -> None:
    for organiser in (socialmap.organiser, socialmap.other_organiser):
        client = login(Client(), organiser, second_factor=False)
        for url in (URL, CSV_URL, CATALOGUE_URL):
            assert client.get(url).status_code == 404, url


def test_outsider_gets_404_in_own_municipality_for_a_table_of_a(outsider_client: Client, socialmap: SocialMap) -> None:
    # The outsider is a professional in B: not a reader of B's table either.
    assert outsider_client.get("/betastad/beheer/drempeltabel/").status_code == 404


def test_analyst_reads_the_table_but_not_the_catalogue(analyst_client: Client, socialmap: SocialMap) -> None:
    assert analyst_client.get(URL).status_code == 200
    assert analyst_client.get(CATALOGUE_URL).status_code == 404


def test_table_shows_no_people_so_needs_no_second_factor(personas: Personas, socialmap: SocialMap) -> None:
    client = login(Client(), personas.coordinator, second_factor=False)
    assert client.get(URL).status_code == 200
    # The catalogue changes every activity's profile: the second factor first.
    response = client.get(CATALOGUE_URL)
    assert response.status_code == 302 and response["Location"].startswith("/account/tweede-stap/")


# ---------------------------------------------------------------------------------------------
# The table
# ---------------------------------------------------------------------------------------------


def test_defaults_are_epa_the_whole_municipality_and_today(coordinator_client: Client, inventory: None) -> None:
    page = coordinator_client.get(URL).content.decode()
    assert '<option value="epa" selected>' in page
    assert "Mensen met een ernstige psychische aandoening (EPA), in Alfadorp" in page
    # Today is not DAY, so the activity that runs on DAY only does not count.
    assert html_table(page) == {
        "Ontmoeten": [1, 1, 0, 0, 1, 3],
        "Bewegen": [0, 0, 1, 0, 0, 1],
        "Creatief": [0, 1, 0, 0, 0, 1],
        "Vrijwilligerswerk": [0, 0, 0, 0, 0, 0],
    }
    assert '<caption class="utrecht-table__caption nabij-caption" id="table-caption">' in page
    assert page.count('scope="col"') == 7 and page.count('scope="row"') == 5  # four types and the total
    footer = page[page.index("<tfoot") : page.index("</tfoot>")]
    assert re.findall(r">(\d+)</td>", footer) == ["1", "2", "1", "0", "1", "5"]


def test_date_district_and_neighbourhood(coordinator_client: Client, inventory: None) -> None:
    on_day = html_table(coordinator_client.get(URL, {"group": "epa", "date": "2025-06-01"}).content.decode())
    assert on_day["Bewegen"] == [0, 0, 1, 1, 0, 2]
    north = html_table(coordinator_client.get(URL, {"group": "epa", "area": "WK000102"}).content.decode())
    assert north == {
        "Ontmoeten": [0, 0, 0, 0, 1, 1],
        "Bewegen": [0, 0, 1, 0, 0, 1],
        "Creatief": [0, 0, 0, 0, 0, 0],  # online activities count only municipality-wide
        "Vrijwilligerswerk": [0, 0, 0, 0, 0, 0],
    }
    page = coordinator_client.get(URL, {"group": "epa", "area": "BU00010101", "date": "2025-06-01"}).content.decode()
    assert "in buurt Oude Haven, op 1 juni 2025" in page
    centre = html_table(page)
    assert centre["Ontmoeten"] == [1, 1, 0, 0, 0, 2] and centre["Bewegen"] == [0, 0, 0, 1, 0, 1]


def test_another_group_counts_its_own_barriers(coordinator_client: Client, inventory: None) -> None:
    TargetGroup.objects.create(
        municipality=TargetGroup.objects.get(code="epa").municipality,
        code="digitaal",
        name_nl="Mensen zonder internet",
        sensitivity_mask=mask("digital", "skills"),
    )
    table = html_table(coordinator_client.get(URL, {"group": "digitaal"}).content.decode())
    # cost+digital → 1; the five-barrier one has skills → 1; the rest 0.
    assert table["Ontmoeten"] == [1, 2, 0, 0, 0, 3]


def test_bad_choices_are_clear_errors(coordinator_client: Client, inventory: None) -> None:
    response = coordinator_client.get(URL, {"group": "epa", "date": "31-02-2025", "area": "BU00020101"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vul een datum in, zoals 25-12-2025." in page
    assert "Kies een wijk of buurt uit de lijst." in page  # a buurt of municipality B
    assert "<tbody" not in page
    unknown = coordinator_client.get(URL, {"group": "niemand", "date": "2025-06-01"})
    assert "Kies een doelgroep uit de lijst." in unknown.content.decode()
    assert coordinator_client.get(CSV_URL, {"group": "niemand"}).status_code == 400


def test_csv_is_the_same_as_the_command(coordinator_client: Client, personas: Personas, inventory: None) -> None:
    response = coordinator_client.get(CSV_URL, {"group": "epa", "area": "WK000102", "date": "2025-06-01"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="drempeltabel-GM0001-epa-WK000102-2025-06-01.csv"' in response["Content-Disposition"]
    body = response.content.decode()
    assert body == (
        "participation_type,0,1,2,3,4+\nontmoeten,0,0,0,0,1\nbewegen,0,0,1,0,0\ncreatief,0,0,0,0,0\n"
        "vrijwilligerswerk,0,0,0,0,0\n"
    )
    out = StringIO()
    call_command(
        "barrier_table",
        municipality="GM0001",
        group="epa",
        district="WK000102",
        date="2025-06-01",
        format="csv",
        stdout=out,
    )
    assert out.getvalue() == body


# ---------------------------------------------------------------------------------------------
# The catalogue page
# ---------------------------------------------------------------------------------------------


def test_catalogue_lists_barriers_and_groups(coordinator_client: Client, socialmap: SocialMap) -> None:
    page = coordinator_client.get(CATALOGUE_URL).content.decode()
    assert "Kost geld" in page and "Niet in de buurt" in page and "hangt af van waar iemand woont" in page
    row = page[page.index("Mensen met een ernstige psychische aandoening (EPA)") :]
    assert "Kost geld, Vooraf aanmelden of intake, Niemand die je ontvangt, Grote of drukke groep" in row


def test_coordinator_adds_a_barrier_and_a_target_group(
    coordinator_client: Client, socialmap: SocialMap, personas: Personas
) -> None:
    response = coordinator_client.post(
        CATALOGUE_URL,
        {
            "action": "barrier",
            "barrier-code": "geen-ov",
            "barrier-label_nl": "Niet met het openbaar vervoer",
            "barrier-how_to_lower": "Regel samen reizen.",
        },
    )
    assert response.status_code == 302
    barrier = Barrier.objects.get(code="geen-ov")
    assert barrier.bit == 10  # the first free bit after the ten defaults
    response = coordinator_client.post(
        CATALOGUE_URL,
        {
            "action": "target_group",
            "group-code": "ouderen",
            "group-name_nl": "Ouderen",
            "group-barriers": ["geen-ov", "physical"],
        },
    )
    assert response.status_code == 302
    assert TargetGroup.objects.get(code="ouderen").sensitivity_mask == (1 << 10) | (1 << BIT["physical"])
    with scope(municipality=personas.municipality_b):
        assert not Barrier.objects.filter(code="geen-ov").exists()


def test_bad_catalogue_forms_write_nothing(coordinator_client: Client, socialmap: SocialMap) -> None:
    barriers, groups = Barrier.objects.count(), TargetGroup.objects.count()
    response = coordinator_client.post(
        CATALOGUE_URL, {"action": "barrier", "barrier-code": "cost", "barrier-label_nl": "Dubbel"}
    )
    assert response.status_code == 400
    assert "Er is al een drempel met deze code." in response.content.decode()
    response = coordinator_client.post(
        CATALOGUE_URL, {"action": "barrier", "barrier-code": "met spatie", "barrier-label_nl": ""}
    )
    assert "Gebruik alleen kleine letters, cijfers, - en _." in response.content.decode()
    response = coordinator_client.post(
        CATALOGUE_URL, {"action": "target_group", "group-code": "leeg", "group-name_nl": "Leeg"}
    )
    assert "Kies minstens één drempel." in response.content.decode()
    response = coordinator_client.post(
        CATALOGUE_URL,
        {"action": "target_group", "group-code": "epa", "group-name_nl": "Nog eens", "group-barriers": ["cost"]},
    )
    assert "Er is al een doelgroep met deze code." in response.content.decode()
    assert Barrier.objects.count() == barriers and TargetGroup.objects.count() == groups
