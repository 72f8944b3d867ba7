"""The coverage what-if page: choose a scenario, see the gain per neighbourhood on a map and in a table.

For coordinators, analysts and admins (`permissions.MONITOR_OPERATORS`). It reads the social map and
changes nothing; the figures are estimates behind small-cell protection, never people, so no second
factor is asked. A GET form, so it works without JavaScript and a scenario can be bookmarked.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality, Neighbourhood
from nabij.monitor.choropleth import choropleth_svg
from nabij.monitor.coverage import ANY
from nabij.monitor.forms_whatif import WhatIfForm
from nabij.monitor.indicators.cells import Cell
from nabij.monitor.selectors import format_change, format_number
from nabij.monitor.whatif import AreaOutcome, WhatIfResult, run_whatif
from nabij.socialmap.models import ParticipationType, TargetGroup

NO_FIGURE = "\N{EN DASH}"  # a protected percentage, as on the dashboard


@dataclass(frozen=True)
class Figure:
    text: str
    suppressed: bool
    explanation: str = ""


@dataclass(frozen=True)
class Row:
    code: str
    name: str
    level: str
    population: str
    before: Figure
    after: Figure
    gain: Figure
    points: Figure

    @property
    def figures(self) -> tuple[Figure, Figure, Figure, Figure]:
        return (self.before, self.after, self.gain, self.points)


def _percentage(cell: Cell) -> Figure:
    if cell.suppressed:
        return Figure(NO_FIGURE, True, _("te weinig mensen om te tonen"))
    return Figure(format_number(cell.value, "percentage"), False)


def _count(cell: Cell, min_count: int) -> Figure:
    if cell.suppressed:
        return Figure(f"<{min_count}", True, _("minder dan %(count)s") % {"count": min_count})
    return Figure(format_number(cell.numerator, "count"), False)


def _row(outcome: AreaOutcome, min_count: int) -> Row:
    points = outcome.points
    return Row(
        code=outcome.code,
        name=outcome.name,
        level=outcome.level,
        population=format_number(outcome.population, "count") if outcome.population is not None else NO_FIGURE,
        before=_percentage(outcome.before),
        after=_percentage(outcome.after),
        gain=_count(outcome.gain, min_count),
        points=(
            Figure(format_change(points, "percentage"), False)
            if points is not None
            # No figure: protected, or no residents at all (nothing to protect, nothing to show).
            else Figure(NO_FIGURE, outcome.suppressed, _("te weinig mensen om te tonen"))
        ),
    )


def _labels(municipality: Municipality, result: WhatIfResult) -> dict[str, str]:
    language = get_language() or "nl"
    english = language.startswith("en")
    group = TargetGroup.objects.filter(code=result.scenario.target_group).first()
    measure = result.scenario.measure
    if measure == ANY:
        measure_label = _("elke soort deelname")
    else:
        kind = ParticipationType.objects.filter(code=measure).first()
        measure_label = kind.label(language) if kind else measure
    group_label = (group.name_en if english and group and group.name_en else group.name_nl) if group else ""
    return {"group": group_label, "measure": measure_label}


def _result_context(municipality: Municipality, result: WhatIfResult) -> dict[str, Any]:
    labels = _labels(municipality, result)
    min_count = result.min_count
    rows_by_district: list[tuple[Row, list[Row]]] = []
    for district in result.districts:
        children = [_row(n, min_count) for n in result.neighbourhoods if n.code.startswith(f"BU{district.code[2:]}")]
        rows_by_district.append((_row(district, min_count), children))
    values = {n.code: n.points for n in result.neighbourhoods}
    # Protected where a number is hidden; an area without residents simply has no figure.
    suppressed = {n.code for n in result.neighbourhoods if n.points is None and n.suppressed}
    title = _("Winst in bereik voor %(group)s, per buurt (procentpunten)") % {"group": labels["group"]}
    chart = choropleth_svg(
        Neighbourhood.objects.filter(municipality=municipality).only(
            "code", "name", "boundary", "centroid_lat", "centroid_lon"
        ),
        values,
        title=title,
        unit=_("procentpunt"),
        suppressed=suppressed,
        decimals=1,
    )
    return {
        "result": result,
        "labels": labels,
        "total": _row(result.municipality, min_count),
        "districts": rows_by_district,
        "map": chart,
        "map_title": title,
        "walk_metres": result.walk_metres,
        "detour_factor": number_format(result.detour_factor, decimal_pos=1),
    }


@municipality_page(*permissions.MONITOR_OPERATORS)
def whatif_page(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    # Only the form's own fields count as a question (a stray parameter shows the empty form).
    asked = any(name in request.GET for name in WhatIfForm.base_fields)
    form = WhatIfForm(request.GET if asked else None, municipality=municipality)
    context: dict[str, Any] = {"municipality": municipality, "form": form}
    if asked and form.is_valid() and form.scenario is not None:
        result = run_whatif(municipality=municipality, scenario=form.scenario)
        context.update(_result_context(municipality, result))
    return render(request, "monitor/whatif/page.html", context, status=400 if form.errors else 200)
