"""GeoJSON (RFC 7946) layers of the social map: places and published activities, for a map.

Public, like the activity pages. Not paginated: a map needs the whole layer. A place without
coordinates, and an activity without such a place (online, or not yet on the map), is left out:
GeoJSON has no feature without a position that a map could show.
"""

# No `from __future__ import annotations`: Ninja reads these annotations at import time.

import datetime as dt
import json
import uuid
from typing import Annotated, Any, Literal

from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from ninja import Field, Query, Router, Schema

from nabij.accounts.authentication import PUBLIC
from nabij.core.api import GEOJSON_MEDIA_TYPE, PUBLIC_OPENAPI
from nabij.core.api_types import MunicipalityCode, request_municipality
from nabij.core.models import Municipality
from nabij.core.problems import responses
from nabij.socialmap import ical
from nabij.socialmap.models import AMSTERDAM, Activity, ActivityStatus, Barrier, Place

geo_router = Router(tags=["social map"], auth=PUBLIC)

DateFilter = Annotated[
    dt.date | None,
    Query(
        description="Only activities active on this day (YYYY-MM-DD, Europe/Amsterdam); today when left out.",
        examples=["2025-10-14"],
    ),
]


# --- schemas -----------------------------------------------------------------------------------


class PointGeometry(Schema):
    type: Literal["Point"] = Field(description="Always `Point`: where the place is.")
    coordinates: list[float] = Field(
        description="[longitude, latitude] in WGS 84 (EPSG:4326), as RFC 7946 orders them.",
        examples=[[4.4792, 51.9225]],
    )


class PlaceProperties(Schema):
    uid: str = Field(description="Public id of the place (UUID), the same in HSDS and iCal.")
    name: str = Field(description="Name of the place.")
    kind: str = Field(description="Kind of place, e.g. `buurthuis`, `bibliotheek`, `sportpark`.")
    address: str = Field(description="Street and number, postcode and town, as far as known.")
    organisation: str = Field(description="Name of the organisation the place belongs to.")
    organisation_uid: str = Field(description="Public id of that organisation.")
    neighbourhood: str | None = Field(description="CBS code of the neighbourhood (buurtcode), null if unknown.")
    step_free_entrance: bool | None = Field(description="Entrance without a step; null: not checked yet.")
    wheelchair_accessible: bool | None = Field(description="Wheelchair accessible; null: not checked yet.")
    accessible_toilet: bool | None = Field(description="Accessible toilet; null: not checked yet.")
    activity_count: int = Field(description="Published activities at this place that are active today.")


class PlaceFeature(Schema):
    type: Literal["Feature"] = Field(description="Always `Feature`.")
    id: str = Field(description="The place's public id.")
    geometry: PointGeometry = Field(description="Where the place is.")
    properties: PlaceProperties = Field(description="What the place is.")


class PlaceFeatureCollection(Schema):
    """An RFC 7946 GeoJSON FeatureCollection of places, served as application/geo+json."""

    type: Literal["FeatureCollection"] = Field(description="Always `FeatureCollection`.")
    features: list[PlaceFeature] = Field(description="One feature per place with coordinates, ordered by name.")


class ActivityProperties(Schema):
    uid: str = Field(description="Public id of the activity (UUID), the same in HSDS and iCal.")
    title: str = Field(description="Title of the activity.")
    participation_type: str = Field(description="Code of the participation type, e.g. `ontmoeten`.")
    participation_type_label: str = Field(description="Name of the participation type in the requested language.")
    action_perspective: str = Field(
        description="`omgevingsinitiatief`, `mild_werkverband` or `warme_plek`; empty if not set."
    )
    barriers: list[str] = Field(
        description="Codes of the activity's barriers (drempels), e.g. `cost`, `registration`; empty: none known."
    )
    next_date: dt.datetime | None = Field(
        description="Start of the next time it takes place (ISO 8601, Europe/Amsterdam), null if no more."
    )
    url: str = Field(description="The public page of the activity.")
    ical: str = Field(description="The iCalendar (RFC 5545) feed of the activity.")
    place_uid: str = Field(description="Public id of the place where it happens.")
    place_name: str = Field(description="Name of that place.")
    organisation: str = Field(description="Name of the organisation that runs it.")


class ActivityFeature(Schema):
    type: Literal["Feature"] = Field(description="Always `Feature`.")
    id: str = Field(description="The activity's public id.")
    geometry: PointGeometry = Field(description="Where it happens: its place.")
    properties: ActivityProperties = Field(description="What the activity is.")


class ActivityFeatureCollection(Schema):
    """An RFC 7946 GeoJSON FeatureCollection of activities, served as application/geo+json."""

    type: Literal["FeatureCollection"] = Field(description="Always `FeatureCollection`.")
    features: list[ActivityFeature] = Field(
        description="One feature per published activity active on the day, at a place with coordinates."
    )


# Schemas whose responses are application/geo+json rather than application/json (OpenAPI).
GEOJSON_SCHEMAS = (PlaceFeatureCollection, ActivityFeatureCollection)


# --- helpers -----------------------------------------------------------------------------------


def _point(place: Place) -> dict[str, Any]:
    return {"type": "Point", "coordinates": [place.lon, place.lat]}


def _collection(features: list[dict[str, Any]]) -> HttpResponse:
    body = json.dumps({"type": "FeatureCollection", "features": features}, cls=DjangoJSONEncoder)
    return HttpResponse(body, content_type=GEOJSON_MEDIA_TYPE)


def _active_on(day: dt.date, prefix: str = "") -> Q:
    return (Q(**{f"{prefix}active_from__isnull": True}) | Q(**{f"{prefix}active_from__lte": day})) & (
        Q(**{f"{prefix}active_until__isnull": True}) | Q(**{f"{prefix}active_until__gte": day})
    )


def _places(day: dt.date) -> QuerySet[Place]:
    live = Q(activities__status=ActivityStatus.PUBLISHED) & _active_on(day, "activities__")
    return (
        Place.objects.filter(lat__isnull=False, lon__isnull=False)
        .select_related("organisation", "neighbourhood")
        .annotate(activity_count=Count("activities", filter=live))
        .order_by("name", "pk")
    )


def _activities(day: dt.date) -> QuerySet[Activity]:
    return (
        Activity.objects.published()
        .active_on(day)
        .filter(place__lat__isnull=False, place__lon__isnull=False)
        .select_related("place", "organisation", "participation_type")
        # Only what a feature shows: a city's layer has thousands of rows.
        .only(
            *("uid", "title", "action_perspective", "barrier_mask", "dtstart", "rrule", "exdates"),
            *("active_from", "active_until", "municipality_id"),
            *("place__uid", "place__name", "place__lat", "place__lon", "organisation__name"),
            *("participation_type__code", "participation_type__label_nl", "participation_type__label_en"),
        )
        .order_by("title", "pk")
    )


def upcoming_start(activity: Activity, after: dt.datetime) -> dt.datetime | None:
    """`activity.next_occurrences(1, after=after)[0]`, without walking every week since the first time.

    An activity that has run weekly for years would otherwise cost a millisecond a year to walk,
    and a city's map layer holds thousands; so the walk starts from a later, equivalent start.
    """
    upcoming = activity.next_occurrences(1, after=after)
    return upcoming[0] if upcoming else None


class _Links:
    """Absolute URLs of activities' pages and feeds: reversed once, then filled in per activity
    (reversing 8,000 times costs more than the rest of a feature)."""

    PLACEHOLDER = uuid.UUID(int=0)

    def __init__(self, request: HttpRequest, municipality: Municipality) -> None:
        slug = municipality.slug
        self.page = request.build_absolute_uri(ical.activity_page_path(slug, self.PLACEHOLDER))
        self.feed = request.build_absolute_uri(
            reverse("socialmap:activity_ical", kwargs={"municipality": slug, "uid": self.PLACEHOLDER})
        )

    def fill(self, template: str, uid: uuid.UUID) -> str:
        return template.replace(str(self.PLACEHOLDER), str(uid))


def _activity_feature(
    activity: Activity, barriers: list[Barrier], after: dt.datetime, language: str, links: _Links
) -> dict[str, Any]:
    place = activity.place
    assert place is not None  # filtered on in _activities
    upcoming = upcoming_start(activity, after)
    return {
        "type": "Feature",
        "id": str(activity.uid),
        "geometry": _point(place),
        "properties": {
            "uid": str(activity.uid),
            "title": activity.title,
            "participation_type": activity.participation_type.code,
            "participation_type_label": activity.participation_type.label(language),
            "action_perspective": activity.action_perspective,
            "barriers": [barrier.code for barrier in barriers if activity.barrier_mask & barrier.mask],
            "next_date": upcoming.isoformat() if upcoming else None,
            "url": links.fill(links.page, activity.uid),
            "ical": links.fill(links.feed, activity.uid),
            "place_uid": str(place.uid),
            "place_name": place.name,
            "organisation": activity.organisation.name,
        },
    }


# --- endpoints ---------------------------------------------------------------------------------


@geo_router.get(
    "/municipalities/{municipality}/places.geojson",
    response=responses(PlaceFeatureCollection, 404, 422),
    summary="Places as GeoJSON",
    openapi_extra=PUBLIC_OPENAPI,
)
def places_geojson(request: HttpRequest, municipality: MunicipalityCode) -> HttpResponse:
    """Every place of the municipality that has coordinates, as one GeoJSON FeatureCollection.

    Places without coordinates are left out. `activity_count` counts the published activities
    there that are active today.
    """
    request_municipality(request)
    places = _places(timezone.localdate())
    features = [
        {
            "type": "Feature",
            "id": str(place.uid),
            "geometry": _point(place),
            "properties": {
                "uid": str(place.uid),
                "name": place.name,
                "kind": place.kind,
                "address": place.address,
                "organisation": place.organisation.name,
                "organisation_uid": str(place.organisation.uid),
                "neighbourhood": place.neighbourhood.code if place.neighbourhood else None,
                "step_free_entrance": place.step_free_entrance,
                "wheelchair_accessible": place.wheelchair_accessible,
                "accessible_toilet": place.accessible_toilet,
                "activity_count": place.activity_count,  # type: ignore[attr-defined]
            },
        }
        for place in places
    ]
    return _collection(features)


@geo_router.get(
    "/municipalities/{municipality}/activities.geojson",
    response=responses(ActivityFeatureCollection, 404, 422),
    summary="Activities as GeoJSON",
    openapi_extra=PUBLIC_OPENAPI,
)
def activities_geojson(request: HttpRequest, municipality: MunicipalityCode, date: DateFilter = None) -> HttpResponse:
    """The published activities that are active on a day (today by default), each at its place.

    Activities online or at a place without coordinates are left out. `next_date` is the next
    time it takes place from now, or from the start of `date` when that lies in the future.
    """
    tenant = request_municipality(request)
    day = date or timezone.localdate()
    now = timezone.now().astimezone(AMSTERDAM)
    after = max(now, dt.datetime.combine(day, dt.time.min, tzinfo=AMSTERDAM))
    barriers = list(Barrier.objects.filter(municipality=tenant).order_by("bit"))
    language = get_language() or "nl"
    links = _Links(request, tenant)
    features = [_activity_feature(activity, barriers, after, language, links) for activity in _activities(day)]
    return _collection(features)
