"""The matching model of a round, free of Django: rows in, a candidate graph, an optimal assignment.

- `rules`: what a pair must meet and what it costs (`MatchRules`, `pair_facts`, `pair_cost`);
- `graph`: the sparse candidate graph, built block by block with numpy (`build_candidate_graph`);
- `solver`: the minimum-cost assignment with SciPy's LAPJVsp (`solve`, `expanded_matrix`);
- `explain`: one plain Dutch sentence per proposed pair (`Explainer`, `explain_pair`).

docs/support.md describes the model; the services in `support.services.matching` feed it from
the database and store what comes out.
"""

from nabij.support.matching.explain import Explainer, explain_pair
from nabij.support.matching.graph import CandidateGraph, build_candidate_graph
from nabij.support.matching.rules import (
    DEFAULT_LANGUAGE,
    MatchRules,
    PairFacts,
    ParticipantRow,
    SupporterRow,
    pair_cost,
    pair_facts,
)
from nabij.support.matching.solver import Assignment, expanded_matrix, no_match_cost, solve

__all__ = [
    "DEFAULT_LANGUAGE",
    "Assignment",
    "CandidateGraph",
    "Explainer",
    "MatchRules",
    "PairFacts",
    "ParticipantRow",
    "SupporterRow",
    "build_candidate_graph",
    "expanded_matrix",
    "explain_pair",
    "no_match_cost",
    "pair_cost",
    "pair_facts",
    "solve",
]
