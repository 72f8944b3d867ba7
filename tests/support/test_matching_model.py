"""The matching model without the database: hand-built instances whose optimum is worked out by
hand, and a property test against two reference solvers on random small instances."""

from __future__ import annotations

import itertools
import math

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.optimize import linear_sum_assignment

from nabij.socialmap.search import DETOUR_FACTOR, METRES_PER_DEGREE
from nabij.support.matching import (
    MatchRules,
    ParticipantRow,
    SupporterRow,
    build_candidate_graph,
    explain_pair,
    pair_facts,
    solve,
)

BASE_LAT, BASE_LON = 52.0, 5.0
ALL_DAY = 0b111  # Monday morning, afternoon, evening: three moments in common at most


def at(walking_m: float) -> float:
    """The latitude `walking_m` metres (walking) north of the base point."""
    return BASE_LAT + walking_m / DETOUR_FACTOR / METRES_PER_DEGREE


def participant(pid: int, north_m: float, **fields: object) -> ParticipantRow:
    values: dict[str, object] = {"availability": ALL_DAY, "languages": ("nl",), "requires_vog": False}
    values.update(fields)
    return ParticipantRow(id=pid, area=int(north_m), lat=at(north_m), lon=BASE_LON, **values)  # type: ignore[arg-type]


def supporter(sid: int, north_m: float, **fields: object) -> SupporterRow:
    values: dict[str, object] = {"availability": ALL_DAY, "languages": ("nl",), "vog_valid": True, "free": 1}
    values.update(fields)
    return SupporterRow(id=sid, area=int(north_m), lat=at(north_m), lon=BASE_LON, **values)  # type: ignore[arg-type]


def assigned(participants: list[ParticipantRow], supporters: list[SupporterRow], rules: MatchRules) -> dict[int, int]:
    graph = build_candidate_graph(participants, supporters, rules)
    result = solve(graph)
    return {participants[i].id: supporters[j].id for i, j, _cost in result.pairs()}


def test_the_optimum_is_not_what_a_greedy_loop_finds() -> None:
    # Every pair shares 3 moments and no interest, speaks Dutch: cost = km + 0.5 x 3 = km + 1.5.
    # P1 at 0 m, P2 at 2000 m; S1 at 500 m, S2 at -1000 m; at most 2500 m apart.
    # P1-S1 = 2.0, P1-S2 = 2.5, P2-S1 = 1.5 km + 1.5 = 3.0, P2-S2 (3000 m) is too far.
    # Greedy (cheapest pair first) gives P1-S1 and leaves P2 without anyone;
    # the optimum matches both: P1-S2 + P2-S1 = 5.5.
    rules = MatchRules(max_distance_m=2_500)
    participants = [participant(1, 0), participant(2, 2_000)]
    supporters = [supporter(11, 500), supporter(12, -1_000)]
    graph = build_candidate_graph(participants, supporters, rules)
    result = solve(graph)
    assert {participants[i].id: supporters[j].id for i, j, _c in result.pairs()} == {1: 12, 2: 11}
    assert result.matched == 2
    assert result.total_cost == pytest.approx(5.5)


def test_capacity_and_a_shared_interest_decide_who_goes_where() -> None:
    # Three participants at 0 m. S1 at 0 m has room for two, S2 at 1000 m for one.
    # Costs: with S1 1.5 each; with S2 2.5, but P3 shares "tuinieren" with S2: 1.0 + 0.5 x 2 = 2.0.
    # P3 to S2: 1.5 + 1.5 + 2.0 = 5.0; anyone else to S2: 5.5. So P1, P2 → S1 and P3 → S2.
    rules = MatchRules()
    participants = [participant(1, 0), participant(2, 0), participant(3, 0, interests=("tuinieren",))]
    supporters = [supporter(11, 0, free=2), supporter(12, 1_000, interests=("tuinieren", "koken"))]
    assert assigned(participants, supporters, rules) == {1: 11, 2: 11, 3: 12}


def test_a_participant_who_needs_a_vog_gets_only_a_supporter_with_a_valid_one() -> None:
    # S2 next door has no VOG; P1 needs one, so P1 → S1 (2.5) and P2 → S2 (1.5), total 4.0,
    # although P1 → S2 would be cheaper for P1 alone.
    participants = [participant(1, 0, requires_vog=True), participant(2, 0)]
    supporters = [supporter(11, 1_000, vog_valid=True), supporter(12, 0, vog_valid=False)]
    graph = build_candidate_graph(participants, supporters, MatchRules())
    result = solve(graph)
    assert {participants[i].id: supporters[j].id for i, j, _c in result.pairs()} == {1: 11, 2: 12}
    assert result.total_cost == pytest.approx(4.0)


def test_no_common_moment_or_language_means_no_candidate() -> None:
    monday_morning, tuesday = 0b1, 0b111000
    participants = [participant(1, 0, availability=monday_morning, languages=("ar",))]
    supporters = [
        supporter(11, 0, availability=tuesday, languages=("ar", "nl")),  # never at the same time
        supporter(12, 0, availability=monday_morning, languages=("nl",)),  # no shared language
        supporter(13, 2_000, availability=monday_morning, languages=("nl", "ar")),
    ]
    graph = build_candidate_graph(participants, supporters, MatchRules())
    assert [supporters[j].id for j in graph.edge_supporter.tolist()] == [13]
    # 2 km + no interests (1.5) + own language shared (0) + one common moment (0.25 x 2).
    assert graph.edge_cost.tolist() == pytest.approx([2.0 + 1.5 + 0.5])


def test_more_people_matched_beats_a_lower_cost() -> None:
    # One slot each at S1 (0 m) and S2 (2000 m). P1 can go to both, P2 only to S1.
    # P1-S1 (1.5) alone would be cheapest, but both can be matched: P1-S2 (3.5) + P2-S1 (1.5).
    participants = [participant(1, 0), participant(2, -1_500)]
    supporters = [supporter(11, 0), supporter(12, 2_000)]
    assert assigned(participants, supporters, MatchRules(max_distance_m=2_000)) == {1: 12, 2: 11}


def test_forbidden_pairs_and_the_candidate_limit() -> None:
    participants = [participant(1, 0)]
    supporters = [supporter(11, 0), supporter(12, 100), supporter(13, 900)]
    rules = MatchRules(candidates_per_participant=1)
    graph = build_candidate_graph(participants, supporters, rules)
    assert graph.edge_supporter.tolist() == [0]  # only the cheapest
    graph = build_candidate_graph(participants, supporters, rules, forbidden={(1, 11)})
    assert graph.edge_supporter.tolist() == [1]


def test_nobody_without_a_neighbourhood_is_matched() -> None:
    lost = ParticipantRow(id=1, area=None, lat=None, lon=None, availability=ALL_DAY)
    graph = build_candidate_graph([lost], [supporter(11, 0)], MatchRules())
    assert graph.edges == 0
    assert solve(graph).matched == 0


def test_the_explanation_says_why_in_plain_dutch() -> None:
    tuesday_afternoon = 1 << 4  # day 1 (Tuesday) x 3 + part 1 (afternoon)
    p = participant(
        1, 0, availability=tuesday_afternoon, languages=("ar", "nl"), interests=("tuinieren",), requires_vog=True
    )
    s = supporter(11, 650, availability=tuesday_afternoon | 1, languages=("nl", "ar"), interests=("tuinieren",))
    facts = pair_facts(p, s, MatchRules())
    assert explain_pair(facts, own_language="ar", vog_needed=True) == (
        "Woont 650 m verderop, houdt ook van tuinieren, spreekt Arabisch, heeft op dinsdagmiddag tijd, "
        "heeft een geldige VOG."
    )


# ---------------------------------------------------------------------------------------------
# Property: the round's optimum equals a reference solver's, and no rule is ever broken
# ---------------------------------------------------------------------------------------------

POSITIONS = (0, 650, 1_950, 3_900)  # walking metres north of the base point
LANGUAGES = ("nl", "ar", "tr")
INTERESTS = ("a", "b", "c", "d")


def reference_pair(p: ParticipantRow, s: SupporterRow, rules: MatchRules) -> float | None:
    """The rules of docs/support.md, written out again: the cost, or None if not allowed."""
    assert p.lat is not None and s.lat is not None and p.lon is not None and s.lon is not None
    dx = (s.lon - p.lon) * METRES_PER_DEGREE * math.cos(math.radians(p.lat))
    dy = (s.lat - p.lat) * METRES_PER_DEGREE
    metres = round(math.hypot(dx, dy) * DETOUR_FACTOR)
    common = bin(p.availability & s.availability).count("1")
    if metres > rules.max_distance_m or common == 0 or not set(p.languages) & set(s.languages):
        return None
    if p.requires_vog and not s.vog_valid:
        return None
    shared = len(set(p.interests) & set(s.interests))
    return (
        rules.distance_weight * metres / 1000
        + rules.interest_weight * (3 - min(shared, 3))
        + rules.language_weight * (0 if p.languages[0] in s.languages else 1)
        + rules.availability_weight * (3 - min(common, 3))
    )


def reference_lsa(
    participants: list[ParticipantRow], supporters: list[SupporterRow], rules: MatchRules
) -> tuple[int, float]:
    """Dense linear_sum_assignment: one column per slot and a no-match column per participant."""
    n = len(participants)
    slots = [j for j, s in enumerate(supporters) for _ in range(s.free)]
    big = (n + 1) * (rules.max_cost + 1)
    forbidden = 1e9  # an edge that does not exist
    matrix = np.full((n, len(slots) + n), forbidden)
    for i, p in enumerate(participants):
        matrix[i, len(slots) + i] = big
        for column, j in enumerate(slots):
            cost = reference_pair(p, supporters[j], rules)
            if cost is not None:
                matrix[i, column] = cost
    rows, cols = linear_sum_assignment(matrix)
    matched = [(r, c) for r, c in zip(rows, cols, strict=True) if c < len(slots)]
    return len(matched), float(sum(matrix[r, c] for r, c in matched))


def reference_brute_force(
    participants: list[ParticipantRow], supporters: list[SupporterRow], rules: MatchRules
) -> tuple[int, float]:
    """Every way to give each participant a supporter or nobody: most matched, then cheapest."""
    options = [
        [None] + [j for j, s in enumerate(supporters) if reference_pair(p, s, rules) is not None] for p in participants
    ]
    best: tuple[int, float] = (0, 0.0)
    for choice in itertools.product(*options):
        used = [j for j in choice if j is not None]
        if any(used.count(j) > supporters[j].free for j in set(used)):
            continue
        cost = sum(
            reference_pair(p, supporters[j], rules) or 0.0
            for p, j in zip(participants, choice, strict=True)
            if j is not None
        )
        if (len(used), -cost) > (best[0], -best[1]):
            best = (len(used), cost)
    return best


masks = st.integers(min_value=0, max_value=0b111111)
ordered_languages = st.lists(st.sampled_from(LANGUAGES), min_size=1, max_size=3, unique=True).map(tuple)
interests = st.lists(st.sampled_from(INTERESTS), max_size=3, unique=True).map(tuple)


@st.composite
def instances(draw: st.DrawFn, most_participants: int = 7, most_supporters: int = 5) -> tuple[list, list, MatchRules]:
    participants = [
        participant(
            i,
            draw(st.sampled_from(POSITIONS)),
            availability=draw(masks),
            languages=draw(ordered_languages),
            interests=draw(interests),
            requires_vog=draw(st.booleans()),
        )
        for i in range(draw(st.integers(0, most_participants)))
    ]
    supporters = [
        supporter(
            100 + j,
            draw(st.sampled_from(POSITIONS)),
            availability=draw(masks),
            languages=draw(ordered_languages),
            interests=draw(interests),
            vog_valid=draw(st.booleans()),
            free=draw(st.integers(1, 3)),
        )
        for j in range(draw(st.integers(0, most_supporters)))
    ]
    rules = MatchRules(
        max_distance_m=draw(st.sampled_from([1_000, 2_000, 4_000])),
        distance_weight=draw(st.sampled_from([0.0, 1.0, 2.5])),
        interest_weight=draw(st.sampled_from([0.0, 0.5, 1.0])),
        language_weight=draw(st.sampled_from([0.0, 1.0])),
        availability_weight=draw(st.sampled_from([0.0, 0.25])),
    )
    return participants, supporters, rules


def check_constraints(participants: list, supporters: list, rules: MatchRules, pairs: list) -> None:
    seen: set[int] = set()
    load = [0] * len(supporters)
    for i, j, cost in pairs:
        assert i not in seen  # one supporter (slot) per participant
        seen.add(i)
        load[j] += 1
        p, s = participants[i], supporters[j]
        assert not (p.requires_vog and not s.vog_valid)  # the VOG rule
        assert p.availability & s.availability  # a moment in common
        assert set(p.languages) & set(s.languages)  # a shared language
        assert reference_pair(p, s, rules) == pytest.approx(cost)  # within distance, cost as documented
    assert all(used <= s.free for used, s in zip(load, supporters, strict=True))  # capacity


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(instances())
def test_round_is_optimal_and_keeps_every_rule(instance: tuple[list, list, MatchRules]) -> None:
    participants, supporters, rules = instance
    result = solve(build_candidate_graph(participants, supporters, rules))
    pairs = result.pairs()
    check_constraints(participants, supporters, rules, pairs)
    matched, cost = reference_lsa(participants, supporters, rules)
    assert result.matched == matched
    assert result.total_cost == pytest.approx(cost, abs=1e-6)


@settings(max_examples=200, deadline=None)
@given(instances(most_participants=4, most_supporters=3))
def test_round_equals_brute_force_on_tiny_instances(instance: tuple[list, list, MatchRules]) -> None:
    participants, supporters, rules = instance
    result = solve(build_candidate_graph(participants, supporters, rules))
    matched, cost = reference_brute_force(participants, supporters, rules)
    assert (result.matched, result.total_cost) == (matched, pytest.approx(cost, abs=1e-6))
