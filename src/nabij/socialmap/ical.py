"""iCalendar (RFC 5545) feeds of published activities, with RRULE, EXDATE and a VTIMEZONE.

Each activity is one VEVENT whose expansion gives exactly the start times the activity page
shows (`Activity.iter_occurrences`): DTSTART and DTEND in Europe/Amsterdam, the activity's RRULE
with its end (its own UNTIL or COUNT, and `active_until`) written as one UNTIL in UTC, as
RFC 5545 wants next to a DTSTART with a TZID, and an EXDATE for every exception day.

Two things a calendar client reads differently from `iter_occurrences`, and how they are bridged:
- RFC 5545 counts DTSTART as the first occurrence even when the rule does not produce it; and an
  activity may start later than its first time (`active_from`). So DTSTART is the first start
  time the rule gives on or after `active_from`.
- COUNT counts from DTSTART, which may have moved; so a COUNT becomes the UNTIL of its last time.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Iterator

from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vRecur

from nabij.socialmap.models import AMSTERDAM, Activity, ActivityStatus, parse_rrule

PRODID = "-//Nabij//Sociale kaart//NL"
TZID = "Europe/Amsterdam"
UTC = dt.UTC
# How far ahead the VTIMEZONE lists its transitions; clients know Europe/Amsterdam anyway.
TIMEZONE_YEARS_AHEAD = 15
CONTENT_TYPE = "text/calendar; charset=utf-8"


def _uid(activity: Activity) -> str:
    return f"{activity.uid}@nabij"


def _as_local(moment: dt.datetime | dt.date) -> dt.datetime:
    """A rule's UNTIL as an aware local time: a naive one or a date is local wall-clock time."""
    if not isinstance(moment, dt.datetime):
        moment = dt.datetime.combine(moment, dt.time.min)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=AMSTERDAM)
    return moment.astimezone(AMSTERDAM)


def _aware(moment: dt.datetime, aware: bool) -> dt.datetime:
    """A time the rule produced, as iter_occurrences reads it: aware, in Europe/Amsterdam."""
    return moment.astimezone(AMSTERDAM) if aware else moment.replace(tzinfo=AMSTERDAM)


def _end_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=AMSTERDAM)


def _rule_text(activity: Activity) -> str:
    text = activity.rrule.strip()
    return text[6:] if text.upper().startswith("RRULE:") else text


class _Schedule:
    """An activity's schedule as one VEVENT needs it; `first` is None when it never takes place."""

    def __init__(self, activity: Activity) -> None:
        self.activity = activity
        self.start = activity.dtstart.astimezone(AMSTERDAM)
        self.text = _rule_text(activity)
        self.first: dt.datetime | None = None
        self.until: dt.datetime | None = None  # the last moment an occurrence may start
        self.recur: vRecur | None = None
        if self.text:
            self._plan_rule()
        else:
            self._plan_single()

    def _times(self) -> Iterator[dt.datetime]:
        rule, aware = parse_rrule(self.text, self.start)
        for moment in rule:
            yield _aware(moment, aware)

    def _plan_single(self) -> None:
        day = self.start.date()
        activity = self.activity
        if activity.active_from and day < activity.active_from:
            return
        if activity.active_until and day > activity.active_until:
            return
        if day in activity.exception_dates():
            return
        self.first = self.start

    def _plan_rule(self) -> None:
        activity = self.activity
        recur = vRecur.from_ical(self.text)
        ends: list[dt.datetime] = []
        if "UNTIL" in recur:
            ends.append(_as_local(recur.pop("UNTIL")[0]))
        if "COUNT" in recur:
            recur.pop("COUNT")
            # A COUNT is finite: its last time is the end (dateutil applies UNTIL too, if both).
            last = None
            for last in self._times():  # noqa: B007 - the last one is wanted
                pass
            if last is None:
                return
            ends.append(last)
        if activity.active_until:
            ends.append(_end_of_day(activity.active_until))
        self.until = min(ends) if ends else None
        for moment in self._times():
            if self.until is not None and moment > self.until:
                return
            if activity.active_from is None or moment.date() >= activity.active_from:
                self.first = moment
                break
        if self.first is None:
            return
        if self.until is not None:
            recur["UNTIL"] = [self.until.astimezone(UTC)]
        self.recur = recur

    def exception_times(self) -> list[dt.datetime]:
        """Per exception day from `first` to the end: the rule's start times that day, or the
        usual start time when the rule has none then (harmless, and what a reader expects)."""
        if self.first is None or self.recur is None:
            return []
        days = sorted(
            day
            for day in self.activity.exception_dates()
            if day >= self.first.date() and (self.until is None or day <= self.until.date())
        )
        if not days:
            return []
        wanted = set(days)
        found: dict[dt.date, list[dt.datetime]] = {}
        for moment in self._times():
            if moment.date() > days[-1]:
                break
            if moment >= self.first and moment.date() in wanted:
                found.setdefault(moment.date(), []).append(moment)
        times: list[dt.datetime] = []
        for day in days:
            times += found.get(day) or [dt.datetime.combine(day, self.start.timetz()).replace(tzinfo=AMSTERDAM)]
        return times


def _description(activity: Activity) -> str:
    parts = [activity.description.strip()]
    if activity.who_welcomes_you.strip():
        parts.append(_("Wie ontvangt je: %(who)s") % {"who": activity.who_welcomes_you.strip()})
    else:
        parts.append(_("Er is niemand die je ontvangt."))
    return "\n\n".join(part for part in parts if part)


def _location(activity: Activity) -> str:
    place = activity.place
    if place is None:
        return _("Online")
    return ", ".join(part for part in (place.name, place.address) if part)


def activity_event(activity: Activity, *, url: str) -> Event | None:
    """The VEVENT of one activity, or None when it has no occurrence at all."""
    schedule = _Schedule(activity)
    if schedule.first is None:
        return None
    event = Event()
    event.add("uid", _uid(activity))
    stamp = activity.updated_at or timezone.now()
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("last-modified", stamp.astimezone(UTC))
    event.add("dtstart", schedule.first)
    # Wall-clock arithmetic in Europe/Amsterdam, as the activity page shows the end.
    event.add("dtend", schedule.first + activity.duration)
    if schedule.recur is not None:
        event.add("rrule", schedule.recur)
        exceptions = schedule.exception_times()
        if exceptions:
            event.add("exdate", exceptions)
    event.add("summary", activity.title)
    description = _description(activity)
    if description:
        event.add("description", description)
    event.add("location", _location(activity))
    place = activity.place
    if place is not None and place.lat is not None and place.lon is not None:
        event.add("geo", (place.lat, place.lon))
    event.add("url", url)
    event.add("status", "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def _timezone(first_day: dt.date) -> Timezone:
    today = timezone.localdate()
    return Timezone.from_tzinfo(
        AMSTERDAM,
        tzid=TZID,
        first_date=min(first_day, today) - dt.timedelta(days=366),
        last_date=dt.date(today.year + TIMEZONE_YEARS_AHEAD, 1, 1),
    )


def build_calendar(activities: Iterable[Activity], *, name: str, url_for: dict[int, str]) -> Calendar:
    """A VCALENDAR with one VEVENT per published activity that takes place at least once.

    `url_for` maps an activity's pk to the absolute URL of its page.
    """
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("name", name)
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", TZID)
    events: list[Event] = []
    first_day = timezone.localdate()
    for activity in activities:
        if activity.status != ActivityStatus.PUBLISHED:
            continue
        event = activity_event(activity, url=url_for[activity.pk])
        if event is not None:
            events.append(event)
            first_day = min(first_day, event.decoded("dtstart").date())
    # The VTIMEZONE comes before the events that refer to it.
    calendar.add_component(_timezone(first_day))
    for event in events:
        calendar.add_component(event)
    return calendar


def activity_page_path(municipality_slug: str, uid: uuid.UUID) -> str:
    """The path of the public activity page (`socialmap:activity_detail`)."""
    return reverse("socialmap:activity_detail", kwargs={"municipality": municipality_slug, "uid": uid})


def filename(text: str) -> str:
    """A safe, readable file name for the download, e.g. `koffie-in-de-linde.ics`."""
    return f"{slugify(text)[:60] or 'agenda'}.ics"
