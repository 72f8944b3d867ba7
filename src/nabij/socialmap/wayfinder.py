"""The wayfinder's state and forms: what you want, what makes it hard, where you are.

What a visitor tells the wayfinder is kept in their session only, per municipality, and never
written anywhere else: barriers are special-category data and there is no account or consent
behind an anonymous visit (docs/wayfinder.md). "Opnieuw beginnen" clears it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from typing import Any

from django import forms
from django.contrib.sessions.backends.base import SessionBase
from django.core.exceptions import ValidationError
from django.db.models import Avg
from django.utils.formats import number_format
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from nabij.core.models import Municipality, Neighbourhood
from nabij.socialmap.models import (
    AMSTERDAM,
    ActionPerspective,
    Barrier,
    Domain,
    ParticipationType,
    Place,
    Theme,
    normalise_postcode,
)
from nabij.socialmap.search import SORTS, ActivityFilter, Point, Suggestion

SESSION_KEY = "nabij_wayfinder"
DISTANCES = (500, 1_000, 2_000, 5_000)


@dataclass
class WayfinderState:
    """One visitor's answers for one municipality."""

    types: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    barriers: list[str] = field(default_factory=list)
    barriers_answered: bool = False
    neighbourhood: str = ""
    postcode: str = ""
    lat: float | None = None
    lon: float | None = None
    distance: int | None = None

    @classmethod
    def load(cls, session: SessionBase, municipality: Municipality) -> WayfinderState:
        stored = session.get(SESSION_KEY, {}).get(str(municipality.pk), {})
        known = {name: value for name, value in stored.items() if name in cls.__dataclass_fields__}
        return cls(**known)

    def save(self, session: SessionBase, municipality: Municipality) -> None:
        everything = dict(session.get(SESSION_KEY, {}))
        everything[str(municipality.pk)] = asdict(self)
        session[SESSION_KEY] = everything

    @staticmethod
    def clear(session: SessionBase, municipality: Municipality) -> None:
        everything = dict(session.get(SESSION_KEY, {}))
        everything.pop(str(municipality.pk), None)
        session[SESSION_KEY] = everything

    @property
    def near(self) -> Point | None:
        return Point(self.lat, self.lon) if self.lat is not None and self.lon is not None else None

    def filters(self) -> ActivityFilter:
        return ActivityFilter(
            participation_types=frozenset(self.types),
            themes=frozenset(self.themes),
            near=self.near,
            max_distance_m=self.distance if self.near else None,
        )


def _label(entry: Any) -> str:
    return str(entry.label(get_language() or "nl"))


def type_choices(municipality: Municipality) -> list[tuple[str, str]]:
    return [(t.code, _label(t)) for t in ParticipationType.objects.filter(municipality=municipality)]


def theme_choices(municipality: Municipality) -> list[tuple[str, str]]:
    return [(t.code, _label(t)) for t in Theme.objects.filter(municipality=municipality)]


def barrier_choices(municipality: Municipality) -> list[tuple[str, str]]:
    return [(b.code, _label(b)) for b in Barrier.objects.filter(municipality=municipality).order_by("position", "bit")]


def neighbourhood_choices(municipality: Municipality) -> list[tuple[str, Any]]:
    rows = Neighbourhood.objects.filter(municipality=municipality).order_by("name").values_list("code", "name")
    return [("", _("Kies je buurt")), *rows]


def distance_choices() -> list[tuple[str, str]]:
    """Walking distances in the page's language: 'tot 1.000 meter', 'up to 1,000 metres'."""
    return [
        ("", str(_("Maakt niet uit"))),
        *[
            (str(metres), str(_("tot %(metres)s meter") % {"metres": number_format(metres, force_grouping=True)}))
            for metres in DISTANCES
        ],
    ]


def locate_postcode(municipality: Municipality, postcode: str) -> Point | None:
    """The middle of the known places with this postcode (or its four digits) in the municipality.

    Nabij has no address register, so a postcode is found through the places on the social map;
    a full postcode (1234 AB) is more precise than its four digits (1234).
    """
    text = normalise_postcode(postcode.strip())
    places = Place.objects.filter(municipality=municipality, lat__isnull=False, archived_at__isnull=True)
    candidates = [places.filter(postcode=text)] if len(text) == 7 else []
    candidates.append(places.filter(postcode__startswith=text[:4]))
    for queryset in candidates:
        middle = queryset.aggregate(lat=Avg("lat"), lon=Avg("lon"))
        if middle["lat"] is not None:
            return Point(round(middle["lat"], 6), round(middle["lon"], 6))
    return None


# ---------------------------------------------------------------------------------------------
# Forms of the three steps
# ---------------------------------------------------------------------------------------------


class WhatForm(forms.Form):
    types = forms.MultipleChoiceField(
        label=_("Wat wil je doen?"),
        help_text=_("Kies er één of meer. Kies je niets, dan zie je alles."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.MultipleChoiceField(
        label=_("Waar heb je zin in?"), required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["types"].choices = type_choices(municipality)  # type: ignore[attr-defined]
        self.fields["themes"].choices = theme_choices(municipality)  # type: ignore[attr-defined]


class BarriersForm(forms.Form):
    barriers = forms.MultipleChoiceField(
        label=_("Wat maakt het moeilijk voor jou?"),
        help_text=_(
            "Kies wat voor jou een drempel is. Dit hoeft niet. We bewaren het niet: "
            "het blijft alleen in deze browser zolang je zoekt."
        ),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["barriers"].choices = barrier_choices(municipality)  # type: ignore[attr-defined]


class WhereForm(forms.Form):
    neighbourhood = forms.ChoiceField(label=_("In welke buurt woon je?"), required=False)
    postcode = forms.CharField(
        label=_("Of: wat is je postcode?"),
        help_text=_("Bijvoorbeeld 3072 AB. Je mag ook alleen de cijfers geven."),
        required=False,
        max_length=7,
    )
    distance = forms.TypedChoiceField(
        label=_("Hoe ver wil je lopen?"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Maakt niet uit")),
            *[
                (str(metres), _("tot %(metres)s meter") % {"metres": f"{metres:,}".replace(",", ".")})
                for metres in DISTANCES
            ],
        ],
    )
    # Filled by the browser's location (JavaScript, with the visitor's permission) only.
    lat = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-90, max_value=90)
    lon = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=-180, max_value=180)

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["neighbourhood"].choices = neighbourhood_choices(municipality)  # type: ignore[attr-defined]
        self.fields["distance"].choices = distance_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        postcode = (data.get("postcode") or "").strip()
        point: Point | None = None
        if data.get("lat") is not None and data.get("lon") is not None:
            point = Point(data["lat"], data["lon"])
        elif postcode:
            digits = normalise_postcode(postcode)
            if not (len(digits) == 4 and digits.isdigit()) and len(digits) != 7:
                self.add_error("postcode", _("Vul een postcode in zoals 3072 AB, of alleen de vier cijfers."))
                return data
            point = locate_postcode(self.municipality, digits)
            if point is None:
                self.add_error(
                    "postcode",
                    _("We kennen deze postcode niet in %(name)s. Kies dan je buurt.")
                    % {"name": self.municipality.name},
                )
                return data
            data["postcode"] = digits
        elif data.get("neighbourhood"):
            buurt = Neighbourhood.objects.get(municipality=self.municipality, code=data["neighbourhood"])
            point = Point(buurt.centroid_lat, buurt.centroid_lon)
        if data.get("distance") and point is None:
            self.add_error("distance", _("Geef je buurt of postcode, dan kunnen we de afstand meten."))
        data["point"] = point
        return data


# ---------------------------------------------------------------------------------------------
# The search page's form: every filter of the search
# ---------------------------------------------------------------------------------------------

WEEKDAYS = (
    (1, _("maandag")),
    (2, _("dinsdag")),
    (3, _("woensdag")),
    (4, _("donderdag")),
    (5, _("vrijdag")),
    (6, _("zaterdag")),
    (7, _("zondag")),
)
SORT_LABELS = {"relevance": _("Beste match"), "distance": _("Dichtbij eerst"), "date": _("Eerstvolgende eerst")}


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Zoek op woord"), required=False, max_length=100)
    type = forms.MultipleChoiceField(label=_("Soort"), required=False, widget=forms.CheckboxSelectMultiple)
    domain = forms.MultipleChoiceField(label=_("Domein"), required=False, widget=forms.CheckboxSelectMultiple)
    perspective = forms.MultipleChoiceField(
        label=_("Wat het je brengt"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=ActionPerspective.choices,
    )
    theme = forms.MultipleChoiceField(label=_("Thema"), required=False, widget=forms.CheckboxSelectMultiple)
    neighbourhood = forms.MultipleChoiceField(label=_("Buurt"), required=False, widget=forms.SelectMultiple)
    day = forms.TypedMultipleChoiceField(
        label=_("Dag"), required=False, coerce=int, choices=WEEKDAYS, widget=forms.CheckboxSelectMultiple
    )
    time_from = forms.TimeField(label=_("Begint na"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    time_until = forms.TimeField(label=_("Begint voor"), required=False, widget=forms.TimeInput(attrs={"type": "time"}))
    free = forms.BooleanField(label=_("Alleen gratis"), required=False)
    without = forms.MultipleChoiceField(
        label=_("Zonder deze drempels"), required=False, widget=forms.CheckboxSelectMultiple
    )
    postcode = forms.CharField(label=_("Vanaf postcode"), required=False, max_length=7)
    distance = forms.TypedChoiceField(label=_("Hoe ver wil je lopen?"), required=False, coerce=int, empty_value=None)
    date = forms.DateField(
        label=_("Op datum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leeg: vandaag."),
    )
    sort = forms.ChoiceField(label=_("Volgorde"), required=False, choices=list(SORT_LABELS.items()))

    def __init__(self, *args: Any, municipality: Municipality, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.municipality = municipality
        self.fields["type"].choices = type_choices(municipality)  # type: ignore[attr-defined]
        self.fields["domain"].choices = [  # type: ignore[attr-defined]
            (d.code, _label(d)) for d in Domain.objects.filter(municipality=municipality)
        ]
        self.fields["theme"].choices = theme_choices(municipality)  # type: ignore[attr-defined]
        self.fields["neighbourhood"].choices = neighbourhood_choices(municipality)[1:]  # type: ignore[attr-defined]
        self.fields["without"].choices = barrier_choices(municipality)  # type: ignore[attr-defined]
        self.fields["distance"].choices = distance_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        point = None
        if data.get("postcode"):
            point = locate_postcode(self.municipality, data["postcode"])
            if point is None:
                self.add_error(
                    "postcode", _("We kennen deze postcode niet in %(name)s.") % {"name": self.municipality.name}
                )
        if (
            (data.get("distance") or data.get("sort") == "distance")
            and point is None
            and not self.has_error("postcode")
        ):
            self.add_error("postcode", _("Geef een postcode om de afstand te meten."))
        data["point"] = point
        return data

    def to_filter(self) -> ActivityFilter:
        data = self.cleaned_data
        sort = data.get("sort") or "relevance"
        return ActivityFilter(
            text=data.get("q") or "",
            participation_types=frozenset(data.get("type") or ()),
            domains=frozenset(data.get("domain") or ()),
            perspectives=frozenset(data.get("perspective") or ()),
            themes=frozenset(data.get("theme") or ()),
            neighbourhoods=frozenset(data.get("neighbourhood") or ()),
            weekdays=frozenset(data.get("day") or ()),
            time_from=data.get("time_from"),
            time_until=data.get("time_until"),
            free=bool(data.get("free")),
            without_barriers=frozenset(data.get("without") or ()),
            near=data.get("point"),
            max_distance_m=data.get("distance"),
            on=data.get("date"),
            sort=sort if sort in SORTS else "relevance",
        )

    def add_validation_error(self, error: ValidationError) -> None:
        """A problem the search itself found (e.g. an unknown code in a hand-made URL)."""
        for message in error.messages:
            self.add_error(None, message)


# ---------------------------------------------------------------------------------------------
# The week calendar
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CalendarDay:
    date: dt.date
    items: list[tuple[dt.datetime, Suggestion]]


def week_start(value: str | None) -> dt.date:
    """Monday of the ISO week `value` (2026-W48), or of this week."""
    if value:
        try:
            return dt.date.fromisocalendar(int(value[:4]), int(value.split("W")[-1]), 1)
        except (ValueError, IndexError):
            pass
    today = dt.datetime.now(tz=AMSTERDAM).date()
    return today - dt.timedelta(days=today.weekday())


def iso_week(day: dt.date) -> str:
    year, week, _weekday = day.isocalendar()
    return f"{year}-W{week:02d}"


def week_calendar(suggestions: list[Suggestion], monday: dt.date) -> list[CalendarDay]:
    """Seven days from `monday`, each with the sessions of the suggested activities, by time."""
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=AMSTERDAM)
    end = start + dt.timedelta(days=7)
    days = [CalendarDay(monday + dt.timedelta(days=n), []) for n in range(7)]
    for suggestion in suggestions:
        for moment in suggestion.activity.iter_occurrences(after=start):
            if moment >= end:
                break
            days[(moment.date() - monday).days].items.append((moment, suggestion))
    for day in days:
        day.items.sort(key=lambda item: (item[0], item[1].activity.title))
    return days
