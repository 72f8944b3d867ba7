"""API of the social map: searching activities, "activities for me", and the minimal listing.

The query parameters become a `search.ActivityFilter`; `nabij.socialmap.search` does the work
in SQL. Multi-valued filters take repeated parameters, comma-separated values, or both.
Unknown codes are checked per parameter only when the search refuses them, so a good request
pays no extra queries.
"""

# No `from __future__ import annotations` here: Ninja resolves these annotations at runtime.

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from nabij.accounts import permissions
from nabij.accounts.authentication import PUBLIC
from nabij.core.api import PUBLIC_OPENAPI
from nabij.core.api_types import MunicipalityCode, request_municipality
from nabij.core.models import Neighbourhood
from nabij.core.problems import NOT_AUTHENTICATED, VALIDATION_ERROR, ProblemError, responses
from nabij.socialmap.api_access import activities, field_error, member, raise_if, unknown_codes
from nabij.socialmap.api_schemas import OrganisationRef, PlaceRef
from nabij.socialmap.models import (
    ActionPerspective,
    Activity,
    ActivityStatus,
    Barrier,
    Domain,
    IsolationType,
    ParticipationType,
    Theme,
)
from nabij.socialmap.search import ActivityFilter, Point, Sort, Suggestion, activities_for_me, search_activities

router = Router(tags=["social map"], auth=PUBLIC)

BASE = "/municipalities/{municipality}/activities"
MAX_SUGGESTIONS = 100
_TIME = re.compile(r"([01]?[0-9]|2[0-3]):([0-5][0-9])")
_MULTI = "Repeat the parameter or separate values with commas."


class SearchFilters(Schema):
    q: str = Field("", max_length=200, description="Words to search for in title and description.")
    type: list[str] = Field([], description=f"Participation type codes, e.g. `bewegen`. {_MULTI}")
    domain: list[str] = Field([], description=f"Codes of domains of the social basis. {_MULTI}")
    perspective: list[str] = Field(
        [], description=f"Action perspectives: `omgevingsinitiatief`, `mild_werkverband`, `warme_plek`. {_MULTI}"
    )
    theme: list[str] = Field([], description=f"Theme codes. {_MULTI}")
    neighbourhood: list[str] = Field([], description=f"CBS neighbourhood codes (BU…) of the place. {_MULTI}")
    weekday: list[str] = Field([], description=f"Days it takes place, ISO numbers: 1 is Monday, 7 is Sunday. {_MULTI}")
    time_from: str | None = Field(
        None, description="Starts at or after this local time, `HH:MM` (24 hours).", examples=["09:00"]
    )
    time_until: str | None = Field(
        None, description="Starts at or before this local time, `HH:MM` (24 hours).", examples=["17:30"]
    )
    free: bool = Field(False, description="Only activities that are free or have a free option.")
    lat: float | None = Field(None, ge=-90, le=90, description="Latitude (WGS 84) to measure distance from.")
    lon: float | None = Field(None, ge=-180, le=180, description="Longitude (WGS 84) to measure distance from.")
    max_distance: int | None = Field(
        None, ge=1, le=100_000, description="Only activities within this walking distance in metres; needs lat/lon."
    )
    date: dt.date | None = Field(None, description="Only activities active on this day (`YYYY-MM-DD`); default today.")


class ActivityListFilters(SearchFilters):
    without_barriers: list[str] = Field(
        [], description=f"Barrier codes that stop you: activities with any of them are left out. {_MULTI}"
    )
    sort: Sort = Field("relevance", description="`relevance` (default), `distance` (needs lat/lon) or `date`.")
    organisation: UUID | None = Field(None, description="Only the activities of the organisation with this `uid`.")
    status: Literal["published", "draft", "archived"] = Field(
        "published",
        description="`draft` or `archived`: the activities of the organisations you may edit with that "
        "status (log in); the other search filters then do not apply.",
    )


class ForMeParams(SearchFilters):
    barriers: list[str] = Field([], description=f"Barrier codes that stop you, e.g. `cost,crowded`. {_MULTI}")
    lifted: list[str] = Field(
        [], description=f"Of those, the barriers that do not count because someone goes with you. {_MULTI}"
    )
    isolation_type: IsolationType | None = Field(
        None, description="`individual`, `collective` or `social_and_personal`: prefers the fitting perspective."
    )
    limit: int = Field(20, ge=1, le=MAX_SUGGESTIONS, description="How many suggestions, at most 100.")


# --- parameters → ActivityFilter ---------------------------------------------------------------


def _split(values: Iterable[str]) -> frozenset[str]:
    return frozenset(part.strip() for value in values for part in str(value).split(",") if part.strip())


def _weekdays(values: list[str], errors: list[dict[str, Any]]) -> frozenset[int]:
    try:
        days = frozenset(int(day) for day in _split(values))
    except ValueError:
        days = frozenset({0})
    if any(day < 1 or day > 7 for day in days):
        message = gettext("Een dag is een getal van 1 (maandag) tot en met 7 (zondag).")
        errors.append(field_error(("query", "weekday"), message, "weekday"))
    return days


def _time(value: str | None, parameter: str, errors: list[dict[str, Any]]) -> dt.time | None:
    if value is None or not value.strip():
        return None
    match = _TIME.fullmatch(value.strip())
    if match is None:
        message = gettext("Vul een tijd in als UU:MM, bijvoorbeeld 19:30.")
        errors.append(field_error(("query", parameter), message, "time_parsing"))
        return None
    return dt.time(int(match[1]), int(match[2]))


def _point(params: SearchFilters, errors: list[dict[str, Any]]) -> Point | None:
    if (params.lat is None) != (params.lon is None):
        missing = "lon" if params.lon is None else "lat"
        message = gettext("Geef de breedtegraad (lat) en de lengtegraad (lon) allebei op.")
        errors.append(field_error(("query", missing), message, "missing"))
        return None
    if params.lat is None or params.lon is None:
        return None
    return Point(lat=params.lat, lon=params.lon)


def activity_filter(params: SearchFilters, **extra: Any) -> ActivityFilter:
    """The search's filter, or a 422 naming each parameter that cannot be right on its face."""
    errors: list[dict[str, Any]] = []
    near = _point(params, errors)
    # Only half a location was given: that error already says what to do.
    no_location = near is None and params.lat is None and params.lon is None
    weekdays = _weekdays(params.weekday, errors)
    perspectives = _split(params.perspective)
    unknown = sorted(perspectives - set(ActionPerspective.values))
    if unknown:
        message = gettext("Onbekend handelingsperspectief: %(codes)s.") % {"codes": ", ".join(unknown)}
        errors.append(field_error(("query", "perspective"), message, "unknown_code"))
    if params.max_distance is not None and no_location:
        message = gettext("Geef ook een plek op (lat en lon) om vanaf te meten.")
        errors.append(field_error(("query", "max_distance"), message, "missing_location"))
    time_from = _time(params.time_from, "time_from", errors)
    time_until = _time(params.time_until, "time_until", errors)
    if time_from and time_until and time_from > time_until:
        errors.append(field_error(("query", "time_until"), gettext("De begintijd ligt na de eindtijd."), "time_range"))
    if extra.get("sort") == "distance" and no_location:
        message = gettext("Sorteren op afstand kan alleen als je een plek opgeeft (lat en lon).")
        errors.append(field_error(("query", "sort"), message, "missing_location"))
    raise_if(errors)
    return ActivityFilter(
        text=params.q.strip(),
        participation_types=_split(params.type),
        domains=_split(params.domain),
        perspectives=perspectives,
        themes=_split(params.theme),
        neighbourhoods=frozenset(code.upper() for code in _split(params.neighbourhood)),
        weekdays=weekdays,
        time_from=time_from,
        time_until=time_until,
        free=params.free,
        near=near,
        max_distance_m=params.max_distance,
        on=params.date,
        **extra,
    )


def _refused(error: DjangoValidationError, filters: ActivityFilter, barrier_params: dict[str, frozenset[str]]) -> None:
    """The search said no: find which parameters hold unknown codes, for a 422 per parameter."""
    errors: list[dict[str, Any]] = []
    for parameter, model, codes in (
        ("type", ParticipationType, filters.participation_types),
        ("domain", Domain, filters.domains),
        ("theme", Theme, filters.themes),
        ("neighbourhood", Neighbourhood, filters.neighbourhoods),
        *((name, Barrier, codes) for name, codes in barrier_params.items()),
    ):
        errors += unknown_codes(model, sorted(codes), ("query", parameter))
    if not errors:
        errors = [field_error(("query",), message, "invalid") for message in error.messages]
    raise ProblemError(VALIDATION_ERROR, errors=errors) from None


# --- the list ----------------------------------------------------------------------------------


def activity_list(request: HttpRequest, params: ActivityListFilters) -> QuerySet[Activity]:
    """What `GET …/activities` lists: the search, or an editor's drafts or archived activities."""
    municipality = request_municipality(request)
    if params.status != ActivityStatus.PUBLISHED:
        return _own_activities(request, params)
    filters = activity_filter(params, without_barriers=_split(params.without_barriers), sort=params.sort)
    try:
        result = search_activities(municipality, filters)
    except DjangoValidationError as error:
        _refused(error, filters, {"without_barriers": filters.without_barriers})
        raise
    if params.organisation:
        result = result.filter(organisation__uid=params.organisation)
    return result.prefetch_related("domains", "themes")


def _own_activities(request: HttpRequest, params: ActivityListFilters) -> QuerySet[Activity]:
    if not request.user.is_authenticated:
        raise ProblemError(NOT_AUTHENTICATED, gettext("Log in om concepten of gearchiveerde activiteiten te zien."))
    user, municipality = member(request)
    used = set(params.model_dump(exclude_defaults=True)) - {"status", "organisation"}
    if used:
        message = gettext("Zoekfilters werken alleen bij gepubliceerde activiteiten. Laat %(names)s weg.") % {
            "names": ", ".join(sorted(used))
        }
        raise_if([field_error(("query", "status"), message, "filters_need_published")])
    edited = permissions.organisations_edited_by(user, municipality)
    if edited == []:
        raise PermissionDenied
    result = activities().filter(status=params.status)
    if edited is not None:
        result = result.filter(organisation_id__in=edited)
    if params.organisation:
        result = result.filter(organisation__uid=params.organisation)
    return result.order_by("title", "pk")


# --- "activities for me" -----------------------------------------------------------------------


class SuggestedActivity(Schema):
    uid: UUID = Field(description="Public id of the activity.")
    title: str = Field(description="Title.")
    organisation: OrganisationRef = Field(description="Who organises it.")
    place: PlaceRef | None = Field(description="Where it happens; null for an online activity.")
    participation_type: str = Field(description="Code of the participation type.")
    action_perspective: ActionPerspective | None = Field(description="What it offers; null if not set.")
    who_welcomes_you: str = Field(description="Who welcomes newcomers; empty if nobody does.")
    cost_cents: int = Field(description="Cost per time in euro cents; 0 is free.")
    has_free_option: bool = Field(description="Whether there is a way to join for free.")
    barriers: list[str] = Field(description="Codes of all the barriers the activity has.")


class SuggestionOut(Schema):
    activity: SuggestedActivity = Field(description="The suggested activity.")
    reason: str = Field(description="Why it is suggested here, in one line in the request's language.")
    distance_m: float | None = Field(description="Walking distance in metres; null without lat/lon or a place.")
    barriers: list[str] = Field(
        description="Which of your barriers it has (`distance` when it is further than 1 km); empty: none for you."
    )
    lifted: list[str] = Field(description="Which of your barriers it has that do not count: someone goes with you.")
    score: float = Field(description="Rank score, lower is better; only for ordering.")
    next_dates: list[dt.datetime] = Field(description="The next start times, Europe/Amsterdam.")


class SuggestionsOut(Schema):
    results: list[SuggestionOut] = Field(description="The suggestions, best first.")


@router.get(
    f"{BASE}/for-me",
    response=responses(SuggestionsOut, 404, 422),
    summary="Activities for me",
    openapi_extra=PUBLIC_OPENAPI,
)
def suggest_activities(request: HttpRequest, municipality: MunicipalityCode, params: Query[ForMeParams]) -> Any:
    """The best activities for one person: fewest of their barriers, a perspective that fits their
    isolation type, a short walk; each with a one-line reason.

    Public, and nothing is stored: the barriers you send are used for this answer only. Takes
    the search filters of `GET …/activities` too (not `sort` or `without_barriers`). With
    `lat`/`lon`, only activities within 5 km walking (or `max_distance`) are suggested.
    """
    tenant = request_municipality(request)
    barrier_codes, lifted = _split(params.barriers), _split(params.lifted)
    filters = activity_filter(params)
    try:
        suggestions = activities_for_me(
            tenant,
            barriers=barrier_codes,
            near=filters.near,
            isolation_type=params.isolation_type,
            lifted=lifted,
            filters=filters,
            limit=params.limit,
        )
    except DjangoValidationError as error:
        _refused(error, filters, {"barriers": barrier_codes, "lifted": lifted})
        raise
    return {
        "results": [
            {
                "activity": _suggested(suggestion),
                "reason": suggestion.reason,
                "distance_m": None if suggestion.distance_m is None else round(suggestion.distance_m, 1),
                "barriers": suggestion.barriers,
                "lifted": suggestion.lifted,
                "score": round(suggestion.score, 4),
                "next_dates": suggestion.next_dates,
            }
            for suggestion in suggestions
        ]
    }


def _suggested(suggestion: Suggestion) -> dict[str, Any]:
    activity = suggestion.activity
    place = activity.place
    return {
        "uid": activity.uid,
        "title": activity.title,
        "organisation": activity.organisation,
        "place": place,
        "participation_type": activity.participation_type.code,
        "action_perspective": activity.action_perspective or None,
        "who_welcomes_you": activity.who_welcomes_you,
        "cost_cents": activity.cost_cents,
        "has_free_option": activity.has_free_option,
        "barriers": list(suggestion.activity_barriers),
    }


# --- the minimal listing -----------------------------------------------------------------------


class MinimalActivity(Schema):
    uid: UUID = Field(description="Public id of the activity.")
    title: str = Field(description="Title.")
    dtstart: dt.datetime = Field(description="The first time (UTC).")
    rrule: str = Field(description="RFC 5545 repeat rule; empty for once.")
    next_start: dt.datetime | None = Field(description="The next start time (UTC), as last summarised.")
    cost_cents: int = Field(description="Cost per time in euro cents.")


class MinimalList(Schema):
    results: list[MinimalActivity] = Field(description="Published activities, ordered by title.")


class MinimalParams(Schema):
    limit: int = Field(20, ge=1, le=MAX_SUGGESTIONS, description="How many activities, at most 100.")


@router.get(
    f"{BASE}/bare",
    response=responses(MinimalList, 404, 422),
    summary="Minimal activity listing",
    openapi_extra=PUBLIC_OPENAPI,
)
def list_activities_minimal(
    request: HttpRequest, municipality: MunicipalityCode, params: Query[MinimalParams]
) -> dict[str, Any]:
    """The first `limit` published activities (by primary key: the cheapest order), a few columns
    each, read with one `values()` query.

    No filters, no pagination, no computed fields: the yardstick the wayfinder benchmark measures
    "activities for me" against. For real use take `GET …/activities`.
    """
    request_municipality(request)
    rows = (
        Activity.objects.published()
        .order_by("pk")
        .values("uid", "title", "dtstart", "rrule", "next_start", "cost_cents")[: params.limit]
    )
    return {"results": list(rows)}
