"""API of the barrier table: participation type x number of a target group's barriers (0..4+).

It shows supply, never people, so no second factor is needed; it is for the municipality's
steering roles (`permissions.can_read_barrier_table`), and does not exist for anyone else (404),
like the audit log. JSON by default; CSV with `Accept: text/csv` or `?format=csv`.
"""

# No `from __future__ import annotations` here: Ninja resolves these annotations at runtime.

import datetime as dt
import io
from typing import Any, Literal

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext
from ninja import Field, Query, Router, Schema

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED
from nabij.core import cbs
from nabij.core.api_types import DistrictCode, MunicipalityCode, NeighbourhoodCode, request_municipality
from nabij.core.models import District, Neighbourhood
from nabij.core.problems import VALIDATION_ERROR, ProblemError, field_errors_from_django, responses
from nabij.socialmap.api_access import field_error, raise_if
from nabij.socialmap.models import AMSTERDAM, TargetGroup
from nabij.socialmap.selectors import BARRIER_TABLE_COLUMNS, barrier_table, write_barrier_table_csv

router = Router(tags=["barrier table"], auth=AUTHENTICATED)

CSV_MEDIA_TYPE = "text/csv"
_CSV_EXAMPLE = "participation_type,0,1,2,3,4+\nontmoeten,12,5,3,1,0\n"


class BarrierTableParams(Schema):
    group: str = Field(description="Code of the target group, e.g. `epa`.", examples=["epa"])
    district: DistrictCode | None = Field(None, description="Only activities at places in this district (WK code).")
    neighbourhood: NeighbourhoodCode | None = Field(
        None, description="Only activities at places in this neighbourhood (BU code); not with `district`."
    )
    date: dt.date | None = Field(None, description="Count activities active on this day (`YYYY-MM-DD`); default today.")
    format: Literal["json", "csv"] | None = Field(
        None, description="`csv` for the CSV (the same as `Accept: text/csv`); default JSON."
    )


class TargetGroupOut(Schema):
    code: str = Field(description="Code of the target group.")
    name: str = Field(description="Name of the target group (Dutch).")


class AreaRef(Schema):
    level: Literal["municipality", "district", "neighbourhood"] = Field(description="What kind of area.")
    code: str = Field(description="CBS code of the area.")
    name: str = Field(description="Name of the area.")


class BarrierTableRowOut(Schema):
    participation_type: str = Field(description="Code of the participation type.")
    label: str = Field(description="Name of the participation type (Dutch).")
    counts: dict[str, int] = Field(
        description='Activities per number of the group\'s barriers: keys `"0"`, `"1"`, `"2"`, `"3"`, `"4+"`.',
        examples=[{"0": 12, "1": 5, "2": 3, "3": 1, "4+": 0}],
    )
    total: int = Field(description="All activities of this participation type.")


class BarrierTableOut(Schema):
    group: TargetGroupOut = Field(description="The target group whose barriers are counted.")
    area: AreaRef = Field(description="Where: the whole municipality, a district or a neighbourhood.")
    date: dt.date = Field(description="The day the activities are active on.")
    columns: list[str] = Field(description='The count columns in order: `["0", "1", "2", "3", "4+"]`.')
    rows: list[BarrierTableRowOut] = Field(description="One row per participation type of the catalogue.")


def _wants_csv(request: HttpRequest, params: BarrierTableParams) -> bool:
    if params.format is not None:
        return params.format == "csv"
    accept = request.headers.get("Accept", "")
    return CSV_MEDIA_TYPE in accept and "application/json" not in accept


def _area(model: Any, code: str, parameter: str, municipality_code: str | None = None) -> Any:
    """A district or neighbourhood of this municipality, or a 422 on the parameter."""
    if municipality_code is not None:
        # A district code says which municipality it belongs to: tell so plainly.
        try:
            cbs.validate_district_code(code, municipality_code)
        except DjangoValidationError as error:
            errors = field_errors_from_django(error, source="query", field=parameter)
            raise ProblemError(VALIDATION_ERROR, errors=errors) from None
    area = model.objects.filter(code=code).first()
    if area is None:
        message = gettext("Dit gebied bestaat niet in deze gemeente: %(code)s.") % {"code": code}
        raise_if([field_error(("query", parameter), message, "unknown")])
    return area


@router.get(
    "/municipalities/{municipality}/barrier-table",
    response=responses(BarrierTableOut, 401, 404, 422),
    summary="Barrier table",
    openapi_extra={
        "responses": {
            200: {
                "description": "The table as JSON, or as CSV with `Accept: text/csv` or `?format=csv`.",
                "content": {CSV_MEDIA_TYPE: {"schema": {"type": "string"}, "example": _CSV_EXAMPLE}},
            }
        }
    },
)
def get_barrier_table(request: HttpRequest, municipality: MunicipalityCode, params: Query[BarrierTableParams]) -> Any:
    """Published activities active on `date`, per participation type, by how many of the target
    group's barriers they have: 0, 1, 2, 3, 4 or more.

    For the whole municipality, or one district or neighbourhood (by the activity's place; online
    activities count only for the whole municipality). For coordinators, analysts and admins.
    The CSV has the header `participation_type,0,1,2,3,4+` and one row per participation type.
    """
    tenant = request_municipality(request)
    if not permissions.can_read_barrier_table(request.user, tenant):
        raise Http404
    if params.district and params.neighbourhood:
        message = gettext("Kies een wijk of een buurt, niet allebei.")
        raise_if([field_error(("query", "neighbourhood"), message, "district_and_neighbourhood")])
    group = TargetGroup.objects.filter(code=params.group).first()
    if group is None:
        message = gettext("Onbekende doelgroep: %(code)s.") % {"code": params.group}
        raise_if([field_error(("query", "group"), message, "unknown_code")])
    assert group is not None
    district = neighbourhood = None
    area = {"level": "municipality", "code": tenant.code, "name": tenant.name}
    if params.district:
        district = _area(District, params.district, "district", tenant.code)
        area = {"level": "district", "code": district.code, "name": district.name}
    if params.neighbourhood:
        neighbourhood = _area(Neighbourhood, params.neighbourhood, "neighbourhood")
        area = {"level": "neighbourhood", "code": neighbourhood.code, "name": neighbourhood.name}
    day = params.date or dt.datetime.now(tz=AMSTERDAM).date()
    rows = barrier_table(
        municipality=tenant, target_group=group, day=day, district=district, neighbourhood=neighbourhood
    )
    if _wants_csv(request, params):
        return _csv(rows, f"drempeltabel-{tenant.code}-{group.code}-{area['code']}-{day.isoformat()}.csv")
    return {
        "group": {"code": group.code, "name": group.name_nl},
        "area": area,
        "date": day,
        "columns": list(BARRIER_TABLE_COLUMNS),
        "rows": [
            {
                "participation_type": row.code,
                "label": row.label,
                "counts": dict(zip(BARRIER_TABLE_COLUMNS, row.counts, strict=True)),
                "total": row.total,
            }
            for row in rows
        ],
    }


def _csv(rows: list[Any], filename: str) -> HttpResponse:
    buffer = io.StringIO()
    write_barrier_table_csv(rows, buffer)
    response = HttpResponse(buffer.getvalue(), content_type=f"{CSV_MEDIA_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
