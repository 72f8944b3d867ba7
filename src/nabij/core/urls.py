from django.urls import path

from nabij.core import views

app_name = "core"

urlpatterns = [
    path("", views.municipality_home, name="municipality_home"),
    path("beheer/auditlog/", views.audit_log, name="audit_log"),
    path("beheer/mensen/", views.directory, name="directory"),
    path("beheer/gebieden/", views.area_import, name="area_import"),
]
