"""Coordinator pages under /<gemeente>/beheer/ (namespace `socialmap`)."""

from django.urls import URLPattern, path

from nabij.socialmap.views import coordinator

urlpatterns: list[URLPattern] = [
    path("beheer/drempeltabel/", coordinator.barrier_table_page, name="barrier_table"),
    path("beheer/drempeltabel/csv/", coordinator.barrier_table_csv, name="barrier_table_csv"),
    path("beheer/drempels/", coordinator.barrier_catalogue, name="barrier_catalogue"),
]
