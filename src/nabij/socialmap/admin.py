from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from nabij.socialmap.models import (
    Activity,
    Barrier,
    BarrierProfileChange,
    Domain,
    Organisation,
    ParticipationType,
    Place,
    TargetGroup,
    Theme,
)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sphere", "kind", "municipality"]
    list_filter = ["sphere", "kind", "municipality"]
    search_fields = ["name"]


@admin.register(ParticipationType, Domain, Theme)
class CatalogueEntryAdmin(admin.ModelAdmin):
    list_display = ["code", "label_nl", "label_en", "position", "municipality"]
    list_filter = ["municipality"]
    search_fields = ["code", "label_nl", "label_en"]


@admin.register(Barrier)
class BarrierAdmin(admin.ModelAdmin):
    list_display = ["bit", "code", "label_nl", "relational", "municipality"]
    list_filter = ["municipality", "relational"]
    search_fields = ["code", "label_nl"]
    # A bit in use by activity masks must not move.
    readonly_fields = ["bit"]


@admin.register(TargetGroup)
class TargetGroupAdmin(admin.ModelAdmin):
    list_display = ["code", "name_nl", "sensitivity_mask", "municipality"]
    list_filter = ["municipality"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "organisation", "postcode", "neighbourhood", "wheelchair_accessible"]
    list_filter = ["kind", "municipality", "wheelchair_accessible"]
    search_fields = ["name", "street", "postcode"]
    raw_id_fields = ["organisation", "neighbourhood"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["title", "organisation", "participation_type", "status", "barrier_mask", "active_from"]
    list_filter = ["status", "municipality", "action_perspective", "commitment"]
    search_fields = ["title", "description"]
    raw_id_fields = ["organisation", "place", "participation_type"]
    filter_horizontal = ["domains", "themes"]
    readonly_fields = ["barrier_mask", "created_at", "updated_at"]


@admin.register(BarrierProfileChange)
class BarrierProfileChangeAdmin(admin.ModelAdmin):
    """History: read only."""

    list_display = ["at", "activity", "old_mask", "new_mask", "source", "actor"]
    list_filter = ["source", "municipality"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
