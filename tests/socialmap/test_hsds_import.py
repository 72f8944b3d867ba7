"""HSDS 3.0 import (docs/hsds.md): round trips, other publishers' data, and bad input."""

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

from nabij.core.models import AuditEntry
from nabij.socialmap.hsds import mapping
from nabij.socialmap.hsds.export import FILES
from nabij.socialmap.hsds.importer import import_hsds
from nabij.socialmap.hsds.plan import remapped_uid
from nabij.socialmap.models import AMSTERDAM, Activity, Organisation, Place
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.socialmap.hsds_support import EXAMPLES, FIXTURES, codes_of, export, own_catalogue

pytestmark = pytest.mark.django_db

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
    hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path
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
    buurthuis = str(hsds_inventory["buurthuis"].uid)
    assert codes_of(first, buurthuis, "nabij-neighbourhoods") == ["BU00010101"]
    assert codes_of(second, buurthuis, "nabij-neighbourhoods") == ["BU00020101"]
    # Byte for byte, every other file is the same.
    for _table, name in FILES:
        if name not in ("attributes.json", "taxonomy_terms.json"):
            assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name


def test_round_trip_in_the_same_municipality_is_byte_identical(
    hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    a = personas.municipality_a
    export(a, tmp_path / "first")
    Organisation.objects.filter(municipality=a).delete()
    call_command("import_hsds", str(tmp_path / "first"), "--municipality", a.code, stdout=StringIO())
    export(a, tmp_path / "second")
    for _table, name in FILES:
        assert (tmp_path / "first" / name).read_bytes() == (tmp_path / "second" / name).read_bytes(), name
    koffie = Activity.objects.get(uid=hsds_inventory["koffie"].uid)
    assert koffie.barrier_codes() == {"crowded", "physical", "trap"}
    assert koffie.place is not None and koffie.place.neighbourhood == personas.neighbourhood_a


def test_reimport_changes_nothing(hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
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
    hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    a, b = personas.municipality_a, personas.municipality_b
    first = export(a, tmp_path / "a")
    with scope(municipality=b):
        own_catalogue(b)
        result = import_hsds(municipality=b, directory=tmp_path / "a")
        assert result.remapped == 2 + 2 + 4
        koffie_b = Activity.objects.get(uid=remapped_uid(b, str(hsds_inventory["koffie"].uid)))
        assert koffie_b.title == "Koffieochtend"
        assert koffie_b.barrier_codes() == {"crowded", "physical", "trap"}
        again = import_hsds(municipality=b, directory=tmp_path / "a")
        assert (again.activities.created, again.activities.updated, again.activities.unchanged) == (0, 0, 4)
        second = export(b, tmp_path / "b")
    assert len(second["services.json"]) == len(first["services.json"])
    with scope(municipality=a):
        assert Activity.objects.filter(municipality=a).count() == 4  # A keeps its own


def test_import_updates_changed_records(hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
    a = personas.municipality_a
    files = export(a, tmp_path)
    koffie = str(hsds_inventory["koffie"].uid)
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
    activity = Activity.objects.get(uid=hsds_inventory["koffie"].uid)
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
def exported(hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> Path:
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
