from django.urls import URLPattern, path

from nabij.socialmap.views import wayfinder

urlpatterns: list[URLPattern] = [
    path("wegwijzer/", wayfinder.wayfinder, name="wayfinder"),
    path("wegwijzer/drempels/", wayfinder.wayfinder_barriers, name="wayfinder_barriers"),
    path("wegwijzer/waar/", wayfinder.wayfinder_where, name="wayfinder_where"),
    path("wegwijzer/voor-jou/", wayfinder.wayfinder_results, name="wayfinder_results"),
    path("wegwijzer/opnieuw/", wayfinder.wayfinder_reset, name="wayfinder_reset"),
    path("activiteiten/", wayfinder.activity_list, name="activity_list"),
    path("activiteiten/<uuid:uid>/", wayfinder.activity_detail, name="activity_detail"),
]
