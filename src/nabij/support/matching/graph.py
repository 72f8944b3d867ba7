"""The sparse candidate graph of a round: for each participant, the cheapest eligible supporters.

A city has 20,000 waiting participants and 10,000 supporters: 200 million pairs, almost all of
them out of reach. The graph is built per neighbourhood of the participants: only supporters in
neighbourhoods within the maximum distance are looked at, and those in blocks of numpy arrays
(languages and interests as bit sets, so "share a language" is one AND). Each participant keeps
at most `candidates_per_participant` candidates, the cheapest; the solver then finds the optimum
over this graph. Costs are computed exactly as `rules.pair_cost` does, in the same order of
operations, so a pair costs the same here as in an explanation or a test.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt

from nabij.socialmap.search import DETOUR_FACTOR, METRES_PER_DEGREE
from nabij.support.matching.rules import SATURATION, MatchRules, ParticipantRow, SupporterRow

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
# How many participant x supporter cells one numpy block holds: large enough to amortise
# numpy's overhead, small enough to stay in the processor's cache.
BLOCK_CELLS = 200_000


@dataclass
class CandidateGraph:
    """Edges (participant index, supporter index, cost), sorted by participant, then by cost."""

    participants: Sequence[ParticipantRow]
    supporters: Sequence[SupporterRow]
    rules: MatchRules
    edge_participant: IntArray
    edge_supporter: IntArray
    edge_cost: FloatArray

    @property
    def edges(self) -> int:
        return int(self.edge_cost.size)

    def free(self) -> IntArray:
        return np.fromiter((max(0, s.free) for s in self.supporters), dtype=np.int64, count=len(self.supporters))

    def participants_with_candidates(self) -> int:
        return int(np.unique(self.edge_participant).size)


def _bitsets(rows: Sequence[tuple[str, ...]], vocabulary: dict[str, int], words: int) -> npt.NDArray[np.uint64]:
    bits = np.zeros((len(rows), max(words, 1)), dtype=np.uint64)
    for i, items in enumerate(rows):
        for item in items:
            number = vocabulary.get(item)
            if number is not None:
                bits[i, number // 64] |= np.uint64(1 << (number % 64))
    return bits


def _vocabulary(*groups: Iterable[tuple[str, ...]]) -> dict[str, int]:
    """Numbers for the items that occur on both sides: only those can be shared."""
    sides = [{item for items in group for item in items} for group in groups]
    common = set.intersection(*sides) if sides else set()
    return {item: number for number, item in enumerate(sorted(common))}


def _areas(
    participants: Sequence[ParticipantRow], supporters: Sequence[SupporterRow]
) -> tuple[IntArray, IntArray, FloatArray, FloatArray]:
    """Each row's area index (-1 when unknown) and each area's centroid."""
    index: dict[Any, int] = {}
    lats: list[float] = []
    lons: list[float] = []

    def area_of(row: ParticipantRow | SupporterRow) -> int:
        if row.lat is None or row.lon is None:
            return -1
        key = row.area if row.area is not None else ("point", row.lat, row.lon)
        if key not in index:
            index[key] = len(lats)
            lats.append(row.lat)
            lons.append(row.lon)
        return index[key]

    p_area = np.fromiter((area_of(p) for p in participants), dtype=np.int64, count=len(participants))
    s_area = np.fromiter((area_of(s) for s in supporters), dtype=np.int64, count=len(supporters))
    return p_area, s_area, np.asarray(lats, dtype=np.float64), np.asarray(lons, dtype=np.float64)


def area_distances(lats: FloatArray, lons: FloatArray) -> FloatArray:
    """Walking metres from each area (row) to each area (column), as `rules.walking_distance_m`."""
    dx = (lons[None, :] - lons[:, None]) * METRES_PER_DEGREE * np.cos(np.radians(lats))[:, None]
    dy = (lats[None, :] - lats[:, None]) * METRES_PER_DEGREE
    distances: FloatArray = np.rint(np.hypot(dx, dy) * DETOUR_FACTOR)
    return distances


def build_candidate_graph(
    participants: Sequence[ParticipantRow],
    supporters: Sequence[SupporterRow],
    rules: MatchRules,
    forbidden: Collection[tuple[int, int]] = (),
) -> CandidateGraph:
    """The candidate graph; `forbidden` holds (participant id, supporter id) pairs to leave out."""
    n, m = len(participants), len(supporters)
    languages = _vocabulary((p.languages for p in participants), (s.languages for s in supporters))
    interests = _vocabulary((p.interests for p in participants), (s.interests for s in supporters))
    language_words = (len(languages) + 63) // 64
    interest_words = (len(interests) + 63) // 64
    p_languages = _bitsets([p.languages for p in participants], languages, language_words)
    p_own = _bitsets([p.languages[:1] for p in participants], languages, language_words)
    s_languages = _bitsets([s.languages for s in supporters], languages, language_words)
    p_interests = _bitsets([p.interests for p in participants], interests, interest_words)
    s_interests = _bitsets([s.interests for s in supporters], interests, interest_words)
    p_available = np.fromiter((p.availability for p in participants), dtype=np.int64, count=n)
    s_available = np.fromiter((s.availability for s in supporters), dtype=np.int64, count=m)
    p_vog = np.fromiter((p.requires_vog for p in participants), dtype=bool, count=n)
    s_vog = np.fromiter((s.vog_valid for s in supporters), dtype=bool, count=m)
    s_free = np.fromiter((s.free for s in supporters), dtype=np.int64, count=m)
    p_area, s_area, lats, lons = _areas(participants, supporters)
    distances = area_distances(lats, lons)

    supporters_in: dict[int, list[int]] = defaultdict(list)
    for j in np.nonzero((s_area >= 0) & (s_free > 0))[0].tolist():
        supporters_in[int(s_area[j])].append(j)
    participants_in: dict[int, list[int]] = defaultdict(list)
    for i in np.nonzero(p_area >= 0)[0].tolist():
        participants_in[int(p_area[i])].append(i)

    p_position = {p.id: i for i, p in enumerate(participants)}
    s_position = {s.id: j for j, s in enumerate(supporters)}
    forbidden_of: dict[int, list[int]] = defaultdict(list)
    for participant_id, supporter_id in forbidden:
        if participant_id in p_position and supporter_id in s_position:
            forbidden_of[p_position[participant_id]].append(s_position[supporter_id])

    keep = max(1, rules.candidates_per_participant)
    out_p: list[IntArray] = []
    out_s: list[IntArray] = []
    out_c: list[FloatArray] = []
    column_of = np.full(m, -1, dtype=np.int64)
    for area, rows in sorted(participants_in.items()):
        reachable = np.nonzero(distances[area] <= rules.max_distance_m)[0]
        columns = [j for reach in reachable.tolist() for j in supporters_in.get(reach, ())]
        if not columns:
            continue
        cols = np.asarray(columns, dtype=np.int64)
        column_of[cols] = np.arange(cols.size)
        distance_part = rules.distance_weight * (distances[area, s_area[cols]] / 1000)
        chunk = max(1, BLOCK_CELLS // cols.size)
        for start in range(0, len(rows), chunk):
            block = np.asarray(rows[start : start + chunk], dtype=np.int64)
            common = p_available[block, None] & s_available[None, cols]
            eligible = common != 0
            eligible &= (p_languages[block, None, :] & s_languages[None, cols, :]).any(axis=2)
            eligible &= ~p_vog[block, None] | s_vog[None, cols]
            own = (p_own[block, None, :] & s_languages[None, cols, :]).any(axis=2)
            shared = np.bitwise_count(p_interests[block, None, :] & s_interests[None, cols, :]).sum(axis=2)
            moments = np.bitwise_count(common)
            cost = (
                distance_part[None, :]
                + rules.interest_weight * (SATURATION - np.minimum(shared, SATURATION)).astype(np.float64)
                + rules.language_weight * np.where(own, 0.0, 1.0)
                + rules.availability_weight * (SATURATION - np.minimum(moments, SATURATION)).astype(np.float64)
            )
            cost[~eligible] = np.inf
            for offset, i in enumerate(block.tolist()):
                if i in forbidden_of:
                    positions = column_of[forbidden_of[i]]
                    cost[offset, positions[positions >= 0]] = np.inf
            if cols.size > keep:
                picked = np.argpartition(cost, keep - 1, axis=1)[:, :keep]
            else:
                picked = np.broadcast_to(np.arange(cols.size), (block.size, cols.size))
            picked_cost = np.take_along_axis(cost, picked, axis=1)
            order = np.argsort(picked_cost, axis=1, kind="stable")
            picked = np.take_along_axis(picked, order, axis=1)
            picked_cost = np.take_along_axis(picked_cost, order, axis=1)
            finite = np.isfinite(picked_cost)
            rows_of = np.broadcast_to(block[:, None], picked.shape)
            out_p.append(rows_of[finite])
            out_s.append(cols[picked[finite]])
            out_c.append(picked_cost[finite])
        column_of[cols] = -1
    empty_int: IntArray = np.zeros(0, dtype=np.int64)
    return CandidateGraph(
        participants=participants,
        supporters=supporters,
        rules=rules,
        edge_participant=np.concatenate(out_p) if out_p else empty_int,
        edge_supporter=np.concatenate(out_s) if out_s else empty_int,
        edge_cost=np.concatenate(out_c) if out_c else np.zeros(0, dtype=np.float64),
    )
