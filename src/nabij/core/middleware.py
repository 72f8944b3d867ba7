"""Every request runs in the scope of the municipality named in its URL."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve
from django_scopes import scope, scopes_disabled

from nabij.core import cbs
from nabij.core.models import Municipality


def municipality_from_url_value(value: str) -> Municipality | None:
    """Pages name a municipality by slug (/voorbeeldstad/), the API by CBS code (GM9999)."""
    lookup = {"code": value.upper()} if cbs.MUNICIPALITY_CODE.fullmatch(value.upper()) else {"slug": value}
    return Municipality.objects.filter(is_active=True, **lookup).first()


class MunicipalityScopeMiddleware:
    """Sets `request.municipality` and activates the tenant scope for the whole request.

    A URL without a municipality runs without a scope, so any query on a tenant model
    there raises instead of silently reading all tenants. Only the Django admin, which is
    for platform staff, runs with scopes disabled.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.municipality = None  # type: ignore[attr-defined]
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return self.get_response(request)
        if match.namespace == "admin" or match.app_name == "admin":
            with scopes_disabled():
                return self.get_response(request)
        value = match.kwargs.get("municipality")
        if not value:
            return self.get_response(request)
        municipality = municipality_from_url_value(str(value))
        if municipality is None:
            # Unknown municipality: the view answers 404; a scope that matches nothing
            # keeps tenant queries empty rather than unscoped.
            with scope(municipality=[]):
                return self.get_response(request)
        request.municipality = municipality  # type: ignore[attr-defined]
        with scope(municipality=municipality):
            return self.get_response(request)
