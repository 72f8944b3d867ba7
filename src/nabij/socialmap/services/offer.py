"""Organisations, places and activities: create, change, publish, archive."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.socialmap.models import (
    Activity,
    ActivityStatus,
    BarrierSource,
    Domain,
    Organisation,
    ParticipationType,
    Place,
    Theme,
    barriers_by_code,
)
from nabij.socialmap.services.barriers import _derived_mask, _set_mask
from nabij.socialmap.services.checks import _changes_allowed, _check_editor, _check_not_archived, _resolve


@transaction.atomic
def place_create(*, actor: Any, organisation: Organisation, **fields: Any) -> Place:
    _check_editor(actor, organisation)
    _check_not_archived(organisation)
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
    _check_not_archived(organisation)
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
) - {"created_at", "updated_at", "status"}  # status changes through activity_set_status


@transaction.atomic
def activity_update(
    *,
    actor: Any,
    activity: Activity,
    domains: Iterable[Domain | str] | None = None,
    themes: Iterable[Theme | str] | None = None,
    **changes: Any,
) -> Activity:
    """Change an activity's facts (and domains or themes). Only barriers whose facts changed
    follow; the organiser's drempelscan answers on the other barriers stay as they were."""
    _check_editor(actor, activity.organisation)
    if domains is not None or themes is not None:
        activity_set_classifications(actor=actor, activity=activity, domains=domains, themes=themes)
    if not changes:
        return activity
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


ORGANISATION_EDITABLE = frozenset({"name", "sphere", "kind", "description", "website", "email", "phone"})


PLACE_EDITABLE = frozenset(
    f.name for f in Place._meta.concrete_fields if f.editable and f.name not in {"id", "municipality", "organisation"}
) - {"created_at"}


@transaction.atomic
def organisation_create(*, actor: Any, municipality: Municipality, uid: Any = None, **fields: Any) -> Organisation:
    """A new organisation; `uid` only to keep the public id of an import (HSDS)."""
    if actor is not None and not permissions.can_create_organisation(actor, municipality):
        raise PermissionDenied
    _changes_allowed(fields, ORGANISATION_EDITABLE)
    organisation = Organisation(municipality=municipality, **fields)
    if uid is not None:
        organisation.uid = uid
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
def activity_set_classifications(
    *,
    actor: Any,
    activity: Activity,
    domains: Iterable[Domain | str] | None = None,
    themes: Iterable[Theme | str] | None = None,
) -> bool:
    """Set an activity's domains and/or themes (codes or entries of its municipality).

    Returns whether anything changed; only a change is audited.
    """
    _check_editor(actor, activity.organisation)
    municipality = activity.municipality
    detail: dict[str, list[str]] = {}
    for name, model, values in (("domains", Domain, domains), ("themes", Theme, themes)):
        if values is None:
            continue
        entries = [_resolve(model, municipality, value) for value in values]
        manager = getattr(activity, name)
        if set(manager.values_list("pk", flat=True)) == {entry.pk for entry in entries}:
            continue
        manager.set(entries)
        detail[name] = sorted(entry.code for entry in entries)
    if detail:
        audit(
            actor=actor,
            municipality=municipality,
            action=AuditAction.CHANGE,
            purpose=AuditPurpose.ADMINISTRATION,
            record=activity,
            detail=detail,
        )
    return bool(detail)


def activities_refresh_schedule(*, municipality: Municipality, now: Any = None) -> int:
    """Move `next_start` on for activities whose next session has passed; returns how many changed.

    Not audited: it changes no fact, only the stored summary that sorting by date reads.
    """
    now = now or timezone.now()
    stale = Activity.objects.filter(municipality=municipality, next_start__lt=now).exclude(
        status=ActivityStatus.ARCHIVED
    )
    changed = []
    for activity in stale.iterator(chunk_size=500):
        activity.summarise_schedule(now=now)
        changed.append(activity)
    Activity.objects.bulk_update(changed, ["next_start", "weekdays_mask", "start_minute"], batch_size=500)
    return len(changed)
