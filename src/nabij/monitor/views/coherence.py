"""The coherence page: the network of activities in a period, for coordinators and analysts.

It shows activities, organisations and counts, never people; counts of people from 1 to 4 show as
"<5". Analysts need no second factor; coordinators and admins pass it as on every steering page.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.monitor.coherence.page import Overview, coherence_overview
from nabij.monitor.periods import Period, PeriodError, last_complete_quarter, parse_period
from nabij.monitor.selectors import monitor_settings
from nabij.socialmap.models import ActionPerspective, ParticipationType

# The plural for "Deze twee ... delen geen deelnemers".
PERSPECTIVE_PLURAL: dict[str, Promise] = {
    ActionPerspective.WARME_PLEK: _("warme plekken"),
    ActionPerspective.MILD_WERKVERBAND: _("milde werkverbanden"),
    ActionPerspective.OMGEVINGSINITIATIEF: _("omgevingsinitiatieven"),
}


class PeriodForm(forms.Form):
    periode = forms.CharField(
        label=_("Periode"),
        help_text=_("Een kwartaal (2026-Q3), een maand (2026-07) of een jaar (2026)."),
        error_messages={"required": _("Vul een periode in.")},
    )

    def clean_periode(self) -> Period:
        try:
            return parse_period(self.cleaned_data["periode"])
        except PeriodError as error:
            raise forms.ValidationError(str(error)) from error


def _suggestion_reason(perspective: str, distance_m: int) -> str:
    kind = PERSPECTIVE_PLURAL.get(perspective, _("activiteiten"))
    if distance_m < 10:
        return str(_("Deze twee %(kind)s delen geen deelnemers, maar zijn op dezelfde plek.") % {"kind": kind})
    return str(
        _("Deze twee %(kind)s delen geen deelnemers, maar liggen %(distance)s m uit elkaar.")
        % {"kind": kind, "distance": distance_m}
    )


def _context(overview: Overview, municipality: Municipality) -> dict[str, Any]:
    language = get_language() or "nl"
    type_labels = {t.code: t.label(language) for t in ParticipationType.objects.filter(municipality=municipality)}
    return {
        "overview": overview,
        "suggestions": [
            {"row": row, "reason": _suggestion_reason(row.perspective, row.distance_m)}
            for row in overview.suggestion_rows
        ],
        "communities": [
            {
                "row": row,
                "organisations": [f"{name} ({count})" for name, count in row.organisations],
                "types": [f"{type_labels.get(code, code)} ({count})" for code, count in row.types],
            }
            for row in overview.community_rows
        ],
    }


@municipality_page(*permissions.MONITOR_READERS, personal_data=True)
def coherence_page(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    default = last_complete_quarter(timezone.localdate())
    form = PeriodForm(request.GET if "periode" in request.GET else {"periode": default.code})
    # The threshold the page's "<5" stands for, also on the error page's introduction.
    min_count = monitor_settings(municipality).min_count
    context: dict[str, Any] = {
        "municipality": municipality,
        "form": form,
        "min_count": min_count,
        "small_label": f"<{min_count}",  # escaped as a variable, unlike a "<" in the message itself
    }
    if not form.is_valid():
        return render(request, "monitor/coherence/page.html", context, status=400)
    period: Period = form.cleaned_data["periode"]
    overview = coherence_overview(municipality, period, min_count)
    context.update(period=period, **_context(overview, municipality))
    return render(request, "monitor/coherence/page.html", context)
