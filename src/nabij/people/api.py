"""The people app's HTTP API: the stateless De Jong Gierveld scoring for survey tools.

`POST /api/v1/instruments/de-jong-gierveld` scores answers with the same code as the pages
(people/instruments.py) and stores nothing, so it needs no credentials and no CSRF token.
"""

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from nabij.core.problems import VALIDATION_ERROR, ProblemError, responses
from nabij.people.instruments import ANSWERS, InstrumentError, score_de_jong_gierveld
from nabij.people.models import LonelinessCategory

router = Router(tags=["instruments"])

# No credentials: the endpoint reads and writes nothing. `auth=None` also skips the session's
# CSRF check, which a public calculation does not need.
PUBLIC_OPENAPI: dict[str, Any] = {"security": [{}]}


class DeJongGierveldIn(Schema):
    version: int = Field(
        description="Which questionnaire: `11` (the full scale) or `6` (the short scale).", examples=[11]
    )
    answers: list[str | None] = Field(
        description=(
            "One answer per statement, in the questionnaire's own order (for the 6-item version its own "
            "published order: leegte, narigheid, vertrouwen, mis mensen, nauw verbonden, in de steek gelaten). "
            f"Each one of {', '.join(repr(a) for a in ANSWERS)}, or null for no answer."
        ),
        examples=[["nee", "min of meer", "nee", "ja", "ja", "nee", "min of meer", "ja", "min of meer", "nee", "ja"]],
    )


class DeJongGierveldOut(Schema):
    total: int | None = Field(
        description=(
            "Number of answers that count as lonely (0-11 or 0-6); null when too many answers are missing "
            "(11 items: any; 6 items: more than one)."
        )
    )
    emotional: int | None = Field(
        description="Emotional loneliness: lonely answers on the emotional items; null if one of them is missing."
    )
    social: int | None = Field(
        description="Social loneliness: lonely answers on the social items; null if one of them is missing."
    )
    category: LonelinessCategory | None = Field(
        description=(
            "The outcome in words: 11 items: 0-2 `niet eenzaam`, 3-8 `matig eenzaam`, 9-10 `ernstig eenzaam`, "
            "11 `zeer ernstig eenzaam`; 6 items: 0-1 niet, 2-4 matig, 5-6 ernstig. Null when `total` is null."
        )
    )


@router.post(
    "/instruments/de-jong-gierveld",
    auth=None,
    response=responses(DeJongGierveldOut, 422),
    summary="Score the De Jong Gierveld loneliness scale",
    openapi_extra=PUBLIC_OPENAPI,
)
def score_de_jong_gierveld_scale(request: HttpRequest, payload: DeJongGierveldIn) -> dict[str, Any]:
    """Score an 11-item or 6-item De Jong Gierveld questionnaire, exactly as Nabij does.

    "min of meer" counts as lonely on every statement; negatively worded statements (the
    emotional ones) count on "ja", positively worded ones (the social ones) on "nee". Nothing
    is stored. Invalid input (a wrong version, too few or too many answers, an unknown answer)
    is a 422 problem with one entry per mistake in `errors`. Reference: docs/people.md.
    """
    try:
        score = score_de_jong_gierveld(payload.version, payload.answers)
    except InstrumentError as error:
        errors = [{**e, "location": ["body", *e["location"]]} for e in error.errors]
        raise ProblemError(VALIDATION_ERROR, error.message, errors=errors) from None
    return {
        "total": score.total,
        "emotional": score.emotional,
        "social": score.social,
        "category": score.category,
    }
