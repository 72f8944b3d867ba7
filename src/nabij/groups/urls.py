"""Group pages under /<gemeente>/ (namespace `groups`)."""

from django.urls import URLPattern, path

from nabij.groups.views import coordinator, manage, resident

app_name = "groups"

urlpatterns: list[URLPattern] = [
    path("mijn-groep/", resident.my_groups, name="my_groups"),
    path("mijn-groep/<uuid:uid>/meedoen/", resident.join, name="join"),
    path("mijn-groep/<uuid:uid>/stoppen/", resident.leave, name="leave"),
    path("groepen/", manage.group_list, name="group_list"),
    path("groepen/nieuw/", manage.group_create, name="group_create"),
    path("groepen/<uuid:uid>/", manage.group_detail, name="group_detail"),
    path("groepen/<uuid:uid>/bewerken/", manage.group_update, name="group_update"),
    path("groepen/<uuid:uid>/stoppen/", manage.group_end, name="group_end"),
    path("groepen/<uuid:uid>/leden/", manage.member_add, name="member_add"),
    path("groepen/<uuid:uid>/leden/<int:membership_id>/", manage.member_change, name="member_change"),
    path("beheer/groepen/", coordinator.group_signals, name="signals"),
]
