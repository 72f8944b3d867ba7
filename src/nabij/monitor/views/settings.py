"""The monitor's settings page: small-cell thresholds and walking distance (coordinators, admins)."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.monitor.forms_settings import MonitorSettingsForm
from nabij.monitor.selectors import monitor_settings
from nabij.monitor.services.settings import monitor_settings_update


@municipality_page(*permissions.MONITOR_SETTINGS_EDITORS)
def settings_page(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    current = monitor_settings(municipality)
    form = MonitorSettingsForm(request.POST or None, instance=current)
    if request.method == "POST" and form.is_valid():
        monitor_settings_update(actor=request.user, municipality=municipality, **form.cleaned_data)
        messages.success(request, _("De instellingen zijn opgeslagen. Ze gelden vanaf de volgende berekening."))
        return redirect("monitor:settings", municipality=municipality.slug)
    return render(request, "monitor/settings.html", {"municipality": municipality, "form": form})
