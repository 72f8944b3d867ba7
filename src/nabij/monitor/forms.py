"""Forms of the monitor's dashboard: the filters of an indicator page and the period to compute."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from nabij.monitor.periods import PeriodError, parse_period

# In the target-group filter "" would mean both "everyone" and "nothing chosen"; these stand in.
EVERYONE = "iedereen"
ALL = "alle"

LEVEL_NAMES = {"GM": _("Hele gemeente"), "WK": _("Per wijk"), "BU": _("Per buurt")}


def _choice(form: forms.Form, name: str) -> forms.ChoiceField:
    field = form.fields[name]
    assert isinstance(field, forms.ChoiceField)
    return field


class IndicatorFilterForm(forms.Form):
    """What an indicator page shows. Every field has a default, so the page works without any choice."""

    niveau = forms.ChoiceField(
        label=_("Gebied"), required=False, error_messages={"invalid_choice": _("Kies een gebied uit de lijst.")}
    )
    wijk = forms.ChoiceField(
        label=_("Wijk"),
        required=False,
        help_text=_("Alleen bij wijken en buurten."),
        error_messages={"invalid_choice": _("Kies een wijk uit de lijst.")},
    )
    groep = forms.ChoiceField(
        label=_("Groep"), required=False, error_messages={"invalid_choice": _("Kies een groep uit de lijst.")}
    )
    uitsplitsing = forms.ChoiceField(
        label=_("Uitsplitsing"),
        required=False,
        error_messages={"invalid_choice": _("Kies een uitsplitsing uit de lijst.")},
    )
    vergelijk = forms.ChoiceField(
        label=_("Vergelijk met periode"),
        required=False,
        error_messages={"invalid_choice": _("Kies een periode uit de lijst.")},
    )

    def __init__(
        self,
        *args: Any,
        levels: list[str],
        districts: list[tuple[str, str]],
        target_groups: list[tuple[str, str]],
        breakdowns: list[tuple[str, str]],
        periods: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "niveau").choices = [(level, LEVEL_NAMES[level]) for level in levels]
        self.default_level = "GM" if "GM" in levels else (levels[0] if levels else "GM")
        if set(levels) & {"WK", "BU"} and districts:
            _choice(self, "wijk").choices = [("", _("Alle wijken")), *districts]
        else:
            del self.fields["wijk"]
        groups = [(EVERYONE if code == "" else code, capfirst(name)) for code, name in target_groups]
        if len(groups) > 1:
            groups.append((ALL, str(_("Alle groepen naast elkaar"))))
        _choice(self, "groep").choices = groups
        self.default_group = groups[0][0] if groups else EVERYONE
        if len(breakdowns) > 1:
            _choice(self, "uitsplitsing").choices = [("", _("Alles")), *[(b, capfirst(n)) for b, n in breakdowns]]
        else:
            del self.fields["uitsplitsing"]
        _choice(self, "vergelijk").choices = [("", _("Niet vergelijken")), *[(p, p) for p in periods]]
        for name, default in (("niveau", self.default_level), ("groep", self.default_group)):
            self.fields[name].initial = default

    def selection(self) -> dict[str, Any]:
        """The choices, with defaults for what was left out; call after is_valid()."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        group = data.get("groep") or self.default_group
        return {
            "level": data.get("niveau") or self.default_level,
            "district": data.get("wijk") or "",
            "target_group": None if group == ALL else ("" if group == EVERYONE else group),
            "breakdown": data.get("uitsplitsing") or None,
            "compare": data.get("vergelijk") or "",
        }


class SnapshotComputeForm(forms.Form):
    periode = forms.CharField(
        label=_("Periode"),
        max_length=7,
        help_text=_("Een jaar (2026), een kwartaal (2026-Q3) of een maand (2026-07)."),
        error_messages={"required": _("Vul een periode in, bijvoorbeeld 2026-Q3.")},
    )

    def clean_periode(self) -> str:
        try:
            return parse_period(self.cleaned_data["periode"]).code
        except PeriodError as error:
            raise forms.ValidationError(str(error), code="period") from None


class ReportForm(forms.Form):
    """The PDF report: for the whole municipality or one district."""

    wijk = forms.ChoiceField(
        label=_("Rapport voor"), required=False, error_messages={"invalid_choice": _("Kies een wijk uit de lijst.")}
    )

    def __init__(self, *args: Any, districts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _choice(self, "wijk").choices = [("", _("De hele gemeente")), *districts]
