"""API of the accounts app: who am I, and my personal API tokens."""

# No `from __future__ import annotations` here: @paginate wraps the views, and Ninja resolves
# string annotations in the wrapper's module, where these parameter types are unknown.

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext_lazy as _
from ninja import Field, Path, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status
from pydantic import AwareDatetime

from nabij.accounts import permissions, selectors, services
from nabij.accounts.authentication import AUTHENTICATED, SESSION_ONLY, is_token_request
from nabij.accounts.models import ApiToken, Role
from nabij.core.pagination import PageNumberPagination
from nabij.core.problems import SECOND_FACTOR_REQUIRED, ProblemError, responses

router = Router(tags=["account"], auth=AUTHENTICATED)

TokenId = Annotated[int, Path(description="The `id` of the token, as listed at `GET /me/tokens`.")]


class MeOut(Schema):
    email: str = Field(description="E-mail address the user logs in with.")
    name: str = Field(description="Display name.")
    language: Literal["nl", "en"] = Field(description="Preferred language of the user.")
    roles: dict[str, list[Role]] = Field(
        description='The user\'s roles per CBS municipality code, e.g. `{"GM0599": ["coordinator"]}`.',
    )
    second_factor_required: bool = Field(
        description="Whether the user's roles require a second factor before personal data of others is shown."
    )
    second_factor_passed: bool = Field(
        description="Whether this request counts as having passed it: a TOTP-verified session, or an API token."
    )
    authenticated_by: Literal["session", "token"] = Field(description="How this request was authenticated.")


class TokenOut(Schema):
    id: int = Field(description="Identifier of the token, for revoking it.")
    name: str = Field(description="The name the user gave the token.", examples=["Wijkmonitor Excel-koppeling"])
    prefix: str = Field(description="First characters of the secret after `nabij_`, to recognise it by.")
    created_at: datetime = Field(description="When the token was created.")
    expires_at: datetime | None = Field(description="When the token stops working; null for never.")
    last_used_at: datetime | None = Field(description="Last use, to the minute; null if never used.")
    revoked_at: datetime | None = Field(description="When the token was revoked; null if it was not.")
    is_active: bool = Field(description="Whether the token works now: not revoked and not expired.")


class TokenCreatedOut(TokenOut):
    key: str = Field(
        description=(
            "The secret, to send as `Authorization: Bearer <key>`. It is shown only in this "
            "response and never stored: copy it now."
        ),
        examples=["nabij_1a2b3c4d_Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0Z2FycGx5"],
    )


class TokenCreateIn(Schema):
    name: str = Field(description="A name to recognise the token by (at most 80 characters).")
    expires_at: AwareDatetime | None = Field(
        None, description="When the token should stop working, with time zone; leave out for never."
    )


@router.get("/me", response=responses(MeOut, 401), summary="Who am I")
def get_me(request: HttpRequest) -> dict[str, Any]:
    """The logged-in user (or the owner of the API token), with their roles per municipality."""
    user = permissions.authenticated_user(request)
    return {
        "email": user.email,
        "name": user.display_name,
        "language": user.preferred_language,
        "roles": selectors.roles_by_municipality(user),
        "second_factor_required": permissions.requires_second_factor(user),
        "second_factor_passed": permissions.has_passed_second_factor(user, request),
        "authenticated_by": "token" if is_token_request(request) else "session",
    }


@router.get("/me/tokens", response=responses(list[TokenOut], 401, 422), summary="List my API tokens")
@paginate(PageNumberPagination)
def list_tokens(request: HttpRequest) -> Any:
    """The user's API tokens, newest first, including revoked and expired ones. Never the secrets."""
    return selectors.api_tokens_of(permissions.authenticated_user(request))


@router.post(
    "/me/tokens",
    auth=SESSION_ONLY,
    response=responses(TokenCreatedOut, 401, 403, 422, status=201),
    summary="Create an API token",
)
def create_token(request: HttpRequest, payload: TokenCreateIn) -> Status[dict[str, Any]]:
    """Create a personal API token and return its secret, once.

    Only from a logged-in website session (with X-CSRFToken): a token cannot create tokens.
    Users whose roles need a second factor must have passed it in this session, because the
    token acts with that verification from then on.
    """
    user = permissions.authenticated_user(request)
    verified = permissions.has_passed_second_factor(user, request)
    if permissions.requires_second_factor(user) and not verified:
        raise ProblemError(
            SECOND_FACTOR_REQUIRED,
            _("Maak een API-sleutel pas aan nadat je bent ingelogd met je tweede stap (authenticator-app)."),
        )
    token, key = services.api_token_create(
        user=user, name=payload.name, verified=verified, expires_at=payload.expires_at
    )
    token.refresh_from_db()  # times as stored (UTC), the same as the list shows them
    return Status(201, {**TokenOut.model_validate(token).model_dump(), "key": key})


@router.delete(
    "/me/tokens/{token_id}",
    response=responses(None, 401, 404, 422, status=204),
    summary="Revoke an API token",
)
def revoke_token(request: HttpRequest, token_id: TokenId) -> HttpResponse:
    """Revoke one of the user's tokens; it stops working at once. Revoking twice is harmless.

    Works with the token itself too, so an integration can retire its own key.
    """
    user = permissions.authenticated_user(request)
    token: ApiToken | None = selectors.api_tokens_of(user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    services.api_token_revoke(user=user, token=token)
    response = HttpResponse(status=204)
    del response["Content-Type"]  # no body, so no media type
    return response
