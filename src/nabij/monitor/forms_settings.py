"""The monitor settings form."""

from __future__ import annotations

from django import forms

from nabij.monitor.models import MonitorSettings


class MonitorSettingsForm(forms.ModelForm):
    class Meta:
        model = MonitorSettings
        fields = ["min_count", "min_base", "walk_metres", "detour_factor"]
