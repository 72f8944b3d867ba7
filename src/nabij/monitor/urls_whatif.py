"""Monitor pages: the coverage what-if."""

from django.urls import URLPattern, path

from nabij.monitor.views import whatif

urlpatterns: list[URLPattern] = [
    path("monitor/wat-als/", whatif.whatif_page, name="whatif"),
]
