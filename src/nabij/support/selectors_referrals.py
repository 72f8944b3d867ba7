"""Reads of warm hand-overs: whose they are, and what each viewer may see of them.

The receiver of a referral (the organisers of the activity's organisation, the group's starter,
guide, activity organisers and trekkers, or the supporter) sees it only while it is shareable: not
paused and the resident's `referral` consent current. Then they see the resident's name (roepnaam)
and the referrer's note; otherwise they see nothing at all, not even that it exists. The referring
professional always sees their own referrals, but the name and note only while shareable.
Every name shown to someone other than the resident is an audited read (purpose: referral).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from nabij.accounts import permissions
from nabij.accounts.models import Role, RoleAssignment
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.groups.models import Group, MemberRole
from nabij.support.models import Referral, ReferralStatus, Supporter
from nabij.support.models.referrals import ReferralQuerySet
from nabij.support.services.referrals import TRANSITIONS, target_kind

RELATED = ("profile", "activity", "activity__organisation", "group", "supporter", "referred_by", "municipality")


def referrals() -> ReferralQuerySet:
    return Referral.objects.select_related(*RELATED)


def made_by(user: Any, municipality: Municipality) -> QuerySet[Referral]:
    if not permissions.can_refer(user, municipality):
        return Referral.objects.none()
    return referrals().filter(municipality=municipality, referred_by=user)


def _received_filter(user: Any, municipality: Municipality) -> Q:
    organisations = RoleAssignment.objects.filter(
        user=user, municipality=municipality, role=Role.ORGANISER, organisation__isnull=False
    ).values("organisation_id")
    groups = Group.objects.filter(municipality=municipality).filter(
        Q(created_by=user)
        | Q(guide=user)
        | Q(activities__organisation_id__in=organisations)
        | Q(memberships__profile__user=user, memberships__left_at__isnull=True, memberships__role=MemberRole.TREKKER)
    )
    supporters = Supporter.objects.filter(municipality=municipality, user=user)
    return (
        Q(activity__organisation_id__in=organisations)
        | Q(group__in=groups.values("pk"))
        | Q(supporter__in=supporters.values("pk"))
    )


def received_by(user: Any, municipality: Municipality) -> QuerySet[Referral]:
    """The shareable referrals to `user`; nothing for someone without a role here."""
    if not getattr(user, "is_authenticated", False) or not permissions.is_member(user, municipality):
        return Referral.objects.none()
    return referrals().filter(municipality=municipality).filter(_received_filter(user, municipality)).shareable()


def is_shareable(referral: Referral) -> bool:
    return bool(Referral.objects.filter(pk=referral.pk).shareable().exists())


def referral_for(user: Any, municipality: Municipality, pk: int) -> Referral:
    """The one door to a referral: its referrer, or its receiver while shareable; else 404."""
    referral = referrals().filter(municipality=municipality, pk=pk).first()
    if referral is None:
        raise Http404
    if permissions.made_referral(user, referral):
        return referral
    if permissions.receives_referral(user, referral) and is_shareable(referral):
        return referral
    raise Http404


@dataclass
class ReferralView:
    """A referral as one viewer may see it; `name` and `note` None mean: not to be shown."""

    referral: Referral
    name: str | None
    note: str | None
    is_referrer: bool
    is_receiver: bool
    shareable: bool

    @property
    def paused(self) -> bool:
        return self.referral.paused_at is not None or not self.shareable

    @property
    def kind(self) -> str:
        return target_kind(self.referral)

    @property
    def target_name(self) -> str:
        target = self.referral.target
        if target is None:
            return ""
        return str(getattr(target, "title", None) or getattr(target, "name", None) or target)

    @property
    def next_statuses(self) -> list[tuple[str, str]]:
        """The statuses this viewer may move the referral to now."""
        if not (self.is_referrer or self.is_receiver):
            return []
        allowed = TRANSITIONS[self.referral.status]
        if self.paused:
            allowed = tuple(s for s in allowed if s == ReferralStatus.STOPPED)
        return [(s, str(ReferralStatus(s).label)) for s in allowed]

    @property
    def can_resume(self) -> bool:
        return self.is_referrer and self.referral.paused_at is not None and self.referral.is_open


def views_of(viewer: Any, items: list[Referral] | QuerySet[Referral], *, purpose_detail: str) -> list[ReferralView]:
    """How `viewer` may see each referral; writes one audit entry per name shown."""
    items = list(items)
    shareable = set(Referral.objects.filter(pk__in=[r.pk for r in items]).shareable().values_list("pk", flat=True))
    result = []
    for referral in items:
        ok = referral.pk in shareable
        view = ReferralView(
            referral=referral,
            name=(referral.profile.name or None) if ok else None,
            note=referral.note if ok else None,
            is_referrer=permissions.made_referral(viewer, referral),
            is_receiver=ok and permissions.receives_referral(viewer, referral),
            shareable=ok,
        )
        if ok and not permissions.is_profile_owner(viewer, referral.profile):
            audit(
                actor=viewer,
                municipality=referral.municipality,
                action=AuditAction.READ,
                purpose=AuditPurpose.REFERRAL,
                record_type="people.residentprofile",
                record_ref=str(referral.profile.key),
                detail={"referral": referral.pk, "page": purpose_detail},
            )
        result.append(view)
    return result


def view_of(viewer: Any, referral: Referral, *, purpose_detail: str) -> ReferralView:
    return views_of(viewer, [referral], purpose_detail=purpose_detail)[0]
