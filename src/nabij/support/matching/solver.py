"""The minimum-cost assignment over a candidate graph, with SciPy's LAPJVsp.

The problem: give each participant at most one supporter, each supporter at most `free`
participants, so that (1) as many participants as possible get a supporter and (2) among all
such assignments the total cost is the lowest. It is solved exactly as a rectangular linear
assignment problem, with `scipy.sparse.csgraph.min_weight_full_bipartite_matching` (LAPJVsp,
Jonker-Volgenant on sparse graphs):

- each supporter becomes `min(free, number of candidates)` identical columns ("slots"), so a
  capacity is a plain one-to-one constraint;
- each participant gets one extra column of its own, "no match", at cost `P`. With it a full
  matching (every row matched) always exists, and a participant without a supporter costs `P`;
- `P` exceeds what any number of real pairs can cost together (`n x max cost`), so an assignment
  with one more pair is always cheaper: the optimum matches as many participants as possible,
  then has the lowest cost among those. That is the lexicographic goal above, exactly;
- the solver needs non-zero weights, so every weight is raised by 1; every row is matched once,
  so that adds the same `n` to every full matching and changes nothing.

No greedy step anywhere: LAPJVsp finds a proven optimum (shortest augmenting paths with dual
prices), which the property test in tests/support checks against a dense reference solver.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.sparse import csr_array
from scipy.sparse.csgraph import min_weight_full_bipartite_matching

from nabij.support.matching.graph import CandidateGraph, FloatArray, IntArray

# Added to every weight: LAPJVsp treats zero weights as missing edges.
OFFSET = 1.0


def no_match_cost(participants: int, max_cost: float) -> float:
    """More than `participants` real pairs can cost together (see the module's docstring)."""
    return (participants + 1) * (max_cost + 1.0)


@dataclass
class Expanded:
    """The solver's input: rows are participants with candidates, columns slots then no-match."""

    matrix: csr_array
    rows: IntArray  # participant index per row
    slot_supporter: IntArray  # supporter index per slot column
    no_match: float


@dataclass
class Assignment:
    supporter_of: IntArray  # per participant index: the supporter index, or -1
    cost_of: FloatArray  # per participant index: the pair's cost (0 when unmatched)
    matched: int
    total_cost: float  # the sum of the matched pairs' costs

    def pairs(self) -> list[tuple[int, int, float]]:
        matched = np.nonzero(self.supporter_of >= 0)[0].tolist()
        return [(i, int(self.supporter_of[i]), float(self.cost_of[i])) for i in matched]


def expanded_matrix(graph: CandidateGraph) -> Expanded:
    """The biadjacency matrix the solver works on (also what the benchmark's raw run solves)."""
    rows = np.unique(graph.edge_participant)
    row_of = np.full(len(graph.participants), -1, dtype=np.int64)
    row_of[rows] = np.arange(rows.size)
    degree = np.bincount(graph.edge_supporter, minlength=len(graph.supporters))
    slots = np.minimum(graph.free(), degree)
    first_slot = np.concatenate(([0], np.cumsum(slots)))
    slot_count = int(first_slot[-1])
    # Every edge to a supporter becomes one edge to each of that supporter's slots.
    repeat = slots[graph.edge_supporter]
    edge_of_entry = np.repeat(np.arange(graph.edges), repeat)
    within = np.arange(edge_of_entry.size) - np.repeat(np.cumsum(repeat) - repeat, repeat)
    entry_rows = row_of[graph.edge_participant[edge_of_entry]]
    entry_cols = first_slot[graph.edge_supporter[edge_of_entry]] + within
    entry_weights = graph.edge_cost[edge_of_entry] + OFFSET
    max_cost = float(graph.edge_cost.max()) if graph.edges else 0.0
    no_match = no_match_cost(int(rows.size), max(max_cost, graph.rules.max_cost))
    matrix = csr_array(
        (
            np.concatenate((entry_weights, np.full(rows.size, no_match + OFFSET))),
            (
                np.concatenate((entry_rows, np.arange(rows.size))),
                np.concatenate((entry_cols, slot_count + np.arange(rows.size))),
            ),
        ),
        shape=(int(rows.size), slot_count + int(rows.size)),
    )
    slot_supporter = np.repeat(np.arange(len(graph.supporters)), slots)
    return Expanded(matrix=matrix, rows=rows, slot_supporter=slot_supporter, no_match=no_match)


def solve(graph: CandidateGraph, expanded: Expanded | None = None) -> Assignment:
    """The optimal assignment of the graph (see the module's docstring)."""
    n = len(graph.participants)
    supporter_of = np.full(n, -1, dtype=np.int64)
    cost_of = np.zeros(n, dtype=np.float64)
    if graph.edges == 0:
        return Assignment(supporter_of=supporter_of, cost_of=cost_of, matched=0, total_cost=0.0)
    expanded = expanded or expanded_matrix(graph)
    row_ind, col_ind = min_weight_full_bipartite_matching(expanded.matrix)
    slot_count = expanded.slot_supporter.size
    real = col_ind < slot_count
    participants = expanded.rows[row_ind[real]]
    supporters = expanded.slot_supporter[col_ind[real]]
    supporter_of[participants] = supporters
    # The pair's own cost, read from the graph rather than back from the offset weights.
    cost_of[participants] = _edge_costs(graph, participants, supporters)
    return Assignment(
        supporter_of=supporter_of,
        cost_of=cost_of,
        matched=int(real.sum()),
        total_cost=float(cost_of.sum()),
    )


def _edge_costs(graph: CandidateGraph, participants: IntArray, supporters: IntArray) -> FloatArray:
    width = max(1, len(graph.supporters))
    keys = graph.edge_participant * width + graph.edge_supporter
    order = np.argsort(keys, kind="stable")
    found = order[np.searchsorted(keys, participants * width + supporters, sorter=order)]
    costs: FloatArray = graph.edge_cost[found]
    return costs
