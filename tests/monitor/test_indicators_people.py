"""People indicators on the hand-built world of tests/monitor/world.py, for 2026-Q2: activism,
access, retention and flows, outcomes and professionals' hand-overs. Expected values are worked
out in the comments from the world's tables; the privacy rules (who the monitor may count) are
tested by changing consents and seeing the numbers move exactly as the definitions say."""

from __future__ import annotations

import pytest

from nabij.groups.models import Membership
from nabij.monitor.areas import area_tree
from nabij.monitor.indicators.cells import Cell
from nabij.monitor.indicators.people import (
    People,
    access_cells,
    activism_cells,
    flow_cells,
    load_people,
    outcome_cells,
    referral_cells,
)
from nabij.monitor.models import Attendance, AttendanceSession
from nabij.people import services as people_services
from nabij.support.models import SupportRelation
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.monitor.world import (
    BU_MARKT,
    BU_OUDE_HAVEN,
    BU_VOGELBUURT,
    COLLECTIVE,
    EVERYONE,
    GM,
    INDIVIDUAL,
    PERIOD,
    SELF,
    SOCIAL_AND_PERSONAL,
    WK_CENTRUM,
    WK_NOORD,
    Numbers,
    World,
    add_member,
    add_profile,
    at,
    build_world,
    by_key,
    day,
)

Cells = dict[tuple[str, str, str], Numbers]


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> World:
    return build_world(personas, socialmap)


def crowd(world: World) -> People:
    return load_people(world.a, PERIOD, area_tree(world.a))


def people_cells(world: World) -> Cells:
    a, people = world.a, crowd(world)
    cells: list[Cell] = [
        *activism_cells(a, people),
        *access_cells(a, people),
        *flow_cells(people),
        *outcome_cells(a, people),
        *referral_cells(a, people),
    ]
    return by_key(cells)


def pct(numerator: float, denominator: float) -> Numbers:
    return (numerator, denominator, round(100.0 * numerator / denominator, 1) if denominator else None)


def count(n: float) -> Numbers:
    return (n, None, n)


def figure(value: float | None, cases: int) -> Numbers:
    return (cases, None, value)


def test_the_monitor_population(world: World) -> None:
    """Current monitoring consent, plus e1's anonymous remainder; never n1 (no consent), r1
    (revoked), the fillers (contact only) or municipality B's bob."""
    people = crowd(world)
    keys = {key for key, profile in world.profiles.items() if profile.pk in people.row}
    assert keys == {"p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8", "p9", "e1"}
    assert world.other_profile is not None and world.other_profile.pk not in people.row
    # r1's and e1's named rows became anonymous heads; only the stale row of r1 is left.
    assert not Attendance.objects.filter(profile=world.profiles["e1"]).exists()
    assert Attendance.objects.filter(profile=world.profiles["r1"]).count() == 1
    session = AttendanceSession.objects.get(activity=world.activities["koffie"], on=day("2026-05-05"))
    assert (session.named_count, session.anonymous_count) == (2, 2)  # p3, p5 named; r1, e1 now heads


def test_activism(world: World) -> None:
    cells = people_cells(world)
    # On 30 June: wandelgroep has p1 (trekker), p4, n1, f1, f2 = 5 with a trekker: binding (p6 left
    # on 15 June, p5 joins in July). kookclub has 4 (too small); koor has 6 but its trekker left.
    # Participants (named attendance in Q2 or a membership in Q2): attended p1 p2 p3 p5 p7;
    # members p1 p4 p6 (wandelgroep), p2 p3 (kookclub), e1 (koor) → p1..p7 + e1 = 8 (p5's kookclub
    # membership ended on 1 March; n1 is not monitored).
    # In the binding group at any time in Q2: p1, p4, p6 = 3.
    assert cells[("activism", GM, EVERYONE)] == pct(3, 8)  # 37.5
    assert cells[("activism", WK_CENTRUM, EVERYONE)] == pct(1, 4)  # p1 / p1 p2 p3 p5 = 25.0
    assert cells[("activism", BU_OUDE_HAVEN, EVERYONE)] == pct(1, 2)  # p1 / p1 p2
    assert cells[("activism", BU_MARKT, EVERYONE)] == pct(0, 2)  # - / p3 p5
    assert cells[("activism", WK_NOORD, EVERYONE)] == pct(2, 3)  # p4 p6 / p4 p6 e1 = 66.7
    assert cells[("activism", BU_VOGELBUURT, EVERYONE)] == pct(2, 3)
    assert cells[("activism", GM, INDIVIDUAL)] == pct(1, 3)  # p1 / p1 p5 p7 = 33.3
    assert cells[("activism", GM, COLLECTIVE)] == pct(0, 2)  # - / p3 e1
    assert cells[("activism", GM, SOCIAL_AND_PERSONAL)] == pct(1, 1)  # p4
    assert cells[("activism", WK_NOORD, COLLECTIVE)] == pct(0, 1)  # e1


def test_activism_counts_groups_of_5_to_10_on_the_last_day(world: World) -> None:
    wandelgroep = world.groups["wandelgroep"]
    extra = [add_profile(world, f"g{n}", BU_OUDE_HAVEN, "", "contact") for n in range(6)]
    # 5 + 5 members on 30 June (the last one joins that day): 10, still binding → 3 of 8 as before.
    for n, profile in enumerate(extra[:5]):
        add_member(wandelgroep, profile, "2026-06-30" if n == 4 else "2026-03-01")
    assert people_cells(world)[("activism", GM, EVERYONE)] == pct(3, 8)
    # An 11th member, even one who joined after the period, does not count on 30 June ...
    add_member(wandelgroep, extra[5], "2026-07-01")
    assert people_cells(world)[("activism", GM, EVERYONE)] == pct(3, 8)
    # ... but one since June does: 11 is too many to bind, so nobody is in a binding group.
    Membership.objects.filter(group=wandelgroep, profile=extra[5]).update(joined_at=at("2026-06-01"))
    assert people_cells(world)[("activism", GM, EVERYONE)] == pct(0, 8)


def test_access_support(world: World) -> None:
    cells = people_cells(world)
    # Vulnerable (an isolation type, created by 30 June): p1 p3 p4 p5 p7 p8 e1 = 7; not p9, created
    # on 1 July 00:30 local time (30 June 22:30 UTC).
    # With a relation active on a day of Q2 (status active or ended, started by 30 June, not ended
    # before 1 April): p1 (r1), p3 (r2), p4 (r3), p5 (r4), p7 (r5), e1 (r6) = 6; p8 waits.
    # Not: r10 (introduced, not started), r11 (ended 15 March), r12 (starts 10 July).
    assert cells[("access_support", GM, EVERYONE)] == pct(6, 7)  # 85.7
    assert cells[("access_support", WK_CENTRUM, EVERYONE)] == pct(3, 4)  # p1 p3 p5 / + p8
    assert cells[("access_support", BU_OUDE_HAVEN, EVERYONE)] == pct(1, 2)  # p1 / p1 p8
    assert cells[("access_support", BU_MARKT, EVERYONE)] == pct(2, 2)  # p3 p5
    assert cells[("access_support", WK_NOORD, EVERYONE)] == pct(2, 2)  # p4 e1 (not p9)
    assert cells[("access_support", GM, INDIVIDUAL)] == pct(3, 3)  # p1 p5 p7
    assert cells[("access_support", GM, COLLECTIVE)] == pct(2, 3)  # p3 e1 / + p8 = 66.7
    assert cells[("access_support", GM, SOCIAL_AND_PERSONAL)] == pct(1, 1)  # p4 (not p9)
    assert cells[("access_support", BU_OUDE_HAVEN, COLLECTIVE)] == pct(0, 1)  # p8


def test_access_time_to_match(world: World) -> None:
    cells = people_cells(world)
    # Relations that started in Q2, days from the request (its local date) to the start:
    #   r1 p1 (Oude Haven, individual): 20 March 00:30 → 9 April = 20 days (19 March in UTC!)
    #   r4 p5 (Markt, individual):      1 March → 1 April = 31
    #   r5 p7 (no buurt, individual):   1 April → 1 May = 30
    #   r7 p2 (Oude Haven, -):          1 May → 10 May = 9
    # Not r8 (n1) and r9 (r1): not monitored. r3 has no request date; r2 and r6 started before Q2.
    assert cells[("access_time_to_match", GM, EVERYONE)] == figure(25.0, 4)  # median of 9 20 30 31
    assert cells[("access_time_to_match", WK_CENTRUM, EVERYONE)] == figure(20.0, 3)  # 9 20 31
    assert cells[("access_time_to_match", BU_OUDE_HAVEN, EVERYONE)] == figure(14.5, 2)  # (9 + 20) / 2
    assert cells[("access_time_to_match", BU_MARKT, EVERYONE)] == figure(31.0, 1)
    assert cells[("access_time_to_match", WK_NOORD, EVERYONE)] == figure(None, 0)
    assert cells[("access_time_to_match", GM, INDIVIDUAL)] == figure(30.0, 3)  # 20 30 31
    assert cells[("access_time_to_match", GM, COLLECTIVE)] == figure(None, 0)


def test_access_contact_continuity(world: World) -> None:
    cells = people_cells(world)
    # Active from 1 April to 30 June: r3 (p4), r4 (p5, started on 1 April), r6 (e1). Gaps from
    # 1 April over the contacts in Q2 to 30 June, limit 4 weeks = 28 days:
    #   r3: 9, 28, 25, 27, 1 → longest 28: steady (not longer than 28)
    #   r4: 14, 47, 29 → not
    #   r6: no contact in Q2 (25 March and 2 July are outside) → 90 → not
    assert cells[("access_contact_continuity", GM, EVERYONE)] == pct(1, 3)  # 33.3
    assert cells[("access_contact_continuity", WK_CENTRUM, EVERYONE)] == pct(0, 1)  # r4
    assert cells[("access_contact_continuity", BU_OUDE_HAVEN, EVERYONE)] == pct(0, 0)
    assert cells[("access_contact_continuity", WK_NOORD, EVERYONE)] == pct(1, 2)  # r3 / r3 r6
    assert cells[("access_contact_continuity", GM, SOCIAL_AND_PERSONAL)] == pct(1, 1)
    assert cells[("access_contact_continuity", GM, INDIVIDUAL)] == pct(0, 1)
    assert cells[("access_contact_continuity", GM, COLLECTIVE)] == pct(0, 1)


def test_access_contact_continuity_counts_a_gap_of_29_days_as_too_long(world: World) -> None:
    # Without r3's contact of 29 June: gaps 9, 28, 25, 28 (2 → 30 June): still steady. With the one
    # of 2 June moved to 1 June: 8 May → 1 June = 24, 1 → 30 June = 29: too long.
    r3 = world.relations["r3"]
    r3.contacts.filter(on=day("2026-06-29")).delete()
    assert people_cells(world)[("access_contact_continuity", GM, SOCIAL_AND_PERSONAL)] == pct(1, 1)
    r3.contacts.filter(on=day("2026-06-02")).update(on=day("2026-06-01"))
    assert people_cells(world)[("access_contact_continuity", GM, SOCIAL_AND_PERSONAL)] == pct(0, 1)


def test_relation_duration(world: World) -> None:
    cells = people_cells(world)
    # Relations active on a day of Q2, days from the start to 30 June (or their end, if earlier):
    #   r1 p1 9 Apr → 82;  r2 p3 10 Jan → 20 May = 130;  r3 p4 1 Oct 2025 → 272;  r4 p5 1 Apr → 90;
    #   r5 p7 1 May → 60;  r6 e1 1 Feb → 149;  r7 p2 10 May → 51
    assert cells[("relation_duration", GM, EVERYONE)] == figure(90.0, 7)  # 51 60 82 [90] 130 149 272
    assert cells[("relation_duration", WK_CENTRUM, EVERYONE)] == figure(86.0, 4)  # 51 82 90 130
    assert cells[("relation_duration", BU_OUDE_HAVEN, EVERYONE)] == figure(66.5, 2)  # 51 82
    assert cells[("relation_duration", BU_MARKT, EVERYONE)] == figure(110.0, 2)  # 90 130
    assert cells[("relation_duration", WK_NOORD, EVERYONE)] == figure(210.5, 2)  # 149 272
    assert cells[("relation_duration", GM, INDIVIDUAL)] == figure(82.0, 3)  # 60 82 90
    assert cells[("relation_duration", GM, COLLECTIVE)] == figure(139.5, 2)  # 130 149
    assert cells[("relation_duration", GM, SOCIAL_AND_PERSONAL)] == figure(272.0, 1)


def test_retention_and_flows(world: World) -> None:
    cells = people_cells(world)
    # Named attendance of monitored profiles: Q2 p1 p2 p3 p5 p7; Q1 p1 p4 p5; before Q2 ever: p1 p2 p5.
    # (n1 came in both quarters and r1 has a stale row in June: neither is monitored.)
    # retention: in Q1 and Q2 / in Q1 = p1 p5 / p1 p4 p5
    assert cells[("retention", GM, EVERYONE)] == pct(2, 3)  # 66.7
    assert cells[("retention", WK_CENTRUM, EVERYONE)] == pct(2, 2)  # p1 p5
    assert cells[("retention", BU_OUDE_HAVEN, EVERYONE)] == pct(1, 1)
    assert cells[("retention", WK_NOORD, EVERYONE)] == pct(0, 1)  # p4
    assert cells[("retention", BU_VOGELBUURT, EVERYONE)] == pct(0, 1)
    assert cells[("retention", GM, INDIVIDUAL)] == pct(2, 2)
    assert cells[("retention", GM, SOCIAL_AND_PERSONAL)] == pct(0, 1)
    assert cells[("retention", GM, COLLECTIVE)] == pct(0, 0)  # value None: no base
    # new participants: first named attendance ever in Q2 = p3, p7 (p2 came in November 2025)
    assert cells[("new_participants", GM, EVERYONE)] == count(2)
    assert cells[("new_participants", WK_CENTRUM, EVERYONE)] == count(1)  # p3 (p7 has no buurt)
    assert cells[("new_participants", BU_MARKT, EVERYONE)] == count(1)
    assert cells[("new_participants", BU_OUDE_HAVEN, EVERYONE)] == count(0)
    assert cells[("new_participants", GM, INDIVIDUAL)] == count(1)  # p7
    assert cells[("new_participants", GM, COLLECTIVE)] == count(1)  # p3
    # inflow: in Q2, not in Q1 = p2, p3, p7
    assert cells[("inflow", GM, EVERYONE)] == count(3)
    assert cells[("inflow", WK_CENTRUM, EVERYONE)] == count(2)  # p2 p3
    assert cells[("inflow", BU_OUDE_HAVEN, EVERYONE)] == count(1)
    assert cells[("inflow", WK_NOORD, EVERYONE)] == count(0)
    assert cells[("inflow", GM, INDIVIDUAL)] == count(1)  # p7
    # outflow: in Q1, not in Q2 = p4 (its July visit is in Q3)
    assert cells[("outflow", GM, EVERYONE)] == count(1)
    assert cells[("outflow", WK_NOORD, EVERYONE)] == count(1)
    assert cells[("outflow", BU_VOGELBUURT, EVERYONE)] == count(1)
    assert cells[("outflow", WK_CENTRUM, EVERYONE)] == count(0)
    assert cells[("outflow", GM, SOCIAL_AND_PERSONAL)] == count(1)


def test_ladder_movement(world: World) -> None:
    cells = people_cells(world)
    # Latest rung by 30 June, in Q2, against the measurement before it:
    #   p1 2 → 3 up;  p2 3 → 5 up (both in Q2);  p3 3 → 2 down;  p4 1 → 1 same (July's 4 is later);
    #   e1 1 → 2 up (the erased remainder keeps its scores). Not: p5 (one measurement), p7 (none in Q2),
    #   n1 (not monitored).
    assert cells[("ladder_movement.up", GM, EVERYONE)] == pct(3, 5)  # 60.0
    assert cells[("ladder_movement.same", GM, EVERYONE)] == pct(1, 5)  # 20.0
    assert cells[("ladder_movement.down", GM, EVERYONE)] == pct(1, 5)
    assert cells[("ladder_movement.up", WK_CENTRUM, EVERYONE)] == pct(2, 3)  # p1 p2 / p1 p2 p3 = 66.7
    assert cells[("ladder_movement.down", WK_CENTRUM, EVERYONE)] == pct(1, 3)  # 33.3
    assert cells[("ladder_movement.same", WK_CENTRUM, EVERYONE)] == pct(0, 3)
    assert cells[("ladder_movement.up", BU_OUDE_HAVEN, EVERYONE)] == pct(2, 2)
    assert cells[("ladder_movement.down", BU_MARKT, EVERYONE)] == pct(1, 1)
    assert cells[("ladder_movement.up", WK_NOORD, EVERYONE)] == pct(1, 2)  # e1 / p4 e1
    assert cells[("ladder_movement.same", WK_NOORD, EVERYONE)] == pct(1, 2)  # p4
    assert cells[("ladder_movement.up", GM, COLLECTIVE)] == pct(1, 2)  # e1 / p3 e1
    assert cells[("ladder_movement.down", GM, COLLECTIVE)] == pct(1, 2)  # p3
    assert cells[("ladder_movement.same", GM, SOCIAL_AND_PERSONAL)] == pct(1, 1)  # p4
    assert cells[("ladder_movement.up", GM, INDIVIDUAL)] == pct(1, 1)  # p1


def test_loneliness_change(world: World) -> None:
    cells = people_cells(world)
    # Latest scored category by 30 June, in Q2, against the scored one before it:
    #   p1 ernstig → matig better;  p2 niet → matig worse;  p3 matig → matig same (the unscored one
    #   of 10 April is skipped);  p5 ernstig (2025) → zeer ernstig worse;  e1 matig → niet better.
    #   Not: p4 (one measurement), n1 (not monitored).
    assert cells[("loneliness_change.better", GM, EVERYONE)] == pct(2, 5)  # 40.0
    assert cells[("loneliness_change.same", GM, EVERYONE)] == pct(1, 5)  # 20.0
    assert cells[("loneliness_change.worse", GM, EVERYONE)] == pct(2, 5)  # 40.0
    assert cells[("loneliness_change.better", WK_CENTRUM, EVERYONE)] == pct(1, 4)  # p1 / p1 p2 p3 p5
    assert cells[("loneliness_change.same", WK_CENTRUM, EVERYONE)] == pct(1, 4)  # p3
    assert cells[("loneliness_change.worse", WK_CENTRUM, EVERYONE)] == pct(2, 4)  # p2 p5
    assert cells[("loneliness_change.better", BU_OUDE_HAVEN, EVERYONE)] == pct(1, 2)
    assert cells[("loneliness_change.worse", BU_MARKT, EVERYONE)] == pct(1, 2)  # p5 / p3 p5
    assert cells[("loneliness_change.better", WK_NOORD, EVERYONE)] == pct(1, 1)  # e1
    assert cells[("loneliness_change.better", GM, INDIVIDUAL)] == pct(1, 2)  # p1 / p1 p5
    assert cells[("loneliness_change.worse", GM, INDIVIDUAL)] == pct(1, 2)  # p5
    assert cells[("loneliness_change.same", GM, COLLECTIVE)] == pct(1, 2)  # p3 / p3 e1


def test_referrals_collective(world: World) -> None:
    cells = people_cells(world)
    # Hand-overs made in Q2 (by local date): p1 → koffie (collective), p1 → mo, p3 → kookclub
    # (collective), p4 → eva (30 June 23:30), p7 → wandelgroep (collective) = 3 of 5. Not: p5 → schilder
    # on 1 July 00:30 (30 June in UTC), p2 in March, n1 (not monitored).
    assert cells[("referrals_collective", GM, EVERYONE)] == pct(3, 5)  # 60.0
    assert cells[("referrals_collective", WK_CENTRUM, EVERYONE)] == pct(2, 3)  # 66.7
    assert cells[("referrals_collective", BU_OUDE_HAVEN, EVERYONE)] == pct(1, 2)
    assert cells[("referrals_collective", BU_MARKT, EVERYONE)] == pct(1, 1)
    assert cells[("referrals_collective", WK_NOORD, EVERYONE)] == pct(0, 1)
    assert cells[("referrals_collective", GM, INDIVIDUAL)] == pct(2, 3)  # p1 koffie, p7 / p1 p1 p7
    assert cells[("referrals_collective", GM, COLLECTIVE)] == pct(1, 1)
    assert cells[("referrals_collective", GM, SOCIAL_AND_PERSONAL)] == pct(0, 1)


def test_every_area_and_isolation_type_has_a_cell(world: World) -> None:
    cells = people_cells(world)
    groups = (EVERYONE, INDIVIDUAL, COLLECTIVE, SOCIAL_AND_PERSONAL)
    areas = (GM, WK_CENTRUM, WK_NOORD, BU_OUDE_HAVEN, BU_MARKT, BU_VOGELBUURT)
    for code in ("activism", "access_support", "retention", "inflow", "ladder_movement.up", "referrals_collective"):
        assert {(area, group) for (c, area, group) in cells if c == code} == {(a, g) for a in areas for g in groups}


# --- privacy: who is counted ------------------------------------------------------------------


def test_a_profile_without_monitoring_consent_is_not_counted_until_it_consents(world: World) -> None:
    """n1 has named attendance in Q1 and Q2, a binding group, a relation, measurements and a
    hand-over, but no consent for monitoring: none of it counts. Once n1 consents, all of it does."""
    before = people_cells(world)
    assert before[("retention", GM, EVERYONE)] == pct(2, 3)
    people_services.consent_give(actor=None, profile=world.profiles["n1"], purpose="monitoring", given_by=SELF)
    after = people_cells(world)
    # n1 (Oude Haven, individual) now: retained (Q1 and Q2), in the binding wandelgroep, supported
    # by r8 (requested 1 April, started 15 April: 14 days), ladder 1 → 5 up, niet → ernstig worse,
    # a hand-over to koffie (collective).
    assert after[("retention", GM, EVERYONE)] == pct(3, 4)  # p1 p5 n1 / p1 p4 p5 n1
    assert after[("activism", GM, EVERYONE)] == pct(4, 9)  # + n1 in both
    assert after[("access_support", GM, INDIVIDUAL)] == pct(4, 4)
    assert after[("access_time_to_match", GM, EVERYONE)] == figure(20.0, 5)  # 9 14 [20] 30 31
    assert after[("ladder_movement.up", GM, EVERYONE)] == pct(4, 6)
    assert after[("loneliness_change.worse", GM, EVERYONE)] == pct(3, 6)
    assert after[("referrals_collective", GM, EVERYONE)] == pct(4, 6)
    assert after[("inflow", GM, EVERYONE)] == before[("inflow", GM, EVERYONE)]  # n1 came in Q1 too


def test_revoking_the_monitoring_consent_stops_counting_at_once(world: World) -> None:
    """p1 revokes: out of the population, its named rows become anonymous heads (visits keep them)."""
    koffie = AttendanceSession.objects.get(activity=world.activities["koffie"], on=day("2026-04-07"))
    assert (koffie.named_count, koffie.anonymous_count) == (3, 3)
    people_services.consent_revoke(actor=None, profile=world.profiles["p1"], purpose="monitoring")
    koffie.refresh_from_db()
    assert (koffie.named_count, koffie.anonymous_count) == (2, 4)  # same total: 6
    assert world.profiles["p1"].pk not in crowd(world).row
    cells = people_cells(world)
    assert cells[("retention", GM, EVERYONE)] == pct(1, 2)  # p5 / p4 p5
    assert cells[("activism", GM, EVERYONE)] == pct(2, 7)  # p4 p6 / p2..p7 e1
    assert cells[("access_support", GM, EVERYONE)] == pct(5, 6)
    assert cells[("ladder_movement.up", GM, EVERYONE)] == pct(2, 4)  # p2 e1 / p2 p3 p4 e1
    assert cells[("referrals_collective", GM, EVERYONE)] == pct(2, 3)  # p3 p7 / p3 p4 p7


def test_the_remainder_of_an_erased_profile_counts_as_the_definitions_say(world: World) -> None:
    """p4 consented to monitoring and is erased now: the remainder (buurt, isolation type, scores,
    the relation's dates) still counts; its named attendance became anonymous at the revocation."""
    people_services.profile_erase(actor=None, profile=world.profiles["p4"])
    assert world.profiles["p4"].pk in crowd(world).row
    cells = people_cells(world)
    assert cells[("ladder_movement.same", GM, SOCIAL_AND_PERSONAL)] == pct(1, 1)  # scores kept
    assert cells[("access_support", GM, SOCIAL_AND_PERSONAL)] == pct(1, 1)  # r3 is still there
    assert cells[("relation_duration", GM, SOCIAL_AND_PERSONAL)] == figure(272.0, 1)
    # Without named attendance p4 is no longer seen in Q1: retention p1 p5 / p1 p5, no outflow.
    assert cells[("retention", GM, EVERYONE)] == pct(2, 2)
    assert cells[("outflow", GM, EVERYONE)] == count(0)
    # Still in the binding wandelgroep (memberships stay) and so still a participant.
    assert cells[("activism", GM, EVERYONE)] == pct(3, 8)


def test_an_erased_profile_that_never_consented_to_monitoring_is_not_counted(world: World) -> None:
    # x1 (Vogelbuurt, collective) consented to support only, had a relation in Q2, and is erased.
    x1 = add_profile(world, "x1", BU_VOGELBUURT, "collective", "support")
    SupportRelation.objects.create(
        municipality=world.a,
        participant=x1,
        supporter=world.supporters["jan"],
        status="active",
        requested_at=at("2026-03-01"),
        started_on=day("2026-04-15"),
    )
    people_services.profile_erase(actor=None, profile=x1)
    assert x1.pk not in crowd(world).row
    assert people_cells(world)[("access_support", GM, COLLECTIVE)] == pct(2, 3)  # unchanged
