from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from nabij.accounts import permissions
from nabij.accounts.models import Role
from nabij.core.models import Municipality

# What the navigation and the home page offer around people, support and groups.
PEOPLE_FLAGS = (
    "can_work_with_profiles",
    "can_refer",
    "can_start_group",
    "can_read_group_signals",
    "can_manage_support",
    "is_supporter",
    "is_resident",
    "receives_referrals",
)


def nabij(request: HttpRequest) -> dict[str, Any]:
    municipality: Municipality | None = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    # The navigation asks the permission helpers, so no template restates who may see what.
    can_read_audit_log = can_read_directory = can_import_areas = False
    can_organise = can_read_barrier_table = can_manage_catalogue = can_import_activities = False
    can_read_monitor = can_change_monitor_settings = False
    people_flags = dict.fromkeys(PEOPLE_FLAGS, False)
    if municipality is not None and user is not None and user.is_authenticated:
        can_read_audit_log = permissions.can_read_audit_log(user, municipality)
        can_read_directory = permissions.can_read_directory(user, municipality)
        can_import_areas = permissions.can_import_areas(user, municipality)
        can_organise = permissions.organisations_edited_by(user, municipality) != []
        can_read_barrier_table = permissions.can_read_barrier_table(user, municipality)
        can_read_monitor = permissions.can_read_monitor(user, municipality)
        can_change_monitor_settings = permissions.can_change_monitor_settings(user, municipality)
        can_manage_catalogue = permissions.can_manage_social_map_catalogue(user, municipality)
        can_import_activities = permissions.can_import_activities(user, municipality)
        roles = permissions.roles_in(user, municipality)
        people_flags = {
            "can_work_with_profiles": permissions.can_work_with_profiles(user, municipality),
            "can_refer": permissions.can_refer(user, municipality),
            "can_start_group": permissions.can_start_group(user, municipality),
            "can_read_group_signals": permissions.can_read_group_signals(user, municipality),
            "can_manage_support": permissions.can_manage_support(user, municipality),
            "is_supporter": permissions.is_supporter_in(user, municipality),
            "is_resident": Role.RESIDENT in roles,
            "receives_referrals": bool(roles & set(permissions.REFERRAL_RECEIVER_ROLES)),
        }
    return {
        "current_municipality": municipality,
        "current_roles": permissions.roles_in(user, municipality) if user is not None else frozenset(),
        "can_read_audit_log": can_read_audit_log,
        "can_read_directory": can_read_directory,
        "can_import_areas": can_import_areas,
        "can_organise": can_organise,
        "can_read_barrier_table": can_read_barrier_table,
        "can_read_monitor": can_read_monitor,
        "can_change_monitor_settings": can_change_monitor_settings,
        "can_manage_social_map_catalogue": can_manage_catalogue,
        "can_import_activities": can_import_activities,
        **people_flags,
        "nabij_env": settings.NABIJ_ENV,
        "theme_css": settings.NABIJ_THEME_CSS,
        "theme_class": settings.NABIJ_THEME_CLASS,
    }
