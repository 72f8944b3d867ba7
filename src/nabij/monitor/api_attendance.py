"""Monitor API: attendance per activity session (docs/attendance.md).

Who may: recording and deleting is for whoever may edit the activity's offer (its organisers, the
municipality's coordinators and admins); reading the sessions also for the municipality's analysts.
As in the social map API: no credentials 401; no role in this municipality 404; an activity you may
not see (another organisation's draft) 404; one you may see but not record for 403; a coordinator
or admin without the second factor 403 `second-factor-required`.

Only counts go out, and of a session only its total: the keys sent in are never listed back, and
neither is how many of them were counted by key. With one key that would tell the caller whether
that person consented to monitoring (docs/attendance.md, "Privacy rules").
"""

# No `from __future__ import annotations` here: @paginate wraps the views, and Ninja resolves
# string annotations in the wrapper's module.

import datetime as dt
from typing import Annotated
from uuid import UUID

from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED
from nabij.core.api_types import MunicipalityCode, request_municipality
from nabij.core.pagination import PageNumberPagination
from nabij.core.problems import SECOND_FACTOR_REQUIRED, ProblemError, responses
from nabij.monitor.models import AttendanceSession
from nabij.monitor.services import attendance as services
from nabij.socialmap.api_access import activity_for, reported_as_body_errors, require
from nabij.socialmap.models import Activity

router = Router(tags=["monitor"], auth=AUTHENTICATED)

BASE = "/municipalities/{municipality}/monitor/activities/{uid}/sessions"
ActivityUid = Annotated[UUID, Path(description="The `uid` of the activity (see the social map API).")]
SessionDate = Annotated[dt.date, Path(description="The date of the session, YYYY-MM-DD.")]


class SessionIn(Schema):
    date: dt.date = Field(
        description="The day of the session (YYYY-MM-DD); not in the future, not before the activity began."
    )
    anonymous_count: int = Field(
        ge=0,
        le=services.MAX_COUNT,
        description="People counted without a key: no consent for monitoring, or simply not asked.",
    )
    participant_keys: list[UUID] = Field(
        default_factory=list,
        max_length=services.MAX_COUNT,
        description="Pseudonymous profile keys of participants who consented to monitoring. A key that is "
        "unknown or has no current monitoring consent is counted without a name instead (not an error). "
        "Every distinct key adds one to the total either way, and the answer does not say which way it "
        "was counted.",
    )


class SessionOut(Schema):
    date: dt.date = Field(description="The day of the session.")
    total: int = Field(
        description="Everyone at the session: the anonymous count plus every distinct key received. "
        "Not split into named and anonymous, so it does not tell who consented to monitoring."
    )
    recorded_at: dt.datetime = Field(description="When the session was last recorded.")

    @staticmethod
    def resolve_date(obj: AttendanceSession) -> dt.date:
        return obj.on


class RecordedOut(SessionOut):
    created: bool = Field(description="False when an earlier record of this date was replaced.")
    keys_received: int = Field(
        description="How many distinct participant keys this recording received (counted in `total`)."
    )

    @staticmethod
    def resolve_created(obj: AttendanceSession) -> bool:
        return bool(getattr(obj, "api_created", False))

    @staticmethod
    def resolve_keys_received(obj: AttendanceSession) -> int:
        return int(getattr(obj, "api_keys_received", 0))


class SessionFilters(Schema):
    since: dt.date | None = Field(None, description="Only sessions on or after this date.")
    until: dt.date | None = Field(None, description="Only sessions on or before this date.")


def _activity(request: HttpRequest, uid: UUID) -> Activity:
    """The activity, for a member of this municipality who passed the second factor where needed."""
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
    return activity_for(request, uid)


def _session(activity: Activity, on: dt.date) -> AttendanceSession:
    session = AttendanceSession.objects.filter(activity=activity, on=on).first()
    if session is None:
        raise Http404
    return session


@router.post(
    BASE,
    response=responses(RecordedOut, 401, 403, 404, 422, status=201) | {200: RecordedOut},
    summary="Record a session",
)
def record_session(
    request: HttpRequest, municipality: MunicipalityCode, uid: ActivityUid, payload: SessionIn
) -> Status[AttendanceSession]:
    """Record who came to one session: an anonymous head count and, optionally, participants' keys.

    Creates the session (201) or replaces the one already recorded for that date (200). The answer
    gives the session's total and how many keys were received; it is the same whether or not a key's
    person consented to monitoring.
    """
    activity = _activity(request, uid)
    require(permissions.can_record_attendance(request.user, activity))
    with reported_as_body_errors({"on": ["date"]}):
        result = services.attendance_record(
            actor=request.user,
            activity=activity,
            on=payload.date,
            anonymous_count=payload.anonymous_count,
            participant_keys=payload.participant_keys,
        )
    session = result.session
    # Read by RecordedOut's resolvers: what this recording did, besides the session itself.
    session.api_created = result.created  # type: ignore[attr-defined]
    session.api_keys_received = result.keys_received  # type: ignore[attr-defined]
    return Status(201 if result.created else 200, session)


@router.get(BASE, response=responses(list[SessionOut], 401, 403, 404, 422), summary="List the sessions of an activity")
@paginate(PageNumberPagination)
def list_sessions(
    request: HttpRequest, municipality: MunicipalityCode, uid: ActivityUid, filters: Query[SessionFilters]
) -> QuerySet[AttendanceSession]:
    """The recorded sessions of one activity, newest first: each session's total, never keys."""
    activity = _activity(request, uid)
    user = request.user
    require(
        permissions.can_record_attendance(user, activity) or permissions.can_read_monitor(user, activity.municipality)
    )
    sessions = AttendanceSession.objects.filter(activity=activity)
    if filters.since:
        sessions = sessions.filter(on__gte=filters.since)
    if filters.until:
        sessions = sessions.filter(on__lte=filters.until)
    return sessions.order_by("-on", "-pk")


@router.delete(f"{BASE}/{{date}}", response=responses(None, 401, 403, 404, 422, status=204), summary="Delete a session")
def delete_session(
    request: HttpRequest, municipality: MunicipalityCode, uid: ActivityUid, date: SessionDate
) -> HttpResponse:
    """Remove a session recorded by mistake, with its named rows."""
    activity = _activity(request, uid)
    require(permissions.can_record_attendance(request.user, activity))
    services.attendance_delete(actor=request.user, session=_session(activity, date))
    response = HttpResponse(status=204)
    del response["Content-Type"]  # no body, so no media type
    return response
