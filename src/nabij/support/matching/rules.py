"""What a pair of participant and supporter must meet (constraints) and what it costs.

Constraints (a pair that fails one is not a candidate):
- both live in a known neighbourhood, at most `max_distance_m` apart (walking, between centroids);
- they have at least one moment in the week in common (availability masks overlap);
- they share a language (no languages given counts as Dutch);
- a participant who requires a VOG gets only a supporter whose VOG is valid;
- the supporter has room (free capacity); pairs a coordinator rejected before are left out.

Cost (lower is better, never negative), the same for every pair:

    cost = distance_weight     x walking km
         + interest_weight     x (3 - min(shared interests, 3))
         + language_weight     x (1 if the participant's own language is not shared else 0)
         + availability_weight x (3 - min(common moments, 3))

The participant's own language is the first one in their list.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Any

from nabij.socialmap.search import DETOUR_FACTOR, METRES_PER_DEGREE

DEFAULT_LANGUAGE = "nl"
# Enough shared interests or moments: beyond three, more makes no difference to the cost.
SATURATION = 3


@dataclass(frozen=True)
class MatchRules:
    """The limits and weights of a round; stored with the round so its outcome can be explained."""

    max_distance_m: int = 3_000
    candidates_per_participant: int = 50
    distance_weight: float = 1.0
    interest_weight: float = 0.5
    language_weight: float = 1.0
    availability_weight: float = 0.25

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any] | None) -> MatchRules:
        known = {name: value for name, value in (data or {}).items() if name in cls.__dataclass_fields__}
        return cls(**known)

    @property
    def max_cost(self) -> float:
        """The highest cost a candidate pair can have: the bound the solver's no-match cost needs."""
        return (
            self.distance_weight * self.max_distance_m / 1000
            + self.interest_weight * SATURATION
            + self.language_weight
            + self.availability_weight * SATURATION
        )


def normalise_languages(codes: Iterable[Any]) -> tuple[str, ...]:
    """Lower-case codes, each once, in the given order; none at all means Dutch."""
    seen: dict[str, None] = {}
    for code in codes:
        text = str(code).strip().lower()
        if text:
            seen.setdefault(text, None)
    return tuple(seen) or (DEFAULT_LANGUAGE,)


@functools.lru_cache(maxsize=8192)
def _normal_word(text: str) -> str:
    return " ".join(text.split()).casefold()


def normalise_interests(interests: Iterable[Any]) -> tuple[str, ...]:
    """Interests compare without capitals or extra spaces; each counts once. (Cached per word:
    a round normalises the same few hundred words tens of thousands of times.)"""
    return tuple(dict.fromkeys(word for word in (_normal_word(str(i)) for i in interests) if word))


@dataclass(frozen=True)
class ParticipantRow:
    id: int
    area: int | None  # the neighbourhood's key; None if unknown
    lat: float | None  # the neighbourhood's centroid
    lon: float | None
    availability: int
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    interests: tuple[str, ...] = ()
    requires_vog: bool = True


@dataclass(frozen=True)
class SupporterRow:
    id: int
    area: int | None
    lat: float | None
    lon: float | None
    availability: int
    languages: tuple[str, ...] = (DEFAULT_LANGUAGE,)
    interests: tuple[str, ...] = ()
    vog_valid: bool = False
    free: int = 1  # capacity minus open relations and slots held by pending proposals


def walking_distance_m(from_lat: float, from_lon: float, to_lat: float, to_lon: float) -> float:
    """Walking distance in whole metres: the social map's flat projection times its detour factor."""
    dx = (to_lon - from_lon) * METRES_PER_DEGREE * math.cos(math.radians(from_lat))
    dy = (to_lat - from_lat) * METRES_PER_DEGREE
    return float(round(math.hypot(dx, dy) * DETOUR_FACTOR))


@dataclass(frozen=True)
class PairFacts:
    """Everything the rules look at for one pair, also what the explanation says."""

    eligible: bool
    distance_m: float | None
    same_area: bool
    shared_interests: tuple[str, ...] = ()
    shared_languages: tuple[str, ...] = ()  # in the participant's order
    own_language_shared: bool = False
    common_slots: tuple[int, ...] = ()  # bit numbers of the availability mask
    refused: tuple[str, ...] = field(default_factory=tuple)  # which constraints failed


def pair_facts(participant: ParticipantRow, supporter: SupporterRow, rules: MatchRules) -> PairFacts:
    refused: list[str] = []
    distance: float | None = None
    if participant.lat is None or participant.lon is None or supporter.lat is None or supporter.lon is None:
        refused.append("area")
    else:
        distance = walking_distance_m(participant.lat, participant.lon, supporter.lat, supporter.lon)
        if distance > rules.max_distance_m:
            refused.append("distance")
    common = participant.availability & supporter.availability
    if not common:
        refused.append("availability")
    spoken = set(supporter.languages)
    shared_languages = tuple(code for code in participant.languages if code in spoken)
    if not shared_languages:
        refused.append("language")
    if participant.requires_vog and not supporter.vog_valid:
        refused.append("vog")
    if supporter.free <= 0:
        refused.append("capacity")
    theirs = set(supporter.interests)
    return PairFacts(
        eligible=not refused,
        distance_m=distance,
        same_area=participant.area is not None and participant.area == supporter.area,
        shared_interests=tuple(interest for interest in participant.interests if interest in theirs),
        shared_languages=shared_languages,
        own_language_shared=bool(participant.languages) and participant.languages[0] in spoken,
        common_slots=tuple(bit for bit in range(common.bit_length()) if common >> bit & 1),
        refused=tuple(refused),
    )


def pair_cost(facts: PairFacts, rules: MatchRules) -> float:
    """The cost of an eligible pair (see the module's docstring)."""
    distance_km = (facts.distance_m or 0.0) / 1000
    return (
        rules.distance_weight * distance_km
        + rules.interest_weight * (SATURATION - min(len(facts.shared_interests), SATURATION))
        + rules.language_weight * (0.0 if facts.own_language_shared else 1.0)
        + rules.availability_weight * (SATURATION - min(len(facts.common_slots), SATURATION))
    )
