"""The attacker of the small-cell tests: which hidden numbers do the equations a reader knows fix?"""

from __future__ import annotations

from collections.abc import Hashable, Iterable

import numpy as np


def solvable(hidden: Iterable[Hashable], equations: Iterable[dict[Hashable, float]]) -> set[Hashable]:
    """Every hidden number whose unit vector lies in the row space of the equations restricted to the
    hidden numbers: the published ones move to the right-hand side, so it is fixed whatever they are."""
    order = sorted(set(hidden))  # type: ignore[type-var]
    position = {key: i for i, key in enumerate(order)}
    rows = []
    for equation in equations:
        row = np.zeros(len(order))
        for key, coefficient in equation.items():
            if key in position:
                row[position[key]] = coefficient
        if row.any():
            rows.append(row)
    if not rows:
        return set()
    matrix = np.array(rows)
    rank = np.linalg.matrix_rank(matrix)
    unit = np.eye(len(order))
    return {key for key, i in position.items() if np.linalg.matrix_rank(np.vstack([matrix, unit[i]])) == rank}
