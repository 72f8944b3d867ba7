"""An activity's schedule (dtstart, duration, RRULE, exceptions, active period) as an HSDS schedule, and back.

HSDS 3.0 spells out part of an RFC 5545 RRULE in fields (freq WEEKLY or MONTHLY, interval, byday,
bymonthday, byweekno, count, until as a date, wkst), with `dtstart` a date, `opens_at`/`closes_at` times and
`timezone` a UTC offset. Nabij's times are wall-clock times in Europe/Amsterdam. The export writes the
fields; where they cannot hold the rule or the duration exactly, a `nabij-facts` attribute (`rrule`,
`duration`) carries the exact value, and the import prefers it. Exception dates are `exdate` facts.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from nabij.socialmap.hsds.mapping import format_duration
from nabij.socialmap.models import AMSTERDAM, parse_rrule, validate_rrule

# RRULE parts that have an HSDS field, in the order the import writes them.
FIELD_PARTS = (
    ("FREQ", "freq"),
    ("INTERVAL", "interval"),
    ("COUNT", "count"),
    ("UNTIL", "until"),
    ("WKST", "wkst"),
    ("BYDAY", "byday"),
    ("BYMONTHDAY", "bymonthday"),
    ("BYWEEKNO", "byweekno"),
)
HSDS_FREQS = ("WEEKLY", "MONTHLY")
# HSDS has dates for `until`; the import makes it the end of that day (floating local time).
END_OF_DAY = "T235959"
DEFAULT_DURATION = dt.timedelta(hours=2)
DAY_NAMES = {"MO": "maandag", "TU": "dinsdag", "WE": "woensdag", "TH": "donderdag", "FR": "vrijdag"}
DAY_NAMES |= {"SA": "zaterdag", "SU": "zondag"}
ORDINALS = {"1": "eerste", "2": "tweede", "3": "derde", "4": "vierde", "5": "vijfde", "-1": "laatste"}


def rule_parts(text: str) -> dict[str, str]:
    """FREQ=WEEKLY;BYDAY=TU as {'FREQ': 'WEEKLY', 'BYDAY': 'TU'} (keys and values upper case)."""
    text = text.strip()
    if text.upper().startswith("RRULE:"):
        text = text[6:]
    parts: dict[str, str] = {}
    for piece in text.split(";"):
        if "=" in piece:
            key, value = piece.split("=", 1)
            parts[key.strip().upper()] = value.strip().upper().replace(" ", "")
    return parts


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _clock(moment: dt.datetime | dt.time) -> str:
    return f"{moment:%H:%M:%S}" if moment.second else f"{moment:%H:%M}"


def _last_date(until: str, start: dt.datetime) -> dt.date:
    """The last date an occurrence can fall on, for a rule's UNTIL (a date, local or UTC time)."""
    digits = until.rstrip("Z")
    moment = (
        dt.datetime.strptime(digits[:15], "%Y%m%dT%H%M%S") if "T" in digits else dt.datetime.strptime(digits, "%Y%m%d")
    )
    if until.endswith("Z"):
        moment = moment.replace(tzinfo=dt.UTC).astimezone(AMSTERDAM).replace(tzinfo=None)
    time_of_day = dt.timedelta(hours=start.hour, minutes=start.minute, seconds=start.second)
    return (moment - time_of_day).date()


def describe(parts: Mapping[str, str], opens: str, closes: str, days_later: int = 0) -> str:
    """A short Dutch sentence for people who read the schedule, e.g. 'Elke week op dinsdag, 10:00 tot 12:00.'

    Part of the exported data, so Dutch whatever the language of the request: the same data must
    export to the same files.
    """
    if days_later:
        closes = f"{closes} een dag later" if days_later == 1 else f"{closes} {days_later} dagen later"
    times = f"{opens} tot {closes} (Nederlandse tijd)"
    freq = parts.get("FREQ")
    interval_text = parts.get("INTERVAL", "1")
    interval = int(interval_text) if interval_text.isdigit() else 1
    days = []
    for day in filter(None, parts.get("BYDAY", "").split(",")):
        match = re.fullmatch(r"([+-]?\d)?([A-Z]{2})", day)
        if match and match.group(2) in DAY_NAMES:
            ordinal = ORDINALS.get((match.group(1) or "").lstrip("+"), "")
            days.append(f"de {ordinal} {DAY_NAMES[match.group(2)]}" if ordinal else DAY_NAMES[match.group(2)])
    on = " op " + " en ".join(days) if days else ""
    if not freq:
        return f"Eén keer, {times}."
    units = {"WEEKLY": ("Elke week", "weken"), "MONTHLY": ("Elke maand", "maanden"), "DAILY": ("Elke dag", "dagen")}
    units["YEARLY"] = ("Elk jaar", "jaar")
    if freq in units:
        single, plural = units[freq]
        every = single if interval == 1 else f"Om de {interval} {plural}"
    else:
        every = "Herhaalt volgens de regel " + ";".join(f"{k}={v}" for k, v in parts.items())
    return f"{every}{on}, {times}."


@dataclass
class ScheduleExport:
    record: dict[str, Any]
    facts: list[tuple[str, str]]  # (fact code, value), for the schedule's nabij-facts attributes


def export_schedule(
    *,
    schedule_id: str,
    service_id: str,
    dtstart: dt.datetime,
    duration: dt.timedelta,
    rrule: str,
    exdates: Sequence[str],
    active_from: dt.date | None,
    active_until: dt.date | None,
) -> ScheduleExport:
    start = dtstart.astimezone(AMSTERDAM)
    wall = start.replace(tzinfo=None)
    offset = start.utcoffset() or dt.timedelta(0)
    opens, closes = _clock(wall), _clock(wall + duration)
    record: dict[str, Any] = {"id": schedule_id, "service_id": service_id}
    if active_from:
        record["valid_from"] = active_from.isoformat()
    if active_until:
        record["valid_to"] = active_until.isoformat()
    record["dtstart"] = start.date().isoformat()
    record["timezone"] = _number(offset.total_seconds() / 3600)
    facts: list[tuple[str, str]] = []
    original = rule_parts(rrule) if rrule.strip() else {}
    for key, name in FIELD_PARTS:
        value = original.get(key)
        if value is None or (key == "FREQ" and value not in HSDS_FREQS):
            continue
        if key in ("INTERVAL", "COUNT"):
            if value.isdigit():
                record[name] = int(value)
        elif key == "UNTIL":
            try:
                record[name] = _last_date(value, start).isoformat()
            except ValueError:
                continue
        else:
            record[name] = value
    if original and rule_parts(rrule_from_fields(record)[0]) != original:
        facts.append(("rrule", rrule.strip()))
    record["opens_at"], record["closes_at"] = opens, closes
    if _span(_parse_clock(opens)[0], _parse_clock(closes)[0]) != duration:
        facts.append(("duration", format_duration(int(duration.total_seconds()))))
    record["description"] = describe(original, opens, closes, ((wall + duration).date() - wall.date()).days)
    days = sorted({str(day) for day in exdates})
    if days:
        record["notes"] = _("Gaat niet door op: %(days)s.") % {"days": ", ".join(days)}
        facts += [("exdate", day) for day in days]
    return ScheduleExport(record, facts)


def rrule_from_fields(record: Mapping[str, Any]) -> tuple[str, list[str]]:
    """The RRULE the HSDS fields describe, by HSDS's own rules, and notes on what was left out."""
    notes: list[str] = []
    freq = str(record.get("freq") or "").upper()
    if not freq:
        if any(record.get(name) not in (None, "") for _key, name in FIELD_PARTS[1:]):
            notes.append(_("Herhaling zonder freq genegeerd: het is één keer."))
        return "", notes
    parts = [f"FREQ={freq}"]
    if record.get("interval") not in (None, ""):
        parts.append(f"INTERVAL={int(record['interval'])}")
    if record.get("count") not in (None, "") and record.get("until") in (None, ""):
        parts.append(f"COUNT={int(record['count'])}")
    elif record.get("count") not in (None, ""):
        notes.append(_("count en until samen mag niet in RFC 5545: alleen until is gebruikt."))
    if record.get("until") not in (None, ""):
        parts.append(f"UNTIL={_date(record['until']):%Y%m%d}{END_OF_DAY}")
    for key, name in FIELD_PARTS[4:]:
        value = str(record.get(name) or "").upper().replace(" ", "")
        if not value:
            continue
        if key == "BYMONTHDAY" and freq != "MONTHLY":
            notes.append(_("bymonthday hoort bij freq MONTHLY en is weggelaten."))
            continue
        parts.append(f"{key}={value}")
    if record.get("byyearday") not in (None, ""):
        notes.append(_("byyearday hoort bij een jaarlijkse herhaling, die HSDS niet kent, en is weggelaten."))
    return ";".join(parts), notes


def _date(value: Any) -> dt.date:
    text = str(value).strip()
    if not re.match(r"^\d{4}-\d{2}-\d{2}", text):
        raise ValueError(text)
    return dt.date.fromisoformat(text[:10])


CLOCK = re.compile(r"^(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?(?P<tz>Z|[+-]\d{2}(?::?\d{2})?)?$")


def _parse_clock(text: str) -> tuple[dt.time, dt.timedelta | None]:
    """'10:00', '10:00:00', '10:00Z', '09:00-05:00' as (time, offset or None)."""
    match = CLOCK.match(text.strip().upper())
    if not match:
        raise ValueError(text)
    moment = dt.time(int(match.group("h")), int(match.group("m")), int(match.group("s") or 0))
    zone = match.group("tz")
    if zone is None:
        return moment, None
    if zone == "Z":
        return moment, dt.timedelta(0)
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    return moment, sign * dt.timedelta(hours=int(digits[:2]), minutes=int(digits[2:4] or 0))


def _span(opens: dt.time, closes: dt.time) -> dt.timedelta:
    day = dt.date(2000, 1, 1)
    span = dt.datetime.combine(day, closes) - dt.datetime.combine(day, opens)
    return span if span > dt.timedelta(0) else span + dt.timedelta(days=1)


@dataclass
class ScheduleImport:
    fields: dict[str, Any] | None  # dtstart, duration, rrule, exdates, active_from, active_until
    skip_reason: str = ""
    notes: list[str] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # (field, Dutch message)


def import_schedule(record: Mapping[str, Any], facts: Mapping[str, list[Any]]) -> ScheduleImport:
    """An activity's schedule from an HSDS schedule and its decoded facts (rrule text, duration in
    seconds, exdate strings).

    Without a first date (`dtstart`, else `valid_from`) or a start time (`opens_at`) there is no
    activity to plan: the caller skips the service and says so.
    """
    result = ScheduleImport(fields=None)
    anchor_text = record.get("dtstart") or record.get("valid_from")
    if not anchor_text:
        result.skip_reason = _("het rooster heeft geen startdatum (dtstart of valid_from)")
        return result
    try:
        anchor = _date(anchor_text)
    except ValueError:
        field_name = "dtstart" if record.get("dtstart") else "valid_from"
        result.problems.append(
            (field_name, _("Geef een datum als JJJJ-MM-DD, niet %(value)r.") % {"value": anchor_text})
        )
        return result
    if not record.get("opens_at"):
        result.skip_reason = _("het rooster heeft geen begintijd (opens_at)")
        return result
    try:
        opens, opens_offset = _parse_clock(str(record["opens_at"]))
    except ValueError:
        result.problems.append(
            ("opens_at", _("Geef een tijd als UU:MM, niet %(value)r.") % {"value": record["opens_at"]})
        )
        return result
    zone_hours = record.get("timezone")
    default_offset = dt.timedelta(hours=float(zone_hours)) if isinstance(zone_hours, int | float) else None
    if opens_offset is None and default_offset is None:
        result.notes.append(_("Geen tijdzone: de tijden zijn als UTC gelezen, zoals HSDS voorschrijft."))
    offset = opens_offset if opens_offset is not None else (default_offset or dt.timedelta(0))
    start = dt.datetime.combine(anchor, opens, tzinfo=dt.timezone(offset)).astimezone(AMSTERDAM)
    duration = DEFAULT_DURATION
    if facts.get("duration"):
        duration = dt.timedelta(seconds=int(facts["duration"][0]))
    elif record.get("closes_at"):
        try:
            closes, closes_offset = _parse_clock(str(record["closes_at"]))
        except ValueError:
            result.problems.append(
                ("closes_at", _("Geef een tijd als UU:MM, niet %(value)r.") % {"value": record["closes_at"]})
            )
            closes, closes_offset = opens, None
        # Both on the first date, each in its own offset; an end before the start is the next day.
        end = dt.datetime.combine(
            anchor, closes, tzinfo=dt.timezone(closes_offset if closes_offset is not None else offset)
        )
        begin = dt.datetime.combine(anchor, opens, tzinfo=dt.timezone(offset))
        duration = end - begin
        while duration <= dt.timedelta(0):
            duration += dt.timedelta(days=1)
    else:
        result.notes.append(_("Geen eindtijd (closes_at): de duur is 2 uur."))
    if facts.get("rrule"):
        rule = facts["rrule"][0].strip()
        try:
            validate_rrule(rule)
        except ValidationError as error:
            result.problems.append(("rrule", " ".join(error.messages)))
            return result
    else:
        try:
            rule, notes = rrule_from_fields(record)
        except (TypeError, ValueError):
            result.skip_reason = _("de herhaling in het rooster is ongeldig")
            return result
        result.notes += notes
        try:
            validate_rrule(rule)
            if rule:
                parse_rrule(rule, start)
        except (ValidationError, ValueError, TypeError):
            result.skip_reason = _("de herhaling %(rule)s is geen geldige RRULE") % {"rule": rule}
            return result
    active: dict[str, dt.date | None] = {"valid_from": None, "valid_to": None}
    for name in active:
        if record.get(name):
            try:
                active[name] = _date(record[name])
            except ValueError:
                result.notes.append(
                    _("%(field)s %(value)r is geen datum en is genegeerd.") % {"field": name, "value": record[name]}
                )
    if active["valid_from"] and active["valid_to"] and active["valid_from"] > active["valid_to"]:
        result.problems.append(("valid_to", _("valid_to ligt voor valid_from.")))
        return result
    result.fields = {
        "dtstart": start,
        "duration": duration,
        "rrule": rule,
        "exdates": sorted(set(facts.get("exdate", []))),
        "active_from": active["valid_from"],
        "active_until": active["valid_to"],
    }
    return result
