"""The monitor's dashboard: an overview per period, a page per indicator, the CSV and the PDF report.

For coordinators, analysts and admins (`permissions.MONITOR_READERS`). The pages read stored
snapshots only, which hold published values and never a person, so no second factor is asked.
Every page works without JavaScript; with htmx the indicator filters swap only the results.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import District, Municipality, Neighbourhood
from nabij.monitor import selectors
from nabij.monitor.exports import CSV_MEDIA_TYPE, csv_filename, write_snapshot_csv
from nabij.monitor.forms import LEVEL_NAMES, IndicatorFilterForm, ReportForm, SnapshotComputeForm
from nabij.monitor.indicators.definitions import BY_CODE, Indicator, breakdown_of
from nabij.monitor.models import Snapshot, SnapshotStatus, Unit
from nabij.monitor.periods import last_complete_quarter
from nabij.monitor.report_pdf import PDF_MEDIA_TYPE, render_report, report_filename

READER_PAGE = municipality_page(*permissions.MONITOR_READERS)
# More bars than this make a chart nobody reads; the table still shows every value.
MAX_BARS = 40


def _language() -> str:
    return "en" if (get_language() or "nl").startswith("en") else "nl"


def _snapshot(municipality: Municipality, period: str) -> Snapshot:
    snapshot = selectors.published_snapshot(municipality, period)
    if snapshot is None:
        raise Http404
    return snapshot


def _districts(municipality: Municipality) -> list[tuple[str, str]]:
    return [(d.code, d.name) for d in selectors.districts_of(municipality)]


# --- overview --------------------------------------------------------------------------------------


@READER_PAGE
def overview(request: HttpRequest, municipality: Municipality, period: str | None = None) -> HttpResponse:
    return _overview(request, municipality, period, compute_form=None)


def _overview(
    request: HttpRequest,
    municipality: Municipality,
    period: str | None,
    compute_form: SnapshotComputeForm | None,
    status: int = 200,
    report_form: ReportForm | None = None,
) -> HttpResponse:
    snapshots = list(selectors.snapshots_of(municipality))
    published = [s for s in snapshots if s.status == SnapshotStatus.DONE]
    if period is not None:
        chosen: Snapshot | None = _snapshot(municipality, period)
    else:
        chosen = published[0] if published else None
    can_compute = permissions.can_compute_snapshot(request.user, municipality)
    if compute_form is None and can_compute:
        suggested = chosen.period if chosen else last_complete_quarter(timezone.localdate()).code
        compute_form = SnapshotComputeForm(initial={"periode": suggested})
    families: list[dict[str, Any]] = []
    if chosen is not None:
        labels = selectors.labels_for(municipality, _language())
        heads = selectors.headlines(chosen, municipality)
        rows = {row.indicator.code: row for row in selectors.rows_for(heads.values(), labels, _min(chosen))}
        for _code, name, indicators in selectors.families_with_indicators(heads):
            families.append(
                {
                    "name": name,
                    "items": [
                        {"indicator": i, "name": labels.indicator(i), "row": rows.get(i.code)} for i in indicators
                    ],
                }
            )
    return render(
        request,
        "monitor/dashboard/overview.html",
        {
            "municipality": municipality,
            "snapshots": snapshots,
            "chosen": chosen,
            "families": families,
            "compute_form": compute_form if can_compute else None,
            "less_than": f"<{_min(chosen) if chosen else selectors.settings_min_count(municipality.pk)}",
            "report_form": report_form or ReportForm(districts=_districts(municipality)),
        },
        status=status,
    )


def _min(snapshot: Snapshot) -> int:
    return selectors.min_count_for(snapshot)


@READER_PAGE
@require_POST
def compute(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    """'Bereken opnieuw': start the snapshot task and follow its progress."""
    if not permissions.can_compute_snapshot(request.user, municipality):
        raise Http404
    form = SnapshotComputeForm(request.POST)
    if form.is_valid():
        # Imported here: the snapshot service is its own module, and the pages must not need it to load.
        from nabij.monitor.services.snapshots import snapshot_enqueue

        try:
            run = snapshot_enqueue(actor=request.user, municipality=municipality, period=form.cleaned_data["periode"])
        except ValidationError as error:
            form.add_error("periode", error.messages)
        else:
            return redirect(reverse("task_progress", args=[run.id]))
    return _overview(request, municipality, None, compute_form=form, status=400)


# --- one indicator ---------------------------------------------------------------------------------


@dataclass
class Bar:
    """One bar of the chart, with its label above and its figure to the right, in SVG user units."""

    label: str
    text: str
    top: float
    width: float
    suppressed: bool
    other_text: str = ""
    other_width: float = 0.0
    other_suppressed: bool = False
    has_other: bool = False

    @property
    def label_y(self) -> float:
        return self.top + LABEL_HEIGHT - 6

    @property
    def bar_y(self) -> float:
        return self.top + LABEL_HEIGHT

    @property
    def text_x(self) -> float:
        return self.width + 8

    @property
    def text_y(self) -> float:
        return self.bar_y + BAR_HEIGHT - 5

    @property
    def other_y(self) -> float:
        return self.bar_y + BAR_HEIGHT + 4

    @property
    def other_text_x(self) -> float:
        return self.other_width + 8

    @property
    def other_text_y(self) -> float:
        return self.other_y + OTHER_HEIGHT - 2


# Chart geometry in SVG user units; the SVG scales to the page's width.
CHART_WIDTH = 560
LABEL_HEIGHT = 20
BAR_HEIGHT = 20
OTHER_HEIGHT = 14
ROW_GAP = 14
VALUE_ROOM = 230  # room right of the longest bar for its figure (and the reason it is hidden)
EMPTY_WIDTH = 24  # a protected figure that is not a count has no size; its outline has this width
# A protected count lies below the threshold: its outline spans 0 to the threshold, within these bounds.
EMPTY_COUNT_WIDTH = (8.0, 48.0)


def _chart(rows: list[selectors.Row], unit: str, min_count: int, period: str, other_period: str) -> dict[str, Any]:
    comparing = bool(other_period)
    varying = {
        "area": len({r.value.area_code for r in rows}) > 1,
        "group": len({r.value.target_group for r in rows}) > 1,
        "breakdown": len({r.value.indicator for r in rows}) > 1,
    }
    numbers = [r.value.value for r in rows if not r.value.suppressed and r.value.value is not None]
    numbers += [r.other_number for r in rows if r.other_number is not None]
    scale = 100.0 if unit == Unit.PERCENTAGE else max([*numbers, float(min_count), 1.0])
    usable = CHART_WIDTH - VALUE_ROOM

    def size(number: float | None, suppressed: bool) -> float:
        if suppressed:
            if unit != Unit.COUNT:
                return EMPTY_WIDTH
            low, high = EMPTY_COUNT_WIDTH
            return round(min(max(usable * min_count / scale, low), high), 1)
        return 0.0 if number is None else round(usable * max(number, 0.0) / scale, 1)

    def text(shown: selectors.Shown, label: str) -> str:
        figure = shown.value
        if shown.suppressed and unit != Unit.COUNT:
            figure = f"{selectors.DASH} ({shown.explanation})"
        return f"{label}: {figure}" if comparing else figure

    bars: list[Bar] = []
    top = 0.0
    for row in rows:
        parts = [
            row.area_name if varying["area"] or not (varying["group"] or varying["breakdown"]) else "",
            row.breakdown if varying["breakdown"] else "",
            row.target_group if varying["group"] else "",
        ]
        bar = Bar(
            label=capfirst(", ".join(p for p in parts if p)),
            text=text(row.shown, period),
            top=top,
            width=size(row.value.value, row.value.suppressed),
            suppressed=row.value.suppressed,
        )
        if comparing:
            bar.has_other = True
            if row.other is None:
                bar.other_text = _("%(period)s: niet berekend") % {"period": other_period}
            else:
                bar.other_text = text(row.other, other_period)
                bar.other_suppressed = row.other.suppressed
                bar.other_width = size(row.other_number, row.other.suppressed)
        bars.append(bar)
        top += LABEL_HEIGHT + BAR_HEIGHT + (OTHER_HEIGHT + 4 if comparing else 0) + ROW_GAP
    return {
        "bars": bars,
        "width": CHART_WIDTH,
        "height": max(top - ROW_GAP + 4, 1),
        "bar_height": BAR_HEIGHT,
        "other_height": OTHER_HEIGHT,
        "comparing": comparing,
    }


def _map(
    snapshot: Snapshot,
    municipality: Municipality,
    indicator: Indicator,
    selection: dict[str, Any],
    dimensions: dict[str, list[str]],
    labels: selectors.Labels,
) -> SafeString | None:
    """A choropleth of the neighbourhoods, for one group and one breakdown, where the indicator has them."""
    if "BU" not in dimensions["levels"]:
        return None
    from nabij.monitor.choropleth import choropleth_svg

    group = selection["target_group"]
    if group is None:
        group = dimensions["target_groups"][0]
    breakdowns = dimensions["breakdowns"]
    breakdown = selection["breakdown"]
    if breakdown is None:
        preferred = selectors.HEADLINE_BREAKDOWN.get(indicator.code)
        breakdown = preferred if preferred in breakdowns else breakdowns[0]
    spec = selectors.ValueFilter(
        code=indicator.code, level="BU", district=selection["district"], target_group=group, breakdown=breakdown
    )
    found = list(selectors.values_of(snapshot, spec))
    values: dict[str, float | None] = {v.area_code: None if v.suppressed else v.value for v in found}
    suppressed = {v.area_code for v in found if v.suppressed}
    neighbourhoods = Neighbourhood.objects.filter(municipality=municipality).order_by("code")
    if selection["district"]:
        neighbourhoods = neighbourhoods.filter(district__code=selection["district"])
    title_parts = [labels.indicator(indicator), labels.target_group(group)]
    code = f"{indicator.code}.{breakdown}" if breakdown else indicator.code
    if breakdown:
        title_parts.append(labels.breakdown(code))
    title = ", ".join(title_parts) + f" ({snapshot.period})"
    suffixes: dict[str, str] = {Unit.PERCENTAGE: "%", Unit.DAYS: _("dagen")}
    suffix = suffixes.get(indicator.unit, "")
    return choropleth_svg(list(neighbourhoods), values, title=title, unit=suffix, suppressed=suppressed)


@READER_PAGE
def indicator_page(request: HttpRequest, municipality: Municipality, period: str, code: str) -> HttpResponse:
    indicator = BY_CODE.get(code)
    if indicator is None:
        raise Http404
    snapshot = _snapshot(municipality, period)
    language = _language()
    labels = selectors.labels_for(municipality, language)
    dimensions = selectors.dimensions_of(snapshot, code)
    periods = [s.period for s in selectors.published_snapshots(municipality) if s.period != period]
    form = IndicatorFilterForm(
        request.GET or None,
        levels=dimensions["levels"] or [lvl for lvl in selectors.LEVELS if lvl in indicator.levels],
        districts=_districts(municipality),
        target_groups=[(g, labels.target_group(g)) for g in dimensions["target_groups"]],
        breakdowns=[(b, labels.breakdown(f"{code}.{b}")) for b in dimensions["breakdowns"] if b],
        periods=periods,
    )
    invalid = form.is_bound and not form.is_valid()
    selection = form.selection()
    spec = selectors.ValueFilter(
        code=code,
        level=selection["level"],
        district=selection["district"] if selection["level"] in ("WK", "BU") else "",
        target_group=selection["target_group"],
        breakdown=selection["breakdown"],
    )
    values = list(selectors.values_of(snapshot, spec))
    other = selectors.published_snapshot(municipality, selection["compare"]) if selection["compare"] else None
    differences = selectors.compare(values, other, spec) if other is not None else None
    min_count = _min(snapshot)
    rows = selectors.rows_for(values, labels, min_count, differences)
    group_rank = {g: i for i, g in enumerate(dimensions["target_groups"])}
    breakdown_rank = {b: i for i, b in enumerate(dimensions["breakdowns"])}
    rows.sort(
        key=lambda r: (
            r.value.area_code,
            group_rank.get(r.value.target_group, 99),
            breakdown_rank.get(breakdown_of(r.value.indicator), 99),
        )
    )
    chart = None
    if 0 < len(rows) <= MAX_BARS:
        chart = _chart(rows, indicator.unit, min_count, snapshot.period, other.period if other else "")
    context = {
        "municipality": municipality,
        "snapshot": snapshot,
        "indicator": indicator,
        "indicator_name": labels.indicator(indicator),
        "form": form,
        "invalid": invalid,
        "rows": rows,
        "chart": chart,
        "too_many_bars": len(rows) > MAX_BARS,
        "max_bars": MAX_BARS,
        "other": other,
        "min_count": min_count,
        "less_than": f"<{min_count}",
        # A column that would say the same on every row goes into the caption instead.
        "has_breakdown": len({r.breakdown for r in rows}) > 1,
        "has_group": len({r.value.target_group for r in rows}) > 1,
        "breakdown_name": rows[0].breakdown if rows and len({r.breakdown for r in rows}) == 1 else "",
        "level_name": LEVEL_NAMES.get(selection["level"], ""),
        "group_name": "" if selection["target_group"] is None else labels.target_group(selection["target_group"]),
        "map_svg": None if invalid else _map(snapshot, municipality, indicator, selection, dimensions, labels),
        "unit_name": selectors.unit_label(indicator.unit),
    }
    template = "monitor/dashboard/_indicator_results.html" if request.headers.get("HX-Request") else None
    return render(request, template or "monitor/dashboard/indicator.html", context, status=400 if invalid else 200)


# --- downloads -------------------------------------------------------------------------------------


@READER_PAGE
def snapshot_csv(request: HttpRequest, municipality: Municipality, period: str) -> HttpResponse:
    snapshot = _snapshot(municipality, period)
    response = HttpResponse(content_type=f"{CSV_MEDIA_TYPE}; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{csv_filename(snapshot, municipality.code)}"'
    write_snapshot_csv(snapshot, response)
    return response


@READER_PAGE
def snapshot_pdf(request: HttpRequest, municipality: Municipality, period: str) -> HttpResponse:
    snapshot = _snapshot(municipality, period)
    form = ReportForm(request.GET or None, districts=_districts(municipality))
    if form.is_bound and not form.is_valid():
        return _overview(request, municipality, period, compute_form=None, status=400, report_form=form)
    code = form.cleaned_data.get("wijk") if form.is_bound else ""
    district = District.objects.filter(municipality=municipality, code=code).first() if code else None
    body = render_report(municipality=municipality, snapshot=snapshot, district=district, language=_language())
    response = HttpResponse(body, content_type=PDF_MEDIA_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{report_filename(municipality, snapshot, district)}"'
    return response
