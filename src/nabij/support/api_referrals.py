"""API of warm hand-overs: create one (professionals), list mine (made or received), move one on.

The same rules as the pages (selectors_referrals): a receiver sees a referral, with the resident's
name and the note, only while the resident's referral consent is current and the referral is not
paused; otherwise it does not exist for them (404). Without a current referral consent a new
referral is refused with 422 and code `consent_required` on `profile`. Names shown are audited.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema
from ninja.responses import Status

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED
from nabij.accounts.models import User
from nabij.core.api_types import MunicipalityCode, request_municipality
from nabij.core.models import Municipality
from nabij.core.pagination import PageNumberPagination, PageParams
from nabij.core.problems import (
    PERMISSION_DENIED,
    SECOND_FACTOR_REQUIRED,
    VALIDATION_ERROR,
    ProblemError,
    field_errors_from_django,
    responses,
)
from nabij.groups.models import Group
from nabij.people.models import ResidentProfile
from nabij.socialmap.models import Activity
from nabij.support import selectors_referrals as selectors
from nabij.support.models import Referral, Supporter
from nabij.support.services import referrals as services

router = Router(tags=["referrals"], auth=AUTHENTICATED)

BASE = "/municipalities/{municipality}/referrals"
ReferralId = Annotated[int, Path(description="The `id` of the referral.")]
StatusValue = Literal["proposed", "introduced", "participating", "stopped"]


# --- schemas -----------------------------------------------------------------------------------


class TargetOut(Schema):
    kind: Literal["activity", "group", "supporter"] = Field(description="What the resident is referred to.")
    uid: UUID | None = Field(description="The activity's or group's `uid`; null for a supporter.")
    id: int | None = Field(description="The supporter's id; null for an activity or group.")
    name: str = Field(description="Title of the activity, or name of the group or supporter.")


class ReferralOut(Schema):
    id: int = Field(description="Id of the referral.")
    status: StatusValue = Field(description="`proposed` → `introduced` → `participating` → `stopped`.")
    paused: bool = Field(
        description="True while the resident's referral consent is revoked: "
        "nothing is shared, only stopping is possible."
    )
    target: TargetOut = Field(description="Where the resident is referred to.")
    profile: UUID | None = Field(description="The resident's pseudonymous profile key; for the referrer only.")
    name: str | None = Field(description="The resident's name or roepnaam; null when the consent does not allow it.")
    note: str | None = Field(description="What the receiver should know; null when the consent does not allow it.")
    outcome: str | None = Field(description="How it went; null when the consent does not allow it.")
    referred_by: str | None = Field(description="Name of the referring professional.")
    next_statuses: list[StatusValue] = Field(description="The statuses the caller may move it to now.")
    created_at: dt.datetime = Field(description="When it was proposed.")
    updated_at: dt.datetime = Field(description="When it last changed.")


class ReferralPage(Schema):
    count: int = Field(description="Number of items on all pages together.")
    next: str | None = Field(description="Absolute URL of the next page; null on the last page.")
    previous: str | None = Field(description="Absolute URL of the previous page; null on the first page.")
    results: list[ReferralOut] = Field(description="The items on this page, newest change first.")


class ReferralIn(Schema):
    profile: UUID = Field(description="The resident's profile key; they need a current `referral` consent.")
    activity: UUID | None = Field(None, description="The `uid` of a published activity. Give exactly one target.")
    group: UUID | None = Field(None, description="The `uid` of a running group. Give exactly one target.")
    supporter: int | None = Field(None, description="The id of an active supporter. Give exactly one target.")
    note: str = Field("", max_length=services.NOTE_MAX, description="What the receiver should know, briefly.")


class StatusIn(Schema):
    status: StatusValue = Field(description="The new status (see `next_statuses`).")
    outcome: str = Field(
        "", max_length=services.NOTE_MAX, description="How it went; required when the status is `stopped`."
    )


class ReferralFilters(Schema):
    received: bool = Field(False, description="False: the referrals you made. True: the referrals made to you.")


# --- access and shaping --------------------------------------------------------------------------


def _member(request: HttpRequest) -> tuple[User, Municipality]:
    municipality = request_municipality(request)
    user = permissions.authenticated_user(request)
    if not permissions.is_member(user, municipality):
        raise Http404
    if not permissions.may_see_personal_data(user, request):
        raise ProblemError(
            SECOND_FACTOR_REQUIRED,
            gettext(
                "Log eerst in met je tweede stap (authenticator-app), "
                "of gebruik een API-sleutel die je daarna hebt aangemaakt."
            ),
        )
    return user, municipality


def _out(view: selectors.ReferralView) -> dict[str, Any]:
    referral = view.referral
    target = referral.target
    kind = view.kind
    return {
        "id": referral.pk,
        "status": referral.status,
        "paused": view.paused and referral.is_open,
        "target": {
            "kind": kind,
            "uid": getattr(target, "uid", None) if kind != "supporter" else None,
            "id": referral.supporter_id if kind == "supporter" else None,
            "name": view.target_name,
        },
        "profile": referral.profile.key if view.is_referrer else None,
        "name": view.name,
        "note": view.note,
        "outcome": (referral.outcome or None) if view.shareable else None,
        "referred_by": referral.referred_by.display_name if referral.referred_by else None,
        "next_statuses": [status for status, _label in view.next_statuses],
        "created_at": referral.created_at,
        "updated_at": referral.updated_at,
    }


def _one(request: HttpRequest, referral: Referral) -> dict[str, Any]:
    fresh = selectors.referrals().get(pk=referral.pk)
    return _out(selectors.view_of(request.user, fresh, purpose_detail="api"))


def _body_error(field: str, message: str, code: str) -> ProblemError:
    return ProblemError(VALIDATION_ERROR, errors=[{"location": ["body", field], "message": message, "code": code}])


def _reported(error: ValidationError) -> ProblemError:
    return ProblemError(VALIDATION_ERROR, errors=field_errors_from_django(error))


# --- endpoints ---------------------------------------------------------------------------------


@router.get(BASE, response=responses(ReferralPage, 401, 403, 404, 422), summary="List my referrals")
def list_referrals(
    request: HttpRequest,
    municipality: MunicipalityCode,
    filters: Query[ReferralFilters],
    pagination: Query[PageParams],
) -> dict[str, Any]:
    """The referrals you made (professionals), or with `received=true` the ones made to you
    while the residents' consent allows it. Newest change first."""
    user, tenant = _member(request)
    if filters.received:
        items = selectors.received_by(user, tenant)
    else:
        if not permissions.can_refer(user, tenant):
            raise ProblemError(PERMISSION_DENIED, gettext("Alleen professionals maken warme overdrachten."))
        items = selectors.made_by(user, tenant)
    page = PageNumberPagination().paginate_queryset(items.order_by("-updated_at", "-pk"), pagination, request)
    page["results"] = [_out(v) for v in selectors.views_of(user, page["results"], purpose_detail="api_list")]
    return page


@router.post(BASE, response=responses(ReferralOut, 401, 403, 404, 422, status=201), summary="Create a referral")
def create_referral(
    request: HttpRequest, municipality: MunicipalityCode, payload: ReferralIn
) -> Status[dict[str, Any]]:
    """A professional refers a resident to exactly one activity, group or supporter (warm hand-over).

    Refused with 422 (`consent_required` on `profile`) without a current referral consent.
    """
    user, tenant = _member(request)
    if not permissions.can_refer(user, tenant):
        raise ProblemError(PERMISSION_DENIED, gettext("Alleen professionals maken warme overdrachten."))
    profile = ResidentProfile.objects.filter(key=payload.profile, erased_at__isnull=True).first()
    if profile is None:
        raise _body_error("profile", gettext("Er is geen bewoner met deze sleutel in deze gemeente."), "unknown")
    targets: dict[str, Any] = {}
    if payload.activity is not None:
        targets["activity"] = Activity.objects.filter(uid=payload.activity).first()
    if payload.group is not None:
        targets["group"] = Group.objects.filter(uid=payload.group).first()
    if payload.supporter is not None:
        targets["supporter"] = Supporter.objects.filter(pk=payload.supporter).first()
    for field, found in targets.items():
        if found is None:
            raise _body_error(field, gettext("Dit bestaat niet in deze gemeente."), "unknown")
    try:
        referral = services.referral_create(actor=user, profile=profile, note=payload.note, **targets)
    except ValidationError as error:
        raise _reported(error) from None
    return Status(201, _one(request, referral))


@router.get(f"{BASE}/{{referral_id}}", response=responses(ReferralOut, 401, 403, 404, 422), summary="Get a referral")
def get_referral(request: HttpRequest, municipality: MunicipalityCode, referral_id: ReferralId) -> dict[str, Any]:
    """One referral: for its referrer, and for its receiver while the consent allows it."""
    user, tenant = _member(request)
    return _one(request, selectors.referral_for(user, tenant, referral_id))


@router.post(
    f"{BASE}/{{referral_id}}/status",
    response=responses(ReferralOut, 401, 403, 404, 422),
    summary="Change a referral's status",
)
def set_referral_status(
    request: HttpRequest, municipality: MunicipalityCode, referral_id: ReferralId, payload: StatusIn
) -> dict[str, Any]:
    """Move a referral on: proposed → introduced → participating, or stop it with an `outcome`.

    A paused referral can only be stopped.
    """
    user, tenant = _member(request)
    referral = selectors.referral_for(user, tenant, referral_id)
    try:
        services.referral_set_status(actor=user, referral=referral, status=payload.status, outcome=payload.outcome)
    except ValidationError as error:
        raise _reported(error) from None
    return _one(request, referral)
