"""HSDS 3.0 export and import (docs/hsds.md).

The hand-built inventory below is small enough to work out the HSDS records by hand; the expected
values in the tests are computed from the inventory, not read back from the code.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope, scopes_disabled

from nabij.core.models import AuditEntry, Municipality
from nabij.socialmap.hsds import mapping, schemas
from nabij.socialmap.hsds.export import FILES, build_tables
from nabij.socialmap.hsds.importer import import_hsds
from nabij.socialmap.hsds.plan import remapped_uid
from nabij.socialmap.models import AMSTERDAM, Activity, Organisation, Place
from nabij.socialmap.services import (
    activity_create,
    activity_set_barriers,
    barrier_create,
    organisation_update,
    place_archive,
    place_create,
)
from nabij.testing.factories import ThemeFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "hsds" / "examples"
EXAMPLES = sorted(p.name for p in FIXTURES.glob("*.json"))
TABLE_OF = dict(FILES)
FILE_OF = {name: table for table, name in FILES}


# ---------------------------------------------------------------------------------------------
# The inventory
# ---------------------------------------------------------------------------------------------


def own_catalogue(municipality: Municipality) -> None:
    """The municipality's own barrier and theme; B needs them too to take A's data in."""
    barrier_create(
        actor=None, municipality=municipality, code="trap", label_nl="Er is een trap", label_en="There are stairs"
    )
    ThemeFactory.create(municipality=municipality, code="tuin", label_nl="Tuin", label_en="Garden")


@pytest.fixture
def inventory(socialmap: SocialMap, personas: Personas) -> dict[str, Any]:
    a = personas.municipality_a
    own_catalogue(a)
    linde = organisation_update(
        actor=None,
        organisation=socialmap.organisation,
        description="Het buurthuis van de Lindebuurt.",
        website="https://linde.example.nl/",
        email="info@linde.example.nl",
        phone="010 123 45 67",
        sphere="oikos",
        kind="welzijn",
    )
    vooruit = socialmap.other_organisation  # oikos, bewonersinitiatief, no contact data
    buurthuis = place_create(
        actor=None,
        organisation=linde,
        name="Buurthuis De Linde",
        kind="buurthuis",
        street="Lindelaan",
        house_number="12 A",
        postcode="3011ab",
        city="Alfadorp",
        lat=52.005,
        lon=4.005,
        neighbourhood=personas.neighbourhood_a,
        step_free_entrance=True,
        wheelchair_accessible=False,
    )
    sportpark = place_create(
        actor=None,
        organisation=vooruit,
        name="Sportpark Vooruit",
        kind="sportpark",
        street="Laan 1940",
        city="Alfadorp",
    )
    koffie = activity_create(
        actor=None,
        organisation=linde,
        participation_type="ontmoeten",
        domains=["elkaar_helpen", "eigen_netwerken"],
        themes=["tuin"],
        title="Koffieochtend",
        description="Samen koffie drinken.",
        what_to_expect="Koffie, thee en een praatje.",
        who_welcomes_you="Gastvrouw Anja",
        place=buurthuis,
        dtstart=dt.datetime(2025, 1, 7, 10, 0, tzinfo=AMSTERDAM),
        duration=dt.timedelta(hours=2),
        rrule="FREQ=WEEKLY;BYDAY=TU",
        exdates=["2025-12-30", "2025-12-23"],
        active_from=dt.date(2025, 1, 7),
        active_until=dt.date(2025, 12, 31),
        cost_cents=250,
        has_free_option=True,
        expected_group_size=20,
        capacity=30,
        action_perspective="warme_plek",
        contact_email="koffie@linde.example.nl",
        contact_phone="010 765 43 21",
        status="published",
    )
    activity_set_barriers(actor=None, activity=koffie, codes=["crowded", "physical", "trap"])
    tekenles = activity_create(
        actor=None,
        organisation=linde,
        participation_type="creatief",
        title="Online tekenles",
        dtstart=dt.datetime(2025, 3, 6, 19, 30, tzinfo=AMSTERDAM),
        duration=dt.timedelta(minutes=90),
        rrule="FREQ=MONTHLY;BYDAY=1TH;COUNT=10",
        registration_required=True,
        sign_up_channel="online_only",
        commitment="series",
        level_required=True,
        dutch_language_required=True,
        status="draft",
    )
    weekend = activity_create(
        actor=None,
        organisation=vooruit,
        participation_type="bewegen",
        title="Wandelweekend",
        who_welcomes_you="Trainer Kees",
        place=sportpark,
        dtstart=dt.datetime(2025, 6, 14, 9, 0, tzinfo=AMSTERDAM),
        duration=dt.timedelta(hours=26),
        rrule="FREQ=YEARLY;UNTIL=20270614T070000Z",
        status="archived",
    )
    schoonmaak = activity_create(
        actor=None,
        organisation=vooruit,
        participation_type="vrijwilligerswerk",
        title="Buurtschoonmaak",
        who_welcomes_you="Buurman Ali",
        place=sportpark,
        dtstart=dt.datetime(2025, 4, 5, 9, 30, tzinfo=AMSTERDAM),
        duration=dt.timedelta(hours=3),
        status="published",
    )
    place_archive(actor=None, place=sportpark)
    return {
        "linde": linde,
        "vooruit": vooruit,
        "buurthuis": buurthuis,
        "sportpark": sportpark,
        "koffie": koffie,
        "tekenles": tekenles,
        "weekend": weekend,
        "schoonmaak": schoonmaak,
    }


def read_export(directory: Path) -> dict[str, list[dict[str, Any]]]:
    return {name: json.loads((directory / name).read_text(encoding="utf-8")) for _table, name in FILES}


def export(municipality: Municipality, directory: Path, *extra: str) -> dict[str, list[dict[str, Any]]]:
    call_command("export_hsds", "--municipality", municipality.code, "--out", str(directory), *extra, stdout=StringIO())
    return read_export(directory)


def by_id(records: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {r["id"]: r for r in records}


def codes_of(files: dict[str, list[dict[str, Any]]], owner: str, taxonomy: str) -> list[str]:
    """The term codes (or fact values) attached to `owner` from `taxonomy`, worked out via the term file."""
    terms = {t["id"]: t for t in files["taxonomy_terms.json"]}
    return sorted(
        terms[a["taxonomy_term_id"]]["code"]
        for a in files["attributes.json"]
        if a["link_id"] == owner and terms[a["taxonomy_term_id"]]["taxonomy"] == taxonomy
    )


def facts_of(files: dict[str, list[dict[str, Any]]], owner: str) -> dict[str, list[str]]:
    terms = {t["id"]: t for t in files["taxonomy_terms.json"]}
    found: dict[str, list[str]] = {}
    for a in files["attributes.json"]:
        term = terms[a["taxonomy_term_id"]]
        if a["link_id"] == owner and term["taxonomy"] == "nabij-facts":
            found.setdefault(term["code"], []).append(a["value"])
    return {code: sorted(values) for code, values in found.items()}


def schema_errors(files: dict[str, list[dict[str, Any]]]) -> list[str]:
    errors = []
    for name, records in files.items():
        table = FILE_OF[name]
        for record in records:
            for problem in schemas.check(table, record):
                errors.append(f"{name} {record.get('id')} {problem.path}: {problem.message}")
            if table in schemas.COMPILED:
                for problem in schemas.check(table, record, compiled=True):
                    errors.append(f"{name} (compiled) {record.get('id')} {problem.path}: {problem.message}")
    return errors


# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def test_export_validates_against_the_hsds_schemas(
    inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    files = export(personas.municipality_a, tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(name for _table, name in FILES)
    assert schema_errors(files) == []
    # Two organisations of the fixture, two places, four activities.
    assert len(files["organizations.json"]) == 2
    assert len(files["locations.json"]) == 2
    assert len(files["services.json"]) == 4
    assert len(files["schedules.json"]) == 4
    assert len(files["service_at_location.json"]) == 3  # the online lesson has no location


def test_export_maps_an_activity_by_hand(inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
    files = export(personas.municipality_a, tmp_path)
    koffie = str(inventory["koffie"].uid)
    linde = str(inventory["linde"].uid)
    service = by_id(files["services.json"])[koffie]
    assert service == {
        "id": koffie,
        "organization_id": linde,
        "name": "Koffieochtend",
        "description": "Samen koffie drinken.",
        "email": "koffie@linde.example.nl",
        "status": "active",
        "fees_description": "Meedoen kost € 2,50. Er is ook een gratis mogelijkheid.",
    }
    schedule = next(s for s in files["schedules.json"] if s["service_id"] == koffie)
    # 7 January is winter time: UTC+1. Two hours from 10:00.
    expected = {"valid_from": "2025-01-07", "valid_to": "2025-12-31", "dtstart": "2025-01-07", "timezone": 1}
    expected |= {"freq": "WEEKLY", "byday": "TU", "opens_at": "10:00", "closes_at": "12:00"}
    assert {k: v for k, v in schedule.items() if k in expected} == expected
    assert "count" not in schedule and "until" not in schedule and "interval" not in schedule
    assert facts_of(files, schedule["id"]) == {"exdate": ["2025-12-23", "2025-12-30"]}
    assert codes_of(files, koffie, "nabij-barriers") == ["crowded", "physical", "trap"]
    assert codes_of(files, koffie, "nabij-participation-types") == ["ontmoeten"]
    assert codes_of(files, koffie, "nabij-domains") == ["eigen_netwerken", "elkaar_helpen"]
    assert codes_of(files, koffie, "nabij-themes") == ["tuin"]
    assert codes_of(files, koffie, "nabij-action-perspectives") == ["warme_plek"]
    assert facts_of(files, koffie) == {
        "capacity": ["30"],
        "expected_group_size": ["20"],
        "what_to_expect": ["Koffie, thee en een praatje."],
        "who_welcomes_you": ["Gastvrouw Anja"],
    }
    options = sorted(
        (o["option"], o["amount"], o["currency"]) for o in files["cost_options.json"] if o["service_id"] == koffie
    )
    assert options == [("Gratis mogelijkheid", 0, "EUR"), ("Meedoen", 2.5, "EUR")]
    phones = [p["number"] for p in files["phones.json"] if p.get("service_id") == koffie]
    assert phones == ["010 765 43 21"]
    sal = [s for s in files["service_at_location.json"] if s["service_id"] == koffie]
    assert [s["location_id"] for s in sal] == [str(inventory["buurthuis"].uid)]


def test_export_keeps_what_hsds_fields_cannot_hold_in_facts(
    inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    files = export(personas.municipality_a, tmp_path)
    schedules = {s["service_id"]: s for s in files["schedules.json"]}
    # Monthly on the first Thursday, ten times, 19:30-21:00 in winter time: all fits the HSDS fields.
    tekenles = schedules[str(inventory["tekenles"].uid)]
    assert (tekenles["freq"], tekenles["byday"], tekenles["count"]) == ("MONTHLY", "1TH", 10)
    assert (tekenles["opens_at"], tekenles["closes_at"], tekenles["timezone"]) == ("19:30", "21:00", 1)
    assert facts_of(files, tekenles["id"]) == {}
    tekenles_service = str(inventory["tekenles"].uid)
    assert codes_of(files, tekenles_service, "nabij-barriers") == [
        "commitment",
        "digital",
        "language",
        "no_host",
        "registration",
        "skills",
    ]
    assert facts_of(files, tekenles_service) == {
        "commitment": ["series"],
        "dutch_language_required": ["true"],
        "level_required": ["true"],
        "registration_required": ["true"],
        "sign_up_channel": ["online_only"],
    }
    # Yearly is no HSDS freq, and 26 hours do not fit opens_at/closes_at: both go into facts.
    # UNTIL 07:00 UTC on 14 June 2027 is 09:00 in summer time, the start time: the last date is that day.
    weekend = schedules[str(inventory["weekend"].uid)]
    assert "freq" not in weekend
    assert (weekend["opens_at"], weekend["closes_at"], weekend["timezone"], weekend["until"]) == (
        "09:00",
        "11:00",
        2,
        "2027-06-14",
    )
    assert facts_of(files, weekend["id"]) == {"duration": ["PT26H"], "rrule": ["FREQ=YEARLY;UNTIL=20270614T070000Z"]}
    assert by_id(files["services.json"])[str(inventory["weekend"].uid)]["status"] == "defunct"
    # A single event: no recurrence at all.
    schoonmaak = schedules[str(inventory["schoonmaak"].uid)]
    assert {"freq", "count", "until", "byday"}.isdisjoint(schoonmaak)
    assert (schoonmaak["dtstart"], schoonmaak["opens_at"], schoonmaak["closes_at"]) == ("2025-04-05", "09:30", "12:30")


def test_export_maps_organisations_and_places(inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
    files = export(personas.municipality_a, tmp_path)
    linde, vooruit = str(inventory["linde"].uid), str(inventory["vooruit"].uid)
    organisations = by_id(files["organizations.json"])
    assert organisations[linde] == {
        "id": linde,
        "name": "Buurthuis De Linde",
        "description": "Het buurthuis van de Lindebuurt.",
        "email": "info@linde.example.nl",
        "website": "https://linde.example.nl/",
    }
    assert codes_of(files, linde, "nabij-spheres") == ["oikos"]
    assert codes_of(files, linde, "nabij-organisation-kinds") == ["welzijn"]
    assert codes_of(files, vooruit, "nabij-organisation-kinds") == ["bewonersinitiatief"]
    assert [p["number"] for p in files["phones.json"] if p.get("organization_id") == linde] == ["010 123 45 67"]
    buurthuis, sportpark = str(inventory["buurthuis"].uid), str(inventory["sportpark"].uid)
    location = by_id(files["locations.json"])[buurthuis]
    assert location == {
        "id": buurthuis,
        "location_type": "physical",
        "organization_id": linde,
        "name": "Buurthuis De Linde",
        "latitude": 52.005,
        "longitude": 4.005,
    }
    address = next(a for a in files["addresses.json"] if a["location_id"] == buurthuis)
    assert (address["address_1"], address["postal_code"], address["city"], address["country"]) == (
        "Lindelaan 12 A",
        "3011 AB",
        "Alfadorp",
        "NL",
    )
    assert codes_of(files, buurthuis, "nabij-neighbourhoods") == ["BU00010101"]
    assert codes_of(files, buurthuis, "nabij-place-kinds") == ["buurthuis"]
    # Step-free yes, wheelchair no, toilet unknown (no fact).
    assert facts_of(files, buurthuis) == {"step_free_entrance": ["true"], "wheelchair_accessible": ["false"]}
    # "Laan 1940" without a number would read back as street "Laan", number "1940": the facts keep it.
    assert facts_of(files, sportpark) == {"archived": ["true"], "street": ["Laan 1940"]}


def test_taxonomies_are_published_with_every_term(
    inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    files = export(personas.municipality_a, tmp_path)
    taxonomies = {t["name"]: t for t in files["taxonomies.json"]}
    assert {"nabij-barriers", "nabij-participation-types"} <= set(taxonomies)
    barriers = {t["code"]: t for t in files["taxonomy_terms.json"] if t["taxonomy"] == "nabij-barriers"}
    defaults = {"cost", "registration", "commitment", "no_host", "crowded", "skills", "language", "physical"}
    assert set(barriers) == defaults | {"digital", "distance", "trap"}
    assert barriers["cost"]["name"] == "Kost geld"
    assert barriers["trap"]["taxonomy_id"] == taxonomies["nabij-barriers"]["id"]
    kinds = {t["code"] for t in files["taxonomy_terms.json"] if t["taxonomy"] == "nabij-participation-types"}
    assert kinds == {"ontmoeten", "bewegen", "creatief", "vrijwilligerswerk"}
    # Term ids do not depend on the municipality: the same code is the same term everywhere.
    assert barriers["cost"]["id"] == mapping.term_id("nabij-barriers", "cost")


def test_export_published_only(inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
    files = export(personas.municipality_a, tmp_path, "--published-only")
    names = sorted(s["name"] for s in files["services.json"])
    assert names == ["Buurtschoonmaak", "Koffieochtend"]
    # The sports park is archived, but a published activity is held there: it stays.
    assert len(files["locations.json"]) == 2
    assert schema_errors(files) == []


def test_export_of_the_demo_validates(tmp_path: Path) -> None:
    call_command("generate_demo", "--scale", "small", "--seed", "1", stdout=StringIO(), stderr=StringIO())
    with scopes_disabled():
        demo = Municipality.objects.get(code="GM9999")
        activities = Activity.objects.filter(municipality=demo).count()
    files = export(demo, tmp_path)
    assert schema_errors(files) == []
    assert len(files["services.json"]) == activities
    if activities:
        assert len(files["services.json"]) >= 1
        assert len(files["schedules.json"]) == activities


# ---------------------------------------------------------------------------------------------
# Round trip
# ---------------------------------------------------------------------------------------------


def without_neighbourhoods(files: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    terms = {t["id"] for t in files["taxonomy_terms.json"] if t["taxonomy"] == "nabij-neighbourhoods"}
    return {
        **files,
        "attributes.json": [a for a in files["attributes.json"] if a["taxonomy_term_id"] not in terms],
        "taxonomy_terms.json": [t for t in files["taxonomy_terms.json"] if t["id"] not in terms],
    }


def test_round_trip_into_another_municipality_is_lossless(
    inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    a, b = personas.municipality_a, personas.municipality_b
    first = export(a, tmp_path / "a")
    # Ids are unique across Nabij: A's data moves out before B takes it in with the same ids.
    Organisation.objects.filter(municipality=a).delete()
    with scope(municipality=b):
        own_catalogue(b)
    out = StringIO()
    call_command("import_hsds", str(tmp_path / "a"), "--municipality", b.code, stdout=out)
    assert "Organisaties: 2 nieuw" in out.getvalue()
    assert "Activiteiten: 4 nieuw" in out.getvalue()
    second = export(b, tmp_path / "b")
    # The one difference is the CBS neighbourhood: A's buurt is not in B; B's buurt on that point is.
    assert without_neighbourhoods(second) == without_neighbourhoods(first)
    buurthuis = str(inventory["buurthuis"].uid)
    assert codes_of(first, buurthuis, "nabij-neighbourhoods") == ["BU00010101"]
    assert codes_of(second, buurthuis, "nabij-neighbourhoods") == ["BU00020101"]
    # Byte for byte, every other file is the same.
    for _table, name in FILES:
        if name not in ("attributes.json", "taxonomy_terms.json"):
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_round_trip_in_the_same_municipality_is_byte_identical(
    inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    a = personas.municipality_a
    export(a, tmp_path / "first")
    Organisation.objects.filter(municipality=a).delete()
    call_command("import_hsds", str(tmp_path / "first"), "--municipality", a.code, stdout=StringIO())
    export(a, tmp_path / "second")
    for _table, name in FILES:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
    koffie = Activity.objects.get(uid=inventory["koffie"].uid)
    assert koffie.barrier_codes() == {"crowded", "physical", "trap"}
    assert koffie.place is not None and koffie.place.neighbourhood == personas.neighbourhood_a


def test_reimport_changes_nothing(inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
    a = personas.municipality_a
    export(a, tmp_path)
    audit_before = AuditEntry.objects.filter(municipality=a).count()
    out = StringIO()
    call_command("import_hsds", str(tmp_path), "--municipality", a.code, stdout=out)
    assert "Organisaties: 0 nieuw, 0 bijgewerkt, 2 ongewijzigd" in out.getvalue()
    assert "Plekken: 0 nieuw, 0 bijgewerkt, 2 ongewijzigd" in out.getvalue()
    assert "Activiteiten: 0 nieuw, 0 bijgewerkt, 4 ongewijzigd" in out.getvalue()
    assert AuditEntry.objects.filter(municipality=a).count() == audit_before


def test_import_next_to_the_same_ids_elsewhere_gives_own_ids(
    inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    a, b = personas.municipality_a, personas.municipality_b
    first = export(a, tmp_path / "a")
    with scope(municipality=b):
        own_catalogue(b)
        result = import_hsds(municipality=b, directory=tmp_path / "a")
        assert result.remapped == 2 + 2 + 4
        koffie_b = Activity.objects.get(uid=remapped_uid(b, str(inventory["koffie"].uid)))
        assert koffie_b.title == "Koffieochtend"
        assert koffie_b.barrier_codes() == {"crowded", "physical", "trap"}
        again = import_hsds(municipality=b, directory=tmp_path / "a")
        assert (again.activities.created, again.activities.updated, again.activities.unchanged) == (0, 0, 4)
        second = export(b, tmp_path / "b")
    assert len(second["services.json"]) == len(first["services.json"])
    with scope(municipality=a):
        assert Activity.objects.filter(municipality=a).count() == 4  # A keeps its own


def test_import_updates_changed_records(inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
    a = personas.municipality_a
    files = export(a, tmp_path)
    koffie = str(inventory["koffie"].uid)
    for service in files["services.json"]:
        if service["id"] == koffie:
            service["name"] = "Koffieochtend met taart"
    terms = {t["code"]: t["id"] for t in files["taxonomy_terms.json"] if t["taxonomy"] == "nabij-barriers"}
    files["attributes.json"] = [
        x for x in files["attributes.json"] if not (x["link_id"] == koffie and x["taxonomy_term_id"] == terms["trap"])
    ]
    for name, records in files.items():
        (tmp_path / name).write_text(json.dumps(records), encoding="utf-8")
    out = StringIO()
    call_command("import_hsds", str(tmp_path), "--municipality", a.code, stdout=out)
    assert "Activiteiten: 0 nieuw, 1 bijgewerkt, 3 ongewijzigd" in out.getvalue()
    activity = Activity.objects.get(uid=inventory["koffie"].uid)
    assert activity.title == "Koffieochtend met taart"
    assert activity.barrier_codes() == {"crowded", "physical"}


# ---------------------------------------------------------------------------------------------
# Other publishers: the official examples
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_official_example_imports(example: str, socialmap: SocialMap, personas: Personas, tmp_path: Path) -> None:
    shutil.copy(FIXTURES / example, tmp_path / example)
    out = StringIO()
    call_command("import_hsds", str(tmp_path), "--municipality", personas.municipality_b.code, stdout=out)
    assert "Organisaties:" in out.getvalue()


def test_the_official_service_example_becomes_an_activity(
    socialmap: SocialMap, personas: Personas, tmp_path: Path
) -> None:
    shutil.copy(FIXTURES / "service_full.json", tmp_path / "service_full.json")
    b = personas.municipality_b
    out = StringIO()
    call_command("import_hsds", str(tmp_path), "--municipality", b.code, stdout=out)
    with scope(municipality=b):
        activity = Activity.objects.get(uid="ac148810-d857-441c-9679-408f346de14b")
        assert activity.title == "Community Counselling"
        assert activity.organisation.name == "Example Organization Inc."
        assert (activity.organisation.sphere, activity.organisation.kind) == ("overheid", "overig")
        assert activity.participation_type.code == "ontmoeten"
        assert activity.status == "published"
        # 10:00 at UTC+3 on 1 January 2005 is 07:00 UTC, 08:00 in Amsterdam (winter time); until 18:00.
        assert activity.dtstart == dt.datetime(2005, 1, 1, 8, 0, tzinfo=AMSTERDAM)
        assert activity.duration == dt.timedelta(hours=8)
        # HSDS: bymonthday only for MONTHLY, byyearday only for YEARLY; count and until together: until.
        assert activity.rrule == "FREQ=WEEKLY;INTERVAL=1;UNTIL=20050101T235959;WKST=TU;BYDAY=TH,FR;BYWEEKNO=41,42"
        assert (activity.active_from, activity.active_until) == (dt.date(2005, 1, 1), dt.date(2005, 1, 1))
        assert (activity.cost_cents, activity.has_free_option) == (3500, False)
        assert activity.contact_email == "email@example.com"
        # No nabij-barriers taxonomy in the data: the barriers follow from the facts (no host named).
        assert activity.barrier_codes() == {"cost", "no_host"}
        place = activity.place
        assert place is not None and place.name == "MyCity Civic Center"
        # Latitude 100 is no latitude, ABC 1234 no Dutch postcode: left out, with a note.
        assert (place.lat, place.lon, place.postcode) == (None, None, "")
        assert (place.street, place.house_number, place.city) == ("1-30 Main Street", "", "MyCity")
    report = out.getvalue()
    assert "Ongeldige coördinaten" in report
    assert "Niet gebruikt" in report
    # The same data again: found by id, nothing changes.
    again = StringIO()
    call_command("import_hsds", str(tmp_path), "--municipality", b.code, stdout=again)
    assert "Activiteiten: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in again.getvalue()
    assert "Plekken: 0 nieuw, 0 bijgewerkt, 1 ongewijzigd" in again.getvalue()


def test_all_official_examples_together(socialmap: SocialMap, personas: Personas, tmp_path: Path) -> None:
    for example in EXAMPLES:
        shutil.copy(FIXTURES / example, tmp_path / example)
    b = personas.municipality_b
    call_command("import_hsds", str(tmp_path), "--municipality", b.code, stdout=StringIO())
    with scope(municipality=b):
        assert Activity.objects.filter(title="Community Counselling").count() == 1
        assert Organisation.objects.filter(name="Example Organization Inc.").count() == 1


def test_the_official_csv_examples_import(socialmap: SocialMap, personas: Personas, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "csv", tmp_path / "csv")
    b = personas.municipality_b
    call_command("import_hsds", str(tmp_path / "csv"), "--municipality", b.code, stdout=StringIO())
    with scope(municipality=b):
        activity = Activity.objects.get(uid="ac148810-d857-441c-9679-408f346de14b")
        assert activity.dtstart == dt.datetime(2005, 1, 1, 8, 0, tzinfo=AMSTERDAM)
        assert activity.place is not None and activity.place.name == "MyCity Civic Center"


def test_a_service_without_schedule_is_skipped_and_reported(
    socialmap: SocialMap, personas: Personas, tmp_path: Path
) -> None:
    example = json.loads((FIXTURES / "service_list.json").read_text(encoding="utf-8"))
    (tmp_path / "service_list.json").write_text(json.dumps(example), encoding="utf-8")
    out = StringIO()
    call_command("import_hsds", str(tmp_path), "--municipality", personas.municipality_b.code, stdout=out)
    assert "Overgeslagen (1)" in out.getvalue()
    assert "er is geen rooster" in out.getvalue()
    with scope(municipality=personas.municipality_b):
        assert not Activity.objects.exists()
        assert Organisation.objects.filter(name="Example Organization Inc.").exists()


# ---------------------------------------------------------------------------------------------
# Bad input: nothing is written, every problem is named
# ---------------------------------------------------------------------------------------------


def import_fails(personas: Personas, directory: Path) -> str:
    b = personas.municipality_b
    with scopes_disabled():
        before = (Organisation.objects.count(), Place.objects.count(), Activity.objects.count())
        audit_before = AuditEntry.objects.count()
    with pytest.raises(CommandError) as raised:
        call_command("import_hsds", str(directory), "--municipality", b.code, stdout=StringIO())
    with scopes_disabled():
        assert (Organisation.objects.count(), Place.objects.count(), Activity.objects.count()) == before
        assert AuditEntry.objects.count() == audit_before
    return str(raised.value)


@pytest.fixture
def exported(inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> Path:
    directory = tmp_path / "export"
    export(personas.municipality_a, directory)
    Organisation.objects.filter(municipality=personas.municipality_a).delete()
    with scope(municipality=personas.municipality_b):
        own_catalogue(personas.municipality_b)
    return directory


def edit(directory: Path, name: str, change: Any) -> None:
    records = json.loads((directory / name).read_text(encoding="utf-8"))
    change(records)
    (directory / name).write_text(json.dumps(records, ensure_ascii=False, indent=2), encoding="utf-8")


def test_invalid_json_is_named(exported: Path, personas: Personas) -> None:
    (exported / "services.json").write_text('[{"id": "x",}]', encoding="utf-8")
    report = import_fails(personas, exported)
    assert "De import heeft 1 fout; er is niets opgeslagen." in report
    assert "services.json, regel 1, kolom 13: Dit is geen geldige JSON: hier hoort een veldnaam" in report


def test_schema_violations_are_named_by_file_record_and_field(exported: Path, personas: Personas) -> None:
    def break_service(records: list[dict[str, Any]]) -> None:
        records[1]["status"] = "open"
        del records[2]["name"]

    edit(exported, "services.json", break_service)
    records = json.loads((exported / "services.json").read_text(encoding="utf-8"))
    report = import_fails(personas, exported)
    assert "De import heeft 2 fouten" in report
    assert (
        f'services.json, record 2 (id {records[1]["id"]}), veld status: De waarde "open" is niet toegestaan' in report
    )
    assert f"services.json, record 3 (id {records[2]['id']}), veld name: Dit veld is verplicht en ontbreekt." in report


def test_an_unknown_taxonomy_code_is_named(exported: Path, personas: Personas) -> None:
    with scope(municipality=personas.municipality_b):
        from nabij.socialmap.models import Barrier

        Barrier.objects.filter(code="trap").delete()
    attributes = json.loads((exported / "attributes.json").read_text(encoding="utf-8"))
    trap = mapping.term_id("nabij-barriers", "trap")
    index = next(i for i, a in enumerate(attributes) if a["taxonomy_term_id"] == trap)
    report = import_fails(personas, exported)
    assert f"attributes.json, record {index + 1} (id {attributes[index]['id']}), veld taxonomy_term_id: " in report
    assert "Onbekende code trap van nabij-barriers in Betastad" in report


def test_a_broken_reference_is_named(exported: Path, personas: Personas) -> None:
    missing = "00000000-0000-4000-8000-000000000000"

    def break_link(records: list[dict[str, Any]]) -> None:
        records[0]["location_id"] = missing

    edit(exported, "service_at_location.json", break_link)
    records = json.loads((exported / "service_at_location.json").read_text(encoding="utf-8"))
    report = import_fails(personas, exported)
    assert (
        f"service_at_location.json, record 1 (id {records[0]['id']}), veld location_id: "
        f"Verwijst naar een onbekende location: {missing}." in report
    )


def test_a_bad_fact_value_is_named(exported: Path, personas: Personas) -> None:
    capacity = mapping.term_id("nabij-facts", "capacity")

    def break_fact(records: list[dict[str, Any]]) -> None:
        for record in records:
            if record["taxonomy_term_id"] == capacity:
                record["value"] = "veel"

    edit(exported, "attributes.json", break_fact)
    report = import_fails(personas, exported)
    assert "veld value: Geef een heel getal van 0 of meer, niet 'veel'." in report


def test_an_unknown_file_is_named(exported: Path, personas: Personas) -> None:
    (exported / "activiteiten.json").write_text("[]", encoding="utf-8")
    report = import_fails(personas, exported)
    assert "activiteiten.json: Onbekend bestand" in report


# ---------------------------------------------------------------------------------------------
# The commands
# ---------------------------------------------------------------------------------------------


def test_export_command_prints_what_it_wrote(inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
    out = StringIO()
    call_command("export_hsds", "--municipality", "gm0001", "--out", str(tmp_path), stdout=out)
    assert f"HSDS 3.0 geschreven naar {tmp_path}:" in out.getvalue()
    assert "- services.json: 4" in out.getvalue()
    assert "- organizations.json: 2" in out.getvalue()


@pytest.mark.parametrize("command", ["export_hsds", "import_hsds"])
def test_unknown_municipality(command: str, personas: Personas, tmp_path: Path) -> None:
    args = ["--out", str(tmp_path)] if command == "export_hsds" else [str(tmp_path)]
    with pytest.raises(CommandError, match=r"Onbekende gemeente: GM4242\."):
        call_command(command, *args, "--municipality", "GM4242")


def test_import_needs_an_existing_directory(personas: Personas, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="bestaat niet"):
        call_command("import_hsds", str(tmp_path / "nergens"), "--municipality", "GM0001")
    (tmp_path / "bestand.json").write_text("[]", encoding="utf-8")
    with pytest.raises(CommandError, match="is geen map"):
        call_command("import_hsds", str(tmp_path / "bestand.json"), "--municipality", "GM0001")
    (tmp_path / "leeg").mkdir()
    with pytest.raises(CommandError, match="geen HSDS-bestanden"):
        call_command("import_hsds", str(tmp_path / "leeg"), "--municipality", "GM0001")


def test_dry_run_writes_nothing(inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
    export(personas.municipality_a, tmp_path)
    with scope(municipality=personas.municipality_b):
        own_catalogue(personas.municipality_b)
    out = StringIO()
    Organisation.objects.filter(municipality=personas.municipality_a).delete()
    call_command("import_hsds", str(tmp_path), "--municipality", "GM0002", "--dry-run", stdout=out)
    assert "Activiteiten: 4 nieuw" in out.getvalue()
    assert "Proefimport: er is niets opgeslagen." in out.getvalue()
    with scope(municipality=personas.municipality_b):
        assert not Activity.objects.exists()


def test_build_tables_needs_no_files(inventory: dict[str, Any], personas: Personas) -> None:
    tables = build_tables(municipality=personas.municipality_a)
    assert set(tables) == set(TABLE_OF)


# ---------------------------------------------------------------------------------------------
# The conversions, worked out by hand
# ---------------------------------------------------------------------------------------------


def test_schedule_times_of_other_publishers() -> None:
    from nabij.socialmap.hsds.schedules import import_schedule

    # 09:00 at UTC-5 on 1 July 2025 is 14:00 UTC, 16:00 in Amsterdam (summer time); 08:00 is the next day.
    west = import_schedule({"dtstart": "2025-07-01", "opens_at": "09:00-05:00", "closes_at": "08:00-05:00"}, {})
    assert west.fields is not None
    assert west.fields["dtstart"] == dt.datetime(2025, 7, 1, 16, 0, tzinfo=AMSTERDAM)
    assert west.fields["duration"] == dt.timedelta(hours=23)
    assert west.fields["rrule"] == ""
    # Without any time zone HSDS says UTC: 10:00 UTC is 12:00 in summer; no closes_at is two hours.
    bare = import_schedule({"valid_from": "2025-07-01", "opens_at": "10:00", "freq": "WEEKLY", "byday": "MO"}, {})
    assert bare.fields is not None
    assert bare.fields["dtstart"] == dt.datetime(2025, 7, 1, 12, 0, tzinfo=AMSTERDAM)
    assert bare.fields["duration"] == dt.timedelta(hours=2)
    assert bare.fields["rrule"] == "FREQ=WEEKLY;BYDAY=MO"
    assert len(bare.notes) == 2
    assert import_schedule({"opens_at": "10:00"}, {}).skip_reason
    assert import_schedule({"dtstart": "2025-07-01"}, {}).skip_reason


@pytest.mark.parametrize(
    ("line", "parts"),
    [
        ("Lindelaan 12 A", ("Lindelaan", "12 A")),
        ("Laan 1940 12", ("Laan 1940", "12")),
        ("Dorpsstraat 7-bis", ("Dorpsstraat", "7-bis")),
        ("Laan 1940", ("Laan", "1940")),
        ("1-30 Main Street", ("1-30 Main Street", "")),
    ],
)
def test_address_lines_split_into_street_and_number(line: str, parts: tuple[str, str]) -> None:
    assert mapping.split_address(line) == parts


@pytest.mark.parametrize(
    ("cents", "free", "amounts"),
    [(0, False, [0]), (0, True, [0, 0]), (250, False, [2.5]), (250, True, [2.5, 0])],
)
def test_cost_options_both_ways(cents: int, free: bool, amounts: list[float]) -> None:
    options = mapping.cost_options("c909f490-1f04-48b6-bf10-555888800551", cents, free)
    assert [o["amount"] for o in options] == amounts
    assert mapping.cost_from_options(options)[:2] == (cents, free)
