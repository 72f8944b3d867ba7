"""Composed reads of small groups: counts and signals, who sees which members, whose group is whose.

What members see of each other is deliberately little: the first name of fellow members who have
a current `contact` consent, and who is trekker. Group managers see the name as recorded and the
profile's pseudonymous key. Every read of another person's name is audited (purpose: contact).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.groups.models import LARGEST, SMALLEST, Group, GroupStatus, MemberRole, Membership
from nabij.groups.services import JOIN_CONSENT
from nabij.people.models import Consent, ResidentProfile

CURRENT = Q(memberships__left_at__isnull=True)


class GroupSignal:
    """Why a group needs attention (seed 003: 5 to 10 people, with a trekker)."""

    TOO_SMALL = "too_small"
    TOO_LARGE = "too_large"
    NO_TREKKER = "no_trekker"

    ALL = (TOO_SMALL, TOO_LARGE, NO_TREKKER)


def signal_label(signal: str) -> str:
    """In the current language (so not computed at import)."""
    if signal == GroupSignal.TOO_SMALL:
        return _("minder dan %(count)d leden") % {"count": SMALLEST}
    if signal == GroupSignal.TOO_LARGE:
        return _("meer dan %(count)d leden") % {"count": LARGEST}
    return _("geen trekker")


def signals_for(member_count: int, trekker_count: int) -> list[str]:
    result = []
    if member_count < SMALLEST:
        result.append(GroupSignal.TOO_SMALL)
    if member_count > LARGEST:
        result.append(GroupSignal.TOO_LARGE)
    if trekker_count == 0:
        result.append(GroupSignal.NO_TREKKER)
    return result


def with_counts(groups: QuerySet[Group]) -> QuerySet[Group]:
    """`member_count` and `trekker_count`: current members only (one join, two filtered counts)."""
    return groups.annotate(
        member_count=Count("memberships", filter=CURRENT),
        trekker_count=Count("memberships", filter=CURRENT & Q(memberships__role=MemberRole.TREKKER)),
    )


@dataclass
class GroupRow:
    group: Group
    member_count: int
    trekker_count: int
    signals: list[str]

    @property
    def spots_left(self) -> int:
        return max(self.group.capacity - self.member_count, 0)

    @property
    def signal_labels(self) -> list[str]:
        return [signal_label(s) for s in self.signals]


def _rows(groups: QuerySet[Group]) -> list[GroupRow]:
    return [
        GroupRow(
            group=g,
            member_count=g.member_count,  # type: ignore[attr-defined]
            trekker_count=g.trekker_count,  # type: ignore[attr-defined]
            signals=signals_for(g.member_count, g.trekker_count),  # type: ignore[attr-defined]
        )
        for g in groups
    ]


@dataclass
class SignalOverview:
    rows: list[GroupRow]
    groups: int
    counts: dict[str, int] = field(default_factory=dict)

    @property
    def signalled(self) -> int:
        return sum(1 for row in self.rows if row.signals)


def group_signals(*, municipality: Municipality, only_signalled: bool = False) -> SignalOverview:
    """Every running (not ended) group with its counts and signals, and how often each signal occurs."""
    groups = with_counts(
        Group.objects.filter(municipality=municipality)
        .exclude(status=GroupStatus.ENDED)
        .select_related("neighbourhood")
        .order_by("name", "pk")
    )
    rows = _rows(groups)
    counts = {signal: sum(1 for row in rows if signal in row.signals) for signal in GroupSignal.ALL}
    shown = [row for row in rows if row.signals] if only_signalled else rows
    return SignalOverview(rows=shown, groups=len(rows), counts=counts)


def group_row(group: Group) -> GroupRow:
    return _rows(with_counts(Group.objects.filter(pk=group.pk)))[0]


def profile_of(user: Any, municipality: Municipality) -> ResidentProfile | None:
    """The user's own resident profile in this municipality, if any (not erased)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return ResidentProfile.objects.filter(municipality=municipality, user=user, erased_at__isnull=True).first()


def memberships_of(profile: ResidentProfile | None) -> list[Membership]:
    if profile is None:
        return []
    return list(
        Membership.objects.filter(profile=profile, left_at__isnull=True)
        .select_related("group", "group__guide")
        .prefetch_related("group__activities")
        .order_by("group__name")
    )


def open_groups(*, municipality: Municipality, profile: ResidentProfile | None = None) -> list[GroupRow]:
    """Running groups with a free place, that `profile` is not already in."""
    groups = with_counts(
        Group.objects.filter(municipality=municipality).exclude(status=GroupStatus.ENDED).prefetch_related("activities")
    )
    if profile is not None:
        groups = groups.exclude(
            pk__in=Membership.objects.filter(profile=profile, left_at__isnull=True).values("group_id")
        )
    return [row for row in _rows(groups.order_by("name", "pk")) if row.spots_left > 0]


def groups_managed_by(user: Any, municipality: Municipality) -> QuerySet[Group]:
    """The groups `user` may manage: all for coordinators and admins."""
    groups = Group.objects.filter(municipality=municipality)
    if permissions.has_role(user, municipality, *permissions.GROUP_STEERING):
        return groups
    mine = Q(created_by=user) | Q(guide=user)
    editable = permissions.organisations_edited_by(user, municipality) or []
    if editable:
        mine |= Q(activities__organisation_id__in=editable)
    return groups.filter(mine).distinct() if permissions.is_member(user, municipality) else groups.none()


@dataclass
class MemberView:
    """One member as a viewer may see them; `name` None means: not shown."""

    membership: Membership
    name: str | None
    is_me: bool
    key: str | None = None  # the pseudonymous key, for managers only

    @property
    def is_trekker(self) -> bool:
        return self.membership.role == MemberRole.TREKKER


def first_name(name: str) -> str:
    parts = name.split()
    return parts[0] if parts else ""


def members_for(*, viewer: Any, group: Group) -> list[MemberView] | None:
    """The current members as `viewer` may see them, or None if they may not see the list at all.

    Managers see the recorded name and key; fellow members the first name. Only members with a
    current contact consent are named; the others are counted. Reads of others are audited.
    """
    manager = permissions.can_manage_group(viewer, group)
    if not manager and not permissions.is_group_member(viewer, group):
        return None
    consented = Consent.objects.filter(profile=OuterRef("profile"), purpose=JOIN_CONSENT, revoked_at__isnull=True)
    memberships = list(
        Membership.objects.filter(group=group, left_at__isnull=True)
        .select_related("profile")
        .annotate(contact=Exists(consented))
        .order_by("-role", "joined_at", "pk")  # trekkers first
    )
    result: list[MemberView] = []
    read: list[ResidentProfile] = []
    for membership in memberships:
        profile = membership.profile
        is_me = profile.user_id is not None and profile.user_id == viewer.pk
        shown: str | None = None
        if membership.contact and profile.erased_at is None:
            shown = profile.name if manager else first_name(profile.name)
            shown = shown or None
        if shown and not is_me:
            read.append(profile)
        result.append(
            MemberView(membership=membership, name=shown, is_me=is_me, key=str(profile.key) if manager else None)
        )
    for profile in read:
        audit(
            actor=viewer,
            municipality=group.municipality,
            action=AuditAction.READ,
            purpose=AuditPurpose.CONTACT,
            record_type="people.residentprofile",
            record_ref=str(profile.key),
            detail={"group": str(group.uid), "as": "manager" if manager else "member"},
        )
    return result
