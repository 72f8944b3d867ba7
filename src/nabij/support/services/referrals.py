"""Warm hand-overs (warme overdracht): every write on a referral, one service per transition.

A professional refers a resident who has a current `referral` consent to an activity, a group or
a supporter. The referral then moves proposed → introduced → participating → stopped (stopping is
possible from every open status and needs an outcome). Each step is audited (purpose: referral).

Consent: revoking the `referral` consent pauses every open referral of the resident at once
(`consent_revoked` → `referrals_pause_for_profile`); a paused referral shows the receiver nothing
and cannot move on. A new consent does NOT resume them by itself: the resident may have withdrawn
because of that very hand-over, so the referring professional resumes each one explicitly
(`referral_resume`) after talking to the resident; that needs the new consent to be current.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose
from nabij.groups.models import Group, GroupStatus
from nabij.people.models import ConsentPurpose, ResidentProfile
from nabij.socialmap.models import Activity, ActivityStatus
from nabij.support.models import Referral, ReferralStatus, Supporter

__all__ = [
    "OPEN_REFERRAL_STATUSES",
    "REFERRAL_CONSENT",
    "TRANSITIONS",
    "consent_error",
    "referral_create",
    "referral_introduce",
    "referral_participate",
    "referral_resume",
    "referral_set_status",
    "referral_stop",
    "referrals_erase_for_profile",
    "referrals_pause_for_profile",
    "target_kind",
]

REFERRAL_CONSENT = ConsentPurpose.REFERRAL
OPEN_REFERRAL_STATUSES = (ReferralStatus.PROPOSED, ReferralStatus.INTRODUCED, ReferralStatus.PARTICIPATING)
# Where each status may go next. A hand-over is warm: introduced before participating.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    ReferralStatus.PROPOSED: (ReferralStatus.INTRODUCED, ReferralStatus.STOPPED),
    ReferralStatus.INTRODUCED: (ReferralStatus.PARTICIPATING, ReferralStatus.STOPPED),
    ReferralStatus.PARTICIPATING: (ReferralStatus.STOPPED,),
    ReferralStatus.STOPPED: (),
}
NOTE_MAX = 2000


def _field_error(field: str, message: str, code: str = "invalid") -> ValidationError:
    """A ValidationError on one field that keeps its code (the API reports it)."""
    return ValidationError({field: ValidationError(message, code=code)})


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _is_person(actor: Any) -> bool:
    return actor is not None and getattr(actor, "is_authenticated", False)


def _audit(actor: Any, referral: Referral, action: str, detail: dict[str, Any]) -> None:
    audit(
        actor=actor,
        municipality=referral.municipality,
        action=action,
        purpose=AuditPurpose.REFERRAL,
        record=referral,
        detail={"profile": str(referral.profile.key), **detail},
    )


def consent_error() -> ValidationError:
    return _field_error(
        "profile",
        _(
            "Deze bewoner heeft geen toestemming gegeven voor een warme overdracht. "
            "Vraag eerst om toestemming en leg die vast bij de bewoner. Daarna kun je de overdracht maken."
        ),
        "consent_required",
    )


def _check_target(
    profile: ResidentProfile, activity: Activity | None, group: Group | None, supporter: Supporter | None
) -> None:
    targets = [t for t in (activity, group, supporter) if t is not None]
    if len(targets) != 1:
        raise _field_error("target", _("Kies precies één: een activiteit, een groep of een maatje."), "one_target")
    target = targets[0]
    if target.municipality_id != profile.municipality_id:
        raise _field_error("target", _("Dit hoort niet bij deze gemeente."), "unknown")
    if activity is not None and activity.status != ActivityStatus.PUBLISHED:
        raise _field_error(
            "target", _("Deze activiteit is niet gepubliceerd. Kies een activiteit die loopt."), "unavailable"
        )
    if group is not None and group.status == GroupStatus.ENDED:
        raise _field_error("target", _("Deze groep is gestopt. Kies een andere groep."), "unavailable")
    if supporter is not None:
        if not supporter.active:
            raise _field_error("target", _("Dit maatje neemt nu geen nieuwe deelnemers aan."), "unavailable")
        # The VOG rule of matching holds for a hand-over to a supporter too.
        if profile.requires_vog and not supporter.vog_valid_on(timezone.localdate()):
            raise _field_error(
                "target",
                _("Deze bewoner heeft een maatje met een geldige VOG nodig, en dit maatje heeft die niet."),
                "vog_required",
            )


def _target_filter(activity: Activity | None, group: Group | None, supporter: Supporter | None) -> dict[str, Any]:
    return {"activity": activity, "group": group, "supporter": supporter}


@transaction.atomic
def referral_create(
    *,
    actor: Any,
    profile: ResidentProfile,
    activity: Activity | None = None,
    group: Group | None = None,
    supporter: Supporter | None = None,
    note: str = "",
) -> Referral:
    """A professional proposes a warm hand-over; refused plainly without a current referral consent."""
    if _is_person(actor):
        _require(permissions.can_refer(actor, profile.municipality))
    if profile.erased_at is not None:
        raise _field_error("profile", _("Dit profiel is gewist."), "erased")
    # Lock the profile: a revocation arriving now waits, so no referral slips past it.
    ResidentProfile.objects.select_for_update().filter(pk=profile.pk).first()
    if not profile.has_consent(REFERRAL_CONSENT):
        raise consent_error()
    _check_target(profile, activity, group, supporter)
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise _field_error("note", _("Maak het korter: hoogstens %(max)d tekens.") % {"max": NOTE_MAX}, "max_length")
    duplicate = Referral.objects.filter(
        profile=profile, status__in=OPEN_REFERRAL_STATUSES, **_target_filter(activity, group, supporter)
    )
    if duplicate.exists():
        raise _field_error("target", _("Er loopt al een overdracht van deze bewoner hiernaartoe."), "duplicate")
    referral = Referral(
        municipality_id=profile.municipality_id,
        profile=profile,
        referred_by=actor if _is_person(actor) else None,
        activity=activity,
        group=group,
        supporter=supporter,
        note=note,
    )
    referral.full_clean()
    referral.save()
    _audit(actor, referral, AuditAction.CREATE, {"target": target_kind(referral), "collective": referral.collective})
    return referral


def target_kind(referral: Referral) -> str:
    if referral.activity_id is not None:
        return "activity"
    if referral.group_id is not None:
        return "group"
    return "supporter"


def _check_may_change(actor: Any, referral: Referral) -> None:
    if not _is_person(actor):
        return
    _require(permissions.made_referral(actor, referral) or permissions.receives_referral(actor, referral))


@transaction.atomic
def referral_set_status(*, actor: Any, referral: Referral, status: str, outcome: str = "") -> Referral:
    """Move a referral on (see TRANSITIONS); the referrer or the receiver may."""
    _check_may_change(actor, referral)
    referral = Referral.objects.select_for_update().select_related("profile", "municipality").get(pk=referral.pk)
    if status not in ReferralStatus.values:
        raise _field_error("status", _("Onbekende status: %(status)s.") % {"status": status}, "invalid")
    outcome = (outcome or "").strip()
    if len(outcome) > NOTE_MAX:
        raise _field_error("outcome", _("Maak het korter: hoogstens %(max)d tekens.") % {"max": NOTE_MAX}, "max_length")
    if referral.status == status:
        raise _field_error("status", _("De overdracht heeft deze status al."), "unchanged")
    if status not in TRANSITIONS[referral.status]:
        if referral.status == ReferralStatus.STOPPED:
            message = _("Deze overdracht is gestopt. Maak zo nodig een nieuwe.")
        elif status == ReferralStatus.PARTICIPATING:
            message = _("Zet de overdracht eerst op 'kennisgemaakt': een warme overdracht begint met kennismaken.")
        else:
            message = _("Een overdracht gaat niet terug naar een eerdere stap.")
        raise _field_error("status", message, "invalid_transition")
    if status == ReferralStatus.STOPPED:
        if not outcome:
            raise _field_error(
                "outcome", _("Schrijf kort op hoe het is afgelopen, bijvoorbeeld: doet nu zelf mee."), "required"
            )
    elif referral.paused_at is not None or not referral.profile.has_consent(REFERRAL_CONSENT):
        # Paused (consent revoked): only stopping is possible until the referrer resumes it.
        raise _field_error(
            "status", _("Deze overdracht is gepauzeerd: de bewoner heeft de toestemming ingetrokken."), "paused"
        )
    previous = referral.status
    referral.status = status
    if outcome:
        referral.outcome = outcome
    referral.save(update_fields=["status", "outcome", "updated_at"])
    _audit(actor, referral, AuditAction.CHANGE, {"from": previous, "to": status})
    return referral


def referral_introduce(*, actor: Any, referral: Referral, outcome: str = "") -> Referral:
    """The resident and the receiver have met."""
    return referral_set_status(actor=actor, referral=referral, status=ReferralStatus.INTRODUCED, outcome=outcome)


def referral_participate(*, actor: Any, referral: Referral, outcome: str = "") -> Referral:
    """The resident takes part (in the activity or group, or with the supporter)."""
    return referral_set_status(actor=actor, referral=referral, status=ReferralStatus.PARTICIPATING, outcome=outcome)


def referral_stop(*, actor: Any, referral: Referral, outcome: str) -> Referral:
    """The hand-over ends, with how it ended."""
    return referral_set_status(actor=actor, referral=referral, status=ReferralStatus.STOPPED, outcome=outcome)


@transaction.atomic
def referrals_pause_for_profile(*, actor: Any, profile: ResidentProfile, at: dt.datetime | None = None) -> int:
    """Pause every open referral of the resident (their referral consent is gone). Returns how many."""
    at = at or timezone.now()
    referrals = list(
        Referral.objects.select_for_update()
        .filter(profile=profile, status__in=OPEN_REFERRAL_STATUSES, paused_at__isnull=True)
        .select_related("municipality", "profile")
    )
    for referral in referrals:
        referral.paused_at = at
        referral.save(update_fields=["paused_at", "updated_at"])
        _audit(actor, referral, AuditAction.CHANGE, {"paused": True, "reason": "consent_revoked"})
    return len(referrals)


@transaction.atomic
def referral_resume(*, actor: Any, referral: Referral) -> Referral:
    """The referring professional resumes a paused referral, once the consent is current again."""
    if _is_person(actor):
        _require(permissions.made_referral(actor, referral))
    referral = Referral.objects.select_for_update().select_related("profile", "municipality").get(pk=referral.pk)
    if referral.paused_at is None:
        raise ValidationError(_("Deze overdracht is niet gepauzeerd."), code="not_paused")
    if referral.status not in OPEN_REFERRAL_STATUSES:
        raise ValidationError(_("Deze overdracht is gestopt."), code="stopped")
    if not referral.profile.has_consent(REFERRAL_CONSENT):
        raise consent_error()
    referral.paused_at = None
    referral.save(update_fields=["paused_at", "updated_at"])
    _audit(actor, referral, AuditAction.CHANGE, {"paused": False})
    return referral


@transaction.atomic
def referrals_erase_for_profile(*, actor: Any, profile: ResidentProfile) -> int:
    """The resident's data is erased: notes and outcomes about them go; status and dates stay."""
    referrals = list(Referral.objects.filter(profile=profile).select_related("municipality", "profile"))
    for referral in referrals:
        if referral.note or referral.outcome:
            referral.note = ""
            referral.outcome = ""
            referral.save(update_fields=["note", "outcome", "updated_at"])
            _audit(actor, referral, AuditAction.DELETE, {"erased": ["note", "outcome"]})
    return len(referrals)


# --- receivers of the people app's signals (connected in models/referrals.py) ---------------------


def on_consent_revoked(
    sender: Any, *, profile: ResidentProfile, purpose: str, actor: Any = None, **kwargs: Any
) -> None:
    if purpose == REFERRAL_CONSENT:
        referrals_pause_for_profile(actor=actor, profile=profile)


def on_profile_erased(sender: Any, *, profile: ResidentProfile, actor: Any = None, **kwargs: Any) -> None:
    referrals_erase_for_profile(actor=actor, profile=profile)


def on_collect_export(sender: Any, *, profile: ResidentProfile, actor: Any = None, **kwargs: Any) -> dict[str, Any]:
    """The resident's referrals for their export: what, where to, how it went; no professional's name."""
    rows = []
    for referral in Referral.objects.filter(profile=profile).select_related("activity", "group", "supporter"):
        target = referral.activity or referral.group or referral.supporter
        rows.append(
            {
                "to": target_kind(referral),
                "name": (target.title if isinstance(target, Activity) else str(target)) if target else None,
                "status": referral.status,
                "paused": referral.paused_at is not None,
                "note": referral.note,
                "outcome": referral.outcome,
                "created_at": referral.created_at.isoformat(),
                "updated_at": referral.updated_at.isoformat(),
            }
        )
    return {"referrals": rows}
