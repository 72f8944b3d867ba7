from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from nabij.accounts.models import ApiToken, RoleAssignment, User


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    fk_name = "user"
    extra = 0
    autocomplete_fields = ["municipality", "organisation"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["email"]
    list_display = ["email", "display_name", "is_active", "is_staff", "last_login"]
    search_fields = ["email", "display_name"]
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Profiel", {"fields": ("display_name", "preferred_language")}),
        ("Rechten", {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")}),
        ("Data", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("email", "display_name", "password1", "password2")}),)
    inlines = [RoleInline]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["name", "user", "prefix", "created_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "key_hash", "created_at", "last_used_at"]
    search_fields = ["name", "prefix", "user__email"]
