"""Coordinator pages: the barrier table (with its CSV) and the barrier catalogue.

The barrier table shows supply, never people, so it needs no second factor; the catalogue page
changes what every activity's profile means, so coordinators and admins must have passed it.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.socialmap import services
from nabij.socialmap.forms import BarrierCreateForm, BarrierTableForm, TargetGroupCreateForm, add_service_error
from nabij.socialmap.models import Barrier, ParticipationType, TargetGroup, bits_of
from nabij.socialmap.selectors import BARRIER_TABLE_COLUMNS, BarrierTableRow, barrier_table, write_barrier_table_csv


def _table_for(request: HttpRequest, municipality: Municipality) -> tuple[BarrierTableForm, dict[str, Any] | None]:
    form = BarrierTableForm(request.GET or None, municipality=municipality)
    if form.is_bound and not form.is_valid():
        return form, None
    selection = form.selection()
    if selection["target_group"] is None:
        return form, None
    rows = barrier_table(municipality=municipality, **selection)
    return form, {**selection, "rows": rows}


def _area_name(selection: dict[str, Any], municipality: Municipality) -> str:
    if selection["neighbourhood"] is not None:
        return str(_("buurt %(name)s") % {"name": selection["neighbourhood"].name})
    if selection["district"] is not None:
        return str(_("wijk %(name)s") % {"name": selection["district"].name})
    return municipality.name


@municipality_page(*permissions.BARRIER_TABLE_READERS)
def barrier_table_page(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    if not permissions.can_read_barrier_table(request.user, municipality):
        raise Http404
    form, table = _table_for(request, municipality)
    return _render_table(request, municipality, form, table)


def _render_table(
    request: HttpRequest, municipality: Municipality, form: BarrierTableForm, table: dict[str, Any] | None
) -> HttpResponse:
    context: dict[str, Any] = {"municipality": municipality, "form": form, "table": table}
    if table is not None:
        rows: list[BarrierTableRow] = table["rows"]
        language = get_language() or "nl"
        group: TargetGroup = table["target_group"]
        labels = {t.code: t.label(language) for t in ParticipationType.objects.filter(municipality=municipality)}
        context.update(
            group_name=group.name_en if language.startswith("en") and group.name_en else group.name_nl,
            area_name=_area_name(table, municipality),
            rows=[{"label": labels.get(row.code, row.label), "counts": row.counts, "total": row.total} for row in rows],
            totals=[sum(row.counts[i] for row in rows) for i in range(len(BARRIER_TABLE_COLUMNS))],
            grand_total=sum(row.total for row in rows),
            csv_query=request.GET.urlencode(),
            sensitive_to=[
                b.label(language)
                for b in Barrier.objects.filter(municipality=municipality).order_by("bit")
                if b.bit in bits_of(group.sensitivity_mask)
            ],
        )
    return render(
        request,
        "socialmap/coordinator/barrier_table.html",
        context,
        status=400 if form.errors else 200,
    )


@municipality_page(*permissions.BARRIER_TABLE_READERS)
def barrier_table_csv(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    if not permissions.can_read_barrier_table(request.user, municipality):
        raise Http404
    form, table = _table_for(request, municipality)
    if table is None:
        # The page itself says what is wrong with the choice.
        return _render_table(request, municipality, form, table)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    area = table["neighbourhood"] or table["district"]
    parts = ["drempeltabel", municipality.code, table["target_group"].code, *([area.code] if area else [])]
    filename = "-".join([*parts, table["day"].isoformat()]) + ".csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    write_barrier_table_csv(table["rows"], response)
    return response


# ---------------------------------------------------------------------------------------------
# The catalogue: barriers and target groups
# ---------------------------------------------------------------------------------------------


@municipality_page(*permissions.CATALOGUE_MANAGERS, personal_data=True)
def barrier_catalogue(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    if not permissions.can_manage_social_map_catalogue(request.user, municipality):
        raise Http404
    action = request.POST.get("action") if request.method == "POST" else None
    barrier_form = BarrierCreateForm(
        request.POST if action == "barrier" else None, municipality=municipality, prefix="barrier"
    )
    group_form = TargetGroupCreateForm(
        request.POST if action == "target_group" else None, municipality=municipality, prefix="group"
    )
    if action == "barrier" and barrier_form.is_valid():
        try:
            barrier = services.barrier_create(
                actor=request.user, municipality=municipality, **barrier_form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(barrier_form, error)
        else:
            messages.success(request, _("De drempel '%(label)s' is toegevoegd.") % {"label": barrier.label_nl})
            return redirect("socialmap:barrier_catalogue", municipality=municipality.slug)
    if action == "target_group" and group_form.is_valid():
        try:
            group = services.target_group_create(
                actor=request.user, municipality=municipality, **group_form.cleaned_data
            )
        except ValidationError as error:
            add_service_error(group_form, error)
        else:
            messages.success(request, _("De doelgroep '%(name)s' is toegevoegd.") % {"name": group.name_nl})
            return redirect("socialmap:barrier_catalogue", municipality=municipality.slug)
    language = get_language() or "nl"
    barriers = list(Barrier.objects.filter(municipality=municipality).order_by("bit"))
    groups = [
        {
            "group": group,
            "name": group.name_en if language.startswith("en") and group.name_en else group.name_nl,
            "barriers": [b.label(language) for b in barriers if group.sensitivity_mask & b.mask],
        }
        for group in TargetGroup.objects.filter(municipality=municipality).order_by("code")
    ]
    return render(
        request,
        "socialmap/coordinator/catalogue.html",
        {
            "municipality": municipality,
            "barriers": [{"barrier": b, "label": b.label(language)} for b in barriers],
            "groups": groups,
            "barrier_form": barrier_form,
            "group_form": group_form,
        },
        status=400 if barrier_form.errors or group_form.errors else 200,
    )
