"""Places and activities: postcode, RRULE and the occurrences in Europe/Amsterdam."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from nabij.socialmap.models import AMSTERDAM, Activity, Place, normalise_postcode, validate_postcode, validate_rrule
from nabij.testing.factories import ActivityFactory, NeighbourhoodFactory, PlaceFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("postcode", ["1234 AB", "9999 ZZ", "1000 AA"])
def test_good_postcodes(postcode: str) -> None:
    validate_postcode(postcode)


@pytest.mark.parametrize("postcode", ["0123 AB", "1234", "1234 A", "12345 AB", "1234 SS", "ABCD 12", "1234 ab"])
def test_bad_postcodes_get_a_dutch_message(postcode: str) -> None:
    with pytest.raises(ValidationError, match="Nederlandse postcode"):
        validate_postcode(postcode)


def test_a_postcode_is_normalised() -> None:
    assert normalise_postcode("1234ab") == "1234 AB"
    assert normalise_postcode(" 1234  ab ") == "1234 AB"
    assert normalise_postcode("nonsense") == "nonsense"


def test_place_is_saved_with_a_normalised_postcode(personas: Personas, scope_a: None) -> None:
    place = PlaceFactory.create(organisation__municipality=personas.municipality_a, postcode="3011ab")
    assert Place.objects.get(pk=place.pk).postcode == "3011 AB"


def test_place_in_a_neighbourhood_of_another_municipality_is_refused(socialmap: SocialMap, personas: Personas) -> None:
    place = PlaceFactory.build(
        organisation=socialmap.organisation,
        municipality=personas.municipality_a,
        neighbourhood=personas.neighbourhood_b,
    )
    with pytest.raises(ValidationError) as caught:
        place.full_clean()
    assert "neighbourhood" in caught.value.message_dict


def test_place_needs_both_coordinates_or_none(socialmap: SocialMap) -> None:
    place = PlaceFactory.build(organisation=socialmap.organisation, lat=52.0, lon=None)
    with pytest.raises(ValidationError, match="allebei"):
        place.full_clean()


@pytest.mark.parametrize(
    "rule",
    [
        "FREQ=WEEKLY;BYDAY=TU",
        "RRULE:FREQ=MONTHLY;BYDAY=1MO",
        "FREQ=DAILY;COUNT=3",
        "FREQ=WEEKLY;UNTIL=20251231T230000Z",
    ],
)
def test_good_rrules(rule: str) -> None:
    validate_rrule(rule)


@pytest.mark.parametrize(
    "rule", ["FREQ=SOMETIMES", "FREQ=WEEKLY;BYDAY=XX", "elke dinsdag", "FREQ=DAILY;COUNT=drie", "FOO=BAR"]
)
def test_bad_rrules_get_a_clear_dutch_message(rule: str) -> None:
    with pytest.raises(ValidationError) as caught:
        validate_rrule(rule)
    assert "geen geldige RRULE" in caught.value.messages[0]
    assert "FREQ=WEEKLY;BYDAY=TU" in caught.value.messages[0]


def test_a_rule_with_its_own_dtstart_is_refused() -> None:
    with pytest.raises(ValidationError, match="zonder DTSTART"):
        validate_rrule("DTSTART:20250101T100000\nRRULE:FREQ=WEEKLY")


def test_activity_full_clean_reports_a_bad_rrule(socialmap: SocialMap) -> None:
    activity = ActivityFactory.build(
        organisation=socialmap.organisation,
        municipality=socialmap.organisation.municipality,
        place=None,
        participation_type=ActivityFactory.build().participation_type,
        rrule="FREQ=SOMETIMES",
    )
    with pytest.raises(ValidationError) as caught:
        activity.clean_fields(exclude=["participation_type"])
    assert "rrule" in caught.value.message_dict


def _weekly_saturday(**extra: object) -> Activity:
    return ActivityFactory.build(
        dtstart=dt.datetime(2025, 3, 15, 19, 0, tzinfo=AMSTERDAM), rrule="FREQ=WEEKLY;BYDAY=SA", **extra
    )


def test_occurrences_keep_the_local_time_across_the_spring_dst_change() -> None:
    # Summer time starts on Sunday 30 March 2025: 19:00 stays 19:00, the UTC offset moves.
    after = dt.datetime(2025, 3, 20, tzinfo=AMSTERDAM)
    times = _weekly_saturday().next_occurrences(3, after=after)
    assert [t.isoformat() for t in times] == [
        "2025-03-22T19:00:00+01:00",
        "2025-03-29T19:00:00+01:00",
        "2025-04-05T19:00:00+02:00",
    ]
    assert all(t.tzinfo == AMSTERDAM for t in times)
    assert [t.astimezone(dt.UTC).hour for t in times] == [18, 18, 17]


def test_occurrences_across_the_autumn_dst_change() -> None:
    activity = ActivityFactory.build(
        dtstart=dt.datetime(2025, 10, 20, 9, 30, tzinfo=AMSTERDAM), rrule="FREQ=DAILY;INTERVAL=3"
    )
    times = activity.next_occurrences(4, after=dt.datetime(2025, 10, 20, tzinfo=AMSTERDAM))
    assert [t.strftime("%d %H:%M %z") for t in times] == [
        "20 09:30 +0200",
        "23 09:30 +0200",
        "26 09:30 +0100",
        "29 09:30 +0100",
    ]


def test_occurrences_skip_exception_dates_and_stop_at_active_until() -> None:
    activity = _weekly_saturday(exdates=["2025-03-29"], active_until=dt.date(2025, 4, 12))
    times = activity.next_occurrences(10, after=dt.datetime(2025, 3, 20, tzinfo=AMSTERDAM))
    assert [t.date().isoformat() for t in times] == ["2025-03-22", "2025-04-05", "2025-04-12"]


def test_occurrences_start_at_active_from_and_honour_a_local_until() -> None:
    activity = _weekly_saturday(active_from=dt.date(2025, 4, 1))
    activity.rrule = "FREQ=WEEKLY;BYDAY=SA;UNTIL=20250412T235959"  # local time
    times = activity.next_occurrences(10, after=dt.datetime(2025, 1, 1, tzinfo=AMSTERDAM))
    assert [t.isoformat() for t in times] == ["2025-04-05T19:00:00+02:00", "2025-04-12T19:00:00+02:00"]


def test_a_one_off_activity_has_one_occurrence_and_then_none() -> None:
    activity = ActivityFactory.build(rrule="", dtstart=dt.datetime(2025, 6, 1, 14, 0, tzinfo=AMSTERDAM))
    assert activity.next_occurrences(3, after=dt.datetime(2025, 5, 1, tzinfo=AMSTERDAM)) == [
        dt.datetime(2025, 6, 1, 14, 0, tzinfo=AMSTERDAM)
    ]
    assert activity.next_occurrences(3, after=dt.datetime(2025, 7, 1, tzinfo=AMSTERDAM)) == []


def test_an_utc_start_is_shown_in_amsterdam() -> None:
    activity = ActivityFactory.build(rrule="FREQ=DAILY", dtstart=dt.datetime(2025, 7, 1, 8, 0, tzinfo=dt.UTC))
    first = activity.next_occurrences(1, after=dt.datetime(2025, 1, 1, tzinfo=AMSTERDAM))[0]
    assert first.isoformat() == "2025-07-01T10:00:00+02:00"


def test_activity_validation_of_period_and_exception_dates(socialmap: SocialMap, personas: Personas) -> None:
    neighbourhood = NeighbourhoodFactory.create(district=personas.district_a)
    place = PlaceFactory.create(organisation=socialmap.organisation, neighbourhood=neighbourhood)
    activity = ActivityFactory.build(
        organisation=socialmap.organisation,
        municipality=personas.municipality_a,
        place=place,
        participation_type=ActivityFactory.build().participation_type,
        active_from=dt.date(2025, 5, 1),
        active_until=dt.date(2025, 4, 1),
        exdates=["niet-een-datum"],
    )
    with pytest.raises(ValidationError) as caught:
        activity.clean()
    assert {"active_until", "exdates"} <= set(caught.value.message_dict)
