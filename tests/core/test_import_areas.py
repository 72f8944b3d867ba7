"""The CBS area import: GeoJSON and CSV, updates by code, and a row-level report that writes nothing."""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import translation
from django_scopes import scope, scopes_disabled

from nabij.accounts.models import Role
from nabij.core.models import AuditEntry, District, Municipality, Neighbourhood
from nabij.core.services import AreaImportError, areas_import
from nabij.testing.factories import MunicipalityFactory, RoleAssignmentFactory, UserFactory
from nabij.testing.personas import Personas

AREAS = Path(__file__).resolve().parent.parent / "fixtures" / "areas"
GEOJSON = AREAS / "rivierstede.geojson"
CSV = AREAS / "rivierstede.csv"
BAD_CSV = AREAS / "rivierstede_fouten.csv"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def dutch() -> Iterator[None]:
    """The messages are asserted in Dutch, whatever language an earlier test left active."""
    with translation.override("nl"):
        yield


def geojson() -> dict[str, Any]:
    return json.loads(GEOJSON.read_text())


def as_bytes(document: dict[str, Any]) -> bytes:
    return json.dumps(document).encode()


def import_geojson(document: dict[str, Any], **kwargs: Any) -> Any:
    return areas_import(actor=None, data=as_bytes(document), filename="buurten.geojson", **kwargs)


def import_csv(text: str, **kwargs: Any) -> Any:
    return areas_import(actor=None, data=text.encode(), filename="buurten.csv", **kwargs)


def nothing_written() -> bool:
    with scopes_disabled():
        return (
            not Municipality.objects.exists()
            and not District.objects.exists()
            and not Neighbourhood.objects.exists()
            and not AuditEntry.objects.exists()
        )


def rivierstede() -> Municipality:
    return Municipality.objects.get(code="GM0998")


def test_geojson_creates_municipality_districts_and_neighbourhoods() -> None:
    result = areas_import(actor=None, data=GEOJSON.read_bytes(), filename=GEOJSON.name)

    assert (result.municipalities.created, result.districts.created, result.neighbourhoods.created) == (1, 2, 3)
    municipality = rivierstede()
    assert municipality.name == "Rivierstede"
    assert municipality.slug == "rivierstede"
    assert municipality.population == 4500
    with scope(municipality=municipality):
        oude_markt = Neighbourhood.objects.get(code="BU09980101")
        assert oude_markt.name == "Oude Markt"
        assert oude_markt.district.code == "WK099801"
        assert oude_markt.population == 1200
        assert oude_markt.households == 700
        # Percentages of AANT_INW in the file, counts in the database.
        assert oude_markt.population_by_age == {"0-14": 120, "15-24": 240, "25-44": 420, "45-64": 240, "65+": 180}
        assert (oude_markt.centroid_lat, oude_markt.centroid_lon) == pytest.approx((51.905, 5.905))
        assert oude_markt.boundary["type"] == "Polygon"

        haven = Neighbourhood.objects.get(code="BU09980201")
        assert haven.boundary["type"] == "MultiPolygon"

        centrum = District.objects.get(code="WK099801")
        assert centrum.name == "Centrum"
        assert centrum.population == 2000
        # Kerkbuurt's household count is secret (-99999997): the sum would be a lie, so it is unknown.
        assert centrum.households is None
        assert centrum.population_by_age["0-14"] == 120 + 120
        # The wijk's own feature gave its boundary; the centroid weighs its buurten by population.
        assert centrum.boundary is not None
        assert centrum.centroid_lon == pytest.approx((1200 * 5.905 + 800 * 5.915) / 2000, abs=1e-6)

        oosthaven = District.objects.get(code="WK099802")
        assert oosthaven.boundary is None
        assert oosthaven.households == 1300


def test_missing_cbs_figures_are_unknown_not_negative() -> None:
    import_geojson(geojson())
    with scope(municipality=rivierstede()):
        kerkbuurt = Neighbourhood.objects.get(code="BU09980102")
    assert kerkbuurt.households is None
    assert kerkbuurt.population == 800


def test_import_is_audited_as_the_system() -> None:
    import_geojson(geojson())
    municipality = rivierstede()
    with scope(municipality=municipality):
        # The social map's default catalogues are audited on their own (record type socialmap.catalogue).
        entry = AuditEntry.objects.get(record_type="core.municipality")
    assert entry.actor is None
    assert entry.actor_ref == "system"
    assert entry.action == "create"
    assert entry.detail["neighbourhoods"] == {"created": 3, "updated": 0, "unchanged": 0}


def test_csv_with_semicolons_bom_and_decimal_commas() -> None:
    result = areas_import(actor=None, data=CSV.read_bytes(), filename=CSV.name)

    assert CSV.read_bytes().startswith(b"\xef\xbb\xbf")
    assert (result.districts.created, result.neighbourhoods.created) == (2, 4)
    with scope(municipality=rivierstede()):
        kade = Neighbourhood.objects.get(code="BU09980202")
        assert (kade.centroid_lat, kade.centroid_lon) == pytest.approx((51.9065, 5.9475))
        assert kade.boundary is None
        # All age bands unknown: no partial figures.
        assert kade.population_by_age == {}
        assert District.objects.get(code="WK099802").population == 2600 + 150


def test_csv_with_commas_and_no_bom() -> None:
    text = (
        "bu_code,bu_naam,wk_code,wk_naam,gm_code,gm_naam,aant_inw,lat,lon\n"
        'BU09980101,"Oude Markt, noord",WK099801,Centrum,GM0998,Rivierstede,1200,51.905,5.905\n'
    )
    result = import_csv(text)
    assert result.neighbourhoods.created == 1
    with scope(municipality=rivierstede()):
        assert Neighbourhood.objects.get().name == "Oude Markt, noord"


def test_reimport_of_the_same_file_changes_nothing() -> None:
    import_geojson(geojson())
    result = import_geojson(geojson())
    assert (result.municipalities.unchanged, result.districts.unchanged, result.neighbourhoods.unchanged) == (1, 2, 3)
    assert result.neighbourhoods.created == result.neighbourhoods.updated == 0


def test_reimport_updates_by_code_and_keeps_what_the_file_does_not_say() -> None:
    import_geojson(geojson())
    result = areas_import(actor=None, data=CSV.read_bytes(), filename=CSV.name)

    # Havenkwartier's figures changed, Nieuwe Kade is new; the other two match the CSV.
    assert (result.neighbourhoods.created, result.neighbourhoods.updated, result.neighbourhoods.unchanged) == (1, 1, 2)
    assert result.districts.updated == 1
    municipality = rivierstede()
    assert municipality.population == 1200 + 800 + 2600 + 150
    with scope(municipality=municipality):
        haven = Neighbourhood.objects.get(code="BU09980201")
        assert (haven.population, haven.households) == (2600, 1350)
        # A CSV has no boundaries: the one from the GeoJSON stays.
        assert haven.boundary["type"] == "MultiPolygon"
        assert Neighbourhood.objects.count() == 4
        assert AuditEntry.objects.filter(action="change").count() == 1


def test_reimport_renames_an_area() -> None:
    import_geojson(geojson())
    document = geojson()
    document["features"][1]["properties"]["BU_NAAM"] = "Oude Markt en Kaai"
    result = import_geojson(document)
    assert result.neighbourhoods.updated == 1
    with scope(municipality=rivierstede()):
        assert Neighbourhood.objects.get(code="BU09980101").name == "Oude Markt en Kaai"


def test_dry_run_counts_but_writes_nothing() -> None:
    result = import_geojson(geojson(), dry_run=True)
    assert result.dry_run
    assert result.neighbourhoods.created == 3
    assert "Proefimport" in result.summary()
    assert nothing_written()


def test_one_municipality_from_a_national_file() -> None:
    document = geojson()
    other = copy.deepcopy(document["features"][1])
    other["properties"].update(
        BU_CODE="BU09970101", WK_CODE="WK099701", GM_CODE="GM0997", GM_NAAM="Anderdorp", BU_NAAM="Dorp"
    )
    document["features"].append(other)

    result = import_geojson(document, municipality_code="gm0997")

    assert result.municipality_codes == ["GM0997"]
    assert result.skipped_rows == 4
    assert not Municipality.objects.filter(code="GM0998").exists()


def test_new_municipality_slug_avoids_one_that_is_taken() -> None:
    MunicipalityFactory(code="GM0100", name="Rivierstede aan Zee", slug="rivierstede")
    import_geojson(geojson())
    assert rivierstede().slug == "rivierstede-0998"


def test_only_admins_of_the_municipality_may_import(personas: Personas) -> None:
    document = geojson()
    with pytest.raises(PermissionDenied):
        areas_import(actor=personas.admin, data=as_bytes(document), filename="a.geojson")  # a new municipality

    import_geojson(document)
    municipality = rivierstede()
    resident = UserFactory()
    RoleAssignmentFactory(user=resident, municipality=municipality, role=Role.RESIDENT)
    with pytest.raises(PermissionDenied):
        areas_import(actor=resident, data=as_bytes(document), filename="a.geojson")
    admin = UserFactory()
    RoleAssignmentFactory(user=admin, municipality=municipality, role=Role.ADMIN)
    result = areas_import(actor=admin, data=as_bytes(document), filename="a.geojson")
    assert result.neighbourhoods.unchanged == 3


# Every kind of bad input: how to break the GeoJSON, and the row, column and message expected.
def _set(feature: int, **properties: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["features"][feature]["properties"].update(properties)

    return change


def _geometry(feature: int, geometry: Any) -> Any:
    def change(document: dict[str, Any]) -> None:
        document["features"][feature]["geometry"] = geometry

    return change


SQUARE = [[5.90, 51.90], [5.91, 51.90], [5.91, 51.91], [5.90, 51.91], [5.90, 51.90]]

BAD_GEOJSON = {
    "neighbourhood code format": (_set(1, BU_CODE="BU123"), 2, "BU_CODE", "Buurtcode 'BU123' klopt niet"),
    "district code format": (_set(1, WK_CODE="WK99"), 2, "WK_CODE", "Wijkcode 'WK99' klopt niet"),
    "municipality code format": (_set(1, GM_CODE="0998"), 2, "GM_CODE", "Gemeentecode '0998' klopt niet"),
    "district not in municipality": (
        _set(1, WK_CODE="WK099901", BU_CODE="BU09990101"),
        2,
        "WK_CODE",
        "hoort niet bij gemeente GM0998",
    ),
    "neighbourhood not in district": (_set(1, BU_CODE="BU09980201"), 2, "BU_CODE", "hoort niet bij wijk WK099801"),
    "one code, two names": (_set(2, WK_NAAM="Binnenstad"), 3, "WK_NAAM", "Eén code hoort bij één naam"),
    "municipality with two names": (_set(3, GM_NAAM="Rivierstad"), 4, "GM_NAAM", "Eén code hoort bij één naam"),
    "code twice": (_set(2, BU_CODE="BU09980101"), 3, "BU_CODE", "staat twee keer in het bestand (ook op object 2)"),
    "name missing": (_set(1, BU_NAAM="  "), 2, "BU_NAAM", "De naam ontbreekt"),
    "name too long": (_set(1, BU_NAAM="x" * 121), 2, "BU_NAAM", "langer dan 120 tekens"),
    "population not a number": (_set(1, AANT_INW="veel"), 2, "AANT_INW", "'veel' is geen geheel getal"),
    "population a fraction": (_set(1, AANT_INW=12.5), 2, "AANT_INW", "12.5 is geen geheel getal"),
    "percentage above 100": (_set(1, P_65_EO_JR=150), 2, "P_65_EO_JR", "tussen 0 en 100"),
    "no area code at all": (_set(1, BU_CODE="", WK_CODE="", GM_CODE=""), 2, "BU_CODE", "geen BU_CODE"),
    "ring not closed": (
        _geometry(1, {"type": "Polygon", "coordinates": [SQUARE[:-1]]}),
        2,
        "geometry",
        "sluit op het eerste punt",
    ),
    "ring too short": (
        _geometry(1, {"type": "Polygon", "coordinates": [[SQUARE[0], SQUARE[1], SQUARE[0]]]}),
        2,
        "geometry",
        "minstens 4 punten",
    ),
    "a point, not an area": (
        _geometry(1, {"type": "Point", "coordinates": [5.9, 51.9]}),
        2,
        "geometry",
        "Polygon of MultiPolygon",
    ),
    "flat ring": (
        _geometry(1, {"type": "Polygon", "coordinates": [[[5.9, 51.9], [5.91, 51.9], [5.92, 51.9], [5.9, 51.9]]]}),
        2,
        "geometry",
        "geen oppervlakte",
    ),
    "Rijksdriehoek coordinates": (
        _geometry(
            1,
            {
                "type": "Polygon",
                "coordinates": [[[155000, 463000], [156000, 463000], [156000, 464000], [155000, 463000]]],
            },
        ),
        2,
        "geometry",
        "Rijksdriehoekscoördinaten (EPSG:28992)",
    ),
    "longitude and latitude swapped": (
        _geometry(1, {"type": "Polygon", "coordinates": [[[p[1], p[0]] for p in SQUARE]]}),
        2,
        "geometry",
        "lijken verwisseld",
    ),
    "outside the Netherlands": (
        _geometry(1, {"type": "Polygon", "coordinates": [[[p[0] - 10, p[1]] for p in SQUARE]]}),
        2,
        "geometry",
        "ligt niet in Nederland",
    ),
    "no geometry and no centroid": (_geometry(1, None), 2, "LAT", "geef een grens (geometry) of LAT en LON"),
    "new district without a name": (
        _set(3, WK_NAAM=""),
        4,
        "WK_NAAM",
        "Wijk WK099802 is nieuw en heeft dus een naam nodig",
    ),
}


@pytest.mark.parametrize("case", BAD_GEOJSON.values(), ids=BAD_GEOJSON.keys())
def test_bad_geojson_is_reported_by_object_and_column_and_writes_nothing(case: Any) -> None:
    change, row, column, message = case
    document = geojson()
    change(document)

    with pytest.raises(AreaImportError) as raised:
        import_geojson(document)

    problems = [p for p in raised.value.problems if p.row == row and p.column == column]
    assert problems, raised.value.report()
    assert message in problems[0].message
    assert str(problems[0]).startswith(f"object {row}, kolom {column}: ")
    assert nothing_written()


def test_a_bad_row_in_a_reimport_writes_nothing_either() -> None:
    import_geojson(geojson())
    document = geojson()
    document["features"][1]["properties"]["AANT_INW"] = 5000
    document["features"][3]["properties"]["BU_CODE"] = "BU0998020"
    with pytest.raises(AreaImportError):
        import_geojson(document)
    with scope(municipality=rivierstede()):
        assert Neighbourhood.objects.get(code="BU09980101").population == 1200
        assert AuditEntry.objects.filter(record_type="core.municipality").count() == 1


BAD_FILES = {
    "not JSON": (b'{"type": "FeatureCollection", "features": [', "x.geojson", "geen geldige JSON"),
    "not a FeatureCollection": (b'{"type": "Feature"}', "x.geojson", "geen GeoJSON FeatureCollection"),
    "no features": (b'{"type": "FeatureCollection", "features": []}', "x.geojson", "geen gebieden"),
    "projected file": (
        b'{"type": "FeatureCollection", "crs": {"type": "name", "properties": {"name": '
        b'"urn:ogc:def:crs:EPSG::28992"}}, "features": []}',
        "x.geojson",
        "EPSG::28992",
    ),
    "CSV in Windows-1252": ("BU_CODE;BU_NAAM\nBU09980101;Café\n".encode("cp1252"), "x.csv", "geen UTF-8"),
    "CSV without centroid columns": (
        b"BU_CODE;BU_NAAM;WK_CODE;GM_CODE\nBU09980101;Oude Markt;WK099801;GM0998\n",
        "x.csv",
        "LAT, LON",
    ),
    "empty CSV": (b"", "x.csv", "leeg"),
}


@pytest.mark.parametrize("case", BAD_FILES.values(), ids=BAD_FILES.keys())
def test_unreadable_file_is_one_clear_problem(case: Any) -> None:
    data, filename, message = case
    with pytest.raises(AreaImportError) as raised:
        areas_import(actor=None, data=data, filename=filename)
    assert len(raised.value.problems) == 1
    assert message in raised.value.problems[0].message
    assert nothing_written()


BAD_CSV_ROWS = {
    "latitude not a number": ("abc", "5,905", 2, "LAT", "'abc' is geen getal"),
    "latitude missing": ("", "5,905", 2, "LAT", "Het middelpunt ontbreekt: vul LAT en LON in"),
    "swapped": ("5,905", "51,905", 2, "LAT", "lijken verwisseld"),
}


@pytest.mark.parametrize("case", BAD_CSV_ROWS.values(), ids=BAD_CSV_ROWS.keys())
def test_bad_csv_centroid(case: Any) -> None:
    lat, lon, row, column, message = case
    text = (
        f"BU_CODE;BU_NAAM;WK_CODE;WK_NAAM;GM_CODE;GM_NAAM;LAT;LON\n"
        f"BU09980101;Oude Markt;WK099801;Centrum;GM0998;Rivierstede;{lat};{lon}\n"
    )
    with pytest.raises(AreaImportError) as raised:
        import_csv(text)
    [problem] = raised.value.problems
    assert (problem.row, problem.column) == (row, column)
    assert message in problem.message
    assert str(problem).startswith(f"regel {row}, kolom {column}: ")


def test_csv_row_with_too_many_values() -> None:
    text = (
        "BU_CODE,BU_NAAM,WK_CODE,WK_NAAM,GM_CODE,GM_NAAM,LAT,LON\n"
        "BU09980101,Oude Markt, Noord,WK099801,Centrum,GM0998,Rivierstede,51.905,5.905\n"
    )
    with pytest.raises(AreaImportError) as raised:
        import_csv(text)
    [problem] = raised.value.problems
    assert problem.row == 2
    assert "9 waarden, de kopregel 8 kolommen" in problem.message


def test_csv_lines_are_counted_as_an_editor_shows_them() -> None:
    text = (
        "BU_CODE;BU_NAAM;WK_CODE;WK_NAAM;GM_CODE;GM_NAAM;LAT;LON\n"
        'BU09980101;"Oude\nMarkt";WK099801;Centrum;GM0998;Rivierstede;51,905;5,905\n'
        "\n"
        "BU09980102;Kerkbuurt;WK099801;Centrum;GM0998;Rivierstede;51,905;oost\n"
    )
    with pytest.raises(AreaImportError) as raised:
        import_csv(text)
    [problem] = raised.value.problems
    assert (problem.row, problem.column) == (5, "LON")


def test_every_problem_is_reported_at_once_in_file_order() -> None:
    with pytest.raises(AreaImportError) as raised:
        areas_import(actor=None, data=BAD_CSV.read_bytes(), filename=BAD_CSV.name)
    found = [(p.row, p.column) for p in raised.value.problems]
    assert found == [(3, "BU_CODE"), (4, "AANT_INW"), (5, "LAT"), (5, "WK_NAAM")]
    report = raised.value.report()
    assert report.splitlines()[0] == "Het bestand heeft 4 fouten; er is niets opgeslagen."
    assert nothing_written()


def test_command_imports_and_summarises() -> None:
    out = StringIO()
    call_command("import_areas", str(GEOJSON), stdout=out, verbosity=0)
    assert "Buurten: 3 nieuw, 0 bijgewerkt, 0 ongewijzigd" in out.getvalue()
    assert rivierstede().population == 4500


def test_command_dry_run() -> None:
    out = StringIO()
    call_command("import_areas", str(CSV), "--dry-run", stdout=out, verbosity=0)
    assert "Proefimport: er is niets opgeslagen." in out.getvalue()
    assert nothing_written()


def test_command_on_a_bad_file_fails_with_the_report() -> None:
    err = StringIO()
    with pytest.raises(CommandError, match="niet geïmporteerd"):
        call_command("import_areas", str(BAD_CSV), stderr=err, verbosity=0)
    assert "regel 3, kolom BU_CODE: Buurtcode 'BU0998012' klopt niet" in err.getvalue()
    assert nothing_written()


def test_command_on_a_missing_file() -> None:
    with pytest.raises(CommandError, match="kan niet worden gelezen"):
        call_command("import_areas", str(AREAS / "bestaat-niet.geojson"), verbosity=0)


def _features(*properties: dict[str, object]) -> bytes:
    features = [{"type": "Feature", "geometry": None, "properties": p} for p in properties]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def test_gemeente_given_only_by_lat_lon_is_placed_there(db: None) -> None:
    """Not at (0, 0): without buurten or geometry, its own LAT/LON is its centroid."""
    areas_import(
        actor=None,
        data=_features({"GM_CODE": "GM0997", "GM_NAAM": "Losdorp", "LAT": 52.1, "LON": 5.1}),
        filename="los.geojson",
    )
    municipality = Municipality.objects.get(code="GM0997")
    assert (municipality.centroid_lat, municipality.centroid_lon) == (52.1, 5.1)


def test_wijk_given_only_by_lat_lon_is_placed_there(db: None) -> None:
    areas_import(
        actor=None,
        data=_features(
            {"GM_CODE": "GM0997", "GM_NAAM": "Losdorp", "LAT": 52.1, "LON": 5.1},
            {"WK_CODE": "WK099701", "WK_NAAM": "Los", "GM_CODE": "GM0997", "LAT": 52.2, "LON": 5.2},
        ),
        filename="los.geojson",
    )
    with scopes_disabled():
        district = District.objects.get(code="WK099701")
    assert (district.centroid_lat, district.centroid_lon) == (52.2, 5.2)
