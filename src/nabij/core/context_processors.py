from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest

from nabij.accounts import permissions


def nabij(request: HttpRequest) -> dict[str, Any]:
    municipality = getattr(request, "municipality", None)
    user = getattr(request, "user", None)
    return {
        "current_municipality": municipality,
        "current_roles": permissions.roles_in(user, municipality) if user is not None else frozenset(),
        "nabij_env": settings.NABIJ_ENV,
    }
