"""Errors of the HTTP API as RFC 9457 problem details (`application/problem+json`).

Every error the API returns goes through `problem_response()`, so integrators see one shape:
`type` (a URI under PROBLEM_BASE, or `about:blank` where the status code says it all),
`title`, `status`, `detail`, `instance` (the request path) and, for invalid input, `errors`.
Titles and details are translated into the request's language by LocaleMiddleware's choice.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http import HTTPStatus
from typing import TYPE_CHECKING, Any

from django.core.exceptions import NON_FIELD_ERRORS, ObjectDoesNotExist, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import got_request_exception
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from ninja import Field, Schema
from ninja.errors import AuthenticationError, AuthorizationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger("nabij.api")

PROBLEM_CONTENT_TYPE = "application/problem+json"
# Problem type URIs are identifiers, not deployment URLs: they stay the same on every
# installation so clients can switch on them. docs/api.md lists them all.
PROBLEM_BASE = "https://nabij.nl/problems/"
# RFC 6750 §3: the challenge a client gets when it must (re)authenticate.
BEARER_REALM = 'Bearer realm="Nabij"'


@dataclass(frozen=True)
class ProblemType:
    """One kind of error: `slug` None means `about:blank` (the status code explains it)."""

    slug: str | None
    status: int
    title: str | Promise
    default_detail: str | Promise

    @property
    def uri(self) -> str:
        return f"{PROBLEM_BASE}{self.slug}" if self.slug else "about:blank"


VALIDATION_ERROR = ProblemType(
    "validation-error", 422, _("Ongeldige invoer"), _("Een of meer velden kloppen niet; zie `errors`.")
)
NOT_AUTHENTICATED = ProblemType(
    "not-authenticated",
    401,
    _("Niet ingelogd"),
    _("Log in, of stuur een persoonlijke API-sleutel mee in de header Authorization: Bearer nabij_…"),
)
INVALID_TOKEN = ProblemType(
    "invalid-token",
    401,
    _("Ongeldige API-sleutel"),
    _("Deze API-sleutel bestaat niet, is ingetrokken of is verlopen. Maak zo nodig een nieuwe aan."),
)
PERMISSION_DENIED = ProblemType(
    "permission-denied", 403, _("Geen toegang"), _("Je hebt geen toestemming voor deze actie.")
)
SECOND_FACTOR_REQUIRED = ProblemType(
    "second-factor-required",
    403,
    _("Tweede stap nodig"),
    _(
        "Deze gegevens zijn alleen te zien na inloggen met je tweede stap (authenticator-app). "
        "Rond die eerst af, of gebruik een API-sleutel die je daarna hebt aangemaakt."
    ),
)
CSRF_FAILED = ProblemType(
    "csrf-failed",
    403,
    _("CSRF-controle mislukt"),
    _(
        "Een wijziging met een ingelogde sessie moet het CSRF-token meesturen in de header X-CSRFToken. "
        "Scripts gebruiken beter een API-sleutel."
    ),
)
SESSION_REQUIRED = ProblemType(
    "session-required",
    403,
    _("Alleen met een ingelogde sessie"),
    _("Dit kan niet met een API-sleutel: log in op de website en doe het daar of met je sessie."),
)
NOT_FOUND = ProblemType(None, 404, _("Niet gevonden"), _("Dit bestaat niet, of je hebt er geen toegang toe."))
METHOD_NOT_ALLOWED = ProblemType(
    None, 405, _("Methode niet toegestaan"), _("Deze HTTP-methode kan hier niet; zie de header Allow.")
)
BAD_REQUEST = ProblemType(None, 400, _("Ongeldig verzoek"), _("Het verzoek kon niet worden gelezen."))
SERVER_ERROR = ProblemType(
    None,
    500,
    _("Interne fout"),
    _("Er ging iets mis aan onze kant. Probeer het later opnieuw; blijft het misgaan, meld het dan aan de beheerder."),
)

ALL_PROBLEM_TYPES: tuple[ProblemType, ...] = (
    VALIDATION_ERROR,
    NOT_AUTHENTICATED,
    INVALID_TOKEN,
    PERMISSION_DENIED,
    SECOND_FACTOR_REQUIRED,
    CSRF_FAILED,
    SESSION_REQUIRED,
    NOT_FOUND,
    METHOD_NOT_ALLOWED,
    BAD_REQUEST,
    SERVER_ERROR,
)


class ProblemError(Exception):
    """Raise from an endpoint (or anything it calls) to answer with one specific problem."""

    def __init__(
        self,
        problem: ProblemType,
        detail: str | Promise | None = None,
        *,
        errors: list[dict[str, Any]] | None = None,
        headers: Mapping[str, str] | None = None,
    ) -> None:
        self.problem = problem
        self.detail = detail
        self.errors = errors
        self.headers = dict(headers or {})
        super().__init__(str(detail or problem.default_detail))


# --- schemas, so the OpenAPI document describes the error bodies -------------------------------


class FieldError(Schema):
    location: list[str | int] = Field(
        description=(
            "Where the invalid value is: the part of the request (`path`, `query`, `body`) "
            'followed by the field name, e.g. `["query", "page_size"]`.'
        ),
        examples=[["query", "page_size"]],
    )
    message: str = Field(description="What is wrong, in the request's language.")
    code: str = Field(description="Machine-readable reason, e.g. `missing`, `less_than_equal`, `invalid_code`.")


class Problem(Schema):
    """An RFC 9457 problem detail, served as `application/problem+json`."""

    type: str = Field(
        description=f"URI identifying the kind of problem: under `{PROBLEM_BASE}` or `about:blank`.",
        examples=[f"{PROBLEM_BASE}second-factor-required"],
    )
    title: str = Field(description="Short summary of the kind of problem, in the request's language.")
    status: int = Field(description="The HTTP status code of this response.", examples=[403])
    detail: str = Field(description="What went wrong in this case and what to do about it.")
    instance: str = Field(description="The request path this problem occurred on.", examples=["/api/v1/me"])


class ValidationProblem(Problem):
    """A problem with the input (`type` ends in `validation-error`), one entry per invalid field."""

    errors: list[FieldError] = Field(description="The invalid fields, each with where it is and what is wrong.")


# --- rendering ---------------------------------------------------------------------------------


def problem_response(
    request: HttpRequest,
    problem: ProblemType,
    detail: str | Promise | None = None,
    *,
    errors: list[dict[str, Any]] | None = None,
    headers: Mapping[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": problem.uri,
        "title": str(problem.title),
        "status": problem.status,
        "detail": str(detail if detail is not None else problem.default_detail),
        "instance": request.path,
    }
    if errors is not None:
        body["errors"] = errors
    response = HttpResponse(
        json.dumps(body, cls=DjangoJSONEncoder, ensure_ascii=False),
        status=problem.status,
        content_type=PROBLEM_CONTENT_TYPE,
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _status_problem(status: int) -> ProblemType:
    """The about:blank problem for a status code the catalogue above does not name."""
    for problem in ALL_PROBLEM_TYPES:
        if problem.slug is None and problem.status == status:
            return problem
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = gettext("Fout")
    return ProblemType(None, status, phrase, phrase)


# --- field errors: pydantic's and Django's, in one shape ---------------------------------------

# Pydantic writes its messages in English; these are the ones integrators meet most, in
# the request's language. Anything else keeps pydantic's own message.
_PYDANTIC_MESSAGES: dict[str, str | Promise] = {
    "missing": _("Dit veld is verplicht."),
    "int_parsing": _("Vul een geheel getal in."),
    "int_type": _("Vul een geheel getal in."),
    "greater_than_equal": _("Moet minstens %(ge)s zijn."),
    "greater_than": _("Moet groter zijn dan %(gt)s."),
    "less_than_equal": _("Mag hoogstens %(le)s zijn."),
    "less_than": _("Moet kleiner zijn dan %(lt)s."),
    "string_type": _("Vul tekst in."),
    "string_too_short": _("Moet minstens %(min_length)s tekens lang zijn."),
    "string_too_long": _("Mag hoogstens %(max_length)s tekens lang zijn."),
    "date_parsing": _("Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2025-01-31."),
    "date_from_datetime_parsing": _("Vul een datum in als JJJJ-MM-DD, bijvoorbeeld 2025-01-31."),
    "datetime_parsing": _("Vul datum en tijd in volgens ISO 8601, bijvoorbeeld 2025-01-31T23:59:00+01:00."),
    "datetime_from_date_parsing": _("Vul datum en tijd in volgens ISO 8601, bijvoorbeeld 2025-01-31T23:59:00+01:00."),
    "timezone_aware": _("Geef een tijdzone mee, bijvoorbeeld 2025-01-31T23:59:00+01:00."),
    "enum": _("Kies een van: %(expected)s."),
    "literal_error": _("Kies een van: %(expected)s."),
    "bool_parsing": _("Vul true of false in."),
    "float_parsing": _("Vul een getal in, met een punt als decimaalteken, bijvoorbeeld 51.92."),
    "float_type": _("Vul een getal in, met een punt als decimaalteken, bijvoorbeeld 51.92."),
    "uuid_parsing": _("Dit is geen geldige id (een UUID zoals 3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f)."),
    "uuid_type": _("Dit is geen geldige id (een UUID zoals 3f2b8c1e-0d4a-4b7e-9c2f-1a2b3c4d5e6f)."),
    "time_parsing": _("Vul een tijd in als UU:MM, bijvoorbeeld 09:30."),
    "model_attributes_type": _("Stuur een JSON-object."),
    "dict_type": _("Stuur een JSON-object."),
    "model_type": _("Stuur een JSON-object."),
    "extra_forbidden": _("Dit veld bestaat niet."),
}


def _pydantic_message(error: Mapping[str, Any]) -> str:
    template = _PYDANTIC_MESSAGES.get(str(error.get("type", "")))
    if template is None:
        return str(error.get("msg", ""))
    context = {key: str(value) for key, value in (error.get("ctx") or {}).items()}
    try:
        return str(template) % context
    except (KeyError, TypeError, ValueError):
        return str(error.get("msg", ""))


def field_errors_from_ninja(errors: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    return [
        {
            "location": [part for part in error.get("loc", ()) if isinstance(part, str | int)],
            "message": _pydantic_message(error),
            "code": str(error.get("type", "invalid")),
        }
        for error in errors
    ]


def field_errors_from_django(
    error: DjangoValidationError, *, source: str = "body", field: str | None = None
) -> list[dict[str, Any]]:
    """Services raise Django's ValidationError keyed by field; the API reports them per field.

    `field` names the field for an error that is not keyed (a validator's plain message).
    """
    result: list[dict[str, Any]] = []
    if hasattr(error, "error_dict"):
        for field, field_errors in error.error_dict.items():
            location = [source] if field == NON_FIELD_ERRORS else [source, field]
            for item in field_errors:
                result.extend(
                    {"location": location, "message": message, "code": item.code or "invalid"}
                    for message in item.messages
                )
    else:
        location = [source, field] if field else [source]
        result.extend(
            {"location": location, "message": message, "code": item.code or "invalid"}
            for item in error.error_list
            for message in item.messages
        )
    return result


# --- exception handlers ------------------------------------------------------------------------

# Ninja raises HttpError with English text in a few places; say the same in the request's language.
_NINJA_DETAILS: dict[str, str | Promise] = {
    "Cannot parse request body": _("De body van het verzoek is geen geldige JSON."),
}


def _on_problem(request: HttpRequest, exc: ProblemError) -> HttpResponse:
    return problem_response(request, exc.problem, exc.detail, errors=exc.errors, headers=exc.headers)


def _on_ninja_validation(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    return problem_response(request, VALIDATION_ERROR, errors=field_errors_from_ninja(exc.errors))


def _on_django_validation(request: HttpRequest, exc: DjangoValidationError) -> HttpResponse:
    return problem_response(request, VALIDATION_ERROR, errors=field_errors_from_django(exc))


def _on_authentication(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return problem_response(request, NOT_AUTHENTICATED, headers={"WWW-Authenticate": BEARER_REALM})


def _on_authorization(request: HttpRequest, exc: AuthorizationError) -> HttpResponse:
    return problem_response(request, PERMISSION_DENIED)


def _on_permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    # A service's own reason (already translated) beats the generic sentence.
    detail = str(exc) if exc.args and exc.args[0] else None
    return problem_response(request, PERMISSION_DENIED, detail)


def _on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Never echo Http404's message: it names models ("No District matches…") and is English.
    return problem_response(request, NOT_FOUND)


def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    problem = _status_problem(exc.status_code)
    message = str(exc)
    detail = next((translated for prefix, translated in _NINJA_DETAILS.items() if message.startswith(prefix)), message)
    return problem_response(request, problem, detail)


def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    # Log with the traceback and tell error reporting, but never show the traceback to the client.
    logger.error("Unhandled error in API %s %s", request.method, request.path, exc_info=exc)
    got_request_exception.send(sender=None, request=request)
    return problem_response(request, SERVER_ERROR)


def install_problem_handlers(api: NinjaAPI) -> None:
    """Replace Ninja's default error bodies; the most specific class wins (Ninja walks the MRO)."""
    handlers: list[tuple[type[Exception], Callable[[HttpRequest, Any], HttpResponse]]] = [
        (ProblemError, _on_problem),
        (NinjaValidationError, _on_ninja_validation),
        (DjangoValidationError, _on_django_validation),
        (AuthenticationError, _on_authentication),
        (AuthorizationError, _on_authorization),
        (PermissionDenied, _on_permission_denied),
        (Http404, _on_not_found),
        (ObjectDoesNotExist, _on_not_found),
        (HttpError, _on_http_error),
        (Exception, _on_unexpected),
    ]
    for exception_class, handler in handlers:
        api.add_exception_handler(exception_class, handler)


def responses(success: Any, *problem_statuses: int, status: int = 200) -> dict[int, Any]:
    """A Ninja `response=` mapping: the success schema and the problems an operation can answer.

    Listing them makes the OpenAPI document say which errors to expect; the API serves
    them as application/problem+json (see NabijAPI.get_openapi_schema).
    """
    result: dict[int, Any] = {status: success}
    for code in problem_statuses:
        result[code] = ValidationProblem if code == VALIDATION_ERROR.status else Problem
    return result
