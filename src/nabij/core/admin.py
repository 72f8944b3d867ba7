from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nabij.core.models import AuditEntry, District, Municipality, Neighbourhood, TaskRun


@admin.register(Municipality)
class MunicipalityAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "slug", "population", "is_active"]
    search_fields = ["code", "name"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "municipality", "population"]
    list_filter = ["municipality"]
    search_fields = ["code", "name"]


@admin.register(Neighbourhood)
class NeighbourhoodAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "district", "population"]
    list_filter = ["municipality"]
    search_fields = ["code", "name"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: nobody changes the audit log through the product."""

    list_display = ["at", "actor_ref", "action", "record_type", "record_ref", "purpose", "municipality"]
    list_filter = ["action", "purpose", "municipality"]
    search_fields = ["record_ref", "actor_ref", "record_type"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TaskRun)
class TaskRunAdmin(admin.ModelAdmin):
    list_display = ["name", "status", "progress_done", "progress_total", "created_at", "finished_at"]
    list_filter = ["status", "name"]
