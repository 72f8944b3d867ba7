"""The activity form: facts in fieldsets, and the schedule as a friendly form that becomes an
RFC 5545 RRULE (and back, for editing). Kept apart from `forms` because it is the largest form.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from nabij.core.models import Municipality
from nabij.socialmap.forms import (
    DATE_ERRORS,
    DATE_INPUT,
    NUMBER_ERRORS,
    CatalogueChoiceField,
    CatalogueMultipleChoiceField,
    checkboxes,
    text_field,
)
from nabij.socialmap.models import (
    AMSTERDAM,
    ActionPerspective,
    Activity,
    Commitment,
    Domain,
    Organisation,
    ParticipationType,
    Place,
    SignUpChannel,
    Theme,
    validate_rrule,
)

# ---------------------------------------------------------------------------------------------
# Activities: the schedule as a friendly form, turned into an RFC 5545 RRULE
# ---------------------------------------------------------------------------------------------

WEEKDAYS = [
    ("MO", _("maandag")),
    ("TU", _("dinsdag")),
    ("WE", _("woensdag")),
    ("TH", _("donderdag")),
    ("FR", _("vrijdag")),
    ("SA", _("zaterdag")),
    ("SU", _("zondag")),
]
WEEKDAY_CODES = [code for code, _label in WEEKDAYS]
NTH = [("1", _("eerste")), ("2", _("tweede")), ("3", _("derde")), ("4", _("vierde")), ("-1", _("laatste"))]

REPEAT_NONE, REPEAT_WEEKLY, REPEAT_BIWEEKLY, REPEAT_MONTHLY, REPEAT_ADVANCED = (
    "none",
    "weekly",
    "biweekly",
    "monthly",
    "advanced",
)
REPEAT_CHOICES = [
    (REPEAT_NONE, _("Niet: het is één keer")),
    (REPEAT_WEEKLY, _("Elke week, op de dag(en) hieronder")),
    (REPEAT_BIWEEKLY, _("Om de week, op de dag(en) hieronder")),
    (REPEAT_MONTHLY, _("Elke maand, op bijvoorbeeld de tweede dinsdag")),
    (REPEAT_ADVANCED, _("Anders: ik schrijf zelf een herhaalregel (RRULE)")),
]


def _weekday_of(day: dt.date) -> str:
    return WEEKDAY_CODES[day.weekday()]


def _nth_of(day: dt.date) -> str:
    """The position of the day's weekday in its month: the 2nd Tuesday is '2'."""
    return str(min((day.day - 1) // 7 + 1, 4))


def build_rrule(data: Mapping[str, Any]) -> str:
    """The RRULE the friendly schedule fields describe ('' for a single date)."""
    repeat = data.get("repeat")
    first: dt.date | None = data.get("first_date")
    if repeat in (REPEAT_WEEKLY, REPEAT_BIWEEKLY):
        days = [code for code in WEEKDAY_CODES if code in (data.get("weekdays") or [])]
        if not days and first is not None:
            days = [_weekday_of(first)]
        interval = ";INTERVAL=2" if repeat == REPEAT_BIWEEKLY else ""
        return f"FREQ=WEEKLY{interval};BYDAY={','.join(days)}"
    if repeat == REPEAT_MONTHLY:
        nth = data.get("monthly_nth") or (_nth_of(first) if first else "1")
        weekday = data.get("monthly_weekday") or (_weekday_of(first) if first else "MO")
        return f"FREQ=MONTHLY;BYDAY={nth}{weekday}"
    if repeat == REPEAT_ADVANCED:
        text = str(data.get("rrule_text") or "").strip()
        return text[6:] if text.upper().startswith("RRULE:") else text
    return ""


def schedule_initial(rule: str) -> dict[str, Any]:
    """The friendly fields for a stored RRULE; anything else is shown as an advanced rule."""
    rule = rule.strip()
    if not rule:
        return {"repeat": REPEAT_NONE}
    parts = dict(part.split("=", 1) for part in rule.upper().split(";") if "=" in part)
    days = parts.get("BYDAY", "").split(",")
    if parts.get("FREQ") == "WEEKLY" and days and all(d in WEEKDAY_CODES for d in days):
        if set(parts) == {"FREQ", "BYDAY"}:
            return {"repeat": REPEAT_WEEKLY, "weekdays": days}
        if set(parts) == {"FREQ", "BYDAY", "INTERVAL"} and parts["INTERVAL"] == "2":
            return {"repeat": REPEAT_BIWEEKLY, "weekdays": days}
    monthly = re.fullmatch(r"(-1|[1-4])(MO|TU|WE|TH|FR|SA|SU)", parts.get("BYDAY", ""))
    if parts.get("FREQ") == "MONTHLY" and set(parts) == {"FREQ", "BYDAY"} and monthly:
        return {"repeat": REPEAT_MONTHLY, "monthly_nth": monthly[1], "monthly_weekday": monthly[2]}
    return {"repeat": REPEAT_ADVANCED, "rrule_text": rule}


def parse_dates(text: str) -> list[str]:
    """One date a line (25-12-2025 or 2025-12-25) → sorted ISO dates; a bad line is a clear error."""
    days: set[dt.date] = set()
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day = None
        for pattern in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y", "%d.%m.%Y"):
            try:
                day = dt.datetime.strptime(line, pattern).date()
                break
            except ValueError:
                continue
        if day is None:
            raise ValidationError(
                _("Regel %(number)d is geen datum: '%(line)s'. Schrijf een datum als 25-12-2025, één per regel."),
                params={"number": number, "line": line},
                code="exdate",
            )
        days.add(day)
    return [day.isoformat() for day in sorted(days)]


def format_dates(values: Iterable[Any]) -> str:
    return "\n".join(dt.date.fromisoformat(str(v)).strftime("%d-%m-%Y") for v in values)


def parse_euros(value: str) -> int:
    """'2,50', '2.50', '€ 2' → cents."""
    text = value.strip().replace("€", "").replace(" ", "")
    if not text:
        return 0
    if "," in text:
        text = text.replace(".", "").replace(",", ".")  # 1.000,50 → 1000.50
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise ValidationError(
            _("Vul een bedrag in euro's in, zoals 2,50. Is het gratis? Vul dan 0 in."), code="cost"
        ) from None
    if amount < 0 or amount > 10_000 or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError(_("Vul een bedrag in tussen 0 en 10.000 euro, met hoogstens twee cijfers na de komma."))
    return int(amount * 100)


def format_euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}" if cents else "0"


def _boolean(label: Any, help_text: Any = "") -> forms.BooleanField:
    return forms.BooleanField(label=label, required=False, help_text=help_text)


def _number(label: Any, help_text: Any = "", **kw: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=0, help_text=help_text, error_messages=NUMBER_ERRORS, **kw
    )


# The groups the activity form shows its fields in, as (legend, field names).
ACTIVITY_FIELDSETS: tuple[tuple[Any, tuple[str, ...]], ...] = (
    (_("Wat"), ("title", "description", "what_to_expect")),
    (
        _("Wanneer"),
        (
            "first_date",
            "start_time",
            "duration_minutes",
            "repeat",
            "weekdays",
            "monthly_nth",
            "monthly_weekday",
            "rrule_text",
            "exdates",
            "active_from",
            "active_until",
        ),
    ),
    (_("Waar"), ("place",)),
    (
        _("Meedoen"),
        (
            "cost",
            "has_free_option",
            "registration_required",
            "sign_up_channel",
            "commitment",
            "capacity",
            "expected_group_size",
            "level_required",
            "dutch_language_required",
        ),
    ),
    (_("Contact"), ("who_welcomes_you", "contact_email", "contact_phone")),
    (_("Indeling"), ("participation_type", "domains", "themes", "action_perspective")),
)

# Model field → form field, for errors from the services.
ACTIVITY_FIELD_MAP = {
    "dtstart": "first_date",
    "duration": "duration_minutes",
    "rrule": "rrule_text",
    "cost_cents": "cost",
}
# Form fields that go to the service as they are.
ACTIVITY_PLAIN_FIELDS = (
    "title",
    "description",
    "what_to_expect",
    "who_welcomes_you",
    "active_from",
    "active_until",
    "capacity",
    "expected_group_size",
    "has_free_option",
    "registration_required",
    "sign_up_channel",
    "commitment",
    "level_required",
    "dutch_language_required",
    "contact_email",
    "contact_phone",
    "action_perspective",
    "place",
    "participation_type",
)


class ActivityForm(forms.Form):
    inline_choices = frozenset({"weekdays"})

    # Wat
    title = text_field(
        _("Titel"), 160, required=True, help_text=_("Kort en duidelijk, zoals 'Koffie-ochtend in de buurtkamer'.")
    )
    description = forms.CharField(
        label=_("Beschrijving"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Schrijf korte zinnen met gewone woorden (taalniveau B1)."),
    )
    what_to_expect = forms.CharField(
        label=_("Wat kun je verwachten?"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wat gebeurt er als iemand voor het eerst komt?"),
    )
    # Wanneer
    first_date = forms.DateField(label=_("Datum van de eerste keer"), widget=DATE_INPUT, error_messages=DATE_ERRORS)
    start_time = forms.TimeField(
        label=_("Begintijd"),
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        error_messages={"invalid": _("Vul een tijd in, zoals 14:30."), "required": _("Vul een begintijd in.")},
    )
    duration_minutes = forms.IntegerField(
        label=_("Hoe lang duurt het? (in minuten)"),
        min_value=1,
        max_value=24 * 60,
        initial=120,
        help_text=_("Twee uur is 120 minuten."),
        error_messages={**NUMBER_ERRORS, "required": _("Vul in hoeveel minuten het duurt.")},
    )
    repeat = forms.ChoiceField(
        label=_("Hoe vaak is het?"), choices=REPEAT_CHOICES, initial=REPEAT_WEEKLY, widget=forms.RadioSelect
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Op welke dag(en)?"),
        choices=WEEKDAYS,
        required=False,
        widget=checkboxes(),
        help_text=_("Voor elke week of om de week. Kies je geen dag? Dan is het op de dag van de eerste keer."),
    )
    monthly_nth = forms.ChoiceField(
        label=_("Elke maand: de hoeveelste?"),
        choices=[("", _("zoals de eerste keer")), *NTH],
        required=False,
    )
    monthly_weekday = forms.ChoiceField(
        label=_("Elke maand: welke dag?"),
        choices=[("", _("zoals de eerste keer")), *WEEKDAYS],
        required=False,
    )
    rrule_text = forms.CharField(
        label=_("Eigen herhaalregel (RRULE)"),
        required=False,
        max_length=500,
        help_text=_("Alleen bij 'Anders'. Bijvoorbeeld FREQ=WEEKLY;BYDAY=TU,TH voor elke dinsdag en donderdag."),
    )
    exdates = forms.CharField(
        label=_("Data waarop het niet doorgaat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Eén datum per regel, zoals 25-12-2025."),
    )
    active_from = forms.DateField(
        label=_("Loopt vanaf (optioneel)"), required=False, widget=DATE_INPUT, error_messages=DATE_ERRORS
    )
    active_until = forms.DateField(
        label=_("Loopt tot en met (optioneel)"),
        required=False,
        widget=DATE_INPUT,
        error_messages=DATE_ERRORS,
        help_text=_("Leeg: het loopt door tot je het stopt."),
    )
    # Waar
    place = forms.ModelChoiceField(
        label=_("Plek"),
        queryset=Place.objects.none(),
        required=False,
        empty_label=_("Geen plek: de activiteit is online"),
        help_text=_("Staat de plek er niet bij? Voeg eerst de plek toe bij je organisatie."),
    )
    # Meedoen
    cost = forms.CharField(
        label=_("Wat kost meedoen? (in euro's)"),
        required=False,
        max_length=12,
        help_text=_("Bijvoorbeeld 2,50. Gratis? Vul 0 in of laat het leeg."),
    )
    has_free_option = _boolean(_("Wie het niet kan betalen, doet gratis mee"))
    registration_required = _boolean(_("Je moet je vooraf aanmelden of een intakegesprek hebben"))
    sign_up_channel = forms.ChoiceField(
        label=_("Zo meld je je aan of krijg je informatie"), choices=SignUpChannel.choices
    )
    commitment = forms.ChoiceField(label=_("Wat wordt er verwacht?"), choices=Commitment.choices)
    capacity = _number(_("Aantal plaatsen (optioneel)"), _("Leeg: er is geen maximum."), max_value=100_000)
    expected_group_size = _number(
        _("Hoeveel mensen zijn er meestal? (optioneel)"),
        _("Meer dan 15 mensen telt als een grote of drukke groep."),
        max_value=100_000,
    )
    level_required = _boolean(_("Je moet al iets kunnen of ervaring hebben"))
    dutch_language_required = _boolean(_("Je moet goed Nederlands spreken"))
    # Contact
    who_welcomes_you = text_field(
        _("Wie ontvangt nieuwe mensen?"),
        160,
        help_text=_("Een naam of een rol, zoals 'gastvrouw Anja'. Leeg betekent: er is niemand die je ontvangt."),
    )
    contact_email = forms.EmailField(
        label=_("E-mailadres voor vragen"),
        required=False,
        error_messages={"invalid": _("Vul een e-mailadres in, zoals info@voorbeeld.nl.")},
    )
    contact_phone = text_field(_("Telefoon voor vragen"), 30, type="tel")
    # Indeling
    participation_type = CatalogueChoiceField(
        label=_("Soort deelname"),
        queryset=ParticipationType.objects.none(),
        empty_label=_("Kies een soort"),
        error_messages={"required": _("Kies een soort deelname."), "invalid_choice": _("Kies een soort uit de lijst.")},
    )
    domains = CatalogueMultipleChoiceField(
        label=_("Domeinen van de sociale basis"),
        queryset=Domain.objects.none(),
        required=False,
        widget=checkboxes(),
    )
    themes = CatalogueMultipleChoiceField(
        label=_("Thema's"), queryset=Theme.objects.none(), required=False, widget=checkboxes()
    )
    action_perspective = forms.ChoiceField(
        label=_("Wat biedt de activiteit vooral?"),
        choices=[("", _("Weet ik niet")), *ActionPerspective.choices],
        required=False,
        help_text=_(
            "Een omgevingsinitiatief: actief zijn in de buurt. Een mild werkverband: samen werken aan iets. "
            "Een warme plek: er zijn mensen die je kennen."
        ),
    )

    def __init__(
        self,
        *args: Any,
        municipality: Municipality,
        organisation: Organisation,
        instance: Activity | None = None,
        **kw: Any,
    ):
        self.instance = instance
        if instance is not None and "initial" not in kw:
            kw["initial"] = activity_initial(instance)
        super().__init__(*args, **kw)
        places = Place.objects.filter(organisation=organisation, archived_at__isnull=True)
        if instance is not None and instance.place_id:
            places = places | Place.objects.filter(pk=instance.place_id)
        self._queryset("place", places.order_by("name"))
        self._queryset("participation_type", ParticipationType.objects.filter(municipality=municipality))
        self._queryset("domains", Domain.objects.filter(municipality=municipality))
        self._queryset("themes", Theme.objects.filter(municipality=municipality))
        self.fields["domains"].error_messages["invalid_choice"] = _("Kies domeinen uit de lijst.")
        self.fields["themes"].error_messages["invalid_choice"] = _("Kies thema's uit de lijst.")
        self.fields["place"].error_messages["invalid_choice"] = _("Kies een plek van je organisatie uit de lijst.")

    def _queryset(self, name: str, queryset: Any) -> None:
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def fieldsets(self) -> list[tuple[Any, list[forms.BoundField]]]:
        return [(legend, [self[name] for name in names]) for legend, names in ACTIVITY_FIELDSETS]

    def clean_cost(self) -> int:
        return parse_euros(str(self.cleaned_data.get("cost") or ""))

    def clean_exdates(self) -> list[str]:
        return parse_dates(str(self.cleaned_data.get("exdates") or ""))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("repeat") == REPEAT_ADVANCED and not str(data.get("rrule_text") or "").strip():
            self.add_error("rrule_text", _("Je koos 'Anders'. Schrijf dan hier de herhaalregel."))
        elif "repeat" in data and "first_date" in data:
            try:
                validate_rrule(build_rrule(data))
            except ValidationError as error:
                target = "rrule_text" if data["repeat"] == REPEAT_ADVANCED else "repeat"
                self.add_error(target, error)
        if data.get("active_from") and data.get("active_until") and data["active_from"] > data["active_until"]:
            self.add_error("active_until", _("Deze datum ligt voor 'Loopt vanaf'. Kies een latere datum."))
        return data

    def activity_fields(self) -> dict[str, Any]:
        """The keyword arguments for the services, from the cleaned data."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ACTIVITY_PLAIN_FIELDS}
        fields["dtstart"] = dt.datetime.combine(data["first_date"], data["start_time"], tzinfo=AMSTERDAM)
        fields["duration"] = dt.timedelta(minutes=data["duration_minutes"])
        fields["rrule"] = build_rrule(data)
        fields["exdates"] = data["exdates"]
        fields["cost_cents"] = data["cost"]
        return fields


def activity_initial(activity: Activity) -> dict[str, Any]:
    start = activity.dtstart.astimezone(AMSTERDAM)
    initial: dict[str, Any] = {name: getattr(activity, name) for name in ACTIVITY_PLAIN_FIELDS}
    initial.update(
        place=activity.place_id,
        participation_type=activity.participation_type_id,
        first_date=start.date(),
        start_time=start.time().replace(second=0, microsecond=0),
        duration_minutes=int(activity.duration.total_seconds() // 60),
        exdates=format_dates(activity.exdates or []),
        cost=format_euros(activity.cost_cents),
        domains=list(activity.domains.values_list("pk", flat=True)),
        themes=list(activity.themes.values_list("pk", flat=True)),
        **schedule_initial(activity.rrule),
    )
    return initial


class ActivityStatusForm(forms.Form):
    status = forms.ChoiceField(choices=[("published", ""), ("draft", ""), ("archived", "")])
