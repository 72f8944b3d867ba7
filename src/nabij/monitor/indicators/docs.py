"""docs/indicators.md, written from the definitions: `python scripts/indicators_doc.py`.

A test compares the page with this output, so the documentation can't drift from the code.
"""

from __future__ import annotations

from nabij.monitor.indicators.definitions import BY_ISOLATION, BY_TARGET_GROUP, FAMILIES, INDICATORS, Indicator
from nabij.monitor.models.snapshots import DEFAULT_DETOUR_FACTOR, DEFAULT_MIN_BASE, DEFAULT_MIN_COUNT

FAMILY_TITLES = {
    "supply": "Supply",
    "principles": "The four dynamic principles",
    "dynamics": "Stability and dynamics",
    "outcomes": "Outcomes",
    "professional": "Professional work",
}
DIMENSION_NAMES = {
    BY_TARGET_GROUP: "target group (`target_group` = a target group code such as `epa`)",
    BY_ISOLATION: "isolation type (`target_group` = `isolation:<type>`, and empty for everyone)",
}
LEVEL_NAMES = {"GM": "municipality (GM)", "WK": "district (WK)", "BU": "neighbourhood (BU)"}

INTRODUCTION = f"""\
# Indicators

<!-- Generated from src/nabij/monitor/indicators/definitions.py by `python scripts/indicators_doc.py`.
     Do not edit by hand: a test fails when this page and the definitions differ. -->

The monitor computes every indicator below for one municipality and one **period** (a year `2026`, a
quarter `2026-Q3` or a month `2026-07`) into a **snapshot** (`nabij monitor_snapshot`), with
small-cell protection applied before anything is stored. Pages, the API, CSV and PDF exports all read
snapshots.

## Reading a value

Each published value has the key `indicator, area_code, target_group` and the fields
`unit, numerator, denominator, value, suppressed` (the long CSV of `nabij monitor_export`):

- `indicator` is the code below, followed by a breakdown where the definition has one:
  `coverage.bewegen`, `barrier_table.ontmoeten.2`, `ladder_movement.up`.
- `area_code` is a CBS code: the municipality (`GM…`), a district (`WK…`) or a neighbourhood (`BU…`).
  People count in the neighbourhood on their profile; activities in the neighbourhood of their place.
  A row without a neighbourhood counts only for the municipality.
- `target_group` is a target group code (supply indicators: which barriers count), `isolation:<type>`
  (people indicators, with `individual`, `collective` and `social_and_personal`), or empty for everyone.
- `unit` is `count`, `percentage` (value = 100 x numerator / denominator, one decimal), `ratio` or
  `days`. For `days` and `ratio` the numerator is the number of cases behind the figure.

## Who is counted

People indicators count only resident profiles with a **current consent for monitoring**, by
pseudonymous key, never by name; a revoked consent stops counting at the next snapshot. After
erasure a profile leaves an anonymous remainder (key, neighbourhood, birth-year band, isolation
type) that still counts if its monitoring consent was current. Named attendance exists only for
such profiles; everyone else is an anonymous head count (docs/attendance.md).

## Small-cell protection

Thresholds are set per municipality (defaults in brackets):

- no published count from 1 to `min_count - 1` ({DEFAULT_MIN_COUNT}): shown as "<{DEFAULT_MIN_COUNT}";
- no percentage on a base under `min_base` ({DEFAULT_MIN_BASE});
- no median or ratio resting on fewer than `min_count` cases;
- **secondary suppression**: a reader knows that a district is the sum of its neighbourhoods and the
  municipality the sum of its districts (for indicators marked *additive*), that `<code>.total` is
  the sum of its breakdowns, that everyone is the sum of the isolation types, that `up`, `same` and
  `down` add up to their shared denominator, and that `diversity.type.<t>` equals
  `barrier_table.<t>.0`, and that retention's denominator (who came before) is its numerator plus
  the outflow. For indicators marked *additive over time*, a reader also knows that a year is the
  sum of its quarters and a quarter the sum of its months, across snapshots.
  Protection solves exactly those equations (linear algebra over the hidden numbers) and hides
  further cells, smallest first, until no suppressed number, and no small remainder between a total
  and its published parts (either way), is determined.

**Across periods.** A snapshot is protected together with the other periods of its year, when a
snapshot of a period containing it or lying within it exists: their values are recomputed and their
snapshots say what a reader already has. What an earlier snapshot published stays published, so the
new snapshot hides more of its own cells where needed. A published value that the recount no longer
gives (a withdrawn consent, a corrected session) is out of date: the current number is kept unknown
like a suppressed one (`outdated` in the snapshot's parameters). The small numbers of periods without
a snapshot, ended or still running, are kept unknown as well, so that they can be published later.
A number that earlier snapshots already gave away on their own is reported as `given_away`, not held
against the new one. Snapshots of one municipality are computed one at a time (a PostgreSQL advisory
lock), so two workers never protect a month and its quarter each alone.

A suppressed value keeps its key and `suppressed = true`; its numbers are not stored at all.

Known limits: bounds (a count is never negative) are not taken into account; neither is comparing a
period's snapshot with an earlier version of the same period (recomputed after new attendance), nor
consecutive periods (inflow and outflow of one quarter against retention of the next), nor the
end-of-period indicators (barrier table, coverage) that a quarter and its last month share. Coverage
numerators are model estimates from CBS population figures, not counts of people, and are protected
all the same.

## Distances

Walking distance is the straight-line distance times a detour factor ({DEFAULT_DETOUR_FACTOR} by default),
against a walking distance of 800 m by default; both are monitor settings of the municipality
(docs/coverage.md).
"""


def _indicator(indicator: Indicator) -> str:
    lines = [
        f"### `{indicator.code}`: {indicator.name_en}",
        "",
        f"*{indicator.name_nl}*",
        "",
        "| | |",
        "|---|---|",
        f"| unit | `{indicator.unit}` |",
        f"| numerator | {indicator.numerator} |",
        f"| denominator | {indicator.denominator} |",
        f"| population | {indicator.population} |",
        f"| areas | {', '.join(LEVEL_NAMES[level] for level in indicator.levels)} |",
    ]
    if indicator.breakdown:
        lines.append(f"| breakdown | {indicator.breakdown} |")
    if indicator.dimensions:
        lines.append(f"| by | {'; '.join(DIMENSION_NAMES[d] for d in indicator.dimensions)} |")
    lines.append(f"| additive over areas | {'yes' if indicator.additive else 'no'} |")
    lines.append(f"| additive over time | {'yes' if indicator.over_time else 'no'} |")
    better = {True: "higher", False: "lower", None: "neither"}[indicator.higher_is_better]
    lines.append(f"| better when | {better} |")
    lines.append(f"| sources | {', '.join(f'`{source}`' for source in indicator.sources)} |")
    if indicator.caveats:
        lines.append(f"| caveats | {indicator.caveats} |")
    return "\n".join(lines) + "\n"


def render() -> str:
    parts = [INTRODUCTION]
    for family in FAMILIES:
        members = [indicator for indicator in INDICATORS if indicator.family == family]
        parts.append(f"## {FAMILY_TITLES[family]}\n")
        parts += [_indicator(indicator) for indicator in members]
    return "\n".join(parts)
