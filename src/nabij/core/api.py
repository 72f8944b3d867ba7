"""API of the core app: municipalities, districts and neighbourhoods (open data), and the audit log.

Areas are public: CBS publishes the same figures. The audit log is personal data about
professionals' work and is for the municipality's coordinators and admins only.
"""

# No `from __future__ import annotations` here: @paginate wraps the views, and Ninja resolves
# string annotations in the wrapper's module, where these parameter types are unknown.

import json
from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED, PUBLIC
from nabij.accounts.selectors import audit_log_for
from nabij.core import cbs, selectors
from nabij.core.api_types import DistrictCode, MunicipalityCode, NeighbourhoodCode, request_municipality
from nabij.core.models import AuditAction, AuditEntry, AuditPurpose, District, Municipality, Neighbourhood
from nabij.core.models.geography import AreaFields
from nabij.core.pagination import PageNumberPagination
from nabij.core.problems import (
    SECOND_FACTOR_REQUIRED,
    VALIDATION_ERROR,
    ProblemError,
    field_errors_from_django,
    responses,
)

GEOJSON_MEDIA_TYPE = "application/geo+json"

DistrictFilter = Annotated[DistrictCode | None, Query(description="Only the neighbourhoods of this district.")]

# Public endpoints show in OpenAPI that credentials are optional (the empty requirement).
PUBLIC_OPENAPI: dict[str, Any] = {"security": [{}]}

areas_router = Router(tags=["areas"], auth=PUBLIC)
audit_router = Router(tags=["audit log"], auth=AUTHENTICATED)


# --- schemas -----------------------------------------------------------------------------------


class Centroid(Schema):
    lat: float = Field(description="Latitude in degrees, WGS 84 (EPSG:4326).", examples=[51.9225])
    lon: float = Field(description="Longitude in degrees, WGS 84 (EPSG:4326).", examples=[4.4792])


class AreaOut(Schema):
    code: str = Field(description="CBS code of the area.")
    name: str = Field(description="Name of the area as CBS publishes it.")
    population: int = Field(description="Inhabitants (CBS Kerncijfers wijken en buurten).")
    households: int | None = Field(description="Households (CBS Kerncijfers), null if unknown.")
    population_by_age: dict[str, int] = Field(
        description='Inhabitants per CBS age band, e.g. `{"0-14": 1200, "15-24": 800}`; empty if unknown.'
    )
    centroid: Centroid = Field(description="A representative point of the area, for maps and distances.")

    @staticmethod
    def resolve_centroid(obj: AreaFields) -> dict[str, float]:
        return {"lat": obj.centroid_lat, "lon": obj.centroid_lon}


class Boundary(Schema):
    """A GeoJSON geometry (RFC 7946) in WGS 84 longitude/latitude order."""

    type: Literal["Polygon", "MultiPolygon"] = Field(description="GeoJSON geometry type.")
    coordinates: list[Any] = Field(description="GeoJSON coordinates: rings of [longitude, latitude] positions.")


class MunicipalityOut(AreaOut):
    code: str = Field(description="CBS municipality code (gemeentecode).", examples=["GM0599"])
    slug: str = Field(description="Short name in the URLs of the website, e.g. `/rotterdam/`.")


class MunicipalityDetail(MunicipalityOut):
    boundary: Boundary | None = Field(description="Boundary of the municipality, null if not imported.")


class DistrictOut(AreaOut):
    code: str = Field(description="CBS district code (wijkcode).", examples=["WK059901"])
    municipality: str = Field(description="CBS code of the municipality the district belongs to.")
    neighbourhood_count: int = Field(description="Number of neighbourhoods in the district.")

    @staticmethod
    def resolve_municipality(obj: District) -> str:
        return obj.municipality.code


class DistrictDetail(DistrictOut):
    boundary: Boundary | None = Field(description="Boundary of the district, null if not imported.")


class NeighbourhoodOut(AreaOut):
    code: str = Field(description="CBS neighbourhood code (buurtcode).", examples=["BU05990101"])
    municipality: str = Field(description="CBS code of the municipality.")
    district: str = Field(description="CBS code of the district the neighbourhood belongs to.")

    @staticmethod
    def resolve_municipality(obj: Neighbourhood) -> str:
        return obj.municipality.code

    @staticmethod
    def resolve_district(obj: Neighbourhood) -> str:
        return obj.district.code


class NeighbourhoodDetail(NeighbourhoodOut):
    boundary: Boundary | None = Field(description="Boundary of the neighbourhood, null if not imported.")


class FeatureGeometry(Schema):
    type: Literal["Point", "Polygon", "MultiPolygon"] = Field(
        description="The boundary (Polygon or MultiPolygon), or the centroid as a Point when there is none."
    )
    coordinates: list[Any] = Field(description="GeoJSON coordinates in [longitude, latitude] order.")


class FeatureProperties(Schema):
    code: str = Field(description="CBS code of the area.")
    name: str = Field(description="Name of the area.")
    population: int = Field(description="Inhabitants.")
    households: int | None = Field(description="Households, null if unknown.")
    centroid: list[float] = Field(description="The centroid as [longitude, latitude].")
    municipality: str = Field(description="CBS code of the municipality.")
    district: str | None = Field(None, description="CBS code of the district (neighbourhoods only).")


class Feature(Schema):
    type: Literal["Feature"] = Field(description="Always `Feature`.")
    id: str = Field(description="The area's CBS code.")
    geometry: FeatureGeometry = Field(description="Where the area is.")
    properties: FeatureProperties = Field(description="What the area is.")


class FeatureCollection(Schema):
    """An RFC 7946 GeoJSON FeatureCollection, served as application/geo+json."""

    type: Literal["FeatureCollection"] = Field(description="Always `FeatureCollection`.")
    features: list[Feature] = Field(description="One feature per area, ordered by CBS code.")


class AuditEntryOut(Schema):
    id: int = Field(description="Sequence number of the entry.")
    at: datetime = Field(description="When it happened (ISO 8601 with time zone).")
    actor: str = Field(
        description="Pseudonymous key of who did it (never a name or e-mail address), or `system`.",
        examples=["3f9c0a12be45d671"],
    )
    action: AuditAction = Field(description="What was done.")
    purpose: AuditPurpose = Field(description="Why: the purpose the processing was for.")
    record_type: str = Field(description="Kind of record, as `app.model`.", examples=["accounts.user"])
    record_ref: str = Field(description="Pseudonymous key of the record, empty for reads of a list.")
    detail: dict[str, Any] = Field(description="Codes and counts that explain the entry; never names.")

    @staticmethod
    def resolve_actor(obj: AuditEntry) -> str:
        return obj.actor_ref


class AuditLogFilters(Schema):
    action: AuditAction | None = Field(None, description="Only entries with this action.")
    purpose: AuditPurpose | None = Field(None, description="Only entries with this purpose.")
    since: date | None = Field(None, description="Only entries on or after this date (YYYY-MM-DD, Europe/Amsterdam).")
    until: date | None = Field(None, description="Only entries on or before this date (YYYY-MM-DD, Europe/Amsterdam).")


# --- areas -------------------------------------------------------------------------------------


def _districts() -> QuerySet[District]:
    return selectors.districts_with_counts().select_related("municipality")


def _neighbourhoods(municipality: Municipality, district: str | None) -> QuerySet[Neighbourhood]:
    if district:
        # A filter for another municipality's district is a mistake worth a clear answer,
        # not an empty page; the code alone says it (no data of that tenant is read).
        try:
            cbs.validate_district_code(district, municipality.code)
        except DjangoValidationError as error:
            errors = field_errors_from_django(error, source="query", field="district")
            raise ProblemError(VALIDATION_ERROR, errors=errors) from None
    return selectors.neighbourhoods_in(district).select_related("municipality")


def _feature_collection(areas: QuerySet[Any], **extra: Any) -> HttpResponse:
    features = [
        area.geojson_feature(
            municipality=area.municipality.code,
            **{name: getter(area) for name, getter in extra.items()},
        )
        for area in areas
    ]
    body = json.dumps({"type": "FeatureCollection", "features": features}, cls=DjangoJSONEncoder)
    return HttpResponse(body, content_type=GEOJSON_MEDIA_TYPE)


@areas_router.get(
    "/municipalities",
    response=responses(list[MunicipalityOut], 422),
    summary="List municipalities",
    openapi_extra=PUBLIC_OPENAPI,
)
@paginate(PageNumberPagination)
def list_municipalities(request: HttpRequest) -> QuerySet[Municipality]:
    """The municipalities that run Nabij here, ordered by CBS code."""
    return selectors.active_municipalities().order_by("code")


@areas_router.get(
    "/municipalities/{municipality}",
    response=responses(MunicipalityDetail, 404, 422),
    summary="Get a municipality",
    openapi_extra=PUBLIC_OPENAPI,
)
def get_municipality(request: HttpRequest, municipality: MunicipalityCode) -> Municipality:
    """One municipality by CBS code, with its boundary."""
    return request_municipality(request)


@areas_router.get(
    "/municipalities/{municipality}/districts",
    response=responses(list[DistrictOut], 404, 422),
    summary="List districts",
    openapi_extra=PUBLIC_OPENAPI,
)
@paginate(PageNumberPagination)
def list_districts(request: HttpRequest, municipality: MunicipalityCode) -> QuerySet[District]:
    """The districts (wijken) of a municipality, ordered by CBS code."""
    request_municipality(request)
    return _districts()


@areas_router.get(
    "/municipalities/{municipality}/districts.geojson",
    response=responses(FeatureCollection, 404, 422),
    summary="Districts as GeoJSON",
    openapi_extra=PUBLIC_OPENAPI,
)
def districts_geojson(request: HttpRequest, municipality: MunicipalityCode) -> HttpResponse:
    """All districts of a municipality as one GeoJSON FeatureCollection for a map layer.

    Not paginated: a map needs the whole layer, and CBS keeps a municipality's districts few.
    """
    request_municipality(request)
    return _feature_collection(_districts())


@areas_router.get(
    "/municipalities/{municipality}/districts/{code}",
    response=responses(DistrictDetail, 404, 422),
    summary="Get a district",
    openapi_extra=PUBLIC_OPENAPI,
)
def get_district(request: HttpRequest, municipality: MunicipalityCode, code: DistrictCode) -> District:
    """One district by CBS code, with its boundary. A district of another municipality is 404."""
    request_municipality(request)
    return get_object_or_404(_districts(), code=code)


@areas_router.get(
    "/municipalities/{municipality}/neighbourhoods",
    response=responses(list[NeighbourhoodOut], 404, 422),
    summary="List neighbourhoods",
    openapi_extra=PUBLIC_OPENAPI,
)
@paginate(PageNumberPagination)
def list_neighbourhoods(
    request: HttpRequest,
    municipality: MunicipalityCode,
    district: DistrictFilter = None,
) -> QuerySet[Neighbourhood]:
    """The neighbourhoods (buurten) of a municipality, ordered by CBS code."""
    return _neighbourhoods(request_municipality(request), district)


@areas_router.get(
    "/municipalities/{municipality}/neighbourhoods.geojson",
    response=responses(FeatureCollection, 404, 422),
    summary="Neighbourhoods as GeoJSON",
    openapi_extra=PUBLIC_OPENAPI,
)
def neighbourhoods_geojson(
    request: HttpRequest,
    municipality: MunicipalityCode,
    district: DistrictFilter = None,
) -> HttpResponse:
    """All neighbourhoods of a municipality (or of one district) as one GeoJSON FeatureCollection.

    Not paginated: a map needs the whole layer; even the largest municipality has a few hundred.
    """
    areas = _neighbourhoods(request_municipality(request), district)
    return _feature_collection(areas, district=lambda area: area.district.code)


@areas_router.get(
    "/municipalities/{municipality}/neighbourhoods/{code}",
    response=responses(NeighbourhoodDetail, 404, 422),
    summary="Get a neighbourhood",
    openapi_extra=PUBLIC_OPENAPI,
)
def get_neighbourhood(request: HttpRequest, municipality: MunicipalityCode, code: NeighbourhoodCode) -> Neighbourhood:
    """One neighbourhood by CBS code, with its boundary. One of another municipality is 404."""
    municipality_obj = request_municipality(request)
    return get_object_or_404(_neighbourhoods(municipality_obj, None), code=code)


# --- audit log ---------------------------------------------------------------------------------


@audit_router.get(
    "/municipalities/{municipality}/audit-log",
    response=responses(list[AuditEntryOut], 401, 403, 404, 422),
    summary="Read the audit log",
)
@paginate(PageNumberPagination)
def list_audit_log(
    request: HttpRequest, municipality: MunicipalityCode, filters: Query[AuditLogFilters]
) -> QuerySet[AuditEntry]:
    """Who processed which personal data, when and why; newest first.

    For the municipality's coordinators and admins, after their second factor (or with an
    API token). To anyone else the audit log of this municipality does not exist (404).
    Every read is itself written to the audit log.
    """
    tenant = request_municipality(request)
    if not permissions.can_read_audit_log(request.user, tenant):
        raise Http404
    if not permissions.may_see_personal_data(request.user, request):
        raise ProblemError(SECOND_FACTOR_REQUIRED)
    if filters.since and filters.until and filters.since > filters.until:
        raise ProblemError(
            VALIDATION_ERROR,
            errors=[
                {
                    "location": ["query", "until"],
                    "message": gettext("De begindatum ligt na de einddatum."),
                    "code": "date_range",
                }
            ],
        )
    return audit_log_for(actor=request.user, municipality=tenant, **filters.model_dump())
