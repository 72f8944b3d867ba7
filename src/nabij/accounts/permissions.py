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


# groups
# Small active groups. Coordinators and admins steer all of them (the signals page) and may manage
# any; otherwise a group is managed by who started it, its guide, and the organisers of the
# organisations that run its activities. Professionals and organisers may start a group
# (organisers only around their own organisation's activities, which the service checks).
GROUP_STEERING = (Role.COORDINATOR, Role.ADMIN)
GROUP_STARTERS = (Role.PROFESSIONAL, Role.ORGANISER, *GROUP_STEERING)
# A guide is a professional, or a supporter whose supporter role is peer expert.
PEER_EXPERT = "ervaringsdeskundige"


def can_read_group_signals(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *GROUP_STEERING)


def can_start_group(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *GROUP_STARTERS)


def can_guide_group(user: Any, municipality: Municipality) -> bool:
    if has_role(user, municipality, Role.PROFESSIONAL):
        return True
    if not has_role(user, municipality, Role.SUPPORTER):
        return False
    # The support app's Supporter, reached through the user so accounts need not import it.
    supporter = getattr(user, "supporter", None)
    return (
        supporter is not None
        and supporter.municipality_id == municipality.pk
        and supporter.role == PEER_EXPERT
        and bool(supporter.active)
    )


def leads_group(user: Any, group: Any) -> bool:
    """Started it or guides it, and still holds a role in the municipality."""
    if not getattr(user, "is_authenticated", False) or not is_member(user, group.municipality):
        return False
    return user.pk in (group.created_by_id, group.guide_id)


def organises_for_group(user: Any, group: Any) -> bool:
    """An organiser of an organisation that runs one of the group's activities."""
    editable = organisations_edited_by(user, group.municipality)
    if not editable or Role.ORGANISER not in roles_in(user, group.municipality):
        return False
    return bool(group.activities.filter(organisation_id__in=editable).exists())


def can_manage_group(user: Any, group: Any) -> bool:
    """May change the group and add, remove or appoint its members (and so see their names)."""
    return (
        has_role(user, group.municipality, *GROUP_STEERING)
        or leads_group(user, group)
        or organises_for_group(user, group)
    )


def is_group_member(user: Any, group: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(group.memberships.filter(profile__user=user, left_at__isnull=True).exists())


def is_group_trekker(user: Any, group: Any) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(group.memberships.filter(profile__user=user, left_at__isnull=True, role="trekker").exists())


# referrals
# A warm hand-over is made by a professional (after the second factor). Who receives it sees it
# only while the resident's referral consent is current and the referral is not paused:
# the organisers of the activity's organisation, the group's leaders and trekkers, the supporter.
REFERRERS = (Role.PROFESSIONAL,)
REFERRAL_RECEIVER_ROLES = (Role.ORGANISER, Role.SUPPORTER, Role.PROFESSIONAL, Role.RESIDENT)


def can_refer(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *REFERRERS)


def made_referral(user: Any, referral: Any) -> bool:
    return (
        getattr(user, "is_authenticated", False)
        and referral.referred_by_id == user.pk
        and can_refer(user, referral.municipality)
    )


def receives_referral(user: Any, referral: Any) -> bool:
    """Whether `user` is on the receiving side of the referral (consent is checked elsewhere)."""
    if not getattr(user, "is_authenticated", False) or not is_member(user, referral.municipality):
        return False
    if referral.activity_id is not None:
        return is_organiser_of(user, referral.activity.organisation)
    if referral.group_id is not None:
        group = referral.group
        return leads_group(user, group) or organises_for_group(user, group) or is_group_trekker(user, group)
    if referral.supporter_id is not None:
        return bool(referral.supporter.user_id == user.pk)
    return False


# people
# Resident profiles are special-category data (AVG art. 9). The resident sees their own profile;
# professionals and coordinators of the profile's municipality read it only after the second
# factor and only for a purpose the resident consented to (DESIGN.md §3). Other apps add their
# own readers to PROFILE_READ_HOOKS (e.g. support: a supporter and their active participants).
PROFILE_WORKERS = (Role.PROFESSIONAL, Role.COORDINATOR)
# The purposes a person reads a profile for; "monitoring" is for the anonymous monitor only.
PROFILE_READ_PURPOSES = ("support", "referral", "contact")
# Recording a measurement is case work: it needs consent for support or a referral.
MEASUREMENT_PURPOSES = ("support", "referral")
# Who may export or erase a profile besides the resident: for residents without an account.
PROFILE_ERASERS = (Role.COORDINATOR,)
# Each hook answers (user, profile, purpose) → True to allow; hooks run after the rules below.
PROFILE_READ_HOOKS: list[Any] = []


def is_profile_owner(user: Any, profile: Any) -> bool:
    """The resident themself: the account linked to the profile."""
    return bool(
        getattr(user, "is_authenticated", False)
        and profile is not None
        and profile.user_id is not None
        and profile.user_id == user.pk
    )


def can_work_with_profiles(user: Any, municipality: Municipality) -> bool:
    """May open the caseload and create profiles (with consent) in this municipality."""
    return has_role(user, municipality, *PROFILE_WORKERS)


def _works_on_profile(user: Any, profile: Any, purposes: tuple[str, ...]) -> bool:
    if profile.erased_at is not None or not has_role(user, profile.municipality, *PROFILE_WORKERS):
        return False
    return any(profile.has_consent(purpose) for purpose in purposes)


def can_read_profile(user: Any, profile: Any, purpose: str, request: HttpRequest | None = None) -> bool:
    """May `user` see this profile, reading it for `purpose` (support, referral or contact)?"""
    if not getattr(user, "is_authenticated", False) or profile is None:
        return False
    if is_profile_owner(user, profile):
        return True
    if profile.erased_at is not None:
        return False
    if (
        purpose in PROFILE_READ_PURPOSES
        and may_see_personal_data(user, request)
        and _works_on_profile(user, profile, (purpose,))
    ):
        return True
    return any(hook(user, profile, purpose) for hook in PROFILE_READ_HOOKS)


def can_change_profile(user: Any, profile: Any) -> bool:
    """May change the profile's facts: the resident, or a worker with a consent to work on it."""
    return is_profile_owner(user, profile) or _works_on_profile(user, profile, PROFILE_READ_PURPOSES)


def can_manage_consent(user: Any, profile: Any) -> bool:
    """May record or revoke a consent: the resident, or a worker of the municipality (on their
    behalf: a revocation by phone must take effect at once, even without a current consent)."""
    if profile.erased_at is not None:
        return False
    return is_profile_owner(user, profile) or has_role(user, profile.municipality, *PROFILE_WORKERS)


def can_record_measurement(user: Any, profile: Any) -> bool:
    return _works_on_profile(user, profile, MEASUREMENT_PURPOSES)


def can_export_profile(user: Any, profile: Any) -> bool:
    return is_profile_owner(user, profile) or has_role(user, profile.municipality, *PROFILE_ERASERS)


def can_erase_profile(user: Any, profile: Any) -> bool:
    if profile.erased_at is not None:
        return False
    return is_profile_owner(user, profile) or has_role(user, profile.municipality, *PROFILE_ERASERS)


# support
# Supporters, matching rounds, proposals and relation signals are the coordinators' (and admins')
# work, after the second factor (the pages show residents). A supporter sees only their own
# participants, for the purposes support and contact, while the relation is open.
SUPPORT_COORDINATORS = (Role.COORDINATOR, Role.ADMIN)
SUPPORT_OPEN_STATUSES = ("proposed", "introduced", "active")


def can_manage_support(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *SUPPORT_COORDINATORS)


def is_supporter_in(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, Role.SUPPORTER)


def is_supporter_of(user: Any, relation: Any) -> bool:
    """The relation's own supporter, who still holds the supporter role in its municipality."""
    if not getattr(user, "is_authenticated", False) or relation is None:
        return False
    return bool(relation.supporter.user_id == user.pk) and is_supporter_in(user, relation.municipality)


def can_view_support_relation(user: Any, relation: Any) -> bool:
    return can_manage_support(user, relation.municipality) or is_supporter_of(user, relation)


def can_change_support_relation(user: Any, relation: Any) -> bool:
    """Move it on (introduced, active) or end it: its supporter or a coordinator."""
    return can_view_support_relation(user, relation)


def can_log_contact(user: Any, relation: Any) -> bool:
    """Contact moments are the supporter's own record of being there."""
    return is_supporter_of(user, relation)


def supporter_reads_profile(user: Any, profile: Any, purpose: str) -> bool:
    """A PROFILE_READ_HOOKS rule: a supporter reads their own participant's profile (support, contact)."""
    if purpose not in ("support", "contact") or not is_supporter_in(user, profile.municipality):
        return False
    return bool(
        profile.has_consent(purpose)
        and profile.support_relations.filter(supporter__user=user, status__in=SUPPORT_OPEN_STATUSES).exists()
    )


PROFILE_READ_HOOKS.append(supporter_reads_profile)


# monitor
# The monitor shows aggregates behind small-cell protection, never people: the steering roles read it.
# Analysts need no second factor (they see no personal data); coordinators and admins pass it anyway.
MONITOR_READERS = (Role.COORDINATOR, Role.ANALYST, Role.ADMIN)
# Computing a snapshot or trying a what-if is steering work: coordinators and analysts.
MONITOR_OPERATORS = (Role.COORDINATOR, Role.ANALYST, Role.ADMIN)


def can_read_monitor(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *MONITOR_READERS)


def can_compute_snapshot(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *MONITOR_OPERATORS)


def can_record_attendance(user: Any, activity: Any) -> bool:
    """Attendance is recorded by whoever may edit the activity's offer: its organisers, coordinators and
    admins. Named rows refer to pseudonymous keys only."""
    return can_edit_organisation_offer(user, activity.organisation)


# The small-cell thresholds and walking distance are policy: the municipality's coordinators and admins.
MONITOR_SETTINGS_EDITORS = (Role.COORDINATOR, Role.ADMIN)


def can_change_monitor_settings(user: Any, municipality: Municipality) -> bool:
    return has_role(user, municipality, *MONITOR_SETTINGS_EDITORS)
