"""The coordinator's "Groepen": every running group with its counts and signals, no names.

For coordinators and admins after the second factor (the page links to the groups' member lists).
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.groups import selectors
from nabij.groups.forms import SignalFilterForm


@municipality_page(*permissions.GROUP_STEERING, personal_data=True)
def group_signals(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = SignalFilterForm(request.GET or None)
    only_signalled = bool(form.is_valid() and form.cleaned_data.get("signal"))
    overview = selectors.group_signals(municipality=municipality, only_signalled=only_signalled)
    labels = {signal: selectors.signal_label(signal) for signal in selectors.GroupSignal.ALL}
    return render(
        request,
        "groups/signals.html",
        {
            "municipality": municipality,
            "form": form,
            "overview": overview,
            "summary": [(labels[s], overview.counts[s]) for s in selectors.GroupSignal.ALL],
            "only_signalled": only_signalled,
        },
    )
