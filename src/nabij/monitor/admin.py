from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nabij.monitor.models import MonitorSettings, Snapshot


@admin.register(MonitorSettings)
class MonitorSettingsAdmin(admin.ModelAdmin):
    list_display = ["municipality", "min_count", "min_base", "walk_metres", "detour_factor"]


@admin.register(Snapshot)
class SnapshotAdmin(admin.ModelAdmin):
    """Read-only: snapshots are computed, never typed in."""

    list_display = ["municipality", "period", "status", "computed_at", "seconds"]
    list_filter = ["municipality", "status"]
    readonly_fields = [
        "municipality",
        "period",
        "status",
        "computed_at",
        "computed_by",
        "task_run",
        "parameters",
        "seconds",
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
