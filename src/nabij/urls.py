from django.contrib import admin
from django.urls import include, path
from django_otp.admin import OTPAdminSite

from nabij.api import api
from nabij.core import views as core_views

# The admin shows every tenant's data, so platform staff must pass TOTP there too
# (they set up their authenticator app at /account/tweede-stap/ first).
admin.site.__class__ = OTPAdminSite

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("account/", include("nabij.accounts.urls")),
    path("taken/<uuid:run_id>/", core_views.task_progress, name="task_progress"),
    path("", core_views.landing, name="home"),
    path("<slug:municipality>/", include("nabij.core.urls")),
    path("<slug:municipality>/", include("nabij.socialmap.urls")),
    path("<slug:municipality>/", include("nabij.support.urls")),
    path("<slug:municipality>/", include("nabij.people.urls")),
    path("<slug:municipality>/", include("nabij.groups.urls")),
    path("<slug:municipality>/", include("nabij.monitor.urls")),
]
