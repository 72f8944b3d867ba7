"""Writing the audit log. Services call `audit()`; nothing else writes AuditEntry rows."""

from __future__ import annotations

from typing import Any

from django.db import models

from nabij.core.models import AuditAction, AuditEntry, AuditPurpose, Municipality


def pseudonymous_ref(instance: models.Model) -> str:
    """A record's reference for the log: its pseudonym where it has one, else its key."""
    pseudonym = getattr(instance, "pseudonym", None)
    return str(pseudonym) if pseudonym else str(instance.pk)


def audit(
    *,
    actor: Any,
    municipality: Municipality,
    action: AuditAction | str,
    purpose: AuditPurpose | str,
    record: models.Model | None = None,
    record_type: str = "",
    record_ref: str = "",
    detail: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry. `detail` must hold no names or contact data, only codes and counts."""
    if record is not None:
        record_type = record_type or record._meta.label_lower
        record_ref = record_ref or pseudonymous_ref(record)
    if not record_type:
        raise ValueError("An audit entry needs a record or a record_type.")
    authenticated = actor is not None and getattr(actor, "is_authenticated", False)
    return AuditEntry.objects.create(
        actor=actor if authenticated else None,
        actor_ref=actor.pseudonym if authenticated else "system",
        municipality=municipality,
        action=action,
        purpose=purpose,
        record_type=record_type,
        record_ref=record_ref,
        detail=detail or {},
    )
