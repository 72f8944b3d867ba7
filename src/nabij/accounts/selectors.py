"""Reads of personal data in accounts. Each read by someone else is audited here, not in views."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django_scopes import scopes_disabled

from nabij.accounts.models import ApiToken, RoleAssignment, User
from nabij.core import selectors as core_selectors
from nabij.core.audit import audit
from nabij.core.models import AuditAction, AuditEntry, AuditPurpose, Municipality


def directory_for(*, actor: Any, municipality: Municipality) -> list[RoleAssignment]:
    """The municipality's contact list; one audit entry per view names everyone shown, by pseudonym."""
    assignments = list(core_selectors.directory_assignments())
    audit(
        actor=actor,
        municipality=municipality,
        action=AuditAction.READ,
        purpose=AuditPurpose.CONTACT,
        record_type="accounts.directory",
        detail={"people": sorted({a.user.pseudonym for a in assignments})},
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


def roles_by_municipality(user: User) -> dict[str, list[str]]:
    """The user's own roles per active municipality code; reading your own data is not audited."""
    # A user's roles span tenants by nature, so this one read crosses the scope on purpose.
    with scopes_disabled():
        rows = (
            RoleAssignment.objects.filter(user=user, municipality__is_active=True)
            .values_list("municipality__code", "role")
            .order_by("municipality__code", "role")
            .distinct()
        )
        result: dict[str, list[str]] = {}
        for code, role in rows:
            result.setdefault(code, []).append(role)
    return result


def own_role_assignments(user: User) -> list[RoleAssignment]:
    """The user's own roles in every municipality, for their account page; not audited (own data)."""
    with scopes_disabled():
        return list(
            RoleAssignment.objects.filter(user=user)
            .select_related("municipality", "organisation")
            .order_by("municipality__name", "role")
        )


def api_tokens_of(user: User) -> QuerySet[ApiToken]:
    """The user's own API tokens, newest first, revoked and expired ones included."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
