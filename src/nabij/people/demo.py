"""Demo step of people: participants with purpose-bound consents, loneliness and ladder measurements.

Bulk inserts (150 participants at small scale, 20,000 at city scale, keyed by the scale's name), not
through the services. The resident accounts (resident@ and the scale's `extra_residents`) own the
first profiles. Each participant gets a `Journey` through support first (JOURNEYS: 40% waiting, 40%
in a relation, 10% with one behind them, 10% not looking for a supporter); the later steps (support
relations, referrals) read the journeys from the context, so relations, consents,
`support_wanted_since` and the measurements before and after tell one story.

The shares, and why:
- Background: `nabij.demo.names.ORIGINS` (a large Dutch city). Isolation type depends on it (seed 003:
  collective isolation "within ethnic-cultural and migrant groups"): Dutch background 55% individual,
  15% collective, 30% socially-and-personally isolated; other backgrounds 30 / 50 / 20. Overall about
  43% individual (retirement and long unemployment: the largest group buddy schemes see),
  32% collective and 25% social-and-personal (the wijkteam's caseload: psychiatric vulnerability,
  homelessness, multi-problem households).
- Barriers: each barrier a chance per isolation type (BARRIER_CHANCES); social-and-personal isolation
  is most often sensitive to cost, registration, crowded and no_host (the `epa` target group's set),
  older people more often to physical, digital and distance, and someone without Dutch to language.
- Consents: support for everyone who wants a supporter, referral 45% (all who want none: they are
  referred instead), monitoring 60%, contact 75%; a few percent revoked since, and everyone keeps at
  least one current consent. A VOG is required for all the socially-and-personally isolated and 60%
  of the others.
- Loneliness (De Jong Gierveld, 11 items, scored by `nabij.people.instruments`): the totals are drawn
  from TOTAL_WEIGHTS, so that 49% score 3 or more and 14% score 9 or more, as adults in the GGD
  Gezondheidsmonitor 2022. Who gets which total follows a noisy vulnerability rank (isolation type,
  age), which keeps that distribution exact while the socially-and-personally isolated are the
  loneliest. The shares hold for the first measurement (85% are measured); a second one, after half
  a year of support, is lower on average. The participatieladder is measured at the same moments.
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import random
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import connections, models, router
from django.utils import timezone

from nabij.accounts.models import User
from nabij.core.models import Neighbourhood
from nabij.demo.names import ORIGINS, Origin
from nabij.demo.registry import DemoContext, step
from nabij.people.instruments import ITEMS_11, MORE_OR_LESS, NO, YES, score_de_jong_gierveld
from nabij.people.models import (
    SLOTS,
    BirthYearBand,
    Consent,
    ConsentPurpose,
    LadderMeasurement,
    LonelinessMeasurement,
    ResidentProfile,
)
from nabij.socialmap.demo.organisations import demo_uid
from nabij.socialmap.models import AMSTERDAM, IsolationType, ParticipationType, Theme, barriers_by_code

PARTICIPANTS = {"small": 150, "city": 20_000}
BATCH = 2_000
TYPES = (IsolationType.INDIVIDUAL, IsolationType.COLLECTIVE, IsolationType.SOCIAL_AND_PERSONAL)
ISOLATION_SHARES = {"dutch": (55, 15, 30), "other": (30, 50, 20)}
BANDS = tuple(BirthYearBand.values)  # 1930-1939 ... 2000-2009
BAND_WEIGHTS = {  # per isolation type: individual isolation is older (retirement), the others younger
    IsolationType.INDIVIDUAL: (4, 14, 22, 20, 14, 10, 9, 7),
    IsolationType.COLLECTIVE: (1, 6, 12, 17, 18, 18, 16, 12),
    IsolationType.SOCIAL_AND_PERSONAL: (1, 4, 10, 16, 18, 18, 18, 15),
}
OLDER_BANDS = frozenset(BANDS[:3])  # born before 1960
# Chance of each barrier in a profile, per isolation type (individual, collective, social-and-personal).
BARRIER_CHANCES = {
    "cost": (0.35, 0.45, 0.70),
    "registration": (0.25, 0.30, 0.65),
    "commitment": (0.20, 0.20, 0.45),
    "no_host": (0.30, 0.35, 0.70),
    "crowded": (0.20, 0.15, 0.65),
    "skills": (0.25, 0.15, 0.30),
    "language": (0.03, 0.15, 0.05),  # and 0.9 for someone who speaks no Dutch
    "physical": (0.10, 0.06, 0.08),  # and +0.25 when born before 1960
    "digital": (0.25, 0.25, 0.25),  # and +0.30 when born before 1960
    "distance": (0.15, 0.10, 0.20),  # and +0.15 when born before 1960
}
# Languages by background, own language first (the matching treats the first as the own one).
# Tamazight, Sranan Tongo, Sarnami and Papiamentu have no ISO 639-1 code, so they are not listed.
LANGUAGES: dict[str, tuple[tuple[str, float], ...]] = {
    "dutch": (("nl", 1.0), ("en", 0.35)),
    "surinamese": (("nl", 1.0), ("en", 0.1)),
    "moroccan": (("ar", 0.6), ("nl", 0.9), ("fr", 0.1)),
    "turkish": (("tr", 0.85), ("nl", 0.88)),
    "caribbean": (("nl", 0.95), ("es", 0.3), ("en", 0.3)),
    "indonesian": (("nl", 1.0), ("id", 0.15)),
    "polish": (("pl", 1.0), ("nl", 0.45), ("en", 0.35)),
    "syrian": (("ar", 1.0), ("nl", 0.55), ("en", 0.2)),
    "cape_verdean": (("pt", 0.9), ("nl", 0.8)),
    "ukrainian": (("uk", 1.0), ("ru", 0.6), ("nl", 0.25), ("en", 0.3)),
    "afghan_iranian": (("fa", 1.0), ("nl", 0.65)),
    "eritrean": (("ti", 1.0), ("nl", 0.5), ("ar", 0.15)),
    "west_african": (("en", 0.9), ("nl", 0.75)),
    "chinese": (("zh", 1.0), ("nl", 0.7)),
    "somali": (("so", 1.0), ("nl", 0.7), ("en", 0.2)),
    "bulgarian_romanian": (("bg", 0.5), ("ro", 0.5), ("nl", 0.4), ("en", 0.3)),
    "other_european": (("en", 0.95), ("de", 0.2), ("es", 0.2), ("it", 0.15), ("fr", 0.15), ("nl", 0.3)),
}
THEME_WEIGHTS = {
    "koken": 10, "tuinieren": 7, "taal": 5, "muziek": 7, "wandelen": 9, "digitaal": 5, "handwerk": 5, "spel": 6,
    "lezen": 5, "repareren": 5, "natuur": 6, "sport": 6, "kunst": 5, "dans": 3, "gezondheid": 5, "kinderen": 3,
}  # fmt: skip
OLDER_TILT = {"handwerk": 2.0, "spel": 1.5, "wandelen": 1.5, "sport": 0.5, "dans": 0.7, "kinderen": 0.3}
YOUNGER_TILT = {"sport": 1.8, "muziek": 1.5, "digitaal": 1.2, "kinderen": 2.0, "handwerk": 0.5}
PREFERRED_TYPES = {  # what each isolation type prefers first (DESIGN.md §2 action perspectives)
    IsolationType.INDIVIDUAL: ("vrijwilligerswerk", "ontmoeten", "bewegen", "creatief"),
    IsolationType.COLLECTIVE: ("ontmoeten", "creatief", "vrijwilligerswerk", "bewegen"),
    IsolationType.SOCIAL_AND_PERSONAL: ("ontmoeten", "creatief", "bewegen", "vrijwilligerswerk"),
}
# Where participants stand in support: waiting for a supporter, in a relation (by status), with a
# relation behind them, or not looking for a supporter (only activities and groups).
JOURNEYS = (("waiting", 40), ("proposed", 4), ("introduced", 6), ("active", 30), ("ended", 10), ("none", 10))
REVOKED_SUPPORT_SHARE = 0.25  # of the ended relations: ended because the support consent was revoked
# Totals 0..11 of the 11-item scale: 51% 0-2, 35% 3-8, 11% 9-10, 3% 11 (GGD Gezondheidsmonitor 2022).
TOTAL_WEIGHTS = (22, 16, 13, 9, 7, 6, 5, 4.5, 3.5, 6, 5, 3)
MEASURED_SHARE = 0.85
AFTER_SHARE = 0.7  # of those supported for half a year or longer: measured again
MORE_OR_LESS_SHARE = 0.4  # of the lonely answers, "min of meer" rather than the outright one
LOWER_AFTER = ((-1, 10), (0, 25), (1, 25), (2, 20), (3, 12), (4, 8))  # drop in total after support
RUNGS = {  # participatieladder before support, rungs 1..6
    IsolationType.INDIVIDUAL: (20, 35, 25, 15, 3, 2),
    IsolationType.COLLECTIVE: (20, 40, 20, 12, 5, 3),
    IsolationType.SOCIAL_AND_PERSONAL: (45, 35, 15, 5, 0, 0),
}
RUNG_STEPS = ((-1, 5), (0, 45), (1, 40), (2, 10))
SELF = "de bewoner zelf"
REPRESENTATIVES = ("mentor (wettelijk vertegenwoordiger)", "curator", "ouder of voogd")


def monday_morning() -> dt.datetime:
    """'Now' for the demo: the last Monday 06:00 that has passed, so a seed gives the same data all week
    and nothing the demo makes lies in the future (early on a Monday that is the week before's)."""
    now = timezone.now()
    today = timezone.localdate(now, AMSTERDAM)
    moment = dt.datetime.combine(today - dt.timedelta(days=today.weekday()), dt.time(6), tzinfo=AMSTERDAM)
    return moment if moment <= now else moment - dt.timedelta(days=7)


def at(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment in office hours on `day`."""
    return dt.datetime.combine(day, dt.time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=AMSTERDAM)


def pick(rng: random.Random, table: tuple[tuple[Any, float], ...]) -> Any:
    """A value from a table of (value, weight) pairs."""
    values, cumulative = _cumulative(table)
    return rng.choices(values, cum_weights=cumulative)[0]


@functools.cache
def _cumulative(table: tuple[tuple[Any, float], ...]) -> tuple[list[Any], list[float]]:
    return [value for value, _w in table], list(itertools.accumulate(weight for _v, weight in table))


@contextmanager
def given_times(model: type[models.Model], *names: str) -> Iterator[None]:
    """Let a bulk insert keep the times the demo set: `auto_now(_add)` would stamp every row with
    the moment of generating, and the demo's history (waiting times, last contact) would be gone."""
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    saved = [(field.auto_now, field.auto_now_add) for field in fields]
    for field in fields:
        field.auto_now = field.auto_now_add = False
    try:
        yield
    finally:
        for field, (auto_now, auto_now_add) in zip(fields, saved, strict=True):
            field.auto_now, field.auto_now_add = auto_now, auto_now_add


def insert_rows(model: type[models.Model], names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
    """INSERT many rows in one `executemany`, without model instances: ten times faster than
    `bulk_create` for the demo's hundreds of thousands of small rows. Values are Python values
    (ids for foreign keys); dates and times are adapted for the database here."""
    connection = connections[router.db_for_write(model)]
    ops = connection.ops
    fields: list[Any] = [model._meta.get_field(name) for name in names]
    adapt: list[Any] = []
    for field in fields:
        if isinstance(field, models.DateTimeField):
            adapt.append(ops.adapt_datetimefield_value)
        elif isinstance(field, models.DateField):
            adapt.append(ops.adapt_datefield_value)
        elif isinstance(field, models.JSONField):
            adapt.append(lambda value, field=field: field.get_db_prep_save(value, connection))
        else:
            adapt.append(None)
    table = ops.quote_name(model._meta.db_table)
    columns = ", ".join(ops.quote_name(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    params = [[value if how is None else how(value) for how, value in zip(adapt, row, strict=True)] for row in rows]
    with connection.cursor() as cursor:
        # Table and column names come from the model, not from input.
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({values})", params)  # noqa: S608


class People:
    """What every demo person is drawn from: where people live, background, languages, interests."""

    def __init__(self, ctx: DemoContext) -> None:
        neighbourhoods: list[Neighbourhood] = ctx.get("neighbourhoods") or list(Neighbourhood.objects.order_by("code"))
        self.neighbourhoods = [n for n in neighbourhoods if (n.population or 0) > 0] or neighbourhoods
        self._cumulative = list(itertools.accumulate((n.population or 1) for n in self.neighbourhoods))
        self._origins = list(itertools.accumulate(o.weight for o in ORIGINS))
        self.themes = list(
            Theme.objects.filter(municipality=ctx.municipality)
            .order_by("position", "code")
            .values_list("code", flat=True)
        )

    def neighbourhood(self, rng: random.Random) -> Neighbourhood:
        """Weighted by population: a business park hardly ever."""
        return self.neighbourhoods[bisect.bisect_right(self._cumulative, rng.random() * self._cumulative[-1])]

    def origin(self, rng: random.Random) -> Origin:
        return ORIGINS[bisect.bisect_right(self._origins, rng.random() * self._origins[-1])]

    @staticmethod
    def languages(rng: random.Random, origin: Origin, *, dutch: float | None = None) -> list[str]:
        """The languages of someone of this background, own language first; `dutch`: at least this
        chance of speaking Dutch (volunteers nearly all do)."""
        spoken = [
            code
            for code, chance in LANGUAGES[origin.code]
            if rng.random() < (max(chance, dutch) if code == "nl" and dutch is not None else chance)
        ]
        return spoken or [LANGUAGES[origin.code][0][0]]

    def interests(self, rng: random.Random, band: str, *, low: int = 1, high: int = 4) -> list[str]:
        tilt = OLDER_TILT if band in OLDER_BANDS else YOUNGER_TILT if band >= BirthYearBand.B1980 else {}
        weights = [THEME_WEIGHTS.get(code, 3) * tilt.get(code, 1.0) for code in self.themes]
        chosen: list[str] = []
        for _number in range(min(rng.randint(low, high), len(self.themes))):
            code = rng.choices(self.themes, weights=weights)[0]
            weights[self.themes.index(code)] = 0
            chosen.append(code)
        return chosen

    @staticmethod
    def availability(rng: random.Random, *, daytime: float, evening: float) -> int:
        """Some moments of the week: daytime on weekdays (retired, not working), evenings and
        weekends (working), or anything."""
        draw = rng.random()
        if draw < daytime:
            pool = [n for n, slot in enumerate(SLOTS) if slot[:2] not in ("sa", "su") and "evening" not in slot]
        elif draw < daytime + evening:
            pool = [n for n, slot in enumerate(SLOTS) if slot[:2] in ("sa", "su") or "evening" in slot]
        else:
            pool = list(range(len(SLOTS)))
        return sum(1 << n for n in rng.sample(pool, min(len(pool), rng.randint(3, 9))))


@dataclass
class Journey:
    """A participant's way through support, decided here; later steps make the relations from it."""

    profile: ResidentProfile
    status: str  # waiting / none, or the relation's status: proposed / introduced / active / ended
    created: dt.datetime
    proposed: dt.datetime | None = None  # the current or last relation
    started: dt.date | None = None
    ended: dt.date | None = None
    consent_revoked: dt.datetime | None = None  # the support consent, which ended the relation
    # A relation that ended before the current wait: proposed, started, ended.
    earlier: tuple[dt.datetime, dt.date, dt.date] | None = None
    vulnerability: float = 0.0


def _wait(rng: random.Random) -> dt.timedelta:
    """How long someone waits for a supporter: mostly weeks, sometimes many months."""
    return dt.timedelta(days=min(540, int(rng.expovariate(1 / 60))) + 1, hours=rng.randint(0, 8))


def plan_journey(rng: random.Random, profile: ResidentProfile, status: str, now: dt.datetime) -> Journey:
    today = now.date()
    days = dt.timedelta
    if status == "none":
        return Journey(profile, status, now - days(days=7 + int(1000 * rng.random() ** 1.3), hours=rng.randint(1, 9)))
    if status == "waiting":
        since = now - _wait(rng)
        profile.support_wanted_since = since
        if rng.random() < 0.25:  # waiting again, after an earlier relation ended
            left = since.date() - days(days=rng.randint(0, 21))
            began = left - days(days=rng.randint(60, 420))
            asked = at(began - days(days=rng.randint(7, 30)), rng)
            journey = Journey(profile, status, asked - _wait(rng), earlier=(asked, began, left))
            # The relation services keep the first request's date when a match did not work out.
            profile.support_wanted_since = journey.created
            return journey
        return Journey(profile, status, since - days(days=rng.randint(0, 3), hours=rng.randint(0, 5)))
    started: dt.date | None = None
    ended: dt.date | None = None
    if status == "proposed":
        proposed = now - days(days=rng.randint(1, 14), hours=rng.randint(0, 8))
    elif status == "introduced":
        proposed = now - days(days=rng.randint(7, 45), hours=rng.randint(0, 8))
    else:
        if status == "active":
            started = today - days(days=14 + int(700 * rng.random() ** 1.5))
        else:
            ended = today - days(days=rng.randint(1, 700))
            started = ended - days(days=rng.randint(30, 500))
        proposed = at(started - days(days=rng.randint(7, 30)), rng)
    journey = Journey(profile, status, proposed - _wait(rng), proposed, started, ended)
    # Asked for a supporter when registered; the date stays while a relation is open (the waiting
    # list leaves out who has one) and goes when it ended for good (goal reached, stopped, revoked).
    profile.support_wanted_since = journey.created if status != "ended" else None
    if status == "ended" and rng.random() < REVOKED_SUPPORT_SHARE:
        assert ended is not None
        journey.consent_revoked = at(ended, rng)
    return journey


class ProfileMaker:
    def __init__(self, ctx: DemoContext, now: dt.datetime) -> None:
        municipality = ctx.municipality
        self.rng, self.now, self.municipality = ctx.rng, now, municipality
        self.people = People(ctx)
        self.barriers = {code: barrier.mask for code, barrier in barriers_by_code(municipality).items()}
        self.types = {t.code: t for t in ParticipationType.objects.filter(municipality=municipality)}
        self.professional: User | None = next(iter(ctx.get("users:professional")), None)
        self.professional_id = self.professional.pk if self.professional is not None else None

    def make(self, *, user: User | None = None) -> tuple[ResidentProfile, Journey, list[ParticipationType]]:
        rng = self.rng
        origin = self.people.origin(rng)
        isolation = rng.choices(TYPES, weights=ISOLATION_SHARES["dutch" if origin.code == "dutch" else "other"])[0]
        band = rng.choices(BANDS, weights=BAND_WEIGHTS[isolation])[0]
        languages = self.people.languages(rng, origin)
        first = origin.first_names[rng.randrange(len(origin.first_names))]
        # A first name and an initial, as people who help address someone ("Fatima E.").
        name = f"{first} {rng.choice(origin.surnames).split()[-1][:1].upper()}."
        if user is not None:  # a resident with an account: the name they gave
            first, _space, rest = user.display_name.partition(" ")
            name = f"{first} {rest.split()[-1][:1].upper()}." if rest.strip() else first
        profile = ResidentProfile(
            municipality=self.municipality,
            key=demo_uid(rng),
            user=user,
            name=name,
            neighbourhood=self.people.neighbourhood(rng),
            birth_year_band=band,
            isolation_type=isolation,
            barrier_mask=self._mask(isolation, band, languages),
            interests=self.people.interests(rng, band),
            languages=languages,
            availability=self.people.availability(
                rng, daytime=0.8 if band in OLDER_BANDS else 0.55, evening=0.1 if band in OLDER_BANDS else 0.25
            ),
            # Vulnerable people get only a supporter with a VOG; the socially-and-personally isolated always.
            requires_vog=isolation == IsolationType.SOCIAL_AND_PERSONAL or rng.random() < 0.6,
            created_by=None if user is not None else self.professional,
        )
        journey = plan_journey(rng, profile, pick(rng, JOURNEYS), self.now)
        profile.created_at = journey.created
        journey.vulnerability = (
            {IsolationType.INDIVIDUAL: 0.4, IsolationType.COLLECTIVE: 0.5}.get(isolation, 1.0)
            + (0.3 if band in OLDER_BANDS else 0.0)
            + rng.gauss(0, 0.8)
        )
        order = PREFERRED_TYPES[isolation]
        preferred = [self.types[c] for c in order[: rng.choice((1, 1, 2, 2, 3))] if c in self.types]
        return profile, journey, preferred

    def _mask(self, isolation: str, band: str, languages: list[str]) -> int:
        column = TYPES.index(isolation)
        older = band in OLDER_BANDS
        extra = {"physical": 0.25, "digital": 0.3, "distance": 0.15} if older else {}
        mask = 0
        for code, chances in BARRIER_CHANCES.items():
            chance = 0.9 if code == "language" and "nl" not in languages else chances[column] + extra.get(code, 0.0)
            if code in self.barriers and self.rng.random() < chance:
                mask |= self.barriers[code]
        return mask

    def consents(self, journey: Journey, *, everything: bool = False) -> list[ConsentRow]:
        """The purposes this participant agreed to, who gave and recorded them; some revoked."""
        rng, profile, now = self.rng, journey.profile, self.now
        given_by = SELF
        represented = 0.13 if profile.isolation_type == IsolationType.SOCIAL_AND_PERSONAL else 0.03
        if not everything and rng.random() < represented:
            young = profile.birth_year_band == BirthYearBand.B2000
            given_by = rng.choice(REPRESENTATIVES if young else REPRESENTATIVES[:2])
        recorder = profile.user if profile.user is not None and given_by == SELF else self.professional
        recorded_by = recorder.pk if recorder is not None else None
        chances = {  # purpose: (chance of a consent, chance it was revoked since)
            ConsentPurpose.SUPPORT: (0.0 if journey.status == "none" else 1.0, 0.0),
            ConsentPurpose.REFERRAL: (1.0 if journey.status == "none" else 0.45, 0.04),
            ConsentPurpose.MONITORING: (0.6, 0.03),
            ConsentPurpose.CONTACT: (0.85 if journey.status == "none" else 0.75, 0.02),
        }
        made: list[ConsentRow] = []
        for purpose, (chance, revoked) in chances.items():
            if not everything and rng.random() >= chance:
                continue
            later = purpose in (ConsentPurpose.REFERRAL, ConsentPurpose.MONITORING) and rng.random() < 0.3
            wait = dt.timedelta(days=rng.randint(1, 60) if later else 0, minutes=rng.randint(5, 50))
            consent = ConsentRow(profile, purpose, given_by, recorded_by, min(journey.created + wait, now))
            if purpose == ConsentPurpose.SUPPORT and journey.consent_revoked:
                consent = consent._replace(revoked_at=journey.consent_revoked, revoked_by=self.professional_id)
            elif not everything and rng.random() < revoked and consent.given_at < now - dt.timedelta(days=2):
                when = consent.given_at + (now - consent.given_at) * rng.uniform(0.1, 0.9)
                consent = consent._replace(revoked_at=when, revoked_by=recorded_by)
                if purpose == ConsentPurpose.MONITORING and rng.random() < 0.25:  # and given again later
                    again = when + (now - when) * rng.uniform(0.2, 0.9)
                    made.append(consent._replace(given_at=again, revoked_at=None, revoked_by=None))
            made.append(consent)
        if all(consent.revoked_at is not None for consent in made):
            # A profile exists only with a consent: who revoked everything else still may be contacted.
            given = journey.created + dt.timedelta(minutes=rng.randint(5, 50))
            made.append(ConsentRow(profile, ConsentPurpose.CONTACT, given_by, recorded_by, given))
        return made


class ConsentRow(NamedTuple):
    """A Consent to insert (see insert_rows); the profile gets its key when it is saved."""

    profile: ResidentProfile
    purpose: str
    given_by: str
    recorded_by: int | None
    given_at: dt.datetime
    revoked_at: dt.datetime | None = None
    revoked_by: int | None = None

    def values(self) -> tuple[Any, ...]:
        return (self.profile.municipality_id, self.profile.pk, *self[1:])


CONSENT_COLUMNS = (
    "municipality",
    "profile",
    "purpose",
    "given_by",
    "recorded_by",
    "given_at",
    "revoked_at",
    "revoked_by",
)


# --- the instruments ----------------------------------------------------------------------------


def draw_loneliness_total(rng: random.Random) -> int:
    return rng.choices(range(len(TOTAL_WEIGHTS)), weights=TOTAL_WEIGHTS)[0]


def loneliness_answers(rng: random.Random, total: int) -> list[str]:
    """Answers to the 11 items (in their order) that score exactly `total`: `total` items answered
    the lonely way ("min of meer", or ja on a negative item / nee on a positive one), the rest not."""
    lonely = set(rng.sample(range(len(ITEMS_11)), total))
    answers = []
    for index, item in enumerate(ITEMS_11):
        negative = item.subscale == "emotional"
        if index in lonely:
            answers.append(MORE_OR_LESS if rng.random() < MORE_OR_LESS_SHARE else YES if negative else NO)
        else:
            answers.append(NO if negative else YES)
    return answers


def loneliness_row(rng: random.Random, profile: ResidentProfile, total: int, on: dt.date) -> tuple[Any, ...]:
    """A LonelinessMeasurement's values (LONELINESS_COLUMNS, after the municipality, profile and
    day), scored by the same code as the services and the API."""
    answers = loneliness_answers(rng, total)
    score = score_de_jong_gierveld(11, answers)
    return (11, answers, score.total, score.emotional, score.social, score.category or "")


LONELINESS_COLUMNS = (
    "municipality", "profile", "measured_on", "recorded_by", "version", "answers", "total", "emotional", "social",
    "category",
)  # fmt: skip
LADDER_COLUMNS = ("municipality", "profile", "measured_on", "recorded_by", "rung")


def measure(ctx: DemoContext, journeys: list[Journey], *, today: dt.date, first: Journey | None) -> None:
    """A loneliness and a ladder measurement when support began, and again after half a year of it."""
    rng = ctx.rng
    recorder: User | None = next(iter(ctx.get("users:professional")), None)
    recorded_by = recorder.pk if recorder is not None else None
    measured = [j for j in journeys if j is first or rng.random() < MEASURED_SHARE]
    # The same totals as independent draws, handed out by vulnerability: the distribution stays
    # the GGD's, and the most vulnerable get the highest scores.
    totals = sorted(draw_loneliness_total(rng) for _journey in measured)
    ranked = sorted(measured, key=lambda j: j.vulnerability)
    loneliness: list[tuple[Any, ...]] = []
    ladder: list[tuple[Any, ...]] = []
    for journey, total in zip(ranked, totals, strict=True):
        profile = journey.profile
        key = (profile.municipality_id, profile.pk)
        before = min(journey.created.date() + dt.timedelta(days=rng.randint(0, 14)), today)
        loneliness.append((*key, before, recorded_by, *loneliness_row(rng, profile, total, before)))
        rung = rng.choices(range(1, 7), weights=RUNGS[profile.isolation_type])[0]  # type: ignore[index]
        ladder.append((*key, before, recorded_by, rung))
        if journey.started is None or journey.status not in ("active", "ended"):
            continue
        after = journey.started + dt.timedelta(days=rng.randint(180, 365) if journey is not first else 120)
        if journey.ended is not None:
            after = min(after, journey.ended)
        if after >= today or after - journey.started < dt.timedelta(days=90):
            continue
        if journey is not first and rng.random() >= AFTER_SHARE:
            continue
        lower = pick(rng, LOWER_AFTER) if journey is not first else 3
        loneliness.append(
            (*key, after, recorded_by, *loneliness_row(rng, profile, max(0, min(11, total - lower)), after))
        )
        rung = max(1, min(6, rung + (pick(rng, RUNG_STEPS) if journey is not first else 1)))
        ladder.append((*key, after, recorded_by, rung))
    insert_rows(LonelinessMeasurement, LONELINESS_COLUMNS, loneliness)
    insert_rows(LadderMeasurement, LADDER_COLUMNS, ladder)
    ctx.add("loneliness measurements", loneliness)
    ctx.add("ladder measurements", ladder)


def _demo_resident(
    maker: ProfileMaker, user: User, now: dt.datetime
) -> tuple[ResidentProfile, Journey, list[ParticipationType]]:
    """resident@: in an active relation for five months (with supporter@, see support.demo), every consent."""
    profile, _journey, preferred = maker.make(user=user)
    started = now.date() - dt.timedelta(days=150)
    proposed = at(started - dt.timedelta(days=12), maker.rng)
    journey = Journey(profile, "active", proposed - dt.timedelta(days=40), proposed, started, vulnerability=1.5)
    profile.created_at = profile.support_wanted_since = journey.created
    profile.requires_vog = True
    if "nl" not in profile.languages:
        profile.languages = ["nl", *profile.languages]
    return profile, journey, preferred


@step(order=50, name="profiles", label="Deelnemers met toestemming en metingen")
def profiles(ctx: DemoContext) -> None:
    count = PARTICIPANTS.get(ctx.scale.name, PARTICIPANTS["small"])
    now = monday_morning()
    maker = ProfileMaker(ctx, now)
    # The resident logins own profiles: resident@ the first, the extra resident accounts the next ones.
    accounts: list[User] = ctx.get("users:resident")[:count]
    ctx.progress.start(count)
    journeys: list[Journey] = []
    first: Journey | None = None
    for start in range(0, count, BATCH):
        made = []
        for number in range(start, min(count, start + BATCH)):
            user = accounts[number] if number < len(accounts) else None
            made.append(_demo_resident(maker, user, now) if number == 0 and user is not None else maker.make(user=user))
        if start == 0 and accounts:
            first = made[0][1]
        consents = [c for _p, journey, _t in made for c in maker.consents(journey, everything=journey is first)]
        with given_times(ResidentProfile, "created_at"):
            ResidentProfile.objects.bulk_create([profile for profile, _j, _t in made])
        insert_rows(Consent, CONSENT_COLUMNS, [consent.values() for consent in consents])
        through: Any = ResidentProfile.preferred_types.through
        insert_rows(
            through, ("residentprofile", "participationtype"), [(p.pk, t.pk) for p, _j, types in made for t in types]
        )
        journeys += [journey for _p, journey, _t in made]
        ctx.add("profiles", [profile for profile, _j, _t in made])
        ctx.add("consents", consents)
        ctx.progress.advance(len(made))
    measure(ctx, journeys, today=now.date(), first=first)
    ctx.add("journeys", journeys)
