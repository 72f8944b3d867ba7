"""Monitor pages: the dashboard (overview, indicator pages, CSV and PDF of a period).

A period in a URL is matched by its pattern (2026, 2026-Q3, 2026-07), so the words other monitor
pages use under /monitor/ never look like a period.
"""

from django.urls import URLPattern, path, re_path

from nabij.monitor.views import dashboard

PERIOD = r"(?P<period>\d{4}(?:-Q[1-4]|-(?:0[1-9]|1[0-2]))?)"

urlpatterns: list[URLPattern] = [
    path("monitor/", dashboard.overview, name="dashboard"),
    path("monitor/opnieuw-berekenen/", dashboard.compute, name="dashboard_compute"),
    re_path(rf"^monitor/{PERIOD}/$", dashboard.overview, name="dashboard_period"),
    re_path(rf"^monitor/{PERIOD}/cijfers\.csv$", dashboard.snapshot_csv, name="dashboard_csv"),
    re_path(rf"^monitor/{PERIOD}/rapport\.pdf$", dashboard.snapshot_pdf, name="dashboard_pdf"),
    re_path(rf"^monitor/{PERIOD}/(?P<code>[a-z_]+)/$", dashboard.indicator_page, name="dashboard_indicator"),
]
