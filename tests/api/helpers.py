"""Helpers for the API tests: personal tokens and the problem-detail shape."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse

from nabij.accounts import services
from nabij.accounts.models import User
from nabij.core.problems import PROBLEM_BASE, PROBLEM_CONTENT_TYPE

API = "/api/v1"


def token_for(user: User, name: str = "test-koppeling", **kwargs: Any) -> str:
    _token, key = services.api_token_create(user=user, name=name, verified=True, **kwargs)
    return key


def bearer(key: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def assert_problem(response: HttpResponse, status: int, slug: str | None = None) -> dict[str, Any]:
    """The response is an RFC 9457 problem of this status (and type), and returns its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM_CONTENT_TYPE
    body: dict[str, Any] = response.json()
    assert {"type", "title", "status", "detail", "instance"} <= body.keys()
    assert body["status"] == status
    assert body["instance"] == response.wsgi_request.path  # type: ignore[attr-defined]
    assert body["title"] and body["detail"]
    assert body["type"] == (f"{PROBLEM_BASE}{slug}" if slug else "about:blank")
    return body
