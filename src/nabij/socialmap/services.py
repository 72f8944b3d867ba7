"""Every write on the social map. Keyword-only, atomic, audited (purpose: administration).

`actor` None is the system (the demo, an import); a person must pass `accounts.permissions`.
The barrier mask of an activity changes only here, and every change leaves a
`BarrierProfileChange` row: the history the monitor reads.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.socialmap import catalogue
from nabij.socialmap.models import (
    MAX_BARRIER_BIT,
    Activity,
    ActivityStatus,
    Barrier,
    BarrierProfileChange,
    BarrierSource,
    Commitment,
    Domain,
    Organisation,
    ParticipationType,
    Place,
    SignUpChannel,
    TargetGroup,
    Theme,
    barriers_by_code,
)

# An expected group above this size counts as a large or busy group.
CROWDED_ABOVE = 15
# Bits 0..9 belong to the default barriers; a municipality's own barriers start here.
FIRST_OWN_BIT = len(catalogue.DEFAULT_BARRIERS)


# ---------------------------------------------------------------------------------------------
# Catalogues
# ---------------------------------------------------------------------------------------------


@dataclass
class CatalogueDefaultsResult:
    created: dict[str, int] = field(default_factory=dict)

    @property
    def total(self) -> int:
        return sum(self.created.values())


def _check_catalogue_manager(actor: Any, municipality: Municipality) -> None:
    if actor is not None and not permissions.can_manage_social_map_catalogue(actor, municipality):
        raise PermissionDenied


@transaction.atomic
def catalogue_ensure_defaults(*, municipality: Municipality, actor: Any = None) -> CatalogueDefaultsResult:
    """Create the default barriers, participation types, domains and target groups that are missing.

    Idempotent: running it again creates nothing and changes nothing a municipality edited.
    """
    _check_catalogue_manager(actor, municipality)
    result = CatalogueDefaultsResult()
    barriers = barriers_by_code(municipality)
    new_barriers = [
        Barrier(
            municipality=municipality,
            code=d.code,
            bit=d.bit,
            label_nl=d.label_nl,
            label_en=d.label_en,
            how_to_lower=d.how_to_lower,
            relational=d.relational,
            position=d.bit,
        )
        for d in catalogue.DEFAULT_BARRIERS
        if d.code not in barriers
    ]
    Barrier.objects.bulk_create(new_barriers)
    result.created["barriers"] = len(new_barriers)
    catalogues: tuple[tuple[Any, tuple[catalogue.EntryDefault, ...], str], ...] = (
        (ParticipationType, catalogue.DEFAULT_PARTICIPATION_TYPES, "participation_types"),
        (Domain, catalogue.DEFAULT_DOMAINS, "domains"),
    )
    for model, defaults, key in catalogues:
        existing = set(model.objects.filter(municipality=municipality).values_list("code", flat=True))
        new = [
            model(municipality=municipality, code=d.code, label_nl=d.label_nl, label_en=d.label_en, position=number)
            for number, d in enumerate(defaults)
            if d.code not in existing
        ]
        model.objects.bulk_create(new)
        result.created[key] = len(new)
    barriers = barriers_by_code(municipality)
    existing_groups = set(TargetGroup.objects.filter(municipality=municipality).values_list("code", flat=True))
    new_groups = [
        TargetGroup(
            municipality=municipality,
            code=g.code,
            name_nl=g.name_nl,
            name_en=g.name_en,
            sensitivity_mask=sum(barriers[code].mask for code in g.barriers),
        )
        for g in catalogue.DEFAULT_TARGET_GROUPS
        if g.code not in existing_groups
    ]
    TargetGroup.objects.bulk_create(new_groups)
    result.created["target_groups"] = len(new_groups)
    if result.total:
        audit(
            actor=actor,
            municipality=municipality,
            action=AuditAction.CREATE,
            purpose=AuditPurpose.ADMINISTRATION,
            record_type="socialmap.catalogue",
            record_ref=municipality.code,
            detail={"created": result.created},
        )
    return result


@transaction.atomic
def barrier_create(
    *, actor: Any, municipality: Municipality, code: str, label_nl: str, label_en: str = "", how_to_lower: str = ""
) -> Barrier:
    """A municipality's own barrier, on the lowest free bit from 10 up (at most bit 62)."""
    _check_catalogue_manager(actor, municipality)
    # Serialises bit allocation per municipality (a no-op on SQLite, which locks the database).
    Municipality.objects.select_for_update().filter(pk=municipality.pk).first()
    taken = set(Barrier.objects.filter(municipality=municipality).values_list("bit", flat=True))
    free = [bit for bit in range(FIRST_OWN_BIT, MAX_BARRIER_BIT + 1) if bit not in taken]
    if not free:
        raise ValidationError(
            _("Er passen geen drempels meer bij: deze gemeente heeft er al %(count)d.") % {"count": len(taken)}
        )
    barrier = Barrier(
        municipality=municipality,
        code=code,
        bit=free[0],
        label_nl=label_nl,
        label_en=label_en,
        how_to_lower=how_to_lower,
        position=free[0],
    )
    barrier.full_clean()
    barrier.save()
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=barrier,
        detail={"code": code, "bit": barrier.bit},
    )
    return barrier


def mask_for_codes(municipality: Municipality | int, codes: Iterable[str]) -> int:
    barriers = barriers_by_code(municipality)
    unknown = sorted(set(codes) - set(barriers))
    if unknown:
        raise ValidationError(_("Onbekende drempel: %(codes)s.") % {"codes": ", ".join(unknown)})
    mask = 0
    for code in codes:
        mask |= barriers[code].mask
    return mask


@transaction.atomic
def target_group_create(
    *, actor: Any, municipality: Municipality, code: str, name_nl: str, name_en: str = "", barriers: Iterable[str]
) -> TargetGroup:
    _check_catalogue_manager(actor, municipality)
    group = TargetGroup(
        municipality=municipality,
        code=code,
        name_nl=name_nl,
        name_en=name_en,
        sensitivity_mask=mask_for_codes(municipality, list(barriers)),
    )
    group.full_clean()
    group.save()
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=group,
        detail={"code": code, "sensitivity_mask": group.sensitivity_mask},
    )
    return group


# ---------------------------------------------------------------------------------------------
# Places and activities
# ---------------------------------------------------------------------------------------------


def _check_editor(actor: Any, organisation: Organisation) -> None:
    if actor is not None and not permissions.can_edit_organisation_offer(actor, organisation):
        raise PermissionDenied


@transaction.atomic
def place_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Place:
    _check_editor(actor, organisation)
    place = Place(municipality_id=organisation.municipality_id, organisation=organisation, **fields)
    place.full_clean()
    place.save()
    audit(
        actor=actor,
        municipality=organisation.municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=place,
        detail={"organisation": organisation.pk},
    )
    return place


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


def _resolve(model: Any, municipality: Municipality, value: Any) -> Any:
    """A catalogue entry given as itself or as its code, of this municipality."""
    if isinstance(value, model):
        entry = value
    else:
        entry = model.objects.filter(municipality=municipality, code=value).first()
        if entry is None:
            raise ValidationError(_("Onbekende code: %(code)s.") % {"code": value})
    if entry.municipality_id != municipality.pk:
        raise ValidationError(_("Dit hoort niet bij deze gemeente."))
    return entry


@transaction.atomic
def activity_create(
    *,
    actor: Any,
    organisation: Organisation,
    participation_type: ParticipationType | str,
    domains: Iterable[Domain | str] = (),
    themes: Iterable[Theme | str] = (),
    **fields: Any,
) -> Activity:
    """A new activity; its barrier mask starts as what its facts show."""
    _check_editor(actor, organisation)
    municipality = organisation.municipality
    activity = Activity(
        municipality=municipality,
        organisation=organisation,
        participation_type=_resolve(ParticipationType, municipality, participation_type),
        **fields,
    )
    activity.full_clean()
    activity.save()
    activity.domains.set([_resolve(Domain, municipality, d) for d in domains])
    activity.themes.set([_resolve(Theme, municipality, t) for t in themes])
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=activity,
        detail={"organisation": organisation.pk, "status": activity.status},
    )
    barriers = barriers_by_code(municipality)
    _set_mask(actor=actor, activity=activity, new_mask=_derived_mask(activity, barriers), source=BarrierSource.DERIVED)
    return activity


ACTIVITY_EDITABLE = frozenset(
    f.name
    for f in Activity._meta.concrete_fields
    if f.editable and f.name not in {"id", "municipality", "organisation"}
) - {"created_at", "updated_at"}


@transaction.atomic
def activity_update(*, actor: Any, activity: Activity, **changes: Any) -> Activity:
    """Change an activity's facts. Only barriers whose facts changed follow; the organiser's
    drempelscan answers on the other barriers stay as they were."""
    _check_editor(actor, activity.organisation)
    unknown = sorted(set(changes) - ACTIVITY_EDITABLE)
    if unknown:
        raise ValidationError(_("Deze velden kun je niet wijzigen: %(fields)s.") % {"fields": ", ".join(unknown)})
    barriers = barriers_by_code(activity.municipality_id)
    before = _derived_mask(activity, barriers)
    if "participation_type" in changes:
        changes["participation_type"] = _resolve(
            ParticipationType, activity.municipality, changes["participation_type"]
        )
    for name, value in changes.items():
        setattr(activity, name, value)
    activity.full_clean()
    activity.save()
    after = _derived_mask(activity, barriers)
    audit(
        actor=actor,
        municipality=activity.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=activity,
        detail={"fields": sorted(changes)},
    )
    new_mask = (activity.barrier_mask & ~(before & ~after)) | (after & ~before)
    _set_mask(actor=actor, activity=activity, new_mask=new_mask, source=BarrierSource.DERIVED)
    return activity


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


# ---------------------------------------------------------------------------------------------
# Drempelscan
# ---------------------------------------------------------------------------------------------


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
    advice = barrier.how_to_lower
    if barrier.code == "cost" and activity.cost_cents:
        euros = f"{activity.cost_cents / 100:.2f}".replace(".", ",")
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
            label=barrier.label_nl,
            present=bool(activity.barrier_mask & barrier.mask),
            derived=barrier.code in derived,
            suggestion=_suggestion(barrier, activity) if activity.barrier_mask & barrier.mask else "",
        )
        for barrier in sorted(barriers.values(), key=lambda b: b.bit)
        if not barrier.relational
    ]
    return DrempelscanResult(activity=activity, old_mask=old_mask, new_mask=activity.barrier_mask, items=items)


# ---------------------------------------------------------------------------------------------
# Organisations, and the life cycle of places and activities
# ---------------------------------------------------------------------------------------------

ORGANISATION_EDITABLE = frozenset({"name", "sphere", "kind", "description", "website", "email", "phone"})
PLACE_EDITABLE = frozenset(
    f.name for f in Place._meta.concrete_fields if f.editable and f.name not in {"id", "municipality", "organisation"}
) - {"created_at"}


def _changes_allowed(changes: Mapping[str, Any], allowed: frozenset[str]) -> None:
    unknown = sorted(set(changes) - allowed)
    if unknown:
        raise ValidationError(_("Deze velden kun je niet wijzigen: %(fields)s.") % {"fields": ", ".join(unknown)})


@transaction.atomic
def organisation_create(*, actor: Any, municipality: Municipality, **fields: Any) -> Organisation:
    if actor is not None and not permissions.can_create_organisation(actor, municipality):
        raise PermissionDenied
    _changes_allowed(fields, ORGANISATION_EDITABLE)
    organisation = Organisation(municipality=municipality, **fields)
    organisation.full_clean()
    organisation.save()
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CREATE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=organisation,
        detail={"sphere": organisation.sphere, "kind": organisation.kind},
    )
    return organisation


@transaction.atomic
def organisation_update(*, actor: Any, organisation: Organisation, **changes: Any) -> Organisation:
    if actor is not None and not permissions.can_edit_organisation(actor, organisation):
        raise PermissionDenied
    _changes_allowed(changes, ORGANISATION_EDITABLE)
    for name, value in changes.items():
        setattr(organisation, name, value)
    organisation.full_clean()
    organisation.save()
    audit(
        actor=actor,
        municipality=organisation.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=organisation,
        detail={"fields": sorted(changes)},
    )
    return organisation


@transaction.atomic
def organisation_archive(*, actor: Any, organisation: Organisation) -> Organisation:
    """Archive the organisation with its places and activities; nothing is deleted."""
    if actor is not None and not permissions.can_archive_organisation(actor, organisation):
        raise PermissionDenied
    if organisation.archived_at is not None:
        return organisation
    now = timezone.now()
    organisation.archived_at = now
    organisation.save(update_fields=["archived_at"])
    places = Place.objects.filter(organisation=organisation, archived_at__isnull=True).update(archived_at=now)
    activities = (
        Activity.objects.filter(organisation=organisation)
        .exclude(status=ActivityStatus.ARCHIVED)
        .update(status=ActivityStatus.ARCHIVED, updated_at=now)
    )
    audit(
        actor=actor,
        municipality=organisation.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=organisation,
        detail={"archived": True, "places": places, "activities": activities},
    )
    return organisation


@transaction.atomic
def place_update(*, actor: Any, place: Place, **changes: Any) -> Place:
    """Change a place; activities there follow a changed wheelchair fact in their derived barriers."""
    _check_editor(actor, place.organisation)
    _changes_allowed(changes, PLACE_EDITABLE)
    for name, value in changes.items():
        setattr(place, name, value)
    place.full_clean()
    place.save()
    audit(
        actor=actor,
        municipality=place.organisation.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=place,
        detail={"fields": sorted(changes)},
    )
    if "wheelchair_accessible" in changes:
        barriers = barriers_by_code(place.municipality_id)
        physical = barriers["physical"].mask if "physical" in barriers else 0
        for activity in Activity.objects.filter(place=place).select_related("place"):
            derived = _derived_mask(activity, barriers) & physical
            _set_mask(
                actor=actor,
                activity=activity,
                new_mask=(activity.barrier_mask & ~physical) | derived,
                source=BarrierSource.DERIVED,
            )
    return place


@transaction.atomic
def place_archive(*, actor: Any, place: Place) -> Place:
    """Archive a place. Activities there keep it (their history), but it is no longer offered."""
    _check_editor(actor, place.organisation)
    if place.archived_at is None:
        place.archived_at = timezone.now()
        place.save(update_fields=["archived_at"])
        audit(
            actor=actor,
            municipality=place.organisation.municipality,
            action=AuditAction.CHANGE,
            purpose=AuditPurpose.ADMINISTRATION,
            record=place,
            detail={"archived": True},
        )
    return place


@transaction.atomic
def activity_set_status(*, actor: Any, activity: Activity, status: ActivityStatus | str) -> Activity:
    """Publish, move back to draft, or archive an activity."""
    _check_editor(actor, activity.organisation)
    if status not in ActivityStatus.values:
        raise ValidationError(_("Onbekende status: %(status)s.") % {"status": status})
    if status == ActivityStatus.PUBLISHED and activity.organisation.archived_at is not None:
        raise ValidationError(_("De organisatie is gearchiveerd; haar activiteiten kun je niet publiceren."))
    if activity.status == status:
        return activity
    old = activity.status
    activity.status = str(status)
    activity.save(update_fields=["status", "updated_at"])
    audit(
        actor=actor,
        municipality=activity.municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=activity,
        detail={"status": {"old": old, "new": str(status)}},
    )
    return activity


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
