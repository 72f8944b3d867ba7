"""The organiser's attendance pages: who may open which, recording a session, deleting one, the CSV upload."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from nabij.monitor.models import Attendance, AttendanceSession
from nabij.monitor.services import attendance as services
from nabij.testing.personas import Personas, login
from tests.conftest import SocialMap
from tests.monitor.attendance_world import DAY, UNKNOWN_KEY, World, build_world

pytestmark = pytest.mark.django_db

A = "/alfadorp"
BASE = f"{A}/organiseren/aanwezigheid"
LOGIN, TWO_FA = "login", "2fa"


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap) -> World:
    world = build_world(personas, socialmap)
    services.attendance_record(
        actor=None, activity=world.koffie, on=DAY, anonymous_count=9, participant_keys=[world.ann.key]
    )
    return world


@pytest.fixture
def client_as(world: World) -> Callable[[str], Client]:
    people = {
        "anonymous": (None, False),
        "resident": (world.personas.resident, True),
        "professional": (world.personas.professional, True),
        "analyst": (world.analyst, True),
        "organiser": (world.organiser, False),
        "other_organiser": (world.other_organiser, False),
        "coordinator_no_2fa": (world.personas.coordinator, False),
        "coordinator": (world.personas.coordinator, True),
        "admin": (world.personas.admin, True),
        "outsider": (world.personas.outsider, True),
    }

    def make(name: str) -> Client:
        user, second_factor = people[name]
        return Client() if user is None else login(Client(), user, second_factor=second_factor)

    return make


PAGES = ["home", "activity", "delete", "upload", "example"]
MATRIX: dict[str, list[int | str]] = {
    #                      home   activity delete upload example
    "anonymous": [LOGIN, LOGIN, LOGIN, LOGIN, LOGIN],
    "resident": [404, 404, 404, 404, 404],
    "professional": [404, 404, 404, 404, 404],
    "analyst": [404, 404, 404, 404, 404],
    "organiser": [200, 200, 200, 200, 200],  # of De Linde, which runs the koffie-ochtend
    "other_organiser": [200, 404, 404, 200, 200],
    "coordinator_no_2fa": [TWO_FA, TWO_FA, TWO_FA, TWO_FA, TWO_FA],
    "coordinator": [200, 200, 200, 200, 200],
    "admin": [200, 200, 200, 200, 200],
    "outsider": [404, 404, 404, 404, 404],
}


def urls(world: World) -> dict[str, str]:
    uid = world.koffie.uid
    return {
        "home": f"{BASE}/",
        "activity": f"{BASE}/{uid}/",
        "delete": f"{BASE}/{uid}/2025-03-04/verwijderen/",
        "upload": f"{BASE}/csv-inlezen/",
        "example": f"{BASE}/voorbeeld.csv",
    }


@pytest.mark.parametrize("name", list(MATRIX))
def test_permission_matrix(world: World, client_as: Callable[[str], Client], name: str) -> None:
    client = client_as(name)
    for page, expected in zip(PAGES, MATRIX[name], strict=True):
        url = urls(world)[page]
        response = client.get(url)
        if expected == LOGIN:
            assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/"), url
        elif expected == TWO_FA:
            assert response.status_code == 302 and "tweede-stap" in response["Location"], url
        else:
            assert response.status_code == expected, (name, url)


def test_not_found_elsewhere(world: World, client_as: Callable[[str], Client]) -> None:
    coordinator = client_as("coordinator")
    assert coordinator.get(f"{BASE}/{world.beta.uid}/").status_code == 404  # B's activity under A
    assert coordinator.get(f"/betastad/organiseren/aanwezigheid/{world.koffie.uid}/").status_code == 404
    assert coordinator.get(f"{BASE}/{world.koffie.uid}/2025-03-11/verwijderen/").status_code == 404  # no session
    assert coordinator.get(f"{BASE}/{world.koffie.uid}/gisteren/verwijderen/").status_code == 404


def test_the_organiser_lists_their_own_activities_with_counts(world: World, client_as: Callable[[str], Client]) -> None:
    page = client_as("organiser").get(f"{BASE}/").content.decode()
    assert "Koffie-ochtend" in page and "Wintercursus" in page and "Nog een concept" in page
    assert "Voetbal voor iedereen" not in page
    assert "3 activiteiten gevonden." in page
    assert "4 maart 2025" in page  # the last session of the koffie-ochtend

    other = client_as("other_organiser").get(f"{BASE}/").content.decode()
    assert "Voetbal voor iedereen" in other and "Koffie-ochtend" not in other


def test_the_coordinator_lists_all_and_searches(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    page = client.get(f"{BASE}/").content.decode()
    assert "Koffie-ochtend" in page and "Voetbal voor iedereen" in page and "Beta-koffie" not in page
    found = client.get(f"{BASE}/", {"q": "voetbal"}).content.decode()
    assert "Voetbal voor iedereen" in found and "Koffie-ochtend" not in found
    assert "1 activiteit gevonden." in found


def test_record_a_session_through_the_form(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("organiser")
    url = f"{BASE}/{world.koffie.uid}/"
    form = client.get(url).content.decode()
    assert 'name="on"' in form and 'name="anonymous_count"' in form and 'name="participant_keys"' in form
    assert "Je ziet alleen het totaal, zodat niemand kan afleiden wie toestemming gaf." in form

    keys = f"{world.ann.key}\n{world.bas.key}; {world.cor.key}"
    response = client.post(url, {"on": "2025-03-11", "anonymous_count": "6", "participant_keys": keys}, follow=True)

    assert response.redirect_chain == [(url, 302)]
    page = response.content.decode()
    # Ann and Bas are named, Cor is one more head: 2 + 7 apart, but the recorder sees only 9 and 3 keys.
    assert "Opgeslagen: 9 bezoekers op 11 maart 2025. Je vulde 3 sleutels in; die tellen mee in het totaal." in page
    assert "zonder naam mee" not in page and "Met sleutel" not in page
    for key in (world.ann.key, world.bas.key, world.cor.key):
        assert str(key) not in page  # keys are never shown back
    session = AttendanceSession.objects.get(on=dt.date(2025, 3, 11))
    assert (session.named_count, session.anonymous_count, session.recorded_by) == (2, 7, world.organiser)


def test_recording_a_date_again_says_it_replaced_it(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("coordinator")
    url = f"{BASE}/{world.koffie.uid}/"
    page = client.post(url, {"on": "2025-03-04", "anonymous_count": "3"}, follow=True).content.decode()
    assert "Deze datum stond er al; de nieuwe telling vervangt de oude." in page
    assert AttendanceSession.objects.get().anonymous_count == 3
    assert not Attendance.objects.exists()


def test_form_errors_are_shown_and_nothing_is_saved(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("organiser")
    url = f"{BASE}/{world.koffie.uid}/"
    tomorrow = (services.today() + dt.timedelta(days=1)).isoformat()
    response = client.post(url, {"on": tomorrow, "anonymous_count": "2", "participant_keys": "Ann"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Deze datum ligt in de toekomst." in page
    assert "Dit is geen geldige deelnemerssleutel: Ann." in page
    response = client.post(url, {"on": "2025-03-11", "anonymous_count": "10001"})
    assert response.status_code == 400
    assert "Vul een getal in van 10000 of minder." in response.content.decode()
    assert AttendanceSession.objects.count() == 1


def test_another_organisations_activity_cannot_be_recorded(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("organiser").post(f"{BASE}/{world.voetbal.uid}/", {"on": "2025-03-04", "anonymous_count": "2"})
    assert response.status_code == 404
    assert not AttendanceSession.objects.filter(activity=world.voetbal).exists()


def test_delete_asks_first_then_deletes(world: World, client_as: Callable[[str], Client]) -> None:
    client = client_as("organiser")
    url = f"{BASE}/{world.koffie.uid}/2025-03-04/verwijderen/"
    page = client.get(url).content.decode()
    assert "Weet je zeker dat je de telling van \u2018Koffie-ochtend\u2019 op 4 maart 2025 wilt verwijderen?" in page
    assert AttendanceSession.objects.exists()
    response = client.post(url, follow=True)
    assert "De bijeenkomst van 4 maart 2025 is verwijderd." in response.content.decode()
    assert not AttendanceSession.objects.exists() and not Attendance.objects.exists()
    assert client_as("other_organiser").post(url).status_code == 404


def upload(client: Client, content: str, dry_run: bool = False) -> tuple[int, str]:
    data: dict[str, object] = {"file": SimpleUploadedFile("aanwezigheid.csv", content.encode(), "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    response = client.post(f"{BASE}/csv-inlezen/", data)
    return response.status_code, response.content.decode()


def test_upload_a_good_file(world: World, client_as: Callable[[str], Client]) -> None:
    content = f"activity;date;anonymous_count;participant_keys\n{world.koffie.uid};2025-03-11;4;{world.bas.key}\n"
    status, page = upload(client_as("organiser"), content, dry_run=True)
    assert status == 200 and "Proefimport: er is niets opgeslagen." in page
    assert AttendanceSession.objects.count() == 1

    status, page = upload(client_as("organiser"), content)
    assert status == 200
    assert "1 bijeenkomst opgeslagen." in page and "Bezoekers in totaal: 5. Sleutels ontvangen: 1." in page
    assert "Je ziet alleen het totaal, zodat niemand kan afleiden wie toestemming gaf." in page
    assert AttendanceSession.objects.count() == 2


def test_upload_a_file_with_problems_shows_them_per_line(world: World, client_as: Callable[[str], Client]) -> None:
    content = (
        "activity,date,anonymous_count,participant_keys\n"
        f"{world.koffie.uid},2025-03-11,4,\n"
        f"{world.voetbal.uid},2025-03-11,4,\n"
        f"{world.koffie.uid},11-03-2025,4,{UNKNOWN_KEY}\n"
    )
    status, page = upload(client_as("organiser"), content)
    assert status == 400
    assert "Het bestand heeft 2 fouten; er is niets opgeslagen." in page
    assert "Deze activiteit bestaat niet, of je mag er geen aanwezigheid voor vastleggen." in page
    assert "Dit is geen datum. Schrijf JJJJ-MM-DD" in page
    assert AttendanceSession.objects.count() == 1  # only the one from before


def test_upload_refuses_a_file_that_is_not_csv(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("organiser").post(
        f"{BASE}/csv-inlezen/", {"file": SimpleUploadedFile("aanwezigheid.xlsx", b"PK\x03\x04", "application/zip")}
    )
    assert response.status_code == 400
    assert "Kies een bestand dat eindigt op .csv." in response.content.decode()


def test_the_example_file_downloads(world: World, client_as: Callable[[str], Client]) -> None:
    response = client_as("organiser").get(f"{BASE}/voorbeeld.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "aanwezigheid-voorbeeld.csv" in response["Content-Disposition"]
    assert response.content.decode().startswith("\ufeffactivity;date;anonymous_count;participant_keys")


def test_the_organiser_home_links_to_attendance(world: World, client_as: Callable[[str], Client]) -> None:
    page = client_as("organiser").get(f"{A}/organiseren/").content.decode()
    assert f'href="{BASE}/{world.koffie.uid}/"' in page
