"""Reads of personal data in accounts. Each read by someone else is audited here, not in views."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from nabij.accounts.models import RoleAssignment
from nabij.core import selectors as core_selectors
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditEntry, AuditPurpose, Municipality


def directory_for(*, actor: Any, municipality: Municipality) -> list[RoleAssignment]:
    """The municipality's contact list; the read of these people's data is logged once per view."""
    assignments = list(core_selectors.directory_assignments())
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.READ,
        purpose=AuditPurpose.CONTACT,
        record_type="accounts.directory",
        detail={"people": len({a.user_id for a in assignments})},
    )
    return assignments


def audit_log_for(*, actor: Any, municipality: Municipality, **filters: Any) -> QuerySet[AuditEntry]:
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.READ,
        purpose=AuditPurpose.ACCOUNTABILITY,
        record_type="core.auditentry",
        detail={key: str(value) for key, value in filters.items() if value},
    )
    return core_selectors.audit_entries(**filters)
