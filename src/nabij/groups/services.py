"""Every write on small active groups: start, change and end a group; join, leave, appoint trekkers.

Keyword-only, one transaction each, audited. `actor` None is the system (the demo); a person must
pass `accounts.permissions`. Joining needs a current `contact` consent: being in a group means
its leaders, guide and fellow members may see your first name and get in touch with you.

Capacity under concurrent requests: `group_join` locks the group's row (SELECT ... FOR UPDATE)
before it counts the members, so two people taking the last place one after the other see each
other's membership; without the lock both would count 9 of 10 and both get in.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.accounts.models import Role
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.groups.models import Group, GroupStatus, MemberRole, Membership
from nabij.people.models import ConsentPurpose, ResidentProfile
from nabij.socialmap.models import Activity, ActivityStatus

# The consent a resident needs to be in a group (see the module docstring and docs/groups_referrals.md).
JOIN_CONSENT = ConsentPurpose.CONTACT
# A group of more than this is no longer small; the form and the API stop here.
MAX_CAPACITY = 30
GROUP_EDITABLE = frozenset({"name", "description", "neighbourhood", "guide", "capacity", "status", "activities"})


class GroupFullError(ValidationError):
    """The group has no free place (the API answers 409, pages say so plainly)."""


def _field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    """A ValidationError on one field that keeps its code (the API reports it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _is_person(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _profile_ref(profile: ResidentProfile) -> str:
    return str(profile.key)


def _check_activities(actor: Any, municipality: Municipality, activities: list[Activity]) -> None:
    if not activities:
        raise ValidationError({"activities": _("Kies minstens één activiteit waar de groep omheen draait.")})
    for activity in activities:
        if activity.municipality_id != municipality.pk:
            raise ValidationError({"activities": _("Deze activiteit hoort niet bij deze gemeente.")})
        if activity.status == ActivityStatus.ARCHIVED:
            raise ValidationError(
                {"activities": _("%(title)s is gearchiveerd; kies een andere activiteit.") % {"title": activity.title}}
            )
    if _is_person(actor) and not permissions.has_role(
        actor, municipality, Role.PROFESSIONAL, *permissions.GROUP_STEERING
    ):
        # Organisers start groups only around their own organisation's activities.
        editable = set(permissions.organisations_edited_by(actor, municipality) or [])
        if any(activity.organisation_id not in editable for activity in activities):
            raise ValidationError(
                {"activities": _("Je kunt alleen een groep maken rond activiteiten van je eigen organisatie.")}
            )


def _check_guide(guide: Any, municipality: Municipality) -> None:
    if guide is not None and not permissions.can_guide_group(guide, municipality):
        raise ValidationError(
            {"guide": _("Een begeleider is een professional of een ervaringsdeskundige van deze gemeente.")}
        )


def _check_capacity(capacity: int, members: int = 0) -> None:
    if not 1 <= capacity <= MAX_CAPACITY:
        raise _field_error("capacity", _("Kies een aantal van 1 tot en met %(max)d.") % {"max": MAX_CAPACITY})
    if capacity < members:
        raise _field_error(
            "capacity", _("De groep heeft al %(count)d leden. Kies minstens %(count)d.") % {"count": members}
        )


def _current_members(group: Group) -> int:
    return Membership.objects.filter(group=group, left_at__isnull=True).count()


def _locked(group: Group) -> Group:
    """Lock the group's row until the transaction ends, then read it afresh (capacity, status).

    A no-op lock on SQLite, which lets one writer in at a time anyway.
    """
    if not Group.objects.select_for_update().filter(pk=group.pk).values_list("pk", flat=True).exists():
        raise Group.DoesNotExist
    group.refresh_from_db()
    return group


@transaction.atomic
def group_create(
    *,
    actor: Any,
    municipality: Municipality,
    name: str,
    activities: Iterable[Activity],
    description: str = "",
    neighbourhood: Any = None,
    guide: Any = None,
    capacity: int = 10,
    status: str = GroupStatus.FORMING,
) -> Group:
    if _is_person(actor):
        _require(permissions.can_start_group(actor, municipality))
    chosen = list(activities)
    _check_activities(actor, municipality, chosen)
    _check_guide(guide, municipality)
    _check_capacity(capacity)
    if status == GroupStatus.ENDED:
        raise ValidationError({"status": _("Een nieuwe groep kan niet meteen gestopt zijn.")})
    if neighbourhood is not None and neighbourhood.municipality_id != municipality.pk:
        raise ValidationError({"neighbourhood": _("Deze buurt hoort niet bij deze gemeente.")})
    group = Group(
        municipality=municipality,
        name=name.strip(),
        description=description.strip(),
        neighbourhood=neighbourhood,
        guide=guide,
        capacity=capacity,
        status=status,
        created_by=actor if _is_person(actor) else None,
    )
    group.full_clean()
    group.save()
    group.activities.set(chosen)
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=group,
        record_ref=str(group.uid),
        detail={"activities": [a.pk for a in chosen], "capacity": capacity, "guide": bool(guide)},
    )
    return group


@transaction.atomic
def group_update(*, actor: Any, group: Group, **changes: Any) -> Group:
    """Change a group. `activities` replaces the set; `status` is forming or active (end: group_end)."""
    if _is_person(actor):
        _require(permissions.can_manage_group(actor, group))
    unknown = sorted(set(changes) - GROUP_EDITABLE)
    if unknown:
        raise ValidationError(_("Deze velden kun je niet wijzigen: %(fields)s.") % {"fields": ", ".join(unknown)})
    group = _locked(group)
    if group.status == GroupStatus.ENDED:
        raise ValidationError(_("Deze groep is gestopt; je kunt hem niet meer wijzigen."), code="ended")
    municipality = group.municipality
    if "activities" in changes:
        changes["activities"] = list(changes["activities"])
        _check_activities(actor, municipality, changes["activities"])
    if "guide" in changes:
        _check_guide(changes["guide"], municipality)
    if "capacity" in changes:
        _check_capacity(changes["capacity"], _current_members(group))
    if changes.get("status") == GroupStatus.ENDED:
        raise ValidationError(
            {"status": _("Stop een groep met de link 'Deze groep stoppen' op de pagina van de groep.")}
        )
    neighbourhood = changes.get("neighbourhood")
    if neighbourhood is not None and neighbourhood.municipality_id != municipality.pk:
        raise ValidationError({"neighbourhood": _("Deze buurt hoort niet bij deze gemeente.")})
    activities = changes.pop("activities", None)
    for field, value in changes.items():
        setattr(group, field, value.strip() if isinstance(value, str) and field != "status" else value)
    group.full_clean()
    group.save()
    if activities is not None:
        group.activities.set(activities)
        changes["activities"] = activities
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=group,
        record_ref=str(group.uid),
        detail={"fields": sorted(changes)},
    )
    return group


@transaction.atomic
def group_end(*, actor: Any, group: Group) -> Group:
    """Stop a group: its current members leave today; the history stays."""
    if _is_person(actor):
        _require(permissions.can_manage_group(actor, group))
    group = _locked(group)
    if group.status == GroupStatus.ENDED:
        return group
    now = timezone.now()
    left = Membership.objects.filter(group=group, left_at__isnull=True).update(left_at=now)
    group.status = GroupStatus.ENDED
    group.ended_at = now
    group.save(update_fields=["status", "ended_at"])
    audit(
        actor=actor,
        municipality=group.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=group,
        record_ref=str(group.uid),
        detail={"status": GroupStatus.ENDED, "members_left": left},
    )
    return group


def _may_act_for(actor: Any, group: Group, profile: ResidentProfile) -> bool:
    """The resident themself, or someone who manages the group."""
    if not _is_person(actor):
        return actor is None
    own = profile.user_id == actor.pk and permissions.is_member(actor, group.municipality)
    return own or permissions.can_manage_group(actor, group)


@transaction.atomic
def group_join(*, actor: Any, group: Group, profile: ResidentProfile, role: str = MemberRole.MEMBER) -> Membership:
    """Put a resident in a group, if it has room. Safe under concurrent requests (row lock)."""
    _require(_may_act_for(actor, group, profile))
    if role != MemberRole.MEMBER:
        _require(actor is None or permissions.can_manage_group(actor, group))
    if profile.municipality_id != group.municipality_id or profile.erased_at is not None:
        raise _field_error("profile", _("Deze bewoner is niet gevonden in deze gemeente."), "unknown")
    if not profile.has_consent(JOIN_CONSENT):
        raise _field_error(
            "profile",
            _(
                "Meedoen in een groep kan alleen met toestemming voor contact: de andere leden en de "
                "begeleider zien dan je voornaam. Die toestemming is er nu niet."
            ),
            "consent_required",
        )
    locked = _locked(group)
    if locked.status == GroupStatus.ENDED:
        raise ValidationError(_("Deze groep is gestopt. Je kunt er niet meer bij."), code="ended")
    if Membership.objects.filter(group=locked, profile=profile, left_at__isnull=True).exists():
        raise ValidationError(_("Deze bewoner is al lid van de groep."), code="already_member")
    if _current_members(locked) >= locked.capacity:
        raise GroupFullError(
            _("De groep is vol: er kunnen hoogstens %(capacity)d mensen in.") % {"capacity": locked.capacity},
            code="full",
        )
    try:
        with transaction.atomic():
            membership = Membership.objects.create(
                municipality_id=locked.municipality_id, group=locked, profile=profile, role=role
            )
    except IntegrityError:
        # The same person twice at the same moment: the unique constraint keeps one.
        raise ValidationError(_("Deze bewoner is al lid van de groep."), code="already_member") from None
    audit(
        actor=actor,
        municipality=locked.municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.CONTACT,
        record=membership,
        detail={"group": str(locked.uid), "profile": _profile_ref(profile), "role": role},
    )
    return membership


@transaction.atomic
def group_leave(*, actor: Any, group: Group, profile: ResidentProfile) -> Membership:
    """End a resident's membership (the resident themself, or a group manager)."""
    _require(_may_act_for(actor, group, profile))
    locked = _locked(group)
    membership = Membership.objects.filter(group=locked, profile=profile, left_at__isnull=True).first()
    if membership is None:
        raise ValidationError(_("Deze bewoner is geen lid van de groep."), code="not_a_member")
    membership.left_at = timezone.now()
    membership.save(update_fields=["left_at"])
    audit(
        actor=actor,
        municipality=locked.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.CONTACT,
        record=membership,
        detail={"group": str(locked.uid), "profile": _profile_ref(profile), "left": True},
    )
    return membership


@transaction.atomic
def membership_set_role(*, actor: Any, membership: Membership, role: str) -> Membership:
    """Appoint a member as trekker, or make a trekker an ordinary member again."""
    group = membership.group
    if _is_person(actor):
        _require(permissions.can_manage_group(actor, group))
    if role not in MemberRole.values:
        raise ValidationError({"role": _("Kies lid of trekker.")})
    if membership.left_at is not None:
        raise ValidationError(_("Deze bewoner is geen lid meer van de groep."), code="not_a_member")
    if membership.role == role:
        return membership
    membership.role = role
    membership.save(update_fields=["role"])
    audit(
        actor=actor,
        municipality=group.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.CONTACT,
        record=membership,
        detail={"group": str(group.uid), "profile": _profile_ref(membership.profile), "role": role},
    )
    return membership
