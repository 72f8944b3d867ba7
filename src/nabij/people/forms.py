"""Forms of the people pages. They only check and convert input; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nabij.accounts.models import User
from nabij.core.models import Municipality, Neighbourhood
from nabij.people.instruments import ANSWERS, ITEMS, LADDER_EXPLANATIONS
from nabij.people.models import BirthYearBand, ConsentPurpose, LadderRung, slot_choices
from nabij.socialmap.models import Barrier, IsolationType, ParticipationType

# The purposes a worker reads a profile for (accounts.permissions.PROFILE_READ_PURPOSES).
READ_PURPOSE_CHOICES = [(p.value, p.label) for p in ConsentPurpose if p != ConsentPurpose.MONITORING]
ANSWER_LABELS = {"ja": _("ja"), "min of meer": _("min of meer"), "nee": _("nee")}

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Vul een datum in, zoals 25-12-2025."), "required": _("Vul een datum in.")}


def _checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"})


def _radios() -> forms.RadioSelect:
    return forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"})


class CaseloadFilterForm(forms.Form):
    doel = forms.ChoiceField(
        label=_("Ik werk voor"),
        choices=READ_PURPOSE_CHOICES,
        required=False,
        help_text=_("Je ziet alleen bewoners die voor dit doel toestemming gaven."),
    )
    mijn = forms.BooleanField(label=_("Alleen bewoners die ik heb ingeschreven"), required=False)

    def purpose(self) -> str:
        value = self.cleaned_data.get("doel") if self.is_valid() else None
        return value or ConsentPurpose.SUPPORT.value


class ProfileCreateForm(forms.Form):
    """A new profile and, in the same step, the consent it needs."""

    inline_choices = frozenset({"purposes"})

    name = forms.CharField(
        label=_("Naam of roepnaam"),
        max_length=120,
        required=False,
        help_text=_("Hoe mensen die helpen de bewoner mogen aanspreken. Geen achternaam nodig."),
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Buurt"), queryset=Neighbourhood.objects.none(), required=False, empty_label=_("Kies een buurt")
    )
    birth_year_band = forms.ChoiceField(
        label=_("Geboren in de jaren"), choices=[("", _("Kies")), *BirthYearBand.choices], required=False
    )
    isolation_type = forms.ChoiceField(
        label=_("Soort isolement"),
        choices=[("", _("Weet ik (nog) niet")), *IsolationType.choices],
        required=False,
        help_text=_("Dit bepaalt welke activiteiten we eerst laten zien."),
    )
    barriers = forms.MultipleChoiceField(
        label=_("Wat houdt de bewoner tegen?"),
        required=False,
        widget=_checkboxes(),
        help_text=_("Kies de drempels die voor deze bewoner gelden."),
    )
    interests = forms.CharField(
        label=_("Interesses"),
        required=False,
        max_length=800,
        help_text=_("Zet een komma tussen de interesses, zoals: wandelen, koken, schaken."),
    )
    languages = forms.CharField(
        label=_("Talen"),
        required=False,
        max_length=200,
        help_text=_("Taalcodes met een komma ertussen, zoals: nl, ar, tr."),
    )
    availability = forms.MultipleChoiceField(
        label=_("Wanneer kan de bewoner?"), required=False, choices=slot_choices, widget=_checkboxes()
    )
    preferred_types = forms.ModelMultipleChoiceField(
        label=_("Wat doet de bewoner het liefst?"),
        queryset=ParticipationType.objects.none(),
        required=False,
        widget=_checkboxes(),
    )
    requires_vog = forms.BooleanField(
        label=_("Alleen een maatje met een VOG"),
        required=False,
        initial=True,
        help_text=_("Kies dit als de bewoner kwetsbaar is."),
    )
    wants_support = forms.BooleanField(label=_("De bewoner wacht op een maatje"), required=False)
    account_email = forms.EmailField(
        label=_("E-mailadres van het account van de bewoner"),
        required=False,
        help_text=_("Alleen als de bewoner al een account heeft. Dan kan de bewoner zelf zijn gegevens zien."),
        error_messages={"invalid": _("Vul een e-mailadres in, zoals naam@voorbeeld.nl.")},
    )
    purposes = forms.MultipleChoiceField(
        label=_("Waarvoor geeft de bewoner toestemming?"),
        choices=ConsentPurpose.choices,
        widget=_checkboxes(),
        error_messages={"required": _("Kies minstens één doel. Zonder toestemming maken we geen profiel.")},
    )
    given_by = forms.CharField(
        label=_("Wie gaf de toestemming?"),
        max_length=120,
        initial=_("de bewoner zelf"),
        help_text=_("De bewoner zelf, of wie namens de bewoner toestemming mag geven (zoals een mentor)."),
        error_messages={"required": _("Vul in wie de toestemming gaf.")},
    )
    explained = forms.BooleanField(
        label=_("Ik heb uitgelegd wat we opslaan en waarvoor, en dat de bewoner dit altijd kan intrekken."),
        error_messages={"required": _("Leg eerst uit wat we opslaan en waarvoor. Zet daarna het vinkje.")},
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language = get_language() or "nl"
        neighbourhood_field: Any = self.fields["neighbourhood"]
        neighbourhood_field.queryset = Neighbourhood.objects.filter(municipality=municipality).order_by("name")
        types_field: Any = self.fields["preferred_types"]
        types_field.queryset = ParticipationType.objects.filter(municipality=municipality)
        types_field.label_from_instance = lambda obj: obj.label(language)
        barriers: Any = self.fields["barriers"]
        barriers.choices = [
            (b.code, b.label(language)) for b in Barrier.objects.filter(municipality=municipality).order_by("bit")
        ]
        self.barrier_masks = {b.code: b.mask for b in Barrier.objects.filter(municipality=municipality)}

    def clean_account_email(self) -> User | None:
        email = (self.cleaned_data.get("account_email") or "").strip().lower()
        if not email:
            return None
        user = User.objects.filter(email=email).first()
        if user is None:
            raise forms.ValidationError(_("Er is geen account met dit e-mailadres."))
        return user

    def profile_fields(self) -> dict[str, Any]:
        data = self.cleaned_data
        mask = 0
        for code in data["barriers"]:
            mask |= self.barrier_masks[code]
        return {
            "name": data["name"],
            "neighbourhood": data["neighbourhood"],
            "birth_year_band": data["birth_year_band"],
            "isolation_type": data["isolation_type"],
            "barrier_mask": mask,
            "interests": data["interests"],
            "languages": data["languages"],
            "availability": list(data["availability"]),
            "preferred_types": list(data["preferred_types"]),
            "requires_vog": data["requires_vog"],
            "support_wanted_since": timezone.now() if data["wants_support"] else None,
            "user": data["account_email"],
        }

    def consents(self) -> list[tuple[str, str]]:
        return [(purpose, self.cleaned_data["given_by"]) for purpose in self.cleaned_data["purposes"]]


class ConsentGiveForm(forms.Form):
    purpose = forms.ChoiceField(
        label=_("Doel"),
        choices=[("", _("Kies een doel")), *ConsentPurpose.choices],
        error_messages={"required": _("Kies een doel.")},
    )
    given_by = forms.CharField(
        label=_("Wie gaf de toestemming?"),
        max_length=120,
        initial=_("de bewoner zelf"),
        error_messages={"required": _("Vul in wie de toestemming gaf.")},
    )


class LonelinessForm(forms.Form):
    """One radio group per statement of the 11- or 6-item scale; an empty group is no answer."""

    measured_on = forms.DateField(label=_("Datum van het gesprek"), widget=DATE_INPUT, error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, version: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.version = version
        self.fields["measured_on"].initial = timezone.localdate()
        self.answer_names = []
        for position, item in enumerate(ITEMS[version], start=1):
            name = f"answer_{position}"
            self.answer_names.append(name)
            self.fields[name] = forms.ChoiceField(
                label=f"{position}. {item.text}",
                choices=[(answer, ANSWER_LABELS[answer]) for answer in ANSWERS],
                required=False,
                widget=_radios(),
            )
        self.inline_choices = frozenset(self.answer_names)

    def answers(self) -> list[str | None]:
        return [self.cleaned_data.get(name) or None for name in self.answer_names]


class LadderForm(forms.Form):
    rung = forms.TypedChoiceField(
        label=_("Op welke trede staat de bewoner nu?"),
        coerce=int,
        choices=[
            (rung.value, format_lazy("{}. {}: {}", rung.value, rung.label, LADDER_EXPLANATIONS[rung.value]))
            for rung in LadderRung
        ],
        widget=_radios(),
        error_messages={"required": _("Kies een trede."), "invalid_choice": _("Kies een trede.")},
    )
    measured_on = forms.DateField(label=_("Datum"), widget=DATE_INPUT, error_messages=DATE_ERRORS)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["measured_on"].initial = timezone.localdate()
