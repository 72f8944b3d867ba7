"""Monitor pages under /<gemeente>/ (namespace `monitor`): each concept has its own URL module."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "monitor"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("nabij.monitor.urls_attendance")),
    path("", include("nabij.monitor.urls_dashboard")),
    path("", include("nabij.monitor.urls_whatif")),
    path("", include("nabij.monitor.urls_coherence")),
    path("", include("nabij.monitor.urls_settings")),
]
