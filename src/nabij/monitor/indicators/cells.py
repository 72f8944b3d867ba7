"""A computed value before small-cell protection, and the keys that tie cells together."""

from __future__ import annotations

from dataclasses import dataclass

# target_group column: a TargetGroup code (supply indicators), `isolation:<type>` (people indicators
# broken down by isolation type), or "" for everyone.
ISOLATION_PREFIX = "isolation:"
EVERYONE = ""


@dataclass
class Cell:
    """One value of one indicator (code plus breakdown, e.g. `coverage.bewegen`) for one area
    (a CBS code) and one target group.

    - unit `count`: `numerator` is the count, `value` the same number;
    - unit `percentage`: `value` = 100 x numerator / denominator;
    - unit `ratio` or `days`: `value` is the figure, `numerator` the number of cases behind it
      (people, relations, activities), which small-cell protection looks at.
    """

    indicator: str
    unit: str
    area_code: str
    target_group: str
    numerator: float | None
    denominator: float | None
    value: float | None
    suppressed: bool = False

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.indicator, self.area_code, self.target_group)


def count_cell(indicator: str, area_code: str, target_group: str, count: float) -> Cell:
    return Cell(indicator, "count", area_code, target_group, count, None, count)


def percentage_cell(indicator: str, area_code: str, target_group: str, numerator: float, denominator: float) -> Cell:
    value = round(100.0 * numerator / denominator, 1) if denominator else None
    return Cell(indicator, "percentage", area_code, target_group, numerator, denominator, value)


def figure_cell(indicator: str, unit: str, area_code: str, target_group: str, value: float | None, cases: int) -> Cell:
    return Cell(indicator, unit, area_code, target_group, cases, None, None if value is None else round(value, 2))
