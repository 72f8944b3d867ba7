"""Core models: tenancy and geography, the audit log, background task runs."""

from nabij.core.models.audit import AuditAction, AuditEntry, AuditPurpose
from nabij.core.models.geography import District, Municipality, Neighbourhood
from nabij.core.models.tasks import TaskRun, TaskStatus

__all__ = [
    "AuditAction",
    "AuditEntry",
    "AuditPurpose",
    "District",
    "Municipality",
    "Neighbourhood",
    "TaskRun",
    "TaskStatus",
]
