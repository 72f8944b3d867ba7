"""Reading CBS area files (wijk- en buurtkaart) into checked records, without touching the database.

Two formats, documented in docs/import_areas.md:
- GeoJSON FeatureCollection in WGS 84: one feature per buurt (BU_CODE set); optional features for a
  wijk (WK_CODE without BU_CODE) or a gemeente (only GM_CODE) that carry that area's boundary;
- CSV (`;` or `,`, UTF-8 with or without BOM), one row per buurt, with the centroid in LAT and LON.

Every problem is reported with its place in the file (CSV line or GeoJSON object number), the column
and a Dutch message, so the person who exported the file can fix it.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nabij.core import cbs
from nabij.core.import_report import unit_label
from nabij.core.taskqueue import NullProgress, Progress

# CBS gives the age bands as percentages of AANT_INW; the import stores them as counts.
AGE_BAND_COLUMNS = dict(
    zip(("P_00_14_JR", "P_15_24_JR", "P_25_44_JR", "P_45_64_JR", "P_65_EO_JR"), cbs.AGE_BANDS, strict=True)
)
CSV_REQUIRED_COLUMNS = ("BU_CODE", "BU_NAAM", "WK_CODE", "GM_CODE", "LAT", "LON")

# Generous box around the Netherlands: catches swapped or projected coordinates early.
NL_LATITUDE = (50.5, 53.8)
NL_LONGITUDE = (3.0, 7.4)
# Boundaries are stored with 6 decimals (about 0.1 m): CBS exports carry 15, which only costs space.
COORDINATE_DECIMALS = 6
MAX_NAME_LENGTH = 120

_INTEGER = re.compile(r"[+-]?\d+")
_DECIMAL = re.compile(r"[+-]?(\d+([.,]\d*)?|[.,]\d+)")


class AreaLevel(StrEnum):
    MUNICIPALITY = "gemeente"
    DISTRICT = "wijk"
    NEIGHBOURHOOD = "buurt"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the file. `row` is None for the file as a whole."""

    row: int | None
    column: str
    message: str
    unit: str = "regel"  # "regel" for a CSV line, "object" for a GeoJSON feature

    def __str__(self) -> str:
        where = _("bestand") if self.row is None else f"{unit_label(self.unit)} {self.row}"
        if self.column:
            where = _("%(where)s, kolom %(column)s") % {"where": where, "column": self.column}
        return f"{where}: {self.message}"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "unit": self.unit, "column": self.column, "message": self.message}


@dataclass
class AreaRecord:
    """One area as the file describes it. Figures are None where the file leaves them unknown."""

    row: int
    level: AreaLevel
    municipality_code: str
    municipality_name: str = ""
    district_code: str = ""
    district_name: str = ""
    neighbourhood_code: str = ""
    neighbourhood_name: str = ""
    centroid: tuple[float, float] | None = None  # (lat, lon)
    boundary: dict[str, Any] | None = None
    population: int | None = None
    households: int | None = None
    population_by_age: dict[str, int] | None = None

    @property
    def code(self) -> str:
        return {
            AreaLevel.MUNICIPALITY: self.municipality_code,
            AreaLevel.DISTRICT: self.district_code,
            AreaLevel.NEIGHBOURHOOD: self.neighbourhood_code,
        }[self.level]


@dataclass
class ReadResult:
    records: list[AreaRecord] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    unit: str = "regel"
    skipped: int = 0  # rows of other municipalities, when the caller asked for one
    fatal: bool = False  # the file as a whole could not be read; there are no row checks

    def fail(self, problem: Problem) -> ReadResult:
        self.problems.append(problem)
        self.fatal = True
        return self


class _RowReader:
    """Reads typed values from one CSV row or GeoJSON `properties`, collecting problems."""

    def __init__(self, values: Mapping[str, Any], row: int, unit: str, problems: list[Problem]) -> None:
        self.values = values
        self.row = row
        self.unit = unit
        self.problems = problems

    def problem(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.row, column, message, self.unit))

    def text(self, column: str) -> str:
        value = self.values.get(column)
        return "" if value is None else str(value).strip()

    def code(self, column: str, validate: Callable[[str], None]) -> str:
        value = self.text(column).upper()
        if not value:
            self.problem(column, _("Deze code ontbreekt."))
            return ""
        try:
            validate(value)
        except ValidationError as exc:
            self.problem(column, " ".join(exc.messages))
            return ""
        return value

    def name(self, column: str, *, required: bool) -> str:
        value = self.text(column)
        if not value and required:
            self.problem(column, _("De naam ontbreekt."))
        elif len(value) > MAX_NAME_LENGTH:
            self.problem(column, _("De naam is langer dan %(max)d tekens.") % {"max": MAX_NAME_LENGTH})
            return ""
        return value

    def integer(self, column: str) -> int | None:
        """A count; CBS marks unknown or secret figures with negative numbers (e.g. -99999997)."""
        raw = self.values.get(column)
        if raw is None or (isinstance(raw, str) and raw.strip() in ("", ".")):
            return None
        if isinstance(raw, bool):
            value = None
        elif isinstance(raw, int):
            value = raw
        elif isinstance(raw, float) and raw.is_integer():
            value = int(raw)
        elif isinstance(raw, str) and _INTEGER.fullmatch(raw.strip()):
            value = int(raw.strip())
        else:
            value = None
        if value is None:
            self.problem(column, _("%(value)s is geen geheel getal.") % {"value": repr(raw)})
            return None
        return value if value >= 0 else None

    def decimal(self, column: str) -> float | None:
        raw = self.values.get(column)
        if raw is None or (isinstance(raw, str) and raw.strip() in ("", ".")):
            return None
        if isinstance(raw, int | float) and not isinstance(raw, bool):
            value = float(raw)
        elif isinstance(raw, str) and _DECIMAL.fullmatch(raw.strip()):
            # A Dutch spreadsheet writes 51,92; a thousands separator is never valid here.
            value = float(raw.strip().replace(",", "."))
        else:
            self.problem(column, _("%(value)s is geen getal.") % {"value": repr(raw)})
            return None
        if not math.isfinite(value):
            self.problem(column, _("%(value)s is geen getal.") % {"value": repr(raw)})
            return None
        return value

    def population_figures(self) -> tuple[int | None, int | None, dict[str, int] | None]:
        population = self.integer("AANT_INW")
        households = self.integer("AANTAL_HH")
        by_age: dict[str, int] = {}
        for column, band in AGE_BAND_COLUMNS.items():
            percentage = self.decimal(column)
            if percentage is None or percentage < 0:
                continue
            if percentage > 100:
                self.problem(
                    column, _("Een percentage ligt tussen 0 en 100, niet %(value)s.") % {"value": f"{percentage:g}"}
                )
                continue
            if population is not None:
                # CBS rounds the percentages, so the bands may add up to a few more or less than AANT_INW.
                by_age[band] = round(population * percentage / 100)
        return population, households, by_age or None

    def centroid(self, *, required: bool) -> tuple[float, float] | None:
        lat, lon = self.decimal("LAT"), self.decimal("LON")
        if lat is None or lon is None:
            # A value that is there but no number has been reported already; only empty ones are missing.
            missing = [
                column for column, value in (("LAT", lat), ("LON", lon)) if value is None and not self.text(column)
            ]
            if required and missing:
                self.problem(
                    missing[0],
                    (
                        _("Het middelpunt ontbreekt: vul LAT en LON in (WGS 84, in graden).")
                        if self.unit == "regel"
                        else _("Het middelpunt ontbreekt: geef een grens (geometry) of LAT en LON (WGS 84).")
                    ),
                )
            return None
        if not (NL_LATITUDE[0] <= lat <= NL_LATITUDE[1] and NL_LONGITUDE[0] <= lon <= NL_LONGITUDE[1]):
            self.problem("LAT", _outside_nl_message(lat, lon))
            return None
        return lat, lon


def _outside_nl_message(lat: float, lon: float) -> str:
    if abs(lat) > 90 or abs(lon) > 180:
        return _(
            "De coördinaten lijken Rijksdriehoekscoördinaten (EPSG:28992). Gebruik WGS 84 (EPSG:4326) "
            "in graden, bijvoorbeeld met: ogr2ogr -t_srs EPSG:4326 uit.geojson in.shp"
        )
    if NL_LATITUDE[0] <= lon <= NL_LATITUDE[1] and NL_LONGITUDE[0] <= lat <= NL_LONGITUDE[1]:
        return _("Breedtegraad en lengtegraad lijken verwisseld: LAT is ongeveer 52, LON ongeveer 5.")
    return _("Het punt (%(lat)s, %(lon)s) ligt niet in Nederland.") % {"lat": f"{lat:g}", "lon": f"{lon:g}"}


def _positions(geometry: Mapping[str, Any]) -> Iterable[list[float]]:
    coordinates = geometry.get("coordinates") or []
    polygons = [coordinates] if geometry.get("type") == "Polygon" else coordinates
    for polygon in polygons:
        for ring in polygon:
            yield from ring


def _ring_area(ring: list[list[float]]) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_r0), (x1, y1, *_r1) in itertools.pairwise(ring)) / 2


def _rounded(geometry: dict[str, Any]) -> dict[str, Any]:
    def ring(points: list[list[float]]) -> list[list[float]]:
        return [[round(p[0], COORDINATE_DECIMALS), round(p[1], COORDINATE_DECIMALS)] for p in points]

    if geometry["type"] == "Polygon":
        return {"type": "Polygon", "coordinates": [ring(r) for r in geometry["coordinates"]]}
    return {"type": "MultiPolygon", "coordinates": [[ring(r) for r in p] for p in geometry["coordinates"]]}


def check_boundary(geometry: Any) -> tuple[dict[str, Any] | None, str]:
    """A boundary ready to store, or None and the reason in Dutch."""
    if isinstance(geometry, dict) and geometry.get("type") in ("Polygon", "MultiPolygon"):
        # Projected coordinates fail the structural check too, but deserve their own advice.
        first = next(iter(_positions(geometry)), None)
        if (
            isinstance(first, list)
            and len(first) >= 2
            and all(isinstance(c, int | float) for c in first[:2])
            and (abs(first[0]) > 180 or abs(first[1]) > 90)
        ):
            return None, _outside_nl_message(first[1], first[0])
    try:
        cbs.validate_boundary(geometry)
    except ValidationError as exc:
        return None, " ".join(exc.messages)
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    if any(abs(_ring_area(polygon[0])) == 0 for polygon in polygons):
        return None, _("De grens heeft geen oppervlakte: alle punten liggen op één lijn.")
    lat, lon = cbs.boundary_centroid(geometry)
    if not (NL_LATITUDE[0] <= lat <= NL_LATITUDE[1] and NL_LONGITUDE[0] <= lon <= NL_LONGITUDE[1]):
        return None, _outside_nl_message(lat, lon)
    return _rounded(geometry), ""


def _record_from_values(reader: _RowReader, *, level: AreaLevel, geometry: Any, geometry_given: bool) -> AreaRecord:
    """Check one row or feature of any level. A value with a problem is left empty in the record,
    so the checks across rows still see the rest of it."""
    gm_code = reader.code("GM_CODE", cbs.validate_municipality_code)
    record = AreaRecord(row=reader.row, level=level, municipality_code=gm_code)
    record.municipality_name = reader.name("GM_NAAM", required=level is AreaLevel.MUNICIPALITY)
    if level is not AreaLevel.MUNICIPALITY:
        wk_code = reader.code("WK_CODE", cbs.validate_district_code)
        if wk_code and gm_code:
            try:
                cbs.validate_district_code(wk_code, gm_code)
            except ValidationError as exc:
                reader.problem("WK_CODE", " ".join(exc.messages))
        record.district_code = wk_code
        record.district_name = reader.name("WK_NAAM", required=level is AreaLevel.DISTRICT)
    if level is AreaLevel.NEIGHBOURHOOD:
        bu_code = reader.code("BU_CODE", cbs.validate_neighbourhood_code)
        if bu_code and record.district_code:
            try:
                cbs.validate_neighbourhood_code(bu_code, record.district_code)
            except ValidationError as exc:
                reader.problem("BU_CODE", " ".join(exc.messages))
        record.neighbourhood_code = bu_code
        record.neighbourhood_name = reader.name("BU_NAAM", required=True)

    if geometry_given:
        boundary, message = check_boundary(geometry)
        if boundary is None:
            reader.problem("geometry", message)
        else:
            record.boundary = boundary
            record.centroid = cbs.boundary_centroid(boundary)
    if record.centroid is None:
        # CSV rows always need LAT/LON; a GeoJSON buurt without geometry may give them as properties.
        record.centroid = reader.centroid(required=level is AreaLevel.NEIGHBOURHOOD and not geometry_given)
    record.population, record.households, record.population_by_age = reader.population_figures()
    return record


def _decode(data: bytes) -> tuple[str | None, Problem | None]:
    try:
        # utf-8-sig also reads files without a BOM.
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        return None, Problem(
            None,
            "",
            _(
                'Het bestand is geen UTF-8. Sla het in Excel op als "CSV UTF-8 (door komma\'s gescheiden)", '
                "of exporteer het opnieuw in UTF-8."
            ),
        )


def _only(municipality_code: str | None, values: Mapping[str, Any]) -> bool:
    """Whether a row belongs to the municipality the caller asked for (None: every row counts)."""
    return municipality_code is None or str(values.get("GM_CODE") or "").strip().upper() == municipality_code


def read_csv(data: bytes, *, municipality_code: str | None = None, progress: Progress | None = None) -> ReadResult:
    progress = progress or NullProgress()
    result = ReadResult(unit="regel")
    text, problem = _decode(data)
    if problem is not None or text is None:
        return result.fail(problem or Problem(None, "", ""))
    header_line = text.split("\n", 1)[0]
    # Dutch spreadsheets write `;` (the comma is their decimal mark); the header has no decimals.
    delimiter = ";" if header_line.count(";") >= header_line.count(",") and ";" in header_line else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        return result.fail(Problem(None, "", _("Het bestand is leeg.")))
    columns = [name.strip().upper() for name in header]
    missing = [name for name in CSV_REQUIRED_COLUMNS if name not in columns]
    if missing:
        return result.fail(
            Problem(
                1,
                "",
                _(
                    "Deze kolommen ontbreken in de eerste regel: %(missing)s. Verplicht zijn %(required)s; "
                    "gebruik ; of , als scheidingsteken."
                )
                % {"missing": ", ".join(missing), "required": ", ".join(CSV_REQUIRED_COLUMNS)},
            )
        )
    duplicates = sorted({name for name in columns if name and columns.count(name) > 1})
    if duplicates:
        return result.fail(
            Problem(1, "", _("Deze kolommen staan er twee keer in: %(columns)s.") % {"columns": ", ".join(duplicates)})
        )

    # Number rows by the physical line they start on, as a text editor shows it: a quoted
    # value may span more than one line.
    rows: list[tuple[int, list[str]]] = []
    previous_line = reader.line_num
    for cells in reader:
        rows.append((previous_line + 1, cells))
        previous_line = reader.line_num
    progress.start(len(rows), _("Bestand controleren"))
    for line, cells in rows:
        progress.advance()
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(columns):
            result.problems.append(
                Problem(
                    line,
                    "",
                    _(
                        "Deze regel heeft %(found)d waarden, de kopregel %(expected)d kolommen. "
                        "Staat er een scheidingsteken in een naam zonder aanhalingstekens?"
                    )
                    % {"found": len(cells), "expected": len(columns)},
                )
            )
            continue
        values = dict(zip(columns, cells, strict=True))
        if not _only(municipality_code, values):
            result.skipped += 1
            continue
        row_reader = _RowReader(values, line, "regel", result.problems)
        record = _record_from_values(row_reader, level=AreaLevel.NEIGHBOURHOOD, geometry=None, geometry_given=False)
        result.records.append(record)
    return result


def read_geojson(data: bytes, *, municipality_code: str | None = None, progress: Progress | None = None) -> ReadResult:
    progress = progress or NullProgress()
    result = ReadResult(unit="object")
    text, problem = _decode(data)
    if problem is not None or text is None:
        return result.fail(problem or Problem(None, "", ""))
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        return result.fail(
            Problem(
                None,
                "",
                _("Het bestand is geen geldige JSON (regel %(line)d, teken %(column)d): %(error)s.")
                % {"line": exc.lineno, "column": exc.colno, "error": exc.msg},
            )
        )
    if not isinstance(document, dict) or document.get("type") != "FeatureCollection":
        return result.fail(
            Problem(None, "", _('Het bestand is geen GeoJSON FeatureCollection (met "type": "FeatureCollection").'))
        )
    crs_name = str(((document.get("crs") or {}).get("properties") or {}).get("name") or "")
    if crs_name and not re.search(r"(CRS84|4326)$", crs_name):
        return result.fail(
            Problem(
                None,
                "crs",
                _(
                    "Het bestand gebruikt coördinatenstelsel %(crs)s. Exporteer het in WGS 84 (EPSG:4326), "
                    "bijvoorbeeld met: ogr2ogr -t_srs EPSG:4326 uit.geojson in.shp"
                )
                % {"crs": crs_name},
            )
        )
    features = document.get("features")
    if not isinstance(features, list) or not features:
        return result.fail(Problem(None, "features", _("Het bestand bevat geen gebieden (features).")))

    progress.start(len(features), _("Bestand controleren"))
    for number, feature in enumerate(features, start=1):
        progress.advance()
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            result.problems.append(Problem(number, "", _("Dit is geen GeoJSON Feature."), "object"))
            continue
        properties = feature.get("properties")
        if not isinstance(properties, dict):
            result.problems.append(Problem(number, "properties", _("De eigenschappen ontbreken."), "object"))
            continue
        values = {str(key).strip().upper(): value for key, value in properties.items()}
        if not _only(municipality_code, values):
            result.skipped += 1
            continue
        if str(values.get("BU_CODE") or "").strip():
            level = AreaLevel.NEIGHBOURHOOD
        elif str(values.get("WK_CODE") or "").strip():
            level = AreaLevel.DISTRICT
        elif str(values.get("GM_CODE") or "").strip():
            level = AreaLevel.MUNICIPALITY
        else:
            result.problems.append(
                Problem(
                    number,
                    "BU_CODE",
                    _("Er staat geen BU_CODE, WK_CODE of GM_CODE in: bij welk gebied hoort dit object?"),
                    "object",
                )
            )
            continue
        geometry = feature.get("geometry")
        row_reader = _RowReader(values, number, "object", result.problems)
        record = _record_from_values(row_reader, level=level, geometry=geometry, geometry_given=geometry is not None)
        result.records.append(record)
    return result


def read_area_file(
    data: bytes, *, filename: str = "", municipality_code: str | None = None, progress: Progress | None = None
) -> ReadResult:
    """Read GeoJSON or CSV, chosen by extension or, without one, by the first character."""
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if suffix in ("geojson", "json"):
        is_geojson = True
    elif suffix in ("csv", "txt"):
        is_geojson = False
    else:
        is_geojson = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{"
    reader = read_geojson if is_geojson else read_csv
    result = reader(data, municipality_code=municipality_code, progress=progress)
    if municipality_code and not result.records and not result.problems:
        return result.fail(
            Problem(
                None,
                "GM_CODE",
                _("Het bestand bevat geen gebieden van gemeente %(code)s.") % {"code": municipality_code},
                result.unit,
            )
        )
    return result


def check_consistency(records: Iterable[AreaRecord], unit: str) -> list[Problem]:
    """Checks across rows: one code is one area, with one name, once."""
    problems: list[Problem] = []
    first_row: dict[tuple[AreaLevel, str], int] = {}
    names: dict[tuple[AreaLevel, str], tuple[str, int]] = {}
    label = {
        AreaLevel.MUNICIPALITY: (_("Gemeentecode"), "GM"),
        AreaLevel.DISTRICT: (_("Wijkcode"), "WK"),
        AreaLevel.NEIGHBOURHOOD: (_("Buurtcode"), "BU"),
    }

    def same_name(level: AreaLevel, code: str, name: str, row: int) -> None:
        if not name or not code:
            return
        known = names.setdefault((level, code), (name, row))
        if known[0] != name:
            word, prefix = label[level]
            problems.append(
                Problem(
                    row,
                    f"{prefix}_NAAM",
                    _(
                        '%(what)s %(code)s heeft hier de naam "%(name)s", maar op %(unit)s %(other_row)d '
                        '"%(other)s". Eén code hoort bij één naam.'
                    )
                    % {
                        "what": word,
                        "code": code,
                        "name": name,
                        "unit": unit,
                        "other_row": known[1],
                        "other": known[0],
                    },
                    unit,
                )
            )

    for record in records:
        key = (record.level, record.code)
        if not record.code:
            continue
        if key in first_row:
            word, prefix = label[record.level]
            problems.append(
                Problem(
                    record.row,
                    f"{prefix}_CODE",
                    _("%(what)s %(code)s staat twee keer in het bestand (ook op %(unit)s %(other_row)d).")
                    % {"what": word, "code": record.code, "unit": unit, "other_row": first_row[key]},
                    unit,
                )
            )
            continue
        first_row[key] = record.row
        same_name(AreaLevel.MUNICIPALITY, record.municipality_code, record.municipality_name, record.row)
        same_name(AreaLevel.DISTRICT, record.district_code, record.district_name, record.row)
        same_name(AreaLevel.NEIGHBOURHOOD, record.neighbourhood_code, record.neighbourhood_name, record.row)
    return problems
