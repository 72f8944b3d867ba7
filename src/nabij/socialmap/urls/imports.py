"""The coordinator's CSV import of activities (docs/import_activities.md)."""

from django.urls import URLPattern, path

from nabij.socialmap.views import imports

urlpatterns: list[URLPattern] = [
    path("beheer/activiteiten-importeren/", imports.activity_import, name="activity_import"),
    path(
        "beheer/activiteiten-importeren/voorbeeld.csv",
        imports.activity_import_example,
        name="activity_import_example",
    ),
]
