"""CBS area codes are validated exactly and consistently with their parents."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from nabij.core import cbs


@pytest.mark.parametrize("code", ["GM0599", "GM0000"])
def test_valid_municipality_codes(code: str) -> None:
    cbs.validate_municipality_code(code)


@pytest.mark.parametrize("code", ["GM599", "GM05990", "gm0599", "WK0599", " GM0599", "GM059A", ""])
def test_invalid_municipality_codes(code: str) -> None:
    with pytest.raises(ValidationError) as info:
        cbs.validate_municipality_code(code)
    assert "GM en 4 cijfers" in info.value.messages[0]


def test_district_code_must_match_its_municipality() -> None:
    cbs.validate_district_code("WK059901", "GM0599")
    with pytest.raises(ValidationError, match="hoort niet bij gemeente"):
        cbs.validate_district_code("WK036301", "GM0599")
    with pytest.raises(ValidationError, match="WK en 6 cijfers"):
        cbs.validate_district_code("WK05990", "GM0599")


def test_neighbourhood_code_must_match_its_district() -> None:
    cbs.validate_neighbourhood_code("BU05990101", "WK059901")
    with pytest.raises(ValidationError, match="hoort niet bij wijk"):
        cbs.validate_neighbourhood_code("BU05990201", "WK059901")
    with pytest.raises(ValidationError, match="BU en 8 cijfers"):
        cbs.validate_neighbourhood_code("BU0599010", "WK059901")


def test_boundary_must_be_closed_polygon_in_wgs84() -> None:
    ring = [[4.0, 52.0], [4.1, 52.0], [4.1, 52.1], [4.0, 52.0]]
    cbs.validate_boundary({"type": "Polygon", "coordinates": [ring]})
    cbs.validate_boundary({"type": "MultiPolygon", "coordinates": [[ring], [ring]]})
    cbs.validate_boundary(None)
    for bad in (
        {"type": "Point", "coordinates": [4.0, 52.0]},
        {"type": "Polygon", "coordinates": [ring[:-1]]},  # not closed
        {"type": "Polygon", "coordinates": [[[4.0, 52.0], [4.1, 52.0], [4.0, 52.0]]]},  # too short
        {"type": "Polygon", "coordinates": [[[155000, 463000], [155100, 463000], [155100, 463100], [155000, 463000]]]},
        {"type": "Polygon", "coordinates": "nope"},
    ):
        with pytest.raises(ValidationError):
            cbs.validate_boundary(bad)


def test_centroid_of_a_square() -> None:
    square = {"type": "Polygon", "coordinates": [[[4.0, 52.0], [4.2, 52.0], [4.2, 52.2], [4.0, 52.2], [4.0, 52.0]]]}
    lat, lon = cbs.boundary_centroid(square)
    assert lat == pytest.approx(52.1)
    assert lon == pytest.approx(4.1)
