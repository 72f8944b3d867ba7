"""The what-if form: a target group, the activities that drop a barrier, and/or a new activity.

It parses the input into a `whatif.Scenario` and lets `whatif.check_scenario` decide what fits the
municipality, so the page and the API give the same answers.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nabij.core.models import District, Municipality, Neighbourhood
from nabij.monitor.coverage import ANY
from nabij.monitor.whatif import ActivityFilter, Hypothetical, Scenario, check_scenario, located_places
from nabij.socialmap.models import ActionPerspective, Barrier, Organisation, ParticipationType, TargetGroup

# check_scenario's error keys → the form's fields.
FIELD_OF = {
    "target_group": "group",
    "measure": "measure",
    "participation_type": "type",
    "area": "area",
    "organisation": "organisation",
    "action_perspective": "perspective",
    "has_barrier": "has_barrier",
    "remove_barriers": "remove",
    "add_place": "place",
    "add_participation_type": "new_type",
    "add_barriers": "new_barriers",
}


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"})


class WhatIfForm(forms.Form):
    group = forms.ChoiceField(
        label=_("Doelgroep"), error_messages={"invalid_choice": _("Kies een doelgroep uit de lijst.")}
    )
    measure = forms.ChoiceField(
        label=_("Bereik van"),
        required=False,
        help_text=_("Welk aanbod telt: elke soort deelname, of één soort."),
        error_messages={"invalid_choice": _("Kies een soort deelname uit de lijst.")},
    )
    # Which activities drop a barrier (every filter left empty: all of them).
    type = forms.ChoiceField(
        label=_("Soort deelname"),
        required=False,
        error_messages={"invalid_choice": _("Kies een soort deelname uit de lijst.")},
    )
    area = forms.ChoiceField(
        label=_("Wijk of buurt"),
        required=False,
        error_messages={"invalid_choice": _("Kies een wijk of buurt uit de lijst.")},
    )
    organisation = forms.ChoiceField(
        label=_("Organisatie"),
        required=False,
        error_messages={"invalid_choice": _("Kies een organisatie uit de lijst.")},
    )
    perspective = forms.ChoiceField(
        label=_("Handelingsperspectief"),
        required=False,
        error_messages={"invalid_choice": _("Kies een handelingsperspectief uit de lijst.")},
    )
    has_barrier = forms.ChoiceField(
        label=_("Alleen activiteiten met deze drempel"),
        required=False,
        error_messages={"invalid_choice": _("Kies een drempel uit de lijst.")},
    )
    remove = forms.MultipleChoiceField(
        label=_("Welke drempel halen deze activiteiten weg?"),
        required=False,
        widget=_checkboxes(),
        error_messages={"invalid_choice": _("Kies een drempel uit de lijst.")},
    )
    # A new activity at an existing place.
    place = forms.ChoiceField(
        label=_("Plek van de nieuwe activiteit"),
        required=False,
        help_text=_("Alleen plekken met een adres op de kaart."),
        error_messages={"invalid_choice": _("Kies een plek uit de lijst.")},
    )
    new_type = forms.ChoiceField(
        label=_("Soort deelname van de nieuwe activiteit"),
        required=False,
        error_messages={"invalid_choice": _("Kies een soort deelname uit de lijst.")},
    )
    new_barriers = forms.MultipleChoiceField(
        label=_("Drempels van de nieuwe activiteit"),
        required=False,
        widget=_checkboxes(),
        help_text=_("Laat leeg voor een activiteit zonder drempels."),
        error_messages={"invalid_choice": _("Kies een drempel uit de lijst.")},
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        language = get_language() or "nl"
        english = language.startswith("en")
        groups = [
            (g.code, g.name_en if english and g.name_en else g.name_nl)
            for g in TargetGroup.objects.filter(municipality=municipality).order_by("code")
        ]
        types = [(t.code, t.label(language)) for t in ParticipationType.objects.filter(municipality=municipality)]
        barriers = [
            (b.code, b.label(language))
            for b in Barrier.objects.filter(municipality=municipality, relational=False).order_by("position", "bit")
        ]
        blank = [("", _("Alle"))]
        self._choices("group", groups)
        self._choices("measure", [(ANY, _("Elke soort deelname")), *types])
        self._choices("type", blank + types)
        self._choices("area", blank + self._areas())
        organisations = Organisation.objects.filter(municipality=municipality).order_by("name", "pk")
        self._choices("organisation", blank + [(str(o.pk), o.name) for o in organisations])
        self._choices("perspective", blank + [(value, label) for value, label in ActionPerspective.choices])
        self._choices("has_barrier", [("", _("Niet van belang")), *barriers])
        self._choices("remove", barriers)
        self._choices("place", [("", _("Geen nieuwe activiteit")), *self._places()])
        self._choices("new_type", [("", _("Kies een soort")), *types])
        self._choices("new_barriers", barriers)
        self.fields["group"].initial = "epa" if any(code == "epa" for code, _label in groups) else None
        self.fields["measure"].initial = ANY
        self.scenario: Scenario | None = None

    def _choices(self, name: str, choices: list[Any]) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ChoiceField)
        field.choices = choices

    def _areas(self) -> list[Any]:
        # Names only: the boundaries (large JSON) are not needed for a list.
        neighbourhoods = list(
            Neighbourhood.objects.filter(municipality=self.municipality)
            .order_by("name")
            .values_list("code", "name", "district_id")
        )
        choices: list[Any] = []
        districts = District.objects.filter(municipality=self.municipality).order_by("name")
        for pk, code, name in districts.values_list("pk", "code", "name"):
            options = [(code, _("Hele wijk %(name)s") % {"name": name})]
            options += [(n_code, n_name) for n_code, n_name, district in neighbourhoods if district == pk]
            choices.append((name, options))
        return choices

    def _places(self) -> list[Any]:
        """Places grouped by neighbourhood (a long list reads better in groups)."""
        grouped: dict[str, list[tuple[str, str]]] = {}
        other = str(_("Zonder buurt"))
        rows = (
            located_places()
            .order_by("name", "pk")
            .values_list("pk", "name", "street", "house_number", "neighbourhood__name")
        )
        for pk, name, street, number, neighbourhood in rows:
            label = f"{name}, {street} {number}".strip() if street else name
            grouped.setdefault(neighbourhood or other, []).append((str(pk), label))
        return [(name, grouped[name]) for name in sorted(grouped)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        place = data.get("place") or ""
        new_type = data.get("new_type") or ""
        if place and not new_type:
            self.add_error("new_type", _("Kies de soort deelname van de nieuwe activiteit."))
            return data
        if new_type and not place:
            self.add_error("place", _("Kies een plek voor de nieuwe activiteit."))
            return data
        organisation = data.get("organisation") or ""
        scenario = Scenario(
            target_group=data["group"],
            measure=data.get("measure") or ANY,
            select=ActivityFilter(
                participation_type=data.get("type") or "",
                area=data.get("area") or "",
                organisation=int(organisation) if organisation else None,
                action_perspective=data.get("perspective") or "",
                has_barrier=data.get("has_barrier") or "",
            ),
            remove_barriers=tuple(data.get("remove") or ()),
            add=Hypothetical(int(place), new_type, tuple(data.get("new_barriers") or ())) if place else None,
        )
        try:
            check_scenario(self.municipality, scenario)
        except ValidationError as error:
            for key, messages in error.message_dict.items():
                name = FIELD_OF.get(key)
                for message in messages:
                    self.add_error(name, message)
            return data
        self.scenario = scenario
        return data
