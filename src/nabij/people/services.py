"""Every write on residents' profiles, consents and measurements.

Keyword-only, one transaction each, audited with the purpose the processing serves. `actor`
None is the system (the demo generator, an import); a person must pass accounts.permissions.
Audit entries refer to a profile by its pseudonymous key and hold no names or answers.
Export and erasure (at the end) let other apps add and erase their parts through signals.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditEntry, AuditPurpose, Municipality
from nabij.people import signals
from nabij.people.fields import PROFILE_FIELDS, field_error, prepare_profile_fields
from nabij.people.instruments import InstrumentError, ladder_rung, normalise_answers, score_de_jong_gierveld
from nabij.people.models import (
    Consent,
    ConsentPurpose,
    LadderMeasurement,
    LonelinessMeasurement,
    ResidentProfile,
    availability_slots,
)
from nabij.socialmap.models import Barrier

# `given_by` when the resident gives a consent themself (stored data: not translated).
GIVEN_BY_SELF = "de bewoner zelf"
PROFILE_RECORD = "people.residentprofile"
CONSENT_RECORD = "people.consent"
__all__ = [
    "GIVEN_BY_SELF",
    "PROFILE_FIELDS",
    "consent_give",
    "consent_revoke",
    "ladder_record",
    "loneliness_record",
    "profile_create",
    "profile_erase",
    "profile_export",
    "profile_update",
]


def person(actor: Any) -> Any:
    """The actor as a user to store in a *_by field, or None for the system."""
    return actor if getattr(actor, "is_authenticated", False) else None


def audit_profile(
    *,
    actor: Any,
    profile: ResidentProfile,
    action: AuditAction | str,
    purpose: AuditPurpose | str,
    record_type: str = PROFILE_RECORD,
    detail: dict[str, Any] | None = None,
) -> None:
    audit(
        actor=actor,
        municipality=profile.municipality,
        action=action,
        purpose=purpose,
        record_type=record_type,
        record_ref=str(profile.key),
        detail=detail,
    )


def _check(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _check_not_erased(profile: ResidentProfile) -> None:
    if profile.erased_at is not None:
        raise ValidationError(_("Dit profiel is gewist. Er kan niets meer bij."), code="erased")


def _clean_purpose(purpose: Any, field: str = "purpose") -> str:
    if purpose not in ConsentPurpose.values:
        raise field_error(field, _("Onbekend doel: %(purpose)s.") % {"purpose": purpose}, "invalid_purpose")
    return str(purpose)


def _clean_given_by(given_by: Any, field: str = "given_by") -> str:
    text = str(given_by or "").strip()
    if not text:
        raise field_error(field, _("Vul in wie de toestemming gaf."), "required")
    if len(text) > 120:
        raise field_error(field, _("Maak het korter: hoogstens 120 tekens."), "max_length")
    return text


def _clean_consents(consents: Iterable[Sequence[Any]]) -> list[tuple[str, str]]:
    result: list[tuple[str, str]] = []
    for entry in consents:
        if len(entry) != 2:
            raise ValidationError({"consents": _("Geef per toestemming een doel en wie hem gaf.")})
        purpose = _clean_purpose(entry[0], "consents")
        if purpose in {p for p, _given in result}:
            raise field_error("consents", _("Elk doel kan maar één keer."), "duplicate")
        result.append((purpose, _clean_given_by(entry[1], "given_by")))
    if not result:
        raise ValidationError(
            {
                "consents": ValidationError(
                    _("Een profiel kan alleen met toestemming. Kies minstens één doel."), code="consent_required"
                )
            }
        )
    return result


# --- profiles ------------------------------------------------------------------------------------


@transaction.atomic
def profile_create(
    *, actor: Any, municipality: Municipality, consents: Iterable[Sequence[Any]], **fields: Any
) -> ResidentProfile:
    """A new profile, only with at least one consent: `consents` is [(purpose, given_by), ...].

    The consents are recorded as given now, recorded by `actor`.
    """
    if actor is not None:
        _check(permissions.can_work_with_profiles(actor, municipality))
    clean_consents = _clean_consents(consents)
    values, types = prepare_profile_fields(municipality, fields)
    profile = ResidentProfile(municipality=municipality, created_by=person(actor), **values)
    profile.full_clean()
    profile.save()
    if types is not None:
        profile.preferred_types.set(types)
    now = timezone.now()
    Consent.objects.bulk_create(
        Consent(
            municipality=municipality,
            profile=profile,
            purpose=purpose,
            given_by=given_by,
            recorded_by=person(actor),
            given_at=now,
        )
        for purpose, given_by in clean_consents
    )
    audit_profile(
        actor=actor,
        profile=profile,
        action=AuditAction.CREATE,
        purpose=clean_consents[0][0],
        detail={"purposes": [purpose for purpose, _given in clean_consents], "fields": sorted(fields)},
    )
    return profile


@transaction.atomic
def profile_update(
    *, actor: Any, profile: ResidentProfile, purpose: str = ConsentPurpose.SUPPORT, **changes: Any
) -> ResidentProfile:
    """Change a profile's facts. A worker changes it for `purpose` and needs a consent for it."""
    _check_not_erased(profile)
    owner = permissions.is_profile_owner(actor, profile)
    if actor is not None and not owner:
        _check(
            permissions.can_change_profile(actor, profile)
            and purpose in permissions.PROFILE_READ_PURPOSES
            and profile.has_consent(purpose)
        )
    values, types = prepare_profile_fields(profile.municipality, changes, profile)
    for name, value in values.items():
        setattr(profile, name, value)
    profile.full_clean()
    profile.save()
    if types is not None:
        profile.preferred_types.set(types)
    audit_profile(
        actor=actor,
        profile=profile,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ACCOUNT if owner else purpose,
        detail={"fields": sorted(changes)},
    )
    return profile


# --- consent -------------------------------------------------------------------------------------


@transaction.atomic
def consent_give(*, actor: Any, profile: ResidentProfile, purpose: str, given_by: str) -> Consent:
    """Record a consent for one purpose, given now by `given_by` (the resident or a representative)."""
    _check_not_erased(profile)
    if actor is not None:
        _check(permissions.can_manage_consent(actor, profile))
    purpose = _clean_purpose(purpose)
    given_by = _clean_given_by(given_by)
    # Lock the profile: two clicks on "give" must not both pass the check below.
    ResidentProfile.objects.select_for_update().filter(pk=profile.pk).first()
    if Consent.objects.filter(profile=profile, purpose=purpose, revoked_at__isnull=True).exists():
        raise field_error("purpose", _("Voor dit doel is er al toestemming."), "exists")
    consent = Consent.objects.create(
        municipality=profile.municipality,
        profile=profile,
        purpose=purpose,
        given_by=given_by,
        recorded_by=person(actor),
        given_at=timezone.now(),
    )
    audit_profile(
        actor=actor,
        profile=profile,
        action=AuditAction.CREATE,
        purpose=purpose,
        record_type=CONSENT_RECORD,
        detail={"consent": consent.pk},
    )
    return consent


def _revoke(*, actor: Any, consent: Consent, profile: ResidentProfile, at: dt.datetime | None = None) -> None:
    consent.revoked_at = at or timezone.now()
    consent.revoked_by = person(actor)
    consent.save(update_fields=["revoked_at", "revoked_by"])
    audit_profile(
        actor=actor,
        profile=profile,
        action=AuditAction.CHANGE,
        purpose=consent.purpose,
        record_type=CONSENT_RECORD,
        detail={"consent": consent.pk, "revoked": True},
    )
    # Inside the transaction: the receivers' consequences (out of a matching round, referrals
    # paused) commit together with the revocation, or neither does.
    signals.consent_revoked.send(sender=ResidentProfile, profile=profile, purpose=consent.purpose, actor=actor)


@transaction.atomic
def consent_revoke(*, actor: Any, profile: ResidentProfile, purpose: str) -> Consent:
    """Revoke the current consent for `purpose`: it takes effect at once (consent_revoked)."""
    _check_not_erased(profile)
    if actor is not None:
        _check(permissions.can_manage_consent(actor, profile))
    purpose = _clean_purpose(purpose)
    consent = (
        Consent.objects.select_for_update().filter(profile=profile, purpose=purpose, revoked_at__isnull=True).first()
    )
    if consent is None:
        raise field_error("purpose", _("Voor dit doel is er geen toestemming om in te trekken."), "none")
    _revoke(actor=actor, consent=consent, profile=profile)
    return consent


# --- measurements --------------------------------------------------------------------------------


def _measurement_purpose(profile: ResidentProfile) -> str:
    for purpose in permissions.MEASUREMENT_PURPOSES:
        if profile.has_consent(purpose):
            return purpose
    raise ValidationError(
        _("Er is geen toestemming voor steun of een warme overdracht; dan kun je geen meting vastleggen."),
        code="no_consent",
    )


def _check_measured_on(measured_on: Any) -> dt.date:
    if not isinstance(measured_on, dt.date) or isinstance(measured_on, dt.datetime):
        raise ValidationError({"measured_on": _("Vul een datum in.")})
    if measured_on > timezone.localdate():
        raise ValidationError({"measured_on": _("Deze datum ligt in de toekomst.")})
    return measured_on


@transaction.atomic
def loneliness_record(
    *, actor: Any, profile: ResidentProfile, version: int, answers: Sequence[Any], measured_on: dt.date
) -> LonelinessMeasurement:
    """Score a De Jong Gierveld questionnaire (people/instruments.py) and store it with its answers."""
    _check_not_erased(profile)
    if actor is not None:
        _check(permissions.can_record_measurement(actor, profile))
    purpose = _measurement_purpose(profile)
    measured_on = _check_measured_on(measured_on)
    try:
        clean = normalise_answers(version, answers)
        score = score_de_jong_gierveld(version, clean)
    except InstrumentError as error:
        raise field_error("answers", error.message, "invalid_answers") from error
    measurement = LonelinessMeasurement.objects.create(
        municipality=profile.municipality,
        profile=profile,
        measured_on=measured_on,
        version=version,
        answers=clean,
        total=score.total,
        emotional=score.emotional,
        social=score.social,
        category=score.category.value if score.category else "",
        recorded_by=person(actor),
    )
    audit_profile(
        actor=actor,
        profile=profile,
        action=AuditAction.CREATE,
        purpose=purpose,
        record_type="people.lonelinessmeasurement",
        detail={"measurement": measurement.pk, "version": version},
    )
    return measurement


@transaction.atomic
def ladder_record(*, actor: Any, profile: ResidentProfile, rung: Any, measured_on: dt.date) -> LadderMeasurement:
    """Record a rung (1-6) of the participatieladder."""
    _check_not_erased(profile)
    if actor is not None:
        _check(permissions.can_record_measurement(actor, profile))
    purpose = _measurement_purpose(profile)
    measured_on = _check_measured_on(measured_on)
    try:
        value = ladder_rung(rung)
    except InstrumentError as error:
        raise field_error("rung", error.message, "invalid_rung") from error
    measurement = LadderMeasurement.objects.create(
        municipality=profile.municipality,
        profile=profile,
        measured_on=measured_on,
        rung=int(value),
        recorded_by=person(actor),
    )
    audit_profile(
        actor=actor,
        profile=profile,
        action=AuditAction.CREATE,
        purpose=purpose,
        record_type="people.laddermeasurement",
        detail={"measurement": measurement.pk},
    )
    return measurement


# --- export and erasure (AVG art. 15, 20 and 17) -------------------------------------------------


def _iso(value: Any) -> Any:
    return value.isoformat() if value is not None else None


def _profile_part(profile: ResidentProfile) -> dict[str, Any]:
    barriers = [
        {"code": barrier.code, "label": barrier.label_nl}
        for barrier in Barrier.objects.filter(municipality=profile.municipality).order_by("bit")
        if profile.barrier_mask & barrier.mask
    ]
    neighbourhood = profile.neighbourhood
    return {
        "key": str(profile.key),
        "name": profile.name,
        "account": profile.user.email if profile.user else None,
        "neighbourhood": {"code": neighbourhood.code, "name": neighbourhood.name} if neighbourhood else None,
        "birth_year_band": profile.birth_year_band or None,
        "isolation_type": profile.isolation_type or None,
        "barriers": barriers,
        "interests": list(profile.interests),
        "languages": list(profile.languages),
        "availability": availability_slots(profile.availability),
        "preferred_types": [t.code for t in profile.preferred_types.order_by("position", "code")],
        "requires_vog": profile.requires_vog,
        "support_wanted_since": _iso(profile.support_wanted_since),
        "created_at": _iso(profile.created_at),
        "erased_at": _iso(profile.erased_at),
    }


def _processing_part(profile: ResidentProfile) -> list[dict[str, Any]]:
    """What was done with the profile and why, from the audit log; never who the others were."""
    return [
        {
            "at": _iso(entry.at),
            "action": entry.action,
            "purpose": entry.purpose,
            "record_type": entry.record_type,
            "by_you": entry.actor_id is not None and entry.actor_id == profile.user_id,
        }
        for entry in AuditEntry.objects.filter(municipality=profile.municipality, record_ref=str(profile.key))
        .order_by("at", "id")
        .only("at", "action", "purpose", "record_type", "actor_id")
    ]


@transaction.atomic
def profile_export(*, actor: Any, profile: ResidentProfile) -> dict[str, Any]:
    """Everything Nabij holds about the resident, as JSON-ready data.

    Other apps add their parts by answering `people.signals.collect_export` with a dict of
    sections (support relations, group memberships, referrals...).
    """
    if actor is not None:
        _check(permissions.can_export_profile(actor, profile))
    municipality = profile.municipality
    data: dict[str, Any] = {
        "format": "nabij-profile-export",
        "format_version": 1,
        "exported_at": timezone.now().isoformat(),
        "municipality": {"code": municipality.code, "name": municipality.name},
        "profile": _profile_part(profile),
        "consents": [
            {
                "purpose": consent.purpose,
                "given_by": consent.given_by,
                "given_at": _iso(consent.given_at),
                "recorded_by": consent.recorded_by.display_name if consent.recorded_by else None,
                "revoked_at": _iso(consent.revoked_at),
            }
            for consent in profile.consents.select_related("recorded_by").order_by("given_at", "pk")
        ],
        "loneliness": [
            {
                "measured_on": _iso(m.measured_on),
                "version": m.version,
                "answers": m.answers,
                "total": m.total,
                "emotional": m.emotional,
                "social": m.social,
                "category": m.category or None,
            }
            for m in profile.loneliness.order_by("measured_on", "pk")
        ],
        "ladder": [
            {"measured_on": _iso(m.measured_on), "rung": m.rung} for m in profile.ladder.order_by("measured_on", "pk")
        ],
        "processing": _processing_part(profile),
    }
    for receiver, part in signals.collect_export.send(sender=ResidentProfile, profile=profile, actor=actor):
        if not isinstance(part, dict):
            continue  # a receiver with nothing to add
        for name, section in part.items():
            if name in data:
                raise ValueError(f"Export section {name!r} of {receiver!r} is taken.")
            data[name] = section
    owner = permissions.is_profile_owner(actor, profile)
    audit_profile(
        actor=actor,
        profile=profile,
        action=AuditAction.EXPORT,
        purpose=AuditPurpose.ACCOUNT if owner else AuditPurpose.ADMINISTRATION,
        detail={"sections": sorted(data)},
    )
    return data


@transaction.atomic
def profile_erase(*, actor: Any, profile: ResidentProfile) -> ResidentProfile:
    """Erase the resident's personal data; keep only the anonymous remainder the monitor needs.

    Kept: the key, municipality, neighbourhood, birth-year band, isolation type, when the profile
    was made and erased, and - only if the resident had consented to monitoring - the scores of
    the measurements (never the answers). Every current consent is revoked first, each with
    `consent_revoked`; then `profile_erased` lets other apps erase their parts. docs/people.md.
    """
    profile = ResidentProfile.objects.select_for_update().get(pk=profile.pk)
    _check_not_erased(profile)
    if actor is not None:
        _check(permissions.can_erase_profile(actor, profile))
    owner = permissions.is_profile_owner(actor, profile)
    keep_scores = profile.has_consent(ConsentPurpose.MONITORING)
    current = list(Consent.objects.select_for_update().filter(profile=profile, revoked_at__isnull=True))
    # One moment for the revocations and the erasure: the monitor recognises a remainder it may count
    # by a monitoring consent revoked at exactly `erased_at` (ProfileQuerySet.monitor_population).
    erased_at = timezone.now()
    for consent in current:
        _revoke(actor=actor, consent=consent, profile=profile, at=erased_at)
    if keep_scores:
        LonelinessMeasurement.objects.filter(profile=profile).update(answers=[], recorded_by=None)
        LadderMeasurement.objects.filter(profile=profile).update(recorded_by=None)
    else:
        # Without consent for monitoring the monitor may not use them: nothing to keep.
        LonelinessMeasurement.objects.filter(profile=profile).delete()
        LadderMeasurement.objects.filter(profile=profile).delete()
    # `given_by` may name a representative; the consent's purpose and dates stay as proof.
    Consent.objects.filter(profile=profile).update(given_by="")
    profile.name = ""
    profile.user = None
    profile.interests = []
    profile.languages = []
    profile.availability = 0
    profile.barrier_mask = 0
    profile.requires_vog = ResidentProfile._meta.get_field("requires_vog").get_default()
    profile.support_wanted_since = None
    profile.created_by = None
    profile.erased_at = erased_at
    profile.save()
    profile.preferred_types.clear()
    audit_profile(
        actor=actor,
        profile=profile,
        action=AuditAction.DELETE,
        purpose=AuditPurpose.ACCOUNT if owner else AuditPurpose.ADMINISTRATION,
        detail={"consents_revoked": len(current), "scores_kept": keep_scores},
    )
    signals.profile_erased.send(sender=ResidentProfile, profile=profile, actor=actor)
    return profile
