"""Monitor API: snapshots, their values (JSON, CSV), the PDF report and the indicator definitions.

Under /api/v1/municipalities/{code}/monitor/. For coordinators, analysts and admins of the
municipality (`permissions.can_read_monitor`); anyone else gets 404, also from another municipality.
Snapshots hold only published values (small-cell protection ran before they were stored), never a
person, so no second factor is asked. A suppressed value has `suppressed: true` and null numbers.
"""

# No `from __future__ import annotations`: Ninja resolves these annotations at import.

import datetime as dt
import io
from typing import Annotated, Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, Value
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import get_language, gettext
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED
from nabij.accounts.models import User
from nabij.core.api_types import DistrictCode, MunicipalityCode, request_municipality
from nabij.core.models import District, Municipality
from nabij.core.pagination import PageNumberPagination
from nabij.core.problems import (
    PERMISSION_DENIED,
    VALIDATION_ERROR,
    Problem,
    ProblemError,
    ValidationProblem,
    field_errors_from_django,
    responses,
)
from nabij.monitor import selectors
from nabij.monitor.exports import CSV_MEDIA_TYPE, csv_filename, write_snapshot_csv
from nabij.monitor.indicators.definitions import BY_CODE, FAMILIES, INDICATORS, Indicator, breakdown_of
from nabij.monitor.models import Snapshot, SnapshotValue
from nabij.monitor.models.snapshots import DEFAULT_MIN_COUNT
from nabij.monitor.periods import PeriodError, parse_period
from nabij.monitor.report_pdf import PDF_MEDIA_TYPE, render_report, report_filename
from nabij.socialmap.api_access import field_error, raise_if

router = Router(tags=["monitor"], auth=AUTHENTICATED)

BASE = "/municipalities/{municipality}/monitor"
PeriodCode = Annotated[
    str,
    Path(
        description="The period: a year (`2026`), a quarter (`2026-Q3`) or a month (`2026-07`).",
        examples=["2026-Q3"],
    ),
]
_CSV_EXAMPLE = (
    "indicator,unit,area_code,target_group,period,numerator,denominator,value,suppressed\n"
    "coverage.bewegen,percentage,BU05990101,epa,2026-Q3,640,800,80,false\n"
    "visits.total,count,BU05990102,,2026-Q3,,,,true\n"
)


# --- access ------------------------------------------------------------------------------------


def _reader(request: HttpRequest) -> tuple[User, Municipality]:
    municipality = request_municipality(request)
    user = permissions.authenticated_user(request)
    if not permissions.can_read_monitor(user, municipality):
        raise Http404
    return user, municipality


def _period(period: str) -> str:
    try:
        return parse_period(period).code
    except PeriodError as error:
        raise_if([field_error(("path", "period"), str(error), "invalid_period")])
        raise  # unreachable: raise_if raised


def _snapshot(municipality: Municipality, period: str) -> Snapshot:
    snapshot = selectors.published_snapshot(municipality, _period(period))
    if snapshot is None:
        raise Http404
    return snapshot


# --- schemas -----------------------------------------------------------------------------------


class SnapshotOut(Schema):
    period: str = Field(description="The period: `2026`, `2026-Q3` or `2026-07`.")
    status: Literal["running", "done", "failed"] = Field(
        description="`running` (being computed), `done` (its values can be read) or `failed`."
    )
    computed_at: dt.datetime = Field(description="When it was computed (or last changed, while running).")
    parameters: dict[str, Any] = Field(
        description="The thresholds and distances in force when it was computed (e.g. `min_count`, `min_base`)."
    )
    seconds: float | None = Field(description="How long the computation took, in seconds.")
    task: UUID | None = Field(description="The background task that computed it; its progress is on /taken/{task}/.")

    @staticmethod
    def resolve_task(obj: Snapshot) -> UUID | None:
        return obj.task_run_id


class ValueOut(Schema):
    indicator: str = Field(
        description="The value's code: the indicator's code and its breakdown, e.g. `coverage.bewegen`."
    )
    code: str = Field(description="The indicator's code (see the indicators endpoint), e.g. `coverage`.")
    breakdown: str = Field(description="What the value is broken down by, e.g. `bewegen`; empty if nothing.")
    unit: Literal["count", "percentage", "ratio", "days"] = Field(
        description="`count`, `percentage`, `ratio` or `days`."
    )
    area_code: str = Field(description="CBS code of the area: GM (municipality), WK (district) or BU (neighbourhood).")
    area_level: Literal["GM", "WK", "BU"] = Field(description="The kind of area: `GM`, `WK` or `BU`.")
    target_group: str = Field(
        description="A target group's code, `isolation:<type>` for an isolation type, or empty for everyone."
    )
    numerator: float | None = Field(
        description="The count (unit `count`), the numerator (`percentage`) or the number of cases behind the "
        "figure (`ratio`, `days`); null when suppressed."
    )
    denominator: float | None = Field(description="The denominator of a percentage; null otherwise or when suppressed.")
    value: float | None = Field(description="The published figure; null when suppressed.")
    suppressed: bool = Field(description="True when small-cell protection hides this value: its numbers are null.")
    shown: str = Field(
        description="The figure as the dashboard shows it, in the request's language: `<5` for a suppressed count, "
        "an en dash for another suppressed figure."
    )

    @staticmethod
    def resolve_code(obj: SnapshotValue) -> str:
        return obj.indicator.split(".", 1)[0]

    @staticmethod
    def resolve_breakdown(obj: SnapshotValue) -> str:
        return breakdown_of(obj.indicator)

    @staticmethod
    def resolve_area_level(obj: SnapshotValue) -> str:
        return obj.area_code[:2]

    @staticmethod
    def resolve_shown(obj: SnapshotValue) -> str:
        # `list_values` annotates the snapshot's threshold, so "<5" says the number in force.
        return selectors.shown(obj, int(getattr(obj, "min_count", DEFAULT_MIN_COUNT))).value


class ValueFilters(Schema):
    family: Literal["supply", "principles", "dynamics", "outcomes", "professional"] | None = Field(
        None, description="Only indicators of this family."
    )
    indicator: str | None = Field(
        None, description="Only this indicator (`coverage`) or this value code (`coverage.bewegen`)."
    )
    level: Literal["GM", "WK", "BU"] | None = Field(None, description="Only areas of this kind.")
    district: DistrictCode | None = Field(None, description="Only this district and its neighbourhoods (WK code).")
    target_group: str | None = Field(
        None,
        description="Only this target group's code or `isolation:<type>`; `target_group=` (empty) for everyone. "
        "Leave it out for all.",
    )


class IndicatorOut(Schema):
    code: str = Field(description="The indicator's code; values carry it, followed by their breakdown.")
    family: str = Field(description="Its family: `supply`, `principles`, `dynamics`, `outcomes` or `professional`.")
    family_name: str = Field(description="The family's name in the request's language.")
    name: str = Field(description="The indicator's name in the request's language.")
    name_nl: str = Field(description="The Dutch name.")
    name_en: str = Field(description="The English name.")
    unit: str = Field(description="`count`, `percentage`, `ratio` or `days`.")
    numerator: str = Field(description="What is counted (English).")
    denominator: str = Field(description="What it is divided by (English); `—` for counts.")
    population: str = Field(description="Who or what is counted (English).")
    sources: list[str] = Field(description="The tables it is computed from.")
    caveats: str = Field(description="What to keep in mind when reading it (English).")
    breakdown: str = Field(description="What the part after the code means, e.g. participation type (English).")
    dimensions: list[str] = Field(description="Dimensions besides area and period: `target_group`, `isolation_type`.")
    levels: list[str] = Field(description="Area levels it is published on: `GM`, `WK`, `BU`.")
    higher_is_better: bool | None = Field(description="Whether a higher figure is better; null where neither.")


class SnapshotIn(Schema):
    period: str = Field(description="The period to compute: `2026`, `2026-Q3` or `2026-07`.", examples=["2026-Q3"])


class SnapshotStarted(Schema):
    period: str = Field(description="The period being computed.")
    task: UUID = Field(description="The background task; poll its progress on /taken/{task}/.")


def _indicator_out(indicator: Indicator) -> dict[str, Any]:
    language = "en" if (get_language() or "nl").startswith("en") else "nl"
    return {
        "code": indicator.code,
        "family": indicator.family,
        "family_name": str(FAMILIES[indicator.family]),
        "name": indicator.name(language),
        "name_nl": indicator.name_nl,
        "name_en": indicator.name_en,
        "unit": indicator.unit,
        "numerator": indicator.numerator,
        "denominator": indicator.denominator,
        "population": indicator.population,
        "sources": list(indicator.sources),
        "caveats": indicator.caveats,
        "breakdown": indicator.breakdown,
        "dimensions": list(indicator.dimensions),
        "levels": list(indicator.levels),
        "higher_is_better": indicator.higher_is_better,
    }


def _file_response(media_type: str, description: str, example: str | None = None) -> dict[str, Any]:
    content: dict[str, Any] = {
        "schema": {"type": "string"} if example is not None else {"type": "string", "format": "binary"}
    }
    if example is not None:
        content["example"] = example
    return {"responses": {200: {"description": description, "content": {media_type: content}}}}


_FILE_ERRORS: dict[int, Any] = {401: Problem, 404: Problem, 422: ValidationProblem}


# --- endpoints ---------------------------------------------------------------------------------


@router.get(f"{BASE}/indicators", response=responses(list[IndicatorOut], 401, 404, 422), summary="List indicators")
@paginate(PageNumberPagination)
def list_indicators(request: HttpRequest, municipality: MunicipalityCode) -> list[dict[str, Any]]:
    """Every indicator of the monitor, defined once (the same definitions as docs/indicators.md)."""
    _reader(request)
    return [_indicator_out(indicator) for indicator in INDICATORS]


@router.get(f"{BASE}/snapshots", response=responses(list[SnapshotOut], 401, 404, 422), summary="List snapshots")
@paginate(PageNumberPagination)
def list_snapshots(request: HttpRequest, municipality: MunicipalityCode) -> QuerySet[Snapshot]:
    """The municipality's snapshots, newest period first, including those still running or failed."""
    _user, tenant = _reader(request)
    return selectors.snapshots_of(tenant)


@router.post(
    f"{BASE}/snapshots",
    response=responses(SnapshotStarted, 401, 403, 404, 422, status=202),
    summary="Compute a snapshot",
)
def compute_snapshot(
    request: HttpRequest, municipality: MunicipalityCode, payload: SnapshotIn
) -> Status[SnapshotStarted]:
    """Compute every indicator for a period, as a background task; a snapshot of the same period is
    replaced when it is done. Poll the snapshot (or the task) until its `status` is `done`."""
    user, tenant = _reader(request)
    if not permissions.can_compute_snapshot(user, tenant):
        raise ProblemError(PERMISSION_DENIED, gettext("Je mag geen momentopnamen berekenen."))
    try:
        period = parse_period(payload.period).code
    except PeriodError as error:
        raise_if([field_error(("body", "period"), str(error), "invalid_period")])
        raise
    from nabij.monitor.services.snapshots import snapshot_enqueue  # the snapshot service is its own module

    try:
        run = snapshot_enqueue(actor=user, municipality=tenant, period=period)
    except ValidationError as error:
        raise ProblemError(VALIDATION_ERROR, errors=field_errors_from_django(error, field="period")) from None
    return Status(202, SnapshotStarted(period=period, task=run.id))


@router.get(f"{BASE}/snapshots/{{period}}", response=responses(SnapshotOut, 401, 404, 422), summary="Get a snapshot")
def get_snapshot(request: HttpRequest, municipality: MunicipalityCode, period: PeriodCode) -> Snapshot:
    """One finished snapshot: when it was computed and with which thresholds."""
    _user, tenant = _reader(request)
    return _snapshot(tenant, period)


@router.get(
    f"{BASE}/snapshots/{{period}}/values",
    response=responses(list[ValueOut], 401, 404, 422),
    summary="List the values of a snapshot",
)
@paginate(PageNumberPagination)
def list_values(
    request: HttpRequest, municipality: MunicipalityCode, period: PeriodCode, filters: Query[ValueFilters]
) -> QuerySet[SnapshotValue]:
    """The published values of a finished snapshot, by indicator, area and target group.

    A suppressed value keeps its key with `suppressed: true` and null numbers; `shown` says how the
    dashboard shows it (`<5` for a count). Filter by family, indicator, area level, district and group.
    """
    _user, tenant = _reader(request)
    snapshot = _snapshot(tenant, period)
    errors = []
    if filters.indicator and filters.indicator.split(".", 1)[0] not in BY_CODE:
        message = gettext("Onbekende indicator: %(code)s.") % {"code": filters.indicator}
        errors.append(field_error(("query", "indicator"), message, "unknown_code"))
    if filters.district and not District.objects.filter(municipality=tenant, code=filters.district).exists():
        message = gettext("Dit gebied bestaat niet in deze gemeente: %(code)s.") % {"code": filters.district}
        errors.append(field_error(("query", "district"), message, "unknown"))
    raise_if(errors)
    spec = selectors.ValueFilter(
        family=filters.family or "",
        code=filters.indicator or "",
        level=filters.level or "",
        district=filters.district or "",
        target_group=filters.target_group,
    )
    return selectors.values_of(snapshot, spec).annotate(min_count=Value(selectors.min_count_for(snapshot)))


@router.get(
    f"{BASE}/snapshots/{{period}}/values.csv",
    response=_FILE_ERRORS,
    summary="The values of a snapshot as CSV",
    openapi_extra=_file_response(CSV_MEDIA_TYPE, "The snapshot's values as CSV, long form.", _CSV_EXAMPLE),
)
def values_csv(request: HttpRequest, municipality: MunicipalityCode, period: PeriodCode) -> HttpResponse:
    """All values of a finished snapshot, one row per value, with the header
    `indicator,unit,area_code,target_group,period,numerator,denominator,value,suppressed`. A suppressed
    value has empty numbers and `suppressed` = `true`. The same file as `nabij monitor_export`."""
    _user, tenant = _reader(request)
    snapshot = _snapshot(tenant, period)
    buffer = io.StringIO()
    write_snapshot_csv(snapshot, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=f"{CSV_MEDIA_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(snapshot, tenant.code)}"'
    return response


class ReportParams(Schema):
    district: DistrictCode | None = Field(
        None, description="A report for this district and its neighbourhoods (WK code); default the municipality."
    )


@router.get(
    f"{BASE}/snapshots/{{period}}/report.pdf",
    response=_FILE_ERRORS,
    summary="The PDF report of a snapshot",
    openapi_extra=_file_response(PDF_MEDIA_TYPE, "The report as PDF."),
)
def report_pdf(
    request: HttpRequest, municipality: MunicipalityCode, period: PeriodCode, params: Query[ReportParams]
) -> HttpResponse:
    """A report of a finished snapshot: the protection rules, and per indicator its definition and a
    table of its values. For the municipality (with its districts) or one district (with its
    neighbourhoods). In Dutch, or in English with `Accept-Language: en`."""
    _user, tenant = _reader(request)
    snapshot = _snapshot(tenant, period)
    district = None
    if params.district:
        district = District.objects.filter(municipality=tenant, code=params.district).first()
        if district is None:
            message = gettext("Dit gebied bestaat niet in deze gemeente: %(code)s.") % {"code": params.district}
            raise_if([field_error(("query", "district"), message, "unknown")])
    body = render_report(municipality=tenant, snapshot=snapshot, district=district, language=get_language() or "nl")
    response = HttpResponse(body, content_type=PDF_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(tenant, snapshot, district)}"'
    return response
