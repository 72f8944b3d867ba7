"""The social map API: the activity list with every filter, "activities for me", and the minimal listing.

The inventory of municipality A, worked out by hand. Every schedule starts in March 2030, so the
next start is the first time and the order by date does not depend on today (2030-03-04 is a Monday):

    title                     type      place  days/time     cost            barriers           perspective
    Koffie-inloop             ontmoeten  P1    Mon 10:00     free            -                  warme_plek
    Wandelclub                bewegen    P2    Wed 14:00     € 5             cost, registration mild_werkverband
    Schilderen voor iedereen  creatief   P3    Sat 19:30     € 3, free way   crowded            omgevingsinitiatief
    Taalcafé                  ontmoeten  -     Mon 19:00     free            language           -
    Oud koor (until 2025-02-01, so not active today), a draft, and an activity of municipality B.

Walking distance from P1 = (52.000, 4.000): straight line x 1.3, one degree of latitude 111,195 m,
of longitude 111,195 x cos 52° = 68,459 m:
    P2 (52.010, 4.010): sqrt(1,112² + 685²) = 1,306 m -> 1,697.5 m walking
    P3 (52.030, 4.000): 3,336 m                      -> 4,336.6 m walking
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django_scopes import scope

from nabij.accounts.models import User
from nabij.core.models import AuditEntry
from nabij.socialmap.models import AMSTERDAM, Activity, Domain, ParticipationType, Theme
from nabij.testing.factories import (
    ActivityFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    PlaceFactory,
    ThemeFactory,
)
from nabij.testing.personas import Personas
from tests.api.helpers import API, assert_problem, bearer, token_for
from tests.conftest import SocialMap

A = f"{API}/municipalities/GM0001"
LIST = f"{A}/activities"
FOR_ME = f"{A}/activities/for-me"
AT_P1 = "lat=52.0&lon=4.0"
BIT = {"cost": 0, "registration": 1, "commitment": 2, "no_host": 3, "crowded": 4, "language": 6}

KOFFIE, WANDEL, SCHILDER, TAAL, KOOR = "Koffie-inloop", "Wandelclub", "Schilderen voor iedereen", "Taalcafé", "Oud koor"


def _mask(*codes: str) -> int:
    return sum(1 << BIT[code] for code in codes)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime(2030, 3, day, hour, minute, tzinfo=AMSTERDAM)


@pytest.fixture
def inventory(personas: Personas, socialmap: SocialMap) -> dict[str, Activity]:
    a = personas.municipality_a
    second = NeighbourhoodFactory.create(district=personas.district_a, code="BU00010102", name="Nieuwe Weg")
    p1 = PlaceFactory.create(
        organisation=socialmap.organisation, lat=52.0, lon=4.0, neighbourhood=personas.neighbourhood_a
    )
    p2 = PlaceFactory.create(organisation=socialmap.organisation, lat=52.01, lon=4.01, neighbourhood=second)
    p3 = PlaceFactory.create(organisation=socialmap.other_organisation, lat=52.03, lon=4.0)
    koffie_theme = ThemeFactory.create(municipality=a, code="koffie")
    buiten = ThemeFactory.create(municipality=a, code="buiten")

    def make(title: str, type_code: str, domain: str, themes: list[Any], **fields: Any) -> Activity:
        fields.setdefault("organisation", socialmap.organisation)
        activity = ActivityFactory.create(
            title=title, participation_type=ParticipationType.objects.get(code=type_code), **fields
        )
        activity.domains.set([Domain.objects.get(code=domain)])
        activity.themes.set(themes)
        return activity

    result = {
        KOFFIE: make(
            KOFFIE,
            "ontmoeten",
            "elkaar_helpen",
            [koffie_theme],
            place=p1,
            description="Samen koffie drinken en praten.",
            dtstart=_at(4, 10),
            rrule="FREQ=WEEKLY;BYDAY=MO",
            action_perspective="warme_plek",
        ),
        WANDEL: make(
            WANDEL,
            "bewegen",
            "sport_bewegen",
            [buiten],
            place=p2,
            description="Elke week wandelen in het park.",
            dtstart=_at(6, 14),
            rrule="FREQ=WEEKLY;BYDAY=WE",
            cost_cents=500,
            barrier_mask=_mask("cost", "registration"),
            action_perspective="mild_werkverband",
        ),
        SCHILDER: make(
            SCHILDER,
            "creatief",
            "kunst_cultuur",
            [buiten],
            organisation=socialmap.other_organisation,
            place=p3,
            description="Met verf en kwast aan de slag.",
            dtstart=_at(9, 19, 30),
            rrule="FREQ=WEEKLY;BYDAY=SA",
            cost_cents=300,
            has_free_option=True,
            active_until=dt.date(2030, 12, 31),
            barrier_mask=_mask("crowded"),
            action_perspective="omgevingsinitiatief",
        ),
        TAAL: make(
            TAAL,
            "ontmoeten",
            "onderwijs",
            [],
            place=None,
            description="Nederlands oefenen met buren.",
            dtstart=_at(4, 19),
            rrule="FREQ=WEEKLY;BYDAY=MO",
            barrier_mask=_mask("language"),
        ),
        KOOR: make(
            KOOR,
            "ontmoeten",
            "kunst_cultuur",
            [],
            place=p1,
            description="Zingen.",
            dtstart=dt.datetime(2025, 1, 7, 10, 0, tzinfo=AMSTERDAM),
            rrule="FREQ=WEEKLY;BYDAY=TU",
            active_until=dt.date(2025, 2, 1),
        ),
        "draft": make("Geheim concept", "ontmoeten", "elkaar_helpen", [], place=p1, status="draft"),
    }
    with scope(municipality=personas.municipality_b):
        b_type = ParticipationType.objects.get(code="ontmoeten", municipality=personas.municipality_b)
        ActivityFactory.create(
            organisation=OrganisationFactory.create(municipality=personas.municipality_b),
            participation_type=b_type,
            title="Koffie in Beta",
        )
    return result


def _titles(response: Any) -> list[str]:
    assert response.status_code == 200, response.content
    return [item["title"] for item in response.json()["results"]]


# --- the list: every filter --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {KOFFIE, WANDEL, SCHILDER, TAAL}),
        ("q=koffie", {KOFFIE}),
        ("q=wandel", {WANDEL}),
        ("type=bewegen", {WANDEL}),
        ("type=ontmoeten,creatief", {KOFFIE, TAAL, SCHILDER}),
        ("type=ontmoeten&type=bewegen", {KOFFIE, TAAL, WANDEL}),
        ("domain=kunst_cultuur", {SCHILDER}),
        ("domain=elkaar_helpen,onderwijs", {KOFFIE, TAAL}),
        ("perspective=warme_plek", {KOFFIE}),
        ("perspective=mild_werkverband&perspective=omgevingsinitiatief", {WANDEL, SCHILDER}),
        ("theme=koffie", {KOFFIE}),
        ("theme=buiten", {WANDEL, SCHILDER}),
        ("neighbourhood=BU00010101", {KOFFIE}),
        ("neighbourhood=bu00010101,BU00010102", {KOFFIE, WANDEL}),
        ("weekday=1", {KOFFIE, TAAL}),
        ("weekday=3,6", {WANDEL, SCHILDER}),
        ("weekday=7", set()),
        ("time_from=14:00", {WANDEL, SCHILDER, TAAL}),
        ("time_until=14:00", {KOFFIE, WANDEL}),
        ("time_from=12:00&time_until=19:00", {WANDEL, TAAL}),
        ("free=true", {KOFFIE, SCHILDER, TAAL}),
        ("without_barriers=cost", {KOFFIE, SCHILDER, TAAL}),
        ("without_barriers=crowded,language", {KOFFIE, WANDEL}),
        ("without_barriers=registration&without_barriers=language", {KOFFIE, SCHILDER}),
        (f"{AT_P1}&max_distance=2000", {KOFFIE, WANDEL}),
        (f"{AT_P1}&max_distance=1000", {KOFFIE}),
        (f"{AT_P1}&without_barriers=distance", {KOFFIE}),  # "not nearby" stops me: within 1 km
        ("date=2031-01-01", {KOFFIE, WANDEL, TAAL}),
        ("date=2025-01-20", {KOFFIE, WANDEL, SCHILDER, TAAL, KOOR}),
        ("organisation={other}", {SCHILDER}),
        ("type=ontmoeten&weekday=1&time_from=12:00&free=true", {TAAL}),
    ],
)
def test_each_filter(client: Client, socialmap: SocialMap, inventory: Any, query: str, expected: set[str]) -> None:
    query = query.format(other=socialmap.other_organisation.uid)
    titles = _titles(client.get(f"{LIST}?{query}"))
    assert set(titles) == expected
    assert len(titles) == len(expected)


def test_default_order_is_soonest_first(client: Client, inventory: Any) -> None:
    assert _titles(client.get(LIST)) == [KOFFIE, TAAL, WANDEL, SCHILDER]
    assert _titles(client.get(f"{LIST}?sort=date")) == [KOFFIE, TAAL, WANDEL, SCHILDER]


def test_sort_by_distance_with_distances(client: Client, inventory: Any) -> None:
    response = client.get(f"{LIST}?{AT_P1}&sort=distance")
    assert _titles(response) == [KOFFIE, WANDEL, SCHILDER, TAAL]  # the online one last
    distances = [item["distance_m"] for item in response.json()["results"]]
    assert distances[0] == 0
    assert distances[1] == pytest.approx(1697.5, abs=2)
    assert distances[2] == pytest.approx(4336.6, abs=2)
    assert distances[3] is None


def test_list_items_are_full_activities(client: Client, inventory: Any) -> None:
    item = client.get(f"{LIST}?type=bewegen").json()["results"][0]
    assert item["barriers"] == ["cost", "registration"]
    assert item["domains"] == ["sport_bewegen"]
    assert item["themes"] == ["buiten"]
    assert item["place"]["neighbourhood"] == "BU00010102"
    assert item["next_dates"][:2] == ["2030-03-06T14:00:00+01:00", "2030-03-13T14:00:00+01:00"]
    assert item["distance_m"] is None


def test_list_is_paginated(client: Client, inventory: Any) -> None:
    body = client.get(f"{LIST}?page_size=3").json()
    assert body["count"] == 4
    assert [item["title"] for item in body["results"]] == [KOFFIE, TAAL, WANDEL]
    assert body["next"].endswith("page_size=3&page=2")
    assert_problem(client.get(f"{LIST}?page_size=500"), 422, "validation-error")


def test_list_has_no_per_row_queries(client: Client, inventory: Any) -> None:
    with CaptureQueriesContext(connection) as one:
        assert len(_titles(client.get(f"{LIST}?page_size=1"))) == 1
    with CaptureQueriesContext(connection) as four:
        assert len(_titles(client.get(f"{LIST}?page_size=4"))) == 4
    assert len(four.captured_queries) == len(one.captured_queries)


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("type=zwemmen", ["query", "type"]),
        ("domain=ruimtevaart", ["query", "domain"]),
        ("theme=onbekend", ["query", "theme"]),
        ("neighbourhood=BU00020101", ["query", "neighbourhood"]),  # municipality B's
        ("without_barriers=vliegangst", ["query", "without_barriers"]),
        ("perspective=feest", ["query", "perspective"]),
        ("weekday=8", ["query", "weekday"]),
        ("weekday=maandag", ["query", "weekday"]),
        ("lat=52.0", ["query", "lon"]),
        ("max_distance=500", ["query", "max_distance"]),
        ("sort=distance", ["query", "sort"]),
        ("sort=popular", ["query", "sort"]),
        ("time_from=20:00&time_until=10:00", ["query", "time_until"]),
        ("time_from=25:00", ["query", "time_from"]),
        ("time_until=half acht", ["query", "time_until"]),
        ("date=gisteren", ["query", "date"]),
        ("free=misschien", ["query", "free"]),
    ],
)
def test_bad_filters_are_422_per_parameter(client: Client, inventory: Any, query: str, location: list[str]) -> None:
    body = assert_problem(client.get(f"{LIST}?{query}"), 422, "validation-error")
    assert [error["location"] for error in body["errors"]] == [location]
    assert all(error["message"] for error in body["errors"])


# --- the list: drafts and archived activities for editors --------------------------------------


def _get(url: str, user: User | None) -> Any:
    return Client().get(url, headers=bearer(token_for(user)) if user else {})


def test_editors_list_their_own_drafts(personas: Personas, socialmap: SocialMap, inventory: Any) -> None:
    assert _titles(_get(f"{LIST}?status=draft", socialmap.organiser)) == ["Geheim concept"]
    assert _titles(_get(f"{LIST}?status=draft", personas.coordinator)) == ["Geheim concept"]
    assert _titles(_get(f"{LIST}?status=draft", socialmap.other_organiser)) == []
    assert _titles(_get(f"{LIST}?status=archived", socialmap.organiser)) == []


def test_who_may_not_list_drafts(personas: Personas, inventory: Any) -> None:
    assert_problem(_get(f"{LIST}?status=draft", None), 401, "not-authenticated")
    assert_problem(_get(f"{LIST}?status=draft", personas.resident), 403, "permission-denied")
    assert_problem(_get(f"{LIST}?status=draft", personas.outsider), 404)


def test_drafts_take_no_search_filters(socialmap: SocialMap, inventory: Any) -> None:
    body = assert_problem(_get(f"{LIST}?status=draft&q=geheim", socialmap.organiser), 422, "validation-error")
    assert body["errors"][0]["location"] == ["query", "status"]


# --- activities for me -------------------------------------------------------------------------


def test_for_me_ranks_by_barriers_perspective_and_walk(client: Client, inventory: Any) -> None:
    response = client.get(f"{FOR_ME}?barriers=cost,crowded&{AT_P1}&isolation_type=social_and_personal")
    assert response.status_code == 200, response.content
    results = response.json()["results"]
    # Scores (lower is better): 3 per barrier of mine, 1.5 for another perspective than warme plek,
    # 1 per km. Koffie 0; Wandelclub 3 + 1.5 + 1.70 = 6.20; Schilderen 3 + 1.5 + 4.34 = 8.84.
    # Taalcafé is online: no walking distance, so not within the 5 km of a location.
    assert [r["activity"]["title"] for r in results] == [KOFFIE, WANDEL, SCHILDER]
    assert [r["barriers"] for r in results] == [[], ["cost"], ["crowded"]]
    assert [r["score"] for r in results] == pytest.approx([0.0, 6.1975, 8.8366], abs=0.01)
    # The wording is the search module's; the API passes it on.
    assert results[0]["reason"].startswith("Geen drempels voor jou, een warme plek past bij wat je zoekt, ")
    assert results[1]["distance_m"] == pytest.approx(1697.5, abs=2)
    assert results[1]["activity"]["barriers"] == ["cost", "registration"]
    assert results[1]["activity"]["place"]["neighbourhood"] == "BU00010102"
    assert results[1]["activity"]["organisation"]["name"] == "Buurthuis De Linde"
    assert results[1]["next_dates"][0] == "2030-03-06T14:00:00+01:00"


def test_for_me_without_location_or_isolation_type(client: Client, inventory: Any) -> None:
    results = client.get(f"{FOR_ME}?barriers=language").json()["results"]
    # Only Taalcafé has my barrier; the others tie at 0 and come soonest first.
    assert [r["activity"]["title"] for r in results] == [KOFFIE, WANDEL, SCHILDER, TAAL]
    assert [r["barriers"] for r in results] == [[], [], [], ["language"]]
    assert all(r["distance_m"] is None for r in results)


def test_for_me_lifted_barriers_do_not_count(client: Client, inventory: Any) -> None:
    results = client.get(f"{FOR_ME}?barriers=cost&lifted=cost&type=bewegen").json()["results"]
    assert [(r["activity"]["title"], r["barriers"], r["lifted"]) for r in results] == [(WANDEL, [], ["cost"])]


def test_for_me_takes_the_search_filters_and_a_limit(client: Client, inventory: Any) -> None:
    assert [r["activity"]["title"] for r in client.get(f"{FOR_ME}?type=ontmoeten").json()["results"]] == [KOFFIE, TAAL]
    assert len(client.get(f"{FOR_ME}?limit=2").json()["results"]) == 2


@pytest.mark.parametrize(
    ("query", "location"),
    [
        ("barriers=vliegangst", ["query", "barriers"]),
        ("barriers=cost&lifted=vliegangst", ["query", "lifted"]),
        ("isolation_type=eenzaam", ["query", "isolation_type"]),
        ("limit=0", ["query", "limit"]),
        ("limit=101", ["query", "limit"]),
        ("type=zwemmen", ["query", "type"]),
        ("lon=4.0", ["query", "lat"]),
    ],
)
def test_for_me_bad_input(client: Client, inventory: Any, query: str, location: list[str]) -> None:
    body = assert_problem(client.get(f"{FOR_ME}?{query}"), 422, "validation-error")
    assert [error["location"] for error in body["errors"]] == [location]


def test_for_me_stores_nothing(client: Client, personas: Personas, inventory: Any) -> None:
    audit_entries = AuditEntry.objects.count()
    response = client.get(f"{FOR_ME}?barriers=cost,crowded&{AT_P1}")
    assert response.status_code == 200
    assert "Set-Cookie" not in response.headers and not response.cookies
    assert AuditEntry.objects.count() == audit_entries


def test_for_me_query_count_does_not_grow_with_results(client: Client, inventory: Any) -> None:
    with CaptureQueriesContext(connection) as one:
        assert len(client.get(f"{FOR_ME}?barriers=cost&{AT_P1}&limit=1").json()["results"]) == 1
    with CaptureQueriesContext(connection) as three:
        assert len(client.get(f"{FOR_ME}?barriers=cost&{AT_P1}&limit=20").json()["results"]) == 3
    assert len(three.captured_queries) == len(one.captured_queries)


def test_for_me_other_municipality_is_not_found(client: Client, inventory: Any) -> None:
    assert_problem(client.get(f"{API}/municipalities/GM0999/activities/for-me"), 404)


# --- the minimal listing -----------------------------------------------------------------------


def test_minimal_listing(client: Client, inventory: Any) -> None:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(f"{A}/activities/bare?limit=2")
    assert response.status_code == 200
    results = response.json()["results"]
    # Published activities in the order they were made (primary key), whether active today or not.
    first_two = sorted((a for a in inventory.values() if a.status == "published"), key=lambda a: a.pk)[:2]
    assert [row["title"] for row in results] == [a.title for a in first_two]
    assert set(results[0]) == {"uid", "title", "dtstart", "rrule", "next_start", "cost_cents"}
    assert results[0]["uid"] == str(first_two[0].uid)
    assert sum("socialmap_activity" in q["sql"] for q in queries.captured_queries) == 1
    assert len(client.get(f"{A}/activities/bare").json()["results"]) == 5  # default 20; B's are not here
    assert_problem(client.get(f"{A}/activities/bare?limit=0"), 422, "validation-error")


def test_for_me_and_bare_are_not_taken_for_a_uid(client: Client, inventory: Any) -> None:
    assert client.get(f"{A}/activities/for-me").status_code == 200
    assert client.get(f"{A}/activities/bare").status_code == 200
    assert Activity.objects.filter(title="Koffie in Beta").count() == 0  # not visible from A's scope
    assert Theme.objects.count() == 2
