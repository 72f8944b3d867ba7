"""A small world built by hand for the indicator and snapshot tests; every expected number in
tests/monitor/test_indicators_*.py is worked out from the tables below. The period is 2026-Q2
(1 April - 30 June 2026); its previous period is 2026-Q1.

Areas of municipality A (Alfadorp, GM0001; the personas' area plus two new ones):

    WK000101 Centrum Alfa   BU00010101 Oude Haven (personas), BU00010102 Markt
    WK000102 Noord          BU00010201 Vogelbuurt

Catalogue: the defaults (barrier bits cost 0, registration 1, commitment 2, no_host 3, crowded 4,
skills 5, language 6, physical 7, digital 8, distance 9 (relational)); target groups `epa`
(cost|registration|no_host|crowded = 1+2+8+16 = 27) and `rolstoel` (physical|distance = 128+512;
distance is relational, so the monitor uses 128).

Activities (all of Buurthuis De Linde; `mask` = the barrier mask on 30 June 2026):

    name      type              buurt       active                  mask on 30/6   history (changes after a day undo)
    koffie    ontmoeten         Oude Haven  always                  8 (no_host)    1 Jul 00:30: 8 -> 0 (now 0)
    wandelen  bewegen           Oude Haven  always                  0              10 Jul: 0 -> 1 (now 1)
    schilder  creatief          Markt       always                  19             1 Mar: 0 -> 19
    repair    vrijwilligerswerk Vogelbuurt  always                  3              1 May: 19 -> 3, 5 Jul: 3 -> 11,
                                                                                   1 Aug: 11 -> 59
    online    ontmoeten         (no place)  always                  256 (digital)
    bingo     ontmoeten         Markt       from 1 May 2026         0              30 Jun 23:30: 16 -> 0
    breien    creatief          Oude Haven  until 15 May 2026       0
    concept   ontmoeten         Oude Haven  draft                   0
    later     ontmoeten         Vogelbuurt  from 1 Aug 2026         0
    sport     bewegen           Vogelbuurt  always                  59
    moestuin  vrijwilligerswerk Oude Haven  from 1 Apr 2026         0

Domains: koffie eigen_netwerken; wandelen sport_bewegen + gezondheid; schilder kunst_cultuur;
repair elkaar_helpen; online gezondheid; bingo eigen_netwerken; sport sport_bewegen;
moestuin openbare_ruimte.

Profiles (created 15 January 2026 unless said; `monitoring` = a current consent for monitoring):

    key  buurt       isolation            consent                              notes
    p1   Oude Haven  individual           monitoring
    p2   Oude Haven  -                    monitoring
    p3   Markt       collective           monitoring
    p4   Vogelbuurt  social_and_personal  monitoring
    p5   Markt       individual           monitoring
    p6   Vogelbuurt  -                    monitoring
    p7   (none)      individual           monitoring
    p8   Oude Haven  collective           monitoring                           waits for a supporter
    p9   Vogelbuurt  social_and_personal  monitoring                           created 1 Jul 2026 00:30 (local)
    n1   Oude Haven  individual           support only (never monitoring)      has every kind of data
    r1   Markt       individual           monitoring revoked (+ support)       has data; a stale row after revoking
    e1   Vogelbuurt  collective           monitoring, then erased              the anonymous remainder counts
    f1..f6 Oude Haven -                   contact only                         group members, never counted

Sessions (anonymous head count + named profiles; named rows of r1 and e1 become anonymous when
their monitoring consent ends, so the session totals stay):

    2025-11-04 koffie   1 + p2
    2026-02-03 koffie   2 + p1 p4 n1 r1
    2026-03-10 wandelen 0 + p5
    2026-03-31 repair   100
    2026-04-07 koffie   3 + p1 p2 n1
    2026-04-08 wandelen 10 + p7
    2026-05-05 koffie   0 + p3 p5 r1 e1
    2026-05-12 repair   7
    2026-06-01 online   6
    2026-06-10 schilder 4          (+ a stale named row of r1, added after the revocation)
    2026-07-01 repair   50 + p4

Groups (member since / left):
    wandelgroep: p1 (trekker), p4, n1, f1, f2 since 10 Jan; p6 1 May - 15 Jun; p5 from 5 Jul
    kookclub:    p2 (trekker), p3, f3, f4 since 1 Feb; p5 1 Oct 2025 - 1 Mar 2026
    koor:        e1, f1, f2, f3, f4, f5 since 5 Jan; trekker f6 5 Jan - 20 Jun

Support relations (supporters mo, eva, jan; requested_at at noon local unless said):

    rel  participant  supporter  status      requested            started      ended        contacts
    r1   p1           mo         active      2026-03-20 00:30     2026-04-09
    r2   p3           mo         ended       2025-12-01           2026-01-10   2026-05-20
    r3   p4           eva        active      -                    2025-10-01                04-10 05-08 06-02 06-29
                                                                                            (+ 03-20)
    r4   p5           eva        active      2026-03-01           2026-04-01                04-15 06-01
    r5   p7           jan        active      2026-04-01           2026-05-01
    r6   e1           jan        active      2026-01-01           2026-02-01                (03-25, 07-02: outside)
    r7   p2           mo         active      2026-05-01           2026-05-10
    r8   n1           mo         active      2026-04-01           2026-04-15
    r9   r1           eva        active      2026-04-10           2026-04-20
    r10  p1           eva        introduced  -                    -
    r11  p4           jan        ended       -                    2025-06-01   2026-03-15
    r12  p5           jan        active      2026-06-01           2026-07-10

Ladder (rung): p1 10 Jan 2, 1 May 3 | p2 2 Apr 3, 2 May 5 | p3 1 Dec 2025 3, 15 Apr 3, 20 Jun 2 |
p4 1 Feb 1, 1 Apr 1, 15 Jul 4 | p5 1 May 2 | p7 1 Jan 2, 1 Mar 4 | e1 1 Feb 1, 1 Jun 2 | n1 1 Jan 1, 1 May 5.
Loneliness (category): p1 5 Jan ernstig, 1 Jun matig | p2 1 Feb niet, 1 May matig | p3 1 Mar matig,
10 Apr unscored, 15 Jun matig | p4 20 May zeer ernstig | p5 1 Jun 2025 ernstig, 20 Apr zeer ernstig |
e1 1 Jan matig, 1 May niet | n1 1 Jan niet, 1 May ernstig.

Referrals (made at noon local unless said): p1 -> koffie 5 Apr; p1 -> mo 6 Apr; p3 -> kookclub
10 May; p4 -> eva 30 Jun 23:30; p5 -> schilder 1 Jul 00:30; n1 -> koffie 1 May; p7 -> wandelgroep
20 Apr; p2 -> wandelen 31 Mar.

Municipality B has a monitored profile with attendance in the period: never part of A's figures.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django_scopes import scope

from nabij.core.models import District, Municipality, Neighbourhood
from nabij.groups.models import Group, MemberRole, Membership
from nabij.monitor.indicators.cells import Cell
from nabij.monitor.models import Attendance, AttendanceSession
from nabij.monitor.periods import parse_period
from nabij.people import services as people_services
from nabij.people.models import Consent, LadderMeasurement, LonelinessMeasurement, ResidentProfile
from nabij.socialmap.models import (
    AMSTERDAM,
    Activity,
    ActivityStatus,
    BarrierProfileChange,
    BarrierSource,
    Domain,
    ParticipationType,
    TargetGroup,
)
from nabij.support.models import ContactMoment, Referral, Supporter, SupportRelation
from nabij.testing.factories import (
    ActivityFactory,
    DistrictFactory,
    NeighbourhoodFactory,
    OrganisationFactory,
    PlaceFactory,
)
from nabij.testing.personas import Personas
from tests.conftest import SocialMap

PERIOD = parse_period("2026-Q2")
GM = "GM0001"
WK_CENTRUM = "WK000101"
WK_NOORD = "WK000102"
BU_OUDE_HAVEN = "BU00010101"
BU_MARKT = "BU00010102"
BU_VOGELBUURT = "BU00010201"
EVERYONE = ""
INDIVIDUAL = "isolation:individual"
COLLECTIVE = "isolation:collective"
SOCIAL_AND_PERSONAL = "isolation:social_and_personal"
SELF = "de bewoner zelf"

# The barrier bits of the default catalogue.
COST, REGISTRATION, COMMITMENT, NO_HOST, CROWDED, SKILLS, LANGUAGE, PHYSICAL, DIGITAL, DISTANCE = (
    1 << bit for bit in range(10)
)


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def at(text: str, hour: int = 12, minute: int = 0) -> dt.datetime:
    """A moment on a date, local (Europe/Amsterdam) time."""
    return dt.datetime.combine(day(text), dt.time(hour, minute), tzinfo=AMSTERDAM)


Numbers = tuple[float | None, float | None, float | None]


def by_key(cells: Iterable[Cell]) -> dict[tuple[str, str, str], Numbers]:
    """(indicator, area, target group) -> (numerator, denominator, value); a key seen twice is an error."""
    found: dict[tuple[str, str, str], Numbers] = {}
    for cell in cells:
        assert cell.key not in found, f"two cells for {cell.key}"
        found[cell.key] = (cell.numerator, cell.denominator, cell.value)
    return found


@dataclass
class World:
    personas: Personas
    socialmap: SocialMap
    neighbourhoods: dict[str, Neighbourhood] = field(default_factory=dict)
    activities: dict[str, Activity] = field(default_factory=dict)
    profiles: dict[str, ResidentProfile] = field(default_factory=dict)
    groups: dict[str, Group] = field(default_factory=dict)
    supporters: dict[str, Supporter] = field(default_factory=dict)
    relations: dict[str, SupportRelation] = field(default_factory=dict)
    sessions: dict[tuple[str, str], AttendanceSession] = field(default_factory=dict)
    other_profile: ResidentProfile | None = None

    @property
    def a(self) -> Municipality:
        return self.personas.municipality_a


# --- building blocks (rows made directly: the services have their own tests) ---------------------


def add_areas(world: World) -> None:
    a = world.a
    centrum = world.personas.district_a
    noord = DistrictFactory.create(municipality=a, code=WK_NOORD, name="Noord")
    world.neighbourhoods = {
        BU_OUDE_HAVEN: world.personas.neighbourhood_a,
        BU_MARKT: NeighbourhoodFactory.create(district=centrum, code=BU_MARKT, name="Markt"),
        BU_VOGELBUURT: NeighbourhoodFactory.create(district=noord, code=BU_VOGELBUURT, name="Vogelbuurt"),
    }
    assert District.objects.filter(municipality=a).count() == 2


def add_activity(
    world: World,
    name: str,
    type_code: str,
    neighbourhood: str | None,
    mask: int,
    *,
    domains: tuple[str, ...] = (),
    active_from: str | None = None,
    active_until: str | None = None,
    status: str = ActivityStatus.PUBLISHED,
) -> Activity:
    organisation = world.socialmap.organisation
    place = (
        PlaceFactory.create(organisation=organisation, neighbourhood=world.neighbourhoods[neighbourhood])
        if neighbourhood
        else None
    )
    activity = ActivityFactory.create(
        organisation=organisation,
        place=place,
        participation_type=ParticipationType.objects.get(municipality=world.a, code=type_code),
        title=name,
        barrier_mask=mask,
        active_from=day(active_from) if active_from else None,
        active_until=day(active_until) if active_until else None,
        status=status,
    )
    if domains:
        activity.domains.set(Domain.objects.filter(municipality=world.a, code__in=domains))
    world.activities[name] = activity
    return activity


def barrier_change(activity: Activity, when: dt.datetime, old: int, new: int) -> None:
    change = BarrierProfileChange.objects.create(
        municipality=activity.municipality,
        activity=activity,
        old_mask=old,
        new_mask=new,
        source=BarrierSource.DREMPELSCAN,
    )
    BarrierProfileChange.objects.filter(pk=change.pk).update(at=when)  # `at` is auto_now_add


def add_profile(
    world: World,
    key: str,
    neighbourhood: str | None,
    isolation: str,
    *consents: str,
    created: dt.datetime | None = None,
    municipality: Municipality | None = None,
) -> ResidentProfile:
    municipality = municipality or world.a
    profile = ResidentProfile.objects.create(
        municipality=municipality,
        name=f"Bewoner {key}",
        neighbourhood=world.neighbourhoods[neighbourhood] if neighbourhood else None,
        isolation_type=isolation,
    )
    ResidentProfile.objects.filter(pk=profile.pk).update(created_at=created or at("2026-01-15"))
    profile.refresh_from_db()
    given = profile.created_at
    Consent.objects.bulk_create(
        Consent(municipality=municipality, profile=profile, purpose=purpose, given_by=SELF, given_at=given)
        for purpose in consents
    )
    if municipality == world.a:
        world.profiles[key] = profile
    return profile


def add_session(world: World, activity: str, on: str, anonymous: int, named: Iterable[str] = ()) -> AttendanceSession:
    """A session with named rows made directly (also for profiles the service would not name)."""
    act = world.activities[activity]
    profiles = [world.profiles[key] for key in named]
    session = AttendanceSession.objects.create(
        municipality=act.municipality, activity=act, on=day(on), anonymous_count=anonymous, named_count=len(profiles)
    )
    Attendance.objects.bulk_create(
        Attendance(municipality=act.municipality, session=session, activity=act, on=day(on), profile=profile)
        for profile in profiles
    )
    world.sessions[(activity, on)] = session
    return session


def add_member(
    group: Group, profile: ResidentProfile, joined: str, left: str | None = None, role: str = MemberRole.MEMBER
) -> Membership:
    membership = Membership.objects.create(municipality=group.municipality, group=group, profile=profile, role=role)
    Membership.objects.filter(pk=membership.pk).update(joined_at=at(joined), left_at=at(left) if left else None)
    return membership


def add_relation(
    world: World,
    name: str,
    participant: str,
    supporter: str,
    status: str,
    *,
    requested: dt.datetime | None = None,
    started: str | None = None,
    ended: str | None = None,
    contacts: tuple[str, ...] = (),
) -> SupportRelation:
    relation = SupportRelation.objects.create(
        municipality=world.a,
        participant=world.profiles[participant],
        supporter=world.supporters[supporter],
        status=status,
        requested_at=requested,
        started_on=day(started) if started else None,
        ended_on=day(ended) if ended else None,
        end_reason="goal_reached" if ended else "",
    )
    ContactMoment.objects.bulk_create(
        ContactMoment(municipality=world.a, relation=relation, on=day(on), kind="meeting") for on in contacts
    )
    world.relations[name] = relation
    return relation


def add_ladder(world: World, key: str, *measurements: tuple[str, int]) -> None:
    profile = world.profiles[key]
    LadderMeasurement.objects.bulk_create(
        LadderMeasurement(municipality=profile.municipality, profile=profile, measured_on=day(on), rung=rung)
        for on, rung in measurements
    )


def add_loneliness(world: World, key: str, *measurements: tuple[str, str]) -> None:
    """Category "" is a questionnaire with too many missing answers: no score."""
    profile = world.profiles[key]
    LonelinessMeasurement.objects.bulk_create(
        LonelinessMeasurement(
            municipality=profile.municipality,
            profile=profile,
            measured_on=day(on),
            version=6,
            answers=[],
            category=category,
        )
        for on, category in measurements
    )


def add_referral(world: World, key: str, when: dt.datetime, *, to: Activity | Group | Supporter) -> Referral:
    target = {
        "activity": to if isinstance(to, Activity) else None,
        "group": to if isinstance(to, Group) else None,
        "supporter": to if isinstance(to, Supporter) else None,
    }
    referral = Referral.objects.create(
        municipality=world.a, profile=world.profiles[key], referred_by=world.personas.professional, **target
    )
    Referral.objects.filter(pk=referral.pk).update(created_at=when)  # auto_now_add
    return referral


# --- the world ----------------------------------------------------------------------------------


def build_world(personas: Personas, socialmap: SocialMap) -> World:
    """Call inside scope(municipality=A) with the social map's default catalogues (fixtures
    `socialmap`, `scope_a`)."""
    world = World(personas=personas, socialmap=socialmap)
    a = world.a
    add_areas(world)
    TargetGroup.objects.create(municipality=a, code="rolstoel", name_nl="Rolstoelgebruikers", sensitivity_mask=640)
    _add_supply(world)
    _add_people(world)
    _add_attendance(world)
    _add_groups(world)
    _add_support(world)
    _add_measurements(world)
    _add_referrals(world)
    # Consent ends: r1 revokes monitoring (its named rows become anonymous), e1 is erased.
    people_services.consent_revoke(actor=None, profile=world.profiles["r1"], purpose="monitoring")
    people_services.profile_erase(actor=None, profile=world.profiles["e1"])
    world.profiles["e1"].refresh_from_db()
    # A row left behind for r1 (an import that ran late): it must not count either.
    stale = world.sessions[("schilder", "2026-06-10")]
    Attendance.objects.create(
        municipality=a, session=stale, activity=stale.activity, on=stale.on, profile=world.profiles["r1"]
    )
    _add_other_municipality(world)
    return world


def _add_supply(world: World) -> None:
    bu1, bu2, bu3 = BU_OUDE_HAVEN, BU_MARKT, BU_VOGELBUURT
    koffie = add_activity(world, "koffie", "ontmoeten", bu1, 0, domains=("eigen_netwerken",))
    wandelen = add_activity(world, "wandelen", "bewegen", bu1, COST, domains=("sport_bewegen", "gezondheid"))
    schilder = add_activity(
        world, "schilder", "creatief", bu2, COST | REGISTRATION | CROWDED, domains=("kunst_cultuur",)
    )
    repair = add_activity(
        world,
        "repair",
        "vrijwilligerswerk",
        bu3,
        COST | REGISTRATION | NO_HOST | CROWDED | SKILLS,
        domains=("elkaar_helpen",),
    )
    add_activity(world, "online", "ontmoeten", None, DIGITAL, domains=("gezondheid",))
    bingo = add_activity(world, "bingo", "ontmoeten", bu2, 0, domains=("eigen_netwerken",), active_from="2026-05-01")
    add_activity(world, "breien", "creatief", bu1, 0, active_until="2026-05-15")
    add_activity(world, "concept", "ontmoeten", bu1, 0, status=ActivityStatus.DRAFT)
    add_activity(world, "later", "ontmoeten", bu3, 0, active_from="2026-08-01")
    add_activity(
        world, "sport", "bewegen", bu3, COST | REGISTRATION | NO_HOST | CROWDED | SKILLS, domains=("sport_bewegen",)
    )
    add_activity(world, "moestuin", "vrijwilligerswerk", bu1, 0, domains=("openbare_ruimte",), active_from="2026-04-01")
    barrier_change(koffie, at("2026-07-01", 0, 30), NO_HOST, 0)
    barrier_change(wandelen, at("2026-07-10"), 0, COST)
    barrier_change(schilder, at("2026-03-01"), 0, COST | REGISTRATION | CROWDED)
    barrier_change(repair, at("2026-05-01"), COST | REGISTRATION | CROWDED, COST | REGISTRATION)
    barrier_change(repair, at("2026-07-05"), COST | REGISTRATION, COST | REGISTRATION | NO_HOST)
    barrier_change(
        repair, at("2026-08-01"), COST | REGISTRATION | NO_HOST, COST | REGISTRATION | NO_HOST | CROWDED | SKILLS
    )
    barrier_change(bingo, at("2026-06-30", 23, 30), CROWDED, 0)


def _add_people(world: World) -> None:
    bu1, bu2, bu3 = BU_OUDE_HAVEN, BU_MARKT, BU_VOGELBUURT
    for key, buurt, isolation in (
        ("p1", bu1, "individual"),
        ("p2", bu1, ""),
        ("p3", bu2, "collective"),
        ("p4", bu3, "social_and_personal"),
        ("p5", bu2, "individual"),
        ("p6", bu3, ""),
        ("p7", None, "individual"),
        ("p8", bu1, "collective"),
    ):
        add_profile(world, key, buurt, isolation, "monitoring")
    add_profile(world, "p9", bu3, "social_and_personal", "monitoring", created=at("2026-07-01", 0, 30))
    add_profile(world, "n1", bu1, "individual", "support")
    add_profile(world, "r1", bu2, "individual", "monitoring", "support")
    add_profile(world, "e1", bu3, "collective", "monitoring")
    for number in range(1, 7):
        add_profile(world, f"f{number}", bu1, "", "contact")


def _add_attendance(world: World) -> None:
    add_session(world, "koffie", "2025-11-04", 1, ["p2"])
    add_session(world, "koffie", "2026-02-03", 2, ["p1", "p4", "n1", "r1"])
    add_session(world, "wandelen", "2026-03-10", 0, ["p5"])
    add_session(world, "repair", "2026-03-31", 100)
    add_session(world, "koffie", "2026-04-07", 3, ["p1", "p2", "n1"])
    add_session(world, "wandelen", "2026-04-08", 10, ["p7"])
    add_session(world, "koffie", "2026-05-05", 0, ["p3", "p5", "r1", "e1"])
    add_session(world, "repair", "2026-05-12", 7)
    add_session(world, "online", "2026-06-01", 6)
    add_session(world, "schilder", "2026-06-10", 4)
    add_session(world, "repair", "2026-07-01", 50, ["p4"])


def _add_groups(world: World) -> None:
    p = world.profiles
    wandelgroep = Group.objects.create(municipality=world.a, name="Wandelgroep")
    kookclub = Group.objects.create(municipality=world.a, name="Kookclub")
    koor = Group.objects.create(municipality=world.a, name="Koor")
    world.groups = {"wandelgroep": wandelgroep, "kookclub": kookclub, "koor": koor}
    add_member(wandelgroep, p["p1"], "2026-01-10", role=MemberRole.TREKKER)
    for key in ("p4", "n1", "f1", "f2"):
        add_member(wandelgroep, p[key], "2026-01-10")
    add_member(wandelgroep, p["p6"], "2026-05-01", "2026-06-15")
    add_member(wandelgroep, p["p5"], "2026-07-05")
    add_member(kookclub, p["p2"], "2026-02-01", role=MemberRole.TREKKER)
    for key in ("p3", "f3", "f4"):
        add_member(kookclub, p[key], "2026-02-01")
    add_member(kookclub, p["p5"], "2025-10-01", "2026-03-01")
    for key in ("e1", "f1", "f2", "f3", "f4", "f5"):
        add_member(koor, p[key], "2026-01-05")
    add_member(koor, p["f6"], "2026-01-05", "2026-06-20", role=MemberRole.TREKKER)


def _add_support(world: World) -> None:
    for name in ("mo", "eva", "jan"):
        world.supporters[name] = Supporter.objects.create(municipality=world.a, name=name.capitalize())
    rel = add_relation
    rel(world, "r1", "p1", "mo", "active", requested=at("2026-03-20", 0, 30), started="2026-04-09")
    rel(world, "r2", "p3", "mo", "ended", requested=at("2025-12-01"), started="2026-01-10", ended="2026-05-20")
    rel(world, "r3", "p4", "eva", "active", started="2025-10-01", contacts=(
        "2026-03-20", "2026-04-10", "2026-05-08", "2026-06-02", "2026-06-29"
    ))  # fmt: skip
    rel(world, "r4", "p5", "eva", "active", requested=at("2026-03-01"), started="2026-04-01", contacts=(
        "2026-04-15", "2026-06-01"
    ))  # fmt: skip
    rel(world, "r5", "p7", "jan", "active", requested=at("2026-04-01"), started="2026-05-01")
    rel(world, "r6", "e1", "jan", "active", requested=at("2026-01-01"), started="2026-02-01", contacts=(
        "2026-03-25", "2026-07-02"
    ))  # fmt: skip
    rel(world, "r7", "p2", "mo", "active", requested=at("2026-05-01"), started="2026-05-10")
    rel(world, "r8", "n1", "mo", "active", requested=at("2026-04-01"), started="2026-04-15")
    rel(world, "r9", "r1", "eva", "active", requested=at("2026-04-10"), started="2026-04-20")
    rel(world, "r10", "p1", "eva", "introduced")
    rel(world, "r11", "p4", "jan", "ended", started="2025-06-01", ended="2026-03-15")
    rel(world, "r12", "p5", "jan", "active", requested=at("2026-06-01"), started="2026-07-10")


def _add_measurements(world: World) -> None:
    add_ladder(world, "p1", ("2026-01-10", 2), ("2026-05-01", 3))
    add_ladder(world, "p2", ("2026-04-02", 3), ("2026-05-02", 5))
    add_ladder(world, "p3", ("2025-12-01", 3), ("2026-04-15", 3), ("2026-06-20", 2))
    add_ladder(world, "p4", ("2026-02-01", 1), ("2026-04-01", 1), ("2026-07-15", 4))
    add_ladder(world, "p5", ("2026-05-01", 2))
    add_ladder(world, "p7", ("2026-01-01", 2), ("2026-03-01", 4))
    add_ladder(world, "e1", ("2026-02-01", 1), ("2026-06-01", 2))
    add_ladder(world, "n1", ("2026-01-01", 1), ("2026-05-01", 5))
    add_loneliness(world, "p1", ("2026-01-05", "ernstig eenzaam"), ("2026-06-01", "matig eenzaam"))
    add_loneliness(world, "p2", ("2026-02-01", "niet eenzaam"), ("2026-05-01", "matig eenzaam"))
    add_loneliness(world, "p3", ("2026-03-01", "matig eenzaam"), ("2026-04-10", ""), ("2026-06-15", "matig eenzaam"))
    add_loneliness(world, "p4", ("2026-05-20", "zeer ernstig eenzaam"))
    add_loneliness(world, "p5", ("2025-06-01", "ernstig eenzaam"), ("2026-04-20", "zeer ernstig eenzaam"))
    add_loneliness(world, "e1", ("2026-01-01", "matig eenzaam"), ("2026-05-01", "niet eenzaam"))
    add_loneliness(world, "n1", ("2026-01-01", "niet eenzaam"), ("2026-05-01", "ernstig eenzaam"))


def _add_referrals(world: World) -> None:
    act, groups, sup = world.activities, world.groups, world.supporters
    add_referral(world, "p1", at("2026-04-05"), to=act["koffie"])
    add_referral(world, "p1", at("2026-04-06"), to=sup["mo"])
    add_referral(world, "p3", at("2026-05-10"), to=groups["kookclub"])
    add_referral(world, "p4", at("2026-06-30", 23, 30), to=sup["eva"])
    add_referral(world, "p5", at("2026-07-01", 0, 30), to=act["schilder"])
    add_referral(world, "n1", at("2026-05-01"), to=act["koffie"])
    add_referral(world, "p7", at("2026-04-20"), to=groups["wandelgroep"])
    add_referral(world, "p2", at("2026-03-31"), to=act["wandelen"])


def _add_other_municipality(world: World) -> None:
    b = world.personas.municipality_b
    with scope(municipality=b):
        bob = add_profile(world, "bob", None, "individual", "monitoring", municipality=b)
        bob.neighbourhood = world.personas.neighbourhood_b
        bob.save(update_fields=["neighbourhood"])
        activity = ActivityFactory.create(
            organisation=OrganisationFactory.create(municipality=b),
            participation_type=ParticipationType.objects.get(municipality=b, code="ontmoeten"),
        )
        session = AttendanceSession.objects.create(
            municipality=b, activity=activity, on=day("2026-05-05"), anonymous_count=7, named_count=1
        )
        Attendance.objects.create(municipality=b, session=session, activity=activity, on=session.on, profile=bob)
        LadderMeasurement.objects.create(municipality=b, profile=bob, measured_on=day("2026-01-01"), rung=1)
        LadderMeasurement.objects.create(municipality=b, profile=bob, measured_on=day("2026-05-01"), rung=4)
    world.other_profile = bob
