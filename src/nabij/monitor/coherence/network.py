"""The coherence network, pure: arrays and edge lists in, a `Network` out (no database).

Activities are nodes. Two activities are linked when, in the period,
- participants attend both (weight: how many shared participants),
- the same organisation runs both (weight 1),
- a participant of one was referred to the other (weight: how many such participants); a referral to
  a group counts for each of the group's activities.
The network never holds people: only activity pairs and how many people link them.
"""

from __future__ import annotations

import random
import threading
from collections import Counter
from dataclasses import dataclass, field

import igraph
import numpy as np
from scipy.spatial import cKDTree

# A participant who attends k activities links k(k-1)/2 pairs. Beyond this many activities in one
# period, only the ones they visited most often count (ties: the lower activity id): someone at 60
# activities says little about each pair, and would add 1,770 pairs on their own.
MAX_ACTIVITIES_PER_PARTICIPANT = 20
# An organisation with more activities than this links them per district only (see _organiser_keys).
ORGANISER_CLIQUE_MAX = 50
# Suggested links: activities of the same action perspective at most this far apart (straight line).
SUGGESTION_RADIUS_M = 500.0
MAX_SUGGESTIONS = 10
# Leiden is randomised; a fixed seed makes a period's communities the same on every computation.
LEIDEN_SEED = 5
EARTH_RADIUS_M = 6_371_000.0

_RNG_LOCK = threading.Lock()  # igraph's random generator is process-wide


# --- input ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ActivityNode:
    """A published activity: all public facts, no people."""

    id: int
    title: str
    organisation_id: int
    organisation: str
    type_code: str
    perspective: str  # action perspective, "" when none
    neighbourhood_id: int | None
    district_id: int | None
    lat: float | None
    lon: float | None


@dataclass(frozen=True)
class PairCounts:
    """Unordered activity pairs (`a` < `b`, activity ids) and how many people link each."""

    a: np.ndarray
    b: np.ndarray
    count: np.ndarray

    @staticmethod
    def empty() -> PairCounts:
        nothing = np.zeros(0, dtype=np.int64)
        return PairCounts(nothing, nothing.copy(), nothing.copy())

    def __len__(self) -> int:
        return len(self.a)

    def keys(self) -> np.ndarray:
        return pair_keys(self.a, self.b)


def pair_keys(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """One int64 per unordered pair (activity ids fit in 31 bits)."""
    low, high = np.minimum(a, b).astype(np.int64), np.maximum(a, b).astype(np.int64)
    return (low << 32) | high


def _count_keys(keys: np.ndarray) -> PairCounts:
    if not len(keys):
        return PairCounts.empty()
    unique, counts = np.unique(keys, return_counts=True)
    return PairCounts(unique >> 32, unique & 0xFFFFFFFF, counts.astype(np.int64))


def _grouped(groups: np.ndarray, members: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Members sorted by group (then by value); and per group its first row and row count."""
    order = np.lexsort((members, groups))
    groups, members = groups[order], members[order]
    starts = np.flatnonzero(np.r_[True, groups[1:] != groups[:-1]]) if len(groups) else np.zeros(0, dtype=np.int64)
    sizes = np.diff(np.r_[starts, len(groups)])
    return members, starts, sizes


def _clique_keys(groups: np.ndarray, members: np.ndarray, cap: int | None = None) -> np.ndarray:
    """The pair keys of every two members of each group (the first `cap` members of a larger group).

    Vectorised per group size: all groups of size k at once, through a k x k upper triangle, so the
    work is the number of pairs, not a Python loop over groups.
    """
    members, starts, sizes = _grouped(groups, members)
    chunks = []
    for size in np.unique(sizes):
        k = int(size if cap is None else min(size, cap))
        if k < 2:
            continue
        rows = members[starts[sizes == size][:, None] + np.arange(k)]  # groups x k
        i, j = np.triu_indices(k, 1)
        chunks.append(pair_keys(rows[:, i].ravel(), rows[:, j].ravel()))
    return np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int64)


def participant_pairs(
    people: np.ndarray,
    activities: np.ndarray,
    visits: np.ndarray | None = None,
    *,
    cap: int = MAX_ACTIVITIES_PER_PARTICIPANT,
) -> PairCounts:
    """Shared participants per activity pair, from distinct (person, activity[, visits]) rows. Of a
    person with more than `cap` activities, the `cap` most visited count (without visits: the first)."""
    people = np.asarray(people, dtype=np.int64)
    activities = np.asarray(activities, dtype=np.int64)
    if visits is not None and len(people):
        # Keep each person's `cap` most visited activities: sort by person, visits down, activity.
        order = np.lexsort((activities, -np.asarray(visits), people))
        people, activities = people[order], activities[order]
        first = np.flatnonzero(np.r_[True, people[1:] != people[:-1]])
        rank = np.arange(len(people)) - np.repeat(first, np.diff(np.r_[first, len(people)]))
        people, activities = people[rank < cap], activities[rank < cap]
    return _count_keys(_clique_keys(people, activities, cap))


def referral_pairs(
    people: np.ndarray, activities: np.ndarray, referred_people: np.ndarray, referred_to: np.ndarray
) -> PairCounts:
    """Per pair (A, B): how many people attended A and were referred to B (A ≠ B).

    `people`/`activities`: distinct attendance; `referred_people`/`referred_to`: one row per referral
    target (a group referral gives one row per activity of the group).
    """
    people = np.asarray(people, dtype=np.int64)
    activities = np.asarray(activities, dtype=np.int64)
    referred_people = np.asarray(referred_people, dtype=np.int64)
    referred_to = np.asarray(referred_to, dtype=np.int64)
    if not len(people) or not len(referred_people):
        return PairCounts.empty()
    order = np.argsort(people, kind="stable")
    people, activities = people[order], activities[order]
    left = np.searchsorted(people, referred_people, side="left")
    right = np.searchsorted(people, referred_people, side="right")
    lengths = right - left
    rows = np.repeat(np.arange(len(referred_people)), lengths)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    attended = activities[left[rows] + offsets]
    target = referred_to[rows]
    person = referred_people[rows]
    keep = attended != target
    # One person referred twice to B (or to B and to a group with B) still counts once.
    triples = np.unique(np.stack([person[keep], pair_keys(attended[keep], target[keep])], axis=1), axis=0)
    return _count_keys(triples[:, 1] if len(triples) else np.zeros(0, dtype=np.int64))


# --- result -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Link:
    a: int  # activity ids, a < b
    b: int
    participants: int
    organiser: bool
    referrals: int

    @property
    def weight(self) -> float:
        return float(self.participants + int(self.organiser) + self.referrals)


@dataclass(frozen=True)
class Bridge:
    link: Link
    # Activities on the smaller side: how many would be cut off from the rest if the link went.
    separates: int


@dataclass(frozen=True)
class Community:
    number: int  # 1 = the largest
    activity_ids: tuple[int, ...]
    top_organisations: tuple[tuple[str, int], ...]
    top_types: tuple[tuple[str, int], ...]

    @property
    def size(self) -> int:
        return len(self.activity_ids)


@dataclass(frozen=True)
class Suggestion:
    a: int
    b: int
    perspective: str
    distance_m: float


@dataclass
class Network:
    period: str
    nodes: list[ActivityNode]
    # Links as parallel arrays over node indices (there can be many): i < j.
    link_i: np.ndarray
    link_j: np.ndarray
    link_participants: np.ndarray
    link_organiser: np.ndarray
    link_referrals: np.ndarray
    linked: np.ndarray  # bool per node: at least one link
    in_largest: np.ndarray  # bool per node: in the largest component (of two or more activities)
    component_sizes: list[int]  # components of two or more activities, largest first
    bridges: list[Bridge]
    community: np.ndarray  # per node: its community number, 0 when alone
    communities: list[Community]  # of two or more activities, largest first
    modularity: float | None
    suggestions: list[Suggestion]
    participant_keys: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=np.int64))

    @property
    def components(self) -> int:
        return len(self.component_sizes)

    @property
    def isolated(self) -> list[ActivityNode]:
        return [node for node, linked in zip(self.nodes, self.linked, strict=True) if not linked]

    def node(self, activity_id: int) -> ActivityNode:
        return self.nodes[self._index[activity_id]]

    @property
    def _index(self) -> dict[int, int]:
        cached: dict[int, int] | None = self.__dict__.get("_index_cache")
        if cached is None:
            cached = {node.id: i for i, node in enumerate(self.nodes)}
            self.__dict__["_index_cache"] = cached
        return cached

    def link(self, position: int) -> Link:
        a, b = self.nodes[int(self.link_i[position])].id, self.nodes[int(self.link_j[position])].id
        return Link(
            a=min(a, b),
            b=max(a, b),
            participants=int(self.link_participants[position]),
            organiser=bool(self.link_organiser[position]),
            referrals=int(self.link_referrals[position]),
        )


# --- analysis ---------------------------------------------------------------------------------------


def _organiser_keys(nodes: list[ActivityNode], clique_max: int) -> np.ndarray:
    """Every pair of activities of one organisation (a clique per organisation). An organisation with
    more than `clique_max` activities links only those in the same district: a city-wide
    organisation's 900 activities would otherwise add 400,000 links that say little about the arena."""
    ids = np.array([n.id for n in nodes], dtype=np.int64)
    organisations = np.array([n.organisation_id for n in nodes], dtype=np.int64)
    districts = np.array([-1 if n.district_id is None else n.district_id for n in nodes], dtype=np.int64)
    if not len(ids):
        return np.zeros(0, dtype=np.int64)
    _, inverse, counts = np.unique(organisations, return_inverse=True, return_counts=True)
    big = counts[inverse] > clique_max
    groups = (organisations << 24) | np.where(big, districts + 1, 0)
    return _clique_keys(groups, ids)


def analyse(
    nodes: list[ActivityNode],
    participants: PairCounts,
    referrals: PairCounts,
    *,
    period: str = "",
    seed: int = LEIDEN_SEED,
    radius_m: float = SUGGESTION_RADIUS_M,
    max_suggestions: int = MAX_SUGGESTIONS,
    organiser_clique_max: int = ORGANISER_CLIQUE_MAX,
) -> Network:
    """The network of `nodes`; pairs naming an activity that is not a node are left out."""
    nodes = sorted(nodes, key=lambda n: n.id)
    ids = np.array([n.id for n in nodes], dtype=np.int64)
    # All evidence on one key per pair, summed per kind.
    sources = (participants.keys(), _organiser_keys(nodes, organiser_clique_max), referrals.keys())
    keys = np.concatenate(sources)
    unique, inverse = np.unique(keys, return_inverse=True)
    per_kind = []
    offset = 0
    for kind, values in zip(sources, (participants.count, np.ones(len(sources[1])), referrals.count), strict=True):
        totals = np.zeros(len(unique), dtype=np.int64)
        np.add.at(totals, inverse[offset : offset + len(kind)], np.asarray(values, dtype=np.int64))
        per_kind.append(totals)
        offset += len(kind)
    a, b = unique >> 32, unique & 0xFFFFFFFF
    i, j = np.searchsorted(ids, a), np.searchsorted(ids, b)
    known = (i < len(ids)) & (j < len(ids))
    known[known] &= (ids[i[known]] == a[known]) & (ids[j[known]] == b[known])
    i, j = i[known], j[known]
    shared, organiser, referred = (values[known] for values in per_kind)
    weights = (shared + organiser + referred).astype(float)

    graph = igraph.Graph(n=len(nodes), edges=list(zip(i.tolist(), j.tolist(), strict=True)), directed=False)
    graph.es["weight"] = weights.tolist()
    degree = np.array(graph.degree(), dtype=np.int64) if len(nodes) else np.zeros(0, dtype=np.int64)
    linked = degree > 0

    component = np.array(graph.connected_components().membership, dtype=np.int64)
    sizes = np.bincount(component, minlength=1) if len(nodes) else np.zeros(0, dtype=np.int64)
    real = [int(c) for c in np.argsort(-sizes, kind="stable") if sizes[c] >= 2]
    in_largest = component == real[0] if real else np.zeros(len(nodes), dtype=bool)

    bridge_ids = graph.bridges() if len(i) else []
    bridge_cut = _bridge_separation(graph, bridge_ids, len(nodes))

    membership = _leiden(graph, seed)
    modularity = graph.modularity(membership, weights="weight") if len(i) else None
    community, communities = _communities(nodes, membership)

    network = Network(
        period=period,
        nodes=nodes,
        link_i=i,
        link_j=j,
        link_participants=shared,
        link_organiser=organiser > 0,
        link_referrals=referred,
        linked=linked,
        in_largest=in_largest,
        component_sizes=[int(sizes[c]) for c in real],
        bridges=[],
        community=community,
        communities=communities,
        modularity=None if modularity is None or np.isnan(modularity) else float(modularity),
        suggestions=[],
        participant_keys=pair_keys(ids[i[shared > 0]], ids[j[shared > 0]]),
    )
    network.bridges = sorted(
        (Bridge(network.link(e), bridge_cut[e]) for e in bridge_ids),
        key=lambda bridge: (-bridge.separates, bridge.link.a, bridge.link.b),
    )
    network.suggestions = _suggestions(network, membership, radius_m, max_suggestions)
    return network


def _leiden(graph: igraph.Graph, seed: int) -> list[int]:
    if graph.ecount() == 0:
        return list(range(graph.vcount()))
    with _RNG_LOCK:
        igraph.set_random_number_generator(random.Random(seed))  # noqa: S311 (not for secrets)
        try:
            clustering = graph.community_leiden(objective_function="modularity", weights="weight", n_iterations=-1)
        finally:
            igraph.set_random_number_generator(random)
    return list(clustering.membership)


def _communities(nodes: list[ActivityNode], membership: list[int]) -> tuple[np.ndarray, list[Community]]:
    """Communities of two or more activities, numbered from the largest (ties: lowest activity id)."""
    members: dict[int, list[int]] = {}
    for index, label in enumerate(membership):
        members.setdefault(label, []).append(index)
    groups = sorted((m for m in members.values() if len(m) >= 2), key=lambda m: (-len(m), nodes[m[0]].id))
    community = np.zeros(len(nodes), dtype=np.int64)
    result = []
    for number, indices in enumerate(groups, start=1):
        community[indices] = number
        organisations = Counter(nodes[k].organisation for k in indices)
        types = Counter(nodes[k].type_code for k in indices if nodes[k].type_code)
        result.append(
            Community(
                number=number,
                activity_ids=tuple(nodes[k].id for k in indices),
                top_organisations=tuple(sorted(organisations.items(), key=lambda x: (-x[1], x[0]))[:3]),
                top_types=tuple(sorted(types.items(), key=lambda x: (-x[1], x[0]))[:3]),
            )
        )
    return community, result


def _bridge_separation(graph: igraph.Graph, bridge_ids: list[int], n: int) -> dict[int, int]:
    """Per bridge: the activities on its smaller side. Contracting the parts that hold together without
    bridges leaves a forest whose edges are the bridges; subtree sizes then give both sides."""
    if not bridge_ids:
        return {}
    rest = graph.copy()
    rest.delete_edges(bridge_ids)
    block = np.array(rest.connected_components().membership, dtype=np.int64)
    weight = np.bincount(block, minlength=block.max() + 1 if n else 0)
    neighbours: dict[int, list[tuple[int, int]]] = {}
    for e in bridge_ids:
        source, target = graph.es[e].tuple
        u, v = int(block[source]), int(block[target])
        neighbours.setdefault(u, []).append((v, e))
        neighbours.setdefault(v, []).append((u, e))
    subtree: dict[int, int] = {}
    child_of_edge: dict[int, int] = {}
    seen: set[int] = set()
    result: dict[int, int] = {}
    for root in sorted(neighbours):
        if root in seen:
            continue
        order, stack = [], [root]
        seen.add(root)
        while stack:
            u = stack.pop()
            order.append(u)
            for v, e in neighbours[u]:
                if v not in seen:
                    seen.add(v)
                    child_of_edge[e] = v
                    stack.append(v)
        for u in reversed(order):
            subtree[u] = int(weight[u]) + sum(subtree[v] for v, e in neighbours[u] if child_of_edge.get(e) == v)
        total = subtree[root]
        for u in order:
            for v, e in neighbours[u]:
                if child_of_edge.get(e) == v:
                    result[e] = min(subtree[v], total - subtree[v])
    return result


def distance_m(lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray) -> np.ndarray:
    """Great-circle (haversine) distance in metres."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dp, dl = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dp / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _suggestions(network: Network, membership: list[int], radius_m: float, limit: int) -> list[Suggestion]:
    """Activities of the same action perspective, close together, in different communities (so also
    in different components), that share no participant: the nearest first, each activity once."""
    nodes = network.nodes
    placed = [k for k, n in enumerate(nodes) if n.perspective and n.lat is not None and n.lon is not None]
    if len(placed) < 2 or limit <= 0:
        return []
    index = np.array(placed, dtype=np.int64)
    lat = np.array([nodes[k].lat for k in placed], dtype=float)
    lon = np.array([nodes[k].lon for k in placed], dtype=float)
    # Metres on a local plane for the search; the exact distance is checked after.
    x = np.radians(lon) * EARTH_RADIUS_M * np.cos(np.radians(np.nanmean(lat)))
    y = np.radians(lat) * EARTH_RADIUS_M
    pairs = cKDTree(np.column_stack([x, y])).query_pairs(radius_m * 1.02, output_type="ndarray")
    if not len(pairs):
        return []
    p, q = pairs[:, 0], pairs[:, 1]
    metres = distance_m(lat[p], lon[p], lat[q], lon[q])
    perspective = np.array([nodes[k].perspective for k in placed])
    groups = np.array(membership, dtype=np.int64)[index]
    ids = np.array([nodes[k].id for k in placed], dtype=np.int64)
    keep = (metres <= radius_m) & (perspective[p] == perspective[q]) & (groups[p] != groups[q])
    p, q, metres = p[keep], q[keep], metres[keep]
    keep = ~np.isin(pair_keys(ids[p], ids[q]), network.participant_keys)
    p, q, metres = p[keep], q[keep], metres[keep]
    a, b = np.minimum(ids[p], ids[q]), np.maximum(ids[p], ids[q])
    order = np.lexsort((b, a, np.round(metres, 1)))
    chosen: list[Suggestion] = []
    used: set[int] = set()
    for k in order:
        if int(a[k]) in used or int(b[k]) in used:
            continue
        used.update((int(a[k]), int(b[k])))
        chosen.append(Suggestion(int(a[k]), int(b[k]), str(perspective[p[k]]), float(metres[k])))
        if len(chosen) == limit:
            break
    return chosen
