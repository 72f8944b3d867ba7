"""The coordinator's CSV import of activities: upload, background task, progress page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from nabij.accounts import permissions
from nabij.accounts.decorators import municipality_page
from nabij.core.models import Municipality
from nabij.socialmap import activity_csv
from nabij.socialmap.imports import activity_import_start, example_csv

MAX_BYTES = 5 * 1024 * 1024


class ActivityImportForm(forms.Form):
    file = forms.FileField(
        label=_("CSV-bestand met activiteiten"),
        help_text=_("Opgeslagen als CSV UTF-8, met een puntkomma (;) of komma (,) tussen de kolommen. Hoogstens 5 MB."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    dry_run = forms.BooleanField(label=_("Alleen controleren, nog niets opslaan"), required=False)

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not str(upload.name).lower().endswith(".csv"):
            raise forms.ValidationError(
                _("Kies een bestand dat eindigt op .csv. Sla een spreadsheet op als CSV UTF-8.")
            )
        if upload.size > MAX_BYTES:
            raise forms.ValidationError(
                _("Het bestand is groter dan 5 MB. Verdeel de activiteiten over meer bestanden.")
            )
        return upload


@municipality_page(*permissions.ACTIVITY_IMPORTERS, personal_data=True)
def activity_import(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    form = ActivityImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        run = activity_import_start(
            actor=request.user,
            municipality=municipality,
            upload=form.cleaned_data["file"],
            dry_run=form.cleaned_data["dry_run"],
        )
        return redirect("task_progress", run_id=run.pk)
    return render(
        request,
        "socialmap/imports/activity_import.html",
        {"municipality": municipality, "form": form, "required_columns": activity_csv.REQUIRED_COLUMNS},
    )


@municipality_page(*permissions.ACTIVITY_IMPORTERS, personal_data=True)
def activity_import_example(request: HttpRequest, municipality: Municipality) -> HttpResponse:
    response = HttpResponse(example_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="activiteiten-voorbeeld.csv"'
    return response
