"""Organiser pages under /<gemeente>/organiseren/ (namespace `socialmap`)."""

from django.urls import URLPattern, path

from nabij.socialmap.views import organiser, organiser_activities, organiser_places

urlpatterns: list[URLPattern] = [
    path("organiseren/", organiser.organiser_home, name="organiser_home"),
    path("organiseren/organisaties/nieuw/", organiser.organisation_create, name="organisation_create"),
    path("organiseren/organisaties/<uuid:uid>/", organiser.organisation_detail, name="organisation_detail"),
    path("organiseren/organisaties/<uuid:uid>/bewerken/", organiser.organisation_update, name="organisation_update"),
    path(
        "organiseren/organisaties/<uuid:uid>/archiveren/", organiser.organisation_archive, name="organisation_archive"
    ),
    path("organiseren/organisaties/<uuid:uid>/plekken/nieuw/", organiser_places.place_create, name="place_create"),
    path("organiseren/plekken/<uuid:uid>/", organiser_places.place_update, name="place_update"),
    path("organiseren/plekken/<uuid:uid>/archiveren/", organiser_places.place_archive, name="place_archive"),
    path(
        "organiseren/organisaties/<uuid:uid>/activiteiten/nieuw/",
        organiser_activities.activity_create,
        name="activity_create",
    ),
    path("organiseren/activiteiten/<uuid:uid>/", organiser_activities.activity_update, name="activity_update"),
    path("organiseren/activiteiten/<uuid:uid>/status/", organiser_activities.activity_status, name="activity_status"),
    path("organiseren/activiteiten/<uuid:uid>/drempelscan/", organiser_activities.drempelscan, name="drempelscan"),
    path(
        "organiseren/activiteiten/<uuid:uid>/drempelscan/uitslag/",
        organiser_activities.drempelscan_result,
        name="drempelscan_result",
    ),
    path(
        "organiseren/activiteiten/<uuid:uid>/geschiedenis/",
        organiser_activities.activity_history,
        name="activity_history",
    ),
]
