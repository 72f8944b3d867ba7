"""Supply indicators on the hand-built world of tests/monitor/world.py: the barrier table, diversity,
continuity, new initiatives and visits, for 2026-Q2. Expected values are worked out in the comments
from the world's tables (activities, their masks on the period's first and last day, sessions)."""

from __future__ import annotations

import datetime as dt

import pytest
from django_scopes import scope

from nabij.monitor.areas import area_tree
from nabij.monitor.indicators.grouping import Areas
from nabij.monitor.indicators.supply import (
    barrier_table_cells,
    continuity_cells,
    diversity_cells,
    new_initiative_cells,
    visit_cells,
)
from nabij.monitor.supply import barrier_counts, supply_on, target_groups
from nabij.socialmap.models import Domain, ParticipationType
from nabij.testing.factories import ActivityFactory, PlaceFactory
from nabij.testing.personas import Personas
from tests.conftest import SocialMap
from tests.monitor.world import (
    AMSTERDAM,
    BU_MARKT,
    BU_OUDE_HAVEN,
    BU_VOGELBUURT,
    COST,
    CROWDED,
    DIGITAL,
    GM,
    NO_HOST,
    PERIOD,
    REGISTRATION,
    SKILLS,
    WK_CENTRUM,
    WK_NOORD,
    Numbers,
    World,
    build_world,
    by_key,
)

AREAS = (GM, WK_CENTRUM, WK_NOORD, BU_OUDE_HAVEN, BU_MARKT, BU_VOGELBUURT)
TYPES = ("ontmoeten", "bewegen", "creatief", "vrijwilligerswerk")
EPA = COST | REGISTRATION | NO_HOST | CROWDED  # 27


@pytest.fixture
def world(personas: Personas, socialmap: SocialMap, scope_a: None) -> World:
    return build_world(personas, socialmap)


def count(n: float) -> Numbers:
    return (n, None, n)


def supply_cells(world: World) -> dict[tuple[str, str, str], Numbers]:
    """Every supply cell of 2026-Q2, computed the way the snapshot does."""
    a = world.a
    tree = area_tree(a)
    groups = target_groups(a)
    start = supply_on(a, PERIOD.start)
    end = supply_on(a, PERIOD.end, with_domains=True)
    areas_end = Areas.of(tree, end.neighbourhood)
    domains = list(Domain.objects.filter(municipality=a).values_list("code", flat=True))
    return by_key(
        [
            *barrier_table_cells(end, areas_end, groups),
            *diversity_cells(end, areas_end, groups, domains),
            *continuity_cells(start, end, Areas.of(tree, start.neighbourhood)),
            *new_initiative_cells(end, areas_end, PERIOD),
            *visit_cells(a, PERIOD, tree, end.type_codes),
        ]
    )


def test_the_area_tree(world: World) -> None:
    tree = area_tree(world.a)
    assert tree.municipality == GM
    assert tree.districts == {WK_CENTRUM: "Centrum Alfa", WK_NOORD: "Noord"}
    assert tree.district_of == {BU_OUDE_HAVEN: WK_CENTRUM, BU_MARKT: WK_CENTRUM, BU_VOGELBUURT: WK_NOORD}
    assert tree.population == {BU_OUDE_HAVEN: 2000, BU_MARKT: 2000, BU_VOGELBUURT: 2000}
    assert (tree.parent(BU_MARKT), tree.parent(WK_NOORD), tree.parent(GM)) == (WK_CENTRUM, GM, None)
    assert tree.children(GM) == [WK_CENTRUM, WK_NOORD]
    assert tree.children(WK_CENTRUM) == [BU_OUDE_HAVEN, BU_MARKT]
    assert tree.children(BU_MARKT) == []
    markt = world.neighbourhoods[BU_MARKT]
    assert tree.chain(markt.pk) == [BU_MARKT, WK_CENTRUM, GM]
    assert tree.chain(None) == [GM]
    assert tree.chain(world.personas.neighbourhood_b.pk) == [GM]  # not one of ours: only the whole
    assert (tree.name(BU_MARKT), tree.name(WK_NOORD), tree.name(GM)) == ("Markt", "Noord", GM)
    assert (tree.level(BU_MARKT), tree.level(WK_NOORD), tree.level(GM)) == ("BU", "WK", "GM")


def test_target_groups_leave_out_the_relational_barrier(world: World) -> None:
    # epa: cost 1 + registration 2 + no_host 8 + crowded 16 = 27; rolstoel: physical 128 + distance 512,
    # and distance depends on where a person lives, so the monitor keeps 128.
    assert dict(target_groups(world.a)) == {"epa": 27, "rolstoel": 128}


def test_barrier_counts_are_the_popcount_of_the_shared_bits() -> None:
    import numpy as np

    masks = np.array([0, 8, 19, 3, 59, 256], dtype=np.int64)
    # with 27 (bits 0, 1, 3, 4): 0 → 0; 8 → {3}; 19 = {0, 1, 4} → 3; 3 = {0, 1} → 2; 59 = {0, 1, 3, 4, 5} → 4; 256 → 0
    assert barrier_counts(masks, EPA).tolist() == [0, 1, 3, 2, 4, 0]


def test_supply_on_a_past_day_undoes_later_barrier_changes(world: World) -> None:
    act = world.activities
    name_of = {activity.pk: name for name, activity in act.items()}

    def masks(day: dt.date) -> dict[str, int]:
        table = supply_on(world.a, day)
        return {name_of[pk]: mask for pk, mask in zip(table.ids.tolist(), table.mask.tolist(), strict=True)}

    # 1 April: published and active by active_from/active_until: not bingo (from 1 May), later
    # (from 1 Aug) or concept (draft). koffie: its change of 1 July 00:30 says it had 8 before;
    # wandelen: the change of 10 July says 0; repair: the first change after 1 April (1 May) says 19;
    # schilder changed on 1 March, so its current 19 holds.
    assert masks(PERIOD.start) == {
        "koffie": NO_HOST,
        "wandelen": 0,
        "schilder": COST | REGISTRATION | CROWDED,
        "repair": COST | REGISTRATION | CROWDED,
        "online": DIGITAL,
        "breien": 0,
        "sport": COST | REGISTRATION | NO_HOST | CROWDED | SKILLS,
        "moestuin": 0,
    }
    # 30 June: breien stopped on 15 May, bingo started. repair: the first change after 30 June
    # (5 July) says 3. bingo changed on 30 June 23:30 local: in place on that day, so its current 0.
    # koffie changed on 1 July 00:30 local (30 June 22:30 UTC): not yet on 30 June, so still 8.
    assert masks(PERIOD.end) == {
        "koffie": NO_HOST,
        "wandelen": 0,
        "schilder": COST | REGISTRATION | CROWDED,
        "repair": COST | REGISTRATION,
        "online": DIGITAL,
        "bingo": 0,
        "sport": COST | REGISTRATION | NO_HOST | CROWDED | SKILLS,
        "moestuin": 0,
    }
    # After every change: the current masks (later started on 1 August).
    today = masks(dt.date(2026, 12, 1))
    assert (today["koffie"], today["wandelen"], today["repair"], today["later"]) == (0, COST, 59, 0)


def test_barrier_table_for_a_target_group(world: World) -> None:
    cells = supply_cells(world)
    # Activities on 30 June with their count of epa barriers (mask & 27):
    #   koffie   ontmoeten  Oude Haven  8 & 27 = 8          → 1
    #   online   ontmoeten  (no place)  256 & 27 = 0        → 0
    #   bingo    ontmoeten  Markt       0                   → 0
    #   wandelen bewegen    Oude Haven  0                   → 0
    #   sport    bewegen    Vogelbuurt  59 & 27 = 27 (4)    → 4+
    #   schilder creatief   Markt       19 & 27 = 19 (3)    → 3
    #   repair   vrijwill.  Vogelbuurt  3 & 27 = 3 (2)      → 2
    #   moestuin vrijwill.  Oude Haven  0                   → 0
    expected = {
        # gemeente: ontmoeten 0: online + bingo = 2, 1: koffie = 1, total 3
        ("ontmoeten", GM): [2, 1, 0, 0, 0, 3],
        ("bewegen", GM): [1, 0, 0, 0, 1, 2],
        ("creatief", GM): [0, 0, 0, 1, 0, 1],
        ("vrijwilligerswerk", GM): [1, 0, 1, 0, 0, 2],
        # Centrum (Oude Haven + Markt): online has no place, so it counts only for the gemeente
        ("ontmoeten", WK_CENTRUM): [1, 1, 0, 0, 0, 2],
        ("bewegen", WK_CENTRUM): [1, 0, 0, 0, 0, 1],
        ("creatief", WK_CENTRUM): [0, 0, 0, 1, 0, 1],
        ("vrijwilligerswerk", WK_CENTRUM): [1, 0, 0, 0, 0, 1],
        # Noord = Vogelbuurt: sport (4+) and repair (2)
        ("ontmoeten", WK_NOORD): [0, 0, 0, 0, 0, 0],
        ("bewegen", WK_NOORD): [0, 0, 0, 0, 1, 1],
        ("vrijwilligerswerk", WK_NOORD): [0, 0, 1, 0, 0, 1],
        ("bewegen", BU_VOGELBUURT): [0, 0, 0, 0, 1, 1],
        # Oude Haven: koffie (1), wandelen (0), moestuin (0)
        ("ontmoeten", BU_OUDE_HAVEN): [0, 1, 0, 0, 0, 1],
        ("bewegen", BU_OUDE_HAVEN): [1, 0, 0, 0, 0, 1],
        ("vrijwilligerswerk", BU_OUDE_HAVEN): [1, 0, 0, 0, 0, 1],
        ("creatief", BU_OUDE_HAVEN): [0, 0, 0, 0, 0, 0],
        # Markt: bingo (0), schilder (3)
        ("ontmoeten", BU_MARKT): [1, 0, 0, 0, 0, 1],
        ("creatief", BU_MARKT): [0, 0, 0, 1, 0, 1],
    }
    for (type_code, area), numbers in expected.items():
        found = [cells[(f"barrier_table.{type_code}.{b}", area, "epa")] for b in ("0", "1", "2", "3", "4+", "total")]
        assert found == [count(n) for n in numbers], (type_code, area)


def test_barrier_table_of_another_group_counts_only_its_own_barriers(world: World) -> None:
    cells = supply_cells(world)
    # rolstoel is sensitive to physical (128) only: no activity has it, so all 8 sit in column 0:
    # ontmoeten koffie, online, bingo = 3; bewegen wandelen, sport = 2; creatief schilder = 1;
    # vrijwilligerswerk repair, moestuin = 2.
    for type_code, n in (("ontmoeten", 3), ("bewegen", 2), ("creatief", 1), ("vrijwilligerswerk", 2)):
        assert cells[(f"barrier_table.{type_code}.0", GM, "rolstoel")] == count(n)
        assert cells[(f"barrier_table.{type_code}.1", GM, "rolstoel")] == count(0)
        assert cells[(f"barrier_table.{type_code}.total", GM, "rolstoel")] == count(n)
    # Every area has a cell, zeros included: 2 groups x 4 types x 6 columns x 6 areas.
    assert len([k for k in cells if k[0].startswith("barrier_table.")]) == 2 * 4 * 6 * len(AREAS)


def test_diversity_counts_accessible_supply_per_type_and_domain(world: World) -> None:
    cells = supply_cells(world)
    # Accessible for epa on 30 June (mask & 27 == 0): wandelen, online, bingo, moestuin (not koffie: 8).
    epa = {
        ("diversity.type.ontmoeten", GM): 2,  # online + bingo
        ("diversity.type.ontmoeten", WK_CENTRUM): 1,  # bingo (online has no place)
        ("diversity.type.ontmoeten", BU_MARKT): 1,
        ("diversity.type.ontmoeten", BU_OUDE_HAVEN): 0,  # koffie has a barrier for epa
        ("diversity.type.bewegen", GM): 1,  # wandelen (sport has 4)
        ("diversity.type.bewegen", BU_OUDE_HAVEN): 1,
        ("diversity.type.bewegen", WK_NOORD): 0,
        ("diversity.type.creatief", GM): 0,
        ("diversity.type.vrijwilligerswerk", GM): 1,  # moestuin
        ("diversity.type.vrijwilligerswerk", BU_OUDE_HAVEN): 1,
        ("diversity.domain.gezondheid", GM): 2,  # wandelen + online
        ("diversity.domain.gezondheid", WK_CENTRUM): 1,  # wandelen
        ("diversity.domain.gezondheid", BU_OUDE_HAVEN): 1,
        ("diversity.domain.eigen_netwerken", GM): 1,  # bingo (koffie is not accessible)
        ("diversity.domain.eigen_netwerken", BU_MARKT): 1,
        ("diversity.domain.eigen_netwerken", BU_OUDE_HAVEN): 0,
        ("diversity.domain.openbare_ruimte", GM): 1,  # moestuin
        ("diversity.domain.sport_bewegen", GM): 1,  # wandelen
        ("diversity.domain.kunst_cultuur", GM): 0,  # schilder has 3
        ("diversity.domain.mantelzorg", GM): 0,  # a domain without activities still has its zero
    }
    for (code, area), n in epa.items():
        assert cells[(code, area, "epa")] == count(n), (code, area)
    # rolstoel: all 8 accessible. eigen_netwerken: koffie + bingo = 2; sport_bewegen: wandelen + sport = 2,
    # of which Noord 1 (sport); kunst_cultuur: schilder = 1.
    rolstoel = {
        ("diversity.type.ontmoeten", GM): 3,
        ("diversity.type.vrijwilligerswerk", GM): 2,
        ("diversity.domain.eigen_netwerken", GM): 2,
        ("diversity.domain.eigen_netwerken", BU_OUDE_HAVEN): 1,
        ("diversity.domain.sport_bewegen", GM): 2,
        ("diversity.domain.sport_bewegen", WK_NOORD): 1,
        ("diversity.domain.kunst_cultuur", GM): 1,
    }
    for (code, area), n in rolstoel.items():
        assert cells[(code, area, "rolstoel")] == count(n), (code, area)
    # Accessible choice per type is the barrier table's 0 column, for every area and group.
    for type_code in TYPES:
        for area in AREAS:
            for group in ("epa", "rolstoel"):
                assert (
                    cells[(f"diversity.type.{type_code}", area, group)]
                    == cells[(f"barrier_table.{type_code}.0", area, group)]
                )


def test_continuity_of_activities(world: World) -> None:
    cells = supply_cells(world)
    # Active on 1 April: koffie, wandelen, moestuin, breien (Oude Haven), schilder (Markt),
    # repair, sport (Vogelbuurt), online (no place) = 8. Still active on 30 June: all but breien.
    assert cells[("continuity_activities", GM, "")] == (7, 8, 87.5)  # 7/8
    assert cells[("continuity_activities", WK_CENTRUM, "")] == (
        4,
        5,
        80.0,
    )  # koffie, wandelen, moestuin, schilder / +breien
    assert cells[("continuity_activities", BU_OUDE_HAVEN, "")] == (3, 4, 75.0)
    assert cells[("continuity_activities", BU_MARKT, "")] == (1, 1, 100.0)
    assert cells[("continuity_activities", WK_NOORD, "")] == (2, 2, 100.0)
    assert cells[("continuity_activities", BU_VOGELBUURT, "")] == (2, 2, 100.0)


def test_new_initiatives(world: World) -> None:
    cells = supply_cells(world)
    # Started in the period: moestuin (active from 1 April, the first day) and bingo (from 1 May).
    # Not: later (1 August), and the others started in 2025.
    assert cells[("new_initiatives", GM, "")] == count(2)
    assert cells[("new_initiatives", WK_CENTRUM, "")] == count(2)
    assert cells[("new_initiatives", BU_OUDE_HAVEN, "")] == count(1)
    assert cells[("new_initiatives", BU_MARKT, "")] == count(1)
    assert cells[("new_initiatives", WK_NOORD, "")] == count(0)


def test_a_new_initiative_without_an_active_from_date_starts_on_its_first_date(
    personas: Personas, socialmap: SocialMap, scope_a: None
) -> None:
    """No active_from: the first date of its schedule says when it started."""
    a = personas.municipality_a

    kind = ParticipationType.objects.get(municipality=a, code="ontmoeten")

    def activity(first: dt.datetime) -> None:
        place = PlaceFactory.create(organisation=socialmap.organisation, neighbourhood=personas.neighbourhood_a)
        ActivityFactory.create(organisation=socialmap.organisation, place=place, participation_type=kind, dtstart=first)

    activity(dt.datetime(2026, 6, 30, 23, 30, tzinfo=AMSTERDAM))  # the last evening: new
    activity(dt.datetime(2026, 3, 31, 23, 30, tzinfo=AMSTERDAM))  # the evening before: not new
    activity(dt.datetime(2026, 4, 1, 0, 30, tzinfo=AMSTERDAM))  # 31 March 22:30 UTC, 1 April here: new
    tree = area_tree(a)
    end = supply_on(a, PERIOD.end)
    cells = by_key(new_initiative_cells(end, Areas.of(tree, end.neighbourhood), PERIOD))
    assert cells[("new_initiatives", GM, "")] == count(2)
    assert cells[("new_initiatives", BU_OUDE_HAVEN, "")] == count(2)


def test_visits_are_named_rows_plus_head_counts(world: World) -> None:
    cells = supply_cells(world)
    # Sessions in the period (named + anonymous; r1 and e1 were turned into heads, totals kept):
    #   koffie   7 Apr 3 + 3 = 6, 5 May 0 + 4 = 4  → 10  ontmoeten, Oude Haven
    #   wandelen 8 Apr 10 + 1                      → 11  bewegen, Oude Haven
    #   schilder 10 Jun 4                          → 4   creatief, Markt
    #   online   1 Jun 6                           → 6   ontmoeten, no place
    #   repair   12 May 7                          → 7   vrijwilligerswerk, Vogelbuurt
    # Not: repair 31 March (Q1) and 1 July (Q3), and municipality B's session.
    expected = {
        GM: {"ontmoeten": 16, "bewegen": 11, "creatief": 4, "vrijwilligerswerk": 7, "total": 38},
        WK_CENTRUM: {"ontmoeten": 10, "bewegen": 11, "creatief": 4, "vrijwilligerswerk": 0, "total": 25},
        BU_OUDE_HAVEN: {"ontmoeten": 10, "bewegen": 11, "creatief": 0, "vrijwilligerswerk": 0, "total": 21},
        BU_MARKT: {"ontmoeten": 0, "bewegen": 0, "creatief": 4, "vrijwilligerswerk": 0, "total": 4},
        WK_NOORD: {"ontmoeten": 0, "bewegen": 0, "creatief": 0, "vrijwilligerswerk": 7, "total": 7},
        BU_VOGELBUURT: {"ontmoeten": 0, "bewegen": 0, "creatief": 0, "vrijwilligerswerk": 7, "total": 7},
    }
    for area, per_type in expected.items():
        for code, n in per_type.items():
            assert cells[(f"visits.{code}", area, "")] == count(n), (area, code)


def test_supply_of_another_municipality_is_not_counted(world: World) -> None:
    b = world.personas.municipality_b
    with scope(municipality=b):
        table = supply_on(b, PERIOD.end)
    assert set(table.ids.tolist()).isdisjoint(a.pk for a in world.activities.values())
    assert len(supply_on(world.a, PERIOD.end)) == 8
