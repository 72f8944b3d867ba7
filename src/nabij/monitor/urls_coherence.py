"""Monitor pages: coherence (the network of activities)."""

from django.urls import URLPattern, path

from nabij.monitor.views import coherence

urlpatterns: list[URLPattern] = [
    path("monitor/samenhang/", coherence.coherence_page, name="coherence"),
]
