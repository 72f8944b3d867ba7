"""Schedules for demo activities: weekly, fortnightly, monthly and one-off, as RFC 5545 RRULEs.

Everything is relative to `today`, so the demo always has upcoming dates, activities that ended
recently and some that start soon. A recurring activity's first time (DTSTART) is its first
occurrence, as RFC 5545 wants.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from dateutil.rrule import rrulestr

from nabij.socialmap.models import AMSTERDAM

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
DAY_NAMES = ("maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "zaterdag", "zondag")
# Few activities on Sunday; evenings are for weekdays.
DAY_WEIGHTS = (14, 17, 17, 17, 13, 9, 3)
EVENING_DAY_WEIGHTS = (17, 18, 18, 18, 9, 3, 1)


@dataclass(frozen=True)
class Chances:
    one_off: float
    monthly: float
    fortnightly: float = 0.13
    two_days: float = 0.05  # of the weekly ones: twice a week
    starts_later: float = 0.06
    ended: float = 0.08
    christmas_break: float = 0.35
    summer_break: float = 0.1
    course_count: float = 0.5  # of the series: a fixed number of meetings (COUNT)


@dataclass
class Schedule:
    dtstart: dt.datetime
    duration: dt.timedelta
    rrule: str = ""
    exdates: list[str] = field(default_factory=list)
    active_from: dt.date | None = None
    active_until: dt.date | None = None

    @property
    def day_name(self) -> str:
        return DAY_NAMES[self.dtstart.weekday()]


def _on_or_after(day: dt.date, weekday: int) -> dt.date:
    return day + dt.timedelta(days=(weekday - day.weekday()) % 7)


def _nth_weekday(year: int, month: int, weekday: int, nth: int) -> dt.date:
    """The nth (1..4, or -1 for the last) `weekday` of the month."""
    if nth > 0:
        return _on_or_after(dt.date(year, month, 1), weekday) + dt.timedelta(weeks=nth - 1)
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    last = following - dt.timedelta(days=1)
    return last - dt.timedelta(days=(last.weekday() - weekday) % 7)


def _monthly_start(after: dt.date, weekday: int, nth: int) -> dt.date:
    year, month = after.year, after.month
    while True:
        day = _nth_weekday(year, month, weekday, nth)
        if day >= after:
            return day
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)


def _breaks(rng: random.Random, chances: Chances, today: dt.date) -> list[tuple[dt.date, dt.date]]:
    """Periods without meetings: the Christmas holidays (this season's and last), sometimes summer."""
    periods = []
    if rng.random() < chances.christmas_break:
        periods += [(dt.date(year, 12, 24), dt.date(year + 1, 1, 1)) for year in (today.year - 1, today.year)]
    if rng.random() < chances.summer_break:
        summer = today.year if today < dt.date(today.year, 8, 16) else today.year + 1
        periods.append((dt.date(summer, 7, 20), dt.date(summer, 8, 16)))
    return periods


def _exdates(schedule: Schedule, periods: list[tuple[dt.date, dt.date]]) -> list[str]:
    """The occurrences that fall in `periods`: the dates an organiser would cross out."""
    if not periods or not schedule.rrule:
        return []
    first = schedule.dtstart.replace(tzinfo=None)
    days: list[str] = []
    for begin, end in periods:
        if schedule.active_until and begin > schedule.active_until:
            continue
        start = first
        if "COUNT=" not in schedule.rrule and begin > first.date() + dt.timedelta(days=62):
            # Start the rule close to the period, on its own grid (whole fortnights, or a month's
            # first day for a monthly rule), instead of walking two years of dates.
            if schedule.rrule.startswith("FREQ=MONTHLY"):
                start = first.replace(year=begin.year, month=begin.month, day=1)
            else:
                fortnights = (begin - first.date()).days // 14 - 1
                start = first + dt.timedelta(weeks=2 * fortnights)
        rule = rrulestr(schedule.rrule, dtstart=start)
        window = rule.between(dt.datetime.combine(begin, dt.time()), dt.datetime.combine(end, dt.time(23, 59)))
        days += [moment.date().isoformat() for moment in window if moment >= first]
    return sorted(set(days))


def draw_schedule(
    rng: random.Random,
    *,
    chances: Chances,
    times: tuple[str, ...],
    minutes: tuple[int, ...],
    series: bool,
    today: dt.date,
) -> Schedule:
    """A schedule as organisers make them; `series` is a course with an end (commitment: series)."""
    hour, minute = (int(part) for part in rng.choice(times).split(":"))
    evening = hour >= 18
    weekday = rng.choices(range(7), weights=EVENING_DAY_WEIGHTS if evening else DAY_WEIGHTS)[0]
    duration = dt.timedelta(minutes=rng.choice(minutes))

    def at(day: dt.date) -> dt.datetime:
        return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=AMSTERDAM)

    pattern = rng.random()
    if pattern < chances.one_off:
        day = today + dt.timedelta(days=rng.randint(-45, 75))
        # Once: it is on the map until the day itself.
        return Schedule(at(day), duration, active_until=day)

    timing = rng.random()
    if series:
        start = today + dt.timedelta(days=rng.randint(-150, 40))
    elif timing < chances.starts_later:
        start = today + dt.timedelta(days=rng.randint(7, 70))
    else:
        start = today - dt.timedelta(days=rng.randint(14, 730))
    code = WEEKDAYS[weekday]
    weekly = False
    if pattern < chances.one_off + chances.monthly and not series:
        nth = rng.choice((1, 1, 2, 3, 4, -1))
        first = _monthly_start(start, weekday, nth)
        rule = f"FREQ=MONTHLY;BYDAY={nth}{code}"
    elif pattern < chances.one_off + chances.monthly + chances.fortnightly:
        first = _on_or_after(start, weekday)
        rule = f"FREQ=WEEKLY;INTERVAL=2;BYDAY={code}"
    else:
        weekly = True
        first = _on_or_after(start, weekday)
        rule = f"FREQ=WEEKLY;BYDAY={code}"
        if not series and weekday <= 2 and rng.random() < chances.two_days:
            rule = f"FREQ=WEEKLY;BYDAY={code},{WEEKDAYS[weekday + 2]}"
    schedule = Schedule(at(first), duration, rule)

    if series:
        meetings = rng.randint(6, 12)
        step = dt.timedelta(weeks=1 if weekly else 2)
        schedule.active_from = first
        schedule.active_until = first + step * (meetings - 1)
        if weekly and rng.random() < chances.course_count:
            schedule.rrule = f"FREQ=WEEKLY;COUNT={meetings};BYDAY={code}"
    elif first > today:
        schedule.active_from = first
    else:
        schedule.active_from = first if rng.random() < 0.85 else None
        if timing > 1 - chances.ended and (today - first).days > 60:
            # Stopped: the last time was some weeks ago.
            schedule.active_until = today - dt.timedelta(days=rng.randint(1, min(180, (today - first).days - 30)))
    schedule.exdates = _exdates(schedule, _breaks(rng, chances, today))
    return schedule
