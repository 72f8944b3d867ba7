"""CSV import of activities: the documented header, all-or-nothing, a report per line and column,
the command, and the coordinator's upload page (and who may not use it)."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import Client
from django_scopes import scope, scopes_disabled

from nabij.core.models import AuditEntry, TaskRun, TaskStatus
from nabij.socialmap.activity_csv import COLUMN_NAMES, REQUIRED_COLUMNS
from nabij.socialmap.imports import ActivityImportError, activities_import
from nabij.socialmap.models import AMSTERDAM, Activity, BarrierProfileChange, Place
from nabij.testing.factories import OrganisationFactory, PlaceFactory, ThemeFactory
from nabij.testing.personas import Personas, login
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

URL = "/alfadorp/beheer/activiteiten-importeren/"


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def linde(socialmap: SocialMap) -> Place:
    return PlaceFactory.create(
        organisation=socialmap.organisation, name="Buurthuis De Linde", wheelchair_accessible=True, lat=52.0, lon=4.0
    )


def _import(personas: Personas, text: str, *, encoding: str = "utf-8", **kwargs: Any) -> Any:
    with scope(municipality=personas.municipality_a):
        return activities_import(
            actor=kwargs.pop("actor", None), municipality=personas.municipality_a, data=text.encode(encoding), **kwargs
        )


def _problems(personas: Personas, text: str, **kwargs: Any) -> list[dict[str, Any]]:
    with pytest.raises(ActivityImportError) as caught:
        _import(personas, text, **kwargs)
    return [problem.as_dict() for problem in caught.value.problems]


# --- a good file ------------------------------------------------------------------------------


GOOD = (
    "\ufefftitle;Organisation;place;participation_type;domains;themes;dtstart;duration_minutes;rrule;exdates;"
    "active_until;cost;has_free_option;registration_required;sign_up_channel;who_welcomes_you;status\n"
    "Koffie-ochtend;Buurthuis De Linde;buurthuis de linde;ontmoeten;elkaar_helpen|eigen_netwerken;buurt;"
    '2025-10-14 10:00;90;"FREQ=WEEKLY;BYDAY=TU";2025-10-21;2026-06-30;0;nee;nee;;Gastvrouw Anja;published\n'
    "Jeu de boules;{vooruit_uid};;bewegen;;;2025-10-15 14:30;;;;;2,50;nee;ja;phone;;\n"
)


def test_good_file_is_imported_through_the_services(
    personas: Personas, socialmap: SocialMap, linde: Place, scope_a: None
) -> None:
    ThemeFactory.create(municipality=personas.municipality_a, code="buurt")
    text = GOOD.replace("{vooruit_uid}", str(socialmap.other_organisation.uid))
    result = _import(personas, text)
    assert (result.created, result.checked, result.dry_run) == (2, 2, False)

    koffie = Activity.objects.get(title="Koffie-ochtend")
    assert koffie.organisation == socialmap.organisation and koffie.place == linde
    assert koffie.participation_type.code == "ontmoeten"
    assert sorted(d.code for d in koffie.domains.all()) == ["eigen_netwerken", "elkaar_helpen"]
    assert [t.code for t in koffie.themes.all()] == ["buurt"]
    assert koffie.dtstart == dt.datetime(2025, 10, 14, 8, 0, tzinfo=dt.UTC)  # 10:00 summer time
    assert koffie.duration == dt.timedelta(minutes=90)
    assert (koffie.rrule, koffie.exdates, koffie.active_until) == (
        "FREQ=WEEKLY;BYDAY=TU",
        ["2025-10-21"],
        dt.date(2026, 6, 30),
    )
    assert (koffie.status, koffie.who_welcomes_you, koffie.cost_cents) == ("published", "Gastvrouw Anja", 0)
    assert koffie.barrier_codes() == set()
    assert [m.isoformat() for m in koffie.next_occurrences(2, after=dt.datetime(2025, 10, 15, tzinfo=AMSTERDAM))] == [
        "2025-10-28T10:00:00+01:00",
        "2025-11-04T10:00:00+01:00",
    ]

    boules = Activity.objects.get(title="Jeu de boules")
    assert boules.organisation == socialmap.other_organisation and boules.place is None
    assert boules.dtstart == dt.datetime(2025, 10, 15, 12, 30, tzinfo=dt.UTC)
    assert (boules.duration, boules.rrule, boules.status) == (dt.timedelta(hours=2), "", "draft")
    assert (boules.cost_cents, boules.registration_required, boules.sign_up_channel) == (250, True, "phone")
    # Derived like any activity made by hand: it costs money, needs sign-up, and nobody welcomes you.
    assert boules.barrier_codes() == {"cost", "registration", "no_host"}
    assert BarrierProfileChange.objects.filter(activity=boules).count() == 1
    # Each activity is audited by the service, and the import once more as a whole.
    assert AuditEntry.objects.filter(record_type="socialmap.activity", action="create").count() == 2
    assert AuditEntry.objects.get(record_type="socialmap.activity_import").detail == {"created": 2}


def test_comma_separated_without_bom(personas: Personas, socialmap: SocialMap, scope_a: None) -> None:
    text = (
        "title,organisation,participation_type,dtstart,cost,description\r\n"
        'Schilderen,Sportclub Vooruit,creatief,2025-11-03 19:00,"3,75","Verf, kwasten en koffie"\r\n'
    )
    assert _import(personas, text).created == 1
    activity = Activity.objects.get()
    assert (activity.cost_cents, activity.description) == (375, "Verf, kwasten en koffie")


def test_dry_run_writes_nothing(personas: Personas, socialmap: SocialMap, linde: Place, scope_a: None) -> None:
    ThemeFactory.create(municipality=personas.municipality_a, code="buurt")
    text = GOOD.replace("{vooruit_uid}", "Sportclub Vooruit")
    entries = AuditEntry.objects.count()  # the catalogue's defaults are audited too
    result = _import(personas, text, dry_run=True)
    assert (result.checked, result.created, result.dry_run) == (2, 0, True)
    assert not Activity.objects.exists()
    assert AuditEntry.objects.count() == entries


# --- a broken file: every bad line, column and reason, and nothing written -----------------------

BROKEN = (
    "title;organisation;place;participation_type;domains;dtstart;rrule;cost;registration_required;status\n"
    # line 2: good
    'Koffie-ochtend;Buurthuis De Linde;;ontmoeten;elkaar_helpen;2025-09-02 10:00;"FREQ=WEEKLY;BYDAY=TU";0;nee;\n'
    # line 3: no title
    ";Buurthuis De Linde;;ontmoeten;;2025-09-02 10:00;;;;\n"
    # line 4: unknown organisation and type, a month 13
    "Yoga;Onbekende Club;;sporten;;2025-13-01 10:00;;;;\n"
    # line 5: almost everything wrong; 02:30 on 30 March 2025 does not exist (clocks go 02:00 → 03:00)
    "Wandelen;Sportclub Vooruit;Nergens;bewegen;tuinieren;2025-03-30 02:30;FREQ=SOMETIMES;twee euro;misschien;klaar\n"
    # line 6: good
    "Breien;Sportclub Vooruit;;creatief;;2025-09-03 14:00;;1;ja;published\n"
    # line 7: too few values
    "Te kort;Buurthuis De Linde\n"
    # line 8: empty, skipped
    ";;;;;;;;;\n"
    # lines 9-10: a description over two lines is fine; the title is too long
    f'"{"x" * 161}";Buurthuis De Linde;;ontmoeten;;2025-09-02 10:00;;;;\n'
)


def test_broken_file_writes_nothing_and_names_every_problem(personas: Personas, socialmap: SocialMap) -> None:
    with scopes_disabled():
        entries = AuditEntry.objects.count()  # the catalogue's defaults are audited too
    problems = _problems(personas, BROKEN)
    found = [(p["row"], p["column"], p["value"]) for p in problems]
    assert found == [
        (3, "title", ""),
        (4, "organisation", "Onbekende Club"),
        (4, "participation_type", "sporten"),
        (4, "dtstart", "2025-13-01 10:00"),
        (5, "place", "Nergens"),
        (5, "domains", "tuinieren"),
        (5, "dtstart", "2025-03-30 02:30"),
        (5, "cost", "twee euro"),
        (5, "registration_required", "misschien"),
        (5, "status", "klaar"),
        (5, "rrule", "FREQ=SOMETIMES"),
        (7, "", ""),
        (9, "title", "x" * 161),
    ]
    reasons = {(p["row"], p["column"]): p["message"] for p in problems}
    assert reasons[(3, "title")] == "Dit moet je invullen."
    assert reasons[(4, "organisation")].startswith("Deze organisatie staat niet in Nabij voor deze gemeente.")
    assert reasons[(4, "participation_type")] == (
        "Onbekende soort deelname: sporten. Kies uit: bewegen, creatief, ontmoeten, vrijwilligerswerk."
    )
    assert reasons[(4, "dtstart")].startswith("Dit is geen datum met tijd. Schrijf JJJJ-MM-DD UU:MM")
    assert reasons[(5, "place")].startswith("Deze plek staat niet in Nabij voor deze gemeente.")
    assert reasons[(5, "domains")].startswith("Onbekende domeinen: tuinieren. Kies uit: eigen_netwerken, elkaar_helpen")
    assert reasons[(5, "dtstart")] == "Dit tijdstip bestaat niet: dan gaat de klok een uur vooruit (zomertijd)."
    assert reasons[(5, "cost")] == "Schrijf een bedrag in euro's, zoals 0, 2,50 of 12.00."
    assert reasons[(5, "registration_required")] == "Schrijf ja of nee (leeg is nee)."
    assert reasons[(5, "status")] == "Dit is geen bekende code. Kies uit: draft, published, archived."
    assert "geen geldige RRULE" in reasons[(5, "rrule")]
    assert reasons[(7, "")].startswith("Deze regel heeft 2 waarden, de kopregel 10 kolommen.")
    assert "niet meer dan 160 tekens" in reasons[(9, "title")]
    with scopes_disabled():
        assert not Activity.objects.exists()
        assert not BarrierProfileChange.objects.exists()
        assert AuditEntry.objects.count() == entries


def test_report_lines_name_line_column_value_and_reason(personas: Personas, socialmap: SocialMap) -> None:
    with pytest.raises(ActivityImportError) as caught:
        _import(personas, BROKEN)
    lines = caught.value.report().splitlines()
    assert lines[0] == "Het bestand heeft 13 fouten; er is niets opgeslagen."
    assert lines[2] == (
        "- regel 4, kolom organisation, waarde “Onbekende Club”: Deze organisatie staat niet in Nabij voor "
        "deze gemeente. Gebruik de naam zoals die in Nabij staat, of de publieke id."
    )
    assert lines[1] == "- regel 3, kolom title: Dit moet je invullen."


def test_a_line_is_counted_as_an_editor_shows_it(personas: Personas, socialmap: SocialMap) -> None:
    text = (
        "title;organisation;participation_type;dtstart;description\n"
        'Koffie;Buurthuis De Linde;ontmoeten;2025-09-02 10:00;"Twee\nregels"\n'
        "Thee;Buurthuis De Linde;ontmoeten;2025-09-02 25:00;\n"
    )
    assert [(p["row"], p["column"]) for p in _problems(personas, text)] == [(4, "dtstart")]


def test_model_checks_apply(personas: Personas, socialmap: SocialMap) -> None:
    text = (
        "title;organisation;participation_type;dtstart;active_from;active_until;contact_email;duration_minutes\n"
        "Koffie;Buurthuis De Linde;ontmoeten;2025-09-02 10:00;2025-10-01;2025-09-01;geen-adres;0\n"
    )
    problems = {(p["column"], p["value"]): p["message"] for p in _problems(personas, text)}
    assert set(problems) == {("active_until", "2025-09-01"), ("contact_email", "geen-adres"), ("duration_minutes", "0")}
    assert problems[("active_until", "2025-09-01")] == "De einddatum ligt voor de begindatum."
    assert problems[("contact_email", "geen-adres")] == "Voer een geldig e-mailadres in."


def test_duplicates_in_the_file_and_in_nabij(personas: Personas, socialmap: SocialMap) -> None:
    row = "Koffie;Buurthuis De Linde;ontmoeten;2025-09-02 10:00\n"
    header = "title;organisation;participation_type;dtstart\n"
    problems = _problems(personas, header + row + row.replace("Koffie", "KOFFIE"))
    assert [(p["row"], p["column"]) for p in problems] == [(3, "title")]
    assert problems[0]["message"].startswith("Deze activiteit staat al op regel 2")
    _import(personas, header + row)
    problems = _problems(personas, header + row)
    assert problems[0]["message"].startswith("Deze activiteit staat al in Nabij")


def test_place_by_name_prefers_the_organisations_own_and_refuses_a_guess(
    personas: Personas, socialmap: SocialMap, scope_a: None
) -> None:
    own = PlaceFactory.create(organisation=socialmap.organisation, name="Wijkcentrum")
    PlaceFactory.create(organisation=socialmap.other_organisation, name="Wijkcentrum")
    header = "title;organisation;place;participation_type;dtstart\n"
    assert _import(personas, header + "Koffie;Buurthuis De Linde;Wijkcentrum;ontmoeten;2025-09-02 10:00\n").created
    assert Activity.objects.get().place == own
    OrganisationFactory.create(municipality=personas.municipality_a, name="Derde Club")
    problems = _problems(personas, header + "Thee;Derde Club;Wijkcentrum;ontmoeten;2025-09-02 10:00\n")
    assert problems[0]["message"] == "Er zijn 2 plekken met deze naam. Gebruik de publieke id van de plek."


def test_objects_of_another_municipality_are_unknown(personas: Personas, socialmap: SocialMap) -> None:
    with scope(municipality=personas.municipality_b):
        organisation_b = OrganisationFactory.create(municipality=personas.municipality_b, name="Club Beta")
        place_b = PlaceFactory.create(organisation=organisation_b, name="Hal Beta")
    text = (
        "title;organisation;place;participation_type;dtstart\n"
        f"Koffie;{organisation_b.uid};{place_b.uid};ontmoeten;2025-09-02 10:00\n"
        "Thee;Club Beta;Hal Beta;ontmoeten;2025-09-02 10:00\n"
    )
    assert [(p["row"], p["column"]) for p in _problems(personas, text)] == [
        (2, "organisation"),
        (2, "place"),
        (3, "organisation"),
        (3, "place"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("title;organisation;dtstart\n", "Deze verplichte kolommen ontbreken: participation_type."),
        (
            "title;organisation;participation_type;dtstart;titel\n",
            "Deze kolommen kent Nabij niet: titel.",
        ),
        ("title;title;organisation;participation_type;dtstart\n", "Deze kolommen staan er twee keer in: title."),
        ("title;organisation;participation_type;dtstart\n", "Er staan geen activiteiten in het bestand"),
        ("", "Het bestand is leeg."),
    ],
)
def test_file_level_problems(personas: Personas, socialmap: SocialMap, data: str, message: str) -> None:
    problems = _problems(personas, data)
    assert len(problems) == 1 and problems[0]["message"].startswith(message)


def test_other_encodings_are_refused_clearly(personas: Personas, socialmap: SocialMap) -> None:
    text = "title;organisation;participation_type;dtstart\nCafé;Buurthuis De Linde;ontmoeten;2025-09-02 10:00\n"
    for encoding in ("cp1252", "utf-16"):
        problems = _problems(personas, text, encoding=encoding)
        assert [(p["row"], p["column"]) for p in problems] == [(None, "")]
        assert problems[0]["message"].startswith("Het bestand is geen UTF-8.")


def test_only_importers_may_import(personas: Personas, socialmap: SocialMap) -> None:
    text = "title;organisation;participation_type;dtstart\nKoffie;Buurthuis De Linde;ontmoeten;2025-09-02 10:00\n"
    for user in (personas.resident, personas.professional, socialmap.organiser, personas.outsider):
        with pytest.raises(PermissionDenied):
            _import(personas, text, actor=user)
    assert _import(personas, text, actor=personas.coordinator).created == 1


def test_documented_columns() -> None:
    # docs/import_activities.md documents these, in this order.
    assert REQUIRED_COLUMNS == ("title", "organisation", "participation_type", "dtstart")
    docs = (Path(__file__).resolve().parents[2] / "docs" / "import_activities.md").read_text()
    for name in COLUMN_NAMES:
        assert f"| `{name}` |" in docs, name


# --- the command ------------------------------------------------------------------------------


def test_command(personas: Personas, socialmap: SocialMap, tmp_path: Path) -> None:
    good = tmp_path / "goed.csv"
    good.write_text(
        "title;organisation;participation_type;dtstart\nKoffie;Buurthuis De Linde;ontmoeten;2025-09-02 10:00\n"
    )
    out = StringIO()
    call_command("import_activities", str(good), "--municipality", "gm0001", "--dry-run", stdout=out)
    assert out.getvalue().strip() == ("1 activiteit gecontroleerd, zonder fouten. Proefimport: er is niets opgeslagen.")
    call_command("import_activities", str(good), "--municipality", "GM0001", stdout=out)
    assert "1 activiteit ingelezen." in out.getvalue()
    with scopes_disabled():
        assert Activity.objects.get().municipality == personas.municipality_a

    bad = tmp_path / "fout.csv"
    bad.write_text(BROKEN)
    err = StringIO()
    with pytest.raises(CommandError, match=r"fout\.csv is niet ingelezen"):
        call_command("import_activities", str(bad), "--municipality", "GM0001", stderr=err)
    assert err.getvalue().startswith("Het bestand heeft 13 fouten; er is niets opgeslagen.\n- regel 3, kolom title")
    with pytest.raises(CommandError, match="GM9999 staat niet in Nabij"):
        call_command("import_activities", str(good), "--municipality", "GM9999")
    with scopes_disabled():
        assert Activity.objects.count() == 1


# --- the upload page --------------------------------------------------------------------------


def _upload(text: str, name: str = "activiteiten.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


GOOD_SMALL = "title;organisation;participation_type;dtstart\nKoffie;Buurthuis De Linde;ontmoeten;2025-09-02 10:00\n"


def test_coordinator_imports_on_the_page(
    coordinator_client: Client, personas: Personas, socialmap: SocialMap, media: Path
) -> None:
    page = coordinator_client.get(URL)
    assert page.status_code == 200 and "Activiteiten inlezen" in page.content.decode()
    response = coordinator_client.post(URL, {"file": _upload(GOOD_SMALL)})
    run = TaskRun.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/taken/{run.pk}/"
    assert run.status == TaskStatus.DONE, run.error
    assert (run.name, run.created_by, run.municipality) == (
        "socialmap.import_activities",
        personas.coordinator,
        personas.municipality_a,
    )
    assert run.result == {"dry_run": False, "checked": 1, "created": 1}
    assert run.message == "1 activiteit ingelezen."
    activity = Activity.objects.get()
    assert (
        AuditEntry.objects.get(record_type="socialmap.activity", record_ref=str(activity.pk), action="create").actor
        == personas.coordinator
    )
    # The upload does not linger once the import has read it.
    assert not any(p.is_file() for p in media.rglob("*"))
    progress = coordinator_client.get(response["Location"])
    assert progress.status_code == 200 and "1 activiteit ingelezen." in progress.content.decode()


def test_admin_may_import_and_dry_run_saves_nothing(personas: Personas, socialmap: SocialMap) -> None:
    client = login(Client(), personas.admin)
    client.post(URL, {"file": _upload(GOOD_SMALL), "dry_run": "on"})
    run = TaskRun.objects.get()
    assert run.status == TaskStatus.DONE and run.result["dry_run"] is True
    assert not Activity.objects.exists()


def test_bad_file_fails_the_run_with_the_report(coordinator_client: Client, socialmap: SocialMap) -> None:
    coordinator_client.post(URL, {"file": _upload(BROKEN)})
    run = TaskRun.objects.get()
    assert run.status == TaskStatus.FAILED
    assert run.message == "Het bestand heeft 13 fouten; er is niets opgeslagen."
    assert len(run.result["problems"]) == 13
    assert run.result["problems"][1] == {
        "row": 4,
        "unit": "regel",
        "column": "organisation",
        "value": "Onbekende Club",
        "message": "Deze organisatie staat niet in Nabij voor deze gemeente. "
        "Gebruik de naam zoals die in Nabij staat, of de publieke id.",
    }
    assert not Activity.objects.exists()
    page = coordinator_client.get(f"/taken/{run.pk}/").content.decode()
    assert "Dit tijdstip bestaat niet" in page


def test_wrong_kind_of_file_is_refused_in_the_form(coordinator_client: Client, socialmap: SocialMap) -> None:
    response = coordinator_client.post(URL, {"file": SimpleUploadedFile("activiteiten.xlsx", b"PK\x03\x04")})
    assert response.status_code == 200
    assert "eindigt op .csv" in response.content.decode()
    assert not TaskRun.objects.exists()


def test_example_file_is_importable(
    coordinator_client: Client, personas: Personas, socialmap: SocialMap, linde: Place
) -> None:
    response = coordinator_client.get(f"{URL}voorbeeld.csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="activiteiten-voorbeeld.csv"'
    text = response.content.decode("utf-8")
    assert text.startswith("\ufefftitle;organisation;place;participation_type;")
    result = _import(personas, text)
    assert result.created == 1


def test_who_may_not_import(
    personas: Personas,
    socialmap: SocialMap,
    client: Client,
    resident_client: Client,
    professional_client: Client,
    outsider_client: Client,
) -> None:
    organiser_client = login(Client(), socialmap.organiser)
    for url in (URL, f"{URL}voorbeeld.csv"):
        # Anonymous: to the login page.
        assert client.get(url).status_code == 302
        assert client.get(url)["Location"].startswith("/account/inloggen/")
        # Members without the role, and the outsider from municipality B: the page does not exist.
        for member in (resident_client, professional_client, organiser_client, outsider_client):
            assert member.get(url).status_code == 404
        # A coordinator without the second factor: first the second factor.
        unverified = login(Client(), personas.coordinator, second_factor=False).get(url)
        assert unverified.status_code == 302 and unverified["Location"].startswith("/account/tweede-stap/")
    # The outsider's own municipality has the page, but not for a professional either.
    assert outsider_client.get("/betastad/beheer/activiteiten-importeren/").status_code == 404
    for member in (client, resident_client, professional_client, organiser_client, outsider_client):
        member.post(URL, {"file": _upload(GOOD_SMALL)})
    login(Client(), personas.coordinator, second_factor=False).post(URL, {"file": _upload(GOOD_SMALL)})
    assert not TaskRun.objects.exists()
    assert not Activity.objects.exists()
