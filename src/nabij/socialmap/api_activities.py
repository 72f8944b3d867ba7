"""API of the social map: activities, their status, drempelscan and barrier history.

The public reads published activities; the organisers of an activity's organisation and the
municipality's coordinators and admins also see its drafts and archived versions, change it,
and run its drempelscan. Every change goes through `socialmap.services`.
"""

# No `from __future__ import annotations` here: @paginate wraps the views, and Ninja resolves
# string annotations in the wrapper's module, where these parameter types are unknown.

import datetime as dt
from dataclasses import asdict
from typing import Annotated, Any
from uuid import UUID

from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Path, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED, PUBLIC
from nabij.core.api import PUBLIC_OPENAPI
from nabij.core.api_types import MunicipalityCode
from nabij.core.pagination import PageNumberPagination
from nabij.core.problems import VALIDATION_ERROR, ProblemError, responses
from nabij.socialmap import services
from nabij.socialmap.api_access import (
    activities,
    activity_for,
    field_error,
    member,
    organisations,
    place_in_body,
    raise_if,
    reported_as_body_errors,
    require,
    unknown_codes,
)
from nabij.socialmap.api_schemas import (
    ActivityIn,
    ActivityListItem,
    ActivityOut,
    ActivityPatch,
    BarrierChangeOut,
    DrempelscanIn,
    DrempelscanOut,
    StatusIn,
    barrier_bits,
    codes_of,
)
from nabij.socialmap.api_search import ActivityListFilters, activity_list
from nabij.socialmap.models import Activity, BarrierProfileChange, Domain, ParticipationType, Theme

router = Router(tags=["social map"], auth=AUTHENTICATED)

ActivityUid = Annotated[UUID, Path(description="The `uid` of the activity.")]
BASE = "/municipalities/{municipality}/activities"

# Where each model field of a service's ValidationError sits in the JSON the client sent.
BODY_LOCATIONS: dict[str, tuple[str, ...]] = {
    "dtstart": ("schedule", "dtstart"),
    "duration": ("schedule", "duration_minutes"),
    "rrule": ("schedule", "rrule"),
    "exdates": ("schedule", "exdates"),
    "active_from": ("schedule", "active_from"),
    "active_until": ("schedule", "active_until"),
    "contact_email": ("contact", "email"),
    "contact_phone": ("contact", "phone"),
}


def _model_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The body's names (schedule, contact) as the model's fields."""
    fields: dict[str, Any] = {}
    for name, value in (data.pop("schedule", None) or {}).items():
        if name == "duration_minutes":
            fields["duration"] = None if value is None else dt.timedelta(minutes=value)
        elif name == "exdates":
            fields["exdates"] = None if value is None else [day.isoformat() for day in value]
        else:
            fields[name] = value
    for name, value in (data.pop("contact", None) or {}).items():
        fields[f"contact_{name}"] = value
    if "action_perspective" in data:
        fields["action_perspective"] = data.pop("action_perspective") or ""
    fields.update(data)
    return fields


def _catalogue_errors(data: dict[str, Any]) -> list[dict[str, Any]]:
    errors: list[dict[str, Any]] = []
    if "participation_type" in data and data["participation_type"] is None:
        errors.append(field_error(("body", "participation_type"), gettext("Dit veld is verplicht."), "missing"))
    for name in ("domains", "themes"):
        if name in data and data[name] is None:
            data[name] = []  # null clears them, like an empty list
    if data.get("participation_type") is not None:
        errors += unknown_codes(ParticipationType, [data["participation_type"]], ("body", "participation_type"))
    for name, model in (("domains", Domain), ("themes", Theme)):
        if data.get(name) is not None:
            errors += unknown_codes(model, data[name], ("body", name))
    return errors


# --- list and create ---------------------------------------------------------------------------


@router.get(
    BASE,
    auth=PUBLIC,
    response=responses(list[ActivityListItem], 401, 403, 404, 422),
    summary="Search activities",
    openapi_extra=PUBLIC_OPENAPI,
)
@paginate(PageNumberPagination)
def list_activities(
    request: HttpRequest, municipality: MunicipalityCode, filters: Query[ActivityListFilters]
) -> QuerySet[Activity]:
    """Published activities that are active on `date` (default today), with every search filter.

    Multi-valued filters take repeated parameters (`type=bewegen&type=creatief`), comma-separated
    values (`type=bewegen,creatief`), or both. `status=draft` or `status=archived` lists the
    drafts or archived activities of the organisations you may edit instead (then only
    `organisation` filters, ordered by title).
    """
    return activity_list(request, filters)


@router.post(
    BASE,
    response=responses(ActivityOut, 401, 403, 404, 422, status=201),
    summary="Create an activity",
)
def create_activity(request: HttpRequest, municipality: MunicipalityCode, payload: ActivityIn) -> Status[Activity]:
    """A new activity of an organisation you may edit; its barriers start as its facts show.

    It starts as a draft unless you send `"status": "published"`.
    """
    user, _tenant = member(request)
    data = payload.model_dump(exclude_none=True)
    organisation = organisations().filter(uid=data.pop("organisation"), archived_at__isnull=True).first()
    if organisation is None:
        message = gettext("Deze organisatie bestaat niet in deze gemeente.")
        raise ProblemError(VALIDATION_ERROR, errors=[field_error(("body", "organisation"), message, "unknown")])
    require(permissions.can_edit_organisation_offer(user, organisation))
    status = data.pop("status")
    data["place"], errors = place_in_body(data.get("place"))
    raise_if(errors + _catalogue_errors(data))
    fields = _model_fields(data)
    with transaction.atomic(), reported_as_body_errors(BODY_LOCATIONS):
        activity = services.activity_create(actor=user, organisation=organisation, **fields)
        if status != activity.status:
            services.activity_set_status(actor=user, activity=activity, status=status)
    return Status(201, activities().get(pk=activity.pk))


# --- one activity ------------------------------------------------------------------------------


@router.get(
    f"{BASE}/{{uid}}",
    auth=PUBLIC,
    response=responses(ActivityOut, 404, 422),
    summary="Get an activity",
    openapi_extra=PUBLIC_OPENAPI,
)
def get_activity(request: HttpRequest, municipality: MunicipalityCode, uid: ActivityUid) -> Activity:
    """One published activity, with its next dates and barriers.

    A draft or archived activity is found only by those who may edit its organisation.
    """
    return activity_for(request, uid)


@router.patch(
    f"{BASE}/{{uid}}",
    response=responses(ActivityOut, 401, 403, 404, 422),
    summary="Change an activity",
)
def update_activity(
    request: HttpRequest, municipality: MunicipalityCode, uid: ActivityUid, payload: ActivityPatch
) -> Activity:
    """Change an activity's facts. Only the fields you send change (also inside `schedule` and `contact`).

    Barriers whose facts changed follow them; the drempelscan's answers on other barriers stay.
    """
    user, _tenant = member(request)
    activity = activity_for(request, uid)
    require(permissions.can_edit_organisation_offer(user, activity.organisation))
    data = payload.model_dump(exclude_unset=True)
    if "place" in data:
        data["place"], errors = place_in_body(data["place"])
        raise_if(errors)
    raise_if(_catalogue_errors(data))
    with reported_as_body_errors(BODY_LOCATIONS):
        services.activity_update(actor=user, activity=activity, **_model_fields(data))
    return activities().get(pk=activity.pk)


@router.post(
    f"{BASE}/{{uid}}/status",
    response=responses(ActivityOut, 401, 403, 404, 422),
    summary="Publish, unpublish or archive an activity",
)
def set_activity_status(
    request: HttpRequest, municipality: MunicipalityCode, uid: ActivityUid, payload: StatusIn
) -> Activity:
    """Set the status: `published` shows it to everyone, `draft` hides it again, `archived` retires it.

    An activity of an archived organisation cannot be published.
    """
    user, _tenant = member(request)
    activity = activity_for(request, uid)
    require(permissions.can_edit_organisation_offer(user, activity.organisation))
    with reported_as_body_errors(field="status"):
        services.activity_set_status(actor=user, activity=activity, status=payload.status)
    return activities().get(pk=activity.pk)


@router.post(
    f"{BASE}/{{uid}}/drempelscan",
    response=responses(DrempelscanOut, 401, 403, 404, 422),
    summary="Run the drempelscan",
)
def run_drempelscan(
    request: HttpRequest, municipality: MunicipalityCode, uid: ActivityUid, payload: DrempelscanIn
) -> dict[str, Any]:
    """The organiser's self-assessment: per barrier, present or not. Sets the barrier profile.

    Answers a concrete suggestion (B1 Dutch) to lower each barrier that is present. Barriers left
    out of `answers` keep their state; the scan is kept in the barrier history, also when it
    changes nothing.
    """
    user, _tenant = member(request)
    activity = activity_for(request, uid)
    require(permissions.can_edit_organisation_offer(user, activity.organisation))
    with reported_as_body_errors(field="answers"):
        result = services.drempelscan(actor=user, activity=activity, answers=payload.answers)
    return {
        "activity": activity.uid,
        "barriers": codes_of(result.new_mask, barrier_bits(request, activity.municipality_id)),
        "items": [asdict(item) for item in result.items],
    }


@router.get(
    f"{BASE}/{{uid}}/barrier-history",
    response=responses(list[BarrierChangeOut], 401, 403, 404, 422),
    summary="Barrier history of an activity",
)
@paginate(PageNumberPagination)
def list_barrier_history(
    request: HttpRequest, municipality: MunicipalityCode, uid: ActivityUid
) -> QuerySet[BarrierProfileChange]:
    """Every change of the activity's barrier profile, newest first; who made it is not shown.

    For the organisers of its organisation and the municipality's coordinators and admins.
    """
    user, _tenant = member(request)
    activity = activity_for(request, uid)
    require(permissions.can_edit_organisation_offer(user, activity.organisation))
    return BarrierProfileChange.objects.filter(activity=activity).order_by("-at", "-pk")
