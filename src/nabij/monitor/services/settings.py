"""Changing a municipality's monitor settings: thresholds of small-cell protection, walking distance."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from nabij.accounts import permissions
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditPurpose, Municipality
from nabij.monitor.models import MonitorSettings

FIELDS = ("min_count", "min_base", "walk_metres", "detour_factor")


@transaction.atomic
def monitor_settings_update(*, actor: Any, municipality: Municipality, **values: Any) -> MonitorSettings:
    """Save the settings (validated by the model's validators). Existing snapshots keep the values they
    were computed with (`Snapshot.parameters`); the next snapshot uses the new ones."""
    if actor is not None and not permissions.can_change_monitor_settings(actor, municipality):
        raise PermissionDenied
    unknown = set(values) - set(FIELDS)
    if unknown:
        raise TypeError(f"unknown monitor settings: {sorted(unknown)}")
    settings, _created = MonitorSettings.objects.select_for_update().get_or_create(municipality=municipality)
    before = {field: getattr(settings, field) for field in FIELDS}
    for field, value in values.items():
        setattr(settings, field, value)
    settings.full_clean()
    settings.save()
    changed = {
        field: [before[field], getattr(settings, field)]
        for field in FIELDS
        if before[field] != getattr(settings, field)
    }
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.CHANGE,
        purpose=AuditPurpose.ADMINISTRATION,
        record=settings,
        detail={"changed": changed},
    )
    return settings
