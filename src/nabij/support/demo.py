"""Demo steps of support: supporters with their VOG, support relations with contact moments, and warm
hand-overs (referrals).

Bulk inserts (10,000 supporters at city scale). The relations follow the participants' journeys from
`people.demo`: a supporter is found near the participant, with a language and a moment in the week in
common, room for one more and, for whom it is required, a valid VOG (the rules of the matching
round). Found greedily: demo data need not be an optimum, only plausible. About one in eight
active relations has had no contact for five weeks or more, so the coordinator's signals show.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import defaultdict
from typing import Any

from nabij.accounts.models import User
from nabij.core.models import Neighbourhood
from nabij.demo.registry import DemoContext, step
from nabij.groups.models import Group, Membership
from nabij.people.demo import Journey, People, at, given_times, insert_rows, monday_morning, pick
from nabij.people.models import SLOTS, Consent, ConsentPurpose, ResidentProfile, availability_mask
from nabij.socialmap.models import Activity, ActivityStatus, Theme, barriers_by_code
from nabij.socialmap.search import DETOUR_FACTOR, METRES_PER_DEGREE
from nabij.support.models import (
    VOG_VALID_FOR,
    ContactKind,
    ContactMoment,
    EndReason,
    Referral,
    ReferralStatus,
    RelationStatus,
    Supporter,
    SupporterRole,
    SupportRelation,
    VogStatus,
)

SUPPORTERS = {"small": 50, "city": 10_000}
REFERRALS = {"small": 40, "city": 4_000}
BATCH = 2_000
ROLES = (
    (SupporterRole.MAATJE, 50),
    (SupporterRole.BUDDY, 15),
    (SupporterRole.MENTOR, 12),
    (SupporterRole.ERVARINGSDESKUNDIGE, 13),
    (SupporterRole.VERTROUWENSPERSOON, 10),
)
# VOG: most issued within three years, some expired (renewal advised), some asked for, some none.
VOG = (("valid", 72), ("expired", 10), (VogStatus.REQUESTED, 8), (VogStatus.NONE, 10))
CAPACITY = ((1, 50), (2, 35), (3, 15))
ACTIVE_SHARE = 0.92  # still taking new participants
MAX_DISTANCE_M = 3_000  # as the matching round's default
QUIET_SHARE = 0.12  # of active relations: no contact for 5 to 16 weeks
KINDS = ((ContactKind.MEETING, 40), (ContactKind.TOGETHER, 30), (ContactKind.PHONE, 25), (ContactKind.OTHER, 5))
NOTES = {
    ContactKind.MEETING: ("Koffie gedronken bij de bakker.", "Samen gewandeld in het park.", "Boodschappen gedaan."),
    ContactKind.TOGETHER: ("Samen naar de inloop geweest.", "Mee geweest naar het koor.", "Samen naar de moestuin."),
    ContactKind.PHONE: ("Even gebeld, het gaat goed.", "Geappt over volgende week.", "Gebeld: was ziek, nu beter."),
    ContactKind.OTHER: ("Kaartje gestuurd.", "Samen met de buurvrouw gegeten."),
}
# Why relations ended. After these the participant no longer waits for a supporter ...
ENDED_DONE = ((EndReason.GOAL_REACHED, 65), (EndReason.PARTICIPANT_STOPPED, 35))
# ... and after these they wait again (as the relation services decide).
ENDED_AGAIN = ((EndReason.NO_CLICK, 40), (EndReason.SUPPORTER_STOPPED, 40), (EndReason.OTHER, 20))
LANGUAGE_NAMES = {
    "ar": "Arabisch", "tr": "Turks", "pl": "Pools", "uk": "Oekraïens", "ru": "Russisch", "ti": "Tigrinya",
    "so": "Somalisch", "fa": "Perzisch", "zh": "Chinees", "pt": "Portugees", "es": "Spaans", "en": "Engels",
    "bg": "Bulgaars", "ro": "Roemeens", "de": "Duits", "fr": "Frans", "it": "Italiaans", "id": "Indonesisch",
}  # fmt: skip
PARTS_NL = {"morning": "ochtend", "afternoon": "middag", "evening": "avond"}
DAYS_NL = {
    "mo": "maandag", "tu": "dinsdag", "we": "woensdag", "th": "donderdag", "fr": "vrijdag", "sa": "zaterdag",
    "su": "zondag",
}  # fmt: skip
OPEN = (RelationStatus.PROPOSED, RelationStatus.INTRODUCED, RelationStatus.ACTIVE)


def _vog(rng: random.Random, today: dt.date) -> tuple[str, dt.date | None]:
    kind = pick(rng, VOG)
    valid_days = VOG_VALID_FOR.days
    if kind == "valid":
        # Still valid a month on: the demo's data do not change all week, but the days go by.
        return VogStatus.ISSUED, today - dt.timedelta(days=rng.randint(10, valid_days - 30))
    if kind == "expired":
        return VogStatus.ISSUED, today - dt.timedelta(days=rng.randint(valid_days + 5, 2 * valid_days))
    return kind, None


def make_supporters(ctx: DemoContext, people: People, now: dt.datetime) -> list[Supporter]:
    rng, today = ctx.rng, now.date()
    barriers = barriers_by_code(ctx.municipality)
    lifts = sum(barriers[code].mask for code in ("no_host", "registration") if code in barriers)
    accounts: list[User] = ctx.get("users:supporter")
    made = []
    for number in range(SUPPORTERS.get(ctx.scale.name, SUPPORTERS["small"])):
        user = accounts[number] if number < len(accounts) else None
        origin = people.origin(rng)
        name = f"{rng.choice(origin.first_names)} {rng.choice(origin.surnames)}"
        role = pick(rng, ROLES)
        status, issued = _vog(rng, today)
        supporter = Supporter(
            municipality=ctx.municipality,
            user=user,
            name=user.display_name if user is not None else name,
            role=role,
            vog_status=status,
            vog_issued_on=issued,
            capacity=pick(rng, CAPACITY[:2] if role == SupporterRole.VERTROUWENSPERSOON else CAPACITY),
            availability=people.availability(rng, daytime=0.35, evening=0.5),
            interests=people.interests(rng, "", low=2, high=4),
            # Volunteers nearly all speak Dutch; many also the language of their background.
            languages=people.languages(rng, origin, dutch=0.97),
            neighbourhood=people.neighbourhood(rng),
            lifts_mask=lifts,
            active=rng.random() < ACTIVE_SHARE,
        )
        supporter.created_at = now - dt.timedelta(days=rng.randint(14, 1500), hours=rng.randint(0, 9))
        made.append(supporter)
    if made and accounts:  # supporter@: a maatje with a valid VOG and room for three
        first = made[0]
        first.role, first.vog_status, first.capacity, first.active = SupporterRole.MAATJE, VogStatus.ISSUED, 3, True
        first.vog_issued_on = today - dt.timedelta(days=400)
        first.languages = ["nl", *[code for code in first.languages if code != "nl"]]
        # Wednesday, all day: a moment in common with most people.
        first.availability |= availability_mask(["we-morning", "we-afternoon", "we-evening"])
    return made


class Finder:
    """Supporters by neighbourhood, and the neighbourhoods within walking distance of each."""

    def __init__(self, supporters: list[Supporter], neighbourhoods: list[Neighbourhood], today: dt.date) -> None:
        self.today = today
        self.by_area: dict[int, list[Supporter]] = defaultdict(list)
        for supporter in supporters:
            self.by_area[supporter.neighbourhood_id or 0].append(supporter)
        self.free = {id(s): s.capacity for s in supporters}
        self.near: dict[int, list[int]] = {}
        for here in neighbourhoods:
            distances = sorted((_walk_m(here, there), there.pk) for there in neighbourhoods)
            self.near[here.pk] = [pk for metres, pk in distances if metres <= MAX_DISTANCE_M]

    def find(
        self, rng: random.Random, profile: ResidentProfile, *, new: bool, takes_room: bool, strict: bool = True
    ) -> Supporter | None:
        """A fitting supporter near `profile`, preferring shared interests; None if nobody fits."""
        areas = self.near.get(profile.neighbourhood_id or 0, [])
        if not strict:
            areas = [*areas, *(a for a in self.by_area if a not in areas)]
        spoken = set(profile.languages)
        found: list[tuple[float, int, Supporter]] = []
        for area in areas:
            pool = self.by_area.get(area, [])
            offset = rng.randrange(len(pool)) if pool else 0  # from a random place in the list on
            for index in range(len(pool)):
                supporter = pool[(index + offset) % len(pool)]
                if takes_room and self.free[id(supporter)] <= 0:
                    continue
                if new and not supporter.active:
                    continue
                if profile.requires_vog and not (
                    supporter.vog_status == VogStatus.ISSUED and (not takes_room or supporter.vog_valid_on(self.today))
                ):
                    continue
                if not spoken & set(supporter.languages):
                    continue
                if strict and not profile.availability & supporter.availability:
                    continue
                shared = len(set(profile.interests) & set(supporter.interests))
                found.append((shared + rng.random(), len(found), supporter))
                if len(found) >= 6:
                    break
            if len(found) >= 6:
                break
        if not found:
            return None if not strict else self.find(rng, profile, new=new, takes_room=takes_room, strict=False)
        chosen = max(found)[2]
        if takes_room:
            self.free[id(chosen)] -= 1
        return chosen


def _walk_m(a: Neighbourhood, b: Neighbourhood) -> float:
    if None in (a.centroid_lat, a.centroid_lon, b.centroid_lat, b.centroid_lon):
        return math.inf
    dx = (b.centroid_lon - a.centroid_lon) * METRES_PER_DEGREE * math.cos(math.radians(a.centroid_lat))
    dy = (b.centroid_lat - a.centroid_lat) * METRES_PER_DEGREE
    return math.hypot(dx, dy) * DETOUR_FACTOR


def explanation(profile: ResidentProfile, supporter: Supporter, areas: dict[int, str], themes: dict[str, str]) -> str:
    """Why this pair, in plain Dutch, as the matching round words it."""
    parts = []
    if profile.neighbourhood_id == supporter.neighbourhood_id:
        parts.append(f"Jullie wonen allebei in {areas.get(profile.neighbourhood_id or 0, 'dezelfde buurt')}.")
    else:
        parts.append("Jullie wonen dicht bij elkaar.")
    shared = [themes.get(code, code).lower() for code in profile.interests if code in supporter.interests]
    if shared:
        parts.append(f"Jullie houden allebei van {' en '.join(shared[:2])}.")
    language = next((code for code in profile.languages if code != "nl" and code in supporter.languages), None)
    if language:
        parts.append(f"Jullie spreken allebei {LANGUAGE_NAMES.get(language, language)}.")
    common = profile.availability & supporter.availability
    if common:
        day, part = SLOTS[(common & -common).bit_length() - 1].split("-")
        parts.append(f"Jullie kunnen allebei op {DAYS_NL[day]}{PARTS_NL[part]}.")
    return " ".join(parts)


class RelationMaker:
    def __init__(self, ctx: DemoContext, finder: Finder, now: dt.datetime) -> None:
        self.rng, self.finder, self.now, self.today = ctx.rng, finder, now, now.date()
        # Waiting times draw from their own stream, so the relations stay what they were before.
        self.waits = random.Random(f"{ctx.seed}-waits")  # noqa: S311 (demo data, not security)
        self.municipality = ctx.municipality
        self.coordinator: User | None = next(iter(ctx.get("users:coordinator")), None)
        self.areas = {n.pk: n.name for n in ctx.get("neighbourhoods")}
        self.themes = dict(Theme.objects.filter(municipality=ctx.municipality).values_list("code", "label_nl"))
        self.relations: list[SupportRelation] = []
        self.contacts: list[tuple[SupportRelation, dt.date, str, str, int | None, dt.datetime]] = []

    def relation(
        self,
        profile: ResidentProfile,
        supporter: Supporter,
        status: str,
        proposed: dt.datetime,
        started: dt.date | None = None,
        ended: dt.date | None = None,
        reason: str = "",
        quiet_weeks: int = 0,
    ) -> SupportRelation:
        rng = self.rng
        relation = SupportRelation(
            municipality=self.municipality,
            participant=profile,
            supporter=supporter,
            status=status,
            explanation=explanation(profile, supporter, self.areas, self.themes),
            proposed_at=proposed,
            requested_at=proposed - dt.timedelta(days=self.waits.randint(3, 90)),
            started_on=started,
            ended_on=ended,
            end_reason=reason,
            created_by=self.coordinator,
        )
        self.relations.append(relation)
        # The supporter joined before their first relation was proposed.
        first_day = proposed - dt.timedelta(days=rng.randint(14, 120))
        supporter.created_at = min(supporter.created_at, first_day)
        if status == RelationStatus.INTRODUCED:
            met = min(proposed.date() + dt.timedelta(days=rng.randint(3, 14)), self.today - dt.timedelta(days=1))
            self._contact(relation, met, ContactKind.MEETING, "Kennisgemaakt.")
        elif started is not None:
            last = ended or self.today - dt.timedelta(days=1 + 7 * quiet_weeks)
            every = rng.randint(10, 28)  # how often this pair meets or calls, in days
            day = started
            self._contact(relation, day, ContactKind.MEETING, "Kennisgemaakt.")
            while True:
                day += dt.timedelta(days=max(1, round(rng.gauss(every, every / 3))))
                if day > last:
                    break
                kind = pick(rng, KINDS)
                self._contact(relation, day, kind, rng.choice(NOTES[kind]) if rng.random() < 0.25 else "")
        return relation

    def _contact(self, relation: SupportRelation, day: dt.date, kind: str, note: str) -> None:
        # A row, not a model: a city has a quarter of a million of them (see insert_rows).
        logged = min(self.now, at(day, self.rng) + dt.timedelta(hours=2))
        self.contacts.append((relation, day, kind, note, relation.supporter.user_id, logged))

    def journey(self, journey: Journey) -> None:
        """The relations of one journey. When nobody fits, there is no relation: the participant asked
        for support (`support_wanted_since`), so they are on the waiting list instead."""
        rng, profile = self.rng, journey.profile
        if journey.earlier is not None:
            proposed, started, ended = journey.earlier
            earlier = self.finder.find(rng, profile, new=False, takes_room=False)
            if earlier is not None:
                self.relation(profile, earlier, RelationStatus.ENDED, proposed, started, ended, pick(rng, ENDED_AGAIN))
        if journey.status not in (*OPEN, RelationStatus.ENDED) or journey.proposed is None:
            return
        is_open = journey.status in OPEN
        supporter = self.finder.find(rng, profile, new=journey.status != RelationStatus.ACTIVE, takes_room=is_open)
        if supporter is None:
            return
        reason = ""
        if journey.status == RelationStatus.ENDED:
            reason = EndReason.CONSENT_REVOKED if journey.consent_revoked else pick(rng, ENDED_DONE)
        quiet = rng.randint(5, 16) if journey.status == RelationStatus.ACTIVE and rng.random() < QUIET_SHARE else 0
        self.relation(
            profile, supporter, journey.status, journey.proposed, journey.started, journey.ended, reason, quiet
        )


def _demo_supporter(maker: RelationMaker, supporter: Supporter, journeys: list[Journey]) -> set[int]:
    """supporter@ has resident@ (active), one more active participant nearby who has not been seen
    for six weeks (a signal), and one just introduced. Returns the journeys it handled."""
    resident = journeys[0]
    if resident.profile.user is None or resident.status != RelationStatus.ACTIVE:
        return set()
    near = set(maker.finder.near.get(resident.profile.neighbourhood_id or 0, []))
    chosen = [(resident, 0)]
    for status, quiet in ((RelationStatus.ACTIVE, 6), (RelationStatus.INTRODUCED, 0)):
        other = next(
            (
                j
                for j in journeys[1:]
                if j.status == status
                and j.earlier is None
                and j.profile.neighbourhood_id in near
                and "nl" in j.profile.languages
            ),
            None,
        )
        if other is not None:
            chosen.append((other, quiet))
    for journey, quiet in chosen:
        assert journey.proposed is not None
        maker.relation(journey.profile, supporter, journey.status, journey.proposed, journey.started, quiet_weeks=quiet)
        maker.finder.free[id(supporter)] -= 1
    return {id(journey) for journey, _quiet in chosen}


@step(order=60, name="support", label="Maatjes, steunrelaties en contactmomenten")
def support(ctx: DemoContext) -> None:
    rng, now = ctx.rng, monday_morning()
    people = People(ctx)
    journeys: list[Journey] = ctx.get("journeys")
    ctx.progress.start(len(journeys) + 1)
    supporters = make_supporters(ctx, people, now)
    if journeys and supporters and ctx.get("users:supporter"):
        supporters[0].neighbourhood = journeys[0].profile.neighbourhood  # supporter@ lives near resident@
    finder = Finder(supporters, ctx.get("neighbourhoods"), now.date())
    maker = RelationMaker(ctx, finder, now)
    handled = _demo_supporter(maker, supporters[0], journeys) if ctx.get("users:supporter") and supporters else set()
    # Open relations first: they need room; then the ones that ended.
    ordered = sorted(journeys, key=lambda j: (j.status not in OPEN, rng.random()))
    for number, journey in enumerate(ordered, start=1):
        if id(journey) not in handled:
            maker.journey(journey)
        if number % BATCH == 0:
            ctx.progress.advance(BATCH)
    with given_times(Supporter, "created_at"):
        Supporter.objects.bulk_create(supporters, batch_size=BATCH)
    with given_times(SupportRelation, "proposed_at"):
        SupportRelation.objects.bulk_create(maker.relations, batch_size=BATCH)
    municipality = ctx.municipality.pk
    insert_rows(
        ContactMoment,
        ("municipality", "relation", "on", "kind", "note", "logged_by", "logged_at"),
        [(municipality, relation.pk, *rest) for relation, *rest in maker.contacts],
    )
    ctx.add("supporters", supporters)
    ctx.add("relations", maker.relations)
    ctx.add("contact moments", maker.contacts)
    ctx.progress.advance(len(journeys) % BATCH + 1)


# --- referrals ---------------------------------------------------------------------------------

TARGETS = (("activity", 50), ("group", 25), ("supporter", 25))
STATUSES = (
    (ReferralStatus.PROPOSED, 25),
    (ReferralStatus.INTRODUCED, 20),
    (ReferralStatus.PARTICIPATING, 35),
    (ReferralStatus.STOPPED, 20),
)
FROM_RELATION = {
    RelationStatus.PROPOSED: ReferralStatus.PROPOSED,
    RelationStatus.INTRODUCED: ReferralStatus.INTRODUCED,
    RelationStatus.ACTIVE: ReferralStatus.PARTICIPATING,
    RelationStatus.ENDED: ReferralStatus.STOPPED,
}
NEEDS = {  # what the receiver should know, from the resident's barriers
    "cost": "Heeft weinig geld: noem de gratis plek.",
    "crowded": "Vindt drukte lastig: een rustige plek helpt.",
    "no_host": "Vang de bewoner bij de deur op, de eerste keer.",
    "language": "Spreekt weinig Nederlands: praat langzaam en in korte zinnen.",
    "registration": "Aanmelden lukt niet goed alleen: help daarbij.",
    "physical": "Loopt slecht: een stoel dicht bij de deur helpt.",
}
OUTCOMES = (
    "Gaat nu zelf, elke week.",
    "Paste niet: het was te druk.",
    "Gestopt door ziekte.",
    "Verhuisd naar een andere wijk.",
    "Heeft via de groep vrijwilligerswerk gevonden.",
)


class ReferralMaker:
    def __init__(self, ctx: DemoContext, now: dt.datetime) -> None:
        self.rng, self.now, self.municipality = ctx.rng, now, ctx.municipality
        self.professional: User | None = next(iter(ctx.get("users:professional")), None)
        self.bits = {b.mask: code for code, b in barriers_by_code(ctx.municipality).items() if code in NEEDS}
        activities = Activity.objects.filter(status=ActivityStatus.PUBLISHED, place__isnull=False).order_by("uid")
        self.activities: dict[int, list[int]] = defaultdict(list)
        for pk, area in activities.values_list("pk", "place__neighbourhood_id"):
            self.activities[area or 0].append(pk)
        self.all_activities = [pk for pks in self.activities.values() for pk in pks]

    def make(self, profile: ResidentProfile, window: tuple[dt.datetime, dt.datetime], **target: Any) -> Referral:
        rng = self.rng
        status = target.pop("status", None) or pick(rng, STATUSES)
        given, until = window
        created = given + (until - given) * rng.uniform(0.05, 0.9)
        needs = [NEEDS[code] for bit, code in self.bits.items() if profile.barrier_mask & bit]
        referral = Referral(
            municipality=self.municipality,
            profile=profile,
            referred_by=self.professional,
            status=status,
            note=" ".join(rng.sample(needs, min(2, len(needs)))),
            outcome=rng.choice(OUTCOMES) if status == ReferralStatus.STOPPED else "",
            created_at=created,
            updated_at=min(self.now, created + dt.timedelta(days=rng.randint(0, 40))),
            **target,
        )
        return referral

    def activity(self, profile: ResidentProfile) -> int | None:
        nearby = self.activities.get(profile.neighbourhood_id or 0) or self.all_activities
        return self.rng.choice(nearby) if nearby else None


@step(order=80, name="referrals", label="Warme overdrachten")
def referrals(ctx: DemoContext) -> None:
    rng, now = ctx.rng, monday_morning()
    count = REFERRALS.get(ctx.scale.name, REFERRALS["small"])
    ctx.progress.start(count)
    maker = ReferralMaker(ctx, now)
    # Only who consented to a hand-over; a revoked consent pauses what was still open.
    windows: dict[int, tuple[dt.datetime, dt.datetime]] = {}
    for profile_id, given, revoked in (
        Consent.objects.filter(purpose=ConsentPurpose.REFERRAL)
        .order_by("given_at", "pk")
        .values_list("profile_id", "given_at", "revoked_at")
    ):
        windows[profile_id] = (given, revoked or now)
    profiles = {p.pk: p for p in ctx.get("profiles") if p.pk in windows}
    relations = [r for r in ctx.get("relations") if r.participant_id in profiles]
    memberships: list[Membership] = [m for m in ctx.get("memberships") if m.profile_id in profiles]
    groups: list[Group] = [g for g in ctx.get("groups") if g.status != "ended"]
    made: list[Referral] = []
    first = next(iter(ctx.get("profiles")), None)
    if first is not None and first.user is not None and first.pk in windows:
        pk = maker.activity(first)
        if pk is not None:  # resident@ was handed over to an activity and goes there now
            made.append(maker.make(first, windows[first.pk], activity_id=pk, status=ReferralStatus.PARTICIPATING))
    keys = sorted(profiles)
    for _attempt in range(5 * count if keys else 0):
        if len(made) >= count:
            break
        target = pick(rng, TARGETS)
        if target == "supporter" and relations:
            relation = relations.pop(rng.randrange(len(relations)))
            window = (
                windows[relation.participant_id][0],
                min(windows[relation.participant_id][1], relation.proposed_at),
            )
            if window[1] <= window[0]:
                continue
            status = FROM_RELATION[relation.status]
            made.append(maker.make(relation.participant, window, supporter=relation.supporter, status=status))
        elif target == "group" and (memberships or groups):
            if memberships and rng.random() < 0.7:
                member = memberships.pop(rng.randrange(len(memberships)))
                status = ReferralStatus.STOPPED if member.left_at else ReferralStatus.PARTICIPATING
                window = (windows[member.profile_id][0], min(windows[member.profile_id][1], member.joined_at))
                if window[1] > window[0]:
                    made.append(maker.make(profiles[member.profile_id], window, group=member.group, status=status))
            elif groups:
                profile = profiles[rng.choice(keys)]
                status = rng.choice((ReferralStatus.PROPOSED, ReferralStatus.INTRODUCED))
                made.append(maker.make(profile, windows[profile.pk], group=rng.choice(groups), status=status))
        else:
            profile = profiles[rng.choice(keys)]
            pk = maker.activity(profile)
            if pk is not None:
                made.append(maker.make(profile, windows[profile.pk], activity_id=pk))
    for referral in made:
        revoked = windows[referral.profile.pk][1]
        if revoked < now and referral.status in (ReferralStatus.PROPOSED, ReferralStatus.INTRODUCED):
            referral.paused_at = revoked
    with given_times(Referral, "created_at", "updated_at"):
        Referral.objects.bulk_create(made, batch_size=BATCH)
    ctx.add("referrals", made)
    ctx.progress.advance(count)
