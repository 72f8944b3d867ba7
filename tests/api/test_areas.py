"""Municipalities, districts and neighbourhoods: open data, scoped to the municipality in the URL."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django_scopes import scopes_disabled

from nabij.core.api import FeatureCollection
from nabij.core.models import Municipality
from nabij.testing.factories import DistrictFactory, MunicipalityFactory, NeighbourhoodFactory
from nabij.testing.personas import Personas
from tests.api.helpers import API, assert_problem, bearer, token_for

A = f"{API}/municipalities/GM0001"


def test_list_municipalities_is_public_and_paginated(client: Client, personas: Personas) -> None:
    response = client.get(f"{API}/municipalities")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["count"] == 2
    assert body["next"] is None and body["previous"] is None
    first = body["results"][0]
    assert first["code"] == "GM0001"
    assert first["slug"] == "alfadorp"
    assert first["centroid"] == {"lat": 52.0, "lon": 4.5}
    assert first["population"] == 50_000
    assert "boundary" not in first


def test_inactive_municipalities_are_not_listed(client: Client, personas: Personas) -> None:
    MunicipalityFactory(code="GM0003", slug="gammagat", is_active=False)
    codes = [m["code"] for m in client.get(f"{API}/municipalities").json()["results"]]
    assert codes == ["GM0001", "GM0002"]
    assert_problem(client.get(f"{API}/municipalities/GM0003"), 404)


def test_pagination_links_are_absolute_and_keep_the_query(client: Client, personas: Personas) -> None:
    for number in range(3, 6):
        MunicipalityFactory(code=f"GM000{number}", slug=f"gemeente-{number}")
    first = client.get(f"{API}/municipalities", {"page_size": 2}).json()
    assert first["count"] == 5
    assert [m["code"] for m in first["results"]] == ["GM0001", "GM0002"]
    assert first["previous"] is None
    assert first["next"] == f"http://testserver{API}/municipalities?page_size=2&page=2"

    second = client.get(first["next"]).json()
    assert [m["code"] for m in second["results"]] == ["GM0003", "GM0004"]
    assert second["previous"] == f"http://testserver{API}/municipalities?page_size=2&page=1"

    last = client.get(second["next"]).json()
    assert [m["code"] for m in last["results"]] == ["GM0005"]
    assert last["next"] is None


def test_pagination_limits(client: Client, personas: Personas) -> None:
    assert client.get(f"{API}/municipalities", {"page_size": 200}).status_code == 200
    body = assert_problem(client.get(f"{API}/municipalities", {"page_size": 201}), 422, "validation-error")
    assert body["errors"] == [
        {"location": ["query", "page_size"], "message": "Mag hoogstens 200 zijn.", "code": "less_than_equal"}
    ]
    assert_problem(client.get(f"{API}/municipalities", {"page": 0}), 422, "validation-error")
    body = assert_problem(client.get(f"{API}/municipalities", {"page": 2}), 404)
    assert "Pagina 2 bestaat niet" in body["detail"]


def test_empty_list_has_one_empty_page(client: Client, personas: Personas) -> None:
    MunicipalityFactory(code="GM0004", slug="leegstad")
    body = client.get(f"{API}/municipalities/GM0004/districts").json()
    assert body == {"count": 0, "next": None, "previous": None, "results": []}


def test_municipality_detail_has_boundary(client: Client, personas: Personas) -> None:
    body = client.get(A).json()
    assert body["code"] == "GM0001"
    assert body["name"] == "Alfadorp"
    assert body["boundary"] is None
    assert body["population_by_age"] == {}


def test_municipality_code_is_case_insensitive(client: Client, personas: Personas) -> None:
    assert client.get(f"{API}/municipalities/gm0001").json()["code"] == "GM0001"


@pytest.mark.parametrize("value", ["alfadorp", "GM12", "0001"])
def test_municipality_must_be_named_by_cbs_code(client: Client, personas: Personas, value: str) -> None:
    body = assert_problem(client.get(f"{API}/municipalities/{value}"), 422, "validation-error")
    [error] = body["errors"]
    assert error["location"] == ["path", "municipality"]
    assert error["code"] == "invalid_code"
    assert error["message"].startswith(f"Gemeentecode '{value}' klopt niet")


def test_unknown_municipality_is_404(client: Client, personas: Personas) -> None:
    assert_problem(client.get(f"{API}/municipalities/GM9999"), 404)
    assert_problem(client.get(f"{API}/municipalities/GM9999/districts"), 404)
    assert_problem(client.get(f"{API}/municipalities/GM9999/neighbourhoods.geojson"), 404)


def test_districts_of_the_municipality_only(client: Client, personas: Personas) -> None:
    body = client.get(f"{A}/districts").json()
    assert body["count"] == 1
    [district] = body["results"]
    assert district == {
        "code": "WK000101",
        "name": "Centrum Alfa",
        "population": 10_000,
        "households": None,
        "population_by_age": {},
        "centroid": {"lat": 52.005, "lon": 4.005},
        "municipality": "GM0001",
        "neighbourhood_count": 1,
    }


def test_district_detail(client: Client, personas: Personas) -> None:
    body = client.get(f"{A}/districts/WK000101").json()
    assert body["code"] == "WK000101"
    assert body["boundary"]["type"] == "Polygon"
    assert body["neighbourhood_count"] == 1


def test_district_of_another_municipality_is_404(client: Client, personas: Personas) -> None:
    assert client.get(f"{API}/municipalities/GM0002/districts/WK000201").status_code == 200
    assert_problem(client.get(f"{A}/districts/WK000201"), 404)
    assert_problem(client.get(f"{A}/neighbourhoods/BU00020101"), 404)


def test_malformed_district_code_is_422_in_dutch(client: Client, personas: Personas) -> None:
    body = assert_problem(client.get(f"{A}/districts/WK12"), 422, "validation-error")
    assert body["errors"] == [
        {
            "location": ["path", "code"],
            "message": "Wijkcode 'WK12' klopt niet: gebruik WK en 6 cijfers, bijvoorbeeld WK059901.",
            "code": "invalid_code",
        }
    ]
    body = assert_problem(client.get(f"{A}/neighbourhoods/BU1"), 422, "validation-error")
    assert body["errors"][0]["message"].startswith("Buurtcode 'BU1' klopt niet")


def test_neighbourhoods_with_district_filter(client: Client, personas: Personas) -> None:
    with scopes_disabled():
        other_district = DistrictFactory(municipality=personas.municipality_a, code="WK000102")
        NeighbourhoodFactory(district=other_district, code="BU00010201", name="Nieuwbouw")
    everything = client.get(f"{A}/neighbourhoods").json()
    assert [n["code"] for n in everything["results"]] == ["BU00010101", "BU00010201"]
    assert everything["results"][0]["district"] == "WK000101"
    assert everything["results"][0]["municipality"] == "GM0001"

    filtered = client.get(f"{A}/neighbourhoods", {"district": "WK000102"}).json()
    assert [n["code"] for n in filtered["results"]] == ["BU00010201"]


def test_neighbourhood_filter_on_another_municipalitys_district_is_422(client: Client, personas: Personas) -> None:
    body = assert_problem(client.get(f"{A}/neighbourhoods", {"district": "WK000201"}), 422, "validation-error")
    assert body["errors"][0]["location"] == ["query", "district"]
    assert "hoort niet bij gemeente GM0001" in body["errors"][0]["message"]
    assert_problem(client.get(f"{A}/neighbourhoods", {"district": "WK1"}), 422, "validation-error")


def test_neighbourhood_detail(client: Client, personas: Personas) -> None:
    body = client.get(f"{A}/neighbourhoods/BU00010101").json()
    assert body["name"] == "Oude Haven"
    assert body["district"] == "WK000101"
    assert body["boundary"]["type"] == "Polygon"


def _assert_feature_collection(body: dict[str, Any]) -> None:
    FeatureCollection.model_validate(body)  # the documented schema describes what is served
    assert body["type"] == "FeatureCollection"


def test_districts_geojson(client: Client, personas: Personas) -> None:
    response = client.get(f"{A}/districts.geojson")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    _assert_feature_collection(body)
    [feature] = body["features"]
    assert feature["type"] == "Feature"
    assert feature["id"] == "WK000101"
    assert feature["geometry"]["type"] == "Polygon"
    assert feature["properties"]["code"] == "WK000101"
    assert feature["properties"]["municipality"] == "GM0001"
    # RFC 7946 positions are [longitude, latitude].
    assert feature["properties"]["centroid"] == [4.005, 52.005]


def test_neighbourhoods_geojson_falls_back_to_centroid_point(client: Client, personas: Personas) -> None:
    with scopes_disabled():
        NeighbourhoodFactory(district=personas.district_a, code="BU00010102", boundary=None)
    response = client.get(f"{A}/neighbourhoods.geojson", {"district": "WK000101"})
    assert response["Content-Type"] == "application/geo+json"
    body = response.json()
    _assert_feature_collection(body)
    features = {f["id"]: f for f in body["features"]}
    assert set(features) == {"BU00010101", "BU00010102"}
    assert features["BU00010102"]["geometry"] == {"type": "Point", "coordinates": [4.005, 52.005]}
    assert features["BU00010101"]["properties"]["district"] == "WK000101"


def test_geojson_never_crosses_municipalities(client: Client, personas: Personas) -> None:
    codes = {f["id"] for f in client.get(f"{A}/neighbourhoods.geojson").json()["features"]}
    assert codes == {"BU00010101"}


def test_public_endpoints_accept_credentials(client: Client, personas: Personas) -> None:
    key = token_for(personas.resident)
    assert client.get(f"{A}/districts", headers=bearer(key)).status_code == 200
    # A token that is sent must be valid, even where none is needed.
    response = client.get(f"{A}/districts", headers=bearer("nabij_dead_beef"))
    assert_problem(response, 401, "invalid-token")


def test_logged_in_users_read_areas_too(resident_client: Client, personas: Personas) -> None:
    assert resident_client.get(f"{A}/districts").status_code == 200


def test_scope_comes_from_the_url(client: Client, personas: Personas) -> None:
    """The middleware reads Ninja's `municipality` URL keyword: without it, scoped queries would fail."""
    assert client.get(f"{API}/municipalities/GM0002/neighbourhoods").json()["results"][0]["code"] == "BU00020101"
    with scopes_disabled():
        assert Municipality.objects.count() == 2
