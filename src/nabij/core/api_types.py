"""Parameter types and helpers every app's API shares.

CBS area codes are checked with the validators in `nabij.core.cbs`, so a malformed code gets
the same clear Dutch message in the API as in forms and imports. Codes are accepted in any
letter case and handed to the endpoint in upper case, as CBS writes them.

Name the path parameter of a municipality-scoped endpoint `municipality`: that is the URL
keyword MunicipalityScopeMiddleware reads to set `request.municipality` and the tenant scope.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Annotated

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from nabij.core import cbs
from nabij.core.models import Municipality


def _cbs_code(pattern: re.Pattern[str], validate: Callable[[str], None]) -> AfterValidator:
    def check(value: str) -> str:
        if pattern.fullmatch(value.upper()):
            return value.upper()
        try:
            validate(value)
        except DjangoValidationError as error:
            # The message goes in as context, so braces in user input are never formatted.
            raise PydanticCustomError("invalid_code", "{message}", {"message": error.messages[0]}) from None
        return value.upper()

    return AfterValidator(check)


MunicipalityCode = Annotated[
    str,
    _cbs_code(cbs.MUNICIPALITY_CODE, cbs.validate_municipality_code),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^GM[0-9]{4}$",
            "description": "CBS municipality code (gemeentecode): GM and 4 digits.",
            "examples": ["GM0599"],
        }
    ),
]
DistrictCode = Annotated[
    str,
    _cbs_code(cbs.DISTRICT_CODE, cbs.validate_district_code),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^WK[0-9]{6}$",
            "description": "CBS district code (wijkcode): WK and 6 digits, the first 4 those of the municipality.",
            "examples": ["WK059901"],
        }
    ),
]
NeighbourhoodCode = Annotated[
    str,
    _cbs_code(cbs.NEIGHBOURHOOD_CODE, cbs.validate_neighbourhood_code),
    WithJsonSchema(
        {
            "type": "string",
            "pattern": "^BU[0-9]{8}$",
            "description": "CBS neighbourhood code (buurtcode): BU and 8 digits, the first 6 those of the district.",
            "examples": ["BU05990101"],
        }
    ),
]


def request_municipality(request: HttpRequest) -> Municipality:
    """The municipality MunicipalityScopeMiddleware found in the URL; unknown or inactive → 404."""
    municipality = getattr(request, "municipality", None)
    if not isinstance(municipality, Municipality):
        raise Http404
    return municipality
