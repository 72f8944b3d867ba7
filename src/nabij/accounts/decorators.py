"""View decorators that apply the permission helpers the same way on every page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from nabij.accounts import permissions

View = Callable[..., HttpResponse]


def municipality_page(*roles: str, personal_data: bool = False) -> Callable[[View], View]:
    """A page inside a municipality.

    - unknown municipality → 404;
    - `roles` given: anonymous → login; no such role in *this* municipality → 404, so a
      member of another municipality cannot even learn that the page exists;
    - `personal_data`: a user whose role requires it must pass the second factor first.
    """

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            municipality = getattr(request, "municipality", None)
            if municipality is None:
                raise Http404
            if roles or personal_data:
                if not request.user.is_authenticated:
                    return redirect_to_login(request.get_full_path())
                if roles and not permissions.has_role(request.user, municipality, *roles):
                    raise Http404
                if personal_data and not permissions.may_see_personal_data(request.user, request):
                    return redirect(
                        f"{reverse('accounts:second_factor')}?{urlencode({'next': request.get_full_path()})}"
                    )
            kwargs.pop("municipality", None)
            return view(request, municipality, *args, **kwargs)

        return wrapped

    return decorator
