"""Monitor pages: settings."""

from django.urls import URLPattern, path

from nabij.monitor.views import settings

urlpatterns: list[URLPattern] = [
    path("monitor/instellingen/", settings.settings_page, name="settings"),
]
