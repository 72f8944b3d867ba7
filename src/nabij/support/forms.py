"""Forms of the support pages: a supporter's details, a contact moment, a relation's end, a
matching round's distance, the weeks of the contact signal, and "find a supporter now"."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_scopes import scopes_disabled

from nabij.accounts.models import User
from nabij.core.models import Municipality, Neighbourhood
from nabij.people.models import ResidentProfile, availability_mask, availability_slots, slot_choices
from nabij.socialmap.forms import DATE_ERRORS, DATE_INPUT, NUMBER_ERRORS, checkboxes, text_field
from nabij.socialmap.models import Barrier
from nabij.support.models import ContactKind, EndReason, Supporter, SupporterRole, VogStatus
from nabij.support.services import MAX_CAPACITY, default_lifts_mask

RADIOS = forms.RadioSelect(attrs={"class": "utrecht-radio-button utrecht-radio-button--html-input"})


def _codes(value: Any) -> str:
    return ", ".join(str(item) for item in value or ())


class SupporterForm(forms.Form):
    """A supporter's details, as a coordinator keeps them."""

    inline_choices = ("availability",)

    name = text_field(_("Naam"), 120, required=True, autocomplete="name")
    role = forms.ChoiceField(label=_("Rol"), choices=SupporterRole.choices, widget=RADIOS)
    email = forms.EmailField(
        label=_("E-mailadres van het account (niet verplicht)"),
        required=False,
        help_text=_("Met een account ziet het maatje de eigen deelnemers en legt het zelf contact vast."),
        error_messages={"invalid": _("Vul een e-mailadres in, zoals naam@voorbeeld.nl.")},
    )
    vog_status = forms.ChoiceField(
        label=_("VOG (Verklaring Omtrent het Gedrag)"), choices=VogStatus.choices, widget=RADIOS
    )
    vog_issued_on = forms.DateField(
        label=_("VOG afgegeven op"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Na drie jaar raden we aan de VOG te vernieuwen. Daarna telt hij niet meer bij het koppelen."),
        error_messages=DATE_ERRORS,
    )
    capacity = forms.IntegerField(
        label=_("Hoeveel deelnemers tegelijk"),
        min_value=1,
        max_value=MAX_CAPACITY,
        initial=1,
        error_messages=NUMBER_ERRORS,
    )
    neighbourhood = forms.ModelChoiceField(
        label=_("Woonbuurt"),
        queryset=Neighbourhood.objects.none(),
        required=False,
        empty_label=_("Kies een buurt"),
        help_text=_("Zonder buurt kan het maatje niet worden gekoppeld: de afstand is dan onbekend."),
    )
    availability = forms.MultipleChoiceField(
        label=_("Wanneer heeft het maatje tijd?"),
        choices=slot_choices,
        widget=checkboxes(),
        error_messages={"required": _("Kies minstens één dagdeel.")},
    )
    languages = text_field(
        _("Talen"),
        200,
        required=True,
        help_text=_("Taalcodes met een komma ertussen, zoals nl, ar, tr."),
    )
    interests = text_field(_("Interesses"), 500, help_text=_("Met een komma ertussen, zoals tuinieren, koken."))
    lifts = forms.MultipleChoiceField(
        label=_("Deze drempels vallen weg als het maatje meegaat"),
        required=False,
        widget=checkboxes(),
    )

    def __init__(self, *args: Any, municipality: Municipality, instance: Supporter | None = None, **kw: Any):
        self.municipality = municipality
        self.instance = instance
        if "initial" not in kw:
            kw["initial"] = self._initial(instance)
        super().__init__(*args, **kw)
        neighbourhoods: Any = self.fields["neighbourhood"]
        neighbourhoods.queryset = Neighbourhood.objects.filter(municipality=municipality).order_by("name")
        language = get_language() or "nl"
        lifts: Any = self.fields["lifts"]
        lifts.choices = [
            (barrier.code, barrier.label(language))
            for barrier in Barrier.objects.filter(municipality=municipality).order_by("bit")
        ]
        for name in ("name", "languages", "interests"):
            self.fields[name].error_messages["required"] = _("Vul dit veld in.")

    def _initial(self, instance: Supporter | None) -> dict[str, Any]:
        mask = instance.lifts_mask if instance else default_lifts_mask(self.municipality)
        codes = [b.code for b in Barrier.objects.filter(municipality=self.municipality) if mask & b.mask]
        if instance is None:
            return {
                "role": SupporterRole.MAATJE,
                "vog_status": VogStatus.NONE,
                "capacity": 1,
                "languages": "nl",
                "lifts": codes,
            }
        return {
            "name": instance.name,
            "role": instance.role,
            "email": instance.user.email if instance.user else "",
            "vog_status": instance.vog_status,
            "vog_issued_on": instance.vog_issued_on,
            "capacity": instance.capacity,
            "neighbourhood": instance.neighbourhood,
            "availability": availability_slots(instance.availability),
            "languages": _codes(instance.languages),
            "interests": _codes(instance.interests),
            "lifts": codes,
        }

    def clean_email(self) -> User | None:
        email = str(self.cleaned_data.get("email") or "").strip().lower()
        if not email:
            return None
        with scopes_disabled():
            user = User.objects.filter(email=email).first()
        if user is None:
            raise ValidationError(_("Er is geen account met dit e-mailadres. Vraag een beheerder het aan te maken."))
        return user

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (
            data.get("vog_status") == VogStatus.ISSUED
            and not data.get("vog_issued_on")
            and "vog_issued_on" not in self.errors
        ):
            self.add_error("vog_issued_on", _("Vul in wanneer de VOG is afgegeven."))
        return data

    def values(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        data = self.cleaned_data
        lifts = 0
        for barrier in Barrier.objects.filter(municipality=self.municipality, code__in=data["lifts"]):
            lifts |= barrier.mask
        return {
            "name": data["name"],
            "role": data["role"],
            "user": data["email"],
            "vog_status": data["vog_status"],
            "vog_issued_on": data["vog_issued_on"],
            "capacity": data["capacity"],
            "neighbourhood": data["neighbourhood"],
            "availability": availability_mask(data["availability"]),
            "languages": data["languages"],
            "interests": data["interests"],
            "lifts_mask": lifts,
        }


class ContactForm(forms.Form):
    on = forms.DateField(label=_("Wanneer was het contact?"), widget=DATE_INPUT, error_messages=DATE_ERRORS)
    kind = forms.ChoiceField(
        label=_("Wat voor contact was het?"),
        choices=ContactKind.choices,
        widget=RADIOS,
        error_messages={"required": _("Kies wat voor contact het was.")},
    )
    note = forms.CharField(
        label=_("Korte notitie (niet verplicht)"),
        required=False,
        max_length=280,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Alleen wat nodig is, zoals 'samen naar de moestuin'. Hoogstens 280 tekens."),
        error_messages={"max_length": _("Maak het korter: hoogstens %(limit_value)d tekens (nu %(show_value)d).")},
    )

    def __init__(self, *args: Any, **kw: Any) -> None:
        kw.setdefault("initial", {"on": timezone.localdate()})
        super().__init__(*args, **kw)


class RelationEndForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Waarom stopt de koppeling?"),
        choices=[(value, label) for value, label in EndReason.choices if value != EndReason.CONSENT_REVOKED],
        widget=RADIOS,
        error_messages={"required": _("Kies een reden.")},
    )


class RoundStartForm(forms.Form):
    max_distance_km = forms.TypedChoiceField(
        label=_("Hoe ver mogen deelnemer en maatje hoogstens uit elkaar wonen?"),
        choices=[(1, _("1 km lopen")), (2, _("2 km lopen")), (3, _("3 km lopen")), (5, _("5 km lopen"))],
        coerce=int,
        initial=3,
        widget=RADIOS,
    )

    def rules(self) -> dict[str, Any]:
        return {"max_distance_m": self.cleaned_data["max_distance_km"] * 1000}


class SignalForm(forms.Form):
    weeks = forms.IntegerField(
        label=_("Signaal na hoeveel weken zonder contact?"),
        min_value=1,
        max_value=52,
        error_messages=NUMBER_ERRORS,
    )


class MatchNowForm(forms.Form):
    participant = forms.ChoiceField(
        label=_("Voor wie zoek je een maatje?"),
        help_text=_("Wie het langst wacht, staat bovenaan."),
        error_messages={"required": _("Kies een deelnemer."), "invalid_choice": _("Kies een deelnemer uit de lijst.")},
    )

    def __init__(self, *args: Any, waiting: list[ResidentProfile], **kw: Any) -> None:
        super().__init__(*args, **kw)
        field: Any = self.fields["participant"]
        field.choices = [("", _("Kies een deelnemer"))] + [
            (
                str(profile.key),
                f"{profile.name or profile} ({profile.neighbourhood.name if profile.neighbourhood else '?'})",
            )
            for profile in waiting
        ]
