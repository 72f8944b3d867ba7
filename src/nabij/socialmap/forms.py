"""Forms of the social map's organiser and coordinator pages.

Forms only parse and check input; the services write. A ValidationError from a service (the
model's own checks) goes back onto the form with `add_service_error`, on the field it is about.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from nabij.core.models import District, Municipality, Neighbourhood
from nabij.socialmap.models import (
    AMSTERDAM,
    Barrier,
    Organisation,
    OrganisationKind,
    Place,
    PlaceKind,
    Sphere,
    TargetGroup,
    bits_of,
    normalise_postcode,
    validate_postcode,
)


def add_service_error(form: forms.Form, error: ValidationError, field_map: Mapping[str, str] | None = None) -> None:
    """Put a service's ValidationError on the form: per field where the form has it, else on top."""
    field_map = field_map or {}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for name, errors in error.error_dict.items():
        target = field_map.get(name, name)
        form.add_error(target if target in form.fields and target != NON_FIELD_ERRORS else None, errors)


class CatalogueChoiceField(forms.ModelChoiceField):
    """A catalogue entry, labelled in the page's language."""

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label(get_language() or "nl"))


class CatalogueMultipleChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label(get_language() or "nl"))


def text_field(
    label: Any, max_length: int, *, required: bool = False, help_text: Any = "", **attrs: Any
) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
        error_messages={
            "required": _("Vul dit veld in."),
            "max_length": _("Maak het korter: hoogstens %(limit_value)d tekens (nu %(show_value)d)."),
        },
    )


def checkboxes() -> forms.CheckboxSelectMultiple:
    return forms.CheckboxSelectMultiple(attrs={"class": "utrecht-checkbox utrecht-checkbox--html-input"})


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_ERRORS = {"invalid": _("Vul een datum in, zoals 25-12-2025."), "required": _("Vul een datum in.")}
NUMBER_ERRORS = {
    "invalid": _("Vul een heel getal in, zoals 12."),
    "min_value": _("Vul een getal in van %(limit_value)s of meer."),
    "max_value": _("Vul een getal in van %(limit_value)s of minder."),
}

# ---------------------------------------------------------------------------------------------
# Organisations
# ---------------------------------------------------------------------------------------------


class OrganisationForm(forms.Form):
    name = text_field(_("Naam van de organisatie"), 160, required=True)
    sphere = forms.ChoiceField(
        label=_("Sfeer"),
        choices=[("", _("Kies een sfeer")), *Sphere.choices],
        help_text=_("Bewoners en hun eigen netwerken, de overheid en publieke sector, of een onderneming."),
        error_messages={"required": _("Kies bij welke sfeer de organisatie hoort.")},
    )
    kind = forms.ChoiceField(
        label=_("Soort organisatie"),
        choices=[("", _("Kies een soort")), *OrganisationKind.choices],
        error_messages={"required": _("Kies wat voor organisatie het is.")},
    )
    description = forms.CharField(label=_("Beschrijving"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        error_messages={"invalid": _("Vul een webadres in, zoals https://www.voorbeeld.nl.")},
    )
    email = forms.EmailField(
        label=_("E-mailadres"),
        required=False,
        error_messages={"invalid": _("Vul een e-mailadres in, zoals info@voorbeeld.nl.")},
    )
    phone = text_field(_("Telefoon"), 30, type="tel", autocomplete="tel")

    def __init__(self, *args: Any, municipality: Municipality, instance: Organisation | None = None, **kw: Any):
        self.municipality = municipality
        self.instance = instance
        if instance is not None and "initial" not in kw:
            kw["initial"] = {name: getattr(instance, name) for name in self.base_fields}
        super().__init__(*args, **kw)

    def clean_name(self) -> str:
        name = str(self.cleaned_data["name"]).strip()
        others = Organisation.objects.filter(municipality=self.municipality, name__iexact=name)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise ValidationError(_("Er is al een organisatie met deze naam in deze gemeente. Kies een andere naam."))
        return name

    def changes(self) -> dict[str, Any]:
        """What differs from the organisation as it is (everything for a new one)."""
        return _changed(self.instance, self.cleaned_data)


def _changed(instance: Any, data: Mapping[str, Any]) -> dict[str, Any]:
    if instance is None:
        return dict(data)
    return {name: value for name, value in data.items() if getattr(instance, name) != value}


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Zoek op naam"), required=False, max_length=100)


# ---------------------------------------------------------------------------------------------
# Places
# ---------------------------------------------------------------------------------------------

# A three-way fact: yes, no, or nobody has checked (None).
YES, NO, UNKNOWN = "ja", "nee", "onbekend"
THREE_WAY = [(YES, _("ja")), (NO, _("nee")), (UNKNOWN, _("weet ik niet"))]


def _three_way(label: Any, help_text: Any = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=THREE_WAY,
        coerce=lambda value: {YES: True, NO: False}.get(value),
        empty_value=None,
        initial=UNKNOWN,
        widget=forms.RadioSelect,
        error_messages={"required": _("Kies ja, nee of weet ik niet.")},
    )


def _three_way_initial(value: bool | None) -> str:
    return YES if value is True else NO if value is False else UNKNOWN


class CoordinateField(forms.FloatField):
    """Accepts a decimal comma as well as a point: 52,0907 and 52.0907 are the same."""

    # A text box: a number input refuses the decimal comma in most browsers.
    widget = forms.TextInput(attrs={"inputmode": "decimal"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().replace(",", ".")
        return super().to_python(value)


class PlaceForm(forms.Form):
    name = text_field(_("Naam van de plek"), 160, required=True)
    kind = forms.ChoiceField(
        label=_("Soort plek"),
        choices=[("", _("Kies een soort")), *PlaceKind.choices],
        error_messages={"required": _("Kies wat voor plek het is.")},
    )
    street = text_field(_("Straat"), 120, autocomplete="address-line1")
    house_number = text_field(_("Huisnummer"), 12, help_text=_("Met toevoeging, zoals 12a."))
    postcode = text_field(
        _("Postcode"), 7, help_text=_("Vier cijfers en twee letters, zoals 1234 AB."), autocomplete="postal-code"
    )
    city = text_field(pgettext_lazy("town", "Plaats"), 80, autocomplete="address-level2")
    neighbourhood = forms.ModelChoiceField(
        label=_("Buurt"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("Weet ik niet"),
        help_text=_("In welke buurt ligt de plek? Dan vinden mensen uit die buurt de activiteiten hier."),
    )
    lat = CoordinateField(
        label=_("Breedtegraad (optioneel)"),
        required=False,
        help_text=_("Zo komt de plek op de kaart en rekenen we uit hoe ver mensen moeten lopen. Bijvoorbeeld 52,0907."),
        error_messages={"invalid": _("Vul een getal in, zoals 52,0907.")},
    )
    lon = CoordinateField(
        label=_("Lengtegraad (optioneel)"),
        required=False,
        help_text=_("Hoort bij de breedtegraad, bijvoorbeeld 5,1214. Weet je ze niet? Laat ze dan allebei leeg."),
        error_messages={"invalid": _("Vul een getal in, zoals 5,1214.")},
    )
    step_free_entrance = _three_way(_("Is de ingang zonder drempel of trap?"))
    wheelchair_accessible = _three_way(
        _("Kun je er met een rolstoel in?"),
        _("Met 'nee' krijgen de activiteiten hier de drempel 'Niet rolstoeltoegankelijk'."),
    )
    accessible_toilet = _three_way(_("Is er een toilet voor mensen met een rolstoel?"))

    THREE_WAY_FIELDS = ("step_free_entrance", "wheelchair_accessible", "accessible_toilet")
    inline_choices = frozenset(THREE_WAY_FIELDS)

    def __init__(self, *args: Any, municipality: Municipality, instance: Place | None = None, **kw: Any):
        self.instance = instance
        if instance is not None and "initial" not in kw:
            initial = {name: getattr(instance, name) for name in self.base_fields}
            initial["neighbourhood"] = instance.neighbourhood_id
            for name in self.THREE_WAY_FIELDS:
                initial[name] = _three_way_initial(getattr(instance, name))
            kw["initial"] = initial
        super().__init__(*args, **kw)
        field = self.fields["neighbourhood"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Neighbourhood.objects.filter(municipality=municipality).order_by("name")
        field.error_messages["invalid_choice"] = _("Kies een buurt uit de lijst.")

    def clean_postcode(self) -> str:
        value = normalise_postcode(str(self.cleaned_data["postcode"]).strip())
        if value:
            validate_postcode(value)
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if ("lat" in data and "lon" in data) and (data["lat"] is None) != (data["lon"] is None):
            self.add_error("lon", _("Vul de breedtegraad en de lengtegraad allebei in, of geen van beide."))
        return data

    def changes(self) -> dict[str, Any]:
        return _changed(self.instance, self.cleaned_data)


# ---------------------------------------------------------------------------------------------
# Drempelscan
# ---------------------------------------------------------------------------------------------

# One B1 question per default barrier; "ja" means the barrier is there.
BARRIER_QUESTIONS: Mapping[str, Any] = {
    "cost": _("Kost meedoen geld?"),
    "registration": _("Moet je je vooraf aanmelden of eerst een gesprek hebben?"),
    "commitment": _("Moet je lid worden of elke keer komen?"),
    "no_host": _("Staat er niemand klaar om nieuwe mensen te ontvangen?"),
    "crowded": _("Is het een grote of drukke groep, met meer dan 15 mensen?"),
    "skills": _("Moet je al iets kunnen of ervaring hebben?"),
    "language": _("Moet je goed Nederlands spreken?"),
    "physical": _("Is het moeilijk om er met een rolstoel te komen?"),
    "digital": _("Kun je je alleen via internet aanmelden of informatie krijgen?"),
}


def barrier_question(barrier: Barrier) -> str:
    if barrier.code in BARRIER_QUESTIONS:
        return str(BARRIER_QUESTIONS[barrier.code])
    return str(_("Is deze drempel er: %(label)s?") % {"label": barrier.label(get_language() or "nl")})


class DrempelscanForm(forms.Form):
    """Per barrier of the catalogue (not the relational ones) a yes/no question."""

    def __init__(self, *args: Any, barriers: Iterable[Barrier], mask: int, derived: set[str], **kw: Any):
        super().__init__(*args, **kw)
        self.barriers = [b for b in barriers if not b.relational]
        self.derived = derived
        self.inline_choices = frozenset(f"barrier_{b.code}" for b in self.barriers)
        for barrier in self.barriers:
            self.fields[f"barrier_{barrier.code}"] = forms.ChoiceField(
                label=barrier_question(barrier),
                choices=[(YES, _("ja")), (NO, _("nee"))],
                widget=forms.RadioSelect,
                initial=YES if mask & barrier.mask else NO,
                help_text=_("Dit volgt uit de gegevens van de activiteit.") if barrier.code in derived else "",
                error_messages={"required": _("Kies ja of nee.")},
            )

    def answers(self) -> dict[str, bool]:
        return {b.code: self.cleaned_data[f"barrier_{b.code}"] == YES for b in self.barriers}


# ---------------------------------------------------------------------------------------------
# Coordinator: the barrier table and the catalogue
# ---------------------------------------------------------------------------------------------


def today() -> dt.date:
    return timezone.now().astimezone(AMSTERDAM).date()


class BarrierTableForm(forms.Form):
    # Not required: a link may leave out a choice, which then takes its default.
    group = forms.ChoiceField(
        label=_("Doelgroep"),
        required=False,
        error_messages={"invalid_choice": _("Kies een doelgroep uit de lijst.")},
    )
    area = forms.ChoiceField(
        label=_("Gebied"), required=False, error_messages={"invalid_choice": _("Kies een wijk of buurt uit de lijst.")}
    )
    date = forms.DateField(
        label=_("Peildatum"),
        required=False,
        widget=DATE_INPUT,
        error_messages=DATE_ERRORS,
    )

    def __init__(self, *args: Any, municipality: Municipality, **kw: Any):
        super().__init__(*args, **kw)
        language = get_language() or "nl"
        self.groups = {g.code: g for g in TargetGroup.objects.filter(municipality=municipality)}
        group_field = self.fields["group"]
        assert isinstance(group_field, forms.ChoiceField)
        group_field.choices = [
            (code, (g.name_en if language.startswith("en") and g.name_en else g.name_nl))
            for code, g in self.groups.items()
        ]
        self.districts = {d.code: d for d in District.objects.filter(municipality=municipality).order_by("name")}
        self.neighbourhoods = {
            n.code: n for n in Neighbourhood.objects.filter(municipality=municipality).order_by("name")
        }
        area_choices: list[Any] = [("", _("Hele gemeente"))]
        for district in self.districts.values():
            options = [(district.code, _("Hele wijk %(name)s") % {"name": district.name})]
            options += [(n.code, n.name) for n in self.neighbourhoods.values() if n.district_id == district.pk]
            area_choices.append((district.name, options))
        area_field = self.fields["area"]
        assert isinstance(area_field, forms.ChoiceField)
        area_field.choices = area_choices
        self.fields["group"].initial = "epa" if "epa" in self.groups else next(iter(self.groups), None)
        self.fields["date"].initial = today()

    def selection(self) -> dict[str, Any]:
        """Target group, district, neighbourhood and day: from the input, or the defaults."""
        data = self.cleaned_data if self.is_bound else {}
        code = data.get("group") or self.fields["group"].initial
        area = data.get("area") or ""
        return {
            "target_group": self.groups.get(code) if code else None,
            "district": self.districts.get(area),
            "neighbourhood": self.neighbourhoods.get(area),
            "day": data.get("date") or self.fields["date"].initial,
        }


class BarrierCreateForm(forms.Form):
    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Kleine letters, cijfers, - en _, zoals 'geen-ov'. Die verandert later niet."),
        error_messages={
            "invalid": _("Gebruik alleen kleine letters, cijfers, - en _."),
            "required": _("Vul een code in."),
        },
    )
    label_nl = text_field(_("Naam in het Nederlands"), 120, required=True)
    label_en = text_field(_("Naam in het Engels"), 120)
    how_to_lower = forms.CharField(
        label=_("Zo maak je de drempel lager"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Een concreet advies voor organisatoren, in korte zinnen."),
    )
    how_to_lower_en = forms.CharField(
        label=_("Zo maak je de drempel lager, in het Engels"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Voor organisatoren die Nabij in het Engels gebruiken. Leeg: zij zien het Nederlandse advies."),
    )

    def __init__(self, *args: Any, municipality: Municipality, **kw: Any):
        super().__init__(*args, **kw)
        self.municipality = municipality

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).lower()
        if Barrier.objects.filter(municipality=self.municipality, code=code).exists():
            raise ValidationError(_("Er is al een drempel met deze code. Kies een andere code."))
        return code


class TargetGroupCreateForm(forms.Form):
    inline_choices: frozenset[str] = frozenset()

    code = forms.SlugField(
        label=_("Code"),
        max_length=40,
        help_text=_("Kleine letters, cijfers, - en _, zoals 'nieuwkomers'."),
        error_messages={
            "invalid": _("Gebruik alleen kleine letters, cijfers, - en _."),
            "required": _("Vul een code in."),
        },
    )
    name_nl = text_field(_("Naam in het Nederlands"), 160, required=True)
    name_en = text_field(_("Naam in het Engels"), 160)
    barriers = forms.MultipleChoiceField(
        label=_("Voor welke drempels is deze groep gevoelig?"),
        widget=checkboxes(),
        error_messages={"required": _("Kies minstens één drempel.")},
    )

    def __init__(self, *args: Any, municipality: Municipality, **kw: Any):
        super().__init__(*args, **kw)
        self.municipality = municipality
        language = get_language() or "nl"
        field = self.fields["barriers"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = [(b.code, b.label(language)) for b in Barrier.objects.filter(municipality=municipality)]

    def clean_code(self) -> str:
        code = str(self.cleaned_data["code"]).lower()
        if TargetGroup.objects.filter(municipality=self.municipality, code=code).exists():
            raise ValidationError(_("Er is al een doelgroep met deze code. Kies een andere code."))
        return code


def barrier_labels(mask: int, barriers: Mapping[int, Barrier]) -> list[str]:
    """The labels of the barriers in `mask`, in the page's language."""
    language = get_language() or "nl"
    return [
        barriers[bit].label(language) if bit in barriers else str(_("drempel %(bit)d") % {"bit": bit})
        for bit in bits_of(mask)
    ]
