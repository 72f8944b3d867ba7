"""The social map's pages under /<gemeente>/: one URL module per audience, one namespace."""

from nabij.socialmap.urls import coordinator, feeds, imports, organiser, wayfinder

app_name = "socialmap"

urlpatterns = [
    *wayfinder.urlpatterns,
    *organiser.urlpatterns,
    *coordinator.urlpatterns,
    *feeds.urlpatterns,
    *imports.urlpatterns,
]
