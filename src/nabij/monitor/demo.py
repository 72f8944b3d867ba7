"""Demo step of the monitor: two years of attendance at the demo activities.

**What is generated.** For every published or archived activity, a session on each date its schedule
met in the last two years (`Activity.iter_occurrences`, so breaks and end dates hold). Most organisers
record every session; some miss a few (RECORDING). Each session has a head count around the
activity's expected group size (a quieter summer and Christmas, a slow start for a new activity, noise
per session); part of it is named: participants with a current monitoring consent, by profile, only
from the day they gave that consent. The rest is the anonymous count.

**Retention.** Named participants follow a story rather than a coin toss per session: each starts at
some moment (already coming two years ago, or new since), goes to 1-3 activities at the same time
(SLOTS), mostly in their own neighbourhood (LOCAL_SHARE), comes to most sessions of an activity
(a personal chance of 55-95%), and stays a few weeks (a try-out), months, or the whole period (STAYS).
After stopping, some start at another activity (NEXT_ACTIVITY): new links between activities; the
rest leave (outflow).

**Volumes**, counted as attendance records = named rows + anonymous heads (= the sum of every
session's total), for seed 1 generated in the week of 7 December 2026: 4.98 million at
`--scale city` (225,800 sessions of 6,381 activities; 185,423 named rows of 9,133 participants, the
rest anonymous heads) and 66,450 at `--scale small` (2,945 sessions; 1,112 named rows of 67
participants). Other weeks differ a little: everything is relative to the week of generating.
Named rows are few because most participants gave their monitoring consent in the last year
(people.demo) and only then count by key. `nabij generate_demo` prints the counts;
tests/monitor/test_attendance_demo.py checks the small ones.

**Speed.** Rows go in with raw `executemany` in batches of 50,000 (people.demo.insert_rows), the
sessions with their ids given, so the named rows can point at them without reading them back.
About 20-25 s of CPU at city scale, half of it in the database; a quarter of a second at small scale.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.core.management.color import no_style
from django.db import connections, router

from nabij.accounts.models import Role, RoleAssignment
from nabij.demo.registry import DemoContext, step
from nabij.monitor.models import Attendance, AttendanceSession
from nabij.people.demo import insert_rows, monday_morning, pick
from nabij.people.models import Consent, ConsentPurpose
from nabij.socialmap.models import AMSTERDAM, Activity, ActivityStatus

WINDOW_DAYS = 730
# Expected group size x this factor is the mean head count; it sets the volume (see the docstring).
HEADS_FACTOR = 1.30
DEFAULT_GROUP = 12  # for an activity that gives no expected group size
# Share of organisers who record every session; the others record each with a chance of 60-95%.
RECORDING = 0.7
SLOTS = ((1, 55), (2, 30), (3, 15))  # activities a participant goes to at the same time
# How long someone keeps coming: a try-out (days), months (mean days), or until today.
STAYS = (("try", 25), ("months", 55), ("stays", 20))
TRY_DAYS = (7, 42)
MONTHS_MEAN_DAYS = 200
NEXT_ACTIVITY = 0.45  # after stopping: starts at another activity
LOCAL_SHARE = 0.8
ALREADY_COMING = 0.6  # of those who consented before the period: coming when it starts
BATCH = 50_000


@dataclass
class Sessions:
    """One activity's recorded sessions, and who came by name to each."""

    activity: int
    organisation: int
    area: int | None
    group: int
    capacity: int | None
    dates: list[dt.date]
    named: list[set[int]] = field(default_factory=list)

    def runs_at(self, day: dt.date) -> bool:
        return bool(self.dates) and self.dates[0] <= day + dt.timedelta(days=30) and self.dates[-1] > day


def _season(day: dt.date) -> float:
    if day.month in (7, 8):
        return 0.75
    if (day.month == 12 and day.day >= 20) or (day.month == 1 and day.day <= 6):
        return 0.8
    return 1.0


def _dates(activity: Activity, start: dt.date, today: dt.date, rng: random.Random) -> list[dt.date]:
    """The dates the activity met from `start` up to yesterday, minus those the organiser did not record."""
    end = today
    if activity.status == ActivityStatus.ARCHIVED:
        end = today - dt.timedelta(days=rng.randint(14, 400))  # it stopped, then was archived
    chance = 1.0 if rng.random() < RECORDING else rng.uniform(0.6, 0.95)
    after = dt.datetime.combine(start, dt.time(), tzinfo=AMSTERDAM)
    dates: list[dt.date] = []
    for moment in activity.iter_occurrences(after=after):
        day = moment.date()
        if day >= end:
            break
        if (not dates or day != dates[-1]) and (chance == 1.0 or rng.random() < chance):
            dates.append(day)
    return dates


class Generator:
    def __init__(self, ctx: DemoContext, today: dt.date) -> None:
        self.ctx, self.rng, self.today = ctx, ctx.rng, today
        self.start = today - dt.timedelta(days=WINDOW_DAYS)
        self.all: list[Sessions] = []
        self.by_area: dict[int | None, list[Sessions]] = defaultdict(list)

    def schedules(self) -> None:
        activities = (
            Activity.objects.filter(status__in=(ActivityStatus.PUBLISHED, ActivityStatus.ARCHIVED))
            .select_related("place")
            .order_by("pk")
        )
        for activity in activities:
            dates = _dates(activity, self.start, self.today, self.rng)
            if not dates:
                continue
            sessions = Sessions(
                activity=activity.pk,
                organisation=activity.organisation_id,
                area=activity.place.neighbourhood_id if activity.place else None,
                group=activity.expected_group_size or DEFAULT_GROUP,
                capacity=activity.capacity,
                dates=dates,
                named=[set() for _day in dates],
            )
            self.all.append(sessions)
            self.by_area[sessions.area].append(sessions)

    def choose(self, area: int | None, day: dt.date) -> Sessions | None:
        """An activity that runs around `day`: usually in the participant's own neighbourhood."""
        if area is not None and self.rng.random() < LOCAL_SHARE:
            local = [sessions for sessions in self.by_area.get(area, ()) if sessions.runs_at(day)]
            if local:
                return self.rng.choice(local)
        for _attempt in range(8):
            candidate = self.rng.choice(self.all)
            if candidate.runs_at(day):
                return candidate
        return None

    def stay_days(self) -> float:
        kind = pick(self.rng, STAYS)
        if kind == "try":
            return self.rng.randint(*TRY_DAYS)
        if kind == "months":
            return self.rng.expovariate(1 / MONTHS_MEAN_DAYS) + 30
        return WINDOW_DAYS * 2

    def participant(self, profile: int, area: int | None, consented: dt.date) -> None:
        rng = self.rng
        if consented < self.start:
            if rng.random() < ALREADY_COMING:
                begin = self.start + dt.timedelta(days=rng.randint(0, 30))
            else:
                begin = self.start + dt.timedelta(days=rng.randint(0, WINDOW_DAYS))
        else:
            begin = consented + dt.timedelta(days=rng.randint(0, 60))
        for slot in range(pick(rng, SLOTS)):
            day = begin + dt.timedelta(days=slot * rng.randint(0, 90))
            while day < self.today:
                sessions = self.choose(area, day)
                if sessions is None:
                    break
                end = min(day + dt.timedelta(days=self.stay_days()), self.today)
                self.attend(sessions, profile, max(day, consented), end, rng.uniform(0.55, 0.95))
                if rng.random() >= NEXT_ACTIVITY:
                    break
                day = end + dt.timedelta(days=rng.randint(7, 120))

    def attend(self, sessions: Sessions, profile: int, first: dt.date, end: dt.date, chance: float) -> None:
        random_ = self.rng.random
        for index in range(bisect.bisect_left(sessions.dates, first), bisect.bisect_left(sessions.dates, end)):
            if random_() < chance:
                sessions.named[index].add(profile)


def _heads(sessions: Sessions, index: int, rng: random.Random) -> int:
    """Everyone at one session: around the expected group size, never fewer than those named."""
    weeks = (sessions.dates[index] - sessions.dates[0]).days / 7
    ramp = min(1.0, 0.6 + 0.05 * weeks)  # a new activity takes two months to fill
    heads = sessions.group * HEADS_FACTOR * _season(sessions.dates[index]) * ramp * rng.lognormvariate(0, 0.3)
    if sessions.capacity:
        heads = min(heads, sessions.capacity)
    return max(1, len(sessions.named[index]), round(heads))


class Writer:
    """Sessions (with their ids) and named rows, inserted in batches."""

    def __init__(self, ctx: DemoContext, recorders: dict[int, int]) -> None:
        self.municipality = ctx.municipality.pk
        self.rng, self.recorders = ctx.rng, recorders
        self.next_id = (AttendanceSession.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
        self.session_rows: list[tuple[Any, ...]] = []
        self.named_rows: list[tuple[Any, ...]] = []
        self.sessions = self.named = self.records = 0
        self.participants: set[int] = set()

    def add(self, sessions: Sessions) -> None:
        rng = self.rng
        recorder = self.recorders.get(sessions.organisation)
        for index, day in enumerate(sessions.dates):
            named = sorted(sessions.named[index])
            heads = _heads(sessions, index, rng)
            session_id = self.next_id
            self.next_id += 1
            # Recorded that evening or the next day.
            recorded_at = dt.datetime.combine(day, dt.time(20), tzinfo=AMSTERDAM) + dt.timedelta(
                minutes=rng.randint(0, 1_500)
            )
            self.session_rows.append(
                (
                    session_id,
                    self.municipality,
                    sessions.activity,
                    day,
                    heads - len(named),
                    len(named),
                    recorder,
                    recorded_at,
                )
            )
            self.named_rows += [(self.municipality, session_id, sessions.activity, day, pk) for pk in named]
            self.participants.update(named)
            self.sessions += 1
            self.named += len(named)
            self.records += heads
        if len(self.session_rows) + len(self.named_rows) >= BATCH:
            self.flush()

    def flush(self) -> None:
        insert_rows(
            AttendanceSession,
            ("id", "municipality", "activity", "on", "anonymous_count", "named_count", "recorded_by", "recorded_at"),
            self.session_rows,
        )
        insert_rows(Attendance, ("municipality", "session", "activity", "on", "profile"), self.named_rows)
        self.session_rows, self.named_rows = [], []

    def finish(self) -> None:
        self.flush()
        # The ids were given here: the database's sequence must continue after them (PostgreSQL).
        connection = connections[router.db_for_write(AttendanceSession)]
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), [AttendanceSession]):
                cursor.execute(statement)


@step(order=90, name="attendance", label="Aanwezigheid bij activiteiten")
def attendance(ctx: DemoContext) -> None:
    today = monday_morning().date()
    generator = Generator(ctx, today)
    generator.schedules()
    ctx.progress.start(len(generator.all) * 2)
    ctx.progress.advance(len(generator.all))
    consents = (
        Consent.objects.filter(
            purpose=ConsentPurpose.MONITORING, revoked_at__isnull=True, profile__erased_at__isnull=True
        )
        .order_by("profile_id")
        .values_list("profile_id", "profile__neighbourhood_id", "given_at")
    )
    for profile, area, given_at in consents:
        generator.participant(profile, area, given_at.astimezone(AMSTERDAM).date())
    organisers = RoleAssignment.objects.filter(
        municipality=ctx.municipality, role=Role.ORGANISER, organisation__isnull=False
    ).order_by("pk")
    recorders: dict[int, int] = {}
    for organisation, user in organisers.values_list("organisation_id", "user_id"):
        recorders.setdefault(organisation, user)
    writer = Writer(ctx, recorders)
    for sessions in generator.all:
        writer.add(sessions)
        ctx.progress.advance()
    writer.finish()
    # Counts for `generate_demo`'s summary (the rows themselves are not kept in memory).
    ctx.add("attendance sessions", [None] * writer.sessions)
    ctx.add("attendance named rows", [None] * writer.named)
    ctx.add("attendance participants", sorted(writer.participants))


@step(order=95, name="monitor", label="Monitor: momentopnamen van de laatste twee kwartalen")
def snapshots(ctx: DemoContext) -> None:
    """The dashboards have something to show (and to compare) on first start."""
    from nabij.monitor.periods import last_complete_quarter
    from nabij.monitor.services.snapshots import snapshot_compute

    latest = last_complete_quarter(monday_morning().date())
    periods = [latest.previous(), latest]
    ctx.progress.start(len(periods))
    for period in periods:
        snapshot_compute(actor=None, municipality=ctx.municipality, period=period)
        ctx.progress.advance(1)
