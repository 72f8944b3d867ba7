from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from nabij.core.models import AuditAction, AuditPurpose


class AuditFilterForm(forms.Form):
    action = forms.ChoiceField(label=_("Wat"), required=False, choices=[("", _("Alles")), *AuditAction.choices])
    purpose = forms.ChoiceField(
        label=_("Doel"), required=False, choices=[("", _("Alle doelen")), *AuditPurpose.choices]
    )
    since = forms.DateField(label=_("Vanaf"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Tot en met"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            raise forms.ValidationError(_("De begindatum ligt na de einddatum."))
        return data


AREA_FILE_SUFFIXES = (".geojson", ".json", ".csv")
AREA_FILE_MAX_BYTES = 50 * 1024 * 1024


class AreaImportForm(forms.Form):
    file = forms.FileField(
        label=_("Bestand met wijken en buurten"),
        help_text=_("De CBS wijk- en buurtkaart als GeoJSON (in WGS 84), of een CSV-bestand. Hoogstens 50 MB."),
    )
    dry_run = forms.BooleanField(
        label=_("Alleen controleren, nog niets opslaan"),
        required=False,
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not str(upload.name).lower().endswith(AREA_FILE_SUFFIXES):
            raise forms.ValidationError(_("Kies een bestand dat eindigt op .geojson, .json of .csv."))
        if upload.size > AREA_FILE_MAX_BYTES:
            raise forms.ValidationError(_("Het bestand is groter dan 50 MB. Neem alleen je eigen gemeente op."))
        return upload
