"""Monitor API: the coverage what-if.

POST a scenario to /api/v1/municipalities/{code}/monitor/what-if and get coverage before and after,
and the gain, for every neighbourhood, district and the municipality. Nothing is written: it is a
calculation on a copy of the social map. For coordinators, analysts and admins of the municipality
(`permissions.MONITOR_OPERATORS`); anyone else gets 404, also from another municipality. The numbers
are behind small-cell protection: a protected value has `suppressed: true` and null numbers.
"""

# No `from __future__ import annotations`: Ninja resolves these annotations at import.

import datetime as dt
from typing import Any, Literal, get_args
from uuid import UUID

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpRequest
from django.utils.translation import gettext
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from nabij.accounts import permissions
from nabij.accounts.authentication import AUTHENTICATED
from nabij.core.api_types import DistrictCode, MunicipalityCode, NeighbourhoodCode, request_municipality
from nabij.core.models import Municipality
from nabij.core.problems import responses
from nabij.monitor.coverage import ANY
from nabij.monitor.indicators.cells import Cell
from nabij.monitor.whatif import ActivityFilter, AreaOutcome, Hypothetical, Scenario, check_scenario, run_whatif
from nabij.socialmap.api_access import field_error, raise_if
from nabij.socialmap.models import ActionPerspective, Organisation, Place

router = Router(tags=["monitor"], auth=AUTHENTICATED)

Perspective = Literal["omgevingsinitiatief", "mild_werkverband", "warme_plek"]
assert set(get_args(Perspective)) == set(ActionPerspective.values)


class SelectIn(Schema):
    model_config = ConfigDict(extra="forbid")

    participation_type: str | None = Field(None, description="Only activities of this participation type (code).")
    district: DistrictCode | None = Field(None, description="Only activities at places in this district (WK code).")
    neighbourhood: NeighbourhoodCode | None = Field(
        None, description="Only activities at places in this neighbourhood (BU code); not with `district`."
    )
    organisation: UUID | None = Field(None, description="Only activities of this organisation (its `uid`).")
    action_perspective: Perspective | None = Field(None, description="Only activities with this action perspective.")
    has_barrier: str | None = Field(None, description="Only activities that have this barrier now (code).")


class AddIn(Schema):
    model_config = ConfigDict(extra="forbid")

    place: UUID = Field(description="The `uid` of an existing place with coordinates.")
    participation_type: str = Field(description="Participation type of the new activity (code).")
    barriers: list[str] = Field(default_factory=list, description="Barrier codes the new activity has; empty: none.")


class WhatIfIn(Schema):
    model_config = ConfigDict(extra="forbid")

    target_group: str = Field(description="Code of the target group, e.g. `epa`.", examples=["epa"])
    measure: str = Field(
        ANY, description="Coverage of which participation type (code), or `any` for at least one of any type."
    )
    select: SelectIn | None = Field(
        None, description="Which activities drop `remove_barriers`; left out or empty: all published activities."
    )
    remove_barriers: list[str] = Field(
        default_factory=list, description="Barrier codes the selected activities drop.", examples=[["cost"]]
    )
    add: AddIn | None = Field(None, description="A hypothetical extra activity at an existing place.")
    date: dt.date | None = Field(None, description="Use the supply of this day (`YYYY-MM-DD`); default today.")


class FigureOut(Schema):
    residents: int | None = Field(description="Estimated residents within reach of an accessible activity.")
    percentage: float | None = Field(description="The same as a share of the area's residents.")
    suppressed: bool = Field(description="Protected: too few people to show; the numbers are null.")


class GainOut(Schema):
    residents: int | None = Field(description="Residents who gain an accessible option within reach.")
    percentage_points: float | None = Field(
        description="The gain in percentage points; null where the gain or the after figure is protected."
    )
    suppressed: bool = Field(description="Protected: too few people to show; `residents` is null.")


class AreaOut(Schema):
    code: str = Field(description="CBS code of the area.")
    name: str = Field(description="Name of the area.")
    level: Literal["municipality", "district", "neighbourhood"] = Field(description="What kind of area.")
    population: int | None = Field(
        description="Residents (CBS population figure); null where every percentage on it is protected."
    )
    before: FigureOut = Field(description="Coverage as the social map is.")
    after: FigureOut = Field(description="Coverage in the scenario.")
    gain: GainOut = Field(description="After minus before.")


class WhatIfOut(Schema):
    target_group: str = Field(description="Code of the target group.")
    measure: str = Field(description="The participation type compared, or `any`.")
    date: dt.date = Field(description="The day whose supply was used.")
    selected_activities: int = Field(description="Published activities active on `date` that the selection picks.")
    changed_activities: int = Field(description="Of those, the ones that lose at least one barrier.")
    changed_without_place: int = Field(
        description="Changed activities without coordinates: they count for nobody's walking distance."
    )
    added_activity: bool = Field(description="Whether a hypothetical activity was added.")
    walk_metres: int = Field(description="Walking distance in metres.")
    detour_factor: float = Field(description="Walking distance = straight-line distance x this factor.")
    min_count: int = Field(description="Counts below this (and above 0) are protected.")
    areas: list[AreaOut] = Field(description="The municipality, then its districts, then its neighbourhoods.")


# --- access and input --------------------------------------------------------------------------


def _operator(request: HttpRequest) -> Municipality:
    municipality = request_municipality(request)
    user = permissions.authenticated_user(request)
    if not permissions.has_role(user, municipality, *permissions.MONITOR_OPERATORS):
        raise Http404
    return municipality


# check_scenario's error keys → where the client sent the value.
_LOCATIONS: dict[str, tuple[str, ...]] = {
    "target_group": ("body", "target_group"),
    "measure": ("body", "measure"),
    "participation_type": ("body", "select", "participation_type"),
    "organisation": ("body", "select", "organisation"),
    "action_perspective": ("body", "select", "action_perspective"),
    "has_barrier": ("body", "select", "has_barrier"),
    "remove_barriers": ("body", "remove_barriers"),
    "add_place": ("body", "add", "place"),
    "add_participation_type": ("body", "add", "participation_type"),
    "add_barriers": ("body", "add", "barriers"),
}


def _scenario(payload: WhatIfIn) -> tuple[Scenario, list[dict[str, Any]]]:
    """The payload as a Scenario, uids made primary keys (of this municipality, by the scope), and the
    errors found on the way."""
    select = payload.select or SelectIn.model_validate({})
    errors: list[dict[str, Any]] = []
    if select.district and select.neighbourhood:
        message = gettext("Kies een wijk of een buurt, niet allebei.")
        errors.append(field_error(("body", "select", "neighbourhood"), message, "district_and_neighbourhood"))
    organisation: int | None = None
    if select.organisation is not None:
        organisation = Organisation.objects.filter(uid=select.organisation).values_list("pk", flat=True).first()
        if organisation is None:
            message = gettext("Deze organisatie bestaat niet in deze gemeente.")
            errors.append(field_error(("body", "select", "organisation"), message, "unknown"))
    add: Hypothetical | None = None
    if payload.add is not None:
        place = Place.objects.filter(uid=payload.add.place).values_list("pk", flat=True).first()
        if place is None:
            message = gettext("Deze plek bestaat niet in deze gemeente.")
            errors.append(field_error(("body", "add", "place"), message, "unknown"))
        else:
            add = Hypothetical(place, payload.add.participation_type, tuple(payload.add.barriers))
    scenario = Scenario(
        target_group=payload.target_group,
        measure=payload.measure,
        select=ActivityFilter(
            participation_type=select.participation_type or "",
            area=select.neighbourhood or select.district or "",
            organisation=organisation,
            action_perspective=select.action_perspective or "",
            has_barrier=select.has_barrier or "",
        ),
        remove_barriers=tuple(payload.remove_barriers),
        add=add,
        day=payload.date,
    )
    return scenario, errors


def _check(tenant: Municipality, scenario: Scenario, payload: WhatIfIn, errors: list[dict[str, Any]]) -> None:
    """All input errors at once: those of the payload and those check_scenario finds."""
    area_field = "neighbourhood" if payload.select and payload.select.neighbourhood else "district"
    try:
        check_scenario(tenant, scenario)
    except ValidationError as error:
        for key, messages in error.message_dict.items():
            if key == NON_FIELD_ERRORS and errors:
                continue  # "nothing changes" is no news while a part of the scenario was not understood
            location = _LOCATIONS.get(key) or (("body", "select", area_field) if key == "area" else ("body",))
            code = "no_change" if key == NON_FIELD_ERRORS else "invalid"
            errors.extend(field_error(location, message, code) for message in messages)
    raise_if(errors)


# --- output ------------------------------------------------------------------------------------

_LEVELS = {"GM": "municipality", "WK": "district", "BU": "neighbourhood"}


def _figure(cell: Cell) -> dict[str, Any]:
    if cell.suppressed:
        return {"residents": None, "percentage": None, "suppressed": True}
    return {"residents": int(cell.numerator or 0), "percentage": cell.value, "suppressed": False}


def _area(outcome: AreaOutcome) -> dict[str, Any]:
    gain = outcome.gain
    return {
        "code": outcome.code,
        "name": outcome.name,
        "level": _LEVELS[outcome.level],
        "population": outcome.population,
        "before": _figure(outcome.before),
        "after": _figure(outcome.after),
        "gain": {
            "residents": None if gain.suppressed else int(gain.numerator or 0),
            "percentage_points": outcome.points,
            "suppressed": gain.suppressed,
        },
    }


@router.post(
    "/municipalities/{municipality}/monitor/what-if",
    response=responses(WhatIfOut, 401, 404, 422),
    summary="Coverage what-if",
)
def post_whatif(request: HttpRequest, municipality: MunicipalityCode, payload: WhatIfIn) -> dict[str, Any]:
    """How many more residents of a target group would have an accessible activity within walking
    distance if the selected activities dropped `remove_barriers`, and/or if there were one more
    activity (`add`) at an existing place. Per neighbourhood, district and the municipality.

    A calculation only: nothing in the social map changes. Give at least `remove_barriers` or `add`.
    Numbers are estimates (each neighbourhood's residents spread over a 100 m grid; walking distance =
    straight-line distance x the detour factor) and are protected like every monitor figure.
    """
    tenant = _operator(request)
    scenario, errors = _scenario(payload)
    _check(tenant, scenario, payload, errors)
    result = run_whatif(municipality=tenant, scenario=scenario)
    return {
        "target_group": scenario.target_group,
        "measure": scenario.measure,
        "date": result.day,
        "selected_activities": result.selected,
        "changed_activities": result.changed,
        "changed_without_place": result.without_place,
        "added_activity": scenario.add is not None,
        "walk_metres": result.walk_metres,
        "detour_factor": result.detour_factor,
        "min_count": result.min_count,
        "areas": [_area(outcome) for outcome in result.rows()],
    }
