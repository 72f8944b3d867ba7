"""HSDS 3.0 export (docs/hsds.md): the records of a hand-built inventory, worked out by hand, and
valid against the published schemas."""

from __future__ import annotations

from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django_scopes import scope, scopes_disabled

from nabij.core.models import Municipality
from nabij.socialmap.hsds import mapping
from nabij.socialmap.hsds.export import FILES, build_tables
from nabij.socialmap.models import Activity, Organisation
from nabij.testing.personas import Personas
from tests.socialmap.hsds_support import TABLE_OF, by_id, codes_of, export, facts_of, own_catalogue, schema_errors

pytestmark = pytest.mark.django_db

# ---------------------------------------------------------------------------------------------
# Export
# ---------------------------------------------------------------------------------------------


def test_export_validates_against_the_hsds_schemas(
    hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path
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


def test_export_maps_an_activity_by_hand(hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
    files = export(personas.municipality_a, tmp_path)
    koffie = str(hsds_inventory["koffie"].uid)
    linde = str(hsds_inventory["linde"].uid)
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
    assert [s["location_id"] for s in sal] == [str(hsds_inventory["buurthuis"].uid)]


def test_export_keeps_what_hsds_fields_cannot_hold_in_facts(
    hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    files = export(personas.municipality_a, tmp_path)
    schedules = {s["service_id"]: s for s in files["schedules.json"]}
    # Monthly on the first Thursday, ten times, 19:30-21:00 in winter time: all fits the HSDS fields.
    tekenles = schedules[str(hsds_inventory["tekenles"].uid)]
    assert (tekenles["freq"], tekenles["byday"], tekenles["count"]) == ("MONTHLY", "1TH", 10)
    assert (tekenles["opens_at"], tekenles["closes_at"], tekenles["timezone"]) == ("19:30", "21:00", 1)
    assert facts_of(files, tekenles["id"]) == {}
    tekenles_service = str(hsds_inventory["tekenles"].uid)
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
    weekend = schedules[str(hsds_inventory["weekend"].uid)]
    assert "freq" not in weekend
    assert (weekend["opens_at"], weekend["closes_at"], weekend["timezone"], weekend["until"]) == (
        "09:00",
        "11:00",
        2,
        "2027-06-14",
    )
    assert facts_of(files, weekend["id"]) == {"duration": ["PT26H"], "rrule": ["FREQ=YEARLY;UNTIL=20270614T070000Z"]}
    assert by_id(files["services.json"])[str(hsds_inventory["weekend"].uid)]["status"] == "defunct"
    # A single event: no recurrence at all.
    schoonmaak = schedules[str(hsds_inventory["schoonmaak"].uid)]
    assert {"freq", "count", "until", "byday"}.isdisjoint(schoonmaak)
    assert (schoonmaak["dtstart"], schoonmaak["opens_at"], schoonmaak["closes_at"]) == ("2025-04-05", "09:30", "12:30")


def test_export_maps_organisations_and_places(
    hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    files = export(personas.municipality_a, tmp_path)
    linde, vooruit = str(hsds_inventory["linde"].uid), str(hsds_inventory["vooruit"].uid)
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
    buurthuis, sportpark = str(hsds_inventory["buurthuis"].uid), str(hsds_inventory["sportpark"].uid)
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
    hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path
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


def test_export_published_only(hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
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
# The commands
# ---------------------------------------------------------------------------------------------


def test_export_command_prints_what_it_wrote(
    hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path
) -> None:
    out = StringIO()
    call_command("export_hsds", "--municipality", "gm0001", "--out", str(tmp_path), stdout=out)
    assert f"HSDS 3.0 geschreven naar {tmp_path}:" in out.getvalue()
    assert "- services.json: 4" in out.getvalue()
    assert "- organizations.json: 2" in out.getvalue()


@pytest.mark.parametrize("command", ["export_hsds", "import_hsds"])
def test_unknown_municipality(command: str, personas: Personas, tmp_path: Path) -> None:
    args = ["--out", str(tmp_path)] if command == "export_hsds" else [str(tmp_path)]
    with pytest.raises(CommandError, match=r"Gemeente GM4242 staat niet in Nabij\."):
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


def test_dry_run_writes_nothing(hsds_inventory: dict[str, Any], personas: Personas, tmp_path: Path) -> None:
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


def test_build_tables_needs_no_files(hsds_inventory: dict[str, Any], personas: Personas) -> None:
    tables = build_tables(municipality=personas.municipality_a)
    assert set(tables) == set(TABLE_OF)
