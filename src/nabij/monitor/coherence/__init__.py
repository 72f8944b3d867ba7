"""Coherence: the network of activities (seed 003, the fourth dynamic principle).

`network` is the pure analysis (igraph: components, bridges, Leiden communities, suggested links);
`loader` reads a municipality's period into it and turns the result into the monitor's cells.
See docs/coherence.md.
"""

from nabij.monitor.coherence.loader import coherence_cells, network_for, new_links_cells, period_pairs
from nabij.monitor.coherence.network import (
    ActivityNode,
    Bridge,
    Community,
    Link,
    Network,
    PairCounts,
    Suggestion,
    analyse,
    participant_pairs,
    referral_pairs,
)

__all__ = [
    "ActivityNode",
    "Bridge",
    "Community",
    "Link",
    "Network",
    "PairCounts",
    "Suggestion",
    "analyse",
    "coherence_cells",
    "network_for",
    "new_links_cells",
    "participant_pairs",
    "period_pairs",
    "referral_pairs",
]
