"""Demo step of the social map: activities with realistic facts, barrier profiles and their history.

Written with bulk inserts (8,000 activities at city scale), not through `activity_create`: the
barrier mask is still what `services.derive_barriers` makes of the facts, and the history rows
are the ones the service would write (a first `derived` row when the mask is not empty). Some
activities then had a drempelscan in which the organiser lowered a barrier: their mask is one
barrier less than the facts show, as after a real drempelscan.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.db import connections, models, router
from django.utils import timezone
from django.utils.text import slugify

from nabij.core.models import Municipality
from nabij.demo.logins import DEMO_EMAIL_DOMAIN
from nabij.demo.names import FIRST_NAMES
from nabij.demo.registry import DemoContext, step
from nabij.socialmap.demo.catalogue import (
    HOST_ROLES,
    PROFILES,
    TEMPLATES,
    THEMES,
    TYPE_MIX,
    WARM_HOST_ROLES,
    Profile,
    Template,
)
from nabij.socialmap.demo.organisations import demo_uid
from nabij.socialmap.demo.schedules import Chances, Schedule, draw_schedule
from nabij.socialmap.models import (
    AMSTERDAM,
    ActionPerspective,
    Activity,
    ActivityStatus,
    Barrier,
    BarrierProfileChange,
    BarrierSource,
    Commitment,
    Domain,
    Organisation,
    ParticipationType,
    Place,
    SignUpChannel,
    Theme,
    barriers_by_code,
)
from nabij.socialmap.services import derive_barriers

ACTIVITIES = {"small": 120, "city": 8_000}
SERIES_PROFILES = ("cursus", "online")
BATCH = 500
STATUS_WEIGHTS = ((ActivityStatus.PUBLISHED, 88), (ActivityStatus.DRAFT, 7), (ActivityStatus.ARCHIVED, 5))
PERSPECTIVES = (ActionPerspective.OMGEVINGSINITIATIEF, ActionPerspective.MILD_WERKVERBAND, ActionPerspective.WARME_PLEK)
COMMITMENTS = (Commitment.DROP_IN, Commitment.SERIES, Commitment.MEMBERSHIP)
# Share of published activities whose organiser did a drempelscan and lowered a barrier, and which
# barriers organisers lower most: a quiet table, walking in, a free first time (docs/barriers.md).
DREMPELSCAN_SHARE = 0.15
LOWERED = {"crowded": 3, "registration": 3, "cost": 2, "commitment": 2, "skills": 2, "language": 1, "digital": 1}
ONLINE_SHARE = 0.015
# Organisations that hold online activities.
ONLINE_ORGANISERS = ("Bibliotheek", "Welzijn", "GGZ", "Maatjes", "Taalcafé", "Jongerenwerk")


@dataclass
class Made:
    activity: Activity
    domains: list[Domain]
    themes: list[Theme]
    created: dt.datetime
    lowered_at: dt.datetime | None = None
    derived_mask: int = 0


def ensure_themes(municipality: Municipality) -> dict[str, Theme]:
    existing = {t.code: t for t in Theme.objects.filter(municipality=municipality)}
    new = [
        Theme(municipality=municipality, code=code, label_nl=nl, label_en=en, position=number)
        for number, (code, nl, en) in enumerate(THEMES)
        if code not in existing
    ]
    Theme.objects.bulk_create(new)
    return {t.code: t for t in Theme.objects.filter(municipality=municipality)}


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


class ActivityMaker:
    def __init__(self, ctx: DemoContext, *, today: dt.date, now: dt.datetime) -> None:
        municipality = ctx.municipality
        self.rng: random.Random = ctx.rng
        self.today, self.now = today, now
        self.municipality = municipality
        self.types = {t.code: t for t in ParticipationType.objects.filter(municipality=municipality)}
        self.domains = {d.code: d for d in Domain.objects.filter(municipality=municipality)}
        self.themes = ensure_themes(municipality)
        self.barriers = barriers_by_code(municipality)
        places: list[Place] = ctx.get("places")
        organisations: list[Organisation] = ctx.get("organisations")
        # Where each template can happen: the places of a fitting kind (organisation, if it must).
        self.candidates: dict[Template, list[Place | Organisation]] = {}
        for template in TEMPLATES:
            found: list[Place | Organisation]
            if template.kinds:
                found = [
                    p
                    for p in places
                    if p.kind in template.kinds
                    and (not template.organisations or p.organisation.name.startswith(template.organisations))
                ]
            else:
                found = [o for o in organisations if o.name.startswith(ONLINE_ORGANISERS)]
            if found:
                self.candidates[template] = found
        self.by_type = {
            code: [t for t in self.candidates if t.type == code and t.kinds] for code in TYPE_MIX if code in self.types
        }
        self.online = [t for t in self.candidates if not t.kinds]

    def make(self, *, online: bool = False) -> Made:
        rng = self.rng
        if online and self.online:
            templates = self.online
        else:
            codes = [code for code in TYPE_MIX if self.by_type.get(code)]
            templates = self.by_type[rng.choices(codes, weights=[TYPE_MIX[c] for c in codes])[0]]
        template = rng.choices(templates, weights=[t.weight for t in templates])[0]
        where = rng.choice(self.candidates[template])
        place, organisation = (where, where.organisation) if isinstance(where, Place) else (None, where)
        profile = PROFILES[template.profile]
        activity = self._facts(template, profile, organisation, place)
        schedule = draw_schedule(
            rng,
            chances=Chances(one_off=profile.one_off, monthly=profile.monthly),
            times=template.times,
            minutes=template.minutes,
            # A course ends after some meetings; a volunteer's "series" is a promise, not an end date.
            series=activity.commitment == Commitment.SERIES and template.profile in SERIES_PROFILES,
            today=self.today,
        )
        self._schedule(activity, schedule)
        self._texts(activity, template, schedule, organisation, place)
        domains = [self.domains[template.domains[0]]]
        if len(template.domains) > 1 and rng.random() < 0.6:
            domains.append(self.domains[template.domains[1]])
        themes = [self.themes[code] for code in template.themes[:1] if rng.random() < 0.85]
        themes += [self.themes[code] for code in template.themes[1:2] if rng.random() < 0.4]
        made = Made(activity, domains, themes, self._created(schedule))
        made.derived_mask = activity.barrier_mask = self.mask(activity)
        self._drempelscan(made)
        return made

    def mask(self, activity: Activity) -> int:
        """What `activity_create` stores: the derived barriers, never a relational one."""
        return sum(self.barriers[code].mask for code in derive_barriers(activity) if self._derivable(code))

    def _derivable(self, code: str) -> bool:
        barrier: Barrier | None = self.barriers.get(code)
        return barrier is not None and not barrier.relational

    def _facts(self, template: Template, profile: Profile, organisation: Organisation, place: Place | None) -> Activity:
        rng = self.rng
        # Barriers come together: who pays usually signs up first, and nobody in particular
        # welcomes you in a big crowd. Public and welfare organisations name a host more often.
        costs = rng.random() < profile.cost
        registration = rng.random() < profile.registration + (0.25 if costs else 0.0)
        low, high = profile.group
        group = rng.randint(low, high) if rng.random() < 0.9 else None
        host = profile.host + (0.1 if organisation.sphere == "overheid" else 0.0) - (0.15 if (group or 0) > 15 else 0.0)
        channel = SignUpChannel.IN_PERSON
        if registration:
            channel = (
                SignUpChannel.ONLINE_ONLY
                if rng.random() < profile.online_only
                else rng.choice((SignUpChannel.PHONE, SignUpChannel.IN_PERSON))
            )
        language = profile.language if template.language is None else template.language
        role = rng.choice(WARM_HOST_ROLES if template.profile == "warm" else HOST_ROLES[template.type])
        return Activity(
            municipality=self.municipality,
            organisation=organisation,
            place=place,
            uid=demo_uid(rng),
            participation_type=self.types[template.type],
            action_perspective=rng.choices((*PERSPECTIVES, ""), weights=(*template.perspective, 0.3))[0],
            cost_cents=rng.choice(profile.prices) if costs else 0,
            has_free_option=costs and rng.random() < profile.free_option,
            registration_required=registration,
            sign_up_channel=channel,
            commitment=rng.choices(COMMITMENTS, weights=profile.commitment)[0],
            expected_group_size=group,
            capacity=(group or high) + rng.randint(0, 6) if registration and rng.random() < 0.7 else None,
            level_required=rng.random() < profile.level,
            dutch_language_required=rng.random() < language,
            who_welcomes_you=f"{role} {rng.choice(FIRST_NAMES)}" if rng.random() < host else "",
            contact_email=f"{slugify(organisation.name)[:40].strip('-')}@{DEMO_EMAIL_DOMAIN}"
            if rng.random() < 0.8
            else "",
            # A fictitious area code: no real number is printed.
            contact_phone=f"0123 {rng.randint(100000, 999999)}" if rng.random() < 0.5 else "",
            status=rng.choices([s for s, _w in STATUS_WEIGHTS], weights=[w for _s, w in STATUS_WEIGHTS])[0],
        )

    @staticmethod
    def _schedule(activity: Activity, schedule: Schedule) -> None:
        activity.dtstart = schedule.dtstart
        activity.duration = schedule.duration
        activity.rrule = schedule.rrule
        activity.exdates = schedule.exdates
        activity.active_from = schedule.active_from
        activity.active_until = schedule.active_until

    def _texts(
        self,
        activity: Activity,
        template: Template,
        schedule: Schedule,
        organisation: Organisation,
        place: Place | None,
    ) -> None:
        rng = self.rng
        buurt = place.neighbourhood.name if place is not None and place.neighbourhood else "Voorbeeldstad"
        title = rng.choice(template.titles).format(
            buurt=buurt, plek=place.name if place else organisation.name, dag=schedule.day_name
        )
        activity.title = title[:160]
        sentences = [template.description]
        if activity.cost_cents:
            euros = f"{activity.cost_cents / 100:.2f}".replace(".", ",")
            sentences.append(f"Meedoen kost € {euros}.")
            if activity.has_free_option:
                sentences.append("Is dat te veel? Dan doe je gratis mee. Niemand vraagt waarom.")
        else:
            sentences.append("Meedoen is gratis.")
        if not activity.registration_required:
            sentences.append("Je hoeft je niet aan te melden.")
        elif activity.sign_up_channel == SignUpChannel.ONLINE_ONLY:
            sentences.append("Meld je vooraf aan via de website.")
        elif activity.sign_up_channel == SignUpChannel.PHONE:
            sentences.append("Meld je vooraf aan: bel of mail ons.")
        else:
            sentences.append("Meld je vooraf aan bij de balie of bij de begeleider.")
        activity.description = " ".join(sentences)
        expect = [template.expect]
        if activity.expected_group_size:
            expect.append(f"Meestal zijn er ongeveer {activity.expected_group_size} mensen.")
        if activity.who_welcomes_you:
            expect.append(f"{activity.who_welcomes_you} vangt nieuwe mensen op.")
        activity.what_to_expect = " ".join(expect)

    def _created(self, schedule: Schedule) -> dt.datetime:
        """When the organiser put it on the map: some weeks before the first time, never after now."""
        rng = self.rng
        day = schedule.dtstart.date() - dt.timedelta(days=rng.randint(7, 45))
        moment = dt.datetime(day.year, day.month, day.day, rng.randint(8, 21), rng.randint(0, 59), tzinfo=AMSTERDAM)
        latest = self.now - dt.timedelta(hours=rng.randint(1, 240))
        return min(moment, latest)

    def _drempelscan(self, made: Made) -> None:
        rng = self.rng
        activity = made.activity
        if activity.status != ActivityStatus.PUBLISHED or rng.random() >= DREMPELSCAN_SHARE:
            return
        present = [c for c in LOWERED if c in self.barriers and activity.barrier_mask & self.barriers[c].mask]
        if not present:
            return
        moment = made.created + dt.timedelta(days=rng.randint(10, 400), hours=rng.randint(0, 8))
        if moment >= self.now:
            moment = self.now - dt.timedelta(hours=rng.randint(1, 72))
        if moment <= made.created:
            return
        code = rng.choices(present, weights=[LOWERED[c] for c in present])[0]
        activity.barrier_mask &= ~self.barriers[code].mask
        made.lowered_at = moment


def _save(batch: list[Made]) -> None:
    """Bulk-insert a batch with its M2M rows and history. The timestamps are set afterwards:
    a bulk insert gives `auto_now_add` fields the current time, whatever the objects say."""
    activities = [m.activity for m in batch]
    Activity.objects.bulk_create(activities)
    # The stubs cannot type the automatic through models.
    domains: Any = Activity.domains.through
    themes: Any = Activity.themes.through
    domains.objects.bulk_create([domains(activity_id=m.activity.pk, domain_id=d.pk) for m in batch for d in m.domains])
    themes.objects.bulk_create([themes(activity_id=m.activity.pk, theme_id=t.pk) for m in batch for t in m.themes])
    history: list[tuple[BarrierProfileChange, dt.datetime]] = []
    for made in batch:
        if made.derived_mask:
            history.append((_change(made, 0, made.derived_mask, BarrierSource.DERIVED), made.created))
        if made.lowered_at is not None:
            change = _change(made, made.derived_mask, made.activity.barrier_mask, BarrierSource.DREMPELSCAN)
            history.append((change, made.lowered_at))
    BarrierProfileChange.objects.bulk_create([change for change, _when in history])
    for change, when in history:
        change.at = when
    for made in batch:
        made.activity.created_at = made.created
        made.activity.updated_at = made.lowered_at or made.created
    _set_times(
        Activity, ("created_at", "updated_at"), [(m.created, m.activity.updated_at, m.activity.pk) for m in batch]
    )
    _set_times(BarrierProfileChange, ("at",), [(when, change.pk) for change, when in history])


def _set_times(model: type[models.Model], names: tuple[str, ...], rows: list[tuple[Any, ...]]) -> None:
    """UPDATE model SET name = ... WHERE pk = ..., one statement for many rows (bulk_update's CASE
    expressions take seconds at city scale). Values are aware datetimes, the last one the pk."""
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    column = {field.name: str(field.column) for field in model._meta.concrete_fields}
    columns = ", ".join(f"{ops.quote_name(column[name])} = %s" for name in names)
    table, pk = ops.quote_name(model._meta.db_table), ops.quote_name(column["id"])
    params = [[*(ops.adapt_datetimefield_value(value) for value in row[:-1]), row[-1]] for row in rows]
    with connection.cursor() as cursor:
        # Table and column names come from the model, not from input.
        cursor.executemany(f"UPDATE {table} SET {columns} WHERE {pk} = %s", params)  # noqa: S608


def _change(made: Made, old: int, new: int, source: BarrierSource) -> BarrierProfileChange:
    return BarrierProfileChange(
        municipality_id=made.activity.municipality_id,
        activity=made.activity,
        actor=None,
        old_mask=old,
        new_mask=new,
        source=source,
    )


@step(order=40, name="activities", label="Activiteiten")
def activities(ctx: DemoContext) -> None:
    count = ACTIVITIES.get(ctx.scale.name, ACTIVITIES["small"])
    # Dates follow the current week, not the current second: the same seed gives the same data
    # all week, and nothing is dated in the future.
    monday = _monday(timezone.localdate(timezone.now(), AMSTERDAM))
    maker = ActivityMaker(ctx, today=monday, now=dt.datetime.combine(monday, dt.time(6), tzinfo=AMSTERDAM))
    ctx.progress.start(count)
    # A few online activities, without a place: at least two, so the small demo shows them too.
    online = max(2, round(ONLINE_SHARE * count))
    for start in range(0, count, BATCH):
        batch = [maker.make(online=number < online) for number in range(start, min(count, start + BATCH))]
        _save(batch)
        ctx.add("activities", [m.activity for m in batch])
        ctx.progress.advance(len(batch))
