"""API of the social map: organisations and their places.

Reading is public (active organisations and places); changes go through `socialmap.services`,
which check `accounts.permissions` (see `api_access` for how refusals are answered).
"""

# No `from __future__ import annotations` here: @paginate wraps the views, and Ninja resolves
# string annotations in the wrapper's module, where these parameter types are unknown.

from typing import Annotated
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS
from django.db.models import QuerySet
from django.http import HttpRequest
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED, PUBLIC
from nabij.core.api import PUBLIC_OPENAPI
from nabij.core.api_types import MunicipalityCode, NeighbourhoodCode, request_municipality
from nabij.core.pagination import PageNumberPagination
from nabij.core.problems import responses
from nabij.socialmap import services
from nabij.socialmap.api_access import (
    member,
    neighbourhood_in_body,
    organisation_for,
    organisations,
    place_for,
    places,
    raise_if,
    reported_as_body_errors,
    require,
)
from nabij.socialmap.api_schemas import (
    OrganisationIn,
    OrganisationOut,
    OrganisationPatch,
    PlaceIn,
    PlaceOut,
    PlacePatch,
)
from nabij.socialmap.models import Organisation, OrganisationKind, Place, Sphere

router = Router(tags=["social map"], auth=AUTHENTICATED)

OrganisationUid = Annotated[UUID, Path(description="The `uid` of the organisation.")]
PlaceUid = Annotated[UUID, Path(description="The `uid` of the place.")]
BASE = "/municipalities/{municipality}"
# An organisation's only constraint across rows: its name is unique in the municipality.
UNIQUE_NAME: dict[str, tuple[str, ...]] = {NON_FIELD_ERRORS: ("name",)}


class OrganisationFilters(Schema):
    q: str | None = Field(None, max_length=200, description="Only organisations whose name contains this text.")
    sphere: Sphere | None = Field(None, description="Only organisations of this sphere.")
    kind: OrganisationKind | None = Field(None, description="Only organisations of this kind.")


class PlaceFilters(Schema):
    organisation: UUID | None = Field(None, description="Only the places of the organisation with this `uid`.")
    neighbourhood: NeighbourhoodCode | None = Field(
        None, description="Only the places in this neighbourhood (CBS buurtcode)."
    )


# --- organisations -----------------------------------------------------------------------------


@router.get(
    f"{BASE}/organisations",
    auth=PUBLIC,
    response=responses(list[OrganisationOut], 404, 422),
    summary="List organisations",
    openapi_extra=PUBLIC_OPENAPI,
)
@paginate(PageNumberPagination)
def list_organisations(
    request: HttpRequest, municipality: MunicipalityCode, filters: Query[OrganisationFilters]
) -> QuerySet[Organisation]:
    """The active (not archived) organisations of the social map, ordered by name."""
    request_municipality(request)
    result = organisations().filter(archived_at__isnull=True)
    if filters.q and filters.q.strip():
        result = result.filter(name__icontains=filters.q.strip())
    if filters.sphere:
        result = result.filter(sphere=filters.sphere)
    if filters.kind:
        result = result.filter(kind=filters.kind)
    return result.order_by("name", "pk")


@router.post(
    f"{BASE}/organisations",
    response=responses(OrganisationOut, 401, 403, 404, 422, status=201),
    summary="Create an organisation",
)
def create_organisation(
    request: HttpRequest, municipality: MunicipalityCode, payload: OrganisationIn
) -> Status[Organisation]:
    """Put a new organisation on the social map. For the municipality's coordinators and admins."""
    user, tenant = member(request)
    require(permissions.can_create_organisation(user, tenant))
    with reported_as_body_errors(UNIQUE_NAME):
        organisation = services.organisation_create(actor=user, municipality=tenant, **payload.model_dump())
    return Status(201, organisation)


@router.get(
    f"{BASE}/organisations/{{uid}}",
    auth=PUBLIC,
    response=responses(OrganisationOut, 404, 422),
    summary="Get an organisation",
    openapi_extra=PUBLIC_OPENAPI,
)
def get_organisation(request: HttpRequest, municipality: MunicipalityCode, uid: OrganisationUid) -> Organisation:
    """One organisation. An archived one is found only by those who may edit it."""
    return organisation_for(request, uid)


@router.patch(
    f"{BASE}/organisations/{{uid}}",
    response=responses(OrganisationOut, 401, 403, 404, 422),
    summary="Change an organisation",
)
def update_organisation(
    request: HttpRequest, municipality: MunicipalityCode, uid: OrganisationUid, payload: OrganisationPatch
) -> Organisation:
    """Change the details of an organisation: its organisers, and coordinators and admins.

    Only the fields you send change.
    """
    user, _tenant = member(request)
    organisation = organisation_for(request, uid)
    with reported_as_body_errors(UNIQUE_NAME):
        return services.organisation_update(
            actor=user, organisation=organisation, **payload.model_dump(exclude_unset=True)
        )


@router.post(
    f"{BASE}/organisations/{{uid}}/archive",
    response=responses(OrganisationOut, 401, 403, 404, 422),
    summary="Archive an organisation",
)
def archive_organisation(request: HttpRequest, municipality: MunicipalityCode, uid: OrganisationUid) -> Organisation:
    """Archive an organisation with its places and activities; nothing is deleted.

    For coordinators and admins. Archiving twice is harmless.
    """
    user, _tenant = member(request)
    organisation = organisation_for(request, uid)
    return services.organisation_archive(actor=user, organisation=organisation)


# --- places ------------------------------------------------------------------------------------


@router.get(
    f"{BASE}/places",
    auth=PUBLIC,
    response=responses(list[PlaceOut], 404, 422),
    summary="List places",
    openapi_extra=PUBLIC_OPENAPI,
)
@paginate(PageNumberPagination)
def list_places(request: HttpRequest, municipality: MunicipalityCode, filters: Query[PlaceFilters]) -> QuerySet[Place]:
    """The places in use (not archived) where activities happen, ordered by name."""
    request_municipality(request)
    result = places().filter(archived_at__isnull=True)
    if filters.organisation:
        result = result.filter(organisation__uid=filters.organisation)
    if filters.neighbourhood:
        result = result.filter(neighbourhood__code=filters.neighbourhood)
    return result.order_by("name", "pk")


@router.post(
    f"{BASE}/organisations/{{uid}}/places",
    response=responses(PlaceOut, 401, 403, 404, 422, status=201),
    summary="Create a place",
)
def create_place(
    request: HttpRequest, municipality: MunicipalityCode, uid: OrganisationUid, payload: PlaceIn
) -> Status[Place]:
    """Add a place to an organisation: its organisers, and coordinators and admins."""
    user, _tenant = member(request)
    organisation = organisation_for(request, uid)
    require(permissions.can_edit_organisation_offer(user, organisation))
    fields = payload.model_dump()
    fields["neighbourhood"], errors = neighbourhood_in_body(fields["neighbourhood"])
    raise_if(errors)
    with reported_as_body_errors():
        place = services.place_create(actor=user, organisation=organisation, **fields)
    return Status(201, place)


@router.get(
    f"{BASE}/places/{{uid}}",
    auth=PUBLIC,
    response=responses(PlaceOut, 404, 422),
    summary="Get a place",
    openapi_extra=PUBLIC_OPENAPI,
)
def get_place(request: HttpRequest, municipality: MunicipalityCode, uid: PlaceUid) -> Place:
    """One place. An archived one is found only by those who may edit its organisation."""
    return place_for(request, uid)


@router.patch(
    f"{BASE}/places/{{uid}}",
    response=responses(PlaceOut, 401, 403, 404, 422),
    summary="Change a place",
)
def update_place(request: HttpRequest, municipality: MunicipalityCode, uid: PlaceUid, payload: PlacePatch) -> Place:
    """Change a place. Only the fields you send change.

    When `wheelchair_accessible` changes, the activities there follow in their `physical` barrier.
    """
    user, _tenant = member(request)
    place = place_for(request, uid)
    require(permissions.can_edit_organisation_offer(user, place.organisation))
    changes = payload.model_dump(exclude_unset=True)
    if "neighbourhood" in changes:
        changes["neighbourhood"], errors = neighbourhood_in_body(changes["neighbourhood"])
        raise_if(errors)
    with reported_as_body_errors():
        return services.place_update(actor=user, place=place, **changes)


@router.post(
    f"{BASE}/places/{{uid}}/archive",
    response=responses(PlaceOut, 401, 403, 404, 422),
    summary="Archive a place",
)
def archive_place(request: HttpRequest, municipality: MunicipalityCode, uid: PlaceUid) -> Place:
    """Archive a place: it is no longer offered; activities there keep it in their history."""
    user, _tenant = member(request)
    place = place_for(request, uid)
    return services.place_archive(actor=user, place=place)
