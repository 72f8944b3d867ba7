"""CBS area codes and GeoJSON geometry checks, shared by models, importers and the API.

Codes follow CBS exactly: GM + 4 digits (gemeente), WK + 6 (wijk: the municipality's
4 digits + 2), BU + 8 (buurt: the district's 6 digits + 2).
"""

from __future__ import annotations

import itertools
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MUNICIPALITY_CODE = re.compile(r"GM\d{4}")
DISTRICT_CODE = re.compile(r"WK\d{6}")
NEIGHBOURHOOD_CODE = re.compile(r"BU\d{8}")

# The CBS Kerncijfers age bands, as the keys of `population_by_age` (counts per band).
AGE_BANDS = ("0-14", "15-24", "25-44", "45-64", "65+")


def validate_municipality_code(code: str) -> None:
    if not MUNICIPALITY_CODE.fullmatch(code or ""):
        raise ValidationError(
            _("Gemeentecode %(code)s klopt niet: gebruik GM en 4 cijfers, bijvoorbeeld GM0599."),
            code="invalid_code",
            params={"code": repr(code)},
        )


def validate_district_code(code: str, municipality_code: str | None = None) -> None:
    if not DISTRICT_CODE.fullmatch(code or ""):
        raise ValidationError(
            _("Wijkcode %(code)s klopt niet: gebruik WK en 6 cijfers, bijvoorbeeld WK059901."),
            code="invalid_code",
            params={"code": repr(code)},
        )
    if municipality_code is not None and code[2:6] != municipality_code[2:6]:
        raise ValidationError(
            _("Wijkcode %(code)s hoort niet bij gemeente %(parent)s: de eerste 4 cijfers moeten gelijk zijn."),
            code="parent_mismatch",
            params={"code": code, "parent": municipality_code},
        )


def validate_neighbourhood_code(code: str, district_code: str | None = None) -> None:
    if not NEIGHBOURHOOD_CODE.fullmatch(code or ""):
        raise ValidationError(
            _("Buurtcode %(code)s klopt niet: gebruik BU en 8 cijfers, bijvoorbeeld BU05990101."),
            code="invalid_code",
            params={"code": repr(code)},
        )
    if district_code is not None and code[2:8] != district_code[2:8]:
        raise ValidationError(
            _("Buurtcode %(code)s hoort niet bij wijk %(parent)s: de eerste 6 cijfers moeten gelijk zijn."),
            code="parent_mismatch",
            params={"code": code, "parent": district_code},
        )


def validate_latitude(value: float) -> None:
    if not -90 <= value <= 90:
        raise ValidationError(_("Breedtegraad moet tussen -90 en 90 liggen."), code="out_of_range")


def validate_longitude(value: float) -> None:
    if not -180 <= value <= 180:
        raise ValidationError(_("Lengtegraad moet tussen -180 en 180 liggen."), code="out_of_range")


def _is_position(value: Any) -> bool:
    return (
        isinstance(value, list)
        and len(value) in (2, 3)
        and all(isinstance(c, int | float) and not isinstance(c, bool) for c in value)
        and -180 <= value[0] <= 180
        and -90 <= value[1] <= 90
    )


def _is_ring(value: Any) -> bool:
    # RFC 7946 §3.1.6: a linear ring has at least four positions and is closed.
    return (
        isinstance(value, list)
        and len(value) >= 4
        and all(_is_position(p) for p in value)
        and value[0][:2] == value[-1][:2]
    )


def _is_polygon(value: Any) -> bool:
    return isinstance(value, list) and len(value) >= 1 and all(_is_ring(r) for r in value)


def validate_boundary(geometry: Any) -> None:
    """An area boundary is a GeoJSON Polygon or MultiPolygon in WGS 84 (RFC 7946)."""
    if geometry is None:
        return
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValidationError(_("De grens moet een GeoJSON Polygon of MultiPolygon zijn."), code="invalid_geometry")
    coords = geometry.get("coordinates")
    ok = (
        _is_polygon(coords)
        if geometry["type"] == "Polygon"
        else isinstance(coords, list) and len(coords) >= 1 and all(_is_polygon(p) for p in coords)
    )
    if not ok:
        raise ValidationError(
            _(
                "De coördinaten van de grens kloppen niet: elke ring heeft minstens 4 punten "
                "(lengtegraad, breedtegraad) en sluit op het eerste punt."
            ),
            code="invalid_geometry",
        )


def boundary_centroid(geometry: dict[str, Any]) -> tuple[float, float]:
    """Area-weighted centroid (lat, lon) of the outer rings; good enough at city scale."""
    polygons = [geometry["coordinates"]] if geometry["type"] == "Polygon" else geometry["coordinates"]
    total_area = cx = cy = 0.0
    for polygon in polygons:
        ring = polygon[0]
        for (x0, y0, *_r0), (x1, y1, *_r1) in itertools.pairwise(ring):
            cross = x0 * y1 - x1 * y0
            total_area += cross
            cx += (x0 + x1) * cross
            cy += (y0 + y1) * cross
    if total_area == 0:
        xs = [p[0] for polygon in polygons for p in polygon[0]]
        ys = [p[1] for polygon in polygons for p in polygon[0]]
        return sum(ys) / len(ys), sum(xs) / len(xs)
    total_area /= 2
    return cy / (6 * total_area), cx / (6 * total_area)
