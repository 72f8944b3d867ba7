"""API of small groups: list and read groups, join and leave.

Who may: anyone with a role in the municipality reads the running groups (no names); the member
list is for the group's members (first names) and managers (names and keys), audited. A resident
joins and leaves with their own profile; a group manager may add or remove someone by profile key.
A full group answers 409 `group-full`; a missing contact consent 422 with code `consent_required`.
"""

# No `from __future__ import annotations` here: @paginate wraps the views, and Ninja resolves
# string annotations in the wrapper's module.

from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED
from nabij.accounts.models import User
from nabij.core.api_types import MunicipalityCode, request_municipality
from nabij.core.models import Municipality
from nabij.core.pagination import PageNumberPagination
from nabij.core.problems import (
    PERMISSION_DENIED,
    SECOND_FACTOR_REQUIRED,
    VALIDATION_ERROR,
    ProblemError,
    ProblemType,
    field_errors_from_django,
    responses,
)
from nabij.groups import selectors, services
from nabij.groups.models import Group, GroupStatus, Membership
from nabij.people.models import ResidentProfile

router = Router(tags=["groups"], auth=AUTHENTICATED)

BASE = "/municipalities/{municipality}/groups"
GroupUid = Annotated[UUID, Path(description="The `uid` of the group.")]

GROUP_FULL = ProblemType(
    "group-full", 409, _("De groep is vol"), _("Er is geen plek meer in deze groep. Kies een andere groep.")
)
GROUP_ENDED = ProblemType("group-ended", 409, _("De groep is gestopt"), _("Deze groep is gestopt."))


# --- schemas -----------------------------------------------------------------------------------


class ActivityRef(Schema):
    uid: UUID = Field(description="The activity's `uid` (see the social map API).")
    title: str = Field(description="The activity's title.")


class GroupOut(Schema):
    uid: UUID = Field(description="Public id of the group.")
    name: str = Field(description="Name of the group.")
    description: str = Field(description="What the group does, in plain language.")
    status: Literal["forming", "active", "ended"] = Field(description="`forming`, `active` or `ended`.")
    neighbourhood: str | None = Field(description="CBS code of the group's neighbourhood, if any.")
    capacity: int = Field(description="At most this many members.")
    member_count: int = Field(description="Current members.")
    spots_left: int = Field(description="Free places: capacity minus current members, at least 0.")
    has_guide: bool = Field(description="Whether a professional or peer expert guides the group.")
    activities: list[ActivityRef] = Field(description="The activities the group is formed around.")
    signals: list[Literal["too_small", "too_large", "no_trekker"]] | None = Field(
        description="Why the group needs attention (fewer than 5 or more than 10 members, no trekker); "
        "only for its managers and the municipality's coordinators and admins, else null."
    )

    @staticmethod
    def resolve_neighbourhood(obj: Group) -> str | None:
        return obj.neighbourhood.code if obj.neighbourhood_id and obj.neighbourhood else None

    @staticmethod
    def resolve_member_count(obj: Group) -> int:
        return int(getattr(obj, "member_count", 0))

    @staticmethod
    def resolve_spots_left(obj: Group) -> int:
        return max(obj.capacity - int(getattr(obj, "member_count", 0)), 0)

    @staticmethod
    def resolve_has_guide(obj: Group) -> bool:
        return obj.guide_id is not None

    @staticmethod
    def resolve_activities(obj: Group) -> list[dict[str, Any]]:
        return [{"uid": a.uid, "title": a.title} for a in obj.activities.all()]

    @staticmethod
    def resolve_signals(obj: Group, context: dict[str, Any]) -> list[str] | None:
        user = context["request"].user
        if obj.status == GroupStatus.ENDED or not (
            permissions.can_read_group_signals(user, obj.municipality) or permissions.can_manage_group(user, obj)
        ):
            return None
        return selectors.signals_for(int(getattr(obj, "member_count", 0)), int(getattr(obj, "trekker_count", 0)))


class MemberOut(Schema):
    name: str | None = Field(
        description="First name for fellow members, the recorded name for managers; "
        "null when the member has no current contact consent."
    )
    role: Literal["member", "trekker"] = Field(description="`member` or `trekker` (a leader of the group).")
    me: bool = Field(description="Whether this is the caller.")
    profile: UUID | None = Field(description="The member's pseudonymous profile key; for group managers only.")


class GroupDetail(GroupOut):
    members: list[MemberOut] | None = Field(
        description="The current members; only for the group's members and managers, else null."
    )

    @staticmethod
    def resolve_members(obj: Group) -> list[dict[str, Any]] | None:
        # Set by `_detail`, which also writes the audit entries for the names it shows.
        members: list[dict[str, Any]] | None = getattr(obj, "api_members", None)
        return members


class MembershipIn(Schema):
    profile: UUID | None = Field(
        None,
        description="The profile key of the resident to add or remove; group managers only. "
        "Leave it out to join or leave with your own profile.",
    )


class GroupFilters(Schema):
    mine: bool = Field(False, description="Only groups you are a member of or manage (ended ones included).")
    signal: Literal["too_small", "too_large", "no_trekker"] | None = Field(
        None, description="Only running groups with this signal; for coordinators and admins."
    )


# --- access ------------------------------------------------------------------------------------


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


def _groups() -> QuerySet[Group]:
    return selectors.with_counts(
        Group.objects.select_related("neighbourhood", "municipality").prefetch_related("activities")
    )


def _group_for(request: HttpRequest, uid: UUID) -> Group:
    """A running group; an ended one only for its members and managers."""
    user, _municipality = _member(request)
    group = _groups().filter(uid=uid).first()
    if group is None:
        raise Http404
    if group.status == GroupStatus.ENDED and not (
        permissions.can_manage_group(user, group) or Membership.objects.filter(group=group, profile__user=user).exists()
    ):
        raise Http404
    return group


def _detail(request: HttpRequest, group: Group) -> Group:
    fresh = _groups().get(pk=group.pk)
    members = selectors.members_for(viewer=request.user, group=fresh)
    fresh.api_members = (  # type: ignore[attr-defined]
        None
        if members is None
        else [
            {"name": m.name, "role": m.membership.role, "me": m.is_me, "profile": UUID(m.key) if m.key else None}
            for m in members
        ]
    )
    return fresh


def _profile_for(request: HttpRequest, group: Group, key: UUID | None) -> ResidentProfile:
    user = permissions.authenticated_user(request)
    if key is None:
        profile = selectors.profile_of(user, group.municipality)
        if profile is None:
            raise ProblemError(
                VALIDATION_ERROR,
                errors=[
                    {
                        "location": ["body", "profile"],
                        "message": gettext("Je hebt geen bewonersprofiel in deze gemeente."),
                        "code": "no_profile",
                    }
                ],
            )
        return profile
    if not permissions.can_manage_group(user, group):
        raise ProblemError(
            PERMISSION_DENIED, gettext("Alleen wie de groep beheert, kan iemand anders toevoegen of weghalen.")
        )
    profile = ResidentProfile.objects.filter(key=key, erased_at__isnull=True).first()
    if profile is None:
        raise ProblemError(
            VALIDATION_ERROR,
            errors=[
                {
                    "location": ["body", "profile"],
                    "message": gettext("Er is geen bewoner met deze sleutel in deze gemeente."),
                    "code": "unknown",
                }
            ],
        )
    return profile


def _raise_service_error(error: ValidationError) -> None:
    code = getattr(error, "code", None)
    if isinstance(error, services.GroupFullError):
        raise ProblemError(GROUP_FULL, " ".join(error.messages)) from None
    if code == "ended":
        raise ProblemError(GROUP_ENDED, " ".join(error.messages)) from None
    raise ProblemError(VALIDATION_ERROR, errors=field_errors_from_django(error, field="profile")) from None


# --- endpoints ---------------------------------------------------------------------------------


@router.get(BASE, response=responses(list[GroupOut], 401, 403, 404, 422), summary="List groups")
@paginate(PageNumberPagination)
def list_groups(request: HttpRequest, municipality: MunicipalityCode, filters: Query[GroupFilters]) -> QuerySet[Group]:
    """The running small groups of the municipality, by name. No member names here."""
    user, tenant = _member(request)
    groups = _groups()
    if filters.mine:
        managed = selectors.groups_managed_by(user, tenant).values("pk")
        groups = groups.filter(
            Q(pk__in=managed)
            | Q(pk__in=Membership.objects.filter(profile__user=user, left_at__isnull=True).values("group_id"))
        )
    else:
        groups = groups.exclude(status=GroupStatus.ENDED)
    if filters.signal:
        if not permissions.can_read_group_signals(user, tenant):
            raise ProblemError(PERMISSION_DENIED, gettext("Alleen coördinatoren en beheerders filteren op signalen."))
        wanted = {
            selectors.GroupSignal.TOO_SMALL: Q(member_count__lt=selectors.SMALLEST),
            selectors.GroupSignal.TOO_LARGE: Q(member_count__gt=selectors.LARGEST),
            selectors.GroupSignal.NO_TREKKER: Q(trekker_count=0),
        }[filters.signal]
        groups = groups.exclude(status=GroupStatus.ENDED).filter(wanted)
    return groups.order_by("name", "pk")


@router.get(f"{BASE}/{{uid}}", response=responses(GroupDetail, 401, 403, 404, 422), summary="Get a group")
def get_group(request: HttpRequest, municipality: MunicipalityCode, uid: GroupUid) -> Group:
    """One group. Its members are listed for its members (first names) and managers (names, keys)."""
    return _detail(request, _group_for(request, uid))


@router.post(
    f"{BASE}/{{uid}}/join",
    response=responses(GroupDetail, 401, 403, 404, 409, 422),
    summary="Join a group",
)
def join_group(
    request: HttpRequest, municipality: MunicipalityCode, uid: GroupUid, payload: MembershipIn | None = None
) -> Group:
    """Join with your own resident profile, or (group managers) add a resident by `profile` key.

    Needs a current contact consent; a full group answers 409 `group-full`, safely under concurrent requests.
    """
    group = _group_for(request, uid)
    profile = _profile_for(request, group, payload.profile if payload else None)
    try:
        services.group_join(actor=request.user, group=group, profile=profile)
    except ValidationError as error:
        _raise_service_error(error)
    return _detail(request, group)


@router.post(
    f"{BASE}/{{uid}}/leave",
    response=responses(GroupDetail, 401, 403, 404, 409, 422),
    summary="Leave a group",
)
def leave_group(
    request: HttpRequest, municipality: MunicipalityCode, uid: GroupUid, payload: MembershipIn | None = None
) -> Group:
    """Leave with your own profile, or (group managers) remove a resident by `profile` key."""
    group = _group_for(request, uid)
    profile = _profile_for(request, group, payload.profile if payload else None)
    try:
        services.group_leave(actor=request.user, group=group, profile=profile)
    except ValidationError as error:
        _raise_service_error(error)
    return _detail(request, group)
