"""An activity's barrier profile: derived from its facts, set by the drempelscan or an import.

The mask changes only here, and every change leaves a `BarrierProfileChange` row: the history the
monitor reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose
from nabij.socialmap import catalogue
from nabij.socialmap.models import (
    Activity,
    Barrier,
    BarrierProfileChange,
    BarrierSource,
    Commitment,
    SignUpChannel,
    barriers_by_code,
)
from nabij.socialmap.services.catalogue import mask_for_codes
from nabij.socialmap.services.checks import _check_editor

# An expected group above this size counts as a large or busy group.
CROWDED_ABOVE = 15


def derive_barriers(activity: Activity) -> set[str]:
    """The barriers the activity's facts show. `distance` is per person and never derived here."""
    codes: set[str] = set()
    if activity.cost_cents > 0 and not activity.has_free_option:
        codes.add("cost")
    if activity.registration_required:
        codes.add("registration")
    if activity.commitment in (Commitment.MEMBERSHIP, Commitment.SERIES):
        codes.add("commitment")
    if not activity.who_welcomes_you.strip():
        codes.add("no_host")
    if activity.expected_group_size is not None and activity.expected_group_size > CROWDED_ABOVE:
        codes.add("crowded")
    if activity.level_required:
        codes.add("skills")
    if activity.dutch_language_required:
        codes.add("language")
    # Only a place known not to be accessible; unknown (None) is left to the drempelscan.
    if activity.place is not None and activity.place.wheelchair_accessible is False:
        codes.add("physical")
    if activity.sign_up_channel == SignUpChannel.ONLINE_ONLY:
        codes.add("digital")
    return codes


def _derived_mask(activity: Activity, barriers: Mapping[str, Barrier]) -> int:
    return sum(barriers[code].mask for code in derive_barriers(activity) if code in barriers)


def _set_mask(*, actor: Any, activity: Activity, new_mask: int, source: BarrierSource, always: bool = False) -> None:
    """Store the mask (never a relational barrier's bit) and its history row and audit entry."""
    relational = sum(b.mask for b in Barrier.objects.filter(municipality=activity.municipality_id, relational=True))
    new_mask &= ~relational
    old_mask = activity.barrier_mask
    if new_mask == old_mask and not always:
        return
    activity.barrier_mask = new_mask
    activity.save(update_fields=["barrier_mask", "updated_at"])
    BarrierProfileChange.objects.create(
        municipality_id=activity.municipality_id,
        activity=activity,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        old_mask=old_mask,
        new_mask=new_mask,
        source=source,
    )
    audit(
        actor=actor,
        municipality=activity.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=activity,
        detail={"barrier_mask": {"old": old_mask, "new": new_mask}, "source": str(source)},
    )


@transaction.atomic
def activity_derive_barriers(*, actor: Any, activity: Activity) -> set[str]:
    """Set the derivable barriers to what the facts show; a municipality's own barriers stay."""
    _check_editor(actor, activity.organisation)
    barriers = barriers_by_code(activity.municipality_id)
    derivable = sum(barriers[d.code].mask for d in catalogue.DEFAULT_BARRIERS if d.code in barriers)
    derived = _derived_mask(activity, barriers)
    _set_mask(
        actor=actor,
        activity=activity,
        new_mask=(activity.barrier_mask & ~derivable) | derived,
        source=BarrierSource.DERIVED,
    )
    return derive_barriers(activity)


@dataclass(frozen=True)
class DrempelscanItem:
    code: str
    label: str
    present: bool
    derived: bool  # what the activity's facts show
    suggestion: str  # how to lower it (B1), only for a barrier that is present


@dataclass(frozen=True)
class DrempelscanResult:
    activity: Activity
    old_mask: int
    new_mask: int
    items: list[DrempelscanItem]

    @property
    def present(self) -> list[str]:
        return [item.code for item in self.items if item.present]

    @property
    def suggestions(self) -> dict[str, str]:
        return {item.code: item.suggestion for item in self.items if item.present}


def _suggestion(barrier: Barrier, activity: Activity) -> str:
    """The catalogue's advice, made concrete with the activity's own facts where they help."""
    advice = barrier.advice(get_language() or "nl")
    if barrier.code == "cost" and activity.cost_cents:
        euros = number_format(activity.cost_cents / 100, decimal_pos=2)
        return _("Meedoen kost nu € %(euros)s. %(advice)s") % {"euros": euros, "advice": advice}
    if barrier.code == "crowded" and activity.expected_group_size:
        return _("Je verwacht %(size)d mensen. %(advice)s") % {"size": activity.expected_group_size, "advice": advice}
    return advice


@transaction.atomic
def drempelscan(*, actor: Any, activity: Activity, answers: Mapping[str, bool]) -> DrempelscanResult:
    """The organiser's self-assessment: per barrier present (True) or not (False).

    A barrier without an answer keeps its current state. Sets the mask, writes its history row
    (also when the answers confirm the mask as it was) and returns, per barrier, whether it is
    present and a concrete B1 suggestion to lower it.
    """
    if actor is None or not permissions.can_edit_organisation_offer(actor, activity.organisation):
        raise PermissionDenied
    barriers = barriers_by_code(activity.municipality_id)
    unknown = sorted(code for code in answers if code not in barriers)
    if unknown:
        raise ValidationError(_("Onbekende drempel: %(codes)s.") % {"codes": ", ".join(unknown)})
    relational = sorted(code for code in answers if barriers[code].relational)
    if relational:
        raise ValidationError(
            _("Deze drempel hangt af van waar iemand woont en hoort niet in de drempelscan: %(codes)s.")
            % {"codes": ", ".join(relational)}
        )
    derived = derive_barriers(activity)
    old_mask = activity.barrier_mask
    new_mask = old_mask
    for code, present in answers.items():
        if not isinstance(present, bool):
            raise ValidationError(_("Antwoord per drempel met ja of nee."))
        new_mask = new_mask | barriers[code].mask if present else new_mask & ~barriers[code].mask
    _set_mask(actor=actor, activity=activity, new_mask=new_mask, source=BarrierSource.DREMPELSCAN, always=True)
    items = [
        DrempelscanItem(
            code=barrier.code,
            label=barrier.label(get_language() or "nl"),
            present=bool(activity.barrier_mask & barrier.mask),
            derived=barrier.code in derived,
            suggestion=_suggestion(barrier, activity) if activity.barrier_mask & barrier.mask else "",
        )
        for barrier in sorted(barriers.values(), key=lambda b: b.bit)
        if not barrier.relational
    ]
    return DrempelscanResult(activity=activity, old_mask=old_mask, new_mask=activity.barrier_mask, items=items)


@transaction.atomic
def activity_set_barriers(
    *, actor: Any, activity: Activity, codes: Iterable[str], source: BarrierSource = BarrierSource.DREMPELSCAN
) -> Activity:
    """Set the barrier profile to exactly `codes` (e.g. from an import); relational ones are ignored."""
    _check_editor(actor, activity.organisation)
    _set_mask(
        actor=actor,
        activity=activity,
        new_mask=mask_for_codes(activity.municipality_id, list(codes)),
        source=source,
    )
    return activity
