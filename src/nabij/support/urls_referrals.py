"""Warm hand-over pages under /<gemeente>/overdrachten/ (included by support/urls.py, namespace `support`)."""

from django.urls import URLPattern, path

from nabij.support.views import referrals

urlpatterns: list[URLPattern] = [
    path("overdrachten/", referrals.referral_list, name="referral_list"),
    path("overdrachten/nieuw/", referrals.referral_create, name="referral_create"),
    path("overdrachten/aan-mij/", referrals.referral_received, name="referral_received"),
    path("overdrachten/<int:pk>/", referrals.referral_detail, name="referral_detail"),
    path("overdrachten/<int:pk>/hervatten/", referrals.referral_resume, name="referral_resume"),
    path("overdrachten/<int:pk>/in-de-groep/", referrals.referral_add_to_group, name="referral_add_to_group"),
]
