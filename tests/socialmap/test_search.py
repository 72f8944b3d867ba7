"""Search, filters, sorting and the "activities for me" ranking, on an inventory counted by hand.

Reference point P = (52.0, 4.0). Walking distance = straight line x 1.3. At 52° one degree of
longitude is 111,195 m x cos 52° = 68,459 m, so (expected walking distances, worked out by hand):

    near   (52.000, 4.005): 0.005 x 68,459 = 342 m     -> walking  445 m
    mid    (52.009, 4.000): 0.009 x 111,195 = 1,001 m  -> walking 1,301 m
    far    (52.030, 4.000): 3,336 m                    -> walking 4,337 m
    remote (52.050, 4.000): 5,560 m                    -> walking 7,228 m (beyond the 5 km of suggestions)
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django_scopes import scope, scopes_disabled

from nabij.socialmap import catalogue
from nabij.socialmap.models import AMSTERDAM, Activity, Domain, ParticipationType
from nabij.socialmap.search import (
    ActivityFilter,
    Point,
    _text_search,
    activities_for_me,
    format_distance,
    search_activities,
)
from nabij.testing.factories import ActivityFactory, OrganisationFactory, PlaceFactory, ThemeFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

P = Point(52.0, 4.0)
BIT = {d.code: d.bit for d in catalogue.DEFAULT_BARRIERS}


def mask(*codes: str) -> int:
    return sum(1 << BIT[code] for code in codes)


def walking(lat: float, lon: float) -> float:
    """Great-circle distance from P (haversine) x 1.3: an independent check of the flat projection."""
    r = 6_371_008.8
    p1, p2 = math.radians(P.lat), math.radians(lat)
    dp, dl = p2 - p1, math.radians(lon - P.lon)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * r * math.asin(math.sqrt(a)) * 1.3


@dataclass
class Inventory:
    coffee: Activity  # near, ontmoeten, warme plek, no barriers, Tue 10:00
    walk: Activity  # mid, bewegen, omgevingsinitiatief, cost, Thu 19:00
    paint: Activity  # far, creatief, mild werkverband, registration + crowded, Sat 14:00
    garden: Activity  # near, vrijwilligerswerk, mild werkverband, no_host, Wed + Sat 9:30
    repair: Activity  # remote, ontmoeten, warme plek, no barriers, first Saturday 10:00


def at(year: int, month: int, day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def inventory(socialmap: SocialMap, personas: Personas) -> Inventory:
    a = personas.municipality_a
    org = socialmap.organisation
    places = {
        "near": PlaceFactory.create(organisation=org, lat=52.0, lon=4.005, neighbourhood=personas.neighbourhood_a),
        "mid": PlaceFactory.create(organisation=org, lat=52.009, lon=4.0),
        "far": PlaceFactory.create(organisation=org, lat=52.03, lon=4.0),
        "remote": PlaceFactory.create(organisation=org, lat=52.05, lon=4.0),
    }
    types = {t.code: t for t in ParticipationType.objects.filter(municipality=a)}
    garden_theme = ThemeFactory.create(municipality=a, code="tuinieren", label_nl="Tuinieren")

    def activity(title: str, place: str, kind: str, **extra: object) -> Activity:
        return ActivityFactory.create(
            organisation=org, place=places[place], participation_type=types[kind], title=title, **extra
        )

    coffee = activity(
        "Koffieochtend", "near", "ontmoeten", action_perspective="warme_plek", description="Samen koffie drinken."
    )
    coffee.domains.set(Domain.objects.filter(code="eigen_netwerken"))
    walk = activity(
        "Samen wandelen",
        "mid",
        "bewegen",
        action_perspective="omgevingsinitiatief",
        barrier_mask=mask("cost"),
        cost_cents=300,
        dtstart=at(2025, 1, 9, 19),
        rrule="FREQ=WEEKLY;BYDAY=TH",
        description="Elke week door het park.",
    )
    walk.domains.set(Domain.objects.filter(code__in=["sport_bewegen", "gezondheid"]))
    paint = activity(
        "Schilderen voor beginners",
        "far",
        "creatief",
        action_perspective="mild_werkverband",
        barrier_mask=mask("registration", "crowded"),
        dtstart=at(2025, 1, 11, 14),
        rrule="FREQ=WEEKLY;BYDAY=SA",
        description="Met verf en kwast.",
    )
    garden = activity(
        "Moestuin",
        "near",
        "vrijwilligerswerk",
        action_perspective="mild_werkverband",
        barrier_mask=mask("no_host"),
        who_welcomes_you="",
        dtstart=at(2025, 1, 8, 9, 30),
        rrule="FREQ=WEEKLY;BYDAY=WE,SA",
        description="Na het wandelen samen tuinieren.",
    )
    garden.themes.set([garden_theme])
    repair = activity(
        "Repair Café",
        "remote",
        "ontmoeten",
        action_perspective="warme_plek",
        dtstart=at(2025, 1, 4, 10),
        rrule="FREQ=MONTHLY;BYDAY=1SA",
        description="Spullen repareren.",
    )
    # Never found: a draft, an activity that has ended, and municipality B's walk.
    activity("Wandelen in het geheim", "near", "bewegen", status="draft")
    activity("Oude wandeling", "near", "bewegen", active_until=dt.date(2025, 2, 1))
    with scope(municipality=personas.municipality_b):
        other = OrganisationFactory.create(municipality=personas.municipality_b)
        ActivityFactory.create(
            organisation=other,
            participation_type=ParticipationType.objects.get(municipality=personas.municipality_b, code="bewegen"),
            title="Wandelen in Betastad",
        )
    return Inventory(coffee=coffee, walk=walk, paint=paint, garden=garden, repair=repair)


def found(personas: Personas, **filters: object) -> list[str]:
    return [a.title for a in search_activities(personas.municipality_a, ActivityFilter(**filters))]  # type: ignore[arg-type]


ALL_BY_TITLE = {"Koffieochtend", "Samen wandelen", "Schilderen voor beginners", "Moestuin", "Repair Café"}


def test_without_filters_only_published_active_own_activities(inventory: Inventory, personas: Personas) -> None:
    assert set(found(personas)) == ALL_BY_TITLE


def test_text_search_ranks_a_title_above_a_description(inventory: Inventory, personas: Personas) -> None:
    # "wandelen" is in the walk's title and in the garden's description; Dutch word forms match.
    assert found(personas, text="wandelen") == ["Samen wandelen", "Moestuin"]
    assert found(personas, text="koffie") == ["Koffieochtend"]
    assert found(personas, text="fietsen") == []


def test_text_search_treats_syntax_as_words(inventory: Inventory, personas: Personas) -> None:
    # Quotes, operators and brackets in what a visitor types are never query syntax.
    assert found(personas, text='koffie" OR (NEAR*') == []
    assert found(personas, text='"koffie"') == ["Koffieochtend"]
    assert found(personas, text="***") == []


def test_filters(inventory: Inventory, personas: Personas) -> None:
    assert found(personas, participation_types=frozenset({"bewegen"})) == ["Samen wandelen"]
    assert set(found(personas, perspectives=frozenset({"mild_werkverband"}))) == {
        "Schilderen voor beginners",
        "Moestuin",
    }
    # The walk is in two of the three domains asked for, and still appears once.
    assert sorted(found(personas, domains=frozenset({"sport_bewegen", "gezondheid", "eigen_netwerken"}))) == [
        "Koffieochtend",
        "Samen wandelen",
    ]
    assert found(personas, themes=frozenset({"tuinieren"})) == ["Moestuin"]
    assert set(found(personas, neighbourhoods=frozenset({"BU00010101"}))) == {"Koffieochtend", "Moestuin"}
    # Saturday (6): painting, the garden (Wed + Sat) and the repair café (first Saturday).
    assert set(found(personas, weekdays=frozenset({6}))) == {"Schilderen voor beginners", "Moestuin", "Repair Café"}
    assert set(found(personas, time_from=dt.time(12, 0))) == {"Samen wandelen", "Schilderen voor beginners"}
    assert set(found(personas, time_until=dt.time(9, 30))) == {"Moestuin"}
    assert set(found(personas, free=True)) == ALL_BY_TITLE - {"Samen wandelen"}
    assert set(found(personas, without_barriers=frozenset({"cost", "no_host"}))) == {
        "Koffieochtend",
        "Schilderen voor beginners",
        "Repair Café",
    }
    assert set(found(personas, near=P, max_distance_m=1500)) == {"Koffieochtend", "Moestuin", "Samen wandelen"}
    # `distance` as a barrier: only what is within 1,000 m walking.
    assert set(found(personas, near=P, without_barriers=frozenset({"distance"}))) == {"Koffieochtend", "Moestuin"}


def test_filters_combine(inventory: Inventory, personas: Personas) -> None:
    assert found(
        personas, weekdays=frozenset({6}), without_barriers=frozenset({"crowded"}), near=P, max_distance_m=2000
    ) == ["Moestuin"]


def test_active_on_a_given_day(inventory: Inventory, personas: Personas) -> None:
    assert "Oude wandeling" in found(personas, on=dt.date(2025, 1, 20))


def test_sorting(inventory: Inventory, personas: Personas) -> None:
    by_distance = search_activities(personas.municipality_a, ActivityFilter(near=P, sort="distance"))
    titles = [a.title for a in by_distance]
    # near (coffee, garden: tie broken by next date), mid, far, remote
    assert titles[2:] == ["Samen wandelen", "Schilderen voor beginners", "Repair Café"]
    assert set(titles[:2]) == {"Koffieochtend", "Moestuin"}
    for activity in by_distance:
        assert activity.distance_m == pytest.approx(walking(activity.place.lat, activity.place.lon), rel=0.01)
    by_date = [a.next_start for a in search_activities(personas.municipality_a, ActivityFilter(sort="date"))]
    assert by_date == sorted(by_date)


@pytest.mark.parametrize(
    ("filters", "message"),
    [
        ({"participation_types": frozenset({"dansen"})}, "Onbekende soort: dansen."),
        ({"domains": frozenset({"x"})}, "Onbekend domein: x."),
        ({"themes": frozenset({"x"})}, "Onbekend thema: x."),
        ({"neighbourhoods": frozenset({"BU00020101"})}, "Onbekende buurt: BU00020101."),  # B's
        ({"perspectives": frozenset({"x"})}, "Onbekend handelingsperspectief: x."),
        ({"without_barriers": frozenset({"x"})}, "Onbekende drempel: x."),
        ({"weekdays": frozenset({0})}, "Een dag is een getal van 1 (maandag) tot en met 7 (zondag)."),
        ({"max_distance_m": 500}, "Geef ook een plek op om vanaf te meten."),
        ({"sort": "distance"}, "Sorteren op afstand kan alleen als je een plek opgeeft."),
        ({"time_from": dt.time(14), "time_until": dt.time(10)}, "De begintijd ligt na de eindtijd."),
    ],
)
def test_bad_filters_are_explained(
    inventory: Inventory, personas: Personas, filters: dict[str, object], message: str
) -> None:
    with pytest.raises(ValidationError) as raised:
        list(search_activities(personas.municipality_a, ActivityFilter(**filters)))  # type: ignore[arg-type]
    assert raised.value.messages == [message]


def test_activities_for_me_ranks_and_explains(inventory: Inventory, personas: Personas) -> None:
    # Scores (lower first): 3 per barrier of the person, 1.5 for a perspective that does not fit
    # `social_and_personal` (warme plek), 1 per walking km:
    #   coffee 0 + 0 + 0.445 = 0.445; garden 3 + 1.5 + 0.445 = 4.945; walk 3 + 1.5 + 1.301 = 5.801;
    #   paint 0 + 1.5 + 4.337 = 5.837; the repair café is beyond 5 km.
    suggestions = activities_for_me(
        personas.municipality_a,
        barriers=frozenset({"cost", "no_host"}),
        near=P,
        isolation_type="social_and_personal",
    )
    assert [s.activity.title for s in suggestions] == [
        "Koffieochtend",
        "Moestuin",
        "Samen wandelen",
        "Schilderen voor beginners",
    ]
    assert [round(s.score, 1) for s in suggestions] == [0.4, 4.9, 5.8, 5.8]
    assert suggestions[0].reason == "Geen drempels voor jou, een warme plek past bij wat je zoekt, 450 m lopen."
    assert suggestions[1].barriers == ("no_host",)
    assert suggestions[1].reason == "Eén drempel voor jou: niemand die je ontvangt, 450 m lopen."
    assert suggestions[2].reason == "Eén drempel voor jou: kost geld, 1,3 km lopen."
    assert suggestions[0].next_dates and suggestions[0].next_dates[0].weekday() == 1  # a Tuesday


def test_a_supporter_lifts_barriers(inventory: Inventory, personas: Personas) -> None:
    # With a buddy going along, no_host does not count: garden 0 + 1.5 + 0.445 = 1.945.
    suggestions = activities_for_me(
        personas.municipality_a,
        barriers=frozenset({"cost", "no_host"}),
        lifted=frozenset({"no_host", "registration"}),
        near=P,
        isolation_type="social_and_personal",
        limit=2,
    )
    assert [s.activity.title for s in suggestions] == ["Koffieochtend", "Moestuin"]
    garden = suggestions[1]
    assert (garden.barriers, garden.lifted) == ((), ("no_host",))
    assert garden.reason == (
        "Geen drempels voor jou, je maatje gaat mee, dus niemand die je ontvangt telt niet, 450 m lopen."
    )


def test_isolation_type_prefers_its_perspective(inventory: Inventory, personas: Personas) -> None:
    # Collective isolation -> mild werkverband: painting and the garden first, without a location.
    suggestions = activities_for_me(
        personas.municipality_a, barriers=frozenset(), near=None, isolation_type="collective", limit=2
    )
    assert {s.activity.title for s in suggestions} == {"Schilderen voor beginners", "Moestuin"}
    assert all("mild werkverband past bij wat je zoekt" in s.reason for s in suggestions)


def test_activities_for_me_rejects_unknown_input(inventory: Inventory, personas: Personas) -> None:
    with pytest.raises(ValidationError):
        activities_for_me(personas.municipality_a, barriers=frozenset({"x"}), near=None, isolation_type=None)
    with pytest.raises(ValidationError):
        activities_for_me(personas.municipality_a, barriers=frozenset(), near=None, isolation_type="x")
    with pytest.raises(ValidationError):
        activities_for_me(personas.municipality_a, barriers=frozenset(), near=None, isolation_type=None, limit=0)


def test_search_index_follows_changes(inventory: Inventory, personas: Personas) -> None:
    inventory.coffee.title = "Thee-ochtend"
    inventory.coffee.save()
    assert found(personas, text="thee") == ["Thee-ochtend"]
    assert found(personas, text="koffieochtend") == []
    inventory.coffee.delete()
    assert found(personas, text="thee") == []


def test_schedule_summary(inventory: Inventory, personas: Personas) -> None:
    assert inventory.garden.weekdays_mask == (1 << 2) | (1 << 5)  # Wednesday and Saturday
    assert inventory.garden.start_minute == 9 * 60 + 30
    assert inventory.repair.weekdays_mask == 1 << 5
    assert inventory.walk.next_start is not None and inventory.walk.next_start.weekday() == 3


@pytest.mark.parametrize(("metres", "text"), [(445, "450 m"), (20, "50 m"), (999, "1,0 km"), (1301, "1,3 km")])
def test_format_distance(metres: float, text: str) -> None:
    assert format_distance(metres) == text


def test_postgres_uses_the_full_text_index(inventory: Inventory, personas: Personas) -> None:
    """The query's document must equal migration 0006's index expression, or the index is dead weight."""
    if connection.vendor != "postgresql":
        pytest.skip("the GIN index exists on PostgreSQL only; SQLite uses its FTS5 table")
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # a handful of rows would otherwise be scanned
    with scopes_disabled():
        matches, _rank = _text_search("wandelen")
        plan = Activity.objects.filter(matches).explain()
    assert "socialmap_activity_fts" in plan, plan
