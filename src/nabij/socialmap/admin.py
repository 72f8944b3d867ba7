from django.contrib import admin

from nabij.socialmap.models import Organisation


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "sphere", "kind", "municipality"]
    list_filter = ["sphere", "kind", "municipality"]
    search_fields = ["name"]
