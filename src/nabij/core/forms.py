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
