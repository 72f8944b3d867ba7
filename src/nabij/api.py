"""The HTTP API: one NinjaAPI under /api/v1/ that mounts each app's router.

OpenAPI 3.1 at /api/v1/openapi.json, interactive docs at /api/v1/docs, reference in docs/api.md.
Every error, including unknown URLs and wrong methods, is an RFC 9457 problem detail.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from asgiref.sync import iscoroutinefunction, markcoroutinefunction
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.http.response import HttpResponseBase
from django.urls import URLPattern, URLResolver, path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI
from ninja.errors import ValidationError, ValidationErrorContext
from ninja.openapi.schema import OpenAPISchema
from ninja.operation import Operation
from ninja.types import DictStrAny

from nabij.accounts.api import router as accounts_router
from nabij.accounts.authentication import AUTHENTICATED
from nabij.core.api import GEOJSON_MEDIA_TYPE, FeatureCollection, areas_router, audit_router
from nabij.core.problems import (
    METHOD_NOT_ALLOWED,
    NOT_FOUND,
    PROBLEM_BASE,
    PROBLEM_CONTENT_TYPE,
    Problem,
    install_problem_handlers,
    problem_response,
)
from nabij.groups.api import router as groups_router
from nabij.monitor.api import router as monitor_router
from nabij.people.api import router as people_router
from nabij.socialmap.api import router as socialmap_router
from nabij.socialmap.api_geo import GEOJSON_SCHEMAS, geo_router
from nabij.support.api import router as support_router
from nabij.support.api_referrals import router as referrals_router

DESCRIPTION = f"""\
The HTTP API of Nabij, the participation arena of a Dutch municipality.

**Authentication.** Either the session of a user logged in on the website (changes need the
`X-CSRFToken` header), or a personal API token: `Authorization: Bearer nabij_…`. Create tokens
at `POST /api/v1/me/tokens` from a logged-in session. Areas are open data and need neither.

**Errors** are RFC 9457 problem details (`application/problem+json`) with a `type` under
`{PROBLEM_BASE}`, or `about:blank`. Titles and details follow `Accept-Language` (Dutch by
default, English). Other municipalities' data is reported as not found (404).

**Lists** are paginated: `?page=1&page_size=50` (at most 200), with `count`, `next`,
`previous` and `results`.
"""

# How the OpenAPI document describes each problem status; the bodies are all `Problem`.
_PROBLEM_DESCRIPTIONS = {
    "401": "Not authenticated, or the API token is unknown, revoked or expired.",
    "403": "Not allowed: e.g. a second factor is required, the CSRF token is missing, "
    "or a token was used where only a session may act.",
    "404": "Not found, or not yours to see: other municipalities' data is reported as not found.",
    "422": "Invalid input: `errors` lists each invalid field with its location.",
}
# Responses with these schemas are not plain JSON.
_MEDIA_TYPE_BY_SCHEMA = {
    f"#/components/schemas/{schema.__name__}": GEOJSON_MEDIA_TYPE for schema in (FeatureCollection, *GEOJSON_SCHEMAS)
}
_REF_PROBLEM = {"$ref": f"#/components/schemas/{Problem.__name__}"}


@csrf_exempt
def _not_found(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return problem_response(request, NOT_FOUND)


def _method_not_allowed_as_problem(view: Callable[..., Any]) -> Callable[..., Any]:
    """Ninja answers a wrong method with plain text; turn that into a problem detail."""

    def convert(request: HttpRequest, response: HttpResponseBase) -> HttpResponseBase:
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        problem = problem_response(request, METHOD_NOT_ALLOWED)
        problem["Allow"] = response["Allow"]
        return problem

    if iscoroutinefunction(view):

        @wraps(view)
        async def async_wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            return convert(request, await view(request, *args, **kwargs))

        return markcoroutinefunction(async_wrapped)

    @wraps(view)  # keeps Ninja's csrf_exempt marker
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        return convert(request, view(request, *args, **kwargs))

    return wrapped


class NabijAPI(NinjaAPI):
    def set_default_exception_handlers(self) -> None:
        install_problem_handlers(self)

    def get_openapi_operation_id(self, operation: Operation) -> str:
        # listDistricts rather than nabij_core_api_list_districts: what generated clients call it.
        first, *rest = operation.view_func.__name__.split("_")
        return first + "".join(word.capitalize() for word in rest)

    def validation_error_from_error_contexts(
        self, error_contexts: list[ValidationErrorContext[Any]]
    ) -> ValidationError:
        # Ninja puts the view's argument name into body locations (["body", "payload", "name"]);
        # integrators know the JSON they sent, not our Python names.
        errors: list[DictStrAny] = []
        for context in error_contexts:
            argument = getattr(context.model, "__read_from_single_attr__", None)
            for error in super().validation_error_from_error_contexts([context]).errors:
                location = tuple(error["loc"])
                if argument and location[1:2] == (argument,):
                    error["loc"] = (location[0], *location[2:])
                errors.append(error)
        return ValidationError(errors)

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: DictStrAny | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        schema["components"]["schemas"].setdefault(
            Problem.__name__, Problem.model_json_schema(ref_template="#/components/schemas/{model}")
        )
        for path_item in schema["paths"].values():
            for operation in path_item.values():
                _describe_media_types(operation["responses"])
                _fix_parameter_examples(operation.get("parameters", []))
        return schema

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        result: list[URLResolver | URLPattern] = []
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                if pattern.name == "api-root":
                    continue  # replaced below: Ninja's root raises a plain HTML 404
                pattern = URLPattern(
                    pattern.pattern,
                    _method_not_allowed_as_problem(pattern.callback),
                    pattern.default_args,
                    pattern.name,
                )
            result.append(pattern)
        # Ninja reverses "api-root" to find the API's base path, so the name must stay.
        result.append(path("", _not_found, name="api-root"))
        result.append(path("<path:unknown>", _not_found))
        return result, app_name, namespace


def _fix_parameter_examples(parameters: list[DictStrAny]) -> None:
    # Ninja copies the JSON Schema `examples` list onto the Parameter Object, where OpenAPI
    # wants a map of Example Objects; the schema keeps the list, the parameter one example.
    for parameter in parameters:
        examples = parameter.get("examples")
        if isinstance(examples, list):
            del parameter["examples"]
            if examples:
                parameter["example"] = examples[0]


def _describe_media_types(responses: dict[Any, Any]) -> None:
    for status, response in responses.items():
        content = response.get("content")
        if not content or "application/json" not in content:
            continue
        if int(status) >= 400:
            content[PROBLEM_CONTENT_TYPE] = content.pop("application/json")
            response["description"] = _PROBLEM_DESCRIPTIONS.get(str(status), response["description"])
        else:
            media_type = _MEDIA_TYPE_BY_SCHEMA.get(content["application/json"]["schema"].get("$ref", ""))
            if media_type:
                content[media_type] = content.pop("application/json")
    responses["default"] = {
        "description": "Unexpected error (500) or another problem.",
        "content": {PROBLEM_CONTENT_TYPE: {"schema": _REF_PROBLEM}},
    }


api = NabijAPI(
    title="Nabij API",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api",
    auth=AUTHENTICATED,
    openapi_extra={
        "info": {"license": {"name": "EUPL-1.2", "identifier": "EUPL-1.2"}},
        "tags": [
            {"name": "areas", "description": "Municipalities, districts and neighbourhoods (CBS open data)."},
            {"name": "audit log", "description": "Who processed which personal data, for coordinators."},
            {"name": "account", "description": "The calling user and their personal API tokens."},
            {
                "name": "social map",
                "description": "Organisations, places and activities; search and activities for me.",
            },
            {"name": "barrier table", "description": "Activities per participation type by number of barriers."},
            {
                "name": "support",
                "description": "Supporters, matching rounds and their proposals; a supporter's own participants.",
            },
            {"name": "groups", "description": "Small active groups: read them, join and leave (capacity-safe)."},
            {"name": "referrals", "description": "Warm hand-overs by professionals, as far as the consent allows."},
            {"name": "instruments", "description": "Validated instruments, scored statelessly (De Jong Gierveld)."},
        ],
    },
)
api.add_router("", areas_router)
api.add_router("", audit_router)
api.add_router("", accounts_router)
api.add_router("", geo_router)
api.add_router("", socialmap_router)
api.add_router("", people_router)
api.add_router("", groups_router)
api.add_router("", referrals_router)
api.add_router("", support_router)
api.add_router("", monitor_router)
