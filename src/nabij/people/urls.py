"""The people pages under /<gemeente>/ (namespace `people`): the resident's own data, and the
professional's caseload, profiles and measurements under werk/bewoners/."""

from django.urls import path

from nabij.people.views import professional, resident

app_name = "people"

urlpatterns = [
    path("mijn-gegevens/", resident.my_data, name="my_data"),
    path("mijn-gegevens/toestemming/", resident.my_consent, name="my_consent"),
    path("mijn-gegevens/download/", resident.my_export, name="my_export"),
    path("mijn-gegevens/wissen/", resident.my_erase, name="my_erase"),
    path("werk/bewoners/", professional.caseload, name="caseload"),
    path("werk/bewoners/nieuw/", professional.profile_create, name="profile_create"),
    path("werk/bewoners/<uuid:key>/", professional.profile_detail, name="profile_detail"),
    path("werk/bewoners/<uuid:key>/toestemming/", professional.profile_consent, name="profile_consent"),
    path("werk/bewoners/<uuid:key>/eenzaamheid/", professional.loneliness_record, name="loneliness_record"),
    path("werk/bewoners/<uuid:key>/participatieladder/", professional.ladder_record, name="ladder_record"),
]
