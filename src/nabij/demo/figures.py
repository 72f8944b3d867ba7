"""Whole-number figures that add up exactly, for the demo's populations and age bands."""

from __future__ import annotations

import math
from collections.abc import Sequence


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` (largest remainder), so the parts sum to `total`."""
    weight_sum = sum(weights)
    if total < 0 or weight_sum <= 0 or any(w < 0 for w in weights):
        raise ValueError("apportion needs a non-negative total and non-negative weights with a positive sum.")
    exact = [total * w / weight_sum for w in weights]
    parts = [math.floor(x) for x in exact]
    # Ties go to the earlier index: deterministic without a random choice.
    order = sorted(range(len(weights)), key=lambda k: (parts[k] - exact[k], k))
    for k in order[: total - sum(parts)]:
        parts[k] += 1
    return parts
