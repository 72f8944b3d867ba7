"""schema.org Event JSON-LD for an activity page, so search engines and agenda sites can read it."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from dateutil.rrule import DAILY, MONTHLY, WEEKLY, YEARLY
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from nabij.socialmap.models import AMSTERDAM, Activity, parse_rrule

SCHEMA = "https://schema.org/"
DAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
FREQUENCY = {DAILY: "P1D", WEEKLY: "P1W", MONTHLY: "P1M", YEARLY: "P1Y"}
# What may not appear raw inside <script>: the same escapes as Django's json_script.
_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def _schedule(activity: Activity, start: dt.datetime) -> dict[str, Any] | None:
    if not activity.rrule.strip():
        return None
    rule, _aware = parse_rrule(activity.rrule, start)
    frequency = rule._freq  # dateutil keeps the parsed parts on the rule
    if frequency not in FREQUENCY:
        return None
    interval = rule._interval
    end = start + activity.duration
    schedule: dict[str, Any] = {
        "@type": "Schedule",
        "repeatFrequency": FREQUENCY[frequency].replace("1", str(interval)),
        "startTime": start.strftime("%H:%M"),
        "endTime": end.strftime("%H:%M"),
        "scheduleTimezone": "Europe/Amsterdam",
        "startDate": (activity.active_from or start.date()).isoformat(),
    }
    if rule._byweekday:
        schedule["byDay"] = [f"{SCHEMA}{DAY_NAMES[day]}" for day in sorted(rule._byweekday)]
    if rule._bynweekday:
        schedule["byDay"] = [f"{SCHEMA}{DAY_NAMES[day]}" for day, _n in rule._bynweekday]
    until = activity.active_until or (rule._until.date() if rule._until else None)
    if until:
        schedule["endDate"] = until.isoformat()
    if activity.exdates:
        schedule["exceptDate"] = sorted(str(day) for day in activity.exdates)
    return schedule


def event(activity: Activity, *, url: str) -> dict[str, Any]:
    upcoming = activity.next_occurrences(1)
    start = upcoming[0] if upcoming else activity.dtstart.astimezone(AMSTERDAM)
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "@id": url,
        "url": url,
        "name": activity.title,
        "description": activity.description,
        "inLanguage": "nl",
        "startDate": start.isoformat(),
        "endDate": (start + activity.duration).isoformat(),
        "eventStatus": f"{SCHEMA}EventScheduled",
        "isAccessibleForFree": activity.cost_cents == 0 or activity.has_free_option,
        "organizer": {"@type": "Organization", "name": activity.organisation.name},
    }
    if activity.organisation.website:
        data["organizer"]["url"] = activity.organisation.website
    place = activity.place
    if place is None:
        data["eventAttendanceMode"] = f"{SCHEMA}OnlineEventAttendanceMode"
        data["location"] = {"@type": "VirtualLocation", "url": url}
    else:
        data["eventAttendanceMode"] = f"{SCHEMA}OfflineEventAttendanceMode"
        location: dict[str, Any] = {
            "@type": "Place",
            "name": place.name,
            "address": {
                "@type": "PostalAddress",
                "streetAddress": f"{place.street} {place.house_number}".strip(),
                "postalCode": place.postcode,
                "addressLocality": place.city,
                "addressCountry": "NL",
            },
        }
        if place.lat is not None and place.lon is not None:
            location["geo"] = {"@type": "GeoCoordinates", "latitude": place.lat, "longitude": place.lon}
        data["location"] = location
    if activity.cost_cents:
        data["offers"] = {
            "@type": "Offer",
            "price": f"{activity.cost_cents / 100:.2f}",
            "priceCurrency": "EUR",
            "url": url,
        }
    if activity.capacity:
        data["maximumAttendeeCapacity"] = activity.capacity
    schedule = _schedule(activity, activity.dtstart.astimezone(AMSTERDAM))
    if schedule:
        data["eventSchedule"] = schedule
    return data


def event_jsonld(activity: Activity, *, url: str) -> SafeString:
    """The Event as the body of a <script type="application/ld+json">, safe inside HTML."""
    text = json.dumps(event(activity, url=url), cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return mark_safe(text.translate(_SCRIPT_ESCAPES))  # noqa: S308 - escaped above, like json_script
