"""Composed reads for the core pages and API."""

from __future__ import annotations

from datetime import date

from django.db.models import Count, QuerySet, Sum

from nabij.accounts.models import Role, RoleAssignment
from nabij.core.models import AuditEntry, District, Municipality, Neighbourhood


def active_municipalities() -> QuerySet[Municipality]:
    return Municipality.objects.filter(is_active=True)


def districts_with_counts() -> QuerySet[District]:
    """Districts of the current scope with their neighbourhood count and population sum."""
    return District.objects.annotate(
        neighbourhood_count=Count("neighbourhoods"), neighbourhood_population=Sum("neighbourhoods__population")
    ).order_by("code")


def neighbourhoods_in(district_code: str | None = None) -> QuerySet[Neighbourhood]:
    queryset = Neighbourhood.objects.select_related("district").order_by("code")
    if district_code:
        queryset = queryset.filter(district__code=district_code)
    return queryset


def audit_entries(
    *,
    action: str = "",
    purpose: str = "",
    record_type: str = "",
    since: date | None = None,
    until: date | None = None,
) -> QuerySet[AuditEntry]:
    queryset = AuditEntry.objects.all()
    if action:
        queryset = queryset.filter(action=action)
    if purpose:
        queryset = queryset.filter(purpose=purpose)
    if record_type:
        queryset = queryset.filter(record_type=record_type)
    if since:
        queryset = queryset.filter(at__date__gte=since)
    if until:
        queryset = queryset.filter(at__date__lte=until)
    return queryset.order_by("-at", "-id")


# People with a working role: the contact list professionals use to find each other.
DIRECTORY_ROLES = (Role.SUPPORTER, Role.ORGANISER, Role.PROFESSIONAL, Role.COORDINATOR, Role.ANALYST, Role.ADMIN)


def directory_assignments() -> QuerySet[RoleAssignment]:
    return (
        RoleAssignment.objects.filter(role__in=DIRECTORY_ROLES, user__is_active=True)
        .select_related("user", "organisation")
        .order_by("user__display_name", "role")
    )
