"""The one place that decides who may do what. Every view, API endpoint and service asks here.

Rules:
- a user acts in a municipality only through a RoleAssignment there (platform superusers excepted
  for the Django admin only, not for personal data);
- professionals, coordinators and admins must have passed a second factor (TOTP) in this
  session before anything shows personal data of others;
- what is not allowed looks like it does not exist (404), so other tenants are not revealed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django_scopes import scopes_disabled

from nabij.accounts.models import SECOND_FACTOR_ROLES, ApiToken, Role, RoleAssignment, User
from nabij.core.models import Municipality

_ROLE_CACHE = "_nabij_roles"


def authenticated_user(request: HttpRequest) -> User:
    """The request's user, for views already behind login_required (narrows the type)."""
    user = request.user
    if not isinstance(user, User):
        raise PermissionDenied
    return user


def roles_in(user: Any, municipality: Municipality | None) -> frozenset[str]:
    """The user's roles in one municipality, cached on the user object for the request."""
    if municipality is None or not getattr(user, "is_authenticated", False):
        return frozenset()
    cache: dict[int, frozenset[str]] = user.__dict__.setdefault(_ROLE_CACHE, {})
    if municipality.pk not in cache:
        with scopes_disabled():
            cache[municipality.pk] = frozenset(
                RoleAssignment.objects.filter(user=user, municipality=municipality).values_list("role", flat=True)
            )
    return cache[municipality.pk]


def forget_roles(user: Any) -> None:
    user.__dict__.pop(_ROLE_CACHE, None)


def has_role(user: Any, municipality: Municipality | None, *roles: str) -> bool:
    return bool(roles_in(user, municipality) & set(roles))


def is_member(user: Any, municipality: Municipality | None) -> bool:
    return bool(roles_in(user, municipality))


def requires_second_factor(user: Any) -> bool:
    """True if the user holds, anywhere, a role that reads other people's personal data."""
    if not getattr(user, "is_authenticated", False):
        return False
    with scopes_disabled():
        return RoleAssignment.objects.filter(user=user, role__in=SECOND_FACTOR_ROLES).exists()


def has_passed_second_factor(user: Any, request: HttpRequest | None = None) -> bool:
    """A TOTP-verified session, or a request authenticated with a personal API token.

    A token carries the verification of the session that created it, and nothing more:
    one created before its owner needed a second factor does not count.
    """
    token = getattr(request, "api_token", None) if request is not None else None
    if isinstance(token, ApiToken):
        return token.created_with_second_factor
    is_verified = getattr(user, "is_verified", None)
    return bool(is_verified and is_verified())


def may_see_personal_data(user: Any, request: HttpRequest | None = None) -> bool:
    return not requires_second_factor(user) or has_passed_second_factor(user, request)


# What each page or endpoint of the foundation needs. Later apps add their own here.
AUDIT_LOG_READERS = (Role.COORDINATOR, Role.ADMIN)
DIRECTORY_READERS = (Role.PROFESSIONAL, Role.COORDINATOR, Role.ADMIN)
# Besides the person who started it: analysts see only their own runs.
TASK_READERS = (Role.COORDINATOR, Role.ADMIN)


AREA_IMPORTERS = (Role.ADMIN,)


def can_import_areas(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *AREA_IMPORTERS)


def can_read_audit_log(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *AUDIT_LOG_READERS)


def can_read_directory(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *DIRECTORY_READERS)


def can_manage_roles(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.ADMIN)


def can_view_task(user: Any, run: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    if run.created_by_id == user.pk:
        return True
    return run.municipality is not None and has_role(user, run.municipality, *TASK_READERS)


# The social map: an organisation's places and activities (and their drempelscan) are changed by
# the organisation's own organisers and by the municipality's coordinators and admins.
SOCIAL_MAP_EDITORS = (Role.COORDINATOR, Role.ADMIN)
CATALOGUE_MANAGERS = (Role.COORDINATOR, Role.ADMIN)


def is_organiser_of(user: Any, organisation: Any) -> bool:
    if not getattr(user, "is_authenticated", False) or organisation is None:
        return False
    if Role.ORGANISER not in roles_in(user, organisation.municipality):
        return False
    with scopes_disabled():
        return RoleAssignment.objects.filter(
            user=user, municipality_id=organisation.municipality_id, role=Role.ORGANISER, organisation=organisation
        ).exists()


def can_edit_organisation_offer(user: Any, organisation: Any) -> bool:
    """May change the organisation's places and activities, including their barrier profile."""
    return has_role(user, organisation.municipality, *SOCIAL_MAP_EDITORS) or is_organiser_of(user, organisation)


def can_manage_social_map_catalogue(user: Any, municipality: Municipality) -> bool:
    """May add barriers, participation types, domains, themes and target groups."""
    return has_role(user, municipality, *CATALOGUE_MANAGERS)


def can_create_organisation(user: Any, municipality: Municipality) -> bool:
    """May put a new organisation on the social map (organisers get theirs through a coordinator)."""
    return has_role(user, municipality, *SOCIAL_MAP_EDITORS)


def can_edit_organisation(user: Any, organisation: Any) -> bool:
    """May change the organisation's own details; archiving it is for coordinators and admins."""
    return can_edit_organisation_offer(user, organisation)


def can_archive_organisation(user: Any, organisation: Any) -> bool:
    return has_role(user, organisation.municipality, *SOCIAL_MAP_EDITORS)


# The barrier table shows supply, never people: the municipality's steering roles read it.
BARRIER_TABLE_READERS = (Role.COORDINATOR, Role.ANALYST, Role.ADMIN)


def can_read_barrier_table(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *BARRIER_TABLE_READERS)


def organisations_edited_by(user: Any, municipality: Municipality) -> list[int] | None:
    """Primary keys of the organisations whose offer `user` may edit; None means all of them."""
    if has_role(user, municipality, *SOCIAL_MAP_EDITORS):
        return None
    if Role.ORGANISER not in roles_in(user, municipality):
        return []
    with scopes_disabled():
        return list(
            RoleAssignment.objects.filter(
                user=user, municipality=municipality, role=Role.ORGANISER, organisation__isnull=False
            ).values_list("organisation_id", flat=True)
        )


# The social map's CSV import of activities: a coordinator's or admin's job, after the second factor
# (the page shows a report that may name organisations' contact people).
ACTIVITY_IMPORTERS = (Role.COORDINATOR, Role.ADMIN)


def can_import_activities(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *ACTIVITY_IMPORTERS)
