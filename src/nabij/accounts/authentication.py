"""How the HTTP API knows who is calling: a browser session or a personal API token.

- `token_auth`: `Authorization: Bearer nabij_…`. A presented token that is unknown, revoked or
  expired is a 401 at once, even if a session cookie comes along: an integration with a dead
  token should hear so, not silently run as whoever is logged in in the same browser.
- `session_auth`: the Django session of the website. Unsafe methods must pass Django's CSRF
  check, because the cookie is sent by the browser on its own.
- `anonymous_access`: the last resort on public endpoints, so they also work without either.
"""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.translation import gettext_lazy as _
from ninja.security import APIKeyCookie, HttpBearer

from nabij.accounts import services
from nabij.accounts.models import ApiToken, User
from nabij.core.problems import (
    BEARER_REALM,
    CSRF_FAILED,
    INVALID_TOKEN,
    NOT_AUTHENTICATED,
    SESSION_REQUIRED,
    ProblemError,
)

logger = logging.getLogger("nabij.api")

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


class _CsrfCheck(CsrfViewMiddleware):
    """Django's own CSRF check, minus its HTML failure page: the API answers with a problem."""

    def _reject(self, request: HttpRequest, reason: str) -> HttpResponseForbidden:
        return HttpResponseForbidden(reason)


def _unexempt_view(request: HttpRequest) -> HttpResponse:
    # Stands in for the real view, which Ninja marks csrf_exempt for the middleware.
    return HttpResponse()


def _csrf_failure(request: HttpRequest) -> str | None:
    """Why the request fails Django's CSRF check, or None if it passes."""
    check = _CsrfCheck(_unexempt_view)
    request.csrf_processing_done = False  # type: ignore[attr-defined]
    check.process_request(request)
    response = check.process_view(request, _unexempt_view, (), {})
    return None if response is None else response.content.decode()


def _presents_bearer_token(request: HttpRequest) -> bool:
    return request.headers.get("Authorization", "").lower().startswith("bearer ")


class ApiTokenAuth(HttpBearer):
    """A personal API token; the request then counts as having passed the second factor."""

    openapi_bearerFormat = "nabij_<prefix>_<secret>"
    openapi_description = (
        "A personal API token, created at `POST /api/v1/me/tokens` and shown once. "
        "Send it as `Authorization: Bearer nabij_…`."
    )

    def authenticate(self, request: HttpRequest, token: str) -> User:
        api_token = services.api_token_authenticate(token.strip())
        if api_token is None:
            raise ProblemError(INVALID_TOKEN, headers={"WWW-Authenticate": f'{BEARER_REALM}, error="invalid_token"'})
        # permissions.has_passed_second_factor() recognises token requests by this attribute.
        request.api_token = api_token  # type: ignore[attr-defined]
        request.user = api_token.user
        return api_token.user


class SessionAuth(APIKeyCookie):
    """The website's login session. With `allow_tokens=False`, presenting a token is refused.

    Refusing (403) instead of ignoring the token tells an integration plainly that this
    operation, such as minting a new token, needs a person at the website.
    """

    openapi_description = "The session cookie of a logged-in user of the website; changes need X-CSRFToken."

    def __init__(self, *, allow_tokens: bool = True) -> None:
        # OpenAPI names the cookie Django really uses.
        self.param_name = settings.SESSION_COOKIE_NAME
        self.allow_tokens = allow_tokens
        super().__init__(csrf=True)

    def __call__(self, request: HttpRequest) -> Any:
        if not self.allow_tokens and _presents_bearer_token(request):
            raise ProblemError(SESSION_REQUIRED)
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            if not self.allow_tokens:
                raise ProblemError(
                    NOT_AUTHENTICATED,
                    _("Log eerst in op de website: dit kan alleen met een ingelogde sessie."),
                    headers={"WWW-Authenticate": BEARER_REALM},
                )
            return None
        # Ninja marks its views csrf_exempt for Django's middleware, so the check happens here,
        # and only once a session is known to exist: anonymous callers get 401, not a CSRF error.
        if request.method not in SAFE_METHODS:
            reason = _csrf_failure(request)
            if reason is not None:
                logger.info("API CSRF failure on %s %s: %s", request.method, request.path, reason)
                raise ProblemError(CSRF_FAILED)
        return user

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        # Unused: __call__ above decides from request.user, which SessionMiddleware has set.
        return None


def anonymous_access(request: HttpRequest) -> AnonymousUser:
    """Lets public endpoints through without credentials (an AnonymousUser is truthy)."""
    return AnonymousUser()


def is_token_request(request: HttpRequest) -> bool:
    return isinstance(getattr(request, "api_token", None), ApiToken)


token_auth = ApiTokenAuth()
session_auth = SessionAuth()
session_only_auth = SessionAuth(allow_tokens=False)

# Most endpoints: a token or a session. Public ones also let anonymous callers in, but still
# recognise (and check) credentials that are sent.
AUTHENTICATED = [token_auth, session_auth]
PUBLIC = [token_auth, session_auth, anonymous_access]
SESSION_ONLY = [session_only_auth]
