"""iCalendar feeds: they parse with `icalendar`, and their expanded RRULE (with EXDATE) gives the
start times the activity page shows (`Activity.next_occurrences`), across DST too."""

from __future__ import annotations

import datetime as dt
from itertools import islice
from typing import Any

import pytest
from dateutil.rrule import rruleset, rrulestr
from django.test import Client
from django_scopes import scope
from icalendar import Calendar, Event

from nabij.socialmap.models import AMSTERDAM, Activity, ActivityStatus
from nabij.testing.factories import ActivityFactory, OrganisationFactory, PlaceFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db

AFTER = dt.datetime(2025, 10, 1, tzinfo=AMSTERDAM)


def _feed(client: Client, url: str) -> Calendar:
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="')
    assert response["Content-Disposition"].endswith('.ics"')
    return Calendar.from_ical(response.content)


def _events(calendar: Calendar) -> dict[str, Event]:
    return {str(event["UID"]): event for event in calendar.walk("VEVENT")}


def _expand(event: Event, count: int, after: dt.datetime = AFTER) -> list[str]:
    """What a calendar client shows: DTSTART + RRULE (dateutil) minus EXDATE, from `after`."""
    start = event.decoded("DTSTART")
    times = rruleset()
    if "RRULE" in event:
        times.rrule(rrulestr(event["RRULE"].to_ical().decode(), dtstart=start))
    else:
        times.rdate(start)
    exdates: Any = event.get("EXDATE") or []
    for group in exdates if isinstance(exdates, list) else [exdates]:
        for value in group.dts:
            times.exdate(value.dt)
    return [moment.isoformat() for moment in islice((m for m in times if m >= after), count)]


def _shown(activity: Activity, count: int, after: dt.datetime = AFTER) -> list[str]:
    return [moment.isoformat() for moment in activity.next_occurrences(count, after=after)]


def _activity(socialmap: SocialMap, **fields: Any) -> Activity:
    defaults: dict[str, Any] = {
        "organisation": socialmap.organisation,
        "dtstart": dt.datetime(2025, 10, 14, 19, 0, tzinfo=AMSTERDAM),
        "rrule": "FREQ=WEEKLY;BYDAY=TU",
    }
    return ActivityFactory.create(**{**defaults, **fields})


def _activity_feed(client: Client, activity: Activity) -> Event:
    calendar = _feed(client, f"/alfadorp/activiteiten/{activity.uid}/agenda.ics")
    events = _events(calendar)
    assert list(events) == [f"{activity.uid}@nabij"]
    return events[f"{activity.uid}@nabij"]


def test_weekly_across_the_end_of_summer_time(client: Client, socialmap: SocialMap) -> None:
    # Summer time ends on Sunday 26 October 2025: 19:00 stays 19:00, the offset goes +02 → +01.
    activity = _activity(socialmap)
    expected = [
        "2025-10-14T19:00:00+02:00",
        "2025-10-21T19:00:00+02:00",
        "2025-10-28T19:00:00+01:00",
        "2025-11-04T19:00:00+01:00",
    ]
    event = _activity_feed(client, activity)
    assert event["DTSTART"].params["TZID"] == "Europe/Amsterdam"
    assert event["DTEND"].to_ical() == b"20251014T210000"
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;BYDAY=TU"
    assert _expand(event, 4) == expected
    assert _shown(activity, 4) == expected


def test_weekly_across_the_start_of_summer_time(client: Client, socialmap: SocialMap) -> None:
    # Summer time starts on Sunday 30 March 2025.
    activity = _activity(socialmap, dtstart=dt.datetime(2025, 3, 18, 10, 0, tzinfo=AMSTERDAM))
    after = dt.datetime(2025, 3, 1, tzinfo=AMSTERDAM)
    expected = ["2025-03-18T10:00:00+01:00", "2025-03-25T10:00:00+01:00", "2025-04-01T10:00:00+02:00"]
    event = _activity_feed(client, activity)
    assert _expand(event, 3, after) == expected
    assert _shown(activity, 3, after) == expected


def test_exception_dates_become_exdate_at_the_local_start_time(client: Client, socialmap: SocialMap) -> None:
    activity = _activity(socialmap, exdates=["2025-10-21", "2025-10-28", "2025-12-25"])
    event = _activity_feed(client, activity)
    assert event["EXDATE"].params["TZID"] == "Europe/Amsterdam"
    # 25 December is a Thursday: no meeting to cancel, listed at the usual time all the same.
    assert event["EXDATE"].to_ical() == b"20251021T190000,20251028T190000,20251225T190000"
    expected = [
        "2025-10-14T19:00:00+02:00",
        "2025-11-04T19:00:00+01:00",
        "2025-11-11T19:00:00+01:00",
    ]
    assert _expand(event, 3) == expected
    assert _shown(activity, 3) == expected


def test_active_until_ends_the_rule_in_utc(client: Client, socialmap: SocialMap) -> None:
    activity = _activity(socialmap, active_until=dt.date(2025, 11, 4), exdates=["2025-10-21"])
    event = _activity_feed(client, activity)
    # The last minute of 4 November in Amsterdam (CET, +01:00) is 22:59:59 UTC.
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20251104T225959Z;BYDAY=TU"
    expected = ["2025-10-14T19:00:00+02:00", "2025-10-28T19:00:00+01:00", "2025-11-04T19:00:00+01:00"]
    assert _expand(event, 10) == expected
    assert _shown(activity, 10) == expected


def test_active_from_moves_dtstart_to_the_first_real_time(client: Client, socialmap: SocialMap) -> None:
    activity = _activity(socialmap, active_from=dt.date(2025, 10, 27))
    event = _activity_feed(client, activity)
    assert event.decoded("DTSTART").isoformat() == "2025-10-28T19:00:00+01:00"
    assert event.decoded("DTEND").isoformat() == "2025-10-28T21:00:00+01:00"
    expected = ["2025-10-28T19:00:00+01:00", "2025-11-04T19:00:00+01:00"]
    assert _expand(event, 2) == expected
    assert _shown(activity, 2) == expected


def test_dtstart_off_the_rule_is_not_an_extra_occurrence(client: Client, socialmap: SocialMap) -> None:
    # Monday 13 October; the rule says Tuesdays. RFC 5545 would count the Monday, the page does not.
    activity = _activity(socialmap, dtstart=dt.datetime(2025, 10, 13, 19, 0, tzinfo=AMSTERDAM))
    event = _activity_feed(client, activity)
    assert event.decoded("DTSTART").isoformat() == "2025-10-14T19:00:00+02:00"
    assert _expand(event, 2) == _shown(activity, 2) == ["2025-10-14T19:00:00+02:00", "2025-10-21T19:00:00+02:00"]


def test_count_and_a_local_until_become_one_utc_until(client: Client, socialmap: SocialMap) -> None:
    counted = _activity(socialmap, rrule="FREQ=WEEKLY;BYDAY=TU;COUNT=3", exdates=["2025-10-21"])
    local_until = _activity(socialmap, rrule="RRULE:FREQ=WEEKLY;BYDAY=TU;UNTIL=20251028T190000")
    event = _activity_feed(client, counted)
    # Third Tuesday: 28 October 19:00 CET = 18:00 UTC.
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20251028T180000Z;BYDAY=TU"
    assert _expand(event, 10) == _shown(counted, 10) == ["2025-10-14T19:00:00+02:00", "2025-10-28T19:00:00+01:00"]
    event = _activity_feed(client, local_until)
    assert event["RRULE"].to_ical() == b"FREQ=WEEKLY;UNTIL=20251028T180000Z;BYDAY=TU"
    assert (
        _expand(event, 10)
        == _shown(local_until, 10)
        == ["2025-10-14T19:00:00+02:00", "2025-10-21T19:00:00+02:00", "2025-10-28T19:00:00+01:00"]
    )


def test_monthly_first_tuesday_across_dst(client: Client, socialmap: SocialMap) -> None:
    activity = _activity(
        socialmap, dtstart=dt.datetime(2025, 9, 2, 14, 30, tzinfo=AMSTERDAM), rrule="FREQ=MONTHLY;BYDAY=1TU"
    )
    expected = ["2025-10-07T14:30:00+02:00", "2025-11-04T14:30:00+01:00", "2025-12-02T14:30:00+01:00"]
    event = _activity_feed(client, activity)
    assert _expand(event, 3) == _shown(activity, 3) == expected


def test_a_single_activity_has_no_rrule(client: Client, socialmap: SocialMap) -> None:
    activity = _activity(socialmap, rrule="", dtstart=dt.datetime(2025, 11, 1, 11, 0, tzinfo=AMSTERDAM))
    event = _activity_feed(client, activity)
    assert "RRULE" not in event and "EXDATE" not in event
    assert _expand(event, 5) == _shown(activity, 5) == ["2025-11-01T11:00:00+01:00"]


def test_event_content_and_vtimezone(client: Client, socialmap: SocialMap) -> None:
    place = PlaceFactory.create(
        organisation=socialmap.organisation,
        name="Buurthuis De Linde",
        street="Lindelaan",
        house_number="4",
        postcode="1234 AB",
        city="Alfadorp",
        lat=52.01,
        lon=4.02,
    )
    activity = _activity(
        socialmap,
        place=place,
        title="Koffie, thee en een praatje",
        description="Samen koffie drinken; iedereen is welkom.",
        who_welcomes_you="Gastvrouw Anja",
        duration=dt.timedelta(minutes=90),
    )
    calendar = _feed(client, f"/alfadorp/activiteiten/{activity.uid}/agenda.ics")
    assert str(calendar["VERSION"]) == "2.0"
    assert str(calendar["PRODID"]) == "-//Nabij//Sociale kaart//NL"
    timezones = calendar.walk("VTIMEZONE")
    assert [str(tz["TZID"]) for tz in timezones] == ["Europe/Amsterdam"]
    transitions = timezones[0].to_ical().decode().replace("\r\n ", "")
    assert "20251026T030000" in transitions  # the end of summer time 2025 is in it
    event = _events(calendar)[f"{activity.uid}@nabij"]
    assert str(event["SUMMARY"]) == "Koffie, thee en een praatje"
    assert str(event["DESCRIPTION"]) == "Samen koffie drinken; iedereen is welkom.\n\nWie ontvangt je: Gastvrouw Anja"
    assert str(event["LOCATION"]) == "Buurthuis De Linde, Lindelaan 4, 1234 AB, Alfadorp"
    assert str(event["URL"]) == f"http://testserver/alfadorp/activiteiten/{activity.uid}/"
    assert (event["GEO"].latitude, event["GEO"].longitude) == (52.01, 4.02)
    assert event.decoded("DTEND").isoformat() == "2025-10-14T20:30:00+02:00"
    # The raw text: a TZID on DTSTART, CRLF line ends, commas and semicolons escaped.
    raw = client.get(f"/alfadorp/activiteiten/{activity.uid}/agenda.ics").content.decode()
    assert "DTSTART;TZID=Europe/Amsterdam:20251014T190000\r\n" in raw
    assert "SUMMARY:Koffie\\, thee en een praatje\r\n" in raw


def test_organisation_feed_has_only_its_published_activities(
    client: Client, socialmap: SocialMap, personas: Personas
) -> None:
    published = _activity(socialmap, title="Breicafé")
    _activity(socialmap, title="Oud", status=ActivityStatus.ARCHIVED)
    _activity(socialmap, title="Concept", status=ActivityStatus.DRAFT)
    _activity(socialmap, title="Voetbal", organisation=socialmap.other_organisation)
    calendar = _feed(client, f"/alfadorp/organisaties/{socialmap.organisation.uid}/agenda.ics")
    assert set(_events(calendar)) == {f"{published.uid}@nabij"}
    assert str(calendar["X-WR-CALNAME"]) == "Activiteiten van Buurthuis De Linde"


def test_neighbourhood_feed(client: Client, socialmap: SocialMap, personas: Personas) -> None:
    inside = PlaceFactory.create(organisation=socialmap.organisation, neighbourhood=personas.neighbourhood_a)
    outside = PlaceFactory.create(organisation=socialmap.organisation, neighbourhood=None)
    here = _activity(socialmap, place=inside)
    also_here = _activity(socialmap, place=inside, organisation=socialmap.other_organisation)
    _activity(socialmap, place=outside)
    _activity(socialmap, place=inside, status=ActivityStatus.DRAFT)
    calendar = _feed(client, "/alfadorp/buurten/BU00010101/agenda.ics")
    assert set(_events(calendar)) == {f"{here.uid}@nabij", f"{also_here.uid}@nabij"}
    assert str(calendar["X-WR-CALNAME"]) == "Activiteiten in Oude Haven"
    # The code is read in any letter case, as everywhere else.
    assert client.get("/alfadorp/buurten/bu00010101/agenda.ics").status_code == 200


def test_empty_feed_still_parses(client: Client, socialmap: SocialMap) -> None:
    calendar = _feed(client, f"/alfadorp/organisaties/{socialmap.other_organisation.uid}/agenda.ics")
    assert calendar.walk("VEVENT") == []


def test_not_found(client: Client, socialmap: SocialMap, personas: Personas) -> None:
    draft = _activity(socialmap, status=ActivityStatus.DRAFT)
    archived = _activity(socialmap, status=ActivityStatus.ARCHIVED)
    with scope(municipality=personas.municipality_b):
        organisation_b = OrganisationFactory.create(municipality=personas.municipality_b, name="Club Beta")
        activity_b = ActivityFactory.create(organisation=organisation_b)
    # Another municipality's objects, through this municipality's address: they do not exist here.
    assert client.get(f"/alfadorp/activiteiten/{activity_b.uid}/agenda.ics").status_code == 404
    assert client.get(f"/alfadorp/organisaties/{organisation_b.uid}/agenda.ics").status_code == 404
    assert client.get("/alfadorp/buurten/BU00020101/agenda.ics").status_code == 404
    # And this municipality's objects through the other's address.
    assert client.get(f"/betastad/organisaties/{socialmap.organisation.uid}/agenda.ics").status_code == 404
    assert client.get("/betastad/buurten/BU00010101/agenda.ics").status_code == 404
    # Unpublished, unknown.
    assert client.get(f"/alfadorp/activiteiten/{draft.uid}/agenda.ics").status_code == 404
    assert client.get(f"/alfadorp/activiteiten/{archived.uid}/agenda.ics").status_code == 404
    assert client.get("/alfadorp/activiteiten/00000000-0000-0000-0000-000000000000/agenda.ics").status_code == 404
    assert client.get("/alfadorp/buurten/BU99999999/agenda.ics").status_code == 404
    assert client.get(f"/nergensdorp/activiteiten/{activity_b.uid}/agenda.ics").status_code == 404
    # But the other municipality's own address works.
    assert client.get(f"/betastad/activiteiten/{activity_b.uid}/agenda.ics").status_code == 200


@pytest.mark.parametrize(
    "rrule",
    [
        "FREQ=WEEKLY;BYDAY=TU",
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE",
        "FREQ=WEEKLY;BYDAY=MO,TH",
        "FREQ=MONTHLY;BYDAY=2SA",
        "FREQ=MONTHLY;BYDAY=-1FR",
        "FREQ=WEEKLY;COUNT=12;BYDAY=TH",
        "FREQ=DAILY;INTERVAL=10",
        "FREQ=WEEKLY;BYDAY=SU;UNTIL=20260329T235959",
        "FREQ=WEEKLY;BYDAY=TU,SA;BYHOUR=10,19;BYMINUTE=0",
    ],
)
@pytest.mark.parametrize(
    ("active_from", "active_until"),
    [
        (None, None),
        (dt.date(2025, 10, 20), None),
        (None, dt.date(2026, 3, 31)),
        (dt.date(2025, 11, 3), dt.date(2026, 4, 2)),
    ],
)
def test_feed_expansion_equals_the_page_for_many_schedules(
    client: Client, socialmap: SocialMap, rrule: str, active_from: dt.date | None, active_until: dt.date | None
) -> None:
    # Exceptions on meeting days and on other days; both daylight-saving changes fall in the range.
    activity = _activity(
        socialmap,
        dtstart=dt.datetime(2025, 10, 2, 19, 0, tzinfo=AMSTERDAM),
        rrule=rrule,
        exdates=["2025-10-21", "2025-11-13", "2025-12-25", "2025-12-27", "2026-03-28", "2026-03-31"],
        active_from=active_from,
        active_until=active_until,
    )
    event = _activity_feed(client, activity)
    for after in (AFTER, dt.datetime(2026, 3, 20, tzinfo=AMSTERDAM)):
        shown = _shown(activity, 40, after)
        assert _expand(event, 40, after) == shown
    assert len(_shown(activity, 40, AFTER)) >= 5  # the case is not empty
