"""Public iCalendar (RFC 5545) feeds; docs/api.md, section "Calendar feeds"."""

from django.urls import URLPattern, path

from nabij.socialmap.views import feeds

urlpatterns: list[URLPattern] = [
    path("activiteiten/<uuid:uid>/agenda.ics", feeds.activity_ical, name="activity_ical"),
    path("organisaties/<uuid:uid>/agenda.ics", feeds.organisation_ical, name="organisation_ical"),
    path("buurten/<str:code>/agenda.ics", feeds.neighbourhood_ical, name="neighbourhood_ical"),
]
