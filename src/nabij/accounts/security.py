"""Hooks for the login protection (django-axes)."""

from __future__ import annotations

import math
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def login_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The address a login attempt is counted under: lower-case, as accounts store it, so
    'Piet@X.nl' and 'piet@x.nl' share one counter."""
    value = (credentials or {}).get("email") or (credentials or {}).get("username")
    if value is None:
        value = request.POST.get("username", "")
    return str(value).strip().lower()


def lockout_response(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict[str, Any] | None
) -> HttpResponse:
    """A Dutch page that says how long to wait (429 Too Many Requests)."""
    minutes = max(1, math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    return render(request, "accounts/locked_out.html", {"minutes": minutes}, status=429)


def client_ip(request: HttpRequest) -> str:
    """The visitor's address. Behind N trusted proxies, each appends the address it saw to
    X-Forwarded-For, so the Nth entry from the right is the one no visitor can forge; anything
    further left was sent by the visitor and is not trusted."""
    remote = str(request.META.get("REMOTE_ADDR", ""))
    proxies = settings.NABIJ_TRUSTED_PROXIES
    if proxies <= 0:
        return remote
    forwarded = [part.strip() for part in str(request.META.get("HTTP_X_FORWARDED_FOR", "")).split(",") if part.strip()]
    return forwarded[-proxies] if len(forwarded) >= proxies else remote
