"""The CSV of a snapshot: one format for the page's download, the API and `nabij monitor_export`.

Long form, one row per stored value, header
`indicator,unit,area_code,target_group,period,numerator,denominator,value,suppressed`.
A suppressed value keeps its key and has empty numbers with `suppressed` = `true`; whole numbers are
written without a decimal point (`12`, not `12.0`), other numbers with a point (`33.3`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from typing import Any, Protocol

from nabij.monitor.models import Snapshot
from nabij.monitor.selectors import ValueFilter, values_of

CSV_HEADER = (
    "indicator",
    "unit",
    "area_code",
    "target_group",
    "period",
    "numerator",
    "denominator",
    "value",
    "suppressed",
)
CSV_MEDIA_TYPE = "text/csv"


class Writable(Protocol):
    def write(self, text: str, /) -> Any: ...


def csv_number(number: float | None) -> str:
    if number is None:
        return ""
    if float(number).is_integer():
        return str(int(number))
    return repr(float(number))


def csv_rows(snapshot: Snapshot, spec: ValueFilter | None = None) -> Iterator[list[str]]:
    rows = values_of(snapshot, spec).values_list(
        "indicator", "unit", "area_code", "target_group", "numerator", "denominator", "value", "suppressed"
    )
    for indicator, unit, area_code, target_group, numerator, denominator, value, suppressed in rows.iterator(
        chunk_size=5000
    ):
        if suppressed:
            # The store never keeps a suppressed number; do not trust that here either.
            numerator = denominator = value = None
        yield [
            indicator,
            unit,
            area_code,
            target_group,
            snapshot.period,
            csv_number(numerator),
            csv_number(denominator),
            csv_number(value),
            "true" if suppressed else "false",
        ]


def write_snapshot_csv(snapshot: Snapshot, out: Writable, spec: ValueFilter | None = None) -> int:
    """Write the CSV to `out`; returns the number of value rows."""
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    count = 0
    for row in csv_rows(snapshot, spec):
        writer.writerow(row)
        count += 1
    return count


def csv_filename(snapshot: Snapshot, municipality_code: str) -> str:
    return f"monitor-{municipality_code}-{snapshot.period}.csv"
