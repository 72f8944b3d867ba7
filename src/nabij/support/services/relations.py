"""Support relations: proposed → introduced → active → ended (with a reason), and contact moments.

The supporter moves their own relation on and logs contact; a coordinator may move it on or end
it too. Each step is one transaction on the locked relation, audited with the purpose support.
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
from nabij.people.models import ConsentPurpose, ResidentProfile
from nabij.support.models import (
    OPEN_STATUSES,
    ContactKind,
    ContactMoment,
    EndReason,
    MatchProposal,
    ProposalDecision,
    RelationStatus,
    Supporter,
    SupportRelation,
)
from nabij.support.selectors import today

NEXT_STATUS = {
    RelationStatus.PROPOSED: RelationStatus.INTRODUCED,
    RelationStatus.INTRODUCED: RelationStatus.ACTIVE,
}
# After these endings the participant no longer waits for a supporter; after the others they do.
STOPS_WAITING = (EndReason.GOAL_REACHED, EndReason.PARTICIPANT_STOPPED, EndReason.CONSENT_REVOKED)
NOTE_LENGTH = 280


def _person(actor: Any) -> Any:
    return actor if getattr(actor, "is_authenticated", False) else None


def _audit(actor: Any, relation: SupportRelation, action: AuditAction, **detail: Any) -> None:
    audit(
        actor=actor,
        municipality=relation.municipality,
        action=action,
        purpose=AuditPurpose.SUPPORT,
        record=relation,
        detail={"participant": str(relation.participant.key), "supporter": relation.supporter_id, **detail},
    )


def _locked(relation: SupportRelation) -> SupportRelation:
    return (
        SupportRelation.objects.select_for_update()
        .select_related("participant", "supporter", "municipality")
        .get(pk=relation.pk)
    )


def _check_day(day: Any, field: str, *, not_before: dt.date | None = None) -> dt.date:
    if not isinstance(day, dt.date):
        raise ValidationError({field: _("Vul een datum in.")})
    if day > today():
        raise ValidationError({field: _("Deze datum ligt in de toekomst.")})
    if not_before is not None and day < not_before:
        raise ValidationError(
            {field: _("Deze datum ligt voor het begin van de koppeling (%(day)s).") % {"day": not_before}}
        )
    return day


def _begin(relation: SupportRelation) -> dt.date:
    return timezone.localtime(relation.proposed_at).date()


@transaction.atomic
def relation_create(
    *,
    actor: Any,
    participant: ResidentProfile,
    supporter: Supporter,
    explanation: str = "",
    holding: MatchProposal | None = None,
) -> SupportRelation:
    """A proposed relation, checked again now: consent, no other open relation, room, the VOG rule.

    `holding`: the pending proposal that reserved the supporter's slot, so it is not counted twice.
    """
    municipality = supporter.municipality
    if actor is not None and not permissions.can_manage_support(actor, municipality):
        raise PermissionDenied
    # Lock the supporter: two confirmations at once must not both take the last slot.
    supporter = Supporter.objects.select_for_update().get(pk=supporter.pk)
    participant = ResidentProfile.objects.select_for_update().get(pk=participant.pk)
    if participant.municipality_id != municipality.pk:
        raise ValidationError(_("Deelnemer en maatje horen niet bij dezelfde gemeente."))
    if participant.erased_at is not None or not participant.has_consent(ConsentPurpose.SUPPORT):
        raise ValidationError(_("Deze deelnemer heeft (nu) geen toestemming voor steun en koppelen."))
    if SupportRelation.objects.filter(participant=participant, status__in=OPEN_STATUSES).exists():
        raise ValidationError(_("Deze deelnemer heeft al een maatje."))
    if not supporter.active:
        raise ValidationError(_("Dit maatje neemt geen nieuwe deelnemers aan."))
    open_relations = SupportRelation.objects.filter(supporter=supporter, status__in=OPEN_STATUSES).count()
    pending = MatchProposal.objects.filter(supporter=supporter, decision=ProposalDecision.PENDING)
    held = (pending.exclude(pk=holding.pk) if holding else pending).count()
    if open_relations + held >= supporter.capacity:
        raise ValidationError(_("Dit maatje heeft geen ruimte meer voor nog een deelnemer."))
    if participant.requires_vog and not supporter.vog_valid_on(today()):
        raise ValidationError(_("Deze deelnemer heeft een maatje met een geldige VOG nodig."))
    relation = SupportRelation.objects.create(
        municipality=municipality,
        participant=participant,
        supporter=supporter,
        status=RelationStatus.PROPOSED,
        explanation=explanation,
        requested_at=participant.support_wanted_since,
        created_by=_person(actor),
    )
    _audit(actor, relation, AuditAction.CREATE, status=relation.status)
    return relation


@transaction.atomic
def relation_advance(*, actor: Any, relation: SupportRelation, on: dt.date | None = None) -> SupportRelation:
    """One step on: proposed → introduced (they met), introduced → active (`on` is the start)."""
    relation = _locked(relation)
    if actor is not None and not permissions.can_change_support_relation(actor, relation):
        raise PermissionDenied
    if relation.status not in NEXT_STATUS:
        raise ValidationError(_("Deze koppeling kan niet verder: ze is al actief of beëindigd."))
    relation.status = NEXT_STATUS[RelationStatus(relation.status)]
    if relation.status == RelationStatus.ACTIVE:
        relation.started_on = _check_day(on or today(), "started_on", not_before=_begin(relation))
    relation.save(update_fields=["status", "started_on"])
    _audit(actor, relation, AuditAction.CHANGE, status=relation.status)
    return relation


def relation_introduce(*, actor: Any, relation: SupportRelation) -> SupportRelation:
    if relation.status != RelationStatus.PROPOSED:
        raise ValidationError(_("Alleen een voorgestelde koppeling kan naar kennisgemaakt."))
    return relation_advance(actor=actor, relation=relation)


def relation_activate(*, actor: Any, relation: SupportRelation, started_on: dt.date | None = None) -> SupportRelation:
    if relation.status != RelationStatus.INTRODUCED:
        raise ValidationError(_("Eerst kennismaken, dan pas actief."))
    return relation_advance(actor=actor, relation=relation, on=started_on)


@transaction.atomic
def relation_end(
    *, actor: Any, relation: SupportRelation, reason: str, ended_on: dt.date | None = None
) -> SupportRelation:
    relation = _locked(relation)
    if actor is not None and not permissions.can_change_support_relation(actor, relation):
        raise PermissionDenied
    return _end(actor, relation, reason, ended_on)


def _end(actor: Any, relation: SupportRelation, reason: str, ended_on: dt.date | None) -> SupportRelation:
    if relation.status == RelationStatus.ENDED:
        raise ValidationError(_("Deze koppeling is al beëindigd."))
    if reason not in EndReason.values:
        raise ValidationError({"end_reason": _("Kies een reden uit de lijst.")})
    relation.ended_on = _check_day(ended_on or today(), "ended_on", not_before=_begin(relation))
    relation.status = RelationStatus.ENDED
    relation.end_reason = reason
    relation.save(update_fields=["status", "ended_on", "end_reason"])
    participant = relation.participant
    waiting = reason not in STOPS_WAITING
    if waiting and participant.support_wanted_since is None and participant.erased_at is None:
        # The match did not work out: back on the waiting list, from today.
        participant.support_wanted_since = timezone.now()
        participant.save(update_fields=["support_wanted_since"])
    elif not waiting and participant.support_wanted_since is not None:
        participant.support_wanted_since = None
        participant.save(update_fields=["support_wanted_since"])
    _audit(actor, relation, AuditAction.CHANGE, status=relation.status, reason=reason, waiting=waiting)
    return relation


@transaction.atomic
def relations_end_for_profile(*, actor: Any, profile: ResidentProfile, reason: str) -> int:
    """End every open relation of a participant, as of today (e.g. their consent was revoked).

    No permission check: the cause (a revocation) was checked by the service that sent it, and
    its actor (possibly the resident) is who the audit log names.
    """
    ended = 0
    for relation in SupportRelation.objects.filter(participant=profile, status__in=OPEN_STATUSES):
        _end(actor, _locked(relation), reason, None)
        ended += 1
    return ended


@transaction.atomic
def contact_log(*, actor: Any, relation: SupportRelation, on: dt.date, kind: str, note: str = "") -> ContactMoment:
    """The supporter records that there was contact (not what was said: the note is short)."""
    relation = _locked(relation)
    if actor is not None and not permissions.can_log_contact(actor, relation):
        raise PermissionDenied
    if relation.status == RelationStatus.ENDED:
        raise ValidationError(_("Deze koppeling is beëindigd. Je kunt geen contact meer vastleggen."))
    on = _check_day(on, "on", not_before=_begin(relation))
    if kind not in ContactKind.values:
        raise ValidationError({"kind": _("Kies wat voor contact het was.")})
    note = " ".join(str(note or "").split())
    if len(note) > NOTE_LENGTH:
        raise ValidationError(
            {"note": _("Maak de notitie korter: hoogstens %(count)s tekens.") % {"count": NOTE_LENGTH}}
        )
    moment = ContactMoment.objects.create(
        municipality=relation.municipality,
        relation=relation,
        on=on,
        kind=kind,
        note=note,
        logged_by=_person(actor),
    )
    audit(
        actor=actor,
        municipality=relation.municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.SUPPORT,
        record=moment,
        detail={"relation": relation.pk, "participant": str(relation.participant.key), "kind": kind},
    )
    return moment


@transaction.atomic
def relations_forget_profile(*, profile: ResidentProfile) -> None:
    """After erasure: notes and explanations may say something about the resident; they go."""
    ContactMoment.objects.filter(relation__participant=profile).update(note="")
    SupportRelation.objects.filter(participant=profile).update(explanation="")
    MatchProposal.objects.filter(participant=profile).update(explanation="")
