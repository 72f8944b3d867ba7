"""Reads of residents' profiles: the one door. Every read by someone else is audited here.

Views never query ResidentProfile themselves: `profile_for` checks the permission for the
purpose the reader reads for, writes the audit entry and answers 404 for anything else,
including other municipalities' profiles (the request's tenant scope hides them).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db.models import Prefetch
from django.http import Http404, HttpRequest

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditEntry, Municipality
from nabij.people.models import Consent, ConsentPurpose, ResidentProfile, availability_slots, slot_choices
from nabij.people.services import PROFILE_RECORD, audit_profile
from nabij.socialmap.models import Barrier

CASELOAD_PAGE_SIZE = 50


def own_profile(user: Any, municipality: Municipality) -> ResidentProfile | None:
    """The resident's own profile in this municipality; reading your own data is not audited."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (
        ResidentProfile.objects.active()
        .filter(municipality=municipality, user=user)
        .select_related("neighbourhood")
        .first()
    )


def profile_for(
    user: Any,
    key: Any,
    purpose: str,
    *,
    request: HttpRequest | None = None,
    also: Callable[[Any, ResidentProfile], bool] | None = None,
) -> ResidentProfile:
    """The profile with this key, if `user` may read it for `purpose`; else Http404.

    Anyone but the resident leaves an audit entry with the purpose. `request` lets an API
    token count as the second factor (accounts.permissions.has_passed_second_factor); `also`
    is a further permission the page needs (e.g. may record a measurement), checked before
    the read is logged, so a refused page leaves no entry.
    """
    try:
        key = uuid.UUID(str(key))
    except ValueError as error:
        raise Http404 from error
    profile = ResidentProfile.objects.filter(key=key).select_related("municipality", "neighbourhood").first()
    if profile is None or not permissions.can_read_profile(user, profile, purpose, request):
        raise Http404
    if also is not None and not also(user, profile):
        raise Http404
    if not permissions.is_profile_owner(user, profile):
        audit_profile(actor=user, profile=profile, action=AuditAction.READ, purpose=purpose)
    return profile


def caseload_for(
    user: Any,
    municipality: Municipality,
    *,
    purpose: str = ConsentPurpose.SUPPORT,
    mine: bool = False,
    page: Any = 1,
    request: HttpRequest | None = None,
) -> Page[ResidentProfile]:
    """One page of the profiles a worker may read for `purpose`: consented profiles only.

    The read of the list is one audit entry naming the keys shown. Anyone who may not read
    profiles here (or has not passed the second factor) gets Http404.
    """
    if (
        purpose not in permissions.PROFILE_READ_PURPOSES
        or not permissions.can_work_with_profiles(user, municipality)
        or not permissions.may_see_personal_data(user, request)
    ):
        raise Http404
    profiles = (
        ResidentProfile.objects.with_consent(purpose)
        .filter(municipality=municipality)
        .select_related("neighbourhood")
        .prefetch_related(
            Prefetch("consents", queryset=Consent.objects.filter(revoked_at__isnull=True), to_attr="current_consents")
        )
        .order_by("-created_at", "-pk")
    )
    if mine:
        profiles = profiles.filter(created_by=user)
    result: Page[ResidentProfile] = Paginator(profiles, CASELOAD_PAGE_SIZE).get_page(page)  # type: ignore[assignment]
    audit_profile_list(user=user, municipality=municipality, purpose=purpose, profiles=list(result))
    return result


def audit_profile_list(*, user: Any, municipality: Municipality, purpose: str, profiles: list[ResidentProfile]) -> None:
    audit(
        actor=user,
        municipality=municipality,
        action=AuditAction.READ,
        purpose=purpose,
        record_type=PROFILE_RECORD,
        detail={"list": "caseload", "count": len(profiles), "keys": [str(p.key) for p in profiles]},
    )


# --- what a page shows about a profile -----------------------------------------------------------


@dataclass(frozen=True)
class ConsentStatus:
    purpose: str
    label: str
    current: Consent | None
    last_revoked: Consent | None


def consent_statuses(profile: ResidentProfile) -> list[ConsentStatus]:
    """Per purpose: the current consent, or the last revoked one."""
    consents = list(profile.consents.select_related("recorded_by").order_by("given_at", "pk"))
    result = []
    for purpose, label in ConsentPurpose.choices:
        mine = [c for c in consents if c.purpose == purpose]
        current = next((c for c in mine if c.revoked_at is None), None)
        revoked = [c for c in mine if c.revoked_at is not None]
        result.append(ConsentStatus(purpose, str(label), current, revoked[-1] if revoked else None))
    return result


def profile_facts(profile: ResidentProfile, language: str) -> dict[str, Any]:
    """The profile's facts in words, for the resident's and the worker's page."""
    labels = dict(slot_choices())
    return {
        "barriers": [
            barrier.label(language)
            for barrier in Barrier.objects.filter(municipality=profile.municipality).order_by("bit")
            if profile.barrier_mask & barrier.mask
        ],
        "availability": [labels[slot] for slot in availability_slots(profile.availability)],
        "preferred_types": [t.label(language) for t in profile.preferred_types.order_by("position", "code")],
        "loneliness": list(profile.loneliness.order_by("-measured_on", "-pk")),
        "ladder": list(profile.ladder.order_by("-measured_on", "-pk")),
    }


def processing_of(profile: ResidentProfile, limit: int = 20) -> list[AuditEntry]:
    """The latest audit entries about the resident's own profile, for their own page."""
    return list(
        AuditEntry.objects.filter(municipality=profile.municipality, record_ref=str(profile.key)).order_by(
            "-at", "-id"
        )[:limit]
    )
